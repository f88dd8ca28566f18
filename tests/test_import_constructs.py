"""`vanban import` on small Word documents, each made of the one OOXML construct it tests."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from docx_reader import read_docx
from vanban.cli import main
from vanban.importer import import_document
from vanban.pipeline import build_report
from vanban.project import load_metadata, open_project

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_PORTRAIT = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
_LANDSCAPE = '<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr>'


def _docx(
    path: Path, body: str, styles: str = "", numbering: str = "", footnotes: str = ""
) -> Path:
    """Write a Word document whose body is the given WordprocessingML (and its styles, list
    definitions and footnotes, when given)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{_W}"><w:body>{body}{_PORTRAIT}</w:body></w:document>',
        )
        if styles:
            archive.writestr("word/styles.xml", f'<w:styles xmlns:w="{_W}">{styles}</w:styles>')
        if numbering:
            archive.writestr(
                "word/numbering.xml", f'<w:numbering xmlns:w="{_W}">{numbering}</w:numbering>'
            )
        if footnotes:
            archive.writestr(
                "word/footnotes.xml", f'<w:footnotes xmlns:w="{_W}">{footnotes}</w:footnotes>'
            )
    return path


def _p(text: str, ppr: str = "", bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    runs = "".join(
        f"{rpr}<w:tab/>" if piece == "\t" else f'{rpr}<w:t xml:space="preserve">{piece}</w:t>'
        for piece in _pieces(text)
    )
    return f"<w:p><w:pPr>{ppr}</w:pPr><w:r>{runs}</w:r></w:p>"


def _pieces(text: str) -> list[str]:
    """Split text into tabs and the text between them."""
    out: list[str] = []
    for index, part in enumerate(text.split("\t")):
        if index:
            out.append("\t")
        if part:
            out.append(part)
    return out


def _import(tmp_path: Path, body: str, styles: str = "", numbering: str = "", footnotes: str = ""):
    """Import the document, then build it; return the report, the content and the build."""
    source = _docx(tmp_path / "source.docx", body, styles, numbering, footnotes)
    report = import_document(source, tmp_path / "imported")
    assert report.problems == []
    content = "".join(
        p.read_text(encoding="utf-8")
        for p in sorted((tmp_path / "imported" / "content").glob("*.md"))
    )
    built = build_report(tmp_path / "imported")
    assert not [f for f in built.findings if f.status == "error"]
    return report, content, read_docx(built.path)


def _said(report) -> str:
    return "\n".join(report.mapped + report.notes + report.corrected)


# --- numId 0: numbering switched off ------------------------------------------------------

_NUMBERING = (
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
    '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>'
)
_LIST_STYLE = (
    '<w:style w:type="paragraph" w:styleId="Muc"><w:name w:val="Muc"/>'
    '<w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
)
_OFF = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'


def test_numbering_switched_off_by_num_id_0_is_no_numbering(tmp_path: Path) -> None:
    """LibreOffice writes numId 0 on the paragraphs of a converted .doc: they have no number."""
    body = (
        _p("PHẦN B", _OFF + '<w:jc w:val="center"/>', bold=True)
        + _p("(Kèm theo Công văn của Bộ Nội vụ)", _OFF + '<w:jc w:val="center"/>')
        + _p("Số liệu cải cách hành chính", _OFF, bold=True)
        + _p("Các tỉnh báo cáo số liệu theo các biểu mẫu dưới đây.", _OFF)
    )
    report, content, doc = _import(tmp_path, body)  # no numbering.xml, as LibreOffice writes it
    assert "list numbering" not in _said(report)
    assert "#" not in content
    texts = [p.text for p in doc.paragraphs]
    assert "PHẦN B" in texts and "Số liệu cải cách hành chính" in texts
    assert not any(t.startswith(("1.", "2.", "I.")) for t in texts)
    assert doc.paragraph("PHẦN B").alignment == "center"


def test_a_styles_list_is_read_and_num_id_0_cancels_it(tmp_path: Path) -> None:
    body = (
        _p("Mở đầu của văn bản.")
        + _p("Mục theo danh sách của kiểu", '<w:pStyle w:val="Muc"/>')
        + _p("Nội dung thứ nhất.")
        + _p("Mục mà danh sách bị tắt", f'<w:pStyle w:val="Muc"/>{_OFF}')
        + _p("Nội dung thứ hai.")
    )
    report, content, doc = _import(tmp_path, body, _LIST_STYLE, _NUMBERING)
    said = _said(report)
    assert "(“Mục theo danh sách của kiểu…”): a heading numbered by Word's list numbering" in said
    assert "Mục mà danh sách bị tắt" not in said
    assert "## Mục theo danh sách của kiểu\n" in content
    assert "\n**Mục mà danh sách bị tắt**\n" in content
    texts = [p.text for p in doc.paragraphs]
    assert "1. Mục theo danh sách của kiểu" in texts
    assert "Mục mà danh sách bị tắt" in texts


# --- centred lines --------------------------------------------------------------------------


def test_lines_centred_by_tabs_or_by_their_style_keep_the_centred_title_style(
    tmp_path: Path,
) -> None:
    centred_style = (
        '<w:style w:type="paragraph" w:styleId="Giua"><w:name w:val="Giua"/>'
        '<w:pPr><w:jc w:val="center"/></w:pPr></w:style>'
    )
    centre_stop = (
        '<w:tabs><w:tab w:val="left" w:pos="3296"/><w:tab w:val="center" w:pos="4890"/></w:tabs>'
    )
    body = (
        _p("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;")
        + _p("\t\t\t \tQUYẾT ĐỊNH:", bold=True)
        + _p("Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.")
        + _p(" \tQUYẾT NGHỊ:", centre_stop, bold=True)
        + _p("CHƯƠNG TRÌNH CÔNG TÁC", '<w:pStyle w:val="Giua"/>', bold=True)
        + _p("\tMột đoạn văn có thụt đầu dòng bằng một tab.", bold=True)
    )
    _, content, doc = _import(tmp_path, body, centred_style)
    for title in ("QUYẾT ĐỊNH:", "QUYẾT NGHỊ:", "CHƯƠNG TRÌNH CÔNG TÁC"):
        assert f'::: {{custom-style="Title"}}\n{title}\n:::' in content
        printed = doc.paragraph(title)
        assert printed.alignment == "center" and printed.bold
    indented = doc.paragraph("Một đoạn văn có thụt đầu dòng bằng một tab.")
    assert indented.alignment != "center"  # one tab is a first-line indent


# --- text pandoc would read as syntax -------------------------------------------------------


def _cell(text: str, merge: str = "") -> str:
    """A cell of the text, a paragraph for each of its lines."""
    return (
        f"<w:tc><w:tcPr>{merge}</w:tcPr>{''.join(_p(line) for line in text.split(chr(10)))}</w:tc>"
    )


def _row(*cells: str) -> str:
    return "<w:tr>" + "".join(cells) + "</w:tr>"


def _table(*rows: str) -> str:
    return "<w:tbl>" + "".join(rows) + "</w:tbl>"


_MARKS = ("-", "+", "*", "1.", "a)")


def test_a_cell_or_paragraph_of_only_a_list_mark_prints_as_typed(tmp_path: Path) -> None:
    """A bare "-" is an empty list item to pandoc, in a grid table's cell most of all."""
    restart, more = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    grid_rows = [_row(_cell("STT"), _cell("Nội dung"), _cell("Số liệu"))]
    grid_rows += [
        _row(
            _cell(mark), _cell(f"Chỉ tiêu {n}"), _cell("Ghi chú chung", restart if n == 0 else more)
        )
        for n, mark in enumerate(_MARKS)
    ]
    pipe_rows = [_row(_cell("STT"), _cell("Nội dung"))]
    pipe_rows += [_row(_cell(mark), _cell(f"Mục {n}")) for n, mark in enumerate(_MARKS)]
    body = (
        _p("Các chỉ tiêu theo bảng dưới đây.")
        + _table(*grid_rows)  # merged cells: written out as a grid table
        + _p("Và theo bảng thứ hai.")
        + _table(*pipe_rows)  # no merges: a pipe table
        + "".join(_p(mark) for mark in ("-", "+", "1."))
        + _p("Kết thúc.")
    )
    _, content, doc = _import(tmp_path, body)
    assert "+=====" in content  # the grid table
    grid_table, pipe_table = [t for t in doc.tables if t.texts[0][0] == "STT"]
    assert [row[0] for row in grid_table.texts[1:]] == list(_MARKS)
    assert [row[0] for row in pipe_table.texts[1:]] == list(_MARKS)
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("Và theo bảng thứ hai.")
    assert texts[start + 1 : start + 5] == ["-", "+", "1.", "Kết thúc."]


_TYPED_NUMBERS = (
    "(i) Nâng cao nhận thức của người dân.",
    "(ii) Tăng cường năng lực cho người thực hiện.",
    "iv) Hỗ trợ thực hiện vụ việc.",
    "(1) Rà soát văn bản.",
    "(b) Kiểm tra việc thực hiện.",
    "B) Tổ chức tập huấn.",
    "A.  Nhiệm vụ chung.",
    "2025. Năm đầu tiên.",
    "#. Mục cuối.",
)


def test_a_typed_list_number_of_a_plain_paragraph_prints_as_typed(tmp_path: Path) -> None:
    """Pandoc reads "(i)", "(1)", "iv)", "B)", "A." (two spaces) … as a list marker: a paragraph
    typed so keeps its characters and is no auto-numbered list in the build."""
    body = _p("Các nhiệm vụ cụ thể như sau:") + "".join(_p(t) for t in _TYPED_NUMBERS)
    _, content, doc = _import(tmp_path, body)
    assert "\n(ii\\) Tăng cường năng lực cho người thực hiện.\n" in content
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("Các nhiệm vụ cụ thể như sau:")
    printed = [t.replace("\u00a0", " ") for t in texts[start + 1 : start + 1 + len(_TYPED_NUMBERS)]]
    assert printed == [" ".join(t.split()) if t.startswith("A.") else t for t in _TYPED_NUMBERS]
    built = build_report(tmp_path / "imported").path
    with zipfile.ZipFile(built) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    for paragraph in root.iter(f"{{{_W}}}p"):
        text = "".join(t.text or "" for t in paragraph.iter(f"{{{_W}}}t"))
        if text.startswith("(ii) Tăng cường"):
            assert paragraph.find(f"{{{_W}}}pPr/{{{_W}}}numPr") is None
            break
    else:
        raise AssertionError("no paragraph “(ii) Tăng cường …” in the build")


def test_a_closing_rule_of_hyphens_prints_as_typed_not_as_a_dash_item(tmp_path: Path) -> None:
    body = _p("Trên đây là tham luận của Ủy ban nhân dân thành phố.") + _p(
        "-" * 26, '<w:jc w:val="center"/>'
    )
    _, content, doc = _import(tmp_path, body)
    assert "\n\\" + "-" * 26 + "\n" in content
    assert "- ---" not in content
    texts = [p.text for p in doc.paragraphs]
    assert (
        texts[texts.index("Trên đây là tham luận của Ủy ban nhân dân thành phố.") + 1] == "-" * 26
    )


# --- blanks left to be written in by hand ---------------------------------------------------


def test_blanks_typed_as_spaces_keep_their_width_and_double_spaces_collapse(
    tmp_path: Path,
) -> None:
    body = (
        _p("(Kèm theo Công văn số          /BNV-CCH ngày    tháng       năm 2025 của Bộ Nội vụ)")
        + _p("Lưu: VT, CST (PLP) (    b).")
        + _p("Hai  từ cách nhau bởi hai dấu cách,\t\tvà hai tab.")
    )
    _, content, doc = _import(tmp_path, body)
    blank = "\u00a0"
    assert f"số{blank * 10}/BNV-CCH ngày{blank * 4}tháng{blank * 7}năm 2025" in content
    texts = [p.text for p in doc.paragraphs]
    assert (
        f"(Kèm theo Công văn số{blank * 10}/BNV-CCH ngày{blank * 4}tháng{blank * 7}năm 2025 của "
        "Bộ Nội vụ)" in texts
    )
    assert f"Lưu: VT, CST (PLP) ({blank * 4}b)." in texts
    assert "Hai từ cách nhau bởi hai dấu cách, và hai tab." in texts


# --- landscape pages in the text ------------------------------------------------------------


def test_a_landscape_section_of_the_text_is_imported_between_landscape_fences(
    tmp_path: Path,
) -> None:
    table = _table(
        _row(_cell("STT"), _cell("Nhiệm vụ/tiêu chí"), _cell("Năm 2025")),
        _row(_cell("1"), _cell("Số văn bản đã kiểm tra"), _cell("12")),
    )
    body = (
        _p("Phần mở đầu trên trang dọc.", f"{_PORTRAIT}")
        + _p("Phụ lục 2", bold=True)
        + table
        + _p("", _LANDSCAPE)
        + _p("Phần tiếp theo trên trang dọc.")
    )
    report, content, doc = _import(tmp_path, body)
    landscape = [n for n in report.notes if "landscape" in n]
    assert landscape == [
        "paragraphs 2–3, the table at paragraph 3 (“STT Nhiệm vụ/tiêu chí Năm 2025 1 Số…”): a "
        "landscape section of the text: written between `::: landscape` and `:::`, printed on "
        "pages turned across"
    ]
    assert "Phần mở đầu trên trang dọc.\n\n::: landscape\n\n**Phụ lục 2**\n" in content
    assert "| 1 | Số văn bản đã kiểm tra | 12 |\n\n:::\n\nPhần tiếp theo" in content
    sections = doc.sections
    assert [s.orientation for s in sections] == ["portrait", "landscape", "portrait"]
    assert "Số văn bản đã kiểm tra" in doc.all_text


def test_a_text_whose_first_section_is_turned_prints_its_first_page_turned(
    tmp_path: Path,
) -> None:
    """The source's page 1 is landscape (a list of names under its title): the rebuild's
    page 1 is too, the masthead over the list, not a page of its own."""
    table = _table(
        _row(_cell("STT"), _cell("Họ và tên"), _cell("Chức vụ, đơn vị công tác")),
        _row(_cell("1"), _cell("Nguyễn Văn An"), _cell("Giám đốc Sở Nội vụ")),
    )
    body = _p("Danh sách thành viên như sau:") + table + _p("", _LANDSCAPE) + _p("Hết danh sách.")
    report, content, doc = _import(tmp_path, body)
    assert content.startswith("::: landscape\n\nDanh sách thành viên như sau:\n")
    assert [s.orientation for s in doc.sections] == ["landscape", "portrait"]
    first = doc.sections[0].blocks
    assert "(CƠ QUAN BAN HÀNH)" in "".join(p.text for t in first[:1] for p in t.paragraphs())
    assert "Danh sách thành viên như sau:" in [b.text for b in first if hasattr(b, "text")]


# --- Nơi nhận: two items typed on one line ------------------------------------------------


def test_two_recipients_typed_on_one_line_are_two_items_not_a_side_note(tmp_path: Path) -> None:
    closing = _table(
        _row(
            "<w:tc>"
            + _p("Nơi nhận:")
            + _p("- Bộ Công an;       - Thường trực Tỉnh ủy;")
            + _p("- Lưu: VT.")
            + "</w:tc>",
            _cell("CHỦ TỊCH"),
        )
    )
    report, _, _ = _import(tmp_path, _p("Nội dung báo cáo.") + closing)
    document = (tmp_path / "imported" / "data" / "document.yaml").read_text(encoding="utf-8")
    assert "- Bộ Công an;\n  - Thường trực Tỉnh ủy;\n  - 'Lưu: VT.'" in document
    assert "a note typed beside" not in _said(report)


# --- the signature in a later cell of the closing table -------------------------------------


def _closing_texts(doc) -> list[str]:
    """The paragraphs of a built document's closing table (Nơi nhận and signature), in order."""
    closing = next(t for t in doc.tables if "Nơi nhận" in " ".join(sum(t.texts, [])))
    return [p.text.strip() for p in closing.paragraphs() if p.text.strip()]


def test_a_signature_after_an_empty_cell_of_the_closing_table_is_the_signer(
    tmp_path: Path,
) -> None:
    """Nơi nhận | (empty) | KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / name: the signature's cell is read."""
    signature = (
        "<w:tc>"
        + _p(" KT. CHỦ TỊCH", bold=True)
        + _p("PHÓ CHỦ TỊCH", bold=True)
        + "".join(_p("") for _ in range(4))
        + _p("     Nguyễn Minh", bold=True)
        + "</w:tc>"
    )
    closing = _table(
        _row("<w:tc>" + _p("Nơi nhận:") + _p("- Lưu: VT, NC.") + "</w:tc>", _cell(""), signature)
    )
    report, _, doc = _import(tmp_path, _p("Nội dung kế hoạch.") + closing)
    assert "signer: KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Nguyễn Minh" in report.mapped
    assert [n for n in report.notes if n.startswith("signature:")] == []
    assert _closing_texts(doc)[-3:] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Minh"]


def test_a_signature_over_two_rows_of_the_closing_table_is_the_signer(tmp_path: Path) -> None:
    """KT. CHỦ TỊCH beside "Nơi nhận:", the position and name beside the items below."""
    closing = _table(
        _row(_cell("Nơi nhận:"), "<w:tc>" + _p("KT. CHỦ TỊCH", bold=True) + "</w:tc>"),
        _row(
            "<w:tc>" + _p("- Các sở, ngành;") + _p("- Lưu: VT, NC.") + "</w:tc>",
            "<w:tc>"
            + _p("PHÓ CHỦ TỊCH", bold=True)
            + "".join(_p("") for _ in range(4))
            + _p("Nguyễn Ngọc Phúc", bold=True)
            + "</w:tc>",
        ),
    )
    report, _, doc = _import(tmp_path, _p("Nội dung kế hoạch.") + closing)
    assert "signer: KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Nguyễn Ngọc Phúc" in report.mapped
    assert [n for n in report.notes if n.startswith("signature:")] == []
    assert _closing_texts(doc)[-3:] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Ngọc Phúc"]


def test_a_closing_table_with_no_signature_says_so(tmp_path: Path) -> None:
    closing = _table(_row("<w:tc>" + _p("Nơi nhận:") + _p("- Lưu: VT.") + "</w:tc>", _cell("")))
    report, _, doc = _import(tmp_path, _p("Nội dung kế hoạch.") + closing)
    assert not [m for m in report.mapped if m.startswith("signer")]
    assert [n for n in report.notes if "signature" in n or "signer" in n] == [
        "table at paragraph 2: no signature beside Nơi nhận: `signer` left for you to fill in",
        "signature: no position found: `signer.position` left for you",
    ]
    assert _closing_texts(doc)[-2:] == ["(CHỨC VỤ)", "(Họ và tên)"]


# --- the masthead's date: a dated draft, a year left blank ----------------------------------


def _masthead(number_line: str, date_line: str) -> str:
    agency = "<w:tc>" + _p("ỦY BAN NHÂN DÂN", bold=True) + _p("TỈNH LÂM ĐỒNG", bold=True)
    motto = "<w:tc>" + _p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    motto += _p("Độc lập - Tự do - Hạnh phúc", bold=True)
    if number_line:
        return _table(
            _row(agency + "</w:tc>", motto + "</w:tc>"),
            _row(_cell(number_line), _cell(date_line)),
        )
    return _table(_row(agency + "</w:tc>", motto + _p("") + _p(date_line) + "</w:tc>"))


_CENTRED = '<w:jc w:val="center"/>'
_TITLE = _p("KẾ HOẠCH", _CENTRED, bold=True) + _p("Tuyên truyền năm 2026", _CENTRED, bold=True)


def _masthead_lines(doc) -> list[str]:
    return [p.text for p in doc.tables[0].paragraphs() if p.text.strip()]


def test_a_dated_masthead_without_a_so_keeps_its_date_in_a_draft(tmp_path: Path) -> None:
    body = _masthead("", "Hà Nội, ngày 09 tháng 10 năm 2025") + _TITLE + _p("Nội dung.")
    report, _, doc = _import(tmp_path, body)
    assert "place and date: Hà Nội, ngày 09 tháng 10 năm 2025" in report.mapped
    assert (
        "masthead: a date and no số: imported as a draft, which prints the date as the "
        "original does; a final document needs both `number` and `date`" in report.notes
    )
    document = (tmp_path / "imported" / "data" / "document.yaml").read_text(encoding="utf-8")
    assert "\nstatus: draft\n" in document and "\ndate: 2025-10-09\n" in document
    assert "Hà Nội, ngày 09 tháng 10 năm 2025" in _masthead_lines(doc)


def test_a_so_without_a_date_is_kept_in_a_draft(tmp_path: Path) -> None:
    body = _masthead("Số: 106/KH-UBND", "Lâm Đồng, ngày      tháng      năm 2025") + _TITLE
    report, _, doc = _import(tmp_path, body + _p("Nội dung."))
    assert (
        "masthead: số 106 and no date: imported as a draft, which prints the số as the "
        "original does; a final document needs both `number` and `date`" in report.notes
    )
    blank = " " * 6
    assert _masthead_lines(doc)[-2:] == [
        "Số: 106/KH-UBND",
        f"Lâm Đồng, ngày{blank}tháng{blank}năm 2025",
    ]


def test_a_date_line_with_its_year_blank_keeps_the_place_and_prints_the_blank(
    tmp_path: Path,
) -> None:
    body = _masthead("Số:              /KH-UBND", "Lâm Đồng, ngày         tháng        năm ")
    report, _, doc = _import(tmp_path, body + _TITLE + _p("Nội dung."))
    assert "place and date: Lâm Đồng, ngày tháng năm" in report.mapped
    masthead_notes = [n for n in report.notes if n.startswith("masthead:")]
    assert masthead_notes == [
        "masthead: “Lâm Đồng, ngày tháng năm” leaves the year blank: `year` left blank too, "
        "and the build prints “năm” and a blank; give it when the document is issued"
    ]
    document = (tmp_path / "imported" / "data" / "document.yaml").read_text(encoding="utf-8")
    assert "\nplace: Lâm Đồng\n" in document and "\nyear:\n" in document
    blank = " " * 6
    assert _masthead_lines(doc)[-2:] == [
        f"Số:{blank}/KH-UBND",
        f"Lâm Đồng, ngày{blank}tháng{blank}năm{blank}",
    ]


def test_a_day_printed_without_its_year_is_said_to_be_left_blank(tmp_path: Path) -> None:
    body = _masthead("Số:      /KH-UBND", "Lâm Đồng, ngày 09 tháng 10 năm ")
    report, _, doc = _import(tmp_path, body + _TITLE + _p("Nội dung."))
    assert (
        "masthead: “Lâm Đồng, ngày 09 tháng 10 năm” prints a day without a full date: vanban "
        "prints the day only with the month and the year (`date`), so it is left blank"
        in report.notes
    )
    assert _masthead_lines(doc)[-1] == f"Lâm Đồng, ngày{' ' * 6}tháng 10 năm{' ' * 6}"


def test_a_date_line_that_is_no_date_is_said_so_not_a_traceback(tmp_path: Path) -> None:
    body = _masthead("Số:      /KH-UBND", "Lâm Đồng, ngày 31 tháng 02 năm 2026")
    report, _, doc = _import(tmp_path, body + _TITLE + _p("Nội dung."))
    assert (
        "masthead: “Lâm Đồng, ngày 31 tháng 02 năm 2026” is not a date: day and month left "
        "blank" in report.notes
    )
    assert _masthead_lines(doc)[-1] == f"Lâm Đồng, ngày{' ' * 6}tháng{' ' * 6}năm 2026"


def test_a_signers_name_typed_under_the_closing_table_is_the_signer(tmp_path: Path) -> None:
    """The table holds Nơi nhận and "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"; the name is a paragraph
    under it, pushed right with spaces."""
    closing = _table(
        _row(
            "<w:tc>" + _p("Nơi nhận:") + _p("- Lưu: VT, NC.") + "</w:tc>",
            _cell(""),
            "<w:tc>" + _p(" KT. CHỦ TỊCH", bold=True) + _p("PHÓ CHỦ TỊCH", bold=True) + "</w:tc>",
        )
    )
    body = _p("Nội dung kế hoạch.") + closing + _p(" " * 70) + _p("      Nguyễn Minh", bold=True)
    report, _, doc = _import(tmp_path, body)
    assert "signer: KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Nguyễn Minh" in report.mapped
    assert [n for n in report.notes if "signer" in n or "signature" in n] == [
        "paragraph 3 (“Nguyễn Minh…”): the signer's name “Nguyễn Minh” is typed under the "
        "signature's table: read as `signer.name`"
    ]
    assert _closing_texts(doc)[-3:] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Minh"]
    assert doc.all_text.count("Nguyễn Minh") == 1


def test_a_heading_under_a_signature_without_a_name_is_no_name(tmp_path: Path) -> None:
    closing = _table(
        _row("<w:tc>" + _p("Nơi nhận:") + _p("- Lưu: VT.") + "</w:tc>", _cell("CHỦ TỊCH"))
    )
    body = _p("Nội dung kế hoạch.") + closing + _p("Phụ lục", bold=True)
    body += _table(_row(_cell("STT"), _cell("Nội dung")), _row(_cell("1"), _cell("Tuyên truyền")))
    report, _, doc = _import(tmp_path, body)
    assert "signer: CHỦ TỊCH" in report.mapped
    assert "signature: no signer's name (a draft): left for you to fill in" in report.notes
    assert _closing_texts(doc)[-2:] == ["CHỦ TỊCH", "(Họ và tên)"]


# --- a kind of Mẫu 1.4 read by its type name ------------------------------------------------


def _with_type_name(type_name: str, symbol: str) -> str:
    """Return the body of a Mẫu 1.4 document: masthead, type name and trích yếu, a
    paragraph of text, Nơi nhận and signer."""
    centre = '<w:jc w:val="center"/>'
    masthead = _table(
        _row(
            "<w:tc>"
            + _p("ỦY BAN NHÂN DÂN", bold=True)
            + _p("HUYỆN ĐẮK GLEI", bold=True)
            + "</w:tc>",
            "<w:tc>"
            + _p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
            + _p("Độc lập - Tự do - Hạnh phúc", bold=True)
            + "</w:tc>",
        ),
        _row(_cell(f"Số: 12/{symbol}"), _cell("Đắk Glei, ngày 05 tháng 3 năm 2025")),
    )
    closing = _table(
        _row(
            "<w:tc>"
            + _p("Nơi nhận:")
            + _p("- Các xã, thị trấn;")
            + _p("- Lưu: VT, VP.")
            + "</w:tc>",
            "<w:tc>" + _p("TL. CHỦ TỊCH", bold=True) + _p("CHÁNH VĂN PHÒNG", bold=True) + "</w:tc>",
        )
    )
    return (
        masthead
        + _p(type_name, centre, bold=True)
        + _p(
            "Kết luận của Chủ tịch Ủy ban nhân dân huyện tại cuộc họp ngày 04/3/2025",
            centre,
            bold=True,
        )
        + _p("Chủ tịch Ủy ban nhân dân huyện kết luận như sau./.")
        + closing
    )


@pytest.mark.parametrize(
    ("type_name", "symbol", "kind", "printed"),
    [
        ("THÔNG BÁO", "TB-UBND", "thong-bao", "THÔNG BÁO"),
        ("HƯỚNG DẪN", "HD-UBND", "huong-dan", "HƯỚNG DẪN"),
        ("GIẤY UỶ QUYỀN", "GUQ-UBND", "giay-uy-quyen", "GIẤY ỦY QUYỀN"),  # the older tone mark
    ],
)
def test_a_type_name_of_mau_1_4_is_its_kind(
    tmp_path: Path, type_name: str, symbol: str, kind: str, printed: str
) -> None:
    report, content, doc = _import(tmp_path, _with_type_name(type_name, symbol))
    assert f"kind: {type_name} → {kind}" in report.mapped
    assert "not one of vanban's kinds" not in _said(report)
    document = (tmp_path / "imported" / "data" / "document.yaml").read_text(encoding="utf-8")
    assert f"kind: {kind}\n" in document
    texts = [p.text for p in doc.paragraphs]
    assert texts.count(printed) == 1 and type_name not in content
    assert f"Số: 12/{symbol}" in doc.all_text


# --- a Phụ lục of paragraphs after a table Phụ lục -----------------------------------------

_CENTRED = '<w:jc w:val="center"/>'


def test_a_phu_luc_of_paragraphs_is_imported_as_a_text_after_the_table_phu_luc(
    tmp_path: Path,
) -> None:
    closing = _table(
        _row(
            "<w:tc>" + _p("Nơi nhận:") + _p("- Các sở, ngành;") + _p("- Lưu: VT.") + "</w:tc>",
            "<w:tc>" + _p("CHỦ TỊCH", bold=True) + _p("Nguyễn Văn An", bold=True) + "</w:tc>",
        )
    )
    units = _table(
        _row(_cell("STT"), _cell("Đơn vị được kiểm tra"), _cell("Thời gian kiểm tra")),
        _row(_cell("1"), _cell("Sở Xây dựng"), _cell("Tháng 7/2026")),
        _row(_cell("2"), _cell("Sở Y tế"), _cell("Tháng 8/2026")),
    )
    body = (
        _p("Thời gian kiểm tra theo Phụ lục I; đơn vị báo cáo theo Đề cương tại Phụ lục II.")
        + closing
        + _p("Phụ lục I", _CENTRED, bold=True)
        + _p("THỜI GIAN, ĐƠN VỊ ĐƯỢC KIỂM TRA", _CENTRED, bold=True)
        + units
        + _p("Ghi chú: thời gian có thể thay đổi.")
        + _p("Phụ lục II", _CENTRED, bold=True)
        + _p("ĐỀ CƯƠNG BÁO CÁO PHỤC VỤ KIỂM TRA", _CENTRED, bold=True)
        + _p("CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2026", _CENTRED, bold=True)
        + _p("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", bold=True)
        + _p("1. Việc ban hành kế hoạch cải cách hành chính.")[: -len("</w:p>")]
        + '<w:r><w:footnoteReference w:id="2"/></w:r></w:p>'
        + _p("2. Việc theo dõi, đôn đốc, đánh giá tiến độ.")
        + _p("II. ĐÁNH GIÁ CHUNG, KIẾN NGHỊ", bold=True)
        + _p("Đánh giá chung kết quả đạt được./.")
    )
    footnotes = (
        '<w:footnote w:id="2"><w:p><w:r><w:t>Theo Kế hoạch số 12/KH-UBND ngày 05/01/2026.'
        "</w:t></w:r></w:p></w:footnote>"
    )
    report, _, doc = _import(tmp_path, body, footnotes=footnotes)
    imported = tmp_path / "imported"
    assert (
        (imported / "content" / "phu-luc" / "02-de-cuong-bao.md")
        .read_text(encoding="utf-8")
        .endswith(
            "#. Việc ban hành kế hoạch cải cách hành chính.[^kh-12-2026]\n\n"
            "#. Việc theo dõi, đôn đốc, đánh giá tiến độ.\n\n"
            "# ĐÁNH GIÁ CHUNG, KIẾN NGHỊ\n\n"
            "Đánh giá chung kết quả đạt được./.\n\n"
            "[^kh-12-2026]: Theo Kế hoạch số 12/KH-UBND ngày 05/01/2026.\n"
        )
    )
    assert list(doc.footnotes.values()) == ["Theo Kế hoạch số 12/KH-UBND ngày 05/01/2026."]
    assert (
        "Phụ lục II: a Phụ lục of 5 paragraphs → content/phu-luc/02-de-cuong-bao.md (text:); "
        "headings: roman, number, letter" in report.mapped
    )
    assert [n for n in report.notes if "appendix" in n or "after the signature" in n] == []
    assert (
        "Phụ lục I, table 1: “Ghi chú: thời gian có thể thay đổi.…” under it → `notes:`"
        in report.mapped
    )
    declaration = (imported / "content" / "appendices.yaml").read_text(encoding="utf-8")
    assert (
        "  - name: phu-luc-2\n"
        "    title:\n"
        "      - ĐỀ CƯƠNG BÁO CÁO PHỤC VỤ KIỂM TRA\n"
        "      - CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2026\n"
        "    text: phu-luc/02-de-cuong-bao.md\n"
        "    headings: roman\n" in declaration
    )
    texts = [p.text for p in doc.paragraphs if p.text]
    first = texts.index("Phụ lục I")
    assert texts[first + 1] == "THỜI GIAN, ĐƠN VỊ ĐƯỢC KIỂM TRA"
    assert [row[1] for row in doc.tables[-1].texts] == [
        "Đơn vị được kiểm tra",
        "Sở Xây dựng",
        "Sở Y tế",
    ]
    # the note under the table prints under it, in italics
    note = next(p for p in doc.paragraphs if p.text == "Ghi chú: thời gian có thể thay đổi.")
    assert note.runs[0].italic
    second = texts.index("Phụ lục II")
    assert first < second
    # the title's two lines as printed, one under the other
    assert texts[second + 1 : second + 3] == [
        "ĐỀ CƯƠNG BÁO CÁO PHỤC VỤ KIỂM TRA",
        "CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2026",
    ]
    assert texts[second + 3].startswith("(Kèm theo Báo cáo số")
    assert texts[second + 4 :] == [
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "1. Việc ban hành kế hoạch cải cách hành chính.",
        "2. Việc theo dõi, đôn đốc, đánh giá tiến độ.",
        "II. ĐÁNH GIÁ CHUNG, KIẾN NGHỊ",
        "Đánh giá chung kết quả đạt được./.",
    ]


def test_a_phu_luc_titled_with_a_kind_s_name_stays_a_phu_luc(tmp_path: Path) -> None:
    """ "Phụ lục / HƯỚNG DẪN …" is an appendix with that title, not an attached Hướng dẫn."""
    body = _phu_luc_of_paragraphs(
        ["Các đơn vị báo cáo theo hướng dẫn tại Phụ lục kèm theo.", "Phụ lục"],
        ["HƯỚNG DẪN XÂY DỰNG BÁO CÁO"],
        ["**I. NỘI DUNG BÁO CÁO", "Báo cáo kết quả thực hiện trong kỳ."],
    )
    report, _, doc = _import(tmp_path, body)
    declaration = (tmp_path / "imported" / "content" / "appendices.yaml").read_text("utf-8")
    assert "title: HƯỚNG DẪN XÂY DỰNG BÁO CÁO\n" in declaration
    assert "\n    document:" not in declaration
    texts = [p.text for p in doc.paragraphs if p.text]
    at = texts.index("Phụ lục")
    assert texts[at + 1] == "HƯỚNG DẪN XÂY DỰNG BÁO CÁO"
    assert texts[at + 3 :] == ["I. NỘI DUNG BÁO CÁO", "Báo cáo kết quả thực hiện trong kỳ."]


def test_a_phu_luc_issued_alone_is_imported_as_the_appendix_in_a_file_of_its_own(
    tmp_path: Path,
) -> None:
    table = _table(
        _row(_cell("STT"), _cell("Chỉ tiêu thống kê"), _cell("Đơn vị tính"), _cell("Số liệu")),
        _row(_cell("1"), _cell("Số văn bản chỉ đạo đã ban hành"), _cell("Văn bản"), _cell("82")),
        _row(_cell("2"), _cell("Số cuộc kiểm tra"), _cell("Cuộc"), _cell("38")),
    )
    body = (
        _p("PHỤ LỤC", _CENTRED, bold=True)
        + _p("BIỂU MẪU THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH NĂM 2025", _CENTRED, bold=True)
        + _p(
            "(Kèm theo Báo cáo số        /BC-UBND ngày       tháng 12 năm 2025 của Chủ tịch "
            "Ủy ban nhân dân tỉnh Thử Nghiệm)",
            _CENTRED,
        )
        + table
    )
    source = _docx(tmp_path / "phu-luc.docx", body)
    report = import_document(source, tmp_path / "imported")
    assert report.problems == []
    assert (
        "a Phụ lục issued in a file of its own: “(Kèm theo Báo cáo số /BC-UBND ngày tháng 12 "
        "năm 2025 của Chủ…” → kind bao-cao, agency “Ủy ban nhân dân tỉnh Thử Nghiệm”, year "
        "2025; appendix_files: separate and issuance: electronic, as ND30 issues such a file "
        "(Phụ lục I, III.1.d): build/<output>-phu-luc-01.docx is the Phụ lục"
    ) in report.mapped
    assert "no Nơi nhận / signature block found: signer and recipients left blank" not in (
        report.notes
    )
    assert (
        "masthead: no place and date line: `place` left for you (the build prints “(địa danh)”)"
        in report.notes
    )
    metadata = (tmp_path / "imported" / "data" / "document.yaml").read_text(encoding="utf-8")
    for line in (
        "kind: bao-cao\n",
        "  full_name: Ủy ban nhân dân tỉnh Thử Nghiệm\n",
        "year: 2025\n",
        "appendix_files: separate\n",
        "issuance: electronic\n",
    ):
        assert line in metadata
    built = build_report(tmp_path / "imported")
    (appendix,) = built.attachments
    assert appendix.name == "imported-phu-luc-01.docx"
    document = read_docx(appendix)
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[:3] == [
        "Phụ lục",
        "BIỂU MẪU THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH NĂM 2025",
        "(Kèm theo Báo cáo số      /BC-UBND ngày      tháng      năm 2025 của Chủ tịch Ủy ban "
        "nhân dân tỉnh Thử Nghiệm)",  # issued electronically: the số and the day left blank
    ]
    assert [row[-1] for row in document.tables[-1].texts][-2:] == ["82", "38"]


def test_attached_documents_and_phu_luc_keep_the_order_of_the_source(tmp_path: Path) -> None:
    """A Phụ lục printed before the Quy chế stays before it; a chapter's title in capitals
    ("Chương I" / "QUY ĐỊNH CHUNG") is no document of its own; two lists of one kind get
    names of their own."""
    closing = _table(
        _row(
            "<w:tc>" + _p("Nơi nhận:") + _p("- Như Điều 3;") + _p("- Lưu: VT.") + "</w:tc>",
            "<w:tc>" + _p("CHỦ TỊCH", bold=True) + _p("Nguyễn Văn An", bold=True) + "</w:tc>",
        )
    )
    units = _table(
        _row(_cell("STT"), _cell("Đơn vị"), _cell("Số thành viên")),
        _row(_cell("1"), _cell("Sở Nội vụ"), _cell("3")),
    )
    attached = _masthead("", "Lâm Đồng, ngày    tháng    năm 2026")
    body = (
        _p("QUYẾT ĐỊNH:", _CENTRED, bold=True)
        + _p("Điều 1. Ban hành kèm theo Quyết định này Quy chế và các danh sách.", bold=True)
        + closing
        + _p("Phụ lục I", _CENTRED, bold=True)
        + _p("CÁC ĐƠN VỊ THAM GIA", _CENTRED, bold=True)
        + units
        + attached
        + _p("QUY CHẾ", _CENTRED, bold=True)
        + _p("Làm việc của Tổ giúp việc", _CENTRED, bold=True)
        + _p("Chương I", _CENTRED, bold=True)
        + _p("QUY ĐỊNH CHUNG", _CENTRED, bold=True)
        + _p("Điều 1. Phạm vi điều chỉnh", bold=True)
        + _p("Quy chế này quy định việc làm việc của Tổ.")
        + _p("Chương II", _CENTRED, bold=True)
        + _p("ĐIỀU KHOẢN THI HÀNH", _CENTRED, bold=True)
        + _p("Điều 2. Hiệu lực", bold=True)
        + _p("Quy chế có hiệu lực từ ngày ký./.")
        + attached
        + _p("DANH SÁCH", _CENTRED, bold=True)
        + _p("Thành viên Tổ giúp việc", _CENTRED, bold=True)
        + _p("1. Ông Nguyễn Văn Bình.")
        + attached
        + _p("DANH SÁCH", _CENTRED, bold=True)
        + _p("Thư ký Tổ giúp việc", _CENTRED, bold=True)
        + _p("1. Bà Trần Thị Hoa.")
    )
    report, _, doc = _import(tmp_path, body)
    declaration = (tmp_path / "imported" / "content" / "appendices.yaml").read_text("utf-8")
    names = [line.split(": ", 1)[1] for line in declaration.splitlines() if "- name: " in line]
    assert names == ["phu-luc-1", "quy-che", "danh-sach", "danh-sach-2"]
    quy_che = (tmp_path / "imported" / "content" / "kem-theo" / "01-quy-che.md").read_text("utf-8")
    assert quy_che.startswith("# QUY ĐỊNH CHUNG\n\n## Phạm vi điều chỉnh\n")
    assert "# ĐIỀU KHOẢN THI HÀNH\n\n## Hiệu lực\n" in quy_che
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    order = [t for t in texts if t in ("Phụ lục", "QUY CHẾ", "DANH SÁCH")]
    assert order == ["Phụ lục", "QUY CHẾ", "DANH SÁCH", "DANH SÁCH"]
    assert "Chương I\nQUY ĐỊNH CHUNG" in texts[texts.index("QUY CHẾ") : texts.index("DANH SÁCH")]
    assert "THÀNH VIÊN TỔ GIÚP VIỆC" not in texts  # a document's trích yếu prints as typed
    assert texts.index("Thành viên Tổ giúp việc") < texts.index("Thư ký Tổ giúp việc")


def test_a_count_typed_with_a_leading_zero_beside_a_note_prints_as_typed(tmp_path: Path) -> None:
    body = _phu_luc_of_rows(
        ["Số liệu tại Phụ lục.", "PHỤ LỤC", "SỐ LIỆU TỔ CHỨC BỘ MÁY"],
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"],
        ["1", "Số ban quản lý dự án", "Ban", "03", "Các ban quản lý dự án"],
        ["2", "Số tổ chức liên ngành", "Tổ chức", "44", ""],
    )
    _, _, doc = _import(tmp_path, body)
    facts = (tmp_path / "imported" / "data" / "phu-luc.yaml").read_text(encoding="utf-8")
    assert 'c2: 03, c3: "Các ban quản lý dự án"' in facts
    assert doc.tables[-1].texts[-2:] == [
        ["1", "Số ban quản lý dự án", "Ban", "03", "Các ban quản lý dự án"],
        ["2", "Số tổ chức liên ngành", "Tổ chức", "44", ""],
    ]


def test_a_text_cell_of_several_paragraphs_keeps_a_line_for_each(tmp_path: Path) -> None:
    body = _phu_luc_of_rows(
        ["Số liệu tại Phụ lục.", "PHỤ LỤC", "THÀNH PHẦN ĐOÀN KIỂM TRA"],
        ["STT", "Đơn vị", "Đơn vị tính", "Số người", "Thành viên"],
        ["1", "Sở Công Thương", "Người", "3", "Đỗ Mạnh Cường\nVũ Việt Linh\nNguyễn Thị Loan"],
        ["2", "Công an tỉnh", "Người", "1", "Trần Văn Nam"],
    )
    _, _, doc = _import(tmp_path, body)
    facts = (tmp_path / "imported" / "data" / "phu-luc.yaml").read_text(encoding="utf-8")
    assert '"Đỗ Mạnh Cường\\nVũ Việt Linh\\nNguyễn Thị Loan"' in facts
    names = doc.tables[-1].rows[-2][-1]
    assert "\n".join(p.text for p in names).split("\n") == [
        "Đỗ Mạnh Cường",
        "Vũ Việt Linh",
        "Nguyễn Thị Loan",
    ]


def test_a_closing_typed_in_paragraphs_with_tabs_is_read(tmp_path: Path) -> None:
    """ "Nơi nhận:" and the signature on one line, tabs between; the items under it, the
    position beside the first; the name typed after tabs under the items."""
    body = (
        _p("BÁO CÁO", _CENTRED, bold=True)
        + _p("", _CENTRED)
        + _p("Tổng kết công tác phòng, chống ma túy năm 2025", _CENTRED, bold=True)
        + _p("")
        + _p("Trên đây là báo cáo tổng kết./.")
        + _p("Nơi nhận:\t\t\t\t\tKT. CHỦ TỊCH", bold=True)
        + _p("- Văn phòng Bộ Công an;\t\t\t\tPHÓ CHỦ TỊCH")
        + _p("- Thường trực Tỉnh ủy;")
        + _p("- Lưu: VT.")
        + _p("")
        + _p("\t\t\t\t\tNguyễn Văn An")
    )
    report, content, doc = _import(tmp_path, body)
    document = (tmp_path / "imported" / "data" / "document.yaml").read_text(encoding="utf-8")
    assert "summary: Tổng kết công tác phòng, chống ma túy năm 2025\n" in document
    assert (
        "recipients:\n  - Văn phòng Bộ Công an;\n  - Thường trực Tỉnh ủy;\n  - 'Lưu: VT.'\n"
        in document
    )
    assert (
        "signer:\n  authority:\n    - KT. CHỦ TỊCH\n  position: PHÓ CHỦ TỊCH\n"
        "  name: Nguyễn Văn An\n" in document
    )
    assert "signer: KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Nguyễn Văn An" in report.mapped
    assert "Nơi nhận" not in content and "Nguyễn Văn An" not in content
    assert content.strip().endswith("Trên đây là báo cáo tổng kết./.")


def test_a_space_typed_before_a_note_s_mark_stays_between_the_words(tmp_path: Path) -> None:
    body = (
        '<w:p><w:r><w:t xml:space="preserve">Các hình thức tuyên truyền khác </w:t></w:r>'
        '<w:r><w:footnoteReference w:id="2"/></w:r><w:r><w:t>(nếu có).</w:t></w:r></w:p>'
    )
    footnotes = (
        '<w:footnote w:id="2"><w:p><w:r><w:t>Nêu cụ thể hình thức.</w:t></w:r></w:p></w:footnote>'
    )
    _, content, doc = _import(tmp_path, body, footnotes=footnotes)
    assert "Các hình thức tuyên truyền khác[^neu-cu-the] (nếu có)." in content
    assert "Các hình thức tuyên truyền khác (nếu có)." in [p.text for p in doc.paragraphs]


def test_a_run_in_heading_with_a_decimal_number_and_a_long_text_keeps_the_numbering(
    tmp_path: Path,
) -> None:
    long_text = "Phối hợp với cấp ủy, chính quyền địa phương tuyên truyền, vận động nhân dân. " * 8
    run_in = (
        '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">1.2. Bộ Chỉ huy quân sự '
        f'tỉnh:</w:t></w:r><w:r><w:t xml:space="preserve"> {long_text}</w:t></w:r></w:p>'
    )
    body = (
        _p("I. NHIỆM VỤ, GIẢI PHÁP", bold=True)
        + _p("1. Trách nhiệm của các cơ quan", bold=True)
        + _p("1.1. Công an tỉnh", bold=True)
        + _p("Chủ trì tham mưu triển khai kế hoạch.")
        + run_in
        + _p("1.3. Sở Văn hóa, Thể thao và Du lịch", bold=True)
        + _p("Tuyên truyền phòng, chống ma túy.")
    )
    report, content, doc = _import(tmp_path, body)
    assert "### Bộ Chỉ huy quân sự tỉnh: {.run-in}" in content
    texts = [p.text for p in doc.paragraphs]
    assert "1.3. Sở Văn hóa, Thể thao và Du lịch" in texts  # not renumbered 1.2.
    assert any(t.startswith("1.2. Bộ Chỉ huy quân sự tỉnh: Phối hợp") for t in texts)
    assert not [n for n in report.notes if "1.2." in n]


def test_a_paragraph_under_a_phu_luc_s_table_prints_under_it(tmp_path: Path) -> None:
    closing = _table(
        _row(
            "<w:tc>" + _p("Nơi nhận:") + _p("- Bộ Nội vụ;") + _p("- Lưu: VT.") + "</w:tc>",
            "<w:tc>" + _p("CHỦ TỊCH", bold=True) + _p("Hồ Văn Mười", bold=True) + "</w:tc>",
        )
    )
    scores = _table(
        _row(_cell("TT"), _cell("Tiêu chí"), _cell("Tài liệu kiểm chứng")),
        _row(_cell("1"), _cell("Công tác chỉ đạo, điều hành"), _cell("Kế hoạch số 12/KH-UBND")),
    )
    closing_words = (
        "Trên đây là nội dung Báo cáo tổng hợp kết quả tự đánh giá, kính gửi Bộ Nội vụ tổng hợp./."
    )
    body = (
        _p("Kết quả tự đánh giá tại Phụ lục kèm theo.")
        + closing
        + _p("Phụ lục", _CENTRED, bold=True)
        + _p("TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ", _CENTRED, bold=True)
        + scores
        + _p(closing_words)
    )
    report, _, doc = _import(tmp_path, body)
    declaration = (tmp_path / "imported" / "content" / "appendices.yaml").read_text("utf-8")
    assert f"    after:\n      - {closing_words}\n" in declaration
    assert not [n for n in report.notes if "not imported" in n]
    blocks = doc.sections[-1].blocks
    table_at = next(i for i, b in enumerate(blocks) if hasattr(b, "grid"))
    after = [b for b in blocks[table_at + 1 :] if getattr(b, "text", "").strip()]
    assert after[0].text == closing_words and not after[0].runs[0].italic


def _phu_luc(title: str, heading: str) -> str:
    """A text and its closing, then a Phụ lục with its title and its first table's heading."""
    closing = _table(
        _row(
            "<w:tc>" + _p("Nơi nhận:") + _p("- Lưu: VT.") + "</w:tc>",
            "<w:tc>" + _p("CHỦ TỊCH", bold=True) + _p("Nguyễn Văn An", bold=True) + "</w:tc>",
        )
    )
    return (
        _p("Số liệu tại Phụ lục.")
        + closing
        + _p("PHỤ LỤC", _CENTRED, bold=True)
        + _p(title, _CENTRED, bold=True)
        + _p(heading, bold=True)
    )


def _three_forms(after_first: str, second: str, after_second: str, third: str) -> str:
    """A Phụ lục of three forms, Biểu mẫu 1 to 3, with what is typed between them (second,
    third: the paragraphs of their headings)."""

    def form(name: str, unit: str) -> str:
        return _table(
            _row(_cell("STT"), _cell("Chỉ tiêu"), _cell("Đơn vị tính"), _cell("Ghi chú")),
            _row(_cell("1"), _cell(name), _cell(unit), _cell("")),
        )

    return (
        _phu_luc("BIỂU MẪU THỐNG KÊ", "Biểu mẫu 1 Công tác chỉ đạo")
        + form("Số văn bản chỉ đạo", "Văn bản")
        + after_first
        + second
        + form("Số văn bản quy phạm pháp luật", "Văn bản")
        + after_second
        + third
        + form("Số thủ tục hành chính", "Thủ tục")
    )


def _new_pages(tmp_path: Path) -> dict[str, bool]:
    """Build the imported document; return, by form after the first (whose appendix's section
    starts a page), whether a page break comes before it."""
    built = build_report(tmp_path / "imported").path
    with zipfile.ZipFile(built) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    w = f"{{{_W}}}"
    paragraphs = list(root.iter(f"{w}p"))
    texts = ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in paragraphs]
    broken = [any(br.get(f"{w}type") == "page" for br in p.iter(f"{w}br")) for p in paragraphs]
    forms = [(t[:10], broken[i - 1]) for i, t in enumerate(texts) if t.startswith("Biểu mẫu")]
    return dict(forms[1:])


def test_a_table_after_a_page_break_in_a_phu_luc_starts_a_new_page(tmp_path: Path) -> None:
    body = _three_forms(
        '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
        _p("Biểu mẫu 2 Cải cách thể chế", bold=True),
        "",
        _p("Biểu mẫu 3 Cải cách thủ tục hành chính", bold=True),
    )
    _import(tmp_path, body)
    declaration = (tmp_path / "imported" / "content" / "appendices.yaml").read_text("utf-8")
    assert declaration.count("new_page: true") == 1
    # Biểu mẫu 2 on a page of its own, as the source
    assert _new_pages(tmp_path) == {"Biểu mẫu 2": True, "Biểu mẫu 3": False}


def test_a_kem_theo_line_left_open_does_not_take_the_table_under_it(tmp_path: Path) -> None:
    """ "(Ban hành kèm theo Báo cáo số … của Chủ tịch UBND tỉnh Lâm Đồng" with no ")": the
    line ends at the blank under it, the list's table stays the list's (and a Phụ lục's)."""
    closing = _table(
        _row(
            "<w:tc>" + _p("Nơi nhận:") + _p("- Lưu: VT.") + "</w:tc>",
            "<w:tc>" + _p("KT. CHỦ TỊCH", bold=True) + _p("PHÓ CHỦ TỊCH", bold=True)
            + _p("Nguyễn Minh", bold=True) + "</w:tc>",
        )
    )  # fmt: skip
    communes = _table(
        _row(_cell("STT"), _cell("Đơn vị"), _cell("Phân loại")),
        _row(_cell("1"), _cell("Xã Phan Rí Cửa"), _cell("II")),
    )
    units = _table(
        _row(_cell("STT"), _cell("Đơn vị"), _cell("Ghi chú")),
        _row(_cell("1"), _cell("Phường Xuân Trường - Đà Lạt"), _cell("")),
    )
    open_line = "(Ban hành kèm theo Báo cáo số      /BC-UBND ngày      /12/2025"
    body = (
        _p("Kết quả xác định địa bàn tại các danh sách kèm theo.")
        + closing
        + _p("Phụ lục", _CENTRED, bold=True)
        + _p("ĐƠN VỊ ĐẠT TIÊU CHÍ", _CENTRED, bold=True)
        + _p(open_line, _CENTRED)
        + _p("của Chủ tịch UBND tỉnh Lâm Đồng", _CENTRED)
        + _p("")
        + units
        + _masthead("", "Lâm Đồng, ngày    tháng 12 năm 2025")
        + _p("DANH SÁCH", _CENTRED, bold=True)
        + _p("Xã, phường trọng điểm, phức tạp về ma túy năm 2025", _CENTRED, bold=True)
        + _p(open_line, _CENTRED)
        + _p("của Chủ tịch UBND tỉnh Lâm Đồng", _CENTRED)
        + _p("")
        + communes
    )
    _, _, doc = _import(tmp_path, body)
    listed = (tmp_path / "imported" / "content" / "kem-theo" / "01-danh-sach.md").read_text("utf-8")
    assert "| 1 | Xã Phan Rí Cửa | II |" in listed
    cells = [row for table in doc.tables for row in table.texts]
    assert ["1", "Xã Phan Rí Cửa", "II"] in cells
    assert ["1", "Phường Xuân Trường - Đà Lạt", ""] in cells


def test_a_footnote_that_starts_with_a_list_number_keeps_it(tmp_path: Path) -> None:
    body = (
        '<w:p><w:r><w:t xml:space="preserve">Có 13 cơ quan, đơn vị</w:t></w:r>'
        '<w:r><w:footnoteReference w:id="2"/></w:r><w:r><w:t> tham gia góp ý.</w:t></w:r></w:p>'
    )
    footnotes = (
        '<w:footnote w:id="2"><w:p><w:r><w:t>(1) Thuế tỉnh; (2) Sở Tư pháp; (3) Sở Y tế.'
        "</w:t></w:r></w:p></w:footnote>"
    )
    _, content, doc = _import(tmp_path, body, footnotes=footnotes)
    assert "]: (1\\) Thuế tỉnh; (2) Sở Tư pháp; (3) Sở Y tế." in content
    assert list(doc.footnotes.values()) == ["(1) Thuế tỉnh; (2) Sở Tư pháp; (3) Sở Y tế."]


def test_a_word_list_number_the_article_scheme_has_no_level_for_stays_a_paragraph(
    tmp_path: Path,
) -> None:
    """A bold line numbered by a Word list in a text of articles only: no level of the
    scheme is its, so it is a paragraph (it used to stop the import)."""
    listed = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr>'
    body = (
        _p("Điều 1. Phạm vi điều chỉnh", bold=True)
        + _p("Quy định này áp dụng đối với các cơ quan.")
        + _p("Các sở, ban, ngành thực hiện", listed, bold=True)
        + _p("Điều 2. Hiệu lực thi hành", bold=True)
        + _p("Quyết định có hiệu lực từ ngày ký.")
    )
    report, content, doc = _import(tmp_path, body, numbering=_NUMBERING)
    assert "**Các sở, ban, ngành thực hiện**" in content
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert texts[texts.index("Điều 1. Phạm vi điều chỉnh") + 2] == "Các sở, ban, ngành thực hiện"
    assert "Điều 2. Hiệu lực thi hành" in texts
    assert (
        "paragraph 3 (“Các sở, ban, ngành thực hiện…”): numbered “(Word list)”, a level the "
        "text's headings (article) do not have: kept as a paragraph" in report.notes
    )


def test_parts_spelled_phan_thu_nhat_restart_the_numbers_under_them(tmp_path: Path) -> None:
    body = (
        _p("Phần thứ nhất", _CENTRED, bold=True)
        + _p("KẾT QUẢ THỰC HIỆN", _CENTRED, bold=True)
        + _p("I. CÔNG TÁC CHỈ ĐẠO", bold=True)
        + _p("1. Ban hành văn bản", bold=True)
        + _p("Đã ban hành các văn bản chỉ đạo.")
        + _p("Phần thứ hai", _CENTRED, bold=True)
        + _p("PHƯƠNG HƯỚNG, NHIỆM VỤ", _CENTRED, bold=True)
        + _p("I. NHIỆM VỤ TRỌNG TÂM", bold=True)
        + _p("1. Tiếp tục tuyên truyền", bold=True)
        + _p("Tuyên truyền sâu rộng.")
    )
    report, content, doc = _import(tmp_path, body)
    assert content.count("# KẾT QUẢ THỰC HIỆN\n") == 1
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    second = next(i for i, t in enumerate(texts) if t.startswith("Phần II"))
    assert texts[second + 1 : second + 3] == ["I. NHIỆM VỤ TRỌNG TÂM", "1. Tiếp tục tuyên truyền"]
    assert (
        "paragraph 6 (“Phần thứ hai…”): heading numbered “Phần thứ hai” in the source; the "
        "build numbers it “Phần II”" in report.corrected
    )


def test_a_heading_s_plain_dot_or_colon_keeps_it_a_heading(tmp_path: Path) -> None:
    """ "3" bold, ". " plain, "Đề xuất" bold is a bold heading; a bold title and a plain
    ": " before its text is a run-in title with its colon."""

    def runs(*pieces: tuple[str, bool]) -> str:
        return (
            "<w:p>"
            + "".join(
                f"<w:r>{'<w:rPr><w:b/></w:rPr>' if bold else ''}"
                f'<w:t xml:space="preserve">{text}</w:t></w:r>'
                for text, bold in pieces
            )
            + "</w:p>"
        )

    body = (
        _p("I. TÌNH HÌNH", bold=True)
        + _p("1. Cơ sở pháp lý", bold=True)
        + _p("Căn cứ Luật Công chứng.")
        + _p("2. Tình hình thực hiện", bold=True)
        + _p("Đã thực hiện.")
        + runs(("3", True), (". ", False), ("Đề xuất của Sở Tư pháp", True))
        + runs(("3.1. Đối với phương án nhân sự", True), (": Đề nghị hợp nhất cơ học.", False))
        + runs(("3.2. Về trụ sở và con dấu", True), (":", False))
        + _p("Giữ nguyên trụ sở.")
    )
    report, content, doc = _import(tmp_path, body)
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert "3. Đề xuất của Sở Tư pháp" in texts
    assert "3.1. Đối với phương án nhân sự: Đề nghị hợp nhất cơ học." in texts
    assert "3.2. Về trụ sở và con dấu:" in texts


@pytest.mark.parametrize("merged", [False, True])
def test_a_written_out_table_keeps_the_source_s_column_proportions(
    tmp_path: Path, merged: bool
) -> None:
    """A criteria table whose last column holds long lists of documents: the source gives
    the criteria column twice its width; the rebuilt table keeps those proportions, not
    the lengths of the texts (a grid table's cells wrapped over lines to fit)."""
    closing = _table(
        _row(
            "<w:tc>" + _p("Nơi nhận:") + _p("- Lưu: VT.") + "</w:tc>",
            "<w:tc>" + _p("CHỦ TỊCH", bold=True) + _p("Hồ Văn Mười", bold=True) + "</w:tc>",
        )
    )
    evidence = "Kế hoạch số 213/KH-UBND ngày 15/7/2025 của UBND tỉnh về CCHC năm 2025; " * 6
    span = '<w:gridSpan w:val="2"/>' if merged else ""
    rows = [
        _row(_cell("TT"), _cell("Tiêu chí"), _cell("Kết quả"), _cell("Tài liệu kiểm chứng")),
        _row(_cell("1"), _cell("Công tác chỉ đạo điều hành cải cách hành chính"), _cell("Đạt"),
             _cell(evidence)),
    ]  # fmt: skip
    if merged:
        rows.append(_row(_cell("2", span), _cell("Tổng"), _cell("")))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in (600, 4000, 800, 4000))
    table = _table(*rows).replace("<w:tbl>", f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>", 1)
    body = (
        _p("Kết quả tự đánh giá tại Phụ lục.")
        + closing
        + _p("Phụ lục", _CENTRED, bold=True)
        + _p("TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ", _CENTRED, bold=True)
        + table
    )
    _, _, doc = _import(tmp_path, body)
    declaration = (tmp_path / "imported" / "content" / "appendices.yaml").read_text("utf-8")
    assert ("+====" in declaration) == merged  # a grid table where cells are merged
    built = doc.tables[-1]
    assert [row[1] for row in built.texts[:2]] == [
        "Tiêu chí",
        "Công tác chỉ đạo điều hành cải cách hành chính",
    ]
    assert built.texts[1][3] == evidence.strip()
    criteria, evidence_width = built.grid[1], built.grid[3]
    assert 0.8 < criteria / evidence_width < 1.25  # 4000 : 4000, as the source
    assert built.grid[0] < built.grid[2] < criteria


def _after_a_signature(title: str, *blocks: str) -> str:
    """A text, its signature, then a Phụ lục: its heading, its title and the blocks given."""
    closing = _table(
        _row(
            "<w:tc>" + _p("Nơi nhận:") + _p("- Lưu: VT.") + "</w:tc>",
            "<w:tc>" + _p("CHỦ TỊCH", bold=True) + _p("Nguyễn Văn An", bold=True) + "</w:tc>",
        )
    )
    heading = _p("Phụ lục", _CENTRED, bold=True) + _p(title, _CENTRED, bold=True)
    return _p("Số liệu tại Phụ lục kèm theo.") + closing + heading + "".join(blocks)


def test_a_phu_luc_table_set_smaller_than_the_text_keeps_its_size(tmp_path: Path) -> None:
    """The text at 14 pt (the document's default), a Phụ lục's table at 11 pt by its cells'
    paragraph style: the table is declared `font_size: 11` and prints at 11."""
    styles = (
        '<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="28"/></w:rPr></w:rPrDefault>'
        "</w:docDefaults>"
        '<w:style w:type="paragraph" w:styleId="Bang"><w:name w:val="Bang"/>'
        '<w:rPr><w:sz w:val="22"/></w:rPr></w:style>'
    )

    def cell(text: str) -> str:
        return "<w:tc>" + _p(text, '<w:pStyle w:val="Bang"/>') + "</w:tc>"

    figures = _table(
        _row(cell("STT"), cell("Chỉ tiêu"), cell("Đơn vị tính"), cell("Số liệu")),
        _row(cell("1"), cell("Số văn bản chỉ đạo"), cell("Văn bản"), cell("29")),
        _row(cell("2"), cell("Số cuộc kiểm tra"), cell("Cuộc"), cell("12")),
    )
    body = _after_a_signature("SỐ LIỆU CẢI CÁCH HÀNH CHÍNH", figures)
    report, _, doc = _import(tmp_path, body, styles)
    assert "Phụ lục, table 1: set at 11 pt, smaller than the text's 14 → font_size: 11" in (
        report.mapped
    )
    declaration = (tmp_path / "imported" / "content" / "appendices.yaml").read_text("utf-8")
    assert "\n    font_size: 11\n" in declaration
    (table,) = [t for t in doc.tables if "Số văn bản chỉ đạo" in str(t.texts)]
    assert {s for p in table.paragraphs() for s in p.sizes} == {11.0}


def _runs(*pieces: tuple[str, str]) -> str:
    """A paragraph of runs, each (text, its w:rPr content: "<w:b/>", "<w:i/>" …)."""
    runs = "".join(
        f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'
        for text, rpr in pieces
    )
    return f"<w:p>{runs}</w:p>"


def test_the_lines_under_a_phu_luc_table_keep_their_bold_and_italic(tmp_path: Path) -> None:
    """An italic note whose "Ghi chú:" is bold and one word upright, a paragraph after the
    table with a bold and an italic phrase: their looks come back as the source sets them."""
    tasks = _table(
        _row(_cell("TT"), _cell("Nhiệm vụ"), _cell("Cơ quan chủ trì")),
        _row(_cell("1"), _cell("Rà soát thủ tục hành chính"), _cell("Sở Nội vụ")),
    )
    i, bold_italic = "<w:i/>", "<w:b/><w:i/>"
    body = _after_a_signature(
        "DANH MỤC NHIỆM VỤ",
        tasks,
        _runs(("Ghi chú:", bold_italic), (" số liệu ", i), ("ước", ""), (" tính.", i)),
        _runs(("Trên đây là ", ""), ("danh mục", "<w:b/>"), (" nhiệm vụ ", ""),
              ("năm 2026", i), ("./.", "")),
    )  # fmt: skip
    _, _, doc = _import(tmp_path, body)
    declaration = (tmp_path / "imported" / "content" / "appendices.yaml").read_text("utf-8")
    assert "    notes:\n      - '**Ghi chú:** số liệu *ước* tính.'\n" in declaration
    assert "    after:\n      - Trên đây là **danh mục** nhiệm vụ *năm 2026*./.\n" in declaration
    blocks = [b for b in doc.sections[-1].blocks if getattr(b, "text", "").strip()]
    note = next(b for b in blocks if b.text.startswith("Ghi chú:"))
    looks = [(r.text, r.bold, r.italic) for r in note.runs if r.text]
    assert looks == [
        ("Ghi chú:", True, True),
        (" số liệu ", False, True),
        ("ước", False, False),
        (" tính.", False, True),
    ]
    after = next(b for b in blocks if b.text.startswith("Trên đây là"))
    assert [(r.text, r.bold, r.italic) for r in after.runs if r.text] == [
        ("Trên đây là ", False, False),
        ("danh mục", True, False),
        (" nhiệm vụ ", False, False),
        ("năm 2026", False, True),
        ("./.", False, False),
    ]


# --- a Biểu mẫu numbered in outline: 1. / 1.1. / 2.2.1. ------------------------------------


def _bieu_mau(rows: list[tuple[str, str, str, str]]) -> str:
    """A Phụ lục of one statistical form: STT, Chỉ tiêu, Đơn vị tính, Số liệu."""
    head = _row(_cell("STT"), _cell("Chỉ tiêu thống kê"), _cell("Đơn vị tính"), _cell("Số liệu"))
    body = [_row(*(_cell(text) for text in row)) for row in rows]
    return _phu_luc("BIỂU MẪU THỐNG KÊ SỐ LIỆU", "Biểu mẫu 1 Cải cách thể chế") + _table(
        head, *body
    )


_OUTLINE_ROWS = [
    ("1.", "Tổng số VBQPPL do địa phương ban hành", "Văn bản", "15"),
    ("1.1.", "Số VBQPPL do cấp tỉnh ban hành", "Văn bản", "13"),
    ("1.2.", "Số VBQPPL do cấp xã ban hành", "Văn bản", "02"),
    ("2.", "Thống kê TTHC", "", ""),
    ("2.1.", "Tỷ lệ hồ sơ giải quyết đúng hạn", "%", "95,53"),
    ("2.2.", "Tổng số TTHC thuộc thẩm quyền giải quyết", "Thủ tục", "2.310"),
    ("2.2.1.", "Số TTHC cấp tỉnh", "Thủ tục", "1.865"),
    ("2.2.2.", "Số TTHC cấp xã", "Thủ tục", "445"),
    ("2.2.3.", "Số TTHC ngành dọc", "Thủ tục", "420"),
    ("3.", "Tổng số nhiệm vụ được giao", "Nhiệm vụ", "21"),
    ("3.1.", "Số nhiệm vụ đã hoàn thành đúng hạn", "Nhiệm vụ", "15"),
    ("3.2.", "Số nhiệm vụ đã hoàn thành nhưng quá hạn", "Nhiệm vụ", "0"),
]


def test_rows_numbered_in_outline_are_levels_whose_totals_are_computed_and_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, _, doc = _import(tmp_path, _bieu_mau(_OUTLINE_ROWS))
    root = tmp_path / "imported"
    # the table prints as the source did
    assert doc.tables[-1].texts[1:] == [list(row) for row in _OUTLINE_ROWS]
    declaration = (root / "content" / "appendices.yaml").read_text("utf-8")
    assert "stt: '1.'\n            bold: false\n            rows:\n" in declaration
    rules = (root / "checks" / "rules.yaml").read_text("utf-8")
    assert "Dòng 2.2. = 2.2.1. + 2.2.2. / row = its first rows" in rules
    assert "total: phu_luc.pl1_bang1.r06.{col}" in rules
    assert "- phu_luc.pl1_bang1.r07.{col}\n        - phu_luc.pl1_bang1.r08.{col}\n" in rules
    assert (
        "PHỤ LỤC, table 1: row 3. (Số liệu) states 21 but the rows under it (3.1.–3.2.) add up "
        "to 15: not declared as their total"
    ) in report.notes
    # a count total off by one is an error, in the computed row and in the rule
    data = root / "data" / "phu-luc.yaml"
    text = data.read_text("utf-8")
    text = text.replace('c1: "Văn bản", c2: 15}', 'c1: "Văn bản", c2: 16}')
    text = text.replace('c1: "Thủ tục", c2: 1865}', 'c1: "Thủ tục", c2: 1866}')
    data.write_text(text, "utf-8")
    assert main(["check", str(root)]) == 1
    errors = [line for line in capsys.readouterr().out.splitlines() if ": error: " in line]
    assert errors == [
        'data/phu-luc.yaml:3:75: error: Phụ lục, row "Tổng số VBQPPL do địa phương ban hành", '
        'column "Số liệu": the data states 16 (phu_luc.pl1_bang1.r01.c2) but the rows under it '
        "add up to 15, a difference of 1; the appendix shows 16; counts are exact, so no "
        "rounding explains it [appendix-stated-total]",
        "data/phu-luc.yaml:8:78: error: phu_luc.pl1_bang1.r06.c2 = 2.310 but its parts add up "
        "to 2.311 (1.866 + 445; difference 1) [pl1-bang1-r06]",
    ]


def test_whole_figures_of_a_counting_unit_are_counts_and_shares_or_money_are_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        ("1.", "Tổng số hồ sơ đã giải quyết", "Hồ sơ", "125.712"),
        ("1.1.", "Số hồ sơ giải quyết đúng hạn", "Hồ sơ", "120.088"),
        ("1.2.", "Số hồ sơ giải quyết quá hạn", "Hồ sơ", "5.624"),
        ("2.", "Tỷ lệ hồ sơ giải quyết đúng hạn", "%", "100"),
        ("3.", "Kinh phí thực hiện", "Triệu đồng", "1.250"),
        ("3.1.", "Ngân sách tỉnh", "Triệu đồng", "1.000"),
        ("3.2.", "Ngân sách xã", "Triệu đồng", "250"),
        ("4.", "Tỷ lệ xã đạt chuẩn", "", "80"),
    ]
    _import(tmp_path, _bieu_mau(rows))
    root = tmp_path / "imported"
    schema = (root / "schema" / "phu-luc.yaml").read_text("utf-8")
    kinds = re.findall(r"c2: \{type: (\w+), meta: \{unit: \"([^\"]*)\"", schema)
    assert kinds == [
        ("count", "Hồ sơ"),
        ("count", "Hồ sơ"),
        ("count", "Hồ sơ"),
        ("decimal", "%"),
        ("decimal", "Triệu đồng"),
        ("decimal", "Triệu đồng"),
        ("decimal", "Triệu đồng"),
        ("decimal", ""),
    ]
    data = root / "data" / "phu-luc.yaml"
    text = data.read_text("utf-8")
    text = text.replace("c2: 125712}", "c2: 125712.5}").replace("c2: 1250}", "c2: 1251}")
    data.write_text(text, "utf-8")
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        "data/phu-luc.yaml:3:63: error: pl1_bang1.r01.c2: expected a whole number (Hồ sơ), "
        "got 125712.5 (a decimal)"
    ) in out
    data.write_text(text.replace("c2: 125712.5}", "c2: 125712}"), "utf-8")
    assert main(["check", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    # a measured figure keeps the rounding of the printed figures: a warning
    assert [line.split(": ")[1] for line in out if "pl1_bang1.r05.c2" in line] == ["warning"]


# --- ô 12: the drafter printed lowered after the Lưu line --------------------------------


@pytest.mark.parametrize(
    ("lowered", "recipients", "drafter", "printed"),
    [
        ("NVA", "Lưu: VT, NC.", "NVA", "- Lưu: VT, NC. NVA."),
        ("Châu", "Lưu: VT, NC.Châu", None, "- Lưu: VT, NC.Châu"),
    ],
)
def test_a_drafter_printed_lowered_after_the_luu_line_is_the_drafter_where_it_is_initials(
    tmp_path: Path, lowered: str, recipients: str, drafter: str | None, printed: str
) -> None:
    luu = (
        '<w:p><w:r><w:t xml:space="preserve">- Lưu: VT, NC</w:t></w:r><w:r><w:t>.</w:t></w:r>'
        f'<w:r><w:rPr><w:vertAlign w:val="subscript"/></w:rPr><w:t>{lowered}</w:t></w:r></w:p>'
    )
    closing = _table(
        _row(
            "<w:tc>" + _p("Nơi nhận:") + _p("- Sở Nội vụ;") + luu + "</w:tc>",
            "<w:tc>" + _p("CHỦ TỊCH", bold=True) + _p("Nguyễn Văn An", bold=True) + "</w:tc>",
        )
    )
    report, _, doc = _import(tmp_path, _p("Nội dung kế hoạch.") + closing)
    document, problems = load_metadata(open_project(tmp_path / "imported"))
    assert problems == [] and document is not None
    assert (document.recipients[-1], document.drafter) == (recipients, drafter)
    assert printed in _closing_texts(doc)
    if drafter is None:
        assert (
            "Nơi nhận: “Châu”, printed lowered after the “Lưu” line, is kept in it as typed: "
            "`drafter:` takes the drafter's initials in capitals (NVA), printed after the line "
            "in its size"
        ) in report.notes


def test_a_form_pushed_to_a_new_page_with_empty_lines_starts_a_new_page(tmp_path: Path) -> None:
    """Empty lines typed under a table until the next form's heading starts a page (Word's
    last layout marks that page with w:lastRenderedPageBreak): the form starts a new page."""

    def at_page_top(text: str) -> str:
        return (
            "<w:p><w:r><w:rPr><w:b/></w:rPr><w:lastRenderedPageBreak/>"
            f"<w:t>{text}</w:t></w:r></w:p>"
        )

    body = _three_forms(
        "".join(_p("") for _ in range(6)),
        at_page_top("Biểu mẫu 2 Cải cách thể chế"),
        _p(""),  # one line: a page's top by chance
        at_page_top("Biểu mẫu 3 Cải cách thủ tục hành chính"),
    )
    _import(tmp_path, body)
    assert _new_pages(tmp_path) == {"Biểu mẫu 2": True, "Biểu mẫu 3": False}


def _closing(items: list[str], signature: list[str]) -> str:
    """A closing table: "Nơi nhận:" and its items beside the signature's lines, in bold."""
    received = "".join(_p(line) for line in ["Nơi nhận:", *items])
    signed = "".join(_p(line, bold=True) for line in signature)
    return _table(_row(f"<w:tc>{received}</w:tc>", f"<w:tc>{signed}</w:tc>"))


def _phu_luc_of_paragraphs(lines: list[str], titles: list[str], paragraphs: list[str]) -> str:
    """A paragraph of text (lines[0]), the closing, then a Phụ lục of paragraphs: its heading
    (lines[1]) and titles, bold and centred, then its paragraphs ("**…" a bold one)."""
    closing = _closing(["- Các sở, ngành;", "- Lưu: VT."], ["CHỦ TỊCH", "Nguyễn Văn An"])
    centred = "".join(_p(line, '<w:jc w:val="center"/>', bold=True) for line in lines[1:2] + titles)
    return _p(lines[0]) + closing + centred + _lines_of(paragraphs)


def _phu_luc_of_rows(lines: list[str], *rows: list[str]) -> str:
    """A paragraph of text (lines[0]), the closing, then a Phụ lục: its heading and title
    (lines[1:], bold, centred) and a table of the rows, one cell a text."""
    closing = _closing(["- Lưu: VT."], ["CHỦ TỊCH", "Nguyễn Văn An"])
    titles = "".join(_p(line, '<w:jc w:val="center"/>', bold=True) for line in lines[1:])
    table = _table(*(_row(*(_cell(text) for text in row)) for row in rows))
    return _p(lines[0]) + closing + titles + table


def _lines_of(lines: list[str]) -> str:
    """Paragraphs of the lines, "**…" a bold one."""
    return "".join(_p(line.removeprefix("**"), bold=line.startswith("**")) for line in lines)


def _cong_van(agency: list[str], subject: str, date_line: str, text: list[str]) -> str:
    """A Công văn: its agency's lines and Số ("**…" bold) and its V/v in the masthead's
    first cell, the quốc hiệu and the date line in the second; then its paragraphs."""
    motto = ["**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "**Độc lập - Tự do - Hạnh phúc", date_line]
    masthead = _table(
        _row(f"<w:tc>{_lines_of([*agency, subject])}</w:tc>", f"<w:tc>{_lines_of(motto)}</w:tc>")
    )
    return masthead + _lines_of(text)


def test_a_cong_van_s_ky_hieu_typed_with_spaces_round_its_hyphen_is_read_whole(
    tmp_path: Path,
) -> None:
    """A Sở's Công văn types "Số:         /SCT - CN": the drafting unit after a spaced hyphen."""
    body = _cong_van(
        ["UBND TỈNH LÀO CAI", "**SỞ CÔNG THƯƠNG", "Số:         /SCT - CN"],
        "V/v thẩm định thiết kế bản vẽ thi công",
        "Lào Cai, ngày       tháng 11 năm 2025",
        ["Kính gửi: Công ty TNHH Chân Thiện Mỹ", "Sở Công Thương có ý kiến như sau."],
    )
    report, _, doc = _import(tmp_path, body)
    assert "kind: no type name and a V/v line → cong-van" in report.mapped
    document = (tmp_path / "imported" / "data" / "document.yaml").read_text(encoding="utf-8")
    assert "\n  drafting_unit: CN\n" in document
    assert f"Số:{' ' * 6}/SCT-CN" in _masthead_lines(doc)


def test_the_rule_typed_under_the_agency_s_name_is_no_line_of_it(tmp_path: Path) -> None:
    body = _cong_van(
        ["UBND TỈNH LÀO CAI", "**SỞ CÔNG THƯƠNG", "**____________________", "Số:      /SCT-CN"],
        "V/v cập nhật công tác quản lý hoạt động hóa chất",
        "Lào Cai, ngày       tháng 6 năm 2026",
        ["Kính gửi: Cục Hóa chất", "Sở Công Thương báo cáo như sau."],
    )
    report, _, doc = _import(tmp_path, body)
    assert "agency: SỞ CÔNG THƯƠNG" in report.mapped
    assert _masthead_lines(doc)[:2] == ["UBND TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG"]


def test_a_phu_luc_headed_so_01_with_a_colon_keeps_its_outline(tmp_path: Path) -> None:
    """A Sở's Kế hoạch types its appendix "Phụ lục số 01:" and sends an outline in it."""
    body = _phu_luc_of_paragraphs(
        ["Các đơn vị báo cáo theo Phụ lục số 01.", "Phụ lục số 01:"],
        ["ĐỀ CƯƠNG BÁO CÁO"],
        [
            "**I. Đặc điểm, tình hình",
            "1. Bối cảnh: khái quát tình hình kinh tế - xã hội.",
            "**II. Kết quả thực hiện",
            "Tiến độ thực hiện các mục tiêu, chỉ tiêu./.",
        ],
    )
    report, _, doc = _import(tmp_path, body)
    assert [n for n in report.notes if "not imported" in n] == []
    assert (
        "Phụ lục số 01: a Phụ lục of 4 paragraphs → content/phu-luc/01-de-cuong-bao.md (text:); "
        "headings: roman, number, letter" in report.mapped
    )
    texts = [p.text for p in doc.paragraphs]
    assert "1. Bối cảnh: khái quát tình hình kinh tế - xã hội." in texts
    assert "Tiến độ thực hiện các mục tiêu, chỉ tiêu./." in texts


# --- a Giấy mời họp: its title's last word, a footnoted Kính gửi, a run-in title ------------


def _giay_moi_hop(kinh_gui: str, first: str) -> str:
    centre = '<w:jc w:val="center"/>'
    masthead = _masthead("Số:          /GM-UBND", "Lào Cai, ngày       tháng 6 năm 2026")
    closing = _closing(
        ["- Như trên;", "- Lưu: VT."], ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Hoàng Ngọc Bích"]
    )
    return (
        masthead
        + _p("GIẤY MỜI HỌP", centre, bold=True)
        + _p("Về tình hình triển khai các cụm công nghiệp.", centre, bold=True)
        + kinh_gui
        + _p("Ủy ban nhân dân tỉnh tổ chức họp, cụ thể như sau:")
        + first
        + _p("2. Địa điểm, thành phần:", bold=True)
        + _p("Phòng họp số 1, tầng 3 trụ sở Ủy ban nhân dân tỉnh./.")
        + closing
    )


_KINH_GUI = _table(
    _row(_cell("Kính gửi:"), "<w:tc>" + _p("- Các Sở: Công Thương, Tài chính;")
         + _p("- Ủy ban nhân dân các xã, phường.") + "</w:tc>")
)  # fmt: skip


def _footnoted_kinh_gui(tmp_path: Path, *names: str):
    """Import a Giấy mời họp whose Kính gửi, a table of its own, lists the names and then
    "- Ủy ban nhân dân các xã, phường." with a footnote; return the report and the build."""
    noted = _p("- Ủy ban nhân dân các xã, phường.")[: -len("</w:p>")]
    noted += '<w:r><w:footnoteReference w:id="2"/></w:r></w:p>'
    listed = "".join(_p(name) for name in names)
    kinh_gui = _table(_row(_cell("Kính gửi:"), f"<w:tc>{listed}{noted}</w:tc>"))
    footnotes = (
        '<w:footnote w:id="2"><w:p><w:r><w:t>UBND các xã, phường: Gia Phú, Văn Bàn.'
        "</w:t></w:r></w:p></w:footnote>"
    )
    body = _giay_moi_hop(kinh_gui, _p("1. Thời gian: Từ 14h00 ngày 16/6/2026."))
    report, _, doc = _import(tmp_path, body, footnotes=footnotes)
    return report, doc


def test_a_giay_moi_hop_is_a_giay_moi_whose_trich_yeu_begins_hop(tmp_path: Path) -> None:
    first = _p("1. Thời gian: Từ 14h00 ngày 16/6/2026.")
    report, content, doc = _import(tmp_path, _giay_moi_hop(_KINH_GUI, first))
    assert "kind: GIẤY MỜI HỌP → giay-moi" in report.mapped
    assert (
        "title: “GIẤY MỜI HỌP” prints “GIẤY MỜI”, ND30's type name, and “Họp” begins its "
        "trích yếu" in report.corrected
    )
    texts = [p.text for p in doc.paragraphs]
    assert texts.count("GIẤY MỜI") == 1 and "GIẤY MỜI HỌP" not in content
    assert "Họp về tình hình triển khai các cụm công nghiệp." in texts
    document = (tmp_path / "imported" / "data" / "document.yaml").read_text(encoding="utf-8")
    assert (
        "recipients_to:\n  - 'Các Sở: Công Thương, Tài chính'\n  - Ủy ban nhân dân các xã, "
        "phường\n" in document
    )


def test_a_kinh_gui_whose_recipient_has_a_footnote_stays_in_the_text_with_it(
    tmp_path: Path,
) -> None:
    report, doc = _footnoted_kinh_gui(tmp_path, "- Các Sở: Công Thương, Tài chính;")
    assert list(doc.footnotes.values()) == ["UBND các xã, phường: Gia Phú, Văn Bàn."]
    assert (
        "Kính gửi, in a table of its own: “- Ủy ban nhân dân các…” has a "
        "footnote, which a recipient cannot carry: the table is kept in the text, and "
        "`recipients_to` left for you" in report.notes
    )


def test_a_run_in_title_ends_at_its_colon_though_the_text_after_it_starts_in_bold(
    tmp_path: Path,
) -> None:
    """ "1. Thời gian:" bold, then "Từ 14h00 ngày 16/6/2026" bold too, then plain text: the
    title is a heading, numbered 1 as typed, so that "2. Địa điểm" stays 2."""
    first = (
        '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">1. Thời gian: Từ 14h00 '
        'ngày 16/6/2026</w:t></w:r><w:r><w:t xml:space="preserve">, theo hình thức trực '
        "tuyến.</w:t></w:r></w:p>"
    )
    report, content, doc = _import(tmp_path, _giay_moi_hop(_KINH_GUI, first))
    assert "# Thời gian: {.run-in}\n\n**Từ 14h00 ngày 16/6/2026**, theo hình thức" in content
    assert not [c for c in report.corrected if "heading numbered" in c]
    texts = [p.text for p in doc.paragraphs]
    assert any(t.startswith("1. Thời gian: Từ 14h00 ngày 16/6/2026, theo") for t in texts)
    assert "2. Địa điểm, thành phần:" in texts


# --- a Phụ lục's title with no heading line of its own -------------------------------------


@pytest.mark.parametrize(
    ("lines", "said"),
    [
        (
            ["Phụ lục: DANH SÁCH CÁC ĐƠN VỊ KIỂM TRA"],
            None,
        ),
        (
            ["PHÂN CÔNG NHIỆM VỤ CỦA TỔ KIỂM TRA"],
            "after the signature: “PHÂN CÔNG NHIỆM VỤ CỦA TỔ KIỂM TRA…”, a title without a "
            "“Phụ lục” heading: a Phụ lục made, with it as its title",
        ),
    ],
)
def test_a_phu_luc_s_title_on_its_heading_s_line_or_alone_is_its_title(
    tmp_path: Path, lines: list[str], said: str | None
) -> None:
    closing = _closing(["- Như Điều 3;", "- Lưu: VT."], ["GIÁM ĐỐC", "Hoàng Chí Hiền"])
    units = _table(
        _row(_cell("TT"), _cell("Đơn vị kiểm tra"), _cell("Địa chỉ")),
        _row(_cell("01"), _cell("Công ty TNHH Khí công nghiệp"), _cell("Xã Gia Phú")),
    )
    body = (
        _p("Kiểm tra các đơn vị tại Phụ lục kèm theo.")
        + closing
        + "".join(_p(line, _CENTRED, bold=True) for line in lines)
        + _p("(Kèm theo Quyết định số:        /QĐ-SCT ngày     /5/2026 của Sở Công Thương)",
             _CENTRED)
        + units
    )  # fmt: skip
    report, _, doc = _import(tmp_path, body)
    assert [n for n in report.notes if "not imported" in n] == []
    if said:
        assert said in report.notes
    texts = [p.text for p in doc.paragraphs]
    title = lines[0].split(": ")[-1]
    assert title in texts
    assert not [t for t in texts if ":" in t and title in t]
    assert ["01", "Công ty TNHH Khí công nghiệp", "Xã Gia Phú"] in doc.tables[-1].texts


def test_articles_quoted_from_another_document_keep_their_numbers(tmp_path: Path) -> None:
    """A Cục's Công văn quotes Điều 57 and 58 of a Nghị định: no articles of its own."""
    body = _cong_van(
        ["**BỘ CÔNG THƯƠNG", "**CỤC HÓA CHẤT", "Số: 597/HC-QLHC"],
        "V/v cấp Giấy phép xuất khẩu hóa chất",
        "Hà Nội, ngày 27 tháng 3 năm 2026",
        [
            "Kính gửi: Sở Công Thương các tỉnh, thành phố",
            "Nghị định số 69/2018/NĐ-CP quy định như sau:",
            "**Điều 57. Áp dụng biện pháp quản lý hàng hóa nhập khẩu",
            "Hàng hóa nhập khẩu từ nước ngoài vào khu vực hải quan riêng.",
            "**Điều 58. Áp dụng biện pháp quản lý hàng hóa xuất khẩu",
            "Hàng hóa xuất khẩu từ khu vực hải quan riêng ra nước ngoài.",
        ],
    )
    report, content, doc = _import(tmp_path, body)
    assert (
        "the text's articles start at Điều 57, not Điều 1: another document's, which it quotes, "
        "kept as bold paragraphs with their typed numbers" in report.notes
    )
    assert not [c for c in report.corrected if "Điều" in c]
    texts = [p.text for p in doc.paragraphs]
    assert "Điều 57. Áp dụng biện pháp quản lý hàng hóa nhập khẩu" in texts
    assert "Điều 58. Áp dụng biện pháp quản lý hàng hóa xuất khẩu" in texts
    assert not [t for t in texts if t.startswith(("Điều 1.", "Điều 2."))]


# --- a heading's sibling typed plain --------------------------------------------------------


def _bold_number(text: str) -> str:
    """A paragraph whose number alone is bold ("2." bold, the text plain)."""
    number, rest = text.split(" ", 1)
    return (
        f'<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{number} </w:t></w:r>'
        f'<w:r><w:t xml:space="preserve">{rest}</w:t></w:r></w:p>'
    )


def test_a_numbered_paragraph_between_headings_of_its_level_is_one_of_them(
    tmp_path: Path,
) -> None:
    """A Sở's report types "1." and "3." bold and "2." with its number alone bold; and a "4."
    in plain type whose first child "a) …:" is a run-in heading."""
    centre = '<w:jc w:val="center"/>'
    body = (
        _masthead("Số:      /BC-SCT", "Lào Cai, ngày 05 tháng 3 năm 2026")
        + _p("BÁO CÁO", centre, bold=True)
        + _p("Kết quả thẩm định năm 2025", centre, bold=True)
        + _p("I. KẾT QUẢ", bold=True)
        + _p("1. Hồ sơ trình thẩm định", bold=True)
        + _p("a) Hồ sơ pháp lý của dự án", bold=True)
        + _p("b) Hồ sơ khảo sát xây dựng", bold=True)
        + _bold_number("2. Trước khi đưa mỏ vào khai thác phải lập thiết kế mỏ.")
        + _p("3. Năng lực của nhà thầu", bold=True)
        + _p("4. Phí thẩm định thiết kế xây dựng")
        + '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">a) Nhà thầu khảo sát: '
        "</w:t></w:r><w:r><w:t>Không có.</w:t></w:r></w:p>" + _p("Trên đây là báo cáo./.")
    )
    report, content, doc = _import(tmp_path, body)
    texts = [p.text for p in doc.paragraphs]
    numbered = [t.split(" ")[0] for t in texts if re.match(r"^(?:[IV]+\.|\d\.|[a-z]\)) ", t)]
    assert numbered == ["I.", "1.", "a)", "b)", "2.", "3.", "4.", "a)"]
    assert "2. Trước khi đưa mỏ vào khai thác phải lập thiết kế mỏ." in texts
    assert not [c for c in report.corrected if "the build numbers it" in c]
    assert (
        "paragraph 7 (“2. Trước khi đưa mỏ vào…”): numbered “2.” as the headings beside it "
        "are, though not "
        "bold as they are: read as a heading, so that they keep their numbers" in report.corrected
    )


def test_a_kept_table_s_cell_of_several_paragraphs_keeps_one_a_line(tmp_path: Path) -> None:
    """A Kính gửi table kept in the text (its last recipient has a footnote): the build
    prints each recipient on a line of its own, as typed."""
    _, doc = _footnoted_kinh_gui(tmp_path, "- Các Sở: Công Thương, Tài chính;", "- Công an tỉnh;")
    cell = next(t for t in doc.tables if t.texts[0][0] == "Kính gửi:").rows[0][1]
    assert [p.text for p in cell] == [
        "- Các Sở: Công Thương, Tài chính;",
        "- Công an tỉnh;",
        "- Ủy ban nhân dân các xã, phường.",
    ]
    assert list(doc.footnotes.values()) == ["UBND các xã, phường: Gia Phú, Văn Bàn."]
    # a table of one row has no header row: its names upright, as typed, not a bold heading
    assert not [r.text for p in cell for r in p.runs if r.bold and r.text.strip()]


def test_a_code_typed_in_digits_prints_as_typed_not_as_a_figure(tmp_path: Path) -> None:
    """A Quyết định's list of results: the số định danh cá nhân "001090000123" and the tax
    code "5900320001" are codes; the marks beside them are figures."""
    header = ["TT", "Họ và tên", "Số định danh cá nhân", "Mã số thuế", "Điểm thi"]
    typed = [
        ["1", "Nguyễn Văn A", "001090000123", "5900320001", "7,5"],
        ["2", "Trần Thị B", "002091000456", "5900320002", "9,5"],
    ]
    lines = ["Công nhận kết quả theo Phụ lục kèm theo.", "Phụ lục", "DANH SÁCH KẾT QUẢ KIỂM TRA"]
    doc = _import(tmp_path, _phu_luc_of_rows(lines, header, *typed))[2]
    assert doc.tables[-1].texts[-2:] == typed  # as typed, not "1.090.000.123", "5.900.320.001"


# --- a body under its parent, both lines bold ------------------------------------------------


def test_a_bold_so_under_a_bold_province_is_the_issuing_body(tmp_path: Path) -> None:
    body = _with_type_name("THÔNG BÁO", "TB-SCT").replace(
        _p("ỦY BAN NHÂN DÂN", bold=True) + _p("HUYỆN ĐẮK GLEI", bold=True),
        _p("UBND TỈNH LÂM ĐỒNG", bold=True) + _p("SỞ CÔNG THƯƠNG", bold=True),
    )
    report, _, doc = _import(tmp_path, body)
    document = (tmp_path / "imported" / "data" / "document.yaml").read_text(encoding="utf-8")
    assert "parent: UBND TỈNH LÂM ĐỒNG\n" in document
    assert "full_name: Sở Công Thương\n" in document
    assert (
        "masthead: “SỞ CÔNG THƯƠNG” begins with a kind of body under “UBND TỈNH LÂM ĐỒNG”: read "
        "as the issuing body, under its cơ quan chủ quản (`agency.parent`), which the build "
        "prints upright as ND30 Phụ lục I writes it: check `agency` in data/document.yaml"
    ) in report.notes
    assert _masthead_lines(doc)[:2] == ["UBND TỈNH LÂM ĐỒNG", "SỞ CÔNG THƯƠNG"]
