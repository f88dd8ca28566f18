"""The masthead and closing around a pandoc body, as a reader of the DOCX sees them."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypandoc
import pytest
from lxml import etree

from conftest import REPO, needs_libreoffice, to_pdf
from docx_reader import Document, Paragraph, read_docx
from vanban.errors import TemplateError
from vanban.layout import assemble
from vanban.ooxml import (
    DOCUMENT_PART,
    FOOTNOTES_PART,
    parse_xml,
    qn,
    read_parts,
    serialize_xml,
    write_parts,
)
from vanban.ooxml_check import check_package
from vanban.templates_gen import MOTTO_WIDTH, write_templates

TEMPLATES = REPO / "templates"
NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

CONTEXT: dict[str, object] = {
    "agency_parent": None,
    "agency_lines": ["ỦY BAN NHÂN DÂN", "HUYỆN ĐẮK GLEI"],
    "number_line": "Số:      /BC-UBND",
    "subject_line": None,
    "date_line": "Đắk Glei, ngày      tháng      năm 2024",
    "kind_title": "BÁO CÁO",
    "summary": "Đánh giá kết quả thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững "
    "giai đoạn 2021-2024",
    "issuer": None,
    "issuer_lines": [],
    "recipients_to": [],
    "sender_line": None,
    "sent_to": [],
    "recipients": [
        "Sở Lao động-TB&XH tỉnh;",
        "Thường trực Huyện ủy (b/c);",
        "Chủ tịch, các Phó Chủ tịch UBND huyện (b/c);",
        "Lưu: VT.",
    ],
    "signer_authority": ["TM. ỦY BAN NHÂN DÂN"],
    "signer_position": "CHỦ TỊCH",
    "signer_name": "Y Thanh",
    "secretary_position": None,
    "secretary_name": None,
    "signature_lines": [0, 1, 2, 3],
    "confirmation": None,
}

NOTES = [
    "Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ.",
    "Kế hoạch số 696/KH-UBND ngày 01/3/2021 của UBND tỉnh Kon Tum.",
    "Nghị quyết số 06-NQ/ĐH ngày 10-8-2020 của Đại hội đại biểu Đảng bộ huyện.",
]

BODY_MD = f"""\
# I. ĐÁNH GIÁ CÔNG TÁC QUẢN LÝ CHƯƠNG TRÌNH

Thực hiện Quyết định của Chính phủ[^1]; UBND tỉnh[^2] về Chương trình mục tiêu quốc gia.

## 1. Kết quả xây dựng chính sách

Nghị quyết của Đảng bộ huyện[^3] đặt chỉ tiêu giảm nghèo bền vững toàn huyện.

### a) Hộ nghèo

Toàn huyện còn 2.517 hộ nghèo.

[^1]: {NOTES[0]}
[^2]: {NOTES[1]}
[^3]: {NOTES[2]}
"""


def pandoc_body(markdown: str, tmp: Path) -> bytes:
    """Convert Markdown to DOCX with the repository's reference document."""
    out = tmp / "body.docx"
    pypandoc.convert_text(
        markdown,
        "docx",
        format="markdown",
        outputfile=str(out),
        extra_args=["--reference-doc", str(TEMPLATES / "reference.docx")],
    )
    return out.read_bytes()


@pytest.fixture(scope="module")
def body(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return pandoc_body(BODY_MD, tmp_path_factory.mktemp("body"))


@pytest.fixture(scope="module")
def assembled(body: bytes) -> bytes:
    return assemble(body, TEMPLATES, CONTEXT)


@pytest.fixture(scope="module")
def doc(assembled: bytes) -> Document:
    return read_docx(assembled)


def centred(p: Paragraph) -> bool:
    return p.alignment == "center" and p.first_line == 0


# ------------------------------------------------------------------- masthead


def test_masthead_is_a_two_column_table_as_in_the_official_sample(doc: Document) -> None:
    masthead = doc.blocks[0]
    assert masthead == doc.tables[0]
    assert masthead.grid == (3829, 5670)
    assert masthead.indent == -199
    assert masthead.texts == [
        [
            "ỦY BAN NHÂN DÂN\nHUYỆN ĐẮK GLEI\n",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n",
        ],
        ["Số:      /BC-UBND", "Đắk Glei, ngày      tháng      năm 2024"],
    ]


def test_agency_lines_are_bold_12_centred_over_a_short_rule(doc: Document) -> None:
    agency, title, rule = doc.tables[0].rows[0][0]
    for line in (agency, title):
        assert (line.bold, line.italic, line.size_pt) == (True, False, 12)
        assert centred(line)
    assert rule.text == "" and rule.borders == {"top": "single"}
    width = 3829 - 2 * 85 - rule.left - rule.right
    assert abs(rule.left - rule.right) <= 1  # centred
    # ND30 II.2.b: 1/3 to 1/2 of the line; "ỦY BAN NHÂN DÂN" at 12 pt bold is 2258 twips
    # (measured like MOTTO_WIDTH).
    assert 2258 / 3 <= width <= 2258 / 2


def test_national_title_and_motto_in_the_12_13_size_set(doc: Document) -> None:
    national, motto, rule = doc.tables[0].rows[0][1]
    assert (national.text, national.bold, national.size_pt) == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        True,
        12,
    )
    assert (motto.text, motto.bold, motto.italic, motto.size_pt) == (
        "Độc lập - Tự do - Hạnh phúc",
        True,
        False,
        13,
    )
    assert centred(national) and centred(motto)
    assert (motto.before, motto.after, national.after) == (0, 0, 0)  # single spacing
    assert rule.borders == {"top": "single"}
    assert 5670 - 2 * 85 - rule.left - rule.right == MOTTO_WIDTH  # as long as the motto


def test_number_and_date_lines_share_a_row(doc: Document) -> None:
    (number,), (date,) = doc.tables[0].rows[1]
    assert (number.text, number.size_pt, number.bold, number.italic) == (
        "Số:      /BC-UBND",
        13,
        False,
        False,
    )
    assert (date.text, date.size_pt, date.bold, date.italic) == (
        "Đắk Glei, ngày      tháng      năm 2024",
        13,
        False,
        True,
    )
    assert centred(number) and centred(date)


def test_kind_title_and_summary_are_bold_14_centred_over_a_rule(doc: Document) -> None:
    title, summary, rule = doc.blocks[1:4]
    assert (title.text, title.bold, title.size_pt) == ("BÁO CÁO", True, 14)
    assert (summary.text, summary.bold, summary.size_pt) == (CONTEXT["summary"], True, 14)
    assert centred(title) and centred(summary)
    assert rule.text == "" and rule.borders == {"top": "single"}
    assert abs(rule.left - rule.right) <= 1
    assert doc.blocks[4].text == "I. ĐÁNH GIÁ CÔNG TÁC QUẢN LÝ CHƯƠNG TRÌNH"


def test_agency_parent_line_is_upright_and_not_bold(body: bytes) -> None:
    context = {**CONTEXT, "agency_parent": "UBND TỈNH KON TUM"}
    cell = read_docx(assemble(body, TEMPLATES, context)).tables[0].rows[0][0]
    assert [p.text for p in cell] == ["UBND TỈNH KON TUM", "ỦY BAN NHÂN DÂN", "HUYỆN ĐẮK GLEI", ""]
    parent = cell[0]
    assert (parent.bold, parent.italic, parent.size_pt) == (False, False, 12)
    assert centred(parent)


# --------------------------------------------------------------------- closing


def test_recipients_flush_left_heading_bold_italic_12_items_11(doc: Document) -> None:
    closing = doc.tables[-1]
    assert doc.blocks[-1] == closing
    head, *items = closing.rows[0][0]
    assert (head.text, head.bold, head.italic, head.size_pt) == ("Nơi nhận:", True, True, 12)
    assert [p.text for p in items] == [f"- {r}" for r in CONTEXT["recipients"]]  # type: ignore[attr-defined]
    for p in (head, *items):
        assert p.alignment == "left" and (p.first_line, p.left) == (0, 0)
    for item in items:
        assert (item.bold, item.italic, item.size_pt) == (False, False, 11)


def test_signer_block_bold_14_centred_with_room_for_signature(doc: Document) -> None:
    signer = doc.tables[-1].rows[0][1]
    assert [p.text for p in signer] == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "",
        "",
        "",
        "",
        "Y Thanh",
    ]
    for p in (signer[0], signer[1], signer[-1]):
        assert (p.bold, p.size_pt) == (True, 14) and centred(p)


def test_signer_authority_is_optional(body: bytes) -> None:
    context = {**CONTEXT, "signer_authority": [], "signer_position": "PHÓ CHỦ TỊCH"}
    signer = read_docx(assemble(body, TEMPLATES, context)).tables[-1].rows[0][1]
    assert [p.text for p in signer][:2] == ["PHÓ CHỦ TỊCH", ""]


# ------------------------------------------------------------------------ body


def test_body_keeps_its_nd30_styles(doc: Document) -> None:
    heading1 = doc.paragraph("I. ĐÁNH GIÁ CÔNG TÁC QUẢN LÝ CHƯƠNG TRÌNH")
    heading2 = doc.paragraph("1. Kết quả xây dựng chính sách")
    assert (heading1.style, heading1.bold, heading1.italic, heading1.size_pt) == (
        "heading 1",
        True,
        False,
        14,
    )
    assert (heading1.alignment, heading1.first_line, heading1.keep_next) == ("both", 720, True)
    assert (heading2.style, heading2.bold, heading2.size_pt) == ("heading 2", True, 14)
    heading3 = doc.paragraph("a) Hộ nghèo")  # ND30 II.6.đ: upright, not bold
    assert (heading3.style, heading3.bold, heading3.italic, heading3.size_pt) == (
        "heading 3",
        False,
        False,
        14,
    )
    for p in doc.paragraphs[5:]:
        if p.style in ("Body Text", "First Paragraph"):
            assert (p.alignment, p.first_line, p.before, p.size_pt) == ("both", 720, 120, 14)
            assert all(r.font == "Times New Roman" for r in p.runs)


def test_styles_use_times_new_roman_in_black_without_theme(assembled: bytes) -> None:
    styles = read_parts(assembled)["word/styles.xml"].decode("utf-8")
    assert "Theme" not in styles and "theme" not in styles
    root = parse_xml(styles.encode("utf-8"))
    # pandoc adds coloured "...Tok" character styles for highlighted source code.
    ours = [s for s in root.iter(qn("w:style")) if not s.get(qn("w:styleId"), "").endswith("Tok")]
    fonts = {v for s in ours for e in s.iter(qn("w:rFonts")) for v in e.attrib.values()}
    colours = {e.get(qn("w:val")) for s in ours for e in s.iter(qn("w:color"))}
    assert (fonts, colours) == ({"Times New Roman"}, {"000000"})
    default = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert default.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    assert default.find(qn("w:sz")).get(qn("w:val")) == "28"


def test_normal_has_no_first_line_indent(body: bytes) -> None:
    # pandoc issue 7292: the footnote separator takes Normal's indent.
    root = parse_xml(read_parts(body)["word/styles.xml"])
    normal = next(s for s in root.iter(qn("w:style")) if s.get(qn("w:styleId")) == "Normal")
    assert normal.find(f"{qn('w:pPr')}/{qn('w:ind')}").get(qn("w:firstLine")) == "0"


def test_footnotes_preserved_in_order_with_their_text(doc: Document) -> None:
    assert list(doc.footnotes.values()) == NOTES
    for paragraphs in doc.footnote_paragraphs.values():
        (note,) = paragraphs
        assert (note.style, note.size_pt, note.alignment, note.first_line) == (
            "Footnote Text",
            10,
            "both",
            0,
        )
        assert note.runs[0].vert_align == "superscript"


def test_only_the_document_part_and_the_settings_change(body: bytes, assembled: bytes) -> None:
    # The settings gain the names of the footnote separators, which pandoc leaves out.
    before, after = read_parts(body), read_parts(assembled)
    assert before.keys() == after.keys()
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {DOCUMENT_PART, "word/settings.xml"}
    assert after[FOOTNOTES_PART] == before[FOOTNOTES_PART]


def test_no_template_tag_is_left(assembled: bytes) -> None:
    for name, data in read_parts(assembled).items():
        if name.endswith(".xml"):
            text = data.decode("utf-8")
            assert "{{" not in text and "{%" not in text, name


def test_package_passes_the_ooxml_check(assembled: bytes) -> None:
    assert check_package(assembled) == []


# ----------------------------------------------------------------- page setup


def test_page_is_a4_portrait_with_nd30_margins(doc: Document) -> None:
    section = doc.section
    assert (section.width, section.height, section.orientation) == (11906, 16838, "portrait")
    margins = {k: section.margins[k] for k in ("top", "bottom", "left", "right")}
    assert margins == {"top": 1134, "bottom": 1134, "left": 1701, "right": 851}  # 20/20/30/15 mm


def test_page_number_centred_in_header_from_page_two(doc: Document) -> None:
    section = doc.section
    assert section.title_page
    assert section.headers["first"].text == "" and section.headers["first"].fields == ()
    default = section.headers["default"]
    assert default.fields == ("PAGE",)
    (number,) = default.paragraphs
    assert centred(number) and number.size_pt == 14


# ------------------------------------------------------------------- templates


def _canonical(data: bytes) -> bytes:
    return etree.tostring(parse_xml(data), method="c14n")


def test_templates_equal_a_fresh_regeneration(tmp_path: Path) -> None:
    written = write_templates(tmp_path)
    assert sorted(p.name for p in written) == ["closing.docx", "masthead.docx", "reference.docx"]
    for path in written:
        fresh, committed = read_parts(path), read_parts(TEMPLATES / path.name)
        assert fresh.keys() == committed.keys(), path.name
        for name, data in fresh.items():
            if name.endswith((".xml", ".rels")):
                assert _canonical(data) == _canonical(committed[name]), (path.name, name)
            else:
                assert data == committed[name], (path.name, name)


def test_templates_pass_the_ooxml_check() -> None:
    for name in ("reference.docx", "masthead.docx", "closing.docx"):
        assert check_package(TEMPLATES / name) == [], name


def test_undefined_name_names_the_template_and_the_name(body: bytes) -> None:
    context = {k: v for k, v in CONTEXT.items() if k != "signer_name"}
    with pytest.raises(TemplateError) as caught:
        assemble(body, TEMPLATES, context)
    assert str(caught.value) == (
        f"{TEMPLATES / 'closing.docx'}: undefined name 'signer_name' (not in the document metadata)"
    )


def _edited_masthead(tmp_path: Path, edit: Callable[[etree._Element], None]) -> Path:
    """Copy the templates to tmp_path and edit the body of the masthead's document.xml."""
    for name in ("masthead.docx", "closing.docx"):
        (tmp_path / name).write_bytes((TEMPLATES / name).read_bytes())
    parts = read_parts(tmp_path / "masthead.docx")
    document = parse_xml(parts[DOCUMENT_PART])
    edit(document)
    parts[DOCUMENT_PART] = serialize_xml(document)
    (tmp_path / "masthead.docx").write_bytes(write_parts(parts))
    return tmp_path


def _national_title(document: etree._Element) -> etree._Element:
    return next(
        p
        for p in document.iter(qn("w:p"))
        if "".join(p.itertext()) == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )


def test_word_edits_of_a_template_keep_ids_unique(body: bytes, tmp_path: Path) -> None:
    # Word saves a hidden _GoBack bookmark and w14:paraId attributes in what it edits.
    w14 = "http://schemas.microsoft.com/office/word/2010/wordml"

    def as_word_saves(document: etree._Element) -> None:
        p = _national_title(document)
        p.set(f"{{{w14}}}paraId", "1A2B3C4D")
        for number, name in enumerate(("_GoBack", "dau")):
            p.append(etree.fromstring(f'<w:bookmarkStart {NS} w:id="{number}" w:name="{name}"/>'))
            p.append(etree.fromstring(f'<w:bookmarkEnd {NS} w:id="{number}"/>'))

    templates = _edited_masthead(tmp_path, as_word_saves)
    document = parse_xml(read_parts(assemble(body, templates, CONTEXT))[DOCUMENT_PART])
    starts = list(document.iter(qn("w:bookmarkStart")))
    ends = list(document.iter(qn("w:bookmarkEnd")))
    names = [b.get(qn("w:name")) for b in starts]
    assert "_GoBack" not in names and "dau" in names
    ids = [b.get(qn("w:id")) for b in starts]
    assert len(ids) == len(set(ids)) and sorted(ids) == sorted(b.get(qn("w:id")) for b in ends)
    assert f"{{{w14}}}paraId" not in {a for e in document.iter() for a in e.attrib}


def test_a_list_in_a_template_is_refused_with_its_reason(body: bytes, tmp_path: Path) -> None:
    def add_numbering(document: etree._Element) -> None:
        ppr = _national_title(document).find(qn("w:pPr"))
        ppr.insert(0, etree.fromstring(f'<w:numPr {NS}><w:numId w:val="1"/></w:numPr>'))

    templates = _edited_masthead(tmp_path, add_numbering)
    with pytest.raises(TemplateError) as caught:
        assemble(body, templates, CONTEXT)
    assert str(caught.value) == (
        f"{templates / 'masthead.docx'}: the template holds a numbered or bulleted list; "
        "masthead and closing templates may hold formatted text and tables only"
    )


def _compressed_byte_changed(data: bytes) -> bytes:
    """Change one byte inside the compressed data of the masthead's document.xml."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(DOCUMENT_PART)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    changed = bytearray(data)
    changed[start + info.compress_size // 2] ^= 0xFF
    return bytes(changed)


def _part_broken(data: bytes) -> bytes:
    parts = read_parts(data)
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"][:-20]
    return write_parts(parts)


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        (lambda data: data[: len(data) // 2], "it is not a zip archive: cut short or damaged"),
        (_compressed_byte_changed, "a part's compressed data is damaged"),
        (_part_broken, "a part is not well-formed XML: "),
    ],
)
def test_a_broken_template_file_is_named_not_a_crash(
    body: bytes, tmp_path: Path, broken: Callable[[bytes], bytes], reason: str
) -> None:
    for name in ("masthead.docx", "closing.docx"):
        (tmp_path / name).write_bytes((TEMPLATES / name).read_bytes())
    masthead = tmp_path / "masthead.docx"
    masthead.write_bytes(broken(masthead.read_bytes()))
    with pytest.raises(TemplateError) as caught:
        assemble(body, tmp_path, CONTEXT)
    assert str(caught.value).startswith(f"{masthead}: not a Word document ({reason}")
    assert str(caught.value).endswith(
        "; restore it from git, or write the default one with `vanban templates --force`)"
    )


# -------------------------------------------------------------- ooxml check


def test_check_package_reports_order_references_and_content_types(assembled: bytes) -> None:
    parts = read_parts(assembled)
    xml = parts[DOCUMENT_PART].decode("utf-8")
    first_rpr = xml.index("<w:rPr>") + len("<w:rPr>")
    xml = xml[:first_rpr] + '<w:lang w:val="vi-VN"/><w:b/>' + xml[first_rpr:]
    xml = xml.replace(
        "</w:body>", '<w:p><w:r><w:footnoteReference w:id="999"/></w:r></w:p></w:body>'
    )
    parts[DOCUMENT_PART] = xml.encode("utf-8")
    parts["word/media/stray.bin"] = b"\0"
    problems = check_package(write_parts(parts))
    assert any("w:b after w:lang" in p for p in problems), problems
    assert any(
        "footnote reference 999 has no footnote in word/footnotes.xml" in p for p in problems
    )
    assert "[Content_Types].xml: no content type for part word/media/stray.bin" in problems
    assert any(p.startswith("word/document.xml:") for p in problems)


# ------------------------------------------------------------------- LibreOffice


@needs_libreoffice
def test_libreoffice_shows_a4_pages_numbered_from_page_two(tmp_path: Path) -> None:
    filler = "\n\n".join(
        f"Đoạn {n}: Ủy ban nhân dân huyện Đắk Glei báo cáo tình hình thực hiện Chương trình "
        "mục tiêu quốc gia giảm nghèo bền vững trên địa bàn huyện, cụ thể như sau." * 2
        for n in range(1, 25)
    )
    docx = tmp_path / "bao-cao.docx"
    docx.write_bytes(assemble(pandoc_body(BODY_MD + "\n" + filler, tmp_path), TEMPLATES, CONTEXT))
    pdf = to_pdf(docx, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    pages = int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")))
    assert pages >= 2

    def header_band(page: int) -> str:
        # The top margin (20 mm = 56.7 pt) of a page, where the page number sits.
        command = ["pdftotext", "-f", str(page), "-l", str(page), "-x", "0", "-y", "0"]
        command += ["-W", "595", "-H", "56", str(pdf), "-"]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()

    assert header_band(1) == ""
    assert header_band(2) == "2"


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        (lambda data: data[: len(data) // 2], "it is not a zip archive: cut short or damaged"),
        (_compressed_byte_changed, "a part's compressed data is damaged"),
    ],
)
def test_a_broken_reference_document_is_named_before_pandoc_runs(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    broken: Callable[[bytes], bytes],
    reason: str,
) -> None:
    from conftest import copy_case
    from vanban.cli import main

    project = copy_case("minimal", tmp_path)
    reference = project / "templates" / "reference.docx"
    reference.write_bytes(broken(reference.read_bytes()))
    assert main(["build", str(project)]) == 1
    assert capsys.readouterr().err == (
        f"error: {reference}: not a Word document ({reason}; restore it from git, or write "
        "the default one with `vanban templates --force`)\n"
    )
    assert not (project / "build").exists()
