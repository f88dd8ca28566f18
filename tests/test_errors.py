"""Bad input gets exact, placed messages, all in one run, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CASES, copy_case
from vanban.cli import main

ERROR_CASES = sorted(p.parent.name for p in CASES.glob("*/expected-errors.txt"))


def test_there_are_error_cases() -> None:
    assert len(ERROR_CASES) >= 10


@pytest.mark.parametrize("name", ERROR_CASES)
def test_error_messages_are_exact(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = (CASES / name / "expected-errors.txt").read_text(encoding="utf-8")
    project = copy_case(name, tmp_path)
    assert main(["build", str(project)]) == 1
    captured = capsys.readouterr()
    assert captured.err == expected
    assert "Traceback" not in captured.err
    assert not (project / "build").exists()


def test_failed_build_keeps_the_last_good_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_case("minimal", tmp_path)
    assert main(["build", str(project)]) == 0
    output = project / "build" / "thu-nghiem.docx"
    good = output.read_bytes()
    data = project / "data" / "so-lieu.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("2532", "2.532"), encoding="utf-8")
    assert main(["build", str(project)]) == 1
    assert output.read_bytes() == good
    assert list((project / "build").iterdir()) == [output]
    assert "did you mean 2532?" in capsys.readouterr().err


def test_not_a_report_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"error: {tmp_path}: not a vanban report directory: "
        "missing content/, data/, data/document.yaml\n"
    )


def test_pandoc_failure_shows_command_and_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from vanban.ooxml import STYLES_PART, read_parts, write_parts

    project = copy_case("minimal", tmp_path)
    reference = project / "templates" / "reference.docx"
    parts = read_parts(reference)
    parts[STYLES_PART] = parts[STYLES_PART][:-40]  # a sound zip, a part pandoc cannot read
    reference.write_bytes(write_parts(parts))
    assert main(["build", str(project)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: pandoc failed (exit code ")
    assert "--reference-doc" in err and "reference.docx" in err
    assert "Invalid XML in word/styles.xml" in err
    assert not (project / "build").exists()


def test_templates_are_not_overwritten_once_edited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["templates", str(tmp_path)]) == 0
    masthead = tmp_path / "templates" / "masthead.docx"
    edited = masthead.read_bytes() + b"edited in Word"
    masthead.write_bytes(edited)
    capsys.readouterr()
    assert main(["templates", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"error: {masthead} differs from the default templates (edited?): nothing was "
        "written; use --force to replace them\n"
    )
    assert masthead.read_bytes() == edited
    assert main(["templates", str(tmp_path), "--force"]) == 0
    assert masthead.read_bytes() != edited


def test_a_schema_rule_an_alias_repeats_is_reported_once_where_it_is_written(
    tmp_path: Path,
) -> None:
    from vanban.facts import check_schema, load_yaml, plain

    schema = tmp_path / "bieu.yaml"
    schema.write_text(
        "b1: &form\n"
        "  type: dict\n"
        '  keysrules: {type: string, regex: "c[abc-9_]+"}\n'
        "b2: *form\n"
        "b3: *form\n",
        encoding="utf-8",
    )
    loaded, problems = load_yaml(schema, "schema/bieu.yaml")
    assert loaded is not None and problems == []
    found = check_schema(plain(loaded.document), "schema/bieu.yaml", loaded.document)
    assert [str(p) for p in found] == [
        "schema/bieu.yaml:3:29: error: invalid schema at b1.keysrules.regex: 'c[abc-9_]+' is "
        "not a regular expression (bad character range c-9 at position 4)"
    ]
