"""The reference report as a reader of the built DOCX sees it."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO, needs_libreoffice, pdf_pages, to_pdf
from vanban.pipeline import build

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXPECTED = REPO / "tests" / "expected"
ISSUED = EXPECTED / "bao-cao-dak-glei-2024.issued.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(REPO, tmp_path_factory.mktemp("report") / "bao-cao.docx")


def _xml(docx: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(docx) as package:
        return etree.fromstring(package.read(part))


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _paragraphs(docx: Path) -> list[tuple[str, str]]:
    """Return (style id, text) of every body paragraph, tables included, in order."""
    body = _xml(docx, "word/document.xml").find(f"{W}body")
    out = []
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        out.append((style.get(f"{W}val") if style is not None else "", _text(p)))
    return out


def _footnotes(docx: Path) -> list[str]:
    """Return the texts of the real footnotes in the order they are referenced."""
    notes = {
        n.get(f"{W}id"): " ".join(_text(p) for p in n.iter(f"{W}p")).strip()
        for n in _xml(docx, "word/footnotes.xml").iter(f"{W}footnote")
        if n.get(f"{W}type") is None
    }
    order = [r.get(f"{W}id") for r in _xml(docx, "word/document.xml").iter(f"{W}footnoteReference")]
    return [notes[i] for i in order]


def _golden_footnotes() -> list[str]:
    lines = []
    for name in ("footnotes-01-47.txt", "footnotes-48-63.txt"):
        lines += (EXPECTED / name).read_text(encoding="utf-8").splitlines()
    numbered = [line.split("\t", 1) for line in lines if line.strip()]
    assert [int(n) for n, _ in numbered] == list(range(1, 64))
    return [text for _, text in numbered]


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_sixty_three_footnotes_in_issued_order_with_issued_text(built: Path) -> None:
    built_notes = [_norm(n) for n in _footnotes(built)]
    golden = [_norm(n) for n in _golden_footnotes()]
    assert len(built_notes) == 63
    for number, (mine, issued) in enumerate(zip(built_notes, golden, strict=True), start=1):
        assert mine == issued, f"footnote {number}"


def test_footnote_references_are_numbered_once_each(built: Path) -> None:
    ids = [r.get(f"{W}id") for r in _xml(built, "word/document.xml").iter(f"{W}footnoteReference")]
    assert len(ids) == len(set(ids)) == 63


def test_headings_are_numbered_by_level(built: Path) -> None:
    paragraphs = _paragraphs(built)
    level1 = [text for style, text in paragraphs if style == "Heading1"]
    assert [t.split(".", 1)[0] for t in level1] == ["I", "II", "III", "IV", "V", "VI"]
    assert level1[0] == "I. ĐÁNH GIÁ CÔNG TÁC QUẢN LÝ CHƯƠNG TRÌNH"
    assert level1[5].startswith("VI. ĐỀ XUẤT, KIẾN NGHỊ")
    texts = [t for _, t in paragraphs]
    section5 = texts[texts.index("V. ĐÁNH GIÁ CHUNG") :]
    numbered = [t.split(" ", 1)[0] for t in section5 if re.match(r"^[1-9]\. ", t)][:4]
    assert numbered == ["1.", "2.", "3.", "4."]
    assert any(t.startswith("a) ") for t in texts)
    assert not any(t.startswith("1. 1.") for t in texts)


def test_dash_paragraphs_are_plain_paragraphs(built: Path) -> None:
    document = _xml(built, "word/document.xml")
    assert document.find(f".//{W}numPr") is None
    assert any(t.startswith("- Triển khai thực hiện Quyết định") for _, t in _paragraphs(built))


FIGURE = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?:,\d+)?%?|(?<![\d.,])\d+,\d+%?")


def test_every_issued_figure_is_printed_as_issued(built: Path) -> None:
    issued = ISSUED.read_text(encoding="utf-8").replace("**", "")
    mine = " ".join(t for _, t in _paragraphs(built)) + " " + " ".join(_footnotes(built))
    wanted = Counter(FIGURE.findall(issued))
    found = Counter(FIGURE.findall(mine))
    missing = {figure: n - found[figure] for figure, n in wanted.items() if found[figure] < n}
    assert missing == {}
    assert len(wanted) > 150
    for misprint in ("704.543", "507, 7", "2517 triệu đồng", "73.808", "95.176", "133.387"):
        assert misprint in mine


def test_no_template_leftovers(built: Path) -> None:
    with zipfile.ZipFile(built) as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                text = package.read(name).decode("utf-8")
                for leftover in ("{{", "{%", "{#", "[^", "{.run-in}"):
                    assert leftover not in text, (name, leftover)


def test_masthead_and_closing_texts(built: Path) -> None:
    texts = [t for _, t in _paragraphs(built)]
    texts = texts[: texts.index("Phụ lục 01")]  # the appendices follow the closing
    head = texts[:12]
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "HUYỆN ĐẮK GLEI",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số:      /BC-UBND",
        "Đắk Glei, ngày      tháng      năm 2024",
        "BÁO CÁO",
    ):
        assert expected in head
    assert any(
        t.startswith("Đánh giá kết quả thực hiện Chương trình mục tiêu Quốc gia") for t in head
    )
    tail = texts[-16:]
    for expected in (
        "Nơi nhận:",
        "- Sở Lao động-TB&XH tỉnh;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Y Thanh",
    ):
        assert expected in tail


def test_page_setup_is_nd30(built: Path) -> None:
    # The main text's section; each appendix follows in a section of its own.
    sect = next(_xml(built, "word/document.xml").find(f"{W}body").iter(f"{W}sectPr"))
    size = sect.find(f"{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    margins = sect.find(f"{W}pgMar")
    mm = {k: int(margins.get(f"{W}{k}")) / 56.6929 for k in ("top", "bottom", "left", "right")}
    assert 20 <= round(mm["top"]) <= 25 and 20 <= round(mm["bottom"]) <= 25
    assert 30 <= round(mm["left"]) <= 35 and 15 <= round(mm["right"]) <= 20
    assert sect.find(f"{W}titlePg") is not None


def test_package_is_valid_ooxml(built: Path) -> None:
    from vanban.ooxml_check import check_package

    assert check_package(built) == []


@needs_libreoffice
def test_libreoffice_renders_a4_pages_numbered_from_page_two(built: Path, tmp_path: Path) -> None:
    pages = pdf_pages(to_pdf(built, tmp_path))
    assert 12 <= len(pages) <= 40
    assert all(p["size"].endswith("(A4)") for p in pages)
    first_line = [ln.strip() for ln in pages[0]["text"].splitlines() if ln.strip()][0]
    assert not first_line.isdigit()
    second_line = [ln.strip() for ln in pages[1]["text"].splitlines() if ln.strip()][0]
    assert second_line == "2"
    first_appendix = next(i for i, p in enumerate(pages) if "Phụ lục 01" in p["text"])
    assert "Y Thanh" in pages[first_appendix - 1]["text"]


def test_what_the_reader_sees_is_formatted_the_nd30_way(built: Path) -> None:
    from docx_reader import read_docx

    doc = read_docx(built)
    title = doc.paragraph("BÁO CÁO")
    assert title.bold and title.size_pt == 14 and title.alignment == "center"
    agency = doc.paragraph("HUYỆN ĐẮK GLEI")
    assert agency.bold and agency.alignment == "center"
    motto = doc.paragraph("Độc lập - Tự do - Hạnh phúc")
    assert motto.bold and motto.size_pt == 13
    date = doc.paragraph("Đắk Glei, ngày      tháng      năm 2024")
    assert date.italic and not date.bold
    heading = doc.paragraph("I. ĐÁNH GIÁ CÔNG TÁC QUẢN LÝ CHƯƠNG TRÌNH")
    assert heading.bold and heading.size_pt == 14
    body = next(p for p in doc.paragraphs if p.text.startswith("Thực hiện Công văn số 1042"))
    assert body.alignment == "both" and body.size_pt == 14 and not body.bold
    assert 567 <= body.first_line <= 720 and body.before + body.after >= 120
    run_in = next(p for p in doc.paragraphs if p.text.startswith("2. Công tác điều hành"))
    assert run_in.runs[0].bold and not run_in.runs[-1].bold
    dash = next(p for p in doc.paragraphs if p.text.startswith("- Triển khai thực hiện Quyết"))
    assert dash.first_line == body.first_line and dash.left == 0
    last = next(
        p for p in doc.paragraphs if p.text.startswith("Ủy ban nhân dân huyện Đăk Glei báo")
    )
    assert last.keep_next  # the signature block never stands alone on the last page
    received = doc.paragraph("Nơi nhận:")
    assert received.bold and received.italic and received.size_pt == 12
    assert doc.paragraph("- Lưu: VT.").size_pt == 11
    for text in ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Y Thanh"):
        signer = doc.paragraph(text)
        assert signer.bold and signer.size_pt == 14 and signer.alignment == "center"
    note_sizes = {
        r.size_pt
        for paragraphs in doc.footnote_paragraphs.values()
        for p in paragraphs
        for r in p.text_runs
        if r.vert_align is None
    }
    assert note_sizes == {10}
    fonts = {r.font for p in doc.paragraphs for r in p.text_runs}
    assert fonts == {"Times New Roman"}
