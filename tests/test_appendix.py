"""Appendices (Phụ lục) as a reader of the built DOCX, and LibreOffice, sees them."""

from __future__ import annotations

import re
import struct
import subprocess
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, copy_case, needs_libreoffice, pdf_pages, to_pdf
from docx_reader import Document, Paragraph, Section, Table, read_docx
from vanban.appendix import load_declaration
from vanban.cli import main
from vanban.facts import load_yaml
from vanban.numbers import format_number
from vanban.ooxml import twips_from_mm
from vanban.pipeline import build, gather
from vanban.project import open_project

REFERENCE_LINE = (
    "(Kèm theo Báo cáo số      /BC-UBND ngày      tháng      năm 2024 "
    "của Ủy ban nhân dân huyện Đắk Glei)"
)


def facts(name: str, root: Path = REPO) -> Any:
    """Return a data file as typed (exact numbers), read apart from the appendix engine."""
    loaded, problems = load_yaml(root / "data" / f"{name}.yaml", name)
    assert loaded is not None and not problems
    return loaded.document


def fmt(value: int | Decimal | None, decimals: int | None = None) -> str:
    return "" if value is None else format_number(value, decimals)


def tables(section: Section) -> list[Table]:
    return [b for b in section.blocks if isinstance(b, Table)]


def paragraphs(section: Section) -> list[Paragraph]:
    return [b for b in section.blocks if isinstance(b, Paragraph)]


def rows_by_label(table: Table) -> dict[str, list[str]]:
    """Body rows by their label (second cell): STT, label, then the figures."""
    out = {}
    for row in table.texts[table.header_rows :]:
        out[" ".join(row[1].split())] = row
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_docx(build(REPO, tmp_path_factory.mktemp("report") / "bao-cao.docx"))


@pytest.fixture(scope="module")
def appendices(reference: Document) -> list[Section]:
    return list(reference.sections[1:])


# ------------------------------------------------------------- the reference report


def test_four_appendices_follow_the_closing_each_in_a_section_of_its_own(
    reference: Document, appendices: list[Section]
) -> None:
    main_text = reference.sections[0]
    closing = main_text.blocks[-2]
    assert isinstance(closing, Table) and closing.texts[0][0].startswith("Nơi nhận:")
    assert main_text.blocks[-1].text == ""  # the paragraph that ends the main section
    assert len(appendices) == 4
    heads = [[p.text for p in paragraphs(s)[:3]] for s in appendices]
    assert [h[0] for h in heads] == ["Phụ lục 01", "Phụ lục 02", "Phụ lục 03", "Phụ lục 04"]
    assert [h[1] for h in heads] == [
        "KẾT QUẢ PHÂN BỔ VỐN SỰ NGHIỆP THỰC HIỆN CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO "
        "BỀN VỮNG NĂM 2022, 2023, 2024",
        "KẾT QUẢ GIẢI NGÂN VỐN SỰ NGHIỆP THEO ĐƠN VỊ THỰC HIỆN NĂM 2022, 2023",
        "KẾT QUẢ THỰC HIỆN MỤC TIÊU GIẢM NGHÈO GIAI ĐOẠN 2021-2023",
        "KẾT QUẢ THỰC HIỆN CÁC CHÍNH SÁCH AN SINH XÃ HỘI",
    ]
    assert {h[2] for h in heads} == {REFERENCE_LINE}
    for section in appendices:
        heading, title, line = paragraphs(section)[:3]
        assert (heading.bold, heading.size_pt, heading.alignment) == (True, 14, "center")
        assert (title.bold, title.size_pt, title.alignment) == (True, 14, "center")
        assert (line.italic, line.bold, line.size_pt, line.alignment) == (True, False, 13, "center")
        assert section.kind == "nextPage"


def test_wide_appendices_are_landscape_with_nd30_s_margins(
    reference: Document, appendices: list[Section]
) -> None:
    main_text = reference.sections[0]
    assert (main_text.width, main_text.height, main_text.orientation) == (11906, 16838, "portrait")
    assert [s.orientation for s in appendices] == ["landscape", "landscape", "portrait", "portrait"]
    m = main_text.margins
    for section in appendices[:2]:
        assert (section.width, section.height) == (16838, 11906)
        # ND30 Phụ lục I, I.3 on every page as it is read: top/bottom 20–25, left 30–35,
        # right 15–20 mm (today the main text's own 20/20/30/15).
        turned = section.margins
        assert turned == m
        mm = {side: round(turned[side] / 56.7, 1) for side in ("top", "bottom", "left", "right")}
        assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25, mm
        assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20, mm
    for section in appendices[2:]:
        assert (section.width, section.height) == (11906, 16838)
        assert section.margins == m


def test_each_appendix_numbers_its_pages_from_one_hiding_the_first(
    reference: Document, appendices: list[Section]
) -> None:
    main_text = reference.sections[0]
    for section in [main_text, *appendices]:
        assert section.page_number_start == 1
        assert section.title_page
        assert section.headers["default"].fields == ("PAGE",)
        assert section.headers["first"].text.strip() == ""


def test_header_rows_repeat_and_cells_are_laid_out_as_a_reviewer_reads_them(
    appendices: list[Section],
) -> None:
    counts = [[t.header_rows for t in tables(s)] for s in appendices]
    assert counts == [[3], [3], [2, 1], [1, 1, 1]]
    von = tables(appendices[0])[0]
    assert von.texts[0][:2] == ["STT", "Dự án, tiểu dự án"]
    assert von.texts[0][2:] == ["Năm 2022", "Năm 2023", "Năm 2024", "Giai đoạn 2022-2024"]
    assert von.spans[0] == (1, 1, 3, 3, 3, 3)
    assert von.texts[1][2:5] == ["Trung ương, tỉnh", "Đối ứng địa phương", "Tổng"]
    assert von.texts[2] == [
        "A", "B", "1", "2", "3=1+2", "4", "5", "6=4+5", "7", "8", "9=7+8",
        "10=1+4+7", "11=2+5+8", "12=10+11",
    ]  # fmt: skip
    assert sum(von.grid) == 16838 - twips_from_mm(30) - twips_from_mm(15)  # landscape text
    total = von.rows[von.header_rows]
    stt, label, *figures = (cell[0] for cell in total)
    assert label.text == "Tổng cộng" and label.bold and all(f.bold for f in figures if f.text)
    project = von.rows[von.header_rows + 2]
    stt, label, *figures = (cell[0] for cell in project)
    assert (stt.text, stt.alignment, label.alignment) == ("II", "center", "left")
    assert {f.alignment for f in figures} == {"right"}
    assert {f.size_pt for f in figures if f.text} == {11}
    assert all(p.bold for row in von.rows[:2] for cell in row for p in cell if p.text)


def test_appendix_01_shows_the_funds_as_the_data_states_them(appendices: list[Section]) -> None:
    von = facts("von")
    rows = rows_by_label(tables(appendices[0])[0])
    years = ("y2022", "y2023", "y2024")
    for project_key in ("du_an_2", "du_an_3", "du_an_4", "du_an_6", "du_an_7"):
        project = von[project_key]
        for sub in project.values():
            if not isinstance(sub, dict) or "name" not in sub or sub.get("implemented") is False:
                continue
            label = next(label for label in rows if label.endswith(" ".join(sub["name"].split())))
            figures = rows[label][2:]
            if not any(year in sub for year in years):  # carried out by the province
                assert set(figures) == {"-"}, label
                continue
            for index, year in enumerate(years):
                record = sub.get(year, {})
                local = record.get("local")
                if local is None and "units" in record:  # the units' sum, as the data has no total
                    parts = [u["local"] for u in record["units"].values() if "local" in u]
                    local = sum(parts) if parts else None
                assert figures[3 * index] == fmt(record.get("allocated"), 1), (label, year)
                assert figures[3 * index + 1] == fmt(local, 1), (label, year)
        # A project shows the footnote's per-year figures and the body's total.
        label = next(label for label in rows if label.endswith(project["name"]))
        figures = rows[label][2:]
        stated = project["stated_by_year"]
        assert [figures[0], figures[3], figures[6]] == [fmt(stated[y], 1) for y in years]
        assert figures[9] == fmt(project["allocated"], 1)
    total = rows["Tổng cộng"][2:]
    programme = von["stated_by_year"]
    assert total[2] == fmt(programme["y2022"]["budget"], 1)
    for index, year in ((1, "y2023"), (2, "y2024")):
        assert total[3 * index : 3 * index + 3] == [
            fmt(programme[year][field], 1) for field in ("allocated", "local", "budget")
        ]
    assert total[9] == fmt(von["allocated"], 1)
    not_carried_out = [r for label, r in rows.items() if label.startswith(("Dự án 1.", "Dự án 5."))]
    assert [set(r[2:]) for r in not_carried_out] == [{"-"}, {"-"}]


def test_appendix_02_shows_each_unit_as_the_footnotes_state_it(appendices: list[Section]) -> None:
    gdnn = facts("von")["du_an_4"]["gdnn"]
    table = tables(appendices[1])[0]
    assert [c for c in table.texts[1][2:6]] == [
        "Vốn phân bổ",
        "Giải ngân",
        "Tỷ lệ giải ngân (%)",
        "Chuyển nguồn",
    ]
    rows = table.texts[table.header_rows :]
    start = next(i for i, r in enumerate(rows) if r[1] == gdnn["name"])
    assert rows[start][2:4] == [fmt(gdnn["y2022"]["allocated"], 3), "704,543"]  # as the body says
    for offset, key in enumerate(gdnn["y2022"]["units"], start=1):
        row = rows[start + offset]
        assert (row[0], row[1]) == ("-", gdnn["y2022"]["units"][key]["name"])
        for index, year in enumerate(("y2022", "y2023")):
            unit = gdnn[year]["units"][key]
            rate = Decimal(unit["disbursed"]) * 100 / Decimal(unit["allocated"])
            assert row[2 + 4 * index : 6 + 4 * index] == [
                fmt(unit["allocated"], 3),
                fmt(unit["disbursed"], 3),
                fmt(rate, 2),
                fmt(unit["carried_over"], 3),
            ]


def test_appendix_03_shows_the_poverty_results_and_targets(appendices: list[Section]) -> None:
    ngheo = facts("ngheo")
    households, targets = tables(appendices[2])
    start, end = ngheo["start_2021"], ngheo["end_2023"]
    for label, kind in (("Hộ nghèo", "poor"), ("Hộ cận nghèo", "near_poor")):
        row = rows_by_label(households)[label]
        a, b = start[kind], end[kind]
        assert row[2:] == [
            fmt(a["households"]),
            fmt(a["rate"]),
            fmt(b["households"]),
            fmt(b["rate"]),
            fmt(a["households"] - b["households"]),
            fmt(a["rate"] - b["rate"]),
        ]
    reduction = ngheo["reduction_2023"]
    row = targets.texts[targets.header_rows]
    assert row[2:] == [fmt(reduction["target"]), fmt(reduction["achieved"]), "101,12"]  # stated
    assert targets.texts[targets.header_rows + 1][2:] == [
        fmt(ngheo["target"]["poor_rate_2025_max"]),
        fmt(end["poor"]["rate"]),
        "-",
    ]


def test_appendix_04_shows_the_social_security_groups(appendices: list[Section]) -> None:
    an_sinh = facts("an-sinh")
    insurance, electricity, assistance = tables(appendices[3])
    rows = rows_by_label(insurance)
    health = an_sinh["health_insurance"]
    groups = {**health["poor_near_poor"]["groups"], **health["other"]["groups"]}
    for group in groups.values():
        label = " ".join(group["name"].split())
        row = rows[label[:1].upper() + label[1:]]
        assert row[2:] == [fmt(group["persons"]), fmt(group["cost_dong"])]
    assert rows["Tổng cộng"][2:] == [
        fmt(health["persons"]),
        fmt(sum(g["cost_dong"] for g in groups.values())),
    ]
    support = an_sinh["electricity_support"]
    rows = rows_by_label(electricity)
    for year in ("2021", "2022", "2023"):
        record = support[f"y{year}"]
        assert rows[f"Năm {year}"][2:] == [fmt(record["households"]), fmt(record["cost"], 2)]
    # Households helped each year are not added up: the same households come back.
    assert rows["Tổng cộng"][2:] == [
        "",
        fmt(sum(support[y]["cost"] for y in support if y != "name"), 2),
    ]
    rows = rows_by_label(assistance)
    assert rows["Tổng số"][2:] == [fmt(an_sinh["social_assistance"]["beneficiaries"])]
    for group in an_sinh["social_assistance"]["groups"].values():
        assert rows[group["name"]][2:] == [fmt(group["beneficiaries"])]


def test_a_stated_total_is_shown_and_its_difference_kept_for_the_checks() -> None:
    sources = gather(open_project(REPO))
    differences = {d.fact: d for d in sources.appendices.differences}
    project_2 = differences["von.du_an_2.stated_by_year.y2024"]
    assert (project_2.stated, project_2.computed) == (5102, 6122)
    warnings = [str(w) for w in sources.appendices.warnings()]
    assert len(warnings) == 13
    assert any(
        w.startswith("data/von.yaml:")
        and w.endswith(
            ': warning: Phụ lục 01, row "Dự án 2. Đa dạng hóa sinh kế, phát triển mô hình giảm '
            'nghèo", column "Năm 2024 – Trung ương, tỉnh": the data states 5.102 '
            "(von.du_an_2.stated_by_year.y2024) but the rows under it add up to 6.122, a "
            "difference of 1.020; the appendix shows 5.102 [appendix-stated-total]"
        )
        for w in warnings
    )
    assert {d.fact for d in differences.values()} >= {
        "ngheo.reduction_2023.achievement",  # 5,06 / 5,0 is 101,2 %, the report says 101,12 %
        "von.du_an_4.gdnn.y2022.disbursed",  # the body's 704,543 against fn 25's units
        "von.du_an_6.giam_ngheo_thong_tin.y2024.allocated",  # 842,0 against its units' 629,0
    }


def test_the_body_refers_to_the_appendices_in_the_issued_words(reference: Document) -> None:
    texts = [p.text for p in reference.sections[0].blocks if isinstance(p, Paragraph)]
    assert "(Chi tiết tại các Phụ lục: 01; 02; 03; 04 kèm theo)." in texts


def test_moving_an_appendix_in_the_declaration_renumbers_it(tmp_path: Path) -> None:
    declaration = (REPO / "content" / "appendices.yaml").read_text(encoding="utf-8")
    head, von, giai_ngan, *rest = re.split(r"(?m)^(?=  - name: )", declaration)
    assert von.startswith("  - name: von") and giai_ngan.startswith("  - name: giai-ngan")
    swapped = tmp_path / "appendices.yaml"
    swapped.write_text("".join([head, giai_ngan, von, *rest]), encoding="utf-8")
    original, _ = load_declaration(REPO / "content" / "appendices.yaml", "appendices.yaml")
    moved, problems = load_declaration(swapped, "appendices.yaml")
    assert problems == []
    before, after = (d.template_globals()["appendix_ref"] for d in (original, moved))
    assert [before("von"), before("giai-ngan")] == ["Phụ lục 01", "Phụ lục 02"]
    assert [after("von"), after("giai-ngan")] == ["Phụ lục 02", "Phụ lục 01"]
    assert [a.name for a in moved.appendices] == ["giai-ngan", "von", "ngheo", "an-sinh"]


def test_a_declaration_read_back_from_the_cache_is_the_same(tmp_path: Path) -> None:
    from vanban.appendix.declaration import NO_DATA
    from vanban.cache import Cache

    cache = Cache(tmp_path / "cache")
    path = REPO / "content" / "appendices.yaml"
    fresh, _ = load_declaration(path, "content/appendices.yaml", cache)
    cached, _ = load_declaration(path, "content/appendices.yaml", cache)
    assert cached is not fresh and cached == fresh
    project_1 = cached.appendices[0].tables[0].rows[1]
    assert project_1.cell is NO_DATA


# -------------------------------------------------------------------- a small report


def test_the_body_names_appendices_and_the_numbers_follow_the_declaration(tmp_path: Path) -> None:
    project = copy_case("appendix-basic", tmp_path)
    doc = read_docx(build(project))
    texts = [p.text for p in doc.paragraphs]
    assert "Vốn phân bổ theo dự án tại Phụ lục I, số hộ nghèo theo xã tại Phụ lục II." in texts
    assert "(Chi tiết tại các Phụ lục: I; II kèm theo)." in texts
    assert [s.orientation for s in doc.sections] == ["portrait", "portrait", "landscape"]

    declaration = project / "content" / "appendices.yaml"
    text = declaration.read_text(encoding="utf-8")
    head, von, xa = re.split(r"(?m)^(?=  - name: )", text)
    declaration.write_text(head + xa.rstrip("\n") + "\n\n" + von, encoding="utf-8")
    doc = read_docx(build(project))
    texts = [p.text for p in doc.paragraphs]
    assert "Vốn phân bổ theo dự án tại Phụ lục II, số hộ nghèo theo xã tại Phụ lục I." in texts
    assert [s.orientation for s in doc.sections] == ["portrait", "landscape", "portrait"]
    assert [paragraphs(s)[1].text for s in doc.sections[1:]] == [
        "HỘ NGHÈO THEO XÃ, THỊ TRẤN CUỐI NĂM 2023",
        "VỐN PHÂN BỔ THEO DỰ ÁN NĂM 2022, 2023",
    ]

    declaration.write_text("numbering: arabic\n" + text, encoding="utf-8")
    texts = [p.text for p in read_docx(build(project)).paragraphs]
    assert "(Chi tiết tại các Phụ lục: 01; 02 kèm theo)." in texts


def test_a_removed_appendix_still_named_in_the_body_is_an_error_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_case("appendix-basic", tmp_path)
    declaration = project / "content" / "appendices.yaml"
    declaration.write_text(
        declaration.read_text(encoding="utf-8").split("\n  - name: xa")[0] + "\n", encoding="utf-8"
    )
    assert main(["build", str(project)]) == 1
    line = (project / "content" / "01-ket-qua.md").read_text(encoding="utf-8").splitlines()[2]
    col = line.index("appendix_ref('xa')") + len("appendix_ref('") + 1
    assert col == 96
    # the case's own warning (a stated total its rows do not add up to) printed beside it
    assert capsys.readouterr().err.splitlines() == [
        f"content/01-ket-qua.md:3:{col}: error: unknown appendix 'xa' (appendices in "
        "content/appendices.yaml: von)",
        'data/so-lieu.yaml:4:12: warning: Phụ lục, row "Tổng cộng", column "Năm 2022 – Trung '
        'ương": the data states 2.000,0 (so_lieu.von.stated_by_year.y2022) but the rows of the '
        "table add up to 1.900,5, a difference of 99,5; the appendix shows 2.000,0 "
        "[appendix-stated-total]",
        "1 error, 1 warning; nothing was written",
    ]


def test_cells_show_the_facts_a_missing_one_blank_or_dash_never_zero(tmp_path: Path) -> None:
    project = copy_case("appendix-basic", tmp_path)
    doc = read_docx(build(project))
    von, xa = (tables(s)[0] for s in doc.sections[1:])
    rows = rows_by_label(von)
    # The data writes "dự án hỗ trợ sản xuất": a table label starts with a capital.
    assert rows["Dự án hỗ trợ sản xuất"][0] == "I"
    assert rows["Dự án hỗ trợ sản xuất"][2:] == ["1.000,0", "100,0", "1.500,0", "-", "2.600,0"]
    assert rows["Dự án chưa triển khai"][2:] == ["-"] * 5
    # The data states 2.000,0 for 2022 where the projects add up to 1.900,5: it is shown.
    assert rows["Tổng cộng"][2:] == ["2.000,0", "100,0", "3.000,0", "150,0", "5.250,0"]
    data = facts("so-lieu", project)
    rows = rows_by_label(xa)
    for commune in data["xa"].values():
        assert rows[commune["name"]][2:] == [fmt(commune["households"]), fmt(commune["rate"])]
    assert rows["Toàn huyện"][2:] == [fmt(sum(c["households"] for c in data["xa"].values())), ""]
    assert xa.header_rows == 1 and len(xa.rows) == 47


# ---------------------------------------------------------------------- LibreOffice


def _first_line(page: dict[str, str]) -> str:
    return next(line.strip() for line in page["text"].splitlines() if line.strip())


def _png_size(png: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", png.read_bytes()[16:24])
    return width, height


@needs_libreoffice
def test_libreoffice_renders_an_appendix_on_landscape_a4_numbered_from_one(
    tmp_path: Path,
) -> None:
    project = copy_case("appendix-basic", tmp_path)
    pdf = to_pdf(build(project), tmp_path)
    pages = pdf_pages(pdf)
    assert [p["size"] for p in pages] == [
        "595.304 x 841.89 pts (A4)",
        "595.304 x 841.89 pts (A4)",
        "841.89 x 595.304 pts (A4)",
        "841.89 x 595.304 pts (A4)",
    ]
    assert [_first_line(p) for p in pages[1:]] == ["Phụ lục I", "Phụ lục II", "2"]
    assert "Xã số 45" in pages[3]["text"] and "Xã, thị trấn" in pages[3]["text"]  # header again
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "3", "-l", "3", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    width, height = _png_size(next(tmp_path.glob("page*.png")))
    assert abs(width / height - 297 / 210) < 0.01
    # Everything printed on the landscape pages (text and table borders) keeps ND30's
    # margins, left 30 and right 15 mm; the first page's content starts 20 mm from the top.
    for number in (3, 4):
        left, right, top, bottom = _ink_box_mm(pdf, number, tmp_path)
        assert left >= 30 - 0.3 and right <= 297 - 15 + 0.3, (number, left, right)
        if number == 3:  # page 4 has its page number in the header, above the margin
            assert top >= 20 - 0.3 and bottom <= 210 - 20 + 0.3, (number, top, bottom)


def _ink_box_mm(pdf: Path, page: int, tmp: Path) -> tuple[float, float, float, float]:
    """Return the left, right, top and bottom of the dark pixels on a page, in mm (200 dpi)."""
    stem = tmp / f"ink{page}"
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "200", "-f", str(page), "-l", str(page), str(pdf), str(stem)],
        check=True,
    )
    data = next(tmp.glob(f"ink{page}*.pgm")).read_bytes()
    fields = data.split(maxsplit=4)
    width, height = int(fields[1]), int(fields[2])
    pixels = fields[4][-width * height :]
    rows = [pixels[y * width : (y + 1) * width] for y in range(height)]
    dark_rows = [y for y, line in enumerate(rows) if min(line) < 128]
    xs = [x for y in dark_rows for x in _dark_ends(rows[y])]
    mm = 25.4 / 200
    return min(xs) * mm, (max(xs) + 1) * mm, dark_rows[0] * mm, (dark_rows[-1] + 1) * mm


def _dark_ends(line: bytes) -> tuple[int, int]:
    """Return the first and last dark pixel of a row of pixels."""
    dark = [x for x, value in enumerate(line) if value < 128]
    return dark[0], dark[-1]


@needs_libreoffice
def test_libreoffice_shows_every_appendix_of_the_report_on_its_own_pages(
    reference: Document, tmp_path: Path
) -> None:
    docx = build(REPO, tmp_path / "bao-cao.docx")
    pages = pdf_pages(to_pdf(docx, tmp_path))
    starts = [i for i, p in enumerate(pages) if _first_line(p).startswith("Phụ lục 0")]
    assert [_first_line(pages[i]) for i in starts] == [f"Phụ lục 0{n}" for n in range(1, 5)]
    spans = list(zip(starts, [*starts[1:], len(pages)], strict=True))
    assert "Y Thanh" in pages[starts[0] - 1]["text"]
    figure = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})*(?:,\d+)?(?![\d,])")
    for number, ((start, end), section) in enumerate(
        zip(spans, reference.sections[1:], strict=True)
    ):
        landscape = number < 2
        for offset, page in enumerate(pages[start:end]):
            assert page["size"].endswith("(A4)")
            assert page["size"].startswith("841.89") == landscape
            if offset:  # numbered from 1, the number hidden on the first page
                assert _first_line(page) == str(offset + 1)
        printed = Counter(figure.findall(" ".join(p["text"] for p in pages[start:end])))
        cells = Counter(
            text
            for table in tables(section)
            for row in table.texts[table.header_rows :]
            for text in row[2:]
            if figure.fullmatch(text)
        )
        assert cells and not cells - printed, number


# ------------------------------------------------------------- the appendix language


@pytest.fixture(scope="module")
def language(tmp_path_factory: pytest.TempPathFactory) -> Document:
    project = copy_case("appendix-language", tmp_path_factory.mktemp("language"))
    return read_docx(build(project))


def test_heading_words_numbers_subtitle_and_the_attached_line(language: Document) -> None:
    heads = [[p.text for p in paragraphs(s)[:4]] for s in language.sections[1:]]
    assert [h[0] for h in heads] == ["Biểu mẫu số 01", "Mẫu biểu số 02", "Biểu mẫu số 03"]
    assert heads[0][2] == "(Số liệu đến ngày 31/12/2024)"
    chair = (
        "(Kèm theo Báo cáo số      /BC-UBND ngày      tháng      năm 2024 "
        "của Chủ tịch Ủy ban nhân dân huyện Thử Nghiệm)"
    )
    assert heads[0][3] == chair and heads[1][2] == chair
    # `attached: none`: no "(Kèm theo …)" line at all
    assert not any(p.text.startswith("(Kèm theo") for p in paragraphs(language.sections[3]))


def test_text_columns_unit_derived_cells_and_a_ratio_row(language: Document) -> None:
    (table,) = tables(language.sections[1])
    assert table.header_rows == 3
    assert table.texts[0] == [
        "STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả thực hiện qua các năm của huyện", "Giảm",
        "Ghi chú",
    ]  # fmt: skip
    assert table.spans[0] == (1, 1, 1, 2, 1, 1)
    assert table.texts[1][3:5] == ["Năm 2023", "Năm 2024"]
    assert table.texts[2] == ["1", "2", "3", "4", "5", "6", "7"]  # column_numbers: numbers
    body = table.texts[3:]
    # "hộ" is the schema's unit; 254 is derived by checks/rules.yaml (1.457 − 1.203)
    assert body[0] == ["1", "Số hộ nghèo", "hộ", "1.457", "1.203", "254", "Theo kết quả rà soát"]
    assert body[1] == ["2", "Số hộ cận nghèo", "hộ", "800", "760", "", ""]
    # one row over another, × 100: 1.457 / 800 = 182,125 → 182,13 (half-up)
    ratio = ["", "Tỷ lệ hộ nghèo so với hộ cận nghèo (%)", "%", "182,13", "158,29", "", "x"]
    assert body[2] == ratio
    assert not table.rows[5][1][0].italic
    assert table.rows[5][6][0].runs[0].text == "x"


def test_rows_not_added_in_stt_schemes_nested_groups_and_cells_as_written(
    language: Document,
) -> None:
    (table,) = tables(language.sections[2])
    assert table.header_rows == 4
    assert [r[:3] for r in table.texts[:3]] == [
        ["STT", "Nguồn vốn", "Ngân sách"],
        ["", "", "Nhà nước"],
        ["", "", "Trung ương"],
    ]
    assert table.spans[0] == (1, 1, 2, 1) and table.spans[1] == (1, 1, 2, 1)
    assert table.texts[3] == ["A", "B", "1", "2", "3=1+2"]
    assert table.texts[4:] == [
        ["", "Tổng số", "1.000,0", "600,0", "1.600,0"],  # the 250,0 of vốn vay is not in it
        ["I", "Vốn theo nguồn", "900,0", "600,0", "1.500,0"],
        ["I.1", "Vốn đầu tư phát triển", "600,0", "400,0", "1.000,0"],
        ["", "Trong đó: vốn vay", "250,0", "-", "250,0"],
        ["I.2", "Vốn sự nghiệp", "300,0", "200,0", "500,0"],
        ["II", "Vốn khác", "100,0", "-", "100,0"],
        ["II.1", "Vốn bổ sung", "100,0", "1-1,5", "100,0"],  # a text where a figure goes
    ]
    assert table.rows[7][1][0].italic  # "Trong đó": a row not added in prints italic
    su_nghiep = table.rows[8]
    assert su_nghiep[1][0].bold and not su_nghiep[2][0].bold  # `style: {label: bold}`
    after = paragraphs(language.sections[2])
    assert after[-2].text == "Ghi chú: vốn vay không cộng vào tổng số."


def test_a_markdown_table_is_an_appendix_in_the_same_table_style(language: Document) -> None:
    (table,) = tables(language.sections[3])
    assert table.header_rows == 1
    assert table.texts == [
        ["Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
        ["Rà soát hộ nghèo, hộ cận nghèo", "Phòng Lao động - Thương binh và Xã hội", "Quý IV/2025"],
        ["Tuyên truyền về giảm nghèo", "Ủy ban nhân dân các xã, thị trấn", "Hằng năm"],
    ]
    assert all(p.bold for p in table.rows[0][0])
    assert table.rows[1][2][0].alignment == "center"  # `:---:` in the Markdown
    section = language.sections[3]
    width = section.width - section.margins["left"] - section.margins["right"]
    assert sum(table.grid) == width
    computed = tables(language.sections[1])[0]
    assert sum(computed.grid) == width


def _cell_looks(cell: tuple[Paragraph, ...]) -> list[tuple[str, bool, bool]]:
    """Return a printed cell's text as pieces of one look, a line break as "\\n"."""
    return [piece for p in cell for piece in _looks(p) if piece[0]]


_GRID = """\
+---------+------------------------------+-----------+
| **STT** | **Nhiệm vụ**                 | Thời gian |
|         |                              |           |
|         | *(theo Kế hoạch số 12/KH)*   |           |
+:=======:+==============================+==========:+
| 1       | **Rà soát** hộ nghèo *(cả    | Quý IV    |
|         | hộ cận nghèo)*               |           |
+---------+------------------------------+-----------+
| 2       | Tuyên truyền                 | Hằng năm  |
+---------+------------------------------+-----------+
"""


def test_a_written_out_cell_keeps_its_alignment_its_words_emphasis_and_its_lines(
    tmp_path: Path,
) -> None:
    """In a `markdown:` table and in one of the text alike: the colons give a column's
    alignment, the words marked bold or italic print so within a cell, a header cell's
    paragraphs print on lines of their own, each as marked (bold where it marks none)."""
    project = copy_case("appendix-language", tmp_path)
    declaration = project / "content" / "appendices.yaml"
    text = declaration.read_text(encoding="utf-8")
    start = text.index("    markdown: |\n", text.index("name: nhiem-vu"))
    end = text.index("\n  - ", start) if "\n  - " in text[start:] else len(text)
    grid = "".join(f"      {line}\n" for line in _GRID.splitlines())
    declaration.write_text(text[:start] + "    markdown: |\n" + grid + text[end:], "utf-8")
    body = project / "content" / "01-noi-dung.md"
    body.write_text(body.read_text(encoding="utf-8") + "\nBảng:\n\n" + _GRID, "utf-8")
    doc = read_docx(build(project))
    ours = [t for s in doc.sections for t in tables(s) if t.texts[0][1].startswith("Nhiệm vụ")]
    in_text, written = ours
    for table in (written, in_text):
        note = ("(theo Kế hoạch số 12/KH)", False, True)
        assert [x for x in _cell_looks(table.rows[0][1]) if x[0] != "\n"] == [
            ("Nhiệm vụ", True, False),
            note,
        ]
        assert table.texts[0][1] == "Nhiệm vụ\n(theo Kế hoạch số 12/KH)"  # on two lines
        assert _cell_looks(table.rows[0][2]) == [("Thời gian", True, False)]  # none marked: bold
        assert _cell_looks(table.rows[1][1]) == [
            ("Rà soát", True, False),
            (" hộ nghèo ", False, False),
            ("(cả hộ cận nghèo)", False, True),
        ]
        assert [[p.alignment for p in cell][0] for cell in table.rows[1]][0::2] == [
            "center",
            "right",
        ]


def test_a_computed_table_s_header_prints_its_lines_and_the_emphasis_it_marks(
    tmp_path: Path,
) -> None:
    """A header text may mark words bold or italic, as a written-out cell does: the label
    column's "Chỉ tiêu" bold over its note in italics, on a line of its own; a header
    marking none prints bold, and a star that closes nothing prints as typed."""
    project = copy_case("appendix-language", tmp_path)
    declaration = project / "content" / "appendices.yaml"
    text = declaration.read_text(encoding="utf-8")
    marked = 'label_header: "**Chỉ tiêu**\\n*(theo Kế hoạch số 12/KH)*"'
    text = text.replace("label_header: Chỉ tiêu\n    row_numbers", marked + "\n    row_numbers")
    text = text.replace("{key: n2023, label: Năm 2023, field: y2023}", "{key: n2023, "
                        "label: 'Năm 2023 (*)', field: y2023}", 1)  # fmt: skip
    declaration.write_text(text, encoding="utf-8")
    doc = read_docx(build(project))
    # the text's table: its header marks nothing
    computed = next(t for t in tables(doc.sections[0]) if t.texts[0][0] == "TT")
    assert _cell_looks(computed.rows[0][1]) == [("Chỉ tiêu", True, False)]
    assert _cell_looks(computed.rows[0][2]) == [("Năm 2023 (*)", True, False)]
    table = tables(doc.sections[1])[0]
    assert _cell_looks(table.rows[0][1]) == [
        ("Chỉ tiêu", True, False),
        ("\n", False, False),
        ("(theo Kế hoạch số 12/KH)", False, True),
    ]


def test_one_appendix_is_unnumbered_and_two_are_roman_by_default(tmp_path: Path) -> None:
    project = copy_case("appendix-basic", tmp_path)
    doc = read_docx(build(project))
    assert [paragraphs(s)[0].text for s in doc.sections[1:]] == ["Phụ lục I", "Phụ lục II"]
    declaration = project / "content" / "appendices.yaml"
    text = declaration.read_text(encoding="utf-8")
    declaration.write_text(text.split("\n  - name: xa")[0] + "\n", encoding="utf-8")
    body = project / "content" / "01-ket-qua.md"
    body.write_text("# KẾT QUẢ\n\nChi tiết tại {{ appendix_ref('von') }}.\n", encoding="utf-8")
    doc = read_docx(build(project))
    # one appendix takes no number; "Phụ lục" in lower case (ND30 Phụ lục I, III.1.b)
    assert [paragraphs(s)[0].text for s in doc.sections[1:]] == ["Phụ lục"]
    assert "Chi tiết tại Phụ lục." in [p.text for p in paragraphs(doc.sections[0])]
    # an office that prints the word in capitals says so
    declaration.write_text(
        "word: PHỤ LỤC\n" + declaration.read_text(encoding="utf-8"), encoding="utf-8"
    )
    doc = read_docx(build(project))
    assert [paragraphs(s)[0].text for s in doc.sections[1:]] == ["PHỤ LỤC"]
    assert "Chi tiết tại PHỤ LỤC." in [p.text for p in paragraphs(doc.sections[0])]


def test_a_row_whose_at_matches_no_fact_is_an_error_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_case("appendix-language", tmp_path)
    declaration = project / "content" / "appendices.yaml"
    text = declaration.read_text(encoding="utf-8")
    text = text.replace("at: so_lieu.kinh_phi.su_nghiep,", "at: so_lieu.kinh_phi.su_ngiep,")
    declaration.write_text(text, encoding="utf-8")
    line = next(n for n, s in enumerate(text.splitlines(), 1) if "su_ngiep" in s)
    assert main(["build", str(project)]) == 1
    assert capsys.readouterr().err == (
        f"content/appendices.yaml:{line}:18: error: at: so_lieu.kinh_phi.su_ngiep matches no "
        "fact: so_lieu.kinh_phi has no key 'su_ngiep' (it has: dau_tu, su_nghiep, bo_sung)\n"
        "1 error; nothing was written\n"
    )


def test_vanban_check_reports_a_stated_total_with_both_values_table_and_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_case("appendix-basic", tmp_path)
    assert main(["check", str(project)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        'data/so-lieu.yaml:4:12: warning: Phụ lục I, row "Tổng cộng", column "Năm 2022 – '
        'Trung ương": the data states 2.000,0 (so_lieu.von.stated_by_year.y2022) but the rows '
        "of the table add up to 1.900,5, a difference of 99,5; the appendix shows 2.000,0 "
        "[appendix-stated-total]"
    ) in out
    assert out[-1].startswith("check: 0 errors, 1 warning,")
    assert main(["check", "--strict", str(project)]) == 1


TOTAL_WAIVER = """\
waivers:
  - rule: appendix-stated-total
    at: so_lieu.von.stated_by_year.y2022
    reason: Như ban hành.
    by: người soạn
    accepted: {so_lieu.von.stated_by_year.y2022: "2.000,0", computed: "1.900,5"}
"""


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _stated_total(project: Path) -> Any:
    from vanban.check.command import check_project

    (finding,) = [
        f
        for f in check_project(open_project(project)).findings
        if f.rule == "appendix-stated-total"
    ]
    return finding


def test_a_stated_total_s_waiver_holds_when_only_the_words_of_its_message_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_case("appendix-basic", tmp_path)
    (project / "checks").mkdir()
    (project / "checks" / "waivers.yaml").write_text(TOTAL_WAIVER, encoding="utf-8")
    before = _stated_total(project)
    assert before.status == "acknowledged"
    # the row's label in capitals and the column's in other words: the message changes
    declaration = project / "content" / "appendices.yaml"
    _edit(declaration, "label: Tổng cộng", "label: TỔNG CỘNG")
    _edit(declaration, "label: Trung ương,", "label: Ngân sách trung ương,")
    after = _stated_total(project)
    assert 'row "TỔNG CỘNG", column "Năm 2022 – Ngân sách trung ương"' in after.message
    assert after.fingerprint() != before.fingerprint()
    assert after.status == "acknowledged"
    assert main(["check", "--strict", str(project)]) == 0
    assert (
        capsys.readouterr()
        .out.splitlines()[-1]
        .startswith("check: 0 errors, 0 warnings, 1 acknowledged")
    )


@pytest.mark.parametrize(
    ("edit", "change", "accepted"),
    [
        (  # a part of the total: what the tool computes changes
            ("y2022: {allocated: 900.5}", "y2022: {allocated: 950.5}"),
            "computed: accepted 1.900,5, now 1.950,5",
            '{so_lieu.von.stated_by_year.y2022: "2.000,0", computed: "1.950,5"}',
        ),
        (  # the total the data states
            ("y2022: 2000.0", "y2022: 2100.0"),
            "so_lieu.von.stated_by_year.y2022: accepted 2.000,0, now 2.100,0",
            '{so_lieu.von.stated_by_year.y2022: "2.100,0", computed: "1.900,5"}',
        ),
    ],
)
def test_a_stated_total_s_waiver_is_stale_when_a_figure_changes(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    edit: tuple[str, str],
    change: str,
    accepted: str,
) -> None:
    project = copy_case("appendix-basic", tmp_path)
    (project / "checks").mkdir()
    (project / "checks" / "waivers.yaml").write_text(TOTAL_WAIVER, encoding="utf-8")
    _edit(project / "data" / "so-lieu.yaml", *edit)
    assert main(["check", str(project)]) == 0  # warnings
    out = capsys.readouterr().out.splitlines()
    assert (
        "checks/waivers.yaml:2:5: warning: waiver for [appendix-stated-total] at "
        f"so_lieu.von.stated_by_year.y2022 is stale: {change}: the finding at "
        "data/so-lieu.yaml:4:12 is open again; if the new figures stand, re-accept them: "
        f"accepted: {accepted} [stale-waiver]"
    ) in out
    (reopened,) = [line for line in out if line.endswith("[appendix-stated-total]")]
    assert reopened.startswith("data/so-lieu.yaml:4:12: warning: Phụ lục I, row ")
    assert reopened.endswith(
        f" — waiver checks/waivers.yaml:2 no longer applies ({change}) [appendix-stated-total]"
    )
    assert out[-1].startswith("check: 0 errors, 2 warnings, 0 acknowledged")


def test_a_stated_total_s_waiver_of_its_message_s_fingerprint_holds_until_it_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A waiver written when the finding was bound to its message: the same message has the
    same figures, so it holds; once the message differs it is stale, with the values to
    accept."""
    project = copy_case("appendix-basic", tmp_path)
    (project / "checks").mkdir()
    digest = dict(_stated_total(project).fingerprint())["fingerprint"]
    waivers = project / "checks" / "waivers.yaml"
    waivers.write_text(
        TOTAL_WAIVER.replace(
            'so_lieu.von.stated_by_year.y2022: "2.000,0", computed: "1.900,5"',
            f'fingerprint: "{digest}"',
        ),
        encoding="utf-8",
    )
    assert _stated_total(project).status == "acknowledged"
    _edit(project / "content" / "appendices.yaml", "label: Tổng cộng", "label: TỔNG CỘNG")
    assert main(["check", str(project)]) == 0
    assert (
        "checks/waivers.yaml:2:5: warning: waiver for [appendix-stated-total] at "
        "so_lieu.von.stated_by_year.y2022 is stale: it accepted a fingerprint of the message as "
        "it was; the finding is bound to its values now: the finding at data/so-lieu.yaml:4:12 "
        "is open again; if its figures stand, accept them: accepted: "
        '{so_lieu.von.stated_by_year.y2022: "2.000,0", computed: "1.900,5"} [stale-waiver]'
    ) in capsys.readouterr().out.splitlines()


def test_every_declaration_key_is_documented_in_the_readme() -> None:
    from vanban.appendix import schema

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Appendices (Phụ lục)")[1].split("\n## ")[0]
    rules = [schema.DECLARATION, schema.APPENDIX, schema.COLUMN_GROUP, schema.ROW]
    keys = {k for rule in rules for k in rule.fields}
    undocumented = sorted(k for k in keys if f"`{k}" not in section)
    assert undocumented == []


def test_the_text_places_a_computed_table_and_styles_its_markdown_tables(
    language: Document,
) -> None:
    blocks = list(language.sections[0].blocks)
    texts = [b.text if isinstance(b, Paragraph) else b for b in blocks]
    computed = texts[texts.index("Số hộ theo năm:") + 2]
    assert texts[texts.index("Số hộ theo năm:") + 1] == "(Đơn vị tính: hộ)"
    assert isinstance(computed, Table) and computed.header_rows == 1
    assert computed.texts == [
        ["TT", "Chỉ tiêu", "Năm 2023", "Năm 2024"],
        ["1", "Số hộ nghèo", "1.457", "1.203"],
        ["2", "Số hộ cận nghèo", "800", "760"],
        ["", "Cộng", "2.257", "1.963"],
    ]
    written = texts[texts.index("Nhiệm vụ trọng tâm:") + 1]
    assert isinstance(written, Table)
    assert written.texts == [["Nhiệm vụ", "Thời gian"], ["Rà soát hộ nghèo", "Quý IV/2025"]]
    # the appendices' style: a header row repeated and bold, widths filling the text
    assert written.header_rows == 1 and all(p.bold for p in written.rows[0][0])
    assert written.rows[1][1][0].alignment == "center"
    section = language.sections[0]
    width = section.width - section.margins["left"] - section.margins["right"]
    assert sum(written.grid) == width and sum(computed.grid) == width


def test_the_attached_line_prints_the_number_as_the_masthead_does(tmp_path: Path) -> None:
    project = copy_case("appendix-basic", tmp_path)
    document = project / "data" / "document.yaml"
    text = document.read_text(encoding="utf-8")
    text = text.replace("number: null", 'number: "0204"').replace("status: draft", "status: final")
    document.write_text(text.replace("date: null", "date: 2024-12-20"), encoding="utf-8")
    doc = read_docx(build(project))
    line = (
        "(Kèm theo Báo cáo số 0204/BC-UBND ngày 20 tháng 12 năm 2024 "
        "của Ủy ban nhân dân huyện Thử Nghiệm)"
    )
    assert [paragraphs(s)[2].text for s in doc.sections[1:]] == [line, line]


def test_an_operation_column_may_stand_before_the_columns_it_names(tmp_path: Path) -> None:
    """A "Tổng số" printed before its parts (and a difference before its operands) computes
    the figures it would after them, checked against a figure the data states."""
    project = copy_case("appendix-basic", tmp_path)
    declaration = project / "content" / "appendices.yaml"
    text = declaration.read_text(encoding="utf-8")
    total = '      - {key: tong, label: Tổng, sum: ["tw_*", "dp_*"]}\n'
    first = (
        "    column_numbers: letters\n    columns:\n" + total
        + "      - {key: tang, label: Tăng, difference: [tw_2023, tw_2022]}\n"
    )  # fmt: skip
    text = text.replace(total, "").replace("    columns:\n", first, 1)
    declaration.write_text(text, encoding="utf-8")
    doc = read_docx(build(project))
    table = tables(doc.sections[1])[0]
    assert table.texts[0] == ["STT", "Dự án", "Tổng", "Tăng", "Năm 2022", "Năm 2023"]
    assert table.texts[2] == ["A", "B", "1=3+5+4+6", "2=5-3", "3", "4", "5", "6"]
    assert table.texts[3:] == [
        ["", "Tổng cộng", "5.250,0", "1.000,0", "2.000,0", "100,0", "3.000,0", "150,0"],
        ["I", "Dự án hỗ trợ sản xuất", "2.600,0", "500,0", "1.000,0", "100,0", "1.500,0", "-"],
        ["II", "Dự án truyền thông", "2.550,5", "599,5", "900,5", "-", "1.500,0", "150,0"],
        ["III", "Dự án chưa triển khai", "-", "-", "-", "-", "-", "-"],
    ]


def test_columns_that_compute_from_each_other_are_an_error_with_their_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_case("appendix-basic", tmp_path)
    declaration = project / "content" / "appendices.yaml"
    text = declaration.read_text(encoding="utf-8")
    text = text.replace(
        'sum: ["tw_*", "dp_*"]}\n',
        'sum: ["tw_*", "dp_*", "lai"]}\n      - {key: lai, label: Lại, sum: [tong]}\n',
    )
    declaration.write_text(text, encoding="utf-8")
    line, col = next(
        (n, s.index("sum:") + 1) for n, s in enumerate(text.splitlines(), 1) if "key: tong" in s
    )
    assert main(["build", str(project)]) == 1
    assert capsys.readouterr().err == (
        f"content/appendices.yaml:{line}:{col}: error: sum: column 'tong' computes from a column "
        "that computes from it\n1 error; nothing was written\n"
    )


def test_a_title_given_as_lines_prints_them_one_under_the_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_case("appendix-language", tmp_path)
    declaration = project / "content" / "appendices.yaml"
    _edit(
        declaration,
        "    title: Danh mục nhiệm vụ\n",
        "    title:\n      - Danh mục nhiệm vụ\n      - giảm nghèo năm 2025\n",
    )
    section = read_docx(build(project)).sections[3]
    assert [p.text for p in paragraphs(section)[:3]] == [
        "Biểu mẫu số 03",
        "DANH MỤC NHIỆM VỤ",
        "GIẢM NGHÈO NĂM 2025",
    ]
    _edit(declaration, "      - giảm nghèo năm 2025\n", "      - {year: 2025}\n")
    line = next(
        n for n, s in enumerate(declaration.read_text("utf-8").splitlines(), 1) if "year:" in s
    )
    assert main(["build", str(project)]) == 1
    assert capsys.readouterr().err == (
        f"content/appendices.yaml:{line}:9: error: appendices.2.title.1: expected a text, got "
        "a mapping of keys\n1 error; nothing was written\n"
    )


def test_a_table_of_the_text_prints_its_heading_over_it(tmp_path: Path) -> None:
    project = copy_case("appendix-language", tmp_path)
    _edit(
        project / "content" / "appendices.yaml",
        "  - name: so-ho\n",
        "  - name: so-ho\n    heading: Bảng 1. Số hộ nghèo, hộ cận nghèo\n",
    )
    blocks = read_docx(build(project)).blocks
    at = next(i for i, b in enumerate(blocks) if getattr(b, "text", "").startswith("Bảng 1."))
    heading, unit, table = blocks[at : at + 3]
    assert heading.text == "Bảng 1. Số hộ nghèo, hộ cận nghèo" and heading.bold
    assert unit.text == "(Đơn vị tính: hộ)" and table.texts[0][:2] == ["TT", "Chỉ tiêu"]


def test_a_table_of_the_text_too_wide_for_headers_in_three_lines_keeps_every_column(
    tmp_path: Path,
) -> None:
    """Sixteen columns of long headers (scores by criterion) on a turned page of the text:
    every column is given a width, none negative, and the grid fills the text width."""
    header = (
        "Tỷ lệ TTHC có yêu cầu nghĩa vụ tài chính được tích hợp để người dân có thể thanh "
        "toán trực tuyến trên Cổng Dịch vụ công quốc gia"
    )
    columns = 16
    rows = [
        "| STT | ĐƠN VỊ | " + " | ".join(f"{header} ({n})" for n in range(columns - 2)) + " |",
        "|" + "-|" * columns,
        "| 1 | Sở Nông nghiệp và Môi trường | " + " | ".join(["100"] * (columns - 2)) + " |",
    ]
    project = copy_case("appendix-language", tmp_path)
    text = project / "content" / "01-noi-dung.md"
    text.write_text(
        text.read_text(encoding="utf-8") + "\n::: landscape\n\n" + "\n".join(rows) + "\n\n:::\n",
        encoding="utf-8",
    )
    document = read_docx(build(project))
    turned = next(s for s in document.sections if s.orientation == "landscape")
    (table,) = tables(turned)
    assert len(table.grid) == columns and min(table.grid) > 0
    assert sum(table.grid) == turned.width - turned.margins["left"] - turned.margins["right"]
    assert table.texts[-1][:2] == ["1", "Sở Nông nghiệp và Môi trường"]


def test_a_grid_table_s_narrow_columns_keep_their_longest_word(tmp_path: Path) -> None:
    """A grid table whose dashes follow its longest lines (a task of three hundred letters
    beside an STT and a short unit): the narrow columns keep their longest word whole."""
    task = "Tiếp nhận và xử lý kịp thời các thông tin phản ánh, kiến nghị của người dân " * 4
    wide = len(task) + 2
    rows = [
        "+-----+" + "-" * wide + "+---------------+",
        "| STT | " + "Nhiệm vụ".ljust(wide - 1) + "| Chủ trì       |",
        "+=====+" + "=" * wide + "+===============+",
        "| 1   | " + task.ljust(wide - 1) + "| Văn phòng     |",
        "+-----+" + "-" * wide + "+---------------+",
    ]
    project = copy_case("appendix-language", tmp_path)
    declaration = project / "content" / "appendices.yaml"
    text = declaration.read_text(encoding="utf-8")
    start = text.index("    attached: none\n    markdown: |\n")
    declaration.write_text(
        text[:start]
        + "    attached: none\n    markdown: |\n"
        + "".join(f"      {row}\n" for row in rows),
        encoding="utf-8",
    )
    section = read_docx(build(project)).sections[3]
    (table,) = tables(section)
    assert table.texts[1][0] == "1"
    # "STT" in bold at 12 pt and "phòng", with the cell margins: about 12 and 13 mm; the
    # dashes alone would give them 3 and 8 mm
    assert table.grid[0] >= twips_from_mm(11) and table.grid[2] >= twips_from_mm(12)
    assert sum(table.grid) == section.width - section.margins["left"] - section.margins["right"]


def test_paragraphs_after_a_table_print_under_it_and_its_notes(tmp_path: Path) -> None:
    project = copy_case("appendix-language", tmp_path)
    _edit(
        project / "content" / "appendices.yaml",
        "    attached: none\n",
        '    attached: none\n    after: ["Trên đây là danh mục nhiệm vụ năm 2025./."]\n',
    )
    section = read_docx(build(project)).sections[3]
    blocks = section.blocks
    table_at = next(i for i, b in enumerate(blocks) if isinstance(b, Table))
    (after,) = [b for b in blocks[table_at + 1 :] if isinstance(b, Paragraph) and b.text.strip()]
    assert after.text == "Trên đây là danh mục nhiệm vụ năm 2025./."
    assert not after.runs[0].italic  # a paragraph of text, not a note


def test_a_table_s_font_size_sets_its_cells_over_its_appendix_s(tmp_path: Path) -> None:
    """A table of the text and one appendix's table given a `font_size`: their cells print
    at 10 and 10.5 pt, the other tables at the default 12."""
    project = copy_case("appendix-language", tmp_path)
    before = read_docx(build(project))
    declaration = project / "content" / "appendices.yaml"
    _edit(declaration, "  - name: so-ho\n", "  - name: so-ho\n    font_size: 10\n")
    _edit(declaration, "    attached: none\n", "    attached: none\n    font_size: 10.5\n")
    document = read_docx(build(project))

    def sizes(table: Table) -> set[float | None]:
        return {size for p in table.paragraphs() for size in p.sizes}

    def text_tables(document: Document) -> tuple[Table, Table]:
        found = [b for b in document.sections[0].blocks if isinstance(b, Table)]
        computed = next(t for t in found if t.texts[0][:2] == ["TT", "Chỉ tiêu"])
        return computed, next(t for t in found if t.texts[0] == ["Nhiệm vụ", "Thời gian"])

    computed, written = text_tables(document)  # so-ho, and the Markdown table the text writes
    assert computed.texts[1] == ["1", "Số hộ nghèo", "1.457", "1.203"]
    assert sizes(computed) == {10.0}
    assert sizes(written) == {12.0}  # no declaration: the default
    assert [sizes(t) for s in document.sections[1:] for t in tables(s)] == [
        {12.0},
        {12.0},
        {10.5},
    ]
    assert sizes(text_tables(before)[0]) == {12.0}  # before the key: the default


@pytest.mark.parametrize(
    ("line", "value", "message"),
    [
        ("  - name: so-ho\n", "20", "body_tables.0.font_size: expected at most 13, got 20"),
        ("    attached: none\n", "8", "appendices.2.font_size: expected at least 9, got 8"),
        (
            "  - name: so-ho\n",
            "nhỏ",
            "body_tables.0.font_size: expected a number, got the text 'nhỏ'",
        ),
    ],
)
def test_a_table_s_font_size_out_of_range_is_an_error_at_its_value(
    tmp_path: Path, line: str, value: str, message: str
) -> None:
    project = copy_case("appendix-language", tmp_path)
    declaration = project / "content" / "appendices.yaml"
    _edit(declaration, line, f"{line}    font_size: {value}\n")
    number = declaration.read_text(encoding="utf-8").splitlines().index(f"    font_size: {value}")
    _, problems = load_declaration(declaration, "content/appendices.yaml")
    assert [str(p) for p in problems] == [
        f"content/appendices.yaml:{number + 1}:16: error: {message}"
    ]


def _looks(paragraph: Paragraph) -> list[tuple[str, bool, bool]]:
    """The paragraph's text as pieces of one look: (text, bold, italic)."""
    out: list[tuple[str, bool, bool]] = []
    for run in paragraph.runs:
        if out and out[-1][1:] == (run.bold, run.italic):
            out[-1] = (out[-1][0] + run.text, run.bold, run.italic)
        elif run.text:
            out.append((run.text, run.bold, run.italic))
    return out


def test_the_lines_under_a_table_print_their_emphasis_and_strong(tmp_path: Path) -> None:
    """`**…**` and `*…*` in a table's notes and after: bold, and in a note (italic) upright;
    in a paragraph after it italic. A star that closes nothing prints as typed."""
    project = copy_case("appendix-language", tmp_path)
    declaration = project / "content" / "appendices.yaml"
    _edit(
        declaration,
        '    notes: ["Ghi chú: vốn vay không cộng vào tổng số."]\n',
        '    notes: ["**Ghi chú:** vốn vay *không* cộng vào tổng số.", "(*) Số liệu ước."]\n'
        '    after: ["Trên đây là **kinh phí** thực hiện *năm 2025*./."]\n',
    )
    section = read_docx(build(project)).sections[2]
    texts = [p for p in paragraphs(section) if p.text.strip()]
    note = next(p for p in texts if p.text.startswith("Ghi chú:"))
    assert note.text == "Ghi chú: vốn vay không cộng vào tổng số."
    assert _looks(note) == [
        ("Ghi chú:", True, True),
        (" vốn vay ", False, True),
        ("không", False, False),
        (" cộng vào tổng số.", False, True),
    ]
    star = next(p for p in texts if p.text.startswith("(*)"))
    assert _looks(star) == [("(*) Số liệu ước.", False, True)]
    after = next(p for p in texts if p.text.startswith("Trên đây là"))
    assert _looks(after) == [
        ("Trên đây là ", False, False),
        ("kinh phí", True, False),
        (" thực hiện ", False, False),
        ("năm 2025", False, True),
        ("./.", False, False),
    ]
    assert {r.size_pt for r in note.runs} == {12.0} and {r.size_pt for r in after.runs} == {14.0}
