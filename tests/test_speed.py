"""The body converted by units in parallel and kept in the cache gives the document that one
pandoc run of the whole body gives, part for part; an edit converts only its unit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import copy_case
from vanban.cache import Cache
from vanban.narrative import Narrative
from vanban.ooxml import read_parts
from vanban.pandoc import BodyConversion, units_of
from vanban.pipeline import build_report, gather
from vanban.project import open_project

REPO = Path(__file__).resolve().parent.parent
PLAN = REPO / "examples" / "ke-hoach-2026-2030"


def copy_report(source: Path, dest: Path) -> Path:
    """Copy a report's sources (not its build/) to dest."""
    for folder in ("content", "data", "schema", "checks", "templates"):
        if (source / folder).exists():
            shutil.copytree(source / folder, dest / folder)
    return dest


def build_parts(
    root: Path, monkeypatch: pytest.MonkeyPatch, cache: Path | None, by_units: bool
) -> dict[str, bytes]:
    """Build the report with the cache at `cache` (None: off) and return its parts."""
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(cache) if cache else "off")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1718841600")
    out = root / "build" / ("units.docx" if by_units else "plain.docx")
    return read_parts(build_report(root, out, by_units=by_units).path)


def assert_same_parts(plain: dict[str, bytes], other: dict[str, bytes]) -> None:
    assert sorted(other) == sorted(plain)
    differing = [name for name in plain if plain[name] != other[name]]
    assert differing == []


def narrative_of(root: Path) -> Narrative:
    return gather(open_project(root)).narrative


@pytest.mark.parametrize("source", [REPO, PLAN], ids=["report", "plan"])
def test_units_cold_and_warm_give_the_plain_document(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_report(source, tmp_path / "report")
    plain = build_parts(root, monkeypatch, None, by_units=False)
    cache = tmp_path / "cache"
    cold = build_parts(root, monkeypatch, cache, by_units=True)
    warm = build_parts(root, monkeypatch, cache, by_units=True)
    assert_same_parts(plain, cold)
    assert_same_parts(plain, warm)
    assert b"footnoteReference" in plain["word/document.xml"]


def test_the_report_converts_in_parallel_then_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VANBAN_CACHE_DIR", "off")
    narrative = narrative_of(REPO)
    units = units_of(narrative.sections)
    assert len(units) == 7  # the opening with I, then II … V, VI with the closing paragraph
    assert "\n\n".join(units) == narrative.markdown
    reference = REPO / "templates" / "reference.docx"
    cache = Cache(tmp_path / "cache")
    first = BodyConversion(narrative.sections, reference, cache, jobs=2)
    groups = [group for group, _ in first.runs]
    assert len(groups) == 2 and sorted(i for group in groups for i in group) == list(range(7))
    loads = [sum(len(units[i]) for i in group) for group in groups]
    assert max(loads) < 0.6 * sum(loads)  # both cores get about half the work
    cold = first.result()
    again = BodyConversion(narrative.sections, reference, cache, jobs=2)
    assert again.converted == 0 and again.runs == []
    assert read_parts(again.result())["word/document.xml"] == read_parts(cold)["word/document.xml"]


def test_an_edit_converts_its_unit_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_report(REPO, tmp_path / "report")
    cache = tmp_path / "cache"
    build_parts(root, monkeypatch, cache, by_units=True)
    section = root / "content" / "05-danh-gia.md"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("\n\n", "\n\nMột câu thêm vào.\n\n", 1), encoding="utf-8")
    narrative = narrative_of(root)
    conversion = BodyConversion(
        narrative.sections, root / "templates" / "reference.docx", Cache(cache)
    )
    assert conversion.converted == 1
    conversion.cancel()
    edited = build_parts(root, monkeypatch, cache, by_units=True)
    plain = build_parts(root, monkeypatch, None, by_units=False)
    assert_same_parts(plain, edited)
    assert "Một câu thêm vào.".encode() in edited["word/document.xml"]


def test_equal_headings_in_two_units_give_the_plain_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pandoc names the bookmark of the second "Kết quả" apart from the first's: the units
    # cannot, so such a body is converted whole, with the same result.
    root = copy_case("minimal", tmp_path)
    (root / "content" / "02-them.md").write_text(
        "# KẾT QUẢ THỰC HIỆN\n\nMột [liên kết](https://example.org) và một chú thích[^x].\n\n"
        "1. Mục một\n2. Mục hai\n\n[^x]: Chú thích.\n",
        encoding="utf-8",
    )
    assert len(units_of(narrative_of(root).sections)) == 2
    plain = build_parts(root, monkeypatch, None, by_units=False)
    units = build_parts(root, monkeypatch, tmp_path / "cache", by_units=True)
    assert_same_parts(plain, units)
    assert b"example.org" in plain["word/_rels/document.xml.rels"]


def test_the_command_table_lists_every_command_and_imports_only_the_one_run() -> None:
    import argparse
    import subprocess
    import sys

    from vanban import cli

    every = next(a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert list(every.choices) == [command.name for command in cli.COMMANDS]
    script = (
        "import sys; from vanban import cli; cli.parser(['check', '.']); "
        "print(sorted(m for m in sys.modules if m.startswith(('vanban.diff', 'vanban.layout'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"


def test_a_schema_valid_once_is_not_checked_against_the_meta_schema_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vanban import project as project_module
    from vanban.project import load_facts, validate_facts

    root = copy_case("minimal", tmp_path)
    cache = Cache(tmp_path / "cache")
    report = open_project(root)
    facts, _ = load_facts(report, cache)
    assert validate_facts(facts, cache) == {"data/so-lieu.yaml": []}
    data = root / "data" / "so-lieu.yaml"
    data.write_text(data.read_text("utf-8").replace("2532", "2.532"), encoding="utf-8")
    checked = []
    real_check = project_module.check_schema
    monkeypatch.setattr(
        project_module, "check_schema", lambda *a: checked.append(a) or real_check(*a)
    )
    facts, _ = load_facts(report, cache)
    (problem,) = validate_facts(facts, cache)["data/so-lieu.yaml"]
    assert "expected a whole number" in problem.message and checked == []
    schema = root / "schema" / "so-lieu.yaml"
    schema.write_text(schema.read_text("utf-8") + "\nextra: {type: nonsense}\n", "utf-8")
    facts, _ = load_facts(report, cache)
    (problem,) = validate_facts(facts, cache)["data/so-lieu.yaml"]
    assert "invalid schema" in problem.message and len(checked) == 1


@pytest.mark.parametrize(
    ("module", "distribution"),
    [
        ("cerberus", "Cerberus"),
        ("jinja2", "Jinja2"),
        ("ruamel.yaml", "ruamel.yaml"),
    ],
)
def test_the_cache_key_names_each_cached_library_s_installed_version(
    module: str, distribution: str
) -> None:
    from importlib.metadata import version

    from vanban import cache

    assert module in cache.LIBRARIES
    names = cache.library_version(module).split("\0")[1:]
    assert any(name.lower().endswith(f"-{version(distribution)}.dist-info") for name in names)


def test_another_version_of_a_cached_library_misses_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vanban import cache

    store = Cache(tmp_path / "cache")
    store.put("facts", b"x: 1\n", {"x": 1})
    assert store.get("facts", b"x: 1\n") == {"x": 1}
    installed = cache.library_version
    monkeypatch.setattr(
        cache,
        "library_version",
        lambda module: (
            installed(module) + ("\0cerberus-9.9.dist-info" if module == "cerberus" else "")
        ),
    )
    cache.engine_fingerprint.cache_clear()
    try:
        assert store.get("facts", b"x: 1\n") is None
    finally:
        monkeypatch.undo()
        cache.engine_fingerprint.cache_clear()
    assert store.get("facts", b"x: 1\n") == {"x": 1}
