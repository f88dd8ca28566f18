"""The second real document: the district's 2026-2030 plan (examples/ke-hoach-2026-2030),
built from the same engine and templates as the reference report, from its figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, needs_libreoffice, pdf_pages, to_pdf
from docx_reader import Document, read_docx
from reuse_cli import vanban
from vanban.ooxml import read_parts
from vanban.ooxml_check import check_package
from vanban.pipeline import Built, build_report

PLAN = REPO / "examples" / "ke-hoach-2026-2030"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_report(PLAN, tmp_path_factory.mktemp("plan") / "ke-hoach.docx")


@pytest.fixture(scope="module")
def doc(built: Built) -> Document:
    return read_docx(built.path)


def test_masthead_of_a_ke_hoach_of_the_district(doc: Document) -> None:
    assert doc.tables[0].texts == [
        [
            "ỦY BAN NHÂN DÂN\nHUYỆN ĐẮK GLEI\n",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n",
        ],
        ["Số:      /KH-UBND", "Đắk Glei, ngày      tháng      năm 2025"],
    ]
    title, summary = doc.blocks[1:3]
    assert (title.text, title.bold, title.size_pt) == ("KẾ HOẠCH", True, 14)
    assert summary.text == (
        "Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2026-2030 trên "
        "địa bàn huyện Đắk Glei"
    )
    assert not any(p.text.startswith("Kính gửi") for p in doc.paragraphs)


def test_sections_and_closing(doc: Document) -> None:
    headings = [p.text for p in doc.paragraphs if p.style == "heading 1"]
    assert headings == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. MỤC TIÊU",
        "III. NHIỆM VỤ, GIẢI PHÁP",
        "IV. KINH PHÍ THỰC HIỆN",
        "V. TỔ CHỨC THỰC HIỆN",
    ]
    can_cu = [p for p in doc.paragraphs if p.text.startswith("Căn cứ")]
    assert len(can_cu) == 3 and all(p.italic for p in can_cu)
    assert doc.paragraphs[-2].text.endswith("xem xét, giải quyết./.")
    signer = [p.text for p in doc.tables[-1].rows[0][1] if p.text]
    assert signer == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Y Thanh"]
    received = [p.text for p in doc.tables[-1].rows[0][0]]
    assert (
        received[1] == "- Sở Lao động - TB&XH tỉnh (b/c);" and received[-1] == "- Lưu: VT, LĐTBXH."
    )


def test_figures_come_from_the_reports_data_and_the_rules(doc: Document) -> None:
    text = " ".join(p.text for p in doc.paragraphs)
    for shown in (
        "toàn huyện giảm 1.075 hộ nghèo, tỷ lệ hộ nghèo giảm từ 18,91% (đầu năm 2021) xuống "
        "còn 10,40% (cuối năm 2023), tức 8,51 điểm phần trăm, bình quân mỗi năm giảm 2,84 "
        "điểm phần trăm",
        "toàn huyện còn 1.457 hộ nghèo (10,40%) và 1.091 hộ cận nghèo (7,79%)",
        "đạt 79,91%, với 41.787 người",
        "là 29.460 triệu đồng",
        "bằng 10% vốn ngân sách Trung ương",
        "giai đoạn 2026-2030",
    ):
        assert shown in text
    notes = " ".join(doc.footnotes.values())
    assert "Năm 2022: 4.619 triệu đồng; năm 2023: 11.011 triệu đồng; năm 2024: 13.830" in notes


def test_targets_not_yet_given_are_missing_in_the_draft(built: Built, doc: Document) -> None:
    missing = [f for f in built.findings if f.rule == "missing-figure"]
    assert [(f.fact, f.severity) for f in missing] == [
        ("ngheo.target_2030.poor_rate_max", "warning"),
        ("ngheo.target_2030.annual_reduction", "warning"),
        ("von.need_2026_2030", "warning"),
    ]
    assert [f for f in built.findings if f.status != "acknowledged" and f not in missing] == []
    text = " ".join(p.text for p in doc.paragraphs)
    assert "còn dưới [thiếu: ngheo.target_2030.poor_rate_max], bình quân" in text
    assert "dự kiến [thiếu: von.need_2026_2030] triệu đồng" in text


def test_a_final_plan_needs_its_targets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "ke-hoach"
    shutil.copytree(PLAN, project, ignore=shutil.ignore_patterns("build"))
    path = project / "data" / "document.yaml"
    text = path.read_text(encoding="utf-8").replace("status: draft ", "status: final ")
    path.write_text(
        text.replace("number: null", "number: 7").replace("date: null", "date: 2025-12-01")
    )
    assert vanban(["build", str(project)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "data/ngheo.yaml:29:18: error: ngheo.target_2030.poor_rate_max: figure still to be "
        "entered (!missing: chờ UBND tỉnh giao chỉ tiêu giai đoạn 2026-2030); a final document "
        "needs every figure (the text prints it at content/02-muc-tieu.md:11:330) "
        "[missing-figure]",
        "data/ngheo.yaml:30:21: error: ngheo.target_2030.annual_reduction: figure still to be "
        "entered (!missing: chờ UBND tỉnh giao chỉ tiêu giai đoạn 2026-2030); a final document "
        "needs every figure (the text prints it at content/02-muc-tieu.md:11:402) "
        "[missing-figure]",
        "data/von.yaml:12:17: error: von.need_2026_2030: figure still to be entered (!missing: "
        "chờ Trung ương, tỉnh thông báo vốn giai đoạn 2026-2030); a final document needs every "
        "figure (the text prints it at content/04-kinh-phi.md:5:65) [missing-figure]",
        "3 errors; nothing was written",
    ]


def test_same_templates_and_glossary_as_the_report() -> None:
    """The plan keeps its own copies (a report directory stands alone); they must not drift.
    After `vanban templates .`, copy templates/*.docx into the example too."""
    for name in ("reference.docx", "masthead.docx", "closing.docx"):
        assert read_parts(PLAN / "templates" / name) == read_parts(REPO / "templates" / name)
    assert (PLAN / "checks/glossary.yaml").read_bytes() == (
        REPO / "checks/glossary.yaml"
    ).read_bytes()


def test_package_is_valid(built: Built) -> None:
    assert check_package(built.path) == []


@needs_libreoffice
def test_libreoffice_renders_the_plan(built: Built, tmp_path: Path) -> None:
    pages = pdf_pages(to_pdf(built.path, tmp_path))
    assert 3 <= len(pages) <= 6 and all(p["size"].endswith("(A4)") for p in pages)
    assert "KẾ HOẠCH" in pages[0]["text"] and "Y Thanh" in pages[-1]["text"]
