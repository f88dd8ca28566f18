"""Near-misses: a phrase one slip away from a glossary name or from a phrase used often."""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, chain

from ..cache import NO_CACHE, Cache
from .findings import WARNING, Finding
from .glossary import Glossary, fold_keeping_length
from .lint import Source

RULE = "near-miss"
FREQUENT = 5  # a phrase the document uses this often is one it means
RARE = 2  # a variant seen at most this often is a slip
CONTEXT = 2  # a differing word seen this often with its other neighbour is a word of its own
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(slots=True)  # not frozen: a document has hundreds of thousands, made fast
class _Phrase:
    """A run of words of the prose: lower-cased, as spelt, its place and its neighbours."""

    text: str
    spelt: str
    source: Source
    offset: int
    words: tuple[str, ...]
    before: str | None  # the word just before the run, when only spaces separate them
    after: str | None


@dataclass(frozen=True)
class _SourceRuns:
    """The runs of words of one source, as near_misses reads them: the text of every run
    (for the counts), the first word of each run of two (for the words' counts), and the
    runs that may be slips (seen at most RARE times in the source, six letters or more, not
    an abbreviation), in the order of the text.

    Kept as a few strings and arrays, one line or item a run, rather than as objects: a
    long document has hundreds of thousands of runs, and reading them back from the cache
    must cost less than finding them again."""

    texts: str  # each run's text, a line each
    firsts: str  # the first word of each run of two, a line each
    candidates: bytes  # array("I"): the index in texts of each run that may be a slip
    spelt: str  # each such run as spelt, a line each
    offsets: bytes  # array("I"): where it starts in the source's prose
    around: str  # the words just before and after it ("" for none), a line each

    def lines(self, field: str) -> list[str]:
        text = getattr(self, field)
        return text.split("\n") if text else []

    def slips(self, source: Source, texts: list[str]) -> Iterator[_Phrase]:
        """Yield each run that may be a slip as a phrase of source (texts: the text of
        every run, as lines("texts") gives them)."""
        indices = array("I", self.candidates)
        spelt, around = self.lines("spelt"), self.lines("around")
        offsets = array("I", self.offsets)
        for k, index in enumerate(indices):
            text = texts[index]
            before, after = around[2 * k] or None, around[2 * k + 1] or None
            yield _Phrase(text, spelt[k], source, offsets[k], tuple(text.split(" ")), before, after)


def _source_runs(masked_text: str, sizes: set[int], starts: set[str]) -> _SourceRuns:
    """Return one source's runs of words in the form the cache keeps: every run of `size`
    words joined one to the next, for each size; of more than two words, only from a word
    that starts a glossary name (`starts`, folded). The fields other than a run's text are
    made only for the runs that may be slips."""
    texts: list[str] = []
    firsts: list[str] = []
    places: list[tuple[int, int, int]] = []  # (paragraph, first word, size) of each run
    paragraphs = []
    for number, (text, base, marks, lower, joined, starting) in enumerate(
        _paragraph_words(masked_text, max(sizes, default=0) > 2, starts)
    ):
        paragraphs.append((text, base, marks, lower, joined))
        for size, i in _run_starts(sizes, joined, starting):
            if size == 2:
                texts.append(lower[i] + " " + lower[i + 1])
                firsts.append(lower[i])
            else:
                texts.append(" ".join(lower[i : i + size]))
            places.append((number, i, size))
    local = Counter(texts)
    candidates, spelt, offsets, around = [], [], [], []
    for index, run in enumerate(texts):
        if local[run] > RARE or len(run) < 6:
            continue
        number, i, size = places[index]
        text, base, marks, lower, joined = paragraphs[number]
        written = text[marks[2 * i] : marks[2 * (i + size) - 1]]
        if _abbreviation(written):
            continue
        candidates.append(index)
        spelt.append(written)
        offsets.append(base + marks[2 * i])
        around.append(lower[i - 1] if i and joined[i - 1] else "")
        around.append(lower[i + size] if joined[i + size - 1] else "")
    return _SourceRuns(
        "\n".join(texts),
        "\n".join(firsts),
        array("I", candidates).tobytes(),
        "\n".join(spelt),
        array("I", offsets).tobytes(),
        "\n".join(around),
    )


def _abbreviation(spelt: str) -> bool:
    """Return True for a run with an abbreviation in it (các CT, SLĐTBXH), not a misspelt
    word (a run in capitals throughout is a heading's words)."""
    if spelt.islower():  # no capital at all: the common case, at once
        return False
    return not spelt.isupper() and any(len(w) > 1 and w.isupper() for w in spelt.split())


def _phrases(
    sources: Iterable[Source], sizes: set[int], starts: set[str], cache: Cache = NO_CACHE
) -> list[tuple[Source, _SourceRuns]]:
    """Return the runs of `size` consecutive words of the prose, for each size, by source;
    runs of more than two words only from a word that starts a glossary name (`starts`,
    folded).

    Each source's runs are kept in the cache by its text, the sizes and the starts: an edit
    of one file finds the runs of that file alone."""
    key = f"{sorted(sizes)}\0{sorted(starts)}\0".encode()
    return [
        (
            source,
            cache.value(
                "phrase-runs-2",
                key + source.masked_text.encode("utf-8"),
                partial(_source_runs, source.masked_text, sizes, starts),
            ),
        )
        for source in sources
    ]


def _paragraph_words(
    masked_text: str, long_runs: bool, starts: set[str]
) -> Iterator[tuple[str, int, list[int], list[str], list[bool], list[int]]]:
    """Yield each paragraph of the prose with its words: its text, its offset, where each
    word starts and ends (word i spans marks[2i] to marks[2i + 1]), the words lower-cased,
    whether each is joined to the next (a space, emphasis marks allowed), and (with
    long_runs) the indices of the words that start a glossary name (`starts`, folded).

    The words come with the gap after each from one regex, and their places are summed
    from their lengths: no Python code runs for each word but three comprehensions."""
    for paragraph in _LINE.finditer(masked_text):
        text = paragraph.group()
        pairs = _WORD_AND_GAP.findall(text)
        if not pairs:
            continue
        lengths = list(map(len, chain.from_iterable(pairs)))
        # the pairs cover the paragraph from its first word on; what is before has no letter
        marks = list(accumulate(lengths, initial=len(text) - sum(lengths)))
        lower = [word.lower() for word, _ in pairs]
        gaps = [gap for _, gap in pairs]
        known = {gap: _joins(gap) for gap in set(gaps)}
        joined = [known[gap] for gap in gaps]
        joined[-1] = False  # the last word's gap ends the paragraph
        starting = []
        if long_runs:
            # folded all at once: folding keeps every character's place; words hold no \n
            folded = _fold("\n".join(lower)).split("\n")
            starting = [i for i, word in enumerate(folded) if word in starts]
        yield text, paragraph.start(), marks, lower, joined, starting


# A word and the characters up to the next word (what separates them).
_WORD_AND_GAP = re.compile(r"([^\W\d_]+)([\W\d_]*)")


def _run_starts(
    sizes: set[int], joined: list[bool], starting: list[int]
) -> Iterator[tuple[int, int]]:
    """Yield (size, index of its first word) for each run of a paragraph: `size` words
    joined one to the next; of more than two words, only from a word in `starting`."""
    count = len(joined)
    joins_after = [0] * (count + 1)  # how many joins follow each word
    for i in range(count - 1, -1, -1):
        joins_after[i] = joins_after[i + 1] + 1 if joined[i] else 0
    for size in sizes:
        last = size - 1
        for i in range(count - last) if size <= 2 else starting:
            if i + last < count and joins_after[i] >= last:
                yield size, i


_LINE = re.compile(r"[^\n]+")


def _joins(gap: str) -> bool:
    """Return True when only a space (and emphasis marks) separate two words."""
    return gap == " " or gap.strip("*_") in (" ", "") and gap.count(" ") == 1


def _deletions(text: str) -> set[str]:
    return {text[:i] + text[i + 1 :] for i in range(len(text))}


def _one_letter(a: str, b: str) -> bool:
    """Return True when a and b differ by one letter added, dropped or changed."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return short in _deletions(long)


def _rare_word(phrase: _Phrase, term: str, words: Counter[str]) -> bool:
    """Return True when each word that differs from the term is rare in the text: a word
    the text uses often ("vào" beside "và") is a word, not a slip."""
    return all(
        words[mine] <= RARE
        for mine, theirs in zip(phrase.words, term.split(" "), strict=False)
        if mine != theirs
    )


def _explained(phrase: _Phrase, meant: str, counts: Counter[str]) -> bool:
    """Return True when the word that differs belongs with its other neighbour instead.

    "Quốc gia giám sát" is not a slip for "gia giảm": "giám sát" is a phrase of its own.
    """
    if len(phrase.words) != 2:
        return False
    first, second = phrase.words
    term_first, term_second = meant.split(" ", 1) if " " in meant else (meant, "")
    if first != term_first and phrase.before:
        return counts[f"{phrase.before} {first}"] >= CONTEXT
    if second != term_second and phrase.after:
        return counts[f"{second} {phrase.after}"] >= CONTEXT
    return False


def _likely(
    phrase: _Phrase,
    terms: dict[str, str],
    by_fold: dict[str, list[str]],
    by_deletion: dict[str, list[str]],
    words: Counter[str],
) -> tuple[str | None, str]:
    """Return the term a phrase is likely a slip for, and how it differs (or None)."""
    folded = _fold(phrase.text)
    for term in by_fold.get(folded, []):
        # the glossary reports the diacritics of its own names
        if term != phrase.text and terms[term] != "in the glossary":
            return term, "differs only by its diacritics from"
    keys = {phrase.text} | _deletions(phrase.text)
    candidates = {t for key in keys for t in by_deletion.get(key, [])}
    for term in sorted(candidates):
        if (
            _one_letter(phrase.text, term)
            and _fold(term) != folded
            and _rare_word(phrase, term, words)
        ):
            return term, "differs by one letter from"
    return None, ""


def _fold(text: str) -> str:
    """Return text with bare lower-case letters (one for one, spaces kept): fast."""
    return fold_keeping_length(text)


def near_misses(
    sources: Sequence[Source], glossary: Glossary, cache: Cache = NO_CACHE
) -> list[Finding]:
    """Return a warning for each rare phrase one slip away from a term the document means.

    A term is a glossary name or a run of two words the text uses at least FREQUENT times; a
    slip is a difference of diacritics only, or of one letter. Never an error: a near-miss
    may be a different word that happens to look alike.
    """
    names = {" ".join(n.lower().split()): n for e in glossary.entries for n in (e.name, *e.accept)}
    sizes = {2} | {len(name.split()) for name in names if 1 < len(name.split()) <= 6}
    starts = {_fold(name.split()[0]) for name in names if name.split()}
    by_source = [
        (source, runs, runs.lines("texts"))
        for source, runs in _phrases(sources, sizes, starts, cache)
    ]
    counts: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for _, runs, texts in by_source:
        counts.update(texts)
        words.update(runs.lines("firsts"))
    terms: dict[str, str] = {}  # lower-case term -> how the message names it
    for text, n in counts.items():
        if n >= FREQUENT and len(text.split()) == 2:
            terms[text] = f"which the text uses {n} times"
    for text in names:
        terms[text] = "in the glossary"
    by_fold: dict[str, list[str]] = {}
    by_deletion: dict[str, list[str]] = {}
    for term in terms:
        by_fold.setdefault(_fold(term), []).append(term)
        for key in {term} | _deletions(term):
            by_deletion.setdefault(key, []).append(term)
    findings = []
    decided: dict[str, tuple[str | None, str]] = {}

    def _finding(phrase: _Phrase) -> Finding | None:
        if phrase.text not in decided:
            decided[phrase.text] = _likely(phrase, terms, by_fold, by_deletion, words)
        meant, how = decided[phrase.text]
        if meant is None or _explained(phrase, meant, counts):
            return None
        line, col = phrase.source.place(phrase.offset)
        shown = names.get(meant, meant)
        return Finding(
            phrase.source.display,
            line,
            col,
            f'"{phrase.spelt}" {how} "{shown}", {terms[meant]}: did you mean "{shown}"?',
            RULE,
            WARNING,
            anchors=(phrase.spelt,),
            values=(("text", phrase.spelt), ("meant", shown)),
        )

    for source, runs, texts in by_source:
        indices = array("I", runs.candidates)  # seldom seen in its file, long, no abbreviation
        if any(counts[texts[i]] <= RARE and texts[i] not in terms for i in indices):
            for phrase in runs.slips(source, texts):
                if counts[phrase.text] <= RARE and phrase.text not in terms:
                    finding = _finding(phrase)
                    if finding is not None:
                        findings.append(finding)
    return findings
