"""Generate the Word templates of a report: reference.docx, masthead.docx, closing.docx.

reference.docx is pandoc's own reference document with its styles and page set to ND30
(Nghị định 30/2020/NĐ-CP, Phụ lục I); pandoc copies its styles, final w:sectPr and headers
into every body it writes. masthead.docx and closing.docx are docxtpl templates built on
the same package, so their style ids agree with the body's; a clerk may edit them in Word.
Generation is reproducible: the same pandoc gives byte-identical files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from lxml import etree

from .classes import dataclass, replace
from .errors import VanbanError
from .files import write_atomic
from .ooxml import (
    CONTENT_TYPES_PART,
    CT_HEADER,
    CT_NS,
    DOCUMENT_PART,
    FONT_TABLE_PART,
    FOOTNOTES_PART,
    M_NS,
    PKG_REL_NS,
    R_NS,
    REL_HEADER,
    SETTINGS_PART,
    STYLES_PART,
    W_NS,
    Border,
    PageSetup,
    get_or_add,
    make,
    make_field_runs,
    make_p,
    make_ppr,
    make_r,
    make_rpr,
    make_sect_pr,
    make_tbl,
    make_tc,
    make_tr,
    parse_xml,
    qn,
    read_parts,
    rels_part_name,
    serialize_xml,
    set_child,
    twips_from_mm,
    write_parts,
)
from .pandoc import pandoc_path
from .pandoc import run as run_pandoc

FONT = "Times New Roman"
LANG = "vi-VN"
BLACK = "000000"

# ND30 Phụ lục I, I.1–3: A4 portrait; margins top/bottom 20–25, left 30–35, right 15–20 mm.
PAGE = PageSetup(
    width=11906,
    height=16838,
    top=twips_from_mm(20),
    bottom=twips_from_mm(20),
    left=twips_from_mm(30),
    right=twips_from_mm(15),
    header=twips_from_mm(10),
    footer=twips_from_mm(10),
)

# Sizes in points. The masthead uses the "12/13/13" set of ND30's consistency rule
# (Quốc hiệu 12, Tiêu ngữ 13, địa danh–ngày 13); the agency scales with the Quốc hiệu.
BODY_PT = 14
FOOTNOTE_PT = 10
PAGE_NUMBER_PT = 14
AGENCY_PT = 12
NATIONAL_TITLE_PT = 12
MOTTO_PT = 13
NUMBER_PT = 13
PLACE_DATE_PT = 13
KIND_TITLE_PT = 14
SUBJECT_PT = 12  # "V/v …" of a Công văn (ô 5b)
ISSUER_PT = 14  # the authority issuing a Quyết định (thẩm quyền ban hành)
RECIPIENTS_TO_PT = 14  # "Kính gửi:" (ô 9a)
RECIPIENTS_HEAD_PT = 12
RECIPIENT_PT = 11
SIGNER_PT = 14

FIRST_LINE = 720  # 1,27 cm body first-line indent
BODY_BEFORE = 120  # 6 pt before each body paragraph
SINGLE = 240  # single line spacing, in 240ths of a line

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_HEAD = "Nơi nhận:"

# Masthead grid of the official Mẫu 1.4 (Phụ lục III): 3829 + 5670 twips, shifted
# 199 twips left so that it fits the 165 mm text width.
MASTHEAD_GRID = (3829, 5670)
MASTHEAD_INDENT = -199
MASTHEAD_CELL_MARGIN = 85
# Closing: the signer column is centred under the masthead's right column
# (its centre lies at -199 + 3829 + 5670 / 2 = 6465 twips), Nơi nhận flush left.
CLOSING_GRID = (3576, PAGE.text_width - 3576)

# Kính gửi with several recipients (ND30 Phụ lục I, II.9.d): "Kính gửi:" on its own line,
# then one "- …;" line each, the dashes aligned under its colon. The block starts 40 mm into
# the text, as in the official Mẫu 1.5; KINH_GUI_WIDTH is "Kính gửi" at 14 pt (Times New
# Roman advance widths, 7225/2048 em), DASH_WIDTH is "- ", so wrapped lines align after it.
RECIPIENTS_TO = "Kính gửi:"
RECIPIENTS_TO_INDENT = twips_from_mm(40)
KINH_GUI_WIDTH = 988
DASH_WIDTH = 163
# A Công điện's recipients under "… điện:" (Mẫu 1.6: the right cell of a borderless table
# indented 1076 twips, its left cell 2016 wide, 108 of cell margin): their dashes this far in,
# their lines justified up to where that cell's text stops (the table is 7344 wide), which is
# SENT_TO_END short of the text's right edge.
SENT_TO_INDENT = 1076 + 2016 + 108
SENT_TO_END = PAGE.text_width - (1076 + 7344 - 108)

# A Giấy nghỉ phép's confirmation block (Mẫu 1.10): the left cell of the sample's table under
# the closing, 4004 twips wide with 108 of cell margin; what it prints under its heading.
CONFIRMATION_WIDTH = 4004
CONFIRMATION_CELL_MARGIN = 108
CONFIRMATION_SIGNED = "(Chữ ký, dấu)"

# Rule lengths in twips. MOTTO_WIDTH is the Tiêu ngữ at 13 pt bold, measured on a
# LibreOffice PDF with Liberation Serif, which has the metrics of Times New Roman. The
# agency and trích yếu rules are the template's; each build sizes them to the text above
# them (layout.fit_rules).
MOTTO_WIDTH = 3182
AGENCY_RULE = twips_from_mm(19)  # ≈ 1/2 of "ỦY BAN NHÂN DÂN" at 12 pt bold (40 mm)
SUMMARY_RULE = PAGE.text_width // 3  # 1/3 of a full line of the trích yếu
RULE = Border(val="single", sz=6, space=0, color=BLACK)  # ¾ pt solid line
RULE_HEIGHT = 120  # the rule paragraph is 6 pt high, exactly
RULE_GAP = 60  # 3 pt between a rule and the text above it

REFERENCE = "reference.docx"
MASTHEAD = "masthead.docx"
CLOSING = "closing.docx"
HEADER_DEFAULT_PART = "word/header1.xml"
HEADER_FIRST_PART = "word/header2.xml"
COMMENTS_PART = "word/comments.xml"


def write_templates(dest: Path, force: bool = True) -> list[Path]:
    """Write reference.docx, masthead.docx and closing.docx into dest; return their paths.

    Without force, a template that exists and differs from the default (a clerk edited it)
    is not overwritten: the error names every such file and nothing is written.
    """
    reference = reference_parts()
    files = {
        REFERENCE: write_parts(reference),
        MASTHEAD: write_parts(with_body(fragment_parts(reference), masthead_blocks())),
        CLOSING: write_parts(with_body(fragment_parts(reference), closing_blocks())),
    }
    if not force:
        edited = [
            dest / name
            for name, data in files.items()
            if (dest / name).exists() and (dest / name).read_bytes() != data
        ]
        if edited:
            names = ", ".join(str(path) for path in edited)
            verb = "differs" if len(edited) == 1 else "differ"
            raise VanbanError(
                f"{names} {verb} from the default templates (edited?): nothing was "
                "written; use --force to replace them"
            )
    paths = []
    for name, data in files.items():
        write_atomic(dest / name, data)
        paths.append(dest / name)
    return paths


# ------------------------------------------------------------------ reference.docx


def pandoc_reference_docx() -> bytes:
    """Return pandoc's default reference.docx."""
    return run_pandoc([pandoc_path(), "--print-default-data-file", "reference.docx"])


def reference_parts() -> dict[str, bytes]:
    """Return the parts of pandoc's reference document with ND30 styles, page and headers."""
    parts = read_parts(pandoc_reference_docx())
    parts[STYLES_PART] = serialize_xml(nd30_styles(parse_xml(parts[STYLES_PART])))
    parts[SETTINGS_PART] = serialize_xml(current_word_settings(parse_xml(parts[SETTINGS_PART])))
    parts[FONT_TABLE_PART] = serialize_xml(font_table())
    headers = add_page_number_headers(parts)
    document = parse_xml(parts[DOCUMENT_PART])
    body = document.find(qn("w:body"))
    assert body is not None
    old = body.find(qn("w:sectPr"))
    if old is not None and old is body[-1]:
        body.remove(old)
    body.append(make_sect_pr(PAGE, headers=headers, title_page=True, page_start=1))
    for table in body.iter(qn("w:tbl")):
        fill_table_grid(table)
    parts[DOCUMENT_PART] = serialize_xml(document)
    for part in [name for name in parts if name.endswith(".xml")]:
        drop_unused_relationships(parts, part)
    return parts


# Word 2013 and later (compatibilityMode 15) open a document with these settings in their
# own mode; without w:compat, Word opens it in Compatibility Mode.
WORD_COMPAT = {
    "compatibilityMode": "15",
    "overrideTableStyleFontSizeAndJustification": "1",
    "enableOpenTypeFeatures": "1",
    "doNotFlipMirrorIndents": "1",
    "differentiateMultirowTableHeaders": "1",
}
WORD_COMPAT_URI = "http://schemas.microsoft.com/office/word"


def current_word_settings(settings: etree._Element) -> etree._Element:
    """Declare the current Word's compatibility mode; drop math settings nothing uses."""
    for element in settings.findall(qn("w:compat")) + settings.findall(f"{{{M_NS}}}mathPr"):
        settings.remove(element)
    for language in settings.findall(qn("w:themeFontLang")):
        language.set(qn("w:val"), LANG)
    set_child(
        settings,
        make(
            "w:compat",
            [
                make("w:compatSetting", name=setting, uri=WORD_COMPAT_URI, val=value)
                for setting, value in WORD_COMPAT.items()
            ],
        ),
    )
    return settings


def font_table() -> etree._Element:
    """Return a font table that declares the one font the documents use."""
    return make(
        "w:fonts",
        [
            make(
                "w:font",
                [
                    make("w:panose1", val="02020603050405020304"),
                    make("w:charset", val="00"),
                    make("w:family", val="roman"),
                    make("w:pitch", val="variable"),
                ],
                name=FONT,
            )
        ],
    )


def fill_table_grid(table: etree._Element) -> None:
    """Give a table with an empty w:tblGrid one equal column per cell of its first row."""
    grid = table.find(qn("w:tblGrid"))
    first_row = table.find(qn("w:tr"))
    if grid is None or len(grid) or first_row is None:
        return
    cells = first_row.findall(qn("w:tc"))
    for _ in cells:
        grid.append(make("w:gridCol", w=PAGE.text_width // max(len(cells), 1)))


@dataclass(frozen=True)
class Format:
    """What a style sets: paragraph properties (twips) and run properties (points)."""

    jc: str | None = None
    first_line: int | None = None
    left: int | None = None
    right: int | None = None
    before: int | None = None
    after: int | None = None
    line: int | None = None
    keep_next: bool | None = None
    size_pt: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    vert_align: str | None = None
    caps: bool | None = None


BODY = Format(
    jc="both", first_line=FIRST_LINE, left=0, right=0, before=BODY_BEFORE, after=0, line=SINGLE
)
# ND30 II.6.đ: headings have the body's size; "I." and "1." bold, "a)" upright, not bold.
HEADING = Format(
    jc="both",
    first_line=FIRST_LINE,
    left=0,
    right=0,
    before=BODY_BEFORE,
    after=0,
    line=SINGLE,
    keep_next=True,
    size_pt=BODY_PT,
    italic=False,
)
CENTRED_TITLE = Format(
    jc="center", first_line=0, before=0, after=0, line=SINGLE, size_pt=BODY_PT, bold=True
)
# A centred bold line inside the body, such as "QUYẾT ĐỊNH:" of a Quyết định (Mẫu 1.2), is
# written `::: {custom-style="Title"}`: it stands apart from the căn cứ above and the Điều.
BODY_TITLE = replace(CENTRED_TITLE, before=2 * BODY_BEFORE, after=BODY_BEFORE)

# A centred upright line inside the body, such as a Giấy giới thiệu's "… trân trọng giới
# thiệu:" (Mẫu 1.8), is written `::: {custom-style="Centred"}`: pandoc's reference has no such
# style, so it is added, based on Body Text.
CENTRED_LINE = replace(BODY, jc="center", first_line=0, size_pt=BODY_PT, bold=False)
ADDED_STYLES: dict[str, tuple[str, Format]] = {"Centred": ("Centred", CENTRED_LINE)}

STYLE_FORMATS: dict[str, Format] = {
    # Normal has no first-line indent: the footnote separator takes Normal's
    # indent (pandoc issue 7292).
    "Normal": Format(first_line=0, before=0, after=0, line=SINGLE, size_pt=BODY_PT),
    "BodyText": BODY,
    "FirstParagraph": BODY,
    # Pandoc puts table cells and tight lists in Compact: no indent there.
    "Compact": Format(first_line=0, before=0, after=0, line=SINGLE),
    # Heading 1 is the "I." of the default scheme: its title in capitals (ND30 Mục V, 6b)
    "Heading1": replace(HEADING, bold=True, caps=True),
    "Heading2": replace(HEADING, bold=True),
    **{f"Heading{level}": replace(HEADING, bold=False) for level in range(3, 10)},
    "Heading1Char": Format(size_pt=BODY_PT, bold=True, italic=False, caps=True),
    "Heading2Char": Format(size_pt=BODY_PT, bold=True, italic=False),
    **{
        f"Heading{level}Char": Format(size_pt=BODY_PT, bold=False, italic=False)
        for level in range(3, 10)
    },
    "Title": BODY_TITLE,
    "TitleChar": Format(size_pt=BODY_PT, bold=True),
    "Subtitle": CENTRED_TITLE,
    "SubtitleChar": Format(size_pt=BODY_PT, bold=True),
    "FootnoteText": Format(
        jc="both",
        first_line=0,
        left=0,
        right=0,
        before=0,
        after=0,
        line=SINGLE,
        size_pt=FOOTNOTE_PT,
    ),
    "FootnoteReference": Format(vert_align="superscript"),
}


def nd30_styles(styles: etree._Element) -> etree._Element:
    """Set pandoc's styles to ND30: Times New Roman, black, vi-VN, sizes and indents."""
    defaults = get_or_add(get_or_add(styles, "w:docDefaults"), "w:rPrDefault")
    rpr = get_or_add(defaults, "w:rPr")
    for child in make_rpr(font=FONT, color=BLACK, size_pt=BODY_PT, lang=LANG):
        set_child(rpr, child)
    ppr_default = get_or_add(get_or_add(styles.find(qn("w:docDefaults")), "w:pPrDefault"), "w:pPr")
    set_child(ppr_default, make("w:spacing", before=0, after=0, line=SINGLE, lineRule="auto"))

    by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    if "TableNormal" not in by_id:  # pandoc's "Table" is based on it
        styles.append(normal_table_style())
    for style_id, fmt in STYLE_FORMATS.items():
        style = by_id.get(style_id)
        if style is not None:
            apply_format(style, fmt)
    for style_id, (name, fmt) in ADDED_STYLES.items():
        if style_id not in by_id:
            style = make(
                "w:style",
                [make("w:name", val=name), make("w:basedOn", val="BodyText"), make("w:qFormat")],
                type="paragraph",
                customStyle=1,
                styleId=style_id,
            )
            styles.append(style)
            apply_format(style, fmt)

    # No theme fonts and no colour anywhere: every font is Times New Roman, every colour black.
    for fonts in styles.iter(qn("w:rFonts")):
        fonts.attrib.clear()
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{slot}"), FONT)
    for color in styles.iter(qn("w:color")):
        color.attrib.clear()
        color.set(qn("w:val"), BLACK)
    return styles


def normal_table_style() -> etree._Element:
    """Return Word's built-in "Normal Table" style, which table styles are based on."""
    margins = make(
        "w:tblCellMar",
        [
            make("w:top", w=0, type="dxa"),
            make("w:left", w=108, type="dxa"),
            make("w:bottom", w=0, type="dxa"),
            make("w:right", w=108, type="dxa"),
        ],
    )
    return make(
        "w:style",
        [
            make("w:name", val="Normal Table"),
            make("w:uiPriority", val=99),
            make("w:semiHidden"),
            make("w:unhideWhenUsed"),
            make("w:tblPr", [make("w:tblInd", w=0, type="dxa"), margins]),
        ],
        type="table",
        styleId="TableNormal",
    )


def apply_format(style: etree._Element, fmt: Format) -> None:
    """Write a Format into a w:style's pPr and rPr, replacing what it sets."""
    if style.get(qn("w:type")) == "paragraph":
        ppr = make_ppr(
            jc=fmt.jc,
            first_line=fmt.first_line,
            left=fmt.left,
            right=fmt.right,
            before=fmt.before,
            after=fmt.after,
            line=fmt.line,
            keep_next=fmt.keep_next,
        )
        if len(ppr):
            target = get_or_add(style, "w:pPr")
            for child in list(ppr):
                set_child(target, child)
    rpr = make_rpr(
        font=FONT,
        size_pt=fmt.size_pt,
        bold=fmt.bold,
        italic=fmt.italic,
        vert_align=fmt.vert_align,
        caps=fmt.caps,
    )
    target = get_or_add(style, "w:rPr")
    for child in list(rpr):
        set_child(target, child)


def add_page_number_headers(parts: dict[str, bytes]) -> dict[str, str]:
    """Add a centred PAGE header and an empty first-page header; return type → r:id."""

    def centred() -> etree._Element:
        rpr = make_rpr(font=FONT, size_pt=PAGE_NUMBER_PT)
        return make_ppr(
            jc="center", first_line=0, left=0, right=0, before=0, after=0, line=SINGLE, rpr=rpr
        )

    number_rpr = make_rpr(font=FONT, size_pt=PAGE_NUMBER_PT)
    number = make_p(make_field_runs("PAGE", "1", number_rpr), centred())
    empty = make_p([], centred())
    rels = parse_xml(parts[rels_part_name(DOCUMENT_PART)])
    types = parse_xml(parts[CONTENT_TYPES_PART])
    ids: dict[str, str] = {}
    taken = {rel.get("Id") for rel in rels}
    for kind, part, paragraph in (
        ("default", HEADER_DEFAULT_PART, number),
        ("first", HEADER_FIRST_PART, empty),
    ):
        header = etree.Element(qn("w:hdr"), nsmap={"w": W_NS, "r": R_NS})
        header.append(paragraph)
        parts[part] = serialize_xml(header)
        rid = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
        taken.add(rid)
        etree.SubElement(
            rels,
            f"{{{PKG_REL_NS}}}Relationship",
            Id=rid,
            Type=REL_HEADER,
            Target=part.removeprefix("word/"),
        )
        etree.SubElement(types, f"{{{CT_NS}}}Override", PartName=f"/{part}", ContentType=CT_HEADER)
        ids[kind] = rid
    parts[rels_part_name(DOCUMENT_PART)] = serialize_xml(rels)
    parts[CONTENT_TYPES_PART] = serialize_xml(types)
    return ids


def fragment_parts(reference: Mapping[str, bytes]) -> dict[str, bytes]:
    """Return the reference parts without headers, footnotes and comments.

    A masthead or closing template only lends its body blocks; docxtpl renders every
    header and the footnotes of a template too, so leaving them out halves its work.
    """
    dropped = {HEADER_DEFAULT_PART, HEADER_FIRST_PART, FOOTNOTES_PART, COMMENTS_PART}
    parts = {
        name: data
        for name, data in reference.items()
        if name not in dropped and name not in {rels_part_name(d) for d in dropped}
    }
    rels = parse_xml(parts[rels_part_name(DOCUMENT_PART)])
    for rel in list(rels):
        if f"word/{rel.get('Target')}" in dropped:
            rels.remove(rel)
    parts[rels_part_name(DOCUMENT_PART)] = serialize_xml(rels)
    types = parse_xml(parts[CONTENT_TYPES_PART])
    for override in list(types):
        if (override.get("PartName") or "").lstrip("/") in dropped:
            types.remove(override)
    parts[CONTENT_TYPES_PART] = serialize_xml(types)
    settings = parse_xml(parts[SETTINGS_PART])
    for element in settings.findall(qn("w:footnotePr")):  # names the separator notes
        settings.remove(element)
    parts[SETTINGS_PART] = serialize_xml(settings)
    document = parse_xml(parts[DOCUMENT_PART])
    sect_pr = document.find(f"{qn('w:body')}/{qn('w:sectPr')}")
    assert sect_pr is not None
    for element in sect_pr.findall(qn("w:headerReference")) + sect_pr.findall(qn("w:titlePg")):
        sect_pr.remove(element)
    parts[DOCUMENT_PART] = serialize_xml(document)
    return parts


def with_body(reference: Mapping[str, bytes], blocks: Iterable[etree._Element]) -> dict[str, bytes]:
    """Return the reference parts with a document body made of blocks (same page setup)."""
    document = parse_xml(reference[DOCUMENT_PART])
    body = document.find(qn("w:body"))
    assert body is not None
    sect_pr = body[-1]
    new_body = make("w:body", [*blocks, sect_pr])
    document.replace(body, new_body)
    parts = dict(reference)
    parts[DOCUMENT_PART] = serialize_xml(document)
    drop_unused_relationships(parts, DOCUMENT_PART)
    return parts


# Relationships that a part's XML names by r:id; the others (styles, settings, …) are implied.
_REFERENCED_TYPES = ("/hyperlink", "/image", "/header", "/footer")


def drop_unused_relationships(parts: dict[str, bytes], part: str) -> None:
    """Remove the relationships of a part that point at content its XML no longer names."""
    rels_name = rels_part_name(part)
    if rels_name not in parts:
        return
    xml = parse_xml(parts[part])
    named = {
        value
        for element in xml.iter()
        for key, value in element.attrib.items()
        if key.startswith(f"{{{R_NS}}}")
    }
    rels = parse_xml(parts[rels_name])
    for rel in list(rels):
        if (rel.get("Type") or "").endswith(_REFERENCED_TYPES) and rel.get("Id") not in named:
            rels.remove(rel)
    parts[rels_name] = serialize_xml(rels)


# ------------------------------------------------------------ masthead and closing


def para(
    text: str = "",
    *,
    size_pt: float,
    bold: bool = False,
    italic: bool = False,
    jc: str = "center",
    before: int = 0,
    keep_next: bool | None = None,
    left: int = 0,
    hanging: int = 0,
    right: int = 0,
) -> etree._Element:
    """Build a template paragraph that carries all its formatting (no style leaks in).

    The font comes from the document defaults (Times New Roman); the paragraph mark gets
    the text's size, because Word sizes the last line of a paragraph by its mark too.
    """
    ppr = make_ppr(
        jc=jc,
        first_line=0,
        left=left,
        right=right,
        before=before,
        after=0,
        line=SINGLE,
        keep_next=keep_next,
        rpr=make_rpr(size_pt=size_pt),
    )
    if hanging:
        indent = ppr.find(qn("w:ind"))
        assert indent is not None
        del indent.attrib[qn("w:firstLine")]
        indent.set(qn("w:hanging"), str(hanging))
    rpr = make_rpr(size_pt=size_pt, bold=bold, italic=italic)
    return make_p([make_r(text, rpr)] if text else [], ppr)


def tag(text: str) -> etree._Element:
    """Build a paragraph holding one docxtpl paragraph tag ({%p ... %}), removed when rendered."""
    return make_p([make_r(text)])


def rule(width: int, available: int) -> etree._Element:
    """Build an empty paragraph whose top border is a centred solid rule of this width.

    The border hugs the bottom of the line above, where Vietnamese dots below (Ệ, ạ)
    and descenders sit: RULE_GAP before the paragraph keeps them apart.
    """
    side = (available - width) // 2
    ppr = make_ppr(
        jc="center",
        first_line=0,
        left=side,
        right=available - width - side,
        before=RULE_GAP,
        after=0,
        line=RULE_HEIGHT,
        line_rule="exact",
        borders={"top": RULE},
        rpr=make_rpr(size_pt=1),
    )
    return make_p([], ppr)


def national_title(available: int) -> list[etree._Element]:
    """Build the quốc hiệu and the tiêu ngữ with the rule under it (ô 1), in a column this
    wide (twips)."""
    return [
        para(NATIONAL_TITLE, size_pt=NATIONAL_TITLE_PT, bold=True),
        para(MOTTO, size_pt=MOTTO_PT, bold=True),
        rule(MOTTO_WIDTH, available),
    ]


def masthead_blocks() -> list[etree._Element]:
    """Build the masthead of every kind: agency | Quốc hiệu, Tiêu ngữ; number (and "V/v …"
    for a Công văn) | place and date; then the type name and summary (the rule alone under
    the type name when there is none: a Giấy mời may leave it out, a Giấy giới thiệu and a
    Giấy nghỉ phép have none), the issuing authority of a Quyết định or a Nghị quyết, one
    line or several, the Kính gửi of a Tờ trình, Báo cáo or Công văn, and a Công điện's
    sender and recipients, where they apply."""
    left_width, right_width = MASTHEAD_GRID
    left_text = left_width - 2 * MASTHEAD_CELL_MARGIN
    right_text = right_width - 2 * MASTHEAD_CELL_MARGIN
    agency = [
        tag("{%p if agency_parent %}"),
        para("{{ agency_parent }}", size_pt=AGENCY_PT),
        tag("{%p endif %}"),
        tag("{%p for line in agency_lines %}"),
        para("{{ line }}", size_pt=AGENCY_PT, bold=True),
        tag("{%p endfor %}"),
        rule(AGENCY_RULE, left_text),
    ]
    national = national_title(right_text)
    table = make_tbl(
        MASTHEAD_GRID,
        [
            make_tr([make_tc(left_width, agency), make_tc(right_width, national)]),
            make_tr(
                [
                    make_tc(
                        left_width,
                        [
                            para("{{ number_line }}", size_pt=NUMBER_PT),
                            tag("{%p if subject_line %}"),
                            para("{{ subject_line }}", size_pt=SUBJECT_PT, before=BODY_BEFORE),
                            tag("{%p endif %}"),
                        ],
                    ),
                    make_tc(
                        right_width,
                        [para("{{ date_line }}", size_pt=PLACE_DATE_PT, italic=True)],
                    ),
                ]
            ),
        ],
        indent=MASTHEAD_INDENT,
        cell_margins=(0, MASTHEAD_CELL_MARGIN, 0, MASTHEAD_CELL_MARGIN),
    )
    return [
        table,
        tag("{%p if kind_title %}"),
        para("{{ kind_title }}", size_pt=KIND_TITLE_PT, bold=True, before=480, keep_next=True),
        tag("{%p if summary %}"),
        para("{{ summary }}", size_pt=KIND_TITLE_PT, bold=True, keep_next=True),
        tag("{%p endif %}"),
        rule(SUMMARY_RULE, PAGE.text_width),
        tag("{%p endif %}"),
        tag("{%p if issuer_lines %}"),
        para("{{ issuer_lines[0] }}", size_pt=ISSUER_PT, bold=True, before=360, keep_next=True),
        tag("{%p for line in issuer_lines[1:] %}"),
        para("{{ line }}", size_pt=ISSUER_PT, bold=True, keep_next=True),
        tag("{%p endfor %}"),
        tag("{%p endif %}"),
        *recipients_to_blocks(),
        *sent_to_blocks(),
    ]


def sent_to_blocks() -> list[etree._Element]:
    """Build a Công điện's sender and recipients (Mẫu 1.6): "CHỦ TỊCH … điện:" centred, then
    one "- X;" line each, their dashes SENT_TO_INDENT in, wrapped lines after the dash, justified
    up to SENT_TO_END from the right edge; upright and not bold, 14 pt, as the sample's."""
    return [
        tag("{%p if sender_line %}"),
        para("{{ sender_line }}", size_pt=BODY_PT, before=360, keep_next=True),
        tag("{%p for item in sent_to %}"),
        para(
            "- {{ item }}",
            size_pt=BODY_PT,
            jc="both",
            left=SENT_TO_INDENT + DASH_WIDTH,
            hanging=DASH_WIDTH,
            right=SENT_TO_END,
            before=BODY_BEFORE,
            keep_next=True,
        ),
        tag("{%p endfor %}"),
        spacer(BODY_BEFORE),
        tag("{%p endif %}"),
    ]


def recipients_to_blocks() -> list[etree._Element]:
    """Build the Kính gửi (ô 9a): "Kính gửi: X" on one centred line for one recipient; for
    several, "Kính gửi:" then "- X;" lines with their dashes under its colon. All upright
    and not bold, as ND30 Phụ lục I, II.9.d and Mục V row 9a ask; a 6 pt line after it sets
    it apart from the body."""
    items_left = RECIPIENTS_TO_INDENT + KINH_GUI_WIDTH + DASH_WIDTH
    return [
        tag("{%p if recipients_to|length == 1 %}"),
        para(RECIPIENTS_TO + " {{ recipients_to[0] }}", size_pt=RECIPIENTS_TO_PT, before=360),
        spacer(BODY_BEFORE),
        tag("{%p endif %}"),
        tag("{%p if recipients_to|length > 1 %}"),
        para(
            RECIPIENTS_TO,
            size_pt=RECIPIENTS_TO_PT,
            jc="left",
            left=RECIPIENTS_TO_INDENT,
            before=360,
            keep_next=True,
        ),
        tag("{%p for item in recipients_to %}"),
        para(
            "- {{ item }}",
            size_pt=RECIPIENTS_TO_PT,
            jc="left",
            left=items_left,
            hanging=DASH_WIDTH,
        ),
        tag("{%p endfor %}"),
        spacer(BODY_BEFORE),
        tag("{%p endif %}"),
    ]


def spacer(height: int) -> etree._Element:
    """Build an empty paragraph exactly this high (twips)."""
    ppr = make_ppr(
        first_line=0, before=0, after=0, line=height, line_rule="exact", rpr=make_rpr(size_pt=1)
    )
    return make_p([], ppr)


def signature(
    authority: str | None, position: str, name: str, beside: str | None = None
) -> list[etree._Element]:
    """Build a signature: its authority lines (when a name of the context is given), the
    position, the room for the signature and the seal (four lines on paper, more for the
    images of a digital signature: metadata.signature_lines) and the name, bold, centred.
    beside: the authority lines of the signature printed beside it (a Biên bản's chair),
    for which it leaves as many lines empty, so the two positions and names stand level."""
    lines = []
    if authority is not None:
        lines = [
            tag(f"{{%p for line in {authority} %}}"),
            para("{{ line }}", size_pt=SIGNER_PT, bold=True),
            tag("{%p endfor %}"),
        ]
    if beside is not None:
        lines = [
            tag(f"{{%p for _ in {beside} %}}"),
            para(size_pt=SIGNER_PT),
            tag("{%p endfor %}"),
        ]
    return [
        *lines,
        para(f"{{{{ {position} }}}}", size_pt=SIGNER_PT, bold=True),
        tag("{%p for _ in signature_lines %}"),
        para(size_pt=SIGNER_PT),
        tag("{%p endfor %}"),
        para(f"{{{{ {name} }}}}", size_pt=SIGNER_PT, bold=True),
    ]


def closing_blocks() -> list[etree._Element]:
    """Build the closing: Nơi nhận on the left, the signer block on the right; for a Biên
    bản (a secretary's name given), the secretary's signature on the left and the chair's on
    the right, then Nơi nhận under them, if any (Phụ lục III, Mẫu 1.9)."""
    left_width, right_width = CLOSING_GRID

    def received(before: int = 0) -> list[etree._Element]:
        return [
            para(
                RECIPIENTS_HEAD,
                size_pt=RECIPIENTS_HEAD_PT,
                bold=True,
                italic=True,
                jc="left",
                before=before,
            ),
            tag("{%p for item in recipients %}"),
            para("- {{ item }}", size_pt=RECIPIENT_PT, jc="left"),
            tag("{%p endfor %}"),
        ]

    def signed(left: list[etree._Element]) -> etree._Element:
        chair = signature("signer_authority", "signer_position", "signer_name")
        return make_tbl(
            CLOSING_GRID,
            [make_tr([make_tc(left_width, left), make_tc(right_width, chair)])],
            cell_margins=(0, 0, 0, 0),
        )

    return [
        para(size_pt=BODY_PT, keep_next=True),
        tag("{%p if secretary_name %}"),
        signed(signature(None, "secretary_position", "secretary_name", "signer_authority")),
        tag("{%p if recipients %}"),
        *received(before=2 * BODY_BEFORE),
        tag("{%p endif %}"),
        tag("{%p else %}"),
        signed(received()),
        tag("{%p endif %}"),
        *confirmation_blocks(),
    ]


def confirmation_blocks() -> list[etree._Element]:
    """Build a Giấy nghỉ phép's confirmation block under the closing, when asked for (Phụ
    lục III, Mẫu 1.10): in a left cell as wide as the sample's, its heading and "(Chữ ký,
    dấu)" centred in italics, then the signature's room, for the place of leave to fill in;
    the table's text starts where Nơi nhận's does."""
    block = [
        para("{{ confirmation }}", size_pt=SIGNER_PT, italic=True),
        para(size_pt=SIGNER_PT),
        para(CONFIRMATION_SIGNED, size_pt=SIGNER_PT, italic=True),
        tag("{%p for _ in signature_lines %}"),
        para(size_pt=SIGNER_PT),
        tag("{%p endfor %}"),
    ]
    return [
        tag("{%p if confirmation %}"),
        para(size_pt=BODY_PT, before=2 * BODY_BEFORE, keep_next=True),
        make_tbl(
            (CONFIRMATION_WIDTH, PAGE.text_width - CONFIRMATION_WIDTH),
            [
                make_tr(
                    [
                        make_tc(CONFIRMATION_WIDTH, block),
                        make_tc(PAGE.text_width - CONFIRMATION_WIDTH, [para(size_pt=SIGNER_PT)]),
                    ]
                )
            ],
            indent=-CONFIRMATION_CELL_MARGIN,  # its text under Nơi nhận's
            cell_margins=(0, CONFIRMATION_CELL_MARGIN, 0, CONFIRMATION_CELL_MARGIN),
        ),
        tag("{%p endif %}"),
    ]
