"""Fuzz: broken copies of the documents' sources never crash vanban.

Each example changes one source file of a copy of the reference report or of one of the
documents in examples/ (a line deleted, duplicated, the file cut short, a character
inserted, a number typed another way) and builds it. Whatever happens, no traceback
reaches the user; a failure prints only located problems (`path:line:col: error: …`),
file-level ones (`path: error: …`), the count line, or a one-line `error: …`; and a failed
build leaves build/ as it was.

CI runs a few examples with a fixed seed; VANBAN_FUZZ_EXAMPLES=500 runs more, at random.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import REPO
from vanban.cli import main

EXAMPLES = int(os.environ.get("VANBAN_FUZZ_EXAMPLES", "10"))
PARTS = ("content", "data", "schema", "checks", "templates")
# the reference report, and every document of examples/ (their own schemas, declarations
# and checks: anchors and aliases, appendix languages, rules)
PROJECTS = {"report": REPO} | {p.name: p for p in sorted((REPO / "examples").iterdir())}

ALLOWED_LINE = re.compile(
    r"^\S+:\d+(?::\d+)?: (?:error|warning): "  # located
    r"|^\S+: (?:error|warning): "  # a whole file (too large, not UTF-8, more errors)
    r"|^\d+ errors?(?:, \d+ warnings?)?; nothing was written$"  # the count, warnings beside
    r"|^error: "  # one line: pandoc, output, project
)
INSERTED = ["{", "}", "{{", "%}", "|", ":", "-", "[", "]", "^", "*", "&", "!", "#", "\t", "\"",
            "'", "\ufeff", "\u0301", "0", "9", ".", ",", "đ", "Ư", "\n", " "]  # fmt: skip


def _sources(root: Path) -> list[str]:
    names = [*sorted((root / "content").glob("*")), *sorted((root / "data").glob("*.yaml"))]
    names += [*sorted((root / "schema").glob("*.yaml")), *sorted((root / "checks").glob("*"))]
    return [p.relative_to(root).as_posix() for p in names if p.is_file()]


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A built copy of each project, by name."""
    copies = {}
    for name, source in PROJECTS.items():
        project = tmp_path_factory.mktemp("fuzz") / name
        for part in PARTS:
            if (source / part).is_dir():
                shutil.copytree(source / part, project / part)
        assert main(["build", str(project)]) == 0
        copies[name] = project
    return copies


def _renumber(text: str, choice: int, how: int) -> str:
    numbers = list(re.finditer(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", text))
    if not numbers:
        return text
    match = numbers[choice % len(numbers)]
    token = match.group()
    typed = [
        token + ".0",
        token.replace(".", ""),
        f'"{token}"',
        token[:-3] + "." + token[-3:] if len(token) > 3 else token + ".000",
        "1e30",
        "-" + token,
        "12345678901234567890123456",
        token.replace(".", ","),
    ][how % 8]
    return text[: match.start()] + typed + text[match.end() :]


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, str, str, int, int, str]:
    project = draw(st.sampled_from(sorted(PROJECTS)))
    name = draw(st.sampled_from(_sources(PROJECTS[project])))
    kind = draw(st.sampled_from(["delete", "duplicate", "truncate", "insert", "number", "value"]))
    where = draw(st.integers(min_value=0, max_value=10**6))
    how = draw(st.integers(min_value=0, max_value=13))
    char = draw(st.sampled_from(INSERTED))
    return project, name, kind, where, how, char


def mutate(text: str, kind: str, where: int, how: int, char: str) -> str:
    lines = text.split("\n")
    line = where % len(lines)
    if kind == "delete":
        del lines[line]
    elif kind == "duplicate":
        lines.insert(line, lines[line])
    elif kind == "truncate":
        return text[: where % (len(text) + 1)]
    elif kind == "insert":
        at = where % (len(text) + 1)
        return text[:at] + char + text[at:]
    elif kind == "value":
        return _revalue(text, where, how)
    else:
        return _renumber(text, where, how)
    return "\n".join(lines)


# What a key of YAML is given instead of its value: a rule's constraint of another kind, a
# pattern that does not compile, nothing, an alias.
VALUES = ['"x"', "[1]", "{}", "~", "true", "-1", "1.5", '"[a"', "nope", "[string, nope]",
          "{type: x}", '""', "[]", "*form"]  # fmt: skip


def _revalue(text: str, choice: int, how: int) -> str:
    values = list(re.finditer(r"(\w+): ([^,{}\n]+)", text))
    if not values:
        return text
    match = values[choice % len(values)]
    return text[: match.start(2)] + VALUES[how % len(VALUES)] + text[match.end(2) :]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="VANBAN_FUZZ_EXAMPLES" not in os.environ,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutation=mutations())
def test_broken_sources_never_crash(
    projects: dict[str, Path],
    mutation: tuple[str, str, str, int, int, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    project, name, kind, where, how, char = mutation
    report = projects[project]
    path = report / name
    original = path.read_bytes()
    (output,) = (report / "build").glob("*.docx")
    before = output.read_bytes()
    path.write_text(mutate(original.decode("utf-8"), kind, where, how, char), encoding="utf-8")
    try:
        capsys.readouterr()
        status = main(["build", str(report)])
        err = capsys.readouterr().err
    finally:
        path.write_bytes(original)
    event(f"exit status {status}")  # --hypothesis-show-statistics: how many builds failed
    assert "Traceback" not in err
    assert status in (0, 1), err
    if status == 1:
        assert output.read_bytes() == before
        strays = [line for line in err.splitlines() if not ALLOWED_LINE.match(line)]
        # a problem's message may go on over lines (pandoc's own message); its first line is
        # located: only continuation lines of an `error:` line are allowed
        assert not strays or err.startswith("error: "), strays
    else:  # a mutation the build accepts: put the reference's output back for the next one
        for built in output.parent.iterdir():
            built.unlink()
        output.write_bytes(before)
    assert [p.name for p in output.parent.iterdir()] == [output.name]  # no temporary file
