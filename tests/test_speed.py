"""The body converted by units in parallel and kept in the cache gives the document that one
pandoc run of the whole body gives, part for part; an edit converts only its unit."""

from __future__ import annotations

import ast
import copy
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import copy_case
from vanban.cache import Cache
from vanban.narrative import Narrative, Renderer
from vanban.ooxml import DOCUMENT_PART, W_NS, markup_of, parse_xml, read_parts
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


def test_a_text_quoting_a_namespace_declaration_keeps_it_when_converted_by_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_case("minimal", tmp_path)
    said = 'Tệp XML khai báo xmlns:w="urn:vi:w" ở thẻ gốc, hoặc xmlns="urn:vi".'
    page = root / "content" / "01-ket-qua.md"
    page.write_text(page.read_text("utf-8") + "\n" + said + "\n", "utf-8")
    units = build_parts(root, monkeypatch, tmp_path / "cache", by_units=True)
    plain = build_parts(root, monkeypatch, None, by_units=False)
    texts = ["".join(p.itertext()) for p in parse_xml(units[DOCUMENT_PART]).iter(f"{{{W_NS}}}p")]
    assert said in texts
    assert units[DOCUMENT_PART] == plain[DOCUMENT_PART]


def test_markup_takes_the_declarations_out_of_the_tags_alone() -> None:
    from lxml import etree

    root = etree.fromstring(
        f'<w:body xmlns:w="{W_NS}"><w:p><w:r><w:t>x xmlns:a="b" &gt; y</w:t></w:r>'
        '<v:shape xmlns:v="urn:v" v:id="1"/></w:p></w:body>'
    )
    assert markup_of(root[0]) == (
        '<w:p><w:r><w:t>x xmlns:a="b" &gt; y</w:t></w:r><v:shape v:id="1"/></w:p>'
    )


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
    groups = first.groups
    assert len(groups) == 2 and sorted(i for group in groups for i in group) == list(range(7))
    loads = [sum(len(units[i]) for i in group) for group in groups]
    assert max(loads) < 0.6 * sum(loads)  # both cores get about half the work
    cold = first.result()
    again = BodyConversion(narrative.sections, reference, cache, jobs=2)
    assert again.converted == 0 and again.runs == []
    assert read_parts(again.result())["word/document.xml"] == read_parts(cold)["word/document.xml"]


@pytest.mark.parametrize(
    "source",
    [REPO, *sorted(p for p in (REPO / "examples").iterdir() if (p / "content").is_dir())],
    ids=lambda p: p.name,
)
def test_pieces_merged_as_text_give_the_document_merged_as_trees(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vanban.pandoc as pandoc

    narrative = narrative_of(source)
    reference = source / "templates" / "reference.docx"
    cache = Cache(tmp_path / "cache")
    BodyConversion(narrative.sections, reference, cache).result()
    kept = BodyConversion(narrative.sections, reference, cache)  # its pieces and skeleton
    assert kept.converted == 0 and kept.skeleton is not None
    skeleton, pieces = kept.skeleton, [p for p in kept.pieces if p is not None]
    as_text = pandoc.merge_parts(skeleton, pieces, "2026-01-01T00:00:00Z")
    as_trees = dict(skeleton.parts)
    pandoc._merge_trees(as_trees, pieces)
    assert as_text is not None
    as_trees["docProps/core.xml"] = as_text["docProps/core.xml"]
    assert_same_parts(as_trees, as_text)
    notes = as_text["word/footnotes.xml"].count(b"<w:footnote ")
    references = as_text["word/document.xml"].count(b"<w:footnoteReference ")
    assert references == notes - 2  # the separators are not cited
    # a skeleton of another shape is merged as trees, to the same document
    spaced = dict(skeleton.parts)
    spaced["word/document.xml"] = spaced["word/document.xml"].replace(
        b"<w:body>", b"<w:body>\n<!-- x -->", 1
    )
    odd = pandoc.merge_parts(pandoc.Skeleton(spaced), pieces, "2026-01-01T00:00:00Z")
    assert odd is not None
    assert odd["word/footnotes.xml"] == as_text["word/footnotes.xml"]
    assert odd["word/document.xml"].count(b"<w:footnoteReference ") == references


def test_large_units_take_more_runs_than_cores_one_core_at_a_time_and_the_same_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import vanban.pandoc as pandoc

    monkeypatch.setattr(pandoc, "RUN_BYTES", 20_000)  # the report's 58 000: three runs or more
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1718841600")
    running, most = [0], [0]
    lock = threading.Lock()
    real_init, real_result = pandoc.Conversion.__init__, pandoc.Conversion.result

    def started(self: pandoc.Conversion, *args: object, **kwargs: object) -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    def ended(self: pandoc.Conversion) -> bytes:
        try:
            return real_result(self)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(pandoc.Conversion, "__init__", started)
    monkeypatch.setattr(pandoc.Conversion, "result", ended)
    narrative = narrative_of(REPO)
    conversion = BodyConversion(
        narrative.sections, REPO / "templates" / "reference.docx", Cache(None), jobs=2
    )
    assert len(conversion.groups) >= 3 and conversion.converted == 7
    parts = read_parts(conversion.result())
    assert most[0] == 2  # two at a time, on two cores
    monkeypatch.setattr(pandoc.Conversion, "__init__", real_init)
    monkeypatch.setattr(pandoc.Conversion, "result", real_result)
    whole = BodyConversion(
        ("\n\n".join(narrative.sections),), REPO / "templates" / "reference.docx", Cache(None)
    )
    assert parts == read_parts(whole.result())


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


def record_calls(
    monkeypatch: pytest.MonkeyPatch,
    owner: object,
    name: str,
    calls: list[str],
    what: Callable[..., str] | None = None,
) -> None:
    """Let owner.name run as before, appending to calls what(*its arguments) (its name by
    default) at each call."""
    real = getattr(owner, name)

    def recording(*args: object, **kwargs: object) -> object:
        calls.append(what(*args) if what is not None else name)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recording)


def add_a_sentence(root: Path) -> None:
    """Edit one line of one section: a sentence at the end of its last line."""
    section = root / "content" / "05-danh-gia.md"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.rstrip("\n") + " Một câu thêm vào.\n", encoding="utf-8")


def built_then_edited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Copy the report, build it with a cache, then edit one line; return it and the cache."""
    root = copy_report(REPO, tmp_path / "report")
    cache = tmp_path / "cache"
    build_parts(root, monkeypatch, cache, by_units=True)
    add_a_sentence(root)
    return root, cache


def test_an_edit_of_the_text_loads_neither_docxtpl_nor_cerberus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    root, cache = built_then_edited(tmp_path, monkeypatch)
    script = (
        "import sys; from pathlib import Path; from vanban.pipeline import build_report; "
        f"build_report(Path({str(root)!r})); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'cerberus', 'docx', 'docxtpl'}))"
    )
    environment = {**os.environ, "VANBAN_CACHE_DIR": str(cache)}
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment
    )
    assert (run.returncode, run.stdout.strip()) == (0, "[]")
    # the metadata changed: it is validated and the masthead rendered again, and shows it
    metadata = root / "data" / "document.yaml"
    text = metadata.read_text(encoding="utf-8")
    metadata.write_text(text.replace("  name: Y Thanh", "  name: Nguyễn Văn Mới"), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment
    )
    assert (run.returncode, run.stdout.strip()) == (0, "['cerberus', 'docx', 'docxtpl']")
    assert (
        "Nguyễn Văn Mới".encode()
        in read_parts(root / "build" / "bao-cao-dak-glei-2024.docx")["word/document.xml"]
    )


SECTION = (
    "# Mở đầu\n\nSố {{ a | so }} hộ.\n\n\nDòng hai {{ b }}.\n\nBa {{ c.d }} và {{ a | so(1) }}.\n"
)


def _render_counting(
    path: Path, cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, list[str], int]:
    """Render one section; return its Markdown, its problems and how many pieces compiled."""
    from vanban import narrative as module
    from vanban import templating

    compiled = []
    original = templating.FactEnvironment.compile

    def counting(self: object, source: str, *args: object, **kwargs: object) -> object:
        compiled.append(source)
        return original(self, source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(templating.FactEnvironment, "compile", counting)
    rendered, problems = module.render_narrative(
        [("content/p.md", path)], {"a": 12345, "b": "x"}, cache=cache
    )
    monkeypatch.setattr(templating.FactEnvironment, "compile", original)
    return rendered.markdown, [str(p) for p in problems], len(compiled)


def test_plain_figures_are_printed_without_compiling_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.md"
    path.write_text(SECTION, encoding="utf-8")
    printed = _render_counting(path, Cache(None), monkeypatch)
    assert printed[2] == 0
    monkeypatch.setattr(Renderer, "plain", False)
    assert _render_counting(path, Cache(None), monkeypatch) == (*printed[:2], 3)


def test_an_edit_compiles_only_its_paragraph_and_problems_keep_their_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Renderer, "plain", False)  # every piece compiled, as Jinja's own
    path = tmp_path / "p.md"
    path.write_text(SECTION, encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    plain = _render_counting(path, Cache(None), monkeypatch)
    assert plain == (
        "# I. Mở đầu\n\nSố 12.345 hộ.\n\n\nDòng hai x.\n\nBa  và 12.345,0.\n",
        ["content/p.md:8:7: error: undefined name 'c' (names: a, b)"],
        3,  # each paragraph with a figure; the heading is text alone
    )
    assert _render_counting(path, cache, monkeypatch) == plain
    assert _render_counting(path, cache, monkeypatch)[2] == 0
    path.write_text(SECTION.replace("Dòng hai", "Dòng thứ hai"), encoding="utf-8")
    markdown, problems, compiled = _render_counting(path, cache, monkeypatch)
    assert compiled == 1
    assert "Dòng thứ hai x." in markdown and problems == plain[1]
    edited = SECTION.replace("Dòng hai", "Dòng thứ hai")
    path.write_text(edited.replace("Số", "Một dòng {{ b }} thêm.\n\nSố"), encoding="utf-8")
    markdown, problems, compiled = _render_counting(path, cache, monkeypatch)
    assert compiled == 1  # the new paragraph; the lines after it move, the pieces stay
    assert "Một dòng x thêm." in markdown
    assert problems == ["content/p.md:10:7: error: undefined name 'c' (names: a, b)"]


@pytest.mark.parametrize(
    "section",
    [
        "Một {{ a\n\n| so }} hai.\n\nBa {{ c }}.\n",  # a figure across a blank line
        "{% if a %}Một {{ a | so }}.\n\nHai.{% endif %}\n\nBa {{ c }}.\n",  # a statement
        "Một {{ b }}\n\n{{- b }} hai.\n\nBa {{ c }}.\n",  # whitespace control at an edge
    ],
    ids=["figure across paragraphs", "statement", "whitespace control"],
)
def test_a_section_that_cannot_be_cut_is_compiled_whole_with_the_same_result(
    section: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.md"
    path.write_text(section, encoding="utf-8")
    plain = _render_counting(path, Cache(None), monkeypatch)
    cached = _render_counting(path, Cache(tmp_path / "cache"), monkeypatch)
    assert cached[:2] == plain[:2]
    assert plain[1] == ["content/p.md:5:7: error: undefined name 'c' (names: a, b)"]


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


def _loaded_by_parser(arguments: list[str], modules: tuple[str, ...]) -> list[str]:
    """Return which of the modules (and their submodules) a new process has loaded once the
    command line's parser has read these arguments."""
    import subprocess
    import sys

    script = (
        f"import sys; from vanban import cli; cli.parser({arguments!r}).parse_args({arguments!r}); "
        f"print(sorted(m for m in sys.modules if m.startswith({modules!r})))"
    )
    printed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return list(ast.literal_eval(printed))


def test_the_command_table_lists_every_command_and_imports_only_the_one_run() -> None:
    import argparse

    from vanban import cli

    every = next(a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert list(every.choices) == [command.name for command in cli.COMMANDS]
    assert _loaded_by_parser(["check", "."], ("vanban.diff", "vanban.layout")) == []
    # a build without --pdf does not load the PDF step
    assert _loaded_by_parser(["build", "."], ("vanban.pdf",)) == []
    assert _loaded_by_parser(["build", ".", "--pdf"], ("vanban.pdf",)) == []  # nor to parse it


def test_a_schema_valid_once_is_not_checked_against_the_meta_schema_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vanban import facts as facts_module
    from vanban.project import load_facts, validate_facts

    root = copy_case("minimal", tmp_path)
    cache = Cache(tmp_path / "cache")
    report = open_project(root)
    facts, _ = load_facts(report, cache)
    assert validate_facts(facts, cache) == {"data/so-lieu.yaml": []}
    data = root / "data" / "so-lieu.yaml"
    data.write_text(data.read_text("utf-8").replace("2532", "2.532"), encoding="utf-8")
    checked = []
    real_check = facts_module.check_schema
    monkeypatch.setattr(
        facts_module, "check_schema", lambda *a: checked.append(a) or real_check(*a)
    )
    facts, _ = load_facts(report, cache)
    (problem,) = validate_facts(facts, cache)["data/so-lieu.yaml"]
    assert "expected a whole number" in problem.message and checked == []
    schema = root / "schema" / "so-lieu.yaml"
    schema.write_text(schema.read_text("utf-8") + "\nextra: {type: nonsense}\n", "utf-8")
    facts, _ = load_facts(report, cache)
    (problem,) = validate_facts(facts, cache)["data/so-lieu.yaml"]
    assert "invalid schema" in problem.message and len(checked) == 1


_TYPE_NAMES = ["dict", "list", "count", "money", "percent", "decimal", "string", "boolean"]
_ODD = st.one_of(st.none(), st.integers(-1, 2), st.sampled_from(["nonsense", "x"]))


@st.composite
def _rules(draw: st.DrawFn, depth: int = 0) -> dict[str, object]:
    """Field rules as a schema writes them; one in eight with a constraint Cerberus refuses."""
    valid = {
        "type": st.sampled_from(_TYPE_NAMES) | st.lists(st.sampled_from(_TYPE_NAMES), min_size=1),
        "required": st.booleans(),
        "nullable": st.booleans(),
        "empty": st.booleans(),
        "allow_unknown": st.booleans(),
        "meta": st.dictionaries(st.sampled_from(["unit", "label"]), st.text(max_size=3)),
        "regex": st.sampled_from(["[a-z]+", "^\\d+$"]),
        "min": st.integers(-2, 2) | st.floats(-1, 1),
        "max": st.integers(-2, 2),
        "minlength": st.integers(0, 3),
        "allowed": st.lists(st.sampled_from(["a", "b", 1]), max_size=3),
        "excludes": st.sampled_from(["so_ho", "ty_le"]) | st.lists(st.sampled_from(["so_ho"])),
    }
    rules: dict[str, object] = {}
    for rule in draw(st.lists(st.sampled_from(sorted(valid)), max_size=4, unique=True)):
        rules[rule] = draw(valid[rule])
    kind = rules.get("type")
    if depth < 2 and draw(st.booleans()):
        nested = _rules(depth + 1)
        if kind == "dict" or draw(st.integers(0, 7)) == 0:
            rules["schema"] = draw(st.dictionaries(st.sampled_from(["a", "b"]), nested, max_size=2))
        elif kind == "list" or isinstance(kind, list) and "list" in kind:
            rules["schema"] = draw(nested)
        else:
            rules[draw(st.sampled_from(["keysrules", "valuesrules"]))] = draw(nested)
    if draw(st.integers(0, 7)) == 0:  # a constraint of the wrong kind, or a rule of no kind
        odd = st.one_of(st.none(), st.integers(-1, 2), st.sampled_from(["nonsense", "x"]))
        rules[draw(st.sampled_from([*valid, "schema", "coerce", "typo", "keysrules"]))] = draw(odd)
    return rules


_SCHEMAS = st.dictionaries(st.sampled_from(["so_ho", "ty_le", "ten"]), _rules(), max_size=3)


@settings(max_examples=400, deadline=None)
@given(_SCHEMAS)
def test_a_schema_taken_without_the_meta_schema_is_one_cerberus_accepts(schema: object) -> None:
    from cerberus.schema import SchemaError

    from vanban.facts import _validators, plainly_valid

    if plainly_valid(schema):
        try:
            validator = _validators()[0](copy.deepcopy(schema))
        except SchemaError as exc:  # pragma: no cover - the failure being tested for
            pytest.fail(f"taken without the meta-schema, yet Cerberus refuses it: {exc}")
        # and used as it is written: Cerberus's expansion of it would change nothing
        assert validator.schema.schema == schema


@pytest.mark.parametrize("source", [REPO, PLAN], ids=["report", "plan"])
def test_the_example_schemas_and_the_metadata_s_need_no_meta_schema(source: Path) -> None:
    from vanban.facts import load_yaml, plain, plainly_valid
    from vanban.metadata import _schema

    schemas = sorted((source / "schema").glob("*.yaml"))
    assert schemas and all(
        plainly_valid(plain(load_yaml(path, path.name)[0].document))  # type: ignore[union-attr]
        for path in schemas
    )
    assert plainly_valid(_schema(Cache(None)))


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

    from vanban import inputs

    assert module in inputs.LIBRARIES
    names = inputs.library_version(module).split("\0")[1:]
    assert any(name.lower().endswith(f"-{version(distribution)}.dist-info") for name in names)


def test_another_version_of_a_cached_library_misses_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vanban import inputs
    from vanban.cache import Cache

    store = Cache(tmp_path / "cache")
    store.put("facts", b"x: 1\n", {"x": 1})
    assert store.get("facts", b"x: 1\n") == {"x": 1}
    installed = inputs.library_version
    monkeypatch.setattr(
        inputs,
        "library_version",
        lambda module: (
            installed(module) + ("\0cerberus-9.9.dist-info" if module == "cerberus" else "")
        ),
    )
    inputs.engine_fingerprint.cache_clear()
    try:
        assert store.get("facts", b"x: 1\n") is None
    finally:
        monkeypatch.undo()
        inputs.engine_fingerprint.cache_clear()
    assert store.get("facts", b"x: 1\n") == {"x": 1}


# --------------------------------------------------------------- the kept whole result


def _cli_build(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[bytes, str, str]:
    """Run `vanban build root`; return the document and what it printed (its time left out)."""
    import re

    from vanban.cli import main

    assert main(["build", str(root)]) == 0
    printed = capsys.readouterr()
    out = re.sub(r" in \d+\.\d\d s;", " in … s;", printed.out)
    return (root / "build" / "thu-nghiem.docx").read_bytes(), out, printed.err


@pytest.fixture
def full_builds(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Count the builds that gather and convert (not answered from a kept result)."""
    import vanban.pipeline

    calls: list[Path] = []
    real = vanban.pipeline._build_fully

    def counting(root: Path, *args: object, **kwargs: object) -> object:
        calls.append(root)
        return real(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(vanban.pipeline, "_build_fully", counting)
    return calls


def _plain(root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Build with the cache off: what a build of these sources writes and prints."""
    cache = os.environ["VANBAN_CACHE_DIR"]
    monkeypatch.setenv("VANBAN_CACHE_DIR", "off")
    try:
        return _cli_build(root, capsys)
    finally:
        monkeypatch.setenv("VANBAN_CACHE_DIR", cache)


def _git(root: Path, *args: str) -> None:
    import subprocess

    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
    )


def test_a_kept_build_writes_and_prints_what_a_full_build_does(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    full_builds: list[Path],
) -> None:
    from vanban.provenance import read_properties

    root = copy_case("minimal", tmp_path)
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1718841600")
    _git(root, "init", "-q")
    first = _cli_build(root, capsys)
    assert len(full_builds) == 1
    assert "warning: footnote marker [^qd-90-2022] right after a number" in first[2]
    assert first == _cli_build(root, capsys) == _plain(root, capsys, monkeypatch)
    assert len(full_builds) == 2  # the second build was answered from the kept result

    # What is stamped on the document is made anew: the time, the revision, dirty or not.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "draft")
    kept = _cli_build(root, capsys)
    assert len(full_builds) == 2
    assert kept == _plain(root, capsys, monkeypatch)
    properties = read_properties(read_parts(kept[0]))
    assert properties["vanban.built"] == "2025-06-15T15:06:40Z"
    assert properties["vanban.dirty"] == "false" and len(properties["vanban.revision"]) == 40
    assert read_properties(read_parts(first[0]))["vanban.built"] == "2024-06-20T00:00:00Z"


def test_a_redline_of_kept_drafts_loads_no_template_engine(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = copy_case("minimal", tmp_path)
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "draft")
    CHANGES["content"](root)
    environment = {**os.environ, "VANBAN_CACHE_DIR": str(tmp_path / "cache")}
    script = (
        "import sys; from vanban.cli import main; "
        f"status = main(['diff', 'HEAD', '.', '--docx', {str(tmp_path / 'r.docx')!r}]); "
        "print(status, sorted({m.split('.')[0] for m in sys.modules} & {'jinja2', 'docxtpl'}))"
    )
    # the first renders both drafts and lays out the masthead; the next reads them all kept
    for expected in ("0 ['docxtpl', 'jinja2']", "0 []"):
        run = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env=environment,
            cwd=root,  # HEAD is the draft's
        )
        assert (run.returncode, run.stdout.strip().splitlines()[-1]) == (0, expected)
    assert ": 2 tracked changes, working tree against HEAD" in run.stderr


def _waive(root: Path) -> None:
    """Acknowledge the minimal case's warning in checks/waivers.yaml."""
    (root / "checks").mkdir()
    (root / "checks" / "waivers.yaml").write_text(
        "waivers:\n  - rule: footnote-placement\n    at: '[^qd-90-2022]'\n"
        "    reason: Như ban hành.\n    by: người soạn\n    date: 2026-01-05\n"
        '    accepted: {fingerprint: "94a169a4ab2d"}\n',
        "utf-8",
    )


def _rezip(path: Path) -> None:
    """Write a Word file again with its parts in another order: other bytes, same content."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in reversed(parts):
            archive.writestr(name, data)


CHANGES = {
    "content": lambda root: (root / "content" / "01-ket-qua.md").write_text(
        (root / "content" / "01-ket-qua.md").read_text("utf-8") + "\nMột câu thêm vào.\n", "utf-8"
    ),
    "a new content file": lambda root: (root / "content" / "02-them.md").write_text(
        "# KIẾN NGHỊ\n\nMột kiến nghị.\n", "utf-8"
    ),
    "data": lambda root: (root / "data" / "so-lieu.yaml").write_text(
        (root / "data" / "so-lieu.yaml").read_text("utf-8").replace("2532", "2533"), "utf-8"
    ),
    "metadata": lambda root: (root / "data" / "document.yaml").write_text(
        (root / "data" / "document.yaml").read_text("utf-8") + "# sửa lần 2\n", "utf-8"
    ),
    "schema": lambda root: (root / "schema" / "so-lieu.yaml").write_text(
        (root / "schema" / "so-lieu.yaml").read_text("utf-8") + "\n# sửa\n", "utf-8"
    ),
    "checks": lambda root: _waive(root),
    "masthead template": lambda root: _rezip(root / "templates" / "masthead.docx"),
    "reference document": lambda root: _rezip(root / "templates" / "reference.docx"),
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_a_changed_source_is_built_again(
    change: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    full_builds: list[Path],
) -> None:
    root = copy_case("minimal", tmp_path)
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1718841600")
    before = _cli_build(root, capsys)
    CHANGES[change](root)
    after = _cli_build(root, capsys)
    assert len(full_builds) == 2
    assert after == _plain(root, capsys, monkeypatch)
    if change in ("content", "a new content file", "data", "checks"):
        assert after != before  # the text, a figure or the findings printed differ


@pytest.mark.parametrize("what", ["engine", "toolchain", "conversion by units"])
def test_a_changed_engine_or_toolchain_builds_again(
    what: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, full_builds: list[Path]
) -> None:
    import vanban.inputs
    import vanban.kept

    root = copy_case("minimal", tmp_path)
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    build_report(root)
    build_report(root)
    assert len(full_builds) == 1
    if what == "engine":  # vanban's code, the Python version or a library changed
        monkeypatch.setattr(vanban.inputs, "engine_fingerprint", lambda: "another engine")
        build_report(root)
    elif what == "toolchain":  # another pandoc binary, zlib or locale
        real = vanban.kept.toolchain
        monkeypatch.setattr(vanban.kept, "toolchain", lambda: real() + b"\0another pandoc")
        build_report(root)
    else:
        build_report(root, by_units=False)
    assert len(full_builds) == 2


def test_a_source_saved_during_a_build_is_not_kept_under_the_old_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, full_builds: list[Path]
) -> None:
    import vanban.pipeline

    root = copy_case("minimal", tmp_path)
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    section = root / "content" / "01-ket-qua.md"
    original = section.read_text("utf-8")
    counting = vanban.pipeline._build_fully

    def saved_meanwhile(*args: object, **kwargs: object) -> object:
        section.write_text(original + "\nLưu trong khi dựng.\n", "utf-8")
        return counting(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(vanban.pipeline, "_build_fully", saved_meanwhile)
    build_report(root)  # read the original, built the saved text
    monkeypatch.setattr(vanban.pipeline, "_build_fully", counting)
    section.write_text(original, "utf-8")
    built = build_report(root)
    assert len(full_builds) == 2  # the first result was not kept under the original text
    assert "Lưu trong khi dựng".encode() not in read_parts(built.path)["word/document.xml"]


def _cli_check(root: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    from vanban.cli import main

    status = main(["check", str(root), *options])
    return status, capsys.readouterr().out


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Count the checks that gather and check (not answered from a kept result)."""
    import vanban.check.command

    calls: list[Path] = []
    real = vanban.check.command._check_fully

    def counting(project: object) -> object:
        calls.append(project.root)  # type: ignore[attr-defined]
        return real(project)  # type: ignore[arg-type]

    monkeypatch.setattr(vanban.check.command, "_check_fully", counting)
    return calls


@pytest.mark.parametrize("change", ["content", "data", "metadata", "schema", "checks"])
def test_a_kept_check_prints_what_a_check_prints_until_a_source_changes(
    change: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    full_checks: list[Path],
) -> None:
    root = copy_case("minimal", tmp_path)
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    first = [_cli_check(root, capsys), _cli_check(root, capsys, "--format", "json")]
    assert "warning: footnote marker [^qd-90-2022] right after a number" in first[0][1]
    again = [_cli_check(root, capsys), _cli_check(root, capsys, "--format", "json")]
    assert again == first and len(full_checks) == 1
    monkeypatch.setenv("VANBAN_CACHE_DIR", "off")
    assert [_cli_check(root, capsys), _cli_check(root, capsys, "--format", "json")] == first
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    CHANGES[change](root)
    changed = _cli_check(root, capsys)
    assert len(full_checks) == 4  # two with the cache off, one after the change
    monkeypatch.setenv("VANBAN_CACHE_DIR", "off")
    assert changed == _cli_check(root, capsys)
    if change == "checks":
        assert changed != first[0]  # the warning is acknowledged now


def test_a_kept_check_keeps_its_exit_status_with_each_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_case("minimal", tmp_path)
    monkeypatch.setenv("VANBAN_CACHE_DIR", "off")
    plain = [_cli_check(root, capsys, *options) for options in ((), ("--strict",))]
    assert [status for status, _ in plain] == [0, 1]  # warnings fail only a strict check
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    for _ in range(2):  # checked, then printed from what was kept
        assert [_cli_check(root, capsys, *options) for options in ((), ("--strict",))] == plain


def test_an_edit_of_the_text_checks_that_file_and_not_the_facts_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import vanban.check.run as run

    root = copy_report(REPO, tmp_path / "report")
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    calls: list[str] = []
    record_calls(monkeypatch, run, "_check_facts", calls)
    record_calls(monkeypatch, run, "lint_source", calls, lambda source, *_: source.display)
    first = _cli_check(root, capsys)
    assert calls.count("_check_facts") == 1 and len(calls) == 1 + 8  # the facts, 8 files
    add_a_sentence(root)
    calls.clear()
    edited = _cli_check(root, capsys)
    assert calls == ["content/05-danh-gia.md"]
    monkeypatch.setenv("VANBAN_CACHE_DIR", "off")
    assert _cli_check(root, capsys) == edited
    assert edited[1].splitlines()[-1] == first[1].splitlines()[-1]  # the same counts


def test_an_edit_renders_the_file_it_changed_and_a_figure_renders_them_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vanban.narrative import Renderer

    rendered: list[str] = []
    root, cache = built_then_edited(tmp_path, monkeypatch)
    record_calls(monkeypatch, Renderer, "render", rendered, lambda _, source, text: source)
    edited = build_parts(root, monkeypatch, cache, by_units=True)
    assert rendered == ["content/05-danh-gia.md"]
    assert_same_parts(build_parts(root, monkeypatch, None, by_units=False), edited)
    rendered.clear()
    data = root / "data" / "ngheo.yaml"
    data.write_text(data.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build_parts(root, monkeypatch, cache, by_units=True)
    assert len(rendered) == 8  # a data file changed: every file renders with the new facts


def test_the_same_sources_elsewhere_are_not_rendered_or_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vanban.check.run as run
    import vanban.pandoc as pandoc
    import vanban.pipeline as pipeline

    first = copy_report(REPO, tmp_path / "first")
    cache = tmp_path / "cache"
    build_parts(first, monkeypatch, cache, by_units=True)
    calls: list[str] = []
    for module, name in ((pipeline, "render"), (run, "_check_facts"), (run, "lint_source")):
        record_calls(monkeypatch, module, name, calls)
    record_calls(monkeypatch, pandoc.Conversion, "feed", calls)
    elsewhere = copy_report(REPO, tmp_path / "elsewhere")  # as `vanban diff` takes a draft
    there = build_parts(elsewhere, monkeypatch, cache, by_units=True)
    assert calls == []  # nor converted: the reference document counts by its bytes
    assert_same_parts(build_parts(elsewhere, monkeypatch, None, by_units=False), there)


def test_a_kept_build_writes_the_appendices_own_files_and_removes_stale_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, full_builds: list[Path]
) -> None:
    root = copy_case("appendix-basic", tmp_path)
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1718841600")
    document = root / "data" / "document.yaml"
    together = document.read_text("utf-8")
    separate = together + "issuance: electronic\nappendix_files: separate\n"
    build_dir = root / "build"

    def written() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(build_dir.iterdir())}

    outputs = {}
    for text in (separate, together):
        document.write_text(text, "utf-8")
        monkeypatch.setenv("VANBAN_CACHE_DIR", "off")
        shutil.rmtree(build_dir, ignore_errors=True)
        build_report(root)
        outputs[text] = written()
    assert len(outputs[separate]) == 3 and len(outputs[together]) == 1
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    for text in (separate, together, separate, together):  # full, full, kept, kept
        document.write_text(text, "utf-8")
        build_report(root)
        assert written() == outputs[text]
    assert len(full_builds) == 2 + 2  # the two without the cache, then two; two were kept


def test_a_render_that_ran_out_of_time_is_not_kept(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    full_checks: list[Path],
) -> None:
    # Whether a section renders within the deadline depends on the machine, not only on
    # the sources: such a result is kept neither as the narrative nor as the check's.
    root = copy_case("minimal", tmp_path)
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    section = root / "content" / "01-ket-qua.md"
    loops = "{% for i in range(3000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}"
    section.write_text(section.read_text("utf-8") + f"\n{loops}\n", "utf-8")
    monkeypatch.setattr("vanban.narrative.MAX_RENDER_SECONDS", 0.02)
    status, out = _cli_check(root, capsys)
    assert status == 1 and "takes more than 0.02 s to render" in out
    monkeypatch.setattr("vanban.narrative.MAX_RENDER_SECONDS", 60)
    status, out = _cli_check(root, capsys)
    assert status == 0 and "to render" not in out and len(full_checks) == 2
    build_report(root)  # the narrative that ran out of time was not kept either


def test_pandoc_runs_with_a_small_heap_and_writes_the_same_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vanban.pandoc import convert_body
    from vanban.pandoc_command import COMPACT_FROM, RUNTIME_OPTIONS, pandoc_environment

    monkeypatch.delenv("GHCRTS", raising=False)
    assert pandoc_environment()["GHCRTS"] == RUNTIME_OPTIONS == "-H8m -O32m"
    assert pandoc_environment(COMPACT_FROM)["GHCRTS"] == "-H8m -O32m -c"  # long: compacted
    monkeypatch.setenv("VANBAN_CACHE_DIR", "off")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1718841600")  # pandoc dates the document by it
    narrative = narrative_of(REPO)
    reference = REPO / "templates" / "reference.docx"
    small = read_parts(convert_body((narrative.markdown,), reference))
    monkeypatch.setenv("GHCRTS", "-H8m -O32m -c")
    compacted = read_parts(convert_body((narrative.markdown,), reference))
    monkeypatch.setenv("GHCRTS", "")  # the user's own options (here: pandoc's defaults)
    assert pandoc_environment()["GHCRTS"] == ""
    default = read_parts(convert_body((narrative.markdown,), reference))
    assert_same_parts(default, small)
    assert_same_parts(default, compacted)


def test_the_cache_is_kept_under_its_size_the_oldest_entries_going_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    directory = tmp_path / "cache"
    directory.mkdir()
    now = time.time()
    for age in range(10):  # ten entries of 200 kB, written 10 … 1 days ago
        entry = directory / f"narrative-{age}"
        entry.write_bytes(b"x" * 200_000)
        os.utime(entry, (now - (10 - age) * 86400, now - (10 - age) * 86400))
    monkeypatch.setenv("VANBAN_CACHE_MAX_MB", "1")  # 1 048 576 bytes: the ten take 2 000 000
    cache = Cache(directory)
    cache.put("check-result", b"a check", "kept")  # the day's first write prunes
    left = sorted(p.name for p in directory.iterdir() if p.name.startswith("narrative-"))
    assert left == [f"narrative-{age}" for age in range(6, 10)]  # 800 kB, under 4/5 of 1 MB
    assert cache.get("check-result", b"a check") == "kept"
    for age in range(3):  # written since: the next prune is tomorrow's
        (directory / f"extra-{age}").write_bytes(b"x" * 200_000)
    Cache(directory).put("check-result", b"another", "kept")
    assert len(list(directory.glob("extra-*"))) == 3
    assert Cache(directory).prune(1_048_576) == 3  # asked now: 1 400 000 bytes → 800 000
    left = sorted(p.name for p in directory.iterdir() if p.name.startswith(("narrative", "extra")))
    assert left == ["extra-0", "extra-1", "extra-2", "narrative-9"]


def edited_drafts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Copy the report as drafts a and b, b with a sentence more; return b (the dates of
    the documents fixed)."""
    copy_report(REPO, tmp_path / "a")
    b = copy_report(REPO, tmp_path / "b")
    add_a_sentence(b)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1718841600")
    return b


def test_the_redline_by_units_is_the_redline_of_one_run_and_an_edit_converts_one_unit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vanban.diff.conversion as conversion_module
    import vanban.pandoc as pandoc
    from vanban.diff.compare import compare
    from vanban.diff.redline import redline_docx
    from vanban.diff.revisions import Author
    from vanban.diff.sides import Workspace

    b = edited_drafts(tmp_path, monkeypatch)
    author = Author("vanban", "2024-06-01T08:00:00Z")

    def redline(cache: Path | None) -> dict[str, bytes]:
        monkeypatch.setenv("VANBAN_CACHE_DIR", str(cache) if cache else "off")
        with Workspace() as workspace:
            comparison = compare("a", "b", tmp_path, workspace)
            return read_parts(redline_docx(comparison, author).docx)

    class OneRun(pandoc.Units):
        @classmethod
        def of_tree(cls, document: object, reference: Path, by_units: bool = True) -> Units:
            return pandoc.Units.of_tree(document, reference, by_units=False)  # type: ignore

    Units = pandoc.Units
    cache = tmp_path / "cache"
    runs: list[str] = []
    record_calls(
        monkeypatch,
        pandoc.Conversion,
        "feed",
        runs,
        lambda _, text: text.startswith('{"pandoc-api-version"'),
    )
    cold = redline(cache)
    assert runs.count(True) == 2  # the redline's units, on both cores
    runs.clear()
    assert_same_parts(cold, redline(cache))
    assert runs.count(True) == 0
    section = b / "content" / "05-danh-gia.md"
    section.write_text(section.read_text(encoding="utf-8") + "Câu thứ hai.\n", encoding="utf-8")
    edited = redline(cache)
    assert runs.count(True) == 1  # the unit with the edit alone
    with monkeypatch.context() as patch:
        patch.setattr(conversion_module, "Units", OneRun)
        plain = redline(None)
    assert_same_parts(plain, edited)
    assert "Câu thứ hai.".encode() in edited["word/document.xml"]


def test_a_side_s_tree_read_by_units_is_the_tree_of_one_reading_and_an_edit_reads_one_unit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vanban.pandoc as pandoc
    from vanban.diff.sides import Side, marked_parts
    from vanban.diff.tree import TreeReader, block_text

    root = copy_report(REPO, tmp_path / "report")
    monkeypatch.setenv("VANBAN_CACHE_DIR", "off")

    def parts_of() -> tuple[tuple[str, ...], tuple[str, ...]]:
        side = Side(".", "working tree", open_project(root))
        return marked_parts(side, narrative_of(root))

    def read(parts: tuple[str, ...], names: tuple[str, ...], cache: Cache) -> object:
        reader = TreeReader(cache, jobs=2)
        reader.feed(parts)
        return reader.result(names)

    runs: list[int] = []
    record_calls(monkeypatch, pandoc.Conversion, "feed", runs, lambda _, text: len(text))
    cache = Cache(tmp_path / "cache")
    parts, names = parts_of()
    assert len(names) == 8 and names[0] == "content/00-mo-dau.md"
    cold = read(parts, names, cache)
    assert len(runs) == 2
    runs.clear()
    assert read(parts, names, cache) == cold and runs == []
    add_a_sentence(root)
    parts, names = parts_of()
    edited = read(parts, names, cache)
    assert len(runs) == 1 and runs[0] < len("\n\n".join(parts)) / 4  # its unit alone
    whole = TreeReader()
    whole.feed("\n\n".join(parts))  # one part: one reading of the whole
    assert edited == whole.result(names)
    assert any("Một câu thêm vào." in block_text(block.node) for block in edited.blocks)
    assert {block.section for block in edited.blocks} == set(names)


def test_equal_headings_in_two_units_are_read_as_one_reading_names_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vanban.diff.sides import Side, marked_parts
    from vanban.diff.tree import TreeReader

    monkeypatch.setenv("VANBAN_CACHE_DIR", "off")
    # "## Vốn thực hiện" is "1. Vốn thực hiện" under both top-level headings: pandoc names
    # the second apart from the first, which units read alone cannot do.
    root = copy_case("minimal", tmp_path)
    (root / "content" / "99-them.md").write_text(
        "# KẾT QUẢ KHÁC\n\n## Vốn thực hiện\n\nMột đoạn.\n", encoding="utf-8"
    )
    parts, names = marked_parts(Side(".", "", open_project(root)), narrative_of(root))
    by_units = TreeReader(Cache(tmp_path / "cache"), jobs=2)
    by_units.feed(parts)
    whole = TreeReader()
    whole.feed("\n\n".join(parts))
    tree = by_units.result(names)
    assert tree == whole.result(names)
    identifiers = [b.node["c"][1][0] for b in tree.blocks if b.node["t"] == "Header"]
    assert identifiers.count("vốn-thực-hiện") == 1 and "vốn-thực-hiện-1" in identifiers


def test_an_edit_of_the_text_lays_no_appendix_out_again_and_one_of_an_appendix_lays_it_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vanban.appendix.docx import AppendixSection

    root, cache = built_then_edited(tmp_path, monkeypatch)
    laid_out: list[str] = []
    record_calls(monkeypatch, AppendixSection, "markup", laid_out, lambda s, _: s.appendix.heading)
    edited = build_parts(root, monkeypatch, cache, by_units=True)
    assert laid_out == []
    assert_same_parts(build_parts(root, monkeypatch, None, by_units=False), edited)
    laid_out.clear()
    declaration = root / "content" / "appendices.yaml"
    text = declaration.read_text(encoding="utf-8")
    declaration.write_text(
        text.replace("title: Kết quả phân bổ vốn", "title: Phân bổ vốn", 1), "utf-8"
    )
    changed = build_parts(root, monkeypatch, cache, by_units=True)
    assert laid_out == ["Phụ lục 01"]  # the appendix that changed, alone
    assert "PHÂN BỔ VỐN SỰ NGHIỆP".encode() in changed["word/document.xml"]


def test_a_redline_of_the_text_alone_is_the_redline_that_compares_around_the_body_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vanban.diff.redline as redline_module
    from vanban.diff.compare import compare
    from vanban.diff.redline import differs_around_body, redline_docx
    from vanban.diff.revisions import Author
    from vanban.diff.sides import Workspace

    b = edited_drafts(tmp_path, monkeypatch)
    author = Author("vanban", "2024-06-01T08:00:00Z")
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    with Workspace() as workspace:
        comparison = compare("a", "b", tmp_path, workspace)
        assert not differs_around_body(comparison)
        alone = read_parts(redline_docx(comparison, author).docx)
        monkeypatch.setattr(redline_module, "differs_around_body", lambda _: True)
        around = read_parts(redline_docx(comparison, author).docx)
    assert_same_parts(around, alone)
    # a signer, a figure of an appendix or a template: compared around the body
    metadata = b / "data" / "document.yaml"
    text = metadata.read_text(encoding="utf-8")
    metadata.write_text(text.replace("  name: Y Thanh", "  name: Nguyễn Văn Mới"), encoding="utf-8")
    monkeypatch.undo()
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    with Workspace() as workspace:
        assert differs_around_body(compare("a", "b", tmp_path, workspace))
    (b / "templates" / "extra.txt").write_text("x", encoding="utf-8")
    metadata.write_text(text, encoding="utf-8")
    with Workspace() as workspace:
        assert differs_around_body(compare("a", "b", tmp_path, workspace))


def test_an_edit_of_text_and_plain_figures_loads_no_template_engine(tmp_path: Path) -> None:
    import subprocess
    import sys

    from docx_reader import read_docx

    root = copy_case("minimal", tmp_path)
    section = root / "content" / "01-ket-qua.md"
    environment = {**os.environ, "VANBAN_CACHE_DIR": str(tmp_path / "cache")}
    script = (
        "import sys; from vanban.cli import main; status = main(['build']); "
        "print(status, 'jinja2' in sys.modules)"
    )

    def build() -> tuple[str, list[str]]:
        run = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env=environment,
            cwd=root,
        )
        texts = [p.text for p in read_docx(root / "build" / "thu-nghiem.docx").paragraphs]
        return run.stdout.strip().splitlines()[-1], texts

    assert build()[0] == "0 True"  # the first build compiles what is not plain
    section.write_text(
        section.read_text("utf-8").replace("Đạt kế hoạch.", "Đạt và vượt kế hoạch."), "utf-8"
    )
    loaded, texts = build()
    assert loaded == "0 False"
    assert "2. Đánh giá: Đạt và vượt kế hoạch." in texts
    assert "Năm 2022 phân bổ 1.688,0 triệu đồng, giải ngân 1.681 triệu đồng." in texts
    assert "- Hộ nghèo: 2.532 hộ, chiếm 18,91%." in texts

    # A section with a statement is compiled: Jinja is loaded when it is needed.
    section.write_text(
        section.read_text("utf-8").replace("Tốt.", "{% if true %}Rất tốt.{% endif %}"), "utf-8"
    )
    loaded, texts = build()
    assert loaded == "0 True"
    assert "Rất tốt." in texts


def test_a_pandoc_run_of_the_body_starts_before_lxml_is_loaded(tmp_path: Path) -> None:
    import subprocess
    import sys

    # The unit's Markdown goes to pandoc before the Word layer's imports: lxml loads while
    # pandoc works (for cutting its output and the assembly).
    script = (
        "import sys; from pathlib import Path\n"
        "from vanban.conventions import DEFAULT_SCHEME, SCHEMES\n"
        "from vanban.heading_styles import scheme_reference\n"
        "from vanban.pandoc import BodyConversion\n"
        f"reference = scheme_reference(Path({str(REPO / 'templates' / 'reference.docx')!r}),"
        " SCHEMES[DEFAULT_SCHEME])\n"
        "conversion = BodyConversion(['# Một\\n\\nCâu.\\n', '# Hai\\n\\nCâu.\\n'], reference)\n"
        "print('lxml' in sys.modules, len(conversion.runs) > 0)\n"
        "parts = conversion.result_parts()\n"
        "print('lxml' in sys.modules, b'Hai' in parts['word/document.xml'])\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.stdout.split("\n")[:2] == ["False True", "True True"], run.stderr


SCALARS = (
    "yes", "no", "on", "true", "False", "~", "null", "", "''", "0", "-12", "010", "0o17", "0x1F",
    "1_000", "1.5", "-0.25", "1e3", "2024-06-20", "2024-06-20T10:00:00Z",
    "12/2024", "1.234.567", "Đắk Glei", "'12'", '"3.5"', "[1, 2.5, yes]", "{a: 1}",
)  # fmt: skip


def test_yaml_scalars_are_read_as_ruamel_reads_them() -> None:
    from ruamel.yaml import YAML

    from vanban import facts

    def stock(text: str) -> object:
        return facts._Builder().build(YAML(typ="safe", pure=False).compose(text))

    text = "".join(f"k{i}: {scalar}\n" for i, scalar in enumerate(SCALARS))
    assert facts._parse(text) == stock(text)
    assert facts._parse(text)["k0"] == "yes" and facts._parse(text)["k6"] is None
    for path in sorted((REPO / "data").glob("*.yaml")) + sorted((REPO / "checks").glob("*.yaml")):
        assert facts._parse(path.read_text("utf-8")) == stock(path.read_text("utf-8")), path


# Markdown that pandoc writes as something a unit may not carry alone (a list, a link, a
# note, a heading that starts a unit, raw Word XML) or as plain runs, put between two
# paragraphs of a section: the document by units is the document of one run all the same.
CONSTRUCTS = [
    "- một\n- hai", "1. một\n2. hai", "| a | b |\n|---|---|\n| 1 | 2 |", "[liên kết](https://x.vn)",
    "::: {.note}\nx\n:::", "> trích dẫn", "```\nmã\n```", "Câu có chú thích[^moi].\n\n[^moi]: Mới.",
    "# MỤC MỚI\n\nCâu.", "## Tiểu mục", "H~2~O và x^2^", "---", "[đánh dấu]{.mark}",
    "```{=openxml}\n<w:p><w:r><w:t>x</w:t></w:r></w:p>\n```", "Thuật ngữ\n: Định nghĩa",
]  # fmt: skip


@settings(max_examples=6, deadline=None, derandomize=True, database=None)
@given(
    construct=st.sampled_from(CONSTRUCTS),
    section=st.integers(min_value=0, max_value=10**6),
    where=st.integers(min_value=0, max_value=10**6),
)
def test_units_give_the_plain_document_whatever_the_text_holds(
    tmp_path_factory: pytest.TempPathFactory, construct: str, section: int, where: int
) -> None:
    tmp_path = tmp_path_factory.mktemp("construct")
    root = copy_report(REPO, tmp_path / "report")
    files = sorted((root / "content").glob("*.md"))
    page = files[section % len(files)]
    blocks = page.read_text("utf-8").split("\n\n")
    at = where % (len(blocks) + 1)
    page.write_text("\n\n".join([*blocks[:at], construct, *blocks[at:]]), "utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        plain = build_parts(root, monkeypatch, None, by_units=False)
        units = build_parts(root, monkeypatch, tmp_path / "cache", by_units=True)
    assert_same_parts(plain, units)
