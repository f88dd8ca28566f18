"""The near-miss check's runs of words, computed fast, are those of their definition: every
run of `size` words joined by single spaces (emphasis marks allowed), runs of more than two
words only from a word that starts a glossary name; with the words before and after it."""

from __future__ import annotations

import re
import sys
from array import array
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from vanban.check.glossary import fold_keeping_length
from vanban.check.nearmiss import PendingRuns, _SourceRuns
from vanban.check.wordruns import RARE, Worker, abbreviation, source_runs
from vanban.cli import main
from vanban.pipeline import gather
from vanban.project import open_project

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
        if local[run[0]] <= RARE
        and len(run[0]) >= 6
        and not abbreviation(run[1])
        and not hyphenated(text, run[2], run[2] + len(run[1]))
    ]
    return _SourceRuns(
        "\n".join(run[0] for run in runs),
        "\n".join(run[3][0] for run in runs if len(run[3]) == 2),
        array("I", [index for index, _ in chosen]).tobytes(),
        "\n".join(run[1] for _, run in chosen),
        array("I", [run[2] for _, run in chosen]).tobytes(),
        "\n".join(word or "" for _, run in chosen for word in (run[4], run[5])),
    )


def hyphenated(text: str, start: int, end: int) -> bool:
    """A run whose first or last word is part of a word written with a hyphen (ki-ốt)."""
    return (text[end : end + 1] == "-" and text[end + 1 : end + 2].isalpha()) or (
        start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha()
    )


SIZES = {2, 3, 4}
STARTS = {"dak", "phong", "bo", "so", "uy", "trung"}
TEXTS = sorted(REPO.glob("content/*.md")) + sorted(REPO.glob("examples/*/content/*.md"))


def test_runs_of_the_real_texts_are_those_of_the_definition() -> None:
    count = 0
    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        runs = _SourceRuns(*source_runs(text, SIZES, STARTS))
        assert runs == source_runs_by_definition(text, SIZES, STARTS), path.name
        count += len(runs.lines("texts"))
    assert count > 10_000


@given(
    st.text(alphabet=st.sampled_from("aĐđắk *_\n,.9 -PhòngXY"), max_size=120),
    st.sets(st.integers(1, 5), max_size=3),
)
@settings(max_examples=300, deadline=None)
def test_runs_of_any_text_are_those_of_the_definition(text: str, sizes: set[int]) -> None:
    assert _SourceRuns(*source_runs(text, sizes, STARTS)) == source_runs_by_definition(
        text, sizes, STARTS
    )


def test_a_worker_cuts_the_runs_that_this_process_cuts() -> None:
    texts = [path.read_text(encoding="utf-8") for path in TEXTS[:6]]
    worker = Worker(texts, SIZES, STARTS)
    assert worker.process is not None
    assert worker.result() == [source_runs(text, SIZES, STARTS) for text in texts]
    assert worker.process.returncode == 0


@pytest.mark.parametrize("python", ["/nonexistent/python3", "/bin/false"])
def test_a_worker_that_cannot_start_or_fails_leaves_the_runs_to_this_process(
    python: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", python)
    texts = [path.read_text(encoding="utf-8") for path in TEXTS[:2]]
    assert Worker(texts, SIZES, STARTS).result() == [
        source_runs(text, SIZES, STARTS) for text in texts
    ]


def test_the_check_says_the_same_with_and_without_a_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from vanban.check import nearmiss

    monkeypatch.setenv("VANBAN_CACHE_DIR", "off")
    outputs = []
    started = []
    original = nearmiss.Worker
    monkeypatch.setattr(nearmiss, "Worker", lambda *a: started.append(1) or original(*a))
    for chars in (0, 10**12):  # every text through a worker; none
        monkeypatch.setattr(nearmiss, "WORKER_CHARS", chars)
        status = main(["check", str(REPO), "--show-acknowledged"])
        outputs.append((status, capsys.readouterr().out))
    assert started == [1]
    assert outputs[0] == outputs[1]
    assert "[near-miss]" in outputs[0][1]


@pytest.mark.parametrize(("worker_chars", "order"), [(0, "runs render"), (10**12, "render runs")])
def test_a_build_cuts_the_runs_once_before_rendering_when_a_worker_is_worth_it(
    monkeypatch: pytest.MonkeyPatch, worker_chars: int, order: str
) -> None:
    from vanban import pipeline
    from vanban.check import nearmiss, run

    events = []
    original = nearmiss.PendingRuns

    def counting(*args: object) -> object:
        events.append("runs")
        return original(*args)  # type: ignore[arg-type]

    decoded = []
    read_source = run.read_source
    render = pipeline.render
    monkeypatch.setattr(run, "WORKER_CHARS", worker_chars)
    monkeypatch.setattr(run, "PendingRuns", counting)
    monkeypatch.setattr(run, "read_source", lambda *a: decoded.append(a[0]) or read_source(*a))
    monkeypatch.setattr(pipeline, "render", lambda *a: events.append("render") or render(*a))
    project = open_project(REPO)
    gather(project)
    # a text too short for a worker is read by the check, after pandoc has its Markdown
    assert " ".join(events) == order
    assert decoded == [project.display(p) for p in project.content_files()]  # once each


def test_runs_started_for_other_sources_are_not_used() -> None:
    from vanban.cache import NO_CACHE
    from vanban.check.glossary import load_glossary
    from vanban.check.lint import read_source

    glossary, _ = load_glossary(REPO, NO_CACHE)
    sources = [read_source(f"content/{p.name}", p.read_bytes())[0] for p in TEXTS[:3]]
    pending = PendingRuns(sources, glossary)
    assert pending.usable(sources, glossary)
    edited = read_source(sources[1].display, b"# Khac\n\nMot dong khac.\n")[0]
    assert not pending.usable([sources[0], edited, sources[2]], glossary)
    assert not pending.usable(sources[:2], glossary)
