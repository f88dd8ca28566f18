"""The near-miss check's runs of words, computed fast, are those of their definition: every
run of `size` words joined by single spaces (emphasis marks allowed), runs of more than two
words only from a word that starts a glossary name; with the words before and after it."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from vanban.check.glossary import fold_keeping_length
from vanban.check.nearmiss import _runs

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


SIZES = {2, 3, 4}
STARTS = {"dak", "phong", "bo", "so", "uy", "trung"}
TEXTS = sorted(REPO.glob("content/*.md")) + sorted(REPO.glob("examples/*/content/*.md"))


def test_runs_of_the_real_texts_are_those_of_the_definition() -> None:
    count = 0
    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        runs = _runs(text, SIZES, STARTS)
        assert runs == runs_by_definition(text, SIZES, STARTS), path.name
        count += len(runs)
    assert count > 10_000


@given(
    st.text(alphabet=st.sampled_from("aĐđắk *_\n,.9 Phòng"), max_size=80),
    st.sets(st.integers(1, 5), max_size=3),
)
@settings(max_examples=300, deadline=None)
def test_runs_of_any_text_are_those_of_the_definition(text: str, sizes: set[int]) -> None:
    assert _runs(text, sizes, STARTS) == runs_by_definition(text, sizes, STARTS)
