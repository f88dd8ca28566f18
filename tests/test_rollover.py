"""`vanban rollover`: the next period's document from the reference report, and the
placeholders (`!missing`) it leaves for the figures still to be entered."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import REPO, copy_case
from docx_reader import read_docx
from reuse_cli import vanban
from vanban.errors import ProblemsError, ProjectError
from vanban.facts import Missing, is_missing, load_yaml, validate
from vanban.ooxml import DOCUMENT_PART, read_parts
from vanban.pipeline import build_report
from vanban.project import load_facts, open_project
from vanban.rollover import parse_period, rollover, shift_years

MARKER = re.compile(r"\[thiếu: ([a-z0-9_.]+)\]")


def _numbers(node: object, prefix: str) -> list[str]:
    if isinstance(node, dict):
        return [n for key, value in node.items() for n in _numbers(value, f"{prefix}.{key}")]
    number = isinstance(node, int | Decimal) and not isinstance(node, bool)
    return [prefix] if number else []


@pytest.fixture(scope="module")
def rolled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("rollover") / "bao-cao-2026-2030"
    rollover(REPO, dest, "2026-2030")
    return dest


@pytest.fixture(scope="module")
def draft(rolled: Path) -> Path:
    return build_report(rolled).path


# ---------------------------------------------------------------- what is rolled over


def test_period_year_summary_and_output_are_advanced(rolled: Path) -> None:
    loaded, _ = load_yaml(rolled / "data/document.yaml", "document.yaml")
    assert loaded is not None
    data = loaded.document
    assert (data["status"], data["number"], data["date"]) == ("draft", None, None)
    assert (data["year"], dict(data["period"])) == (2029, {"start": 2026, "end": 2030})
    assert data["output"] == "bao-cao-dak-glei-2029"
    assert data["summary"].endswith(
        "giai đoạn 2026-2029 và đề xuất, kiến nghị cho giai đoạn 2031 – 2035"
    )
    assert dict(data["carry_forward"]) == {"ngheo.start_2021": "ngheo.end_2023"}
    original = (REPO / "data/document.yaml").read_text(encoding="utf-8").splitlines()
    assert original[0] == (rolled / "data/document.yaml").read_text("utf-8").splitlines()[0]


def test_a_law_named_by_a_year_before_the_period_stays_in_the_summary(tmp_path: Path) -> None:
    source = tmp_path / "bao-cao"
    for part in ("content", "data", "schema", "checks", "templates"):
        shutil.copytree(REPO / part, source / part)
    metadata = source / "data/document.yaml"
    text = metadata.read_text(encoding="utf-8")
    metadata.write_text(
        text.replace(
            "giảm nghèo bền vững giai đoạn", "giảm nghèo bền vững theo Luật năm 2019 giai đoạn"
        ),
        encoding="utf-8",
    )
    rollover(source, tmp_path / "next", "2026-2030")
    loaded, _ = load_yaml(tmp_path / "next/data/document.yaml", "document.yaml")
    assert loaded is not None
    assert "theo Luật năm 2019 giai đoạn 2026-2029" in " ".join(loaded.document["summary"].split())


def test_structure_text_templates_rules_and_glossary_are_kept(rolled: Path) -> None:
    for part in ("content", "schema", "templates"):
        for path in (REPO / part).iterdir():
            assert (rolled / part / path.name).read_bytes() == path.read_bytes(), path
    for name in ("rules.yaml", "glossary.yaml"):
        assert (rolled / "checks" / name).read_bytes() == (REPO / "checks" / name).read_bytes()
    assert not (rolled / "src").exists() and not (rolled / "README.md").exists()
    waivers = (rolled / "checks/waivers.yaml").read_text(encoding="utf-8")
    assert waivers.endswith("waivers: []\n") and "dropped the 79 waivers" in waivers


def test_figures_are_cleared_and_the_baseline_carried_forward(rolled: Path) -> None:
    text = (rolled / "data/ngheo.yaml").read_text(encoding="utf-8")
    assert (
        "    households: 1457  # carried forward: ngheo.end_2023.poor.households of 2021-2025"
        in text
    )
    assert "    rate: 10.40  # carried forward: ngheo.end_2023.poor.rate of 2021-2025" in text
    assert "  poor_rate_2025_max: !missing  # fn 3" in text  # comments stay
    facts, _ = load_facts(open_project(rolled))
    ngheo = facts.files["ngheo"].loaded.document
    assert ngheo["start_2021"]["poor"]["rate"] == Decimal("10.40")
    assert ngheo["start_2021"]["near_poor"]["households"] == 1091
    assert is_missing(ngheo["end_2023"]["poor"]["rate"])
    assert ngheo["start_2021"]["name"] == "Đầu năm 2021"  # texts are not figures


# ------------------------------------------------------------ the draft and the final


def test_the_draft_builds_and_lists_every_figure_still_to_be_entered(
    rolled: Path, draft: Path
) -> None:
    facts, _ = load_facts(open_project(REPO))
    expected = {n for name, f in facts.files.items() for n in _numbers(f.loaded.document, name)} - {
        "ngheo.start_2021.poor.households",
        "ngheo.start_2021.poor.rate",
        "ngheo.start_2021.near_poor.households",
        "ngheo.start_2021.near_poor.rate",
    }
    findings = build_report(rolled).findings
    listed = [f for f in findings if f.rule == "missing-figure"]
    assert {f.fact for f in listed} == expected and len(listed) == len(expected) > 250
    assert all(f.severity == "warning" for f in listed)
    assert [f for f in findings if f.status == "error"] == []
    first = next(f for f in listed if f.fact == "ngheo.end_2023.poor.rate")
    # where the data holds it, and where the text prints its marker
    assert str(first.problem()) == (
        "data/ngheo.yaml:21:11: warning: ngheo.end_2023.poor.rate: figure still to be entered "
        "(!missing); the draft prints [thiếu: ngheo.end_2023.poor.rate] at "
        "content/04-muc-tieu.md:5:699 and 1 more [missing-figure]"
    )
    line = (rolled / "content/04-muc-tieu.md").read_text(encoding="utf-8").split("\n")[4]
    assert line[698:].startswith("{{ ngheo.end_2023.poor.rate | pct }}")
    assert not [f for f in findings if f.rule == "unused-rule"]


def test_the_draft_shows_each_missing_figure_highlighted(draft: Path) -> None:
    doc = read_docx(draft)
    text = doc.all_text + " ".join(doc.footnotes.values())
    shown = set(MARKER.findall(text))
    assert "ngheo.end_2023.poor.rate" in shown and "von.allocated" in shown
    assert (
        "chiếm tỷ lệ 10,40%; cuối năm 2023 giảm còn [thiếu: ngheo.end_2023.poor.households]" in text
    )
    xml = read_parts(draft)[DOCUMENT_PART].decode("utf-8")
    assert re.search(
        r'<w:highlight w:val="yellow"/></w:rPr><w:t[^>]*>\[thiếu: von\.allocated\]', xml
    )


def test_a_final_build_refuses_and_lists_every_missing_figure(
    rolled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    final = tmp_path / "final"
    shutil.copytree(rolled, final, ignore=shutil.ignore_patterns("build"))
    path = final / "data/document.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("status: draft", "status: final").replace("number: null", "number: 12")
    path.write_text(text.replace("date: null", "date: 2029-06-20"), encoding="utf-8")
    assert vanban(["build", str(final)]) == 1
    err = capsys.readouterr().err.splitlines()
    missing = [line for line in err if line.endswith("[missing-figure]")]
    assert len(missing) > 250 and all(": error: " in line for line in missing)
    assert (
        "data/ngheo.yaml:21:11: error: ngheo.end_2023.poor.rate: figure still to be entered "
        "(!missing); a final document needs every figure (the text prints it at "
        "content/04-muc-tieu.md:5:699 and 1 more) [missing-figure]"
    ) in missing
    warned = [line for line in err if ": warning: " in line]  # printed beside the errors
    counted = f"{len(missing)} errors" + (f", {len(warned)} warnings" if warned else "")
    assert err[-1] == f"{counted}; nothing was written"
    assert not (final / "build").exists()


def test_the_command_line_reports_what_it_did(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "2026"
    assert vanban(["rollover", str(REPO), str(dest), "--period", "2026-2030"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"rolled {REPO} (2021-2025) over to {dest} (2026-2030):"
    assert re.fullmatch(r"  \d{3} figures cleared to !missing", out[1])
    assert out[2] == "  4 figures carried forward (carry_forward in document.yaml)"
    assert "  79 waivers dropped (they were about the old figures)" in out
    assert (
        out[-1] == f"next: vanban build {dest}  (a draft listing every figure still to be entered)"
    )


# -------------------------------------------------------------------- refusals


def test_a_document_without_a_period_or_a_year_cannot_roll_over(tmp_path: Path) -> None:
    project = copy_case("minimal", tmp_path)
    document = project / "data" / "document.yaml"
    text = document.read_text(encoding="utf-8")
    document.write_text(text.replace("year: 2024", "year: null"), encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        rollover(project, tmp_path / "next", "2026-2030")
    assert [str(p) for p in caught.value.problems] == [
        "data/document.yaml:1:1: error: period: a rollover needs the document's period, e.g. "
        "period: {start: 2021, end: 2025}, or its year"
    ]
    assert not (tmp_path / "next").exists()


def test_a_year_left_blank_stays_blank(tmp_path: Path) -> None:
    project = copy_case("minimal", tmp_path)
    document = project / "data" / "document.yaml"
    text = document.read_text(encoding="utf-8").replace("year: 2024", "year: null")
    document.write_text(text + "period: {start: 2021, end: 2025}\n", encoding="utf-8")
    rollover(project, tmp_path / "next", "2026-2030")
    loaded, _ = load_yaml(tmp_path / "next" / "data/document.yaml", "document.yaml")
    assert loaded is not None
    assert (loaded.document["year"], dict(loaded.document["period"])) == (
        None,
        {"start": 2026, "end": 2030},
    )


def test_bad_carry_forward_names_are_errors_with_their_place(tmp_path: Path) -> None:
    project = copy_case("minimal", tmp_path)
    path = project / "data/document.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "period: {start: 2021, end: 2025}\ncarry_forward:\n"
        + "  so_lieu.ngheo.dau_ky: so_lieu.ngheo.cuoi_ky\n  so_lieu.khong_co: so_lieu.ngheo\n",
        encoding="utf-8",
    )
    with pytest.raises(ProblemsError) as caught:
        rollover(project, tmp_path / "next", "2026-2030")
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2
    assert messages[1].startswith(
        "data/document.yaml:24:3: error: carry_forward: so_lieu.khong_co: so_lieu has no key "
        "'khong_co' (it has: "
    )
    assert not (tmp_path / "next").exists()


def test_the_new_period_must_come_after_and_dest_must_be_free(tmp_path: Path) -> None:
    with pytest.raises(
        ProjectError,
        match=r"^--period 2020-2024: the next period cannot start before this one, 2021-2025$",
    ):
        rollover(REPO, tmp_path / "x", "2020-2024")
    assert not (tmp_path / "x").exists()
    with pytest.raises(
        ProjectError,
        match="^--period: expected a year or two years such as 2026 or 2026-2030, got '2030-2026'$",
    ):
        parse_period("2030-2026")
    assert (parse_period("2026").start, parse_period("2026").end) == (2026, 2026)  # a year
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ProjectError, match="exists and is not empty"):
        rollover(REPO, tmp_path / "full", "2026-2030")
    assert parse_period("2026 – 2030").end == 2030


def test_years_move_by_the_shift() -> None:
    assert shift_years("giai đoạn 2021-2024, năm 2026 – 2030; mã 12345", 5) == (
        "giai đoạn 2026-2029, năm 2031 – 2035; mã 12345"
    )


def test_the_years_of_a_cited_number_or_date_stay() -> None:
    assert shift_years("năm 2025 theo Nghị quyết số 88/2019/QH14 ngày 18/11/2019", 1) == (
        "năm 2026 theo Nghị quyết số 88/2019/QH14 ngày 18/11/2019"
    )


def test_the_years_before_the_period_stay() -> None:
    # a law named by its year, and the period's years and a later target, from 2021 on
    assert (
        shift_years(
            "Kế hoạch thực hiện Luật Đầu tư công năm 2019 giai đoạn 2021-2025, tầm nhìn 2030",
            5,
            since=2021,
        )
        == "Kế hoạch thực hiện Luật Đầu tư công năm 2019 giai đoạn 2026-2030, tầm nhìn 2035"
    )


# ---------------------------------------------------------------- placeholders


def _yaml(tmp_path: Path, text: str, name: str = "so-lieu.yaml") -> object:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    loaded, problems = load_yaml(path, f"data/{name}")
    assert problems == [] and loaded is not None
    return loaded


def test_a_placeholder_is_read_with_its_note(tmp_path: Path) -> None:
    loaded = _yaml(tmp_path, "a: !missing\nb: !missing chờ số liệu  # ghi chú\nc: 5\n")
    document = loaded.document  # type: ignore[attr-defined]
    assert document["a"] == Missing() and document["b"] == Missing("chờ số liệu")
    assert str(document["b"]) == "!missing chờ số liệu" and document["c"] == 5


def test_schemas_take_a_placeholder_for_a_figure_and_only_there(tmp_path: Path) -> None:
    loaded = _yaml(
        tmp_path,
        "households: !missing\nmoney: !missing\nrate: !missing\nx: !missing\n"
        "name: !missing\nsector:\n  name: A\n  increase: !missing\n",
    )
    sector = {
        "type": "dict",
        "schema": {
            "name": {"type": "string"},
            "increase": {"type": "percent", "required": True, "excludes": "decrease"},
            "decrease": {"type": "percent", "required": True, "excludes": "increase"},
        },
    }
    schema = {
        "households": {"type": "count", "min": 1},
        "money": {"type": "money"},
        "rate": {"type": "percent", "allowed": [5]},
        "x": {"type": "decimal"},
        "name": {"type": "string"},
        "sector": sector,
    }
    problems = validate(loaded, schema, "schema/so-lieu.yaml")  # type: ignore[arg-type]
    assert [str(p) for p in problems] == [
        "data/so-lieu.yaml:5:7: error: name: !missing stands for a figure still to be entered "
        "(count, money, percent or decimal), but this is a string"
    ]
    exact = validate(loaded, {"households": {"type": "count"}}, "s", placeholders=False)  # type: ignore[arg-type]
    assert str(exact[0]) == (
        "data/so-lieu.yaml:1:13: error: households: expected a whole number, got a placeholder "
        "(!missing)"
    )


def test_rules_wait_for_missing_figures_and_derive_missing_results(tmp_path: Path) -> None:
    project = copy_case("minimal", tmp_path)
    (project / "data/so-lieu.yaml").write_text(
        "ngheo:\n  ho_ngheo: 2532\n  ty_le: !missing\n  tong: !missing\n  cac_xa:\n"
        "    a: 10\n    b: !missing\n",
        encoding="utf-8",
    )
    (project / "schema/so-lieu.yaml").write_text(
        "ngheo:\n  type: dict\n  schema:\n    ho_ngheo: {type: count}\n    ty_le: {type: percent}\n"
        "    tong: {type: count}\n    cac_xa: {type: dict, valuesrules: {type: count}}\n",
        encoding="utf-8",
    )
    (project / "checks").mkdir()
    (project / "checks/rules.yaml").write_text(
        "rules:\n"
        "  - id: tong-cac-xa\n    title: Tổng = các xã / total = communes\n"
        "    sum: {total: so_lieu.ngheo.ho_ngheo, parts: [so_lieu.ngheo.cac_xa.*]}\n"
        "  - id: ty-le\n    title: Tỷ lệ / rate\n    derive: true\n"
        "    ratio: {numerator: so_lieu.ngheo.ho_ngheo, denominator: so_lieu.ngheo.tong, "
        "result: so_lieu.ngheo.phan_tram, percent: true}\n",
        encoding="utf-8",
    )
    (project / "content/01-ket-qua.md").write_text(
        "Còn {{ so_lieu.ngheo.ho_ngheo | so }} hộ nghèo, chiếm {{ so_lieu.ngheo.ty_le | pct }} "
        "({{ so_lieu.ngheo.phan_tram | pct }}).\n",
        encoding="utf-8",
    )
    built = build_report(project)
    assert [(f.rule, f.fact) for f in built.findings] == [
        ("missing-figure", "so_lieu.ngheo.ty_le"),
        ("missing-figure", "so_lieu.ngheo.tong"),
        ("missing-figure", "so_lieu.ngheo.cac_xa.b"),
    ]  # no sum over a partial list, no "unused rule", no undefined derived fact
    text = read_docx(built.path).all_text
    assert (
        "Còn 2.532 hộ nghèo, chiếm [thiếu: so_lieu.ngheo.ty_le] ([thiếu: so_lieu.ngheo.phan_tram])."
        in text
    )


# ------------------------------------------------------- the texts to review, the name


def test_every_printed_text_is_reviewed_the_attached_one_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_case("quyet-dinh-quy-che", tmp_path)
    metadata = project / "data/document.yaml"
    metadata.write_text(
        metadata.read_text(encoding="utf-8") + "period: {start: 2025, end: 2025}\n",
        encoding="utf-8",
    )
    dest = tmp_path / "2026"
    assert vanban(["rollover", str(project), str(dest), "--period", "2026-2026"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[3:7] == [
        "  the text names years of 2025-2025 on 1 line; vanban does not rewrite the text "
        "(years in citations must stay): review",
        "    content/kem-theo/quy-che.md:14: số 30/QĐ-SNV ngày 05/3/2025",
        "  a year naming the document's own period can be written {{ document.year }} "
        "(the period {{ document.period }}) in the text, to move by itself",
        f"next: vanban build {dest}  (a draft listing every figure still to be entered)",
    ]
    section = project / "content/01-dieu.md"
    section.write_text(
        section.read_text(encoding="utf-8") + "\nNăm 2025 bắt đầu; năm 2025 kết thúc.\n",
        encoding="utf-8",
    )
    assert vanban(["rollover", str(project), str(tmp_path / "b"), "--period", "2026-2026"]) == 0
    last = len(section.read_text(encoding="utf-8").splitlines())
    out = capsys.readouterr().out.splitlines()
    assert out[3:6] == [
        "  the text names years of 2025-2025 on 2 lines; vanban does not rewrite the text "
        "(years in citations must stay): review",
        f"    content/01-dieu.md:{last}: Năm 2025, năm 2025",
        "    content/kem-theo/quy-che.md:14: số 30/QĐ-SNV ngày 05/3/2025",
    ]
    # the texts themselves are copied as they were
    attached = "content/kem-theo/quy-che.md"
    assert (dest / attached).read_bytes() == (project / attached).read_bytes()


def test_an_attached_text_that_is_not_there_is_a_located_error(tmp_path: Path) -> None:
    project = copy_case("quyet-dinh-quy-che", tmp_path)
    metadata = project / "data/document.yaml"
    metadata.write_text(
        metadata.read_text(encoding="utf-8") + "period: {start: 2025, end: 2025}\n",
        encoding="utf-8",
    )
    (project / "content/kem-theo/quy-che.md").unlink()
    with pytest.raises(ProblemsError) as caught:
        rollover(project, tmp_path / "next", "2026-2026")
    assert [str(p) for p in caught.value.problems] == [
        "content/appendices.yaml:6:11: error: no file content/kem-theo/quy-che.md"
    ]
    assert not (tmp_path / "next").exists()


@pytest.mark.parametrize(
    ("output", "year", "period", "new", "advanced"),
    [
        (
            "bao-cao-2024  # build/bao-cao-2024.docx",
            2024,
            "2024, end: 2024",
            "2025-2025",
            "bao-cao-2025  # build/bao-cao-2025.docx",
        ),
        ("ke-hoach-2021-2025", 2020, "2021, end: 2025", "2026-2030", "ke-hoach-2026-2030"),
        (
            "bao-cao-nq-88-2019-nam-2024",
            2024,
            "2024, end: 2024",
            "2025-2025",
            "bao-cao-nq-88-2019-nam-2025",
        ),
        ("qd  # build/qd.docx", 2026, "2026, end: 2026", "2027-2027", "qd  # build/qd.docx"),
    ],
)
def test_the_old_years_of_the_output_name_move_and_a_name_without_years_stays(
    tmp_path: Path, output: str, year: int, period: str, new: str, advanced: str
) -> None:
    project = copy_case("minimal", tmp_path)
    metadata = project / "data/document.yaml"
    text = metadata.read_text(encoding="utf-8")
    text = text.replace("output: thu-nghiem", f"output: {output}")
    text = text.replace("year: 2024", f"year: {year}")
    metadata.write_text(text + f"period: {{start: {period}}}\n", encoding="utf-8")
    rollover(project, tmp_path / "next", new)
    lines = (tmp_path / "next/data/document.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[2] == f"output: {advanced}"


def test_a_yearly_imported_report_rolls_over_to_its_next_year_and_builds(tmp_path: Path) -> None:
    """No `period:` but its year; an empty `number:`; figures in flow mappings."""
    from vanban.importer import import_document
    from vanban.pipeline import build_report

    source = tmp_path / "2025"
    import_document(
        REPO / "tests" / "import" / "pl-bc-ubnd-lamdong-cchc-2025-bieu-mau.docx", source
    )
    assert vanban(["rollover", str(source), str(tmp_path / "2026"), "--period", "2026"]) == 0
    metadata = (tmp_path / "2026" / "data" / "document.yaml").read_text(encoding="utf-8")
    assert "\nnumber: null\n" in metadata and "\ndate: null\n" in metadata
    assert "\nyear: 2026\n" in metadata and "period:" not in metadata
    data = (tmp_path / "2026" / "data" / "phu-luc.yaml").read_text(encoding="utf-8")
    assert '  r02: {name: "Số VBQPPL do cấp tỉnh ban hành", c1: "Văn bản", c2: !missing }' in data
    loaded, problems = load_yaml(tmp_path / "2026" / "data" / "phu-luc.yaml", "data/phu-luc.yaml")
    assert problems == [] and loaded is not None
    built = build_report(tmp_path / "2026")  # a draft: every figure still to be entered
    assert built.attachments


# ------------------------------------------- a quarter's report, and what stays typed

_QUARTER_TEXT = (
    "Trong quý I năm 2024, tiếp nhận 120.088 hồ sơ tại 12 xã theo Điều 5 Nghị định số "
    "30/2020/NĐ-CP ngày 05/3/2020; kết quả năm {{ document.year }} được tổng hợp.\n"
)
_QUARTER_APPENDIX = """\
appendices:
  - name: phu-luc-1
    title: BIỂU MẪU THỐNG KÊ QUÝ I NĂM 2024
    tables:
      - heading: Biểu mẫu 1 Công tác chỉ đạo
        markdown: |
          +------+----------------------+----------+
          | STT  | Chỉ tiêu             | Số liệu  |
          +======+======================+==========+
          | 1.   | Số văn bản ban hành  | 29       |
          +------+----------------------+----------+
          | 2.   | Tỷ lệ hoàn thành     | 22,45    |
          +------+----------------------+----------+
"""


def _quarter(tmp_path: Path) -> Path:
    """The minimal report as a quarter's: its trích yếu, a paragraph and a Phụ lục table
    written out in Markdown naming quý I năm 2024, with figures typed in both."""
    project = copy_case("minimal", tmp_path)
    metadata = project / "data/document.yaml"
    metadata.write_text(
        metadata.read_text(encoding="utf-8").replace(
            "summary: Kết quả thực hiện chương trình thử nghiệm",
            "summary: Kết quả cải cách hành chính quý I năm 2024 và nhiệm vụ quý II năm 2024",
        ),
        encoding="utf-8",
    )
    section = project / "content/01-ket-qua.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n" + _QUARTER_TEXT, "utf-8")
    (project / "content/appendices.yaml").write_text(_QUARTER_APPENDIX, encoding="utf-8")
    return project


def _roll_quarter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], period: str
) -> tuple[Path, Path, list[str]]:
    """Roll the quarter's report over to period with the command; return where it was,
    where it went and what the command printed."""
    project = _quarter(tmp_path)
    dest = tmp_path / f"next-{period}"
    assert vanban(["rollover", str(project), str(dest), "--period", period]) == 0
    return project, dest, capsys.readouterr().out.splitlines()


def test_a_quarter_rolls_over_to_the_next_quarter_of_its_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, dest, out = _roll_quarter(tmp_path, capsys, "2024")
    line = len((project / "content/01-ket-qua.md").read_text("utf-8").splitlines())
    assert out == [
        f"rolled {project} (2024-2024) over to {dest} (2024-2024):",
        "  6 figures cleared to !missing",
        "  0 figures carried forward (carry_forward in document.yaml)",
        "  the same years (the next quarter or month): no year moves; the summary's and the "
        "text's are listed below for review",
        "  4 figures typed in the text stay as 2024-2024 wrote them (only data/ is cleared): "
        "type this period's, or print them from data/ ({{ fact | so }})",
        f"    content/01-ket-qua.md:{line}:33: 120.088",
        f"    content/01-ket-qua.md:{line}:51: 12",
        "    content/appendices.yaml:10:43: 29",
        "    content/appendices.yaml:12:43: 22,45",
        "  the text names years of 2024-2024 on 3 lines; vanban does not rewrite the text "
        "(years in citations must stay): review",
        "    data/document.yaml:13: quý I năm 2024, quý II năm 2024",
        f"    content/01-ket-qua.md:{line}: quý I năm 2024",
        "    content/appendices.yaml:3: QUÝ I NĂM 2024",
        "  a year naming the document's own period can be written {{ document.year }} "
        "(the period {{ document.period }}) in the text, to move by itself",
        f"next: vanban build {dest}  (a draft listing every figure still to be entered)",
    ]
    # each place is the figure's own, in the copy the specialist edits
    text = (dest / "content/01-ket-qua.md").read_text(encoding="utf-8").splitlines()[line - 1]
    assert text[32:].startswith("120.088 hồ sơ") and text[50:].startswith("12 xã")
    table = (dest / "content/appendices.yaml").read_text(encoding="utf-8").splitlines()
    assert table[9][42:].startswith("29 ") and table[11][42:].startswith("22,45 ")
    # the year stays, số and date are dropped, the figures cleared
    metadata = (dest / "data/document.yaml").read_text(encoding="utf-8")
    assert "\nyear: 2024\n" in metadata and "\nnumber: null\n" in metadata
    assert "quý I năm 2024 và nhiệm vụ quý II năm 2024" in metadata
    assert "households: !missing" in (dest / "data/so-lieu.yaml").read_text("utf-8")


def test_a_rollover_to_the_next_year_lists_what_the_text_still_types(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, dest, out = _roll_quarter(tmp_path, capsys, "2025")
    assert "the same years" not in "\n".join(out)
    assert "    content/appendices.yaml:10:43: 29" in out
    assert "    content/appendices.yaml:3: QUÝ I NĂM 2024" in out
    # the trích yếu moved: it is not listed; a year printed from the metadata is not either
    assert not [line for line in out if line.startswith("    data/document.yaml")]
    assert "quý I năm 2025 và nhiệm vụ quý II năm 2025" in (dest / "data/document.yaml").read_text(
        encoding="utf-8"
    )
    draft = read_docx(build_report(dest).path).all_text
    assert "kết quả năm 2025 được tổng hợp" in draft
    assert "tiếp nhận 120.088 hồ sơ tại 12 xã" in draft  # as typed: hence the list


def test_a_draft_s_month_is_cleared_with_its_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _quarter(tmp_path)
    metadata = project / "data/document.yaml"
    text = metadata.read_text(encoding="utf-8")
    assert "\nmonth:" not in text
    metadata.write_text(text.replace("\nyear: 2024\n", "\nyear: 2024\nmonth: 3\n"), "utf-8")
    assert "ngày      tháng 3 năm 2024" in read_docx(build_report(project).path).all_text
    dest = tmp_path / "next"
    assert vanban(["rollover", str(project), str(dest), "--period", "2024"]) == 0
    assert (
        "  month: 3 cleared with the date (the draft prints “ngày      tháng      năm 2024” "
        "until the new month is given)"
    ) in capsys.readouterr().out.splitlines()
    assert "\nmonth: null\n" in (dest / "data/document.yaml").read_text(encoding="utf-8")
    assert "ngày      tháng      năm 2024" in read_docx(build_report(dest).path).all_text


def test_a_missing_figure_is_named_where_the_text_prints_it(tmp_path: Path) -> None:
    project = _quarter(tmp_path)
    rollover(project, tmp_path / "next", "2025")
    findings = {f.fact: f for f in build_report(tmp_path / "next").findings if f.fact}
    assert str(findings["so_lieu.ngheo.households"].problem()) == (
        "data/so-lieu.yaml:2:15: warning: so_lieu.ngheo.households: figure still to be "
        "entered (!missing); the draft prints [thiếu: so_lieu.ngheo.households] at "
        "content/01-ket-qua.md:9:13 [missing-figure]"
    )
    line = (tmp_path / "next/content/01-ket-qua.md").read_text("utf-8").splitlines()[8]
    assert line[12:].startswith("{{ so_lieu.ngheo.households | so }}")
    # one the text does not print is named at its data alone
    assert findings["so_lieu.von.y2023.disbursed"].message == (
        "so_lieu.von.y2023.disbursed: figure still to be entered (!missing); the draft "
        "prints [thiếu: so_lieu.von.y2023.disbursed]"
    )


def test_a_phu_luc_title_printing_the_documents_year_moves_by_itself(tmp_path: Path) -> None:
    project = _quarter(tmp_path)
    declaration = project / "content/appendices.yaml"
    declaration.write_text(
        _QUARTER_APPENDIX.replace("QUÝ I NĂM 2024", "QUÝ I NĂM {document.year}"), "utf-8"
    )
    rollover(project, tmp_path / "next", "2025")
    built = build_report(tmp_path / "next")
    assert "BIỂU MẪU THỐNG KÊ QUÝ I NĂM 2025" in read_docx(built.path).all_text
    # a name the document does not have is an error at the title
    text = declaration.read_text(encoding="utf-8").replace("{document.year}", "{document.nam}")
    declaration.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        build_report(project)
    (problem,) = [str(p) for p in caught.value.problems if "document.nam" in str(p)]
    assert problem.startswith(
        "content/appendices.yaml:3:12: error: {document.nam}: the document has no 'nam' "
        "(kind, status, output, "
    )
    assert "year, summary" in problem
