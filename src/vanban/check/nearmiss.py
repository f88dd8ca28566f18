"""Near-misses: a phrase one slip away from a glossary name or from a phrase used often."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from ..cache import NO_CACHE, Cache
from ..classes import dataclass
from .findings import WARNING, Finding
from .folding import keystrokes
from .glossary import Glossary, fold_keeping_length
from .lint import Source
from .wordruns import RARE, WORKER_CHARS, Worker, source_runs

RULE = "near-miss"
FREQUENT = 5  # a phrase the document uses this often is one it means
CONTEXT = 2  # a differing word seen this often with its other neighbour is a word of its own


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


class PendingRuns:
    """Each source's runs of words, for near_misses: the runs of `size` consecutive words of
    the prose, for each size; of more than two words only from a word that starts a
    glossary name. Made as soon as the sources are known: the runs the cache does not hold
    are cut meanwhile, in a worker process when their texts are long (WORKER_CHARS), so that
    the check's other work and the cutting share the machine's cores.

    Each source's runs are kept in the cache by its text, the sizes and the starts: an edit
    of one file cuts the runs of that file alone."""

    def __init__(
        self, sources: Iterable[Source], glossary: Glossary, cache: Cache = NO_CACHE
    ) -> None:
        self.sources = list(sources)
        self.names, self.sizes, self.starts = _glossary_terms(glossary)
        self.cache = cache
        self._key = f"{sorted(self.sizes)}\0{sorted(self.starts)}\0".encode()
        self.known: list[object] = [cache.get(_RUNS_KIND, self.key(s)) for s in self.sources]
        missing = [
            s.masked_text for s, k in zip(self.sources, self.known, strict=True) if k is None
        ]
        self.worker = (
            Worker(missing, self.sizes, self.starts)
            if sum(map(len, missing)) >= WORKER_CHARS
            else None
        )

    def usable(self, sources: Sequence[Source], glossary: Glossary) -> bool:
        """Return True when these runs are those of these sources and this glossary (the
        files may have changed since they were started)."""
        return [(s.display, s.masked_text) for s in sources] == [
            (s.display, s.masked_text) for s in self.sources
        ] and _glossary_terms(glossary)[1:] == (self.sizes, self.starts)

    def key(self, source: Source) -> bytes:
        return self._key + source.masked_text.encode("utf-8")

    def result(self) -> list[tuple[Source, _SourceRuns]]:
        """Wait for the runs not in the cache, keep them there, and return every source's."""
        missing = [s for s, k in zip(self.sources, self.known, strict=True) if k is None]
        if self.worker is not None:
            cut = self.worker.result()
        else:
            cut = [source_runs(s.masked_text, self.sizes, self.starts) for s in missing]
        made = iter(cut)
        found = []
        for source, known in zip(self.sources, self.known, strict=True):
            if known is None:
                runs = _SourceRuns(*next(made))
                self.cache.put(_RUNS_KIND, self.key(source), runs)
            else:
                runs = known  # type: ignore[assignment]
            found.append((source, runs))
        return found

    def cancel(self) -> None:
        """Stop the worker, if any (the check stopped before it needed the runs)."""
        if self.worker is not None:
            self.worker.cancel()


_RUNS_KIND = "phrase-runs-3"


def _glossary_terms(glossary: Glossary) -> tuple[dict[str, str], set[int], set[str]]:
    """Return the glossary's names and accepted forms (lower-case, spaced once: as written),
    the sizes of the runs to look at, and the first words of the names (folded)."""
    names = {" ".join(n.lower().split()): n for e in glossary.entries for n in (e.name, *e.accept)}
    sizes = {2} | {len(name.split()) for name in names if 1 < len(name.split()) <= 6}
    starts = {_fold(name.split()[0]) for name in names if name.split()}
    return names, sizes, starts


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


def _words_apart(a: str, b: str) -> int:
    """Return how many words of two phrases of as many words differ."""
    return sum(x != y for x, y in zip(a.split(" "), b.split(" "), strict=False))


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


def _choice(text: str, terms: dict[str, str], index: _TermIndex) -> str | tuple[str, ...]:
    """Return what a phrase may be a slip for, by the terms alone: the term it differs from
    only by its diacritics, or else the terms it differs from by one letter (in order), of
    which the first whose differing words are rare in the text is the one meant."""
    by_fold, by_deletion = index
    folded = _fold(text)
    for term in by_fold.get(folded, []):
        # the glossary reports the diacritics of its own names; a phrase of the text is
        # slipped in one word: two words of other diacritics are other words ("dẫn cáp" is
        # not "dân cấp", "tính làm" not "tỉnh lâm")
        if term != text and terms[term] != _GLOSSARY and _words_apart(text, term) == 1:
            return term
    keys = {text} | _deletions(text)
    candidates = {t for key in keys for t in by_deletion.get(key, [])}
    return tuple(
        term
        for term in sorted(candidates)
        if _one_letter(text, term) and _fold(term) != folded and _one_key(text, term)
    )


def _typed(text: str) -> str:
    return " ".join(keystrokes(word) for word in text.split(" "))


def _one_key(text: str, term: str) -> bool:
    """Return True when a phrase one letter from the term is also one key from it as Telex
    types them: "muôn" (muoon) for "môn" (moon) is a slip of the keyboard; "quầy" (quaayf)
    for "quy", "tấn" (taans) for "tin" are other words."""
    return _one_letter(_typed(text), _typed(term))


def _likely(
    phrase: _Phrase, choice: str | tuple[str, ...], words: Counter[str]
) -> tuple[str | None, str]:
    """Return the term a phrase is likely a slip for, and how it differs (or None)."""
    if isinstance(choice, str):
        return choice, "differs only by its diacritics from"
    for term in choice:
        if _rare_word(phrase, term, words):
            return term, "differs by one letter from"
    return None, ""


_TermIndex = tuple[dict[str, list[str]], dict[str, list[str]]]
_GLOSSARY = "in the glossary"
_CHOICES_KIND = "near-miss-choices-2"


def _term_index(terms: dict[str, str]) -> _TermIndex:
    """Return the terms by their folded text and by each text one letter shorter."""
    by_fold: dict[str, list[str]] = {}
    by_deletion: dict[str, list[str]] = {}
    for term in terms:
        by_fold.setdefault(_fold(term), []).append(term)
        for key in {term} | _deletions(term):
            by_deletion.setdefault(key, []).append(term)
    return by_fold, by_deletion


def _fold(text: str) -> str:
    """Return text with bare lower-case letters (one for one, spaces kept): fast."""
    return fold_keeping_length(text)


def near_misses(
    sources: Sequence[Source],
    glossary: Glossary,
    cache: Cache = NO_CACHE,
    pending: PendingRuns | None = None,
) -> list[Finding]:
    """Return a warning for each rare phrase one slip away from a term the document means.

    A term is a glossary name or a run of two words the text uses at least FREQUENT times; a
    slip is a difference of diacritics only, or of one letter. Never an error: a near-miss
    may be a different word that happens to look alike.
    """
    if pending is None:
        pending = PendingRuns(sources, glossary, cache)
    names = pending.names
    by_source = [(source, runs, runs.lines("texts")) for source, runs in pending.result()]
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
        terms[text] = _GLOSSARY
    # What each phrase may be a slip for depends on the terms alone (in their order, and
    # which are the glossary's): kept by them, so that an edit that leaves them as they
    # were works out the choices of its new phrases only.
    key = "\n".join(f"{term}\0{how == _GLOSSARY}" for term, how in terms.items()).encode()
    stored = cache.get(_CHOICES_KIND, key)
    known: dict[str, str | tuple[str, ...]] = stored if isinstance(stored, dict) else {}
    choices: dict[str, str | tuple[str, ...]] = {}
    index: list[_TermIndex] = []  # made when a phrase is not known
    findings = []

    def _finding(phrase: _Phrase) -> Finding | None:
        choice = choices.get(phrase.text)
        if choice is None:
            choice = known.get(phrase.text)
            if choice is None:
                if not index:
                    index.append(_term_index(terms))
                choice = _choice(phrase.text, terms, index[0])
            choices[phrase.text] = choice
        meant, how = _likely(phrase, choice, words)
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
    if choices != known:
        cache.put(_CHOICES_KIND, key, choices)  # the phrases of this text only
    return findings
