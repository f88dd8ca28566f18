"""A landscape section of the text: `::: landscape` … `:::` prints on pages turned across."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO, commit_all, needs_libreoffice, pdf_pages, to_pdf
from vanban.errors import ProblemsError
from vanban.ooxml import DOCUMENT_PART, qn, read_parts
from vanban.ooxml_check import check_package
from vanban.pipeline import build_report

WIDE = """
::: landscape
Bảng tổng hợp kết quả kiểm tra theo từng đợt trong năm:

| **STT** | **Nội dung** | **Quý I** | **Quý II** | **Quý III** | **Quý IV** | **Ghi chú** |
|---|---|---|---|---|---|---|
| 1 | Kiểm tra định kỳ | 3 | 3 | 3 | 3 | Thực hiện đúng kế hoạch đã ban hành |
:::

Sau bảng là đoạn văn trở lại khổ dọc.
"""


def project_with(tmp_path: Path, text: str) -> Path:
    """The Lào Cai example with text added at the end of its first content file."""
    root = tmp_path / "ngang"
    example = REPO / "examples" / "bao-cao-vlncn-lao-cai-2025"
    shutil.copytree(example, root, ignore=shutil.ignore_patterns("build"))
    first = root / "content" / "01-tinh-hinh.md"
    first.write_text(first.read_text(encoding="utf-8") + text, encoding="utf-8")
    return root


def sections(docx: Path) -> list[tuple[list[str], etree._Element]]:
    """The body's sections in order: the text of their paragraphs, their w:sectPr."""
    body = etree.fromstring(read_parts(docx.read_bytes())[DOCUMENT_PART]).find(qn("w:body"))
    found: list[tuple[list[str], etree._Element]] = []
    texts: list[str] = []
    for child in body:
        texts.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        properties = child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if child.tag == qn("w:sectPr"):
            properties = child
        if properties is not None:
            found.append(([t for t in texts if t], properties))
            texts = []
    return found


def test_a_landscape_section_prints_on_turned_pages_numbered_on(tmp_path: Path) -> None:
    built = build_report(project_with(tmp_path, WIDE)).path
    (first, main), (turned, wide), (after, last) = sections(built)
    assert turned[0] == "Bảng tổng hợp kết quả kiểm tra theo từng đợt trong năm:"
    assert "1Kiểm tra định kỳ3333" in turned[1]  # the table, cell after cell
    assert after[0] == "Sau bảng là đoạn văn trở lại khổ dọc."
    assert all("VANBANLANDSCAPE" not in t for t in first + turned + after)
    size = wide.find(qn("w:pgSz"))
    assert (size.get(qn("w:w")), size.get(qn("w:h")), size.get(qn("w:orient"))) == (
        "16838",
        "11906",
        "landscape",
    )

    # the margins stay where the page is read: left 30, right 15 mm, top and bottom 20 mm
    def margins(properties: etree._Element) -> dict[str, str]:
        found = properties.find(qn("w:pgMar"))
        return {k: found.get(qn(f"w:{k}")) for k in ("left", "right", "top", "bottom")}

    assert (
        margins(wide)
        == margins(main)
        == {
            "left": "1701",
            "right": "851",
            "top": "1134",
            "bottom": "1134",
        }
    )
    # page 1 keeps ô 13's footer and no number; the sections after number their first pages
    assert main.find(qn("w:titlePg")) is not None
    for later in (wide, last):
        assert later.find(qn("w:titlePg")) is None
        assert later.find(qn("w:pgNumType")).get(qn("w:start")) is None
    # the table fills the turned page's text width: 297 mm less 30 and 15 mm of margins
    body = etree.fromstring(read_parts(built.read_bytes())[DOCUMENT_PART]).find(qn("w:body"))
    table = next(t for t in body.iter(qn("w:tbl")) if "Quý III" in "".join(t.itertext()))
    width = sum(int(c.get(qn("w:w"))) for c in table.find(qn("w:tblGrid")))
    assert 16838 - 1701 - 851 - 20 <= width <= 16838 - 1701 - 851
    assert check_package(built) == []  # the section breaks are valid OOXML


@needs_libreoffice
def test_libreoffice_turns_the_page_of_the_landscape_section(tmp_path: Path) -> None:
    built = build_report(project_with(tmp_path, WIDE)).path
    pages = pdf_pages(to_pdf(built, tmp_path))
    turned = [n for n, page in enumerate(pages, start=1) if page["size"].startswith("841.89 x")]
    assert len(turned) == 1
    page = pages[turned[0] - 1]["text"]
    assert "Quý III" in page and "Sau bảng là đoạn văn" not in page
    assert page.strip().splitlines()[0].strip() == str(turned[0])  # its number, at the top
    assert "Sau bảng là đoạn văn trở lại khổ dọc." in pages[turned[0]]["text"]
    assert pages[turned[0]]["size"].startswith("595.")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "\n::: landscape\nMột đoạn.\n",
            2,
            'a landscape section not closed: end it with a line ":::"',
        ),
        (
            "\n::: {.landscape}\n\n::: landscape\nMột đoạn.\n:::\n:::\n",
            4,
            "a landscape section inside another: close the first",
        ),
        ("\nMột đoạn.\n\n:::\n", 4, 'a ":::" that closes no section: it would print as text'),
    ],
)
def test_a_landscape_fence_out_of_turn_is_a_located_error(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    root = project_with(tmp_path, text)
    first = REPO / "examples" / "bao-cao-vlncn-lao-cai-2025" / "content" / "01-tinh-hinh.md"
    start = len(first.read_text(encoding="utf-8").splitlines())
    with pytest.raises(ProblemsError) as raised:
        build_report(root)
    assert [str(p) for p in raised.value.problems] == [
        f"content/01-tinh-hinh.md:{start + line}:1: error: {message} [div-fence]"
    ]
    assert not (root / "build").exists()


def test_a_landscape_section_leaves_absorb_the_text_the_signer_and_the_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The text's own section breaks are not where the appendices begin."""

    from docx import Document

    from vanban.cli import main as vanban

    root = project_with(tmp_path, WIDE)
    commit_all(root)
    built = build_report(root).path
    document = Document(str(built))
    row = next(r for t in document.tables for r in t.rows if r.cells[1].text == "Kiểm tra định kỳ")
    row.cells[2].paragraphs[0].runs[0].text = "4"  # in the landscape section
    after = next(p for p in document.paragraphs if p.text.startswith("Sau bảng là"))
    after.runs[0].text = after.runs[0].text.replace("đoạn văn", "phần")
    name = next(
        p
        for t in document.tables
        for c in t.rows[0].cells
        for p in c.paragraphs
        if p.text == "Nguyễn Thành Sinh"
    )
    name.runs[0].text = "Nguyễn Văn Sinh"  # in the closing, after the section
    edited = tmp_path / "ngang.docx"
    document.save(str(edited))
    assert vanban(["absorb", str(edited), str(root)]) == 0
    out = capsys.readouterr().out
    assert "not absorbed" not in out
    text = (root / "content" / "01-tinh-hinh.md").read_text(encoding="utf-8")
    assert "| 1 | Kiểm tra định kỳ | 4 | 3 | 3 | 3 |" in text
    assert "\nSau bảng là phần trở lại khổ dọc.\n" in text
    assert "name: Nguyễn Văn Sinh" in (root / "data" / "document.yaml").read_text("utf-8")


def test_a_text_that_starts_turned_turns_its_first_page_under_the_masthead(
    tmp_path: Path,
) -> None:
    """No page of the masthead alone: page 1 is turned, the masthead and title on top of
    the text's first turned lines, as a document whose first section is landscape prints."""
    root = project_with(tmp_path, "")
    opening = root / "content" / "00-mo-dau.md"
    opening.write_text(WIDE.lstrip() + "\n" + opening.read_text(encoding="utf-8"), "utf-8")
    built = build_report(root).path
    (first, turned), (after, last) = sections(built)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first[0]  # the masthead's table
    assert first[-2] == "Bảng tổng hợp kết quả kiểm tra theo từng đợt trong năm:"
    assert after[0] == "Sau bảng là đoạn văn trở lại khổ dọc."
    assert turned.find(qn("w:pgSz")).get(qn("w:orient")) == "landscape"
    assert last.find(qn("w:pgSz")).get(qn("w:orient")) != "landscape"
    # page 1 keeps ô 13's footer and no number; the portrait pages after go on numbering
    assert turned.find(qn("w:titlePg")) is not None
    assert last.find(qn("w:titlePg")) is None
    assert check_package(built) == []


@needs_libreoffice
def test_libreoffice_prints_the_masthead_on_the_turned_first_page(tmp_path: Path) -> None:
    root = project_with(tmp_path, "")
    opening = root / "content" / "00-mo-dau.md"
    opening.write_text(WIDE.lstrip() + "\n" + opening.read_text(encoding="utf-8"), "utf-8")
    pages = pdf_pages(to_pdf(build_report(root).path, tmp_path))
    assert pages[0]["size"].startswith("841.89 x")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0]["text"]
    assert "Quý III" in pages[0]["text"]
    assert pages[1]["size"].startswith("595.")
