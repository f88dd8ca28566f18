"""The near-miss check's runs of words, cut from each source's prose.

The standard library only: for a long document they are cut in a process of its own
(`Worker`) while the check goes on, and that process starts in milliseconds.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import tempfile
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import accumulate, chain

from .folding import fold_keeping_length

RARE = 2  # a variant seen at most this often is a slip

# One source's runs, as the cache keeps them (the fields of nearmiss._SourceRuns): each
# run's text and the first word of each run of two, a line each; then, for the runs that
# may be slips, their indices, their spelling, their offsets and the words around them.
Runs = tuple[str, str, bytes, str, bytes, str]


def source_runs(masked_text: str, sizes: set[int], starts: set[str]) -> Runs:
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
        start, end = marks[2 * i], marks[2 * (i + size) - 1]
        written = text[start:end]
        if abbreviation(written) or _hyphenated(text, start, end):
            continue
        candidates.append(index)
        spelt.append(written)
        offsets.append(base + marks[2 * i])
        around.append(lower[i - 1] if i and joined[i - 1] else "")
        around.append(lower[i + size] if joined[i + size - 1] else "")
    return (
        "\n".join(texts),
        "\n".join(firsts),
        array("I", candidates).tobytes(),
        "\n".join(spelt),
        array("I", offsets).tobytes(),
        "\n".join(around),
    )


def _hyphenated(text: str, start: int, end: int) -> bool:
    """Return True when the run's first or last word is part of a word written with a
    hyphen ("ki" of "ki-ốt", "mail" of "e-mail"): a piece of a word, not a word slipped."""
    after = text[end : end + 2]
    before = text[max(start - 2, 0) : start]
    return (len(after) == 2 and after[0] == "-" and after[1].isalpha()) or (
        len(before) == 2 and before[1] == "-" and before[0].isalpha()
    )


def abbreviation(spelt: str) -> bool:
    """Return True for a run with an abbreviation in it (các CT, SLĐTBXH), not a misspelt
    word (a run in capitals throughout is a heading's words)."""
    if spelt.islower():  # no capital at all: the common case, at once
        return False
    return not spelt.isupper() and any(len(w) > 1 and w.isupper() for w in spelt.split())


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
            folded = fold_keeping_length("\n".join(lower)).split("\n")
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


# Texts to cut runs from, in characters, that make a worker worth its start (about 40 ms;
# the runs cost about half a microsecond a character in one process).
WORKER_CHARS = 200_000


class Worker:
    """The runs of texts cut in a process of its own, started at once; `result()` waits for
    them. Any trouble with that process (it cannot start, fails, says something else) is
    answered by cutting the runs here: the result is the same either way."""

    def __init__(self, texts: Sequence[str], sizes: set[int], starts: set[str]) -> None:
        self.texts, self.sizes, self.starts = list(texts), sizes, starts
        self.process: subprocess.Popen[bytes] | None = None
        package = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        try:
            with tempfile.TemporaryFile() as given:
                pickle.dump((self.texts, sorted(sizes), sorted(starts)), given, protocol=5)
                given.seek(0)
                self.process = subprocess.Popen(
                    [sys.executable, "-P", "-c", _SERVE, package],
                    stdin=given,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
        except (OSError, ValueError, subprocess.SubprocessError):
            self.process = None

    def result(self) -> list[Runs]:
        if self.process is not None:
            try:
                out, _ = self.process.communicate()
                if self.process.returncode == 0:
                    found = pickle.loads(out)
                    if isinstance(found, list) and len(found) == len(self.texts):
                        return found
            except Exception:  # a broken answer: cut them here
                pass
            finally:
                self.cancel()
        return [source_runs(text, self.sizes, self.starts) for text in self.texts]

    def cancel(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


_SERVE = (
    "import sys; sys.path.insert(0, sys.argv[1]); from vanban.check.wordruns import serve; serve()"
)


def serve() -> None:
    """A worker's work: the texts, sizes and starts pickled on stdin; their runs, pickled,
    on stdout."""
    texts, sizes, starts = pickle.load(sys.stdin.buffer)
    found = [source_runs(text, set(sizes), set(starts)) for text in texts]
    sys.stdout.buffer.write(pickle.dumps(found, protocol=5))
