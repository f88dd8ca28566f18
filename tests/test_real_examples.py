"""Real published documents kept under examples/: each builds, and its tables and footnotes
are those of the published document, cell for cell (tests/expected/<example>.json holds the
published cells, read from the office's own file; see the example's SOURCE.md)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, needs_libreoffice, pdf_pages, to_pdf
from docx_reader import Document, Paragraph, Table, read_docx
from vanban.check.command import check_project
from vanban.pipeline import build
from vanban.project import open_project

EXPECTED = REPO / "tests" / "expected"


def _copy(name: str, dest: Path) -> Path:
    project = dest / name
    shutil.copytree(REPO / "examples" / name, project, ignore=shutil.ignore_patterns("build"))
    return project


def _published(name: str) -> Any:
    return json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))


def _words_outside_the_text_area(pdf: Path, pages: range, doc: Document) -> list[str]:
    """Return the words LibreOffice prints outside the margins of their page (a table that
    runs into the margins), as "page: word"."""
    out = []
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(pages.start), "-l", str(pages.stop - 1), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    section = doc.sections[-1]
    left, right = section.margins["left"] / 20, section.margins["right"] / 20
    for number, page in enumerate(html.split("<page ")[1:], start=pages.start):
        width = float(re.search(r'width="([0-9.]+)"', page).group(1))  # type: ignore[union-attr]
        for x0, x1, word in re.findall(
            r'<word xMin="([0-9.]+)" yMin="[0-9.]+" xMax="([0-9.]+)" yMax="[0-9.]+">([^<]*)', page
        ):
            if float(x0) < left - 1 or float(x1) > width - right + 1:
                out.append(f"{number}: {word}")
    return out


def _cells(rows: list[list[str]]) -> list[list[str]]:
    return [[" ".join(text.split()) for text in row] for row in rows]


# ------------------------------------------- Báo cáo CCHC năm 2025, UBND tỉnh Lâm Đồng

CCHC = "bao-cao-cchc-lam-dong-2025"


@pytest.fixture(scope="module")
def cchc(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Document]:
    project = _copy(CCHC, tmp_path_factory.mktemp("cchc"))
    return project, read_docx(build(project))


def test_cchc_every_form_shows_every_published_cell(cchc: tuple[Path, Document]) -> None:
    _, doc = cchc
    published = _published(CCHC)["forms"]
    (appendix,) = doc.sections[1:]
    blocks = appendix.blocks
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == len(published) == 7
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert texts[:2] == [
        "Phụ lục",  # "PHỤ LỤC" in the original; in lower case as ND30 asks
        "BIỂU MẪU THỐNG KÊ SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH NĂM 2025 CỦA ỦY BAN NHÂN DÂN "
        "TỈNH LÂM ĐỒNG",
    ]
    assert texts[2].endswith("của Chủ tịch Ủy ban nhân dân tỉnh Lâm Đồng)")
    for form, table in zip(published, tables, strict=True):
        before = blocks[: blocks.index(table)]
        lines = [b.text for b in before if isinstance(b, Paragraph) and b.text][-2:]
        assert lines == form["form"]
        assert table.header_rows == 2
        assert _cells(table.texts[:2]) == _cells(form["header"])
        assert _cells(table.texts[2:]) == _cells(form["rows"]), form["form"]
        assert table.spans[0] == (1, 1, 2, 1)  # "Kết quả thống kê" over two columns


def test_cchc_footnotes_are_the_published_ones_in_order(cchc: tuple[Path, Document]) -> None:
    _, doc = cchc
    published = _published(CCHC)["footnotes"]
    shown = [
        " ".join(" ".join(p.text for p in paragraphs).split())
        for paragraphs in doc.footnote_paragraphs.values()
    ]
    assert shown == [" ".join(published[str(n)].split()) for n in range(1, 18)]


def test_cchc_totals_and_rates_are_computed_and_the_one_misprint_found(
    cchc: tuple[Path, Document],
) -> None:
    project, _ = cchc
    findings = check_project(open_project(project)).findings
    tables = [f for f in findings if f.rule == "appendix-stated-total"]
    assert [str(f.problem()).split(" — ")[0] for f in tables] == [
        'data/cchc.yaml:54:106: acknowledged: Phụ lục, table "Biểu mẫu 3 Cải cách thủ tục hành '
        'chính", row "Tỷ lệ hồ sơ TTHC do các sở, ngành tiếp nhận được giải quyết đúng hạn", '
        'column "Kết quả thống kê – Số liệu": the data states 99,10 (cchc.bm3.c3_1.value) but '
        "the rows c3_1_2 / c3_1_1 × 100 give 99,11, a difference of 0,01; the appendix shows "
        "99,10"
    ]
    # A component changed: the total the report states no longer adds up, and the check says so.
    data = project / "data" / "cchc.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("value: 1946}", "value: 1945}"), encoding="utf-8")
    found = check_project(open_project(project)).findings
    changed = [f for f in found if f.status != "acknowledged"]
    assert [f.message.split(": the data")[1] for f in changed] == [
        " states 2.372 (cchc.bm3.c1_4.value) but the rows under it add up to 2.371, a "
        "difference of 1; the appendix shows 2.372"
    ]
    data.write_text(text, encoding="utf-8")


@needs_libreoffice
def test_cchc_libreoffice_prints_each_form_on_its_pages_within_the_margins(
    cchc: tuple[Path, Document], tmp_path: Path
) -> None:
    project, doc = cchc
    pdf = to_pdf(project / "build" / f"{CCHC}.docx", tmp_path)
    pages = pdf_pages(pdf)
    first = next(i for i, p in enumerate(pages) if p["text"].lstrip().startswith("Phụ lục"))
    appendix = pages[first:]
    assert all(p["size"].startswith("841.89 x 595.3") for p in appendix)  # A4 landscape
    starts = [
        next(line.strip() for line in p["text"].splitlines() if "Biểu mẫu" in line)
        for p in appendix
        if "Biểu mẫu" in p["text"]
    ]
    assert starts == [f"Biểu mẫu {n}" for n in range(1, 8)]
    assert _words_outside_the_text_area(pdf, range(first + 1, len(pages) + 1), doc) == []


# --------------------------------- Quyết định 1050/QĐ-SCT, Sở Công Thương tỉnh Lào Cai

QD = "quyet-dinh-kiem-tra-vlncn-lao-cai-2026"


@pytest.fixture(scope="module")
def qd(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Document]:
    project = _copy(QD, tmp_path_factory.mktemp("qd"))
    return project, read_docx(build(project))


def test_qd_the_attached_list_is_the_published_one_merges_kept(qd: tuple[Path, Document]) -> None:
    _, doc = qd
    published = _published(QD)
    (appendix,) = doc.sections[1:]
    assert appendix.orientation == "landscape"
    texts = [b.text for b in appendix.blocks if isinstance(b, Paragraph)]
    assert texts[0] == "Phụ lục: DANH SÁCH CÁC ĐƠN VỊ KIỂM TRA"
    assert texts[1] == (
        "(Kèm theo Quyết định số 1050/QĐ-SCT ngày 06 tháng 3 năm 2026 của Sở Công Thương)"
    )
    (table,) = [b for b in appendix.blocks if isinstance(b, Table)]
    assert table.header_rows == 1
    assert _cells(table.texts[:1]) == _cells(published["header"])
    assert _cells(table.texts[1:]) == _cells(published["rows"])
    # a unit with two projects: its TT, name and address merged over the two rows
    assert table.rows[2][0][0].text == "" and table.rows[1][0][0].text == "1"
    section = appendix
    width = section.width - section.margins["left"] - section.margins["right"]
    assert sum(table.grid) == width
    # the grid table's column widths: TT narrowest, the projects widest
    assert table.grid[0] < table.grid[1] < table.grid[2] < table.grid[3]
    assert doc.footnotes == {}  # the published decision has none


def test_qd_articles_and_clauses_are_numbered_as_published(qd: tuple[Path, Document]) -> None:
    _, doc = qd
    body = [p for p in doc.sections[0].blocks if isinstance(p, Paragraph)]
    articles = [p for p in body if p.text.startswith("Điều ")]
    # Điều 1 runs into its text (untitled); Điều 2–5 are titled lines, bold as a whole.
    assert [(p.text[:60], p.bold) for p in articles] == [
        ("Điều 1. Thành lập Đoàn kiểm tra (sau đây gọi là Đoàn kiểm tr", False),
        ("Điều 2. Đối tượng, phạm vi, nội dung, thời hạn và thời hiệu ", True),
        ("Điều 3. Nhiệm vụ và quyền hạn của Đoàn kiểm tra", True),
        ("Điều 4. Kinh phí hoạt động", True),
        ("Điều 5. Tổ chức thực hiện", True),
    ]
    assert articles[0].runs[0].text == "Điều 1." and articles[0].runs[0].bold
    start = body.index(articles[0])
    clauses = [p.text.split(" ", 1)[0] for p in body[start:] if p.text[:1].isdigit()]
    # each article's khoản numbered from 1: 4 members, 4, 8 and 2 clauses
    assert clauses == [f"{n}." for n in (1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2)]


@needs_libreoffice
def test_qd_libreoffice_prints_the_list_within_the_margins(
    qd: tuple[Path, Document], tmp_path: Path
) -> None:
    project, doc = qd
    pdf = to_pdf(project / "build" / "qd-1050-sct-2026.docx", tmp_path)
    pages = pdf_pages(pdf)
    assert len(pages) == 4 and pages[-1]["size"].startswith("841.89 x 595.3")
    assert "Gói thầu số 23" in pages[-1]["text"]
    assert _words_outside_the_text_area(pdf, range(4, 5), doc) == []


# ------------------- Báo cáo VLNCN năm 2025, UBND tỉnh Lào Cai (Cục KTAT và MTCN)

VLNCN = "bao-cao-vlncn-lao-cai-2025"


@pytest.fixture(scope="module")
def vlncn(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Document]:
    project = _copy(VLNCN, tmp_path_factory.mktemp("vlncn"))
    return project, read_docx(build(project))


def _body(doc: Document) -> list[str]:
    """The text between Kính gửi and the closing block, one paragraph an item."""
    texts = [" ".join(b.text.split()) for b in doc.sections[0].blocks if isinstance(b, Paragraph)]
    start = next(i for i, t in enumerate(texts) if t.startswith("Kính gửi:")) + 1
    return [t for t in texts[start:] if t]


def test_vlncn_the_table_in_the_text_is_the_published_one(vlncn: tuple[Path, Document]) -> None:
    _, doc = vlncn
    published = _published(VLNCN)["table"]
    assert len(doc.sections) == 1  # no appendix: the table stands in the text, under 1.a)
    blocks = doc.sections[0].blocks
    (table,) = [b for b in blocks[1:] if isinstance(b, Table) and b.header_rows]
    before = blocks[blocks.index(table) - 1]
    assert (
        isinstance(before, Paragraph) and before.text == "a) Số lượng tổ chức hoạt động VLNCN, TCTN"
    )
    # two header rows, "Cơ quan cấp phép" over three columns, no column-number row
    assert table.header_rows == 2
    assert _cells(table.texts[:2]) == _cells(published["header"])
    assert table.spans[0] == (1, 1, 1, 1, 3)
    assert _cells(table.texts[2:]) == _cells(published["rows"])
    assert table.texts[2][5] == "00" and table.texts[5][2:5] == ["01", "01", "01"]  # as typed
    assert {p.alignment for row in table.rows[2:] for cell in row[2:] for p in cell} == {"center"}
    section = doc.sections[0]
    assert sum(table.grid) == section.width - section.margins["left"] - section.margins["right"]


def test_vlncn_the_text_is_the_published_text_headings_numbered_1_and_a(
    vlncn: tuple[Path, Document],
) -> None:
    _, doc = vlncn
    published = _published(VLNCN)
    assert _body(doc) == published["paragraphs"]
    headings = [t.split(" ")[0] for t in _body(doc) if re.match(r"([0-9]+\.|[a-zđ]\)) ", t)]
    assert headings == ["1.", "a)", "b)", "c)", "d)", "đ)", "e)", "g)", "2.", "3.", "4.", "5."]
    shown = {b.text: b for b in doc.sections[0].blocks if isinstance(b, Paragraph)}
    assert "Kính gửi: Cục Kỹ thuật an toàn và Môi trường công nghiệp" in shown
    # as printed: the parts bold, the points upright
    assert shown["1. Tình hình quản lý, sử dụng VLNCN, TCTN"].bold
    assert shown["5. Đề xuất, kiến nghị"].bold
    assert not shown["a) Số lượng tổ chức hoạt động VLNCN, TCTN"].bold
    point_b = "b) Chủng loại, số lượng vật liệu nổ công nghiệp đã sử dụng trong kỳ:"
    assert not shown[point_b].bold
    assert doc.footnotes == published["footnotes"] == {}  # the published report has none


def test_vlncn_licences_and_warehouses_are_computed_and_checked(
    vlncn: tuple[Path, Document], tmp_path: Path
) -> None:
    project, _ = vlncn
    findings = check_project(open_project(project)).findings
    assert [f for f in findings if f.status != "acknowledged"] == []
    # A licensing body's figure changed: the licences the report states no longer add up.
    data = project / "data" / "vlncn.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("ubnd: 39 ", "ubnd: 38 "), encoding="utf-8")
    changed = [
        f for f in check_project(open_project(project)).findings if f.status != "acknowledged"
    ]
    assert [(f.status, f.message) for f in changed] == [
        (
            "error",  # licences are counted: no rounding explains a difference of one
            'table "to-chuc", row "Tìm kiếm, thăm dò, khai thác khoáng sản trên đất liền", '
            'column "Số lượng Giấy phép": the data states 50 (vlncn.to_chuc.khai_thac.giay_phep) '
            "but Cơ quan cấp phép – Bộ Công Thương + Cơ quan cấp phép – Bộ Quốc phòng + Cơ quan "
            "cấp phép – UBND tỉnh/Sở Công Thương add up to 49, a difference of 1; the table shows "
            "50; counts are exact, so no rounding explains it",
        )
    ]
    # The 58 warehouses are derived: one more warehouse of the users, and the text says 59.
    data.write_text(text.replace("su_dung: 52 ", "su_dung: 53 "), encoding="utf-8")
    body = _body(read_docx(build(project, tmp_path / "more.docx")))
    data.write_text(text, encoding="utf-8")
    assert any("tổng số lượng kho VLNCN: 59 kho" in t and "và 53 kho bảo quản" in t for t in body)


@needs_libreoffice
def test_vlncn_libreoffice_prints_the_report_within_the_margins(
    vlncn: tuple[Path, Document], tmp_path: Path
) -> None:
    project, doc = vlncn
    pdf = to_pdf(project / "build" / f"{VLNCN}.docx", tmp_path)
    pages = pdf_pages(pdf)
    assert all(p["size"].startswith("595.") for p in pages)  # A4 portrait throughout
    assert "Cơ quan cấp phép" in pages[0]["text"]
    assert _words_outside_the_text_area(pdf, range(1, len(pages) + 1), doc) == []


# ------------------------------------- Nghị quyết 49/NQ-HĐND năm 2021, HĐND huyện Nhà Bè

NQ = "nghi-quyet-noi-quy-ky-hop-nha-be-2021"


@pytest.fixture(scope="module")
def nq(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Document]:
    project = _copy(NQ, tmp_path_factory.mktemp("nq"))
    return project, read_docx(build(project))


def test_nq_masthead_title_and_issuer_as_published(nq: tuple[Path, Document]) -> None:
    _, doc = nq
    masthead = [p.text for p in doc.tables[0].paragraphs() if p.text.strip()]
    assert masthead == [
        "HỘI ĐỒNG NHÂN DÂN",
        "HUYỆN NHÀ BÈ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 49/NQ-HĐND",
        "Nhà Bè, ngày 05 tháng 11 năm 2021",
    ]
    name, summary, rule, council, session = doc.blocks[1:6]
    assert (name.text, name.bold) == ("NGHỊ QUYẾT", True)
    assert summary.text == (
        "VỀ BAN HÀNH NỘI QUY KỲ HỌP HĐND HUYỆN NHÀ BÈ KHÓA XI, NHIỆM KỲ 2021 - 2026"
    )
    assert rule.borders == {"top": "single"}
    # thẩm quyền ban hành over two lines, bold and centred (Mẫu 1.1)
    assert [council.text, session.text] == [
        "HỘI ĐỒNG NHÂN DÂN HUYỆN NHÀ BÈ",
        "KHÓA XI, KỲ HỌP THỨ 2",
    ]
    assert all(p.bold and p.alignment == "center" for p in (council, session))
    assert council.before == 360 and session.before == 0


def test_nq_resolves_in_articles_and_is_signed_for_the_council(nq: tuple[Path, Document]) -> None:
    _, doc = nq
    texts = [p.text for p in doc.paragraphs]
    can_cu = [p for p in doc.paragraphs if p.text.startswith(("Căn cứ", "Xét Tờ trình"))]
    assert len(can_cu) == 3 and all(p.italic for p in can_cu)
    resolved = doc.paragraph("QUYẾT NGHỊ:")
    assert resolved.bold and resolved.alignment == "center"
    articles = [t for t in texts if t.startswith("Điều ")]
    assert [t[:8] for t in articles] == ["Điều 1. ", "Điều 2. "]
    assert texts.index("QUYẾT NGHỊ:") < texts.index(articles[0])
    assert texts[texts.index(articles[1]) + 1].startswith(
        "Nghị quyết này đã được Hội đồng nhân dân Huyện khóa XI"
    )
    received, signer = doc.tables[-1].rows[0]
    assert [p.text for p in received][:2] == ["Nơi nhận:", "- Như Điều 2;"]
    assert [p.text for p in signer if p.text] == [
        "TM. HỘI ĐỒNG NHÂN DÂN",
        "CHỦ TỊCH",
        "(Họ và tên)",
    ]
    assert not any("Kính gửi" in t for t in texts)


def test_nq_passes_the_check(nq: tuple[Path, Document]) -> None:
    project, _ = nq
    assert [f.message for f in check_project(open_project(project)).findings] == []


# ------------------- Biên bản họp Hội đồng quản lý Quỹ Khuyến học tỉnh Bình Thuận, 2025

BB = "bien-ban-hop-hdql-quy-khuyen-hoc-binh-thuan-2025"


@pytest.fixture(scope="module")
def bb(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Document]:
    project = _copy(BB, tmp_path_factory.mktemp("bb"))
    return project, read_docx(build(project))


def test_bb_has_no_date_line_and_its_title_over_the_meetings_name(
    bb: tuple[Path, Document],
) -> None:
    _, doc = bb
    masthead = doc.tables[0]
    assert [p.text for p in masthead.paragraphs() if p.text.strip()] == [
        "HỘI KHUYẾN HỌC TỈNH",
        "HỘI ĐỒNG QUẢN LÝ QUỸ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số:      /BB-HĐQLQ",
    ]  # no "Bình Thuận, ngày …" under the Tiêu ngữ (Mẫu 1.9)
    assert [p.text for p in masthead.rows[1][1]] == [""]
    name, summary = doc.blocks[1:3]
    assert (name.text, name.bold) == ("BIÊN BẢN", True)
    assert summary.text.startswith("Họp Hội đồng quản lý Quỹ về việc đề nghị sửa đổi")
    assert doc.blocks[4].text.startswith("Hôm nay, vào lúc 15 giờ , ngày 17 tháng 2 năm 2025")


def test_bb_is_signed_by_the_secretary_beside_the_chair(bb: tuple[Path, Document]) -> None:
    _, doc = bb
    secretary, chair = doc.tables[-1].rows[0]
    assert [p.text for p in secretary if p.text] == ["THƯ KÝ", "Lê Đình Chương"]
    assert [p.text for p in chair if p.text] == ["CHỦ TRÌ", "Nguyễn Đình Trung"]
    assert all(p.bold and p.alignment == "center" for p in [*secretary, *chair] if p.text)
    assert doc.tables[-1].grid == (3576, 5778)  # the chair's centred under the Quốc hiệu
    texts = [p.text for p in doc.paragraphs]
    assert not any(t.startswith("Nơi nhận") for t in texts)  # the original lists none
    assert texts[texts.index("NỘI DUNG CUỘC HỌP") - 1] == "Thư ký : Đồng chí Lê Đình Chương"


def test_bb_passes_the_check(bb: tuple[Path, Document]) -> None:
    project, _ = bb
    findings = check_project(open_project(project)).findings
    assert [(f.rule, f.status) for f in findings] == [("near-miss", "acknowledged")]
