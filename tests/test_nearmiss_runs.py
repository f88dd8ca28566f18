"""The near-miss check's runs of words, computed fast, are those of their definition: every
run of `size` words joined by single spaces (emphasis marks allowed), runs of more than two
words only from a word that starts a glossary name; with the words before and after it."""

from __future__ import annotations

import re
from array import array
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from vanban.check.glossary import fold_keeping_length
from vanban.check.nearmiss import RARE, _abbreviation, _source_runs, _SourceRuns

WORD = re.compile(r"[^\W\d_]+")


def runs_by_definition(text: str, sizes: set[int], starts: set[str]) -> list[tuple]:
    found = []
    for paragraph in re.finditer(r"[^\n]+", text):
        line = paragraph.group()
        words = list(WORD.finditer(line))
        lower = [w.group().lower() for w in words]

        def joined(i: int, line: str = line, words: list = words) -> bool:
            if i + 1 >= len(words):
                return False
            gap = line[words[i].end() : words[i + 1].start()]
            return gap == " " or (gap.strip("*_") in (" ", "") and gap.count(" ") == 1)

        for size in sizes:
            for i in range(len(words) - size + 1):
                if size > 2 and fold_keeping_length(lower[i]) not in starts:
                    continue
                if not all(joined(j) for j in range(i, i + size - 1)):
                    continue
                found.append(
                    (
                        " ".join(lower[i : i + size]),
                        line[words[i].start() : words[i + size - 1].end()],
                        paragraph.start() + words[i].start(),
                        tuple(lower[i : i + size]),
                        lower[i - 1] if i and joined(i - 1) else None,
                        lower[i + size] if joined(i + size - 1) else None,
                    )
                )
    return found


def source_runs_by_definition(text: str, sizes: set[int], starts: set[str]) -> _SourceRuns:
    runs = runs_by_definition(text, sizes, starts)
    local = Counter(run[0] for run in runs)
    chosen = [
        (index, run)
        for index, run in enumerate(runs)
        if local[run[0]] <= RARE and len(run[0]) >= 6 and not _abbreviation(run[1])
    ]
    return _SourceRuns(
        "\n".join(run[0] for run in runs),
        "\n".join(run[3][0] for run in runs if len(run[3]) == 2),
        array("I", [index for index, _ in chosen]).tobytes(),
        "\n".join(run[1] for _, run in chosen),
        array("I", [run[2] for _, run in chosen]).tobytes(),
        "\n".join(word or "" for _, run in chosen for word in (run[4], run[5])),
    )


SIZES = {2, 3, 4}
STARTS = {"dak", "phong", "bo", "so", "uy", "trung"}
TEXTS = sorted(REPO.glob("content/*.md")) + sorted(REPO.glob("examples/*/content/*.md"))


def test_runs_of_the_real_texts_are_those_of_the_definition() -> None:
    count = 0
    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        runs = _source_runs(text, SIZES, STARTS)
        assert runs == source_runs_by_definition(text, SIZES, STARTS), path.name
        count += len(runs.lines("texts"))
    assert count > 10_000


@given(
    st.text(alphabet=st.sampled_from("aĐđắk *_\n,.9 PhòngXY"), max_size=120),
    st.sets(st.integers(1, 5), max_size=3),
)
@settings(max_examples=300, deadline=None)
def test_runs_of_any_text_are_those_of_the_definition(text: str, sizes: set[int]) -> None:
    assert _source_runs(text, sizes, STARTS) == source_runs_by_definition(text, sizes, STARTS)
