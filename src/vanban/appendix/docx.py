"""Appendix pages as WordprocessingML, built directly (no pandoc, no docxtpl).

Each appendix is a section of its own (layout.add_sections places it after the closing);
this module builds the blocks of its body: "Phụ lục I", the title, the "(Kèm theo …)" line
over a short rule, and for each table an optional heading, the unit line and the bordered
table (ND30 Phụ lục I, III.1; Mẫu 2.1 of Phụ lục III; the conventions of nd30-format.md §4).

An appendix has hundreds of cells in a few looks. Each look (of a cell, a row, a paragraph)
is built once with the ooxml builders and serialized with holes for what varies, its text
and width; an appendix is then stamped out as markup, which the layout splices into the
document: a fiftieth of the cost of building, then moving, every element.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from lxml import etree

from ..classes import dataclass
from ..conventions import LANDSCAPE_START
from ..metadata import BLANK, Metadata, date_words
from ..ooxml import (
    W_NS,
    Border,
    get_or_add,
    make,
    make_p,
    make_ppr,
    make_r,
    make_rpr,
    make_tbl,
    make_tc,
    make_tr,
    markup_of,
    page_setup_of,
    parse_xml,
    qn,
    set_child,
    twips_from_mm,
)
from ..parts import escape
from ..templates_gen import BLACK, SUMMARY_RULE, para, rule
from .declaration import BODY_TABLE_MARK
from .literal import LiteralCell, LiteralTable, placed
from .tables import Appendices, Appendix, Column, Row, Table

HEADING_PT = 14  # "Phụ lục I": ND30 Phụ lục I, Mục V row 9
DOCUMENT_TITLE_PT = 14  # "QUY CHẾ" and its trích yếu: ND30 Phụ lục I, Mục V rows 3, 4
TITLE_PT = 14
REFERENCE_PT = 13  # "(Kèm theo …)": Mẫu 2.1
UNIT_PT = 12
TABLE_HEADING_PT = 13
CELL_STYLE = "Compact"  # pandoc's style of table cells: no indent, no spacing, single
CELL_MARGIN = 57  # 1 mm left and right
CELL_PADDING = 28  # ½ mm above and below
TABLE_BORDER = Border(val="single", sz=4, space=0, color=BLACK)  # ½ pt
STT_MIN = twips_from_mm(9)
LABEL_MIN = twips_from_mm(35)
LABEL_MAX_SHARE = Decimal("0.6")
SLACK = 24  # twips beyond the estimated text width of a number column
KEEP_TOGETHER_ROWS = 15  # a table of at most this many rows is kept on one page
HEADER_LINES = 3  # a header wraps to at most this many lines
TEXT_COLUMN_MAX = twips_from_mm(40)  # a text column (Ghi chú) wraps beyond this width
NOTE_PT = 12
AFTER_PT = 14  # a paragraph under a table: the text's size

# Advance widths in em of Times New Roman (Liberation Serif has the same metrics).
_EM = {
    **dict.fromkeys("0123456789", 0.5),
    **dict.fromkeys(".,: ", 0.25),
    "-": 0.333,
    "–": 0.5,
    "+": 0.68,  # italic + and = are wider than upright ones
    "=": 0.68,
    "/": 0.278,
    "%": 0.833,
    "(": 0.333,
    ")": 0.333,
}


def text_twips(text: str, size_pt: float, bold: bool = False) -> int:
    """Estimate the printed width of a text (twips): figures exactly, letters generously."""
    lower, upper = (0.56, 0.75) if bold else (0.5, 0.72)
    ems = sum(_EM.get(c, upper if c.isupper() else lower) for c in text)
    return round(ems * size_pt * 20)


# ---------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class AppendixSection:
    """The body of one appendix section; the layout gives it its page."""

    appendix: Appendix
    reference_line: str | None
    # an attached document's masthead (attached.masthead_markup) and the appendix's own
    # text, converted (attached.convert_text): markup, as the section's blocks are
    masthead: str = ""
    text: str = ""

    @property
    def landscape(self) -> bool:
        return self.appendix.landscape

    def markup(self, text_width: int) -> str:
        """Return the appendix's paragraphs and tables for a text area this wide (twips)."""
        appendix = self.appendix
        if appendix.document:  # ND30 Phụ lục III: the masthead, "QUY CHẾ", its trích yếu
            out = [
                self.masthead,
                paragraph(
                    appendix.heading,
                    size_pt=DOCUMENT_TITLE_PT,
                    bold=True,
                    before=360,
                    keep_next=True,
                ),
                *(
                    paragraph(line, size_pt=DOCUMENT_TITLE_PT, bold=True, keep_next=True)
                    for line in appendix.title.splitlines()
                    if appendix.title.upper() != appendix.heading  # a form with no trích yếu
                ),
            ]
        elif appendix.run_in:  # "Phụ lục: DANH SÁCH CÁC ĐƠN VỊ KIỂM TRA"
            line = f"{appendix.heading}: {' '.join(appendix.title.splitlines())}"
            out = [paragraph(line, size_pt=TITLE_PT, bold=True, keep_next=True)]
        else:
            out = [
                paragraph(appendix.heading, size_pt=HEADING_PT, bold=True, keep_next=True),
                *(
                    paragraph(line, size_pt=TITLE_PT, bold=True, keep_next=True)
                    for line in appendix.title.splitlines()
                ),
            ]
        if appendix.subtitle:
            out.append(paragraph(appendix.subtitle, size_pt=REFERENCE_PT, keep_next=True))
        if self.reference_line is not None:
            out.append(
                paragraph(self.reference_line, size_pt=REFERENCE_PT, italic=True, keep_next=True)
            )
        out.append(_rule_markup(min(SUMMARY_RULE, text_width // 3), text_width))
        if self.text:
            out.append(_TEXT_START)
            out.append(restyled_tables(self.text, text_width, BODY_TABLE_PT))
        for index, table in enumerate(appendix.tables):
            size = float(table.font_size or appendix.font_size)
            if table.new_page and index:
                out.append(_PAGE_BREAK)
            for number, line in enumerate(table.form):
                before = 120 if number == 0 and not (table.new_page and index) else 0
                out.append(
                    paragraph(
                        line, size_pt=TABLE_HEADING_PT, bold=True, before=before, keep_next=True
                    )
                )
            if table.literal is not None:
                if table.heading:
                    out.append(
                        paragraph(
                            table.heading,
                            size_pt=TABLE_HEADING_PT,
                            bold=True,
                            jc="both",
                            before=240 if index else 120,
                            keep_next=True,
                        )
                    )
                else:
                    out.append(paragraph("", size_pt=UNIT_PT, keep_next=True))
                out.append(literal_markup(table.literal, text_width, size))
                out += [_note(n) for n in table.notes] + [_after(t) for t in table.after]
                continue
            if table.heading:
                before = 240 if index else 120
                out.append(
                    paragraph(
                        table.heading,
                        size_pt=TABLE_HEADING_PT,
                        bold=True,
                        jc="both",
                        before=before,
                        keep_next=True,
                    )
                )
            if table.unit:
                before = 0 if table.heading else 120
                unit_line = f"(Đơn vị tính: {table.unit})"
                out.append(
                    paragraph(
                        unit_line,
                        size_pt=UNIT_PT,
                        italic=True,
                        jc="right",
                        before=before,
                        keep_next=True,
                    )
                )
            elif not table.heading:
                out.append(paragraph("", size_pt=UNIT_PT, keep_next=True))
            out.append(table_markup(table, text_width, size))
            out += [_note(n) for n in table.notes] + [_after(t) for t in table.after]
        return "".join(out)

    def blocks(self, text_width: int) -> list[etree._Element]:
        """Return the appendix's blocks as elements (for a reader, or a test)."""
        wrapped = f'<w:body xmlns:w="{W_NS}">{self.markup(text_width)}</w:body>'
        return list(parse_xml(wrapped.encode()))


# The space between the rule under the "(Kèm theo …)" line and an appendix's text.
_TEXT_START = (
    '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:p>'
)

_PAGE_BREAK = (
    '<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>'
    '<w:r><w:br w:type="page"/></w:r></w:p>'
)


def _note(text: str) -> str:
    """A line under a table ("Ghi chú: …"), italic, justified; its `*emphasis*` upright,
    as emphasis stands out of italics, its `**strong**` bold."""
    return _emphasised(text, size_pt=NOTE_PT, italic=True, jc="both", before=60)


def _after(text: str) -> str:
    """A paragraph of text under a table ("Trên đây là …"): upright, justified, the body's
    size; its `*emphasis*` and `**strong**` as the text's."""
    return _emphasised(text, size_pt=AFTER_PT, italic=False, jc="both", before=120)


def _emphasised(text: str, *, size_pt: float, italic: bool, jc: str, before: int) -> str:
    """Return the markup of a paragraph of inline Markdown (appendix.inline): a run for each
    piece of one look, emphasis turning the paragraph's italics over."""
    from .inline import emphasis_runs

    runs = emphasis_runs(text)
    if len(runs) <= 1:
        typed = runs[0][0] if runs else ""
        bold = bool(runs) and runs[0][1]
        slanted = italic != (bool(runs) and runs[0][2])
        return paragraph(typed, size_pt=size_pt, bold=bold, italic=slanted, jc=jc, before=before)
    out: list[str] = []
    for piece, bold, emphasis in runs:
        start, end = _paragraph_markup(size_pt, bold, italic != emphasis, jc, before, False, False)
        run_at = start.index("<w:r>")
        if not out:
            out.append(start[:run_at])
        out.append(start[run_at:] + escape(piece) + end[: -len("</w:p>")])
    return "".join(out) + "</w:p>"


def _number_text(metadata: Metadata) -> str:
    """Return the số as the masthead prints it ("05", "0204"), or "" while it is blank."""
    line = metadata.number_line  # "Số: 05/BC-UBND", or "Số:      /BC-UBND"
    return line.partition(":")[2].partition("/")[0].strip()


def reference_line(metadata: Metadata, attached: str = "agency") -> str | None:
    """Return "(Kèm theo Báo cáo số …/BC-UBND ngày … tháng … năm … của …)" (Mẫu 2.1),
    "… của Chủ tịch …" for a document the chair issues, None for no line; a draft keeps
    the blanks of its number and date, and so does a document issued electronically, whose
    appendices leave them unfilled (ND30 Phụ lục I, III.1.c; Phụ lục III, Mẫu 2.2)."""
    if attached == "none":
        return None
    kind = metadata.kind_title.capitalize()
    # The blanks are those of the masthead's "Số:      /BC-UBND"; the number as it prints.
    written = "" if metadata.electronic else _number_text(metadata)
    number = f" {written}" if written else BLANK
    if metadata.electronic:
        date = date_words(None, metadata.year)
    else:
        date = date_words(metadata.date, metadata.year, metadata.month)
    issuer = metadata.agency_full_name
    if attached == "chair":
        issuer = f"Chủ tịch {issuer}"
    return f"(Kèm theo {kind} số{number}/{metadata.symbol} {date} của {issuer})"


def appendix_sections(
    appendices: Appendices, metadata: Metadata, texts: Mapping[str, str] | None = None
) -> list[AppendixSection]:
    """Return one section per appendix, in order; texts: the markup of the appendices' own
    texts, by name."""
    from .attached import masthead_markup

    texts = texts or {}
    masthead = ""
    if any(a.document for a in appendices.items):
        masthead = masthead_markup(metadata)
    return [
        AppendixSection(
            appendix,
            reference_line(metadata, appendix.attached),
            masthead if appendix.document else "",
            texts.get(appendix.name, ""),
        )
        for appendix in appendices.items
    ]


# ------------------------------------------------------------------------------ stamps

_WIDTH_HOLE = "987654321"
_TEXT_HOLE = "\u2063TEXT\u2063"


def _keep_next(element: etree._Element) -> None:
    set_child(get_or_add(element, "w:pPr"), make("w:keepNext"))


@lru_cache(maxsize=64)
def _paragraph_markup(
    size_pt: float, bold: bool, italic: bool, jc: str, before: int, keep_next: bool, empty: bool
) -> tuple[str, str]:
    built = para(
        "" if empty else _TEXT_HOLE,
        size_pt=size_pt,
        bold=bold,
        italic=italic,
        jc=jc,
        before=before,
        keep_next=keep_next or None,
    )
    for t in built.iter(qn("w:t")):
        t.set(qn("xml:space"), "preserve")
    start, _, end = markup_of(built).partition(_TEXT_HOLE)
    return start, end


def paragraph(
    text: str,
    *,
    size_pt: float,
    bold: bool = False,
    italic: bool = False,
    jc: str = "center",
    before: int = 0,
    keep_next: bool = False,
) -> str:
    """Return the markup of a paragraph formatted like templates_gen.para."""
    start, end = _paragraph_markup(size_pt, bold, italic, jc, before, keep_next, not text)
    return f"{start}{escape(text)}{end}"


@lru_cache(maxsize=16)
def _rule_markup(width: int, available: int) -> str:
    """Return the markup of the short rule under the "(Kèm theo …)" line (Mẫu 2.1)."""
    built = rule(width, available)
    _keep_next(built)
    return markup_of(built)


def _cell_paragraph(
    text: str, size_pt: float, *, jc: str, bold: bool = False, italic: bool = False
) -> etree._Element:
    """Build a cell's paragraph; the paragraph mark has the text's size, so that an empty
    cell is no taller than a full one."""
    ppr = make_ppr(style=CELL_STYLE, jc=jc, rpr=make_rpr(size_pt=size_pt))
    rpr = make_rpr(size_pt=size_pt, bold=bold or None, italic=italic or None)
    return make_p([make_r(text, rpr)] if text else [], ppr)


@lru_cache(maxsize=256)
def _cell_markup(
    size_pt: float,
    jc: str,
    bold: bool,
    italic: bool,
    span: int,
    v_merge: str | None,
    keep_next: bool,
    empty: bool,
) -> tuple[str, str, str]:
    """Return a cell's markup around its width and its text."""
    text = "" if empty else _TEXT_HOLE
    built = _cell_paragraph(text, size_pt, jc=jc, bold=bold, italic=italic)
    if keep_next:
        _keep_next(built)
    for t in built.iter(qn("w:t")):
        t.set(qn("xml:space"), "preserve")
    tc = make_tc(int(_WIDTH_HOLE), [built], span=span, v_merge=v_merge, v_align="center")
    before, after = markup_of(tc).split(_WIDTH_HOLE)
    middle, _, end = after.partition(_TEXT_HOLE)
    return before, middle, end


def cell(
    text: str,
    width: int,
    size_pt: float,
    *,
    jc: str,
    bold: bool = False,
    italic: bool = False,
    span: int = 1,
    v_merge: str | None = None,
    keep_next: bool = False,
) -> str:
    """Return the markup of a w:tc this wide holding one paragraph of text, centred
    vertically; keep_next keeps its row with the next one."""
    look = (size_pt, jc, bold, italic, span, v_merge, keep_next, not text)
    before, middle, end = _cell_markup(*look)
    return f"{before}{width}{middle}{_LINE_BREAK.join(map(escape, text.split(chr(10))))}{end}"


def cell_of_runs(
    lines: Sequence[Sequence[tuple[str, bool, bool]]],
    width: int,
    size_pt: float,
    *,
    jc: str,
    span: int = 1,
    v_merge: str | None = None,
) -> str:
    """Return the markup of a w:tc as cell() does, its lines of runs of their own look
    (text, bold, italic), a line break between the lines."""
    before, middle, end = _cell_markup(size_pt, jc, False, False, span, v_merge, False, False)
    opening, closing = middle.rpartition("<w:r>")[0], end.partition("</w:r>")[2]
    shown = []
    for line in lines:
        pieces = []
        for text, bold, italic in line:
            start, finish = _run_markup(size_pt, bold, italic)
            pieces.append(f"{start}{escape(text)}{finish}")
        shown.append("".join(pieces))
    return f"{before}{width}{opening}{'<w:r><w:br/></w:r>'.join(shown)}{closing}"


@lru_cache(maxsize=16)
def _run_markup(size_pt: float, bold: bool, italic: bool) -> tuple[str, str]:
    """Return a cell's run of this look around its text."""
    _, middle, end = _cell_markup(size_pt, "left", bold, italic, 1, None, False, False)
    return "<w:r>" + middle.rpartition("<w:r>")[2], end.partition("</w:r>")[0] + "</w:r>"


_LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'  # a line break inside a cell


@lru_cache(maxsize=4)
def _row_markup(header: bool) -> tuple[str, str]:
    start, _, end = markup_of(make_tr([], header=header)).rpartition("</w:tr>")
    return start, "</w:tr>" + end


def row(cells: Sequence[str], *, header: bool = False) -> str:
    """Return the markup of a w:tr kept on one page; a header row repeats on every page."""
    start, end = _row_markup(header)
    return start + "".join(cells) + end


# ------------------------------------------------------------------------------ tables


def column_widths(table: Table, text_width: int, size_pt: float) -> list[int]:
    """Return the grid (twips): STT, label, then the number columns; it fills text_width.

    A number column gets the width of its widest figure or header word, so that figures
    never wrap. The label column takes what its texts need (its declared width when it
    fits), at most LABEL_MAX_SHARE of the width, the rest going to the number columns; on
    a page too narrow the label column gives way first, down to LABEL_MIN.
    """
    margins = 2 * CELL_MARGIN
    stt_texts = [header_text(table.stt_header), *(r.stt for r in table.rows)]
    stt = max(STT_MIN, max(text_twips(t, size_pt, True) for t in stt_texts) + margins + SLACK)
    if table.column_labels:
        stt = max(stt, text_twips(table.column_labels[0], size_pt) + margins + SLACK)
    numbers: list[int] = []
    free: list[int] = []  # the number columns whose width is not declared
    for index, column in enumerate(table.columns):
        if column.width_mm is not None:
            numbers.append(twips_from_mm(float(column.width_mm)))
            continue
        shown = [r.cells[index].text for r in table.rows]
        if column.text:  # words wrap in a text column, up to TEXT_COLUMN_MAX
            longest = max((text_twips(t, size_pt) for t in shown), default=0)
            widths = [min(longest, TEXT_COLUMN_MAX)]
            widths += [text_twips(w, size_pt) for t in shown for w in t.split()]
        else:
            widths = [text_twips(t, size_pt, bold=True) for t in shown]
        labels = (header_text(column.label), header_text(column.group or ""))
        words = [w for label in labels for w in label.split()]
        widths += [text_twips(w, size_pt, bold=True) for w in words if len(w) <= 12]
        widths.append(lines_width(labels[0], size_pt, HEADER_LINES))
        if table.column_numbers:
            number = table.column_labels[index + 2] if table.column_labels else column.number
            widths.append(text_twips(number, size_pt))
        numbers.append(max(widths, default=0) + margins + SLACK)
        free.append(index)
    _widen_groups(table, numbers, size_pt, margins + SLACK)
    rest = text_width - stt - sum(numbers)
    if table.label_width_mm is not None:
        label = min(twips_from_mm(float(table.label_width_mm)), max(rest, LABEL_MIN))
    else:
        texts = [*header_text(table.label_header).split("\n"), *(r.label for r in table.rows)]
        natural = max(text_twips(t, size_pt, bold=True) for t in texts) + margins + SLACK
        label = max(LABEL_MIN, min(natural, rest, int(text_width * LABEL_MAX_SHARE)))
    spare = rest - label
    targets = free or list(range(len(numbers)))
    if targets and spare > 0:
        share, extra = divmod(spare, len(targets))
        for position, i in enumerate(targets):
            numbers[i] += share + (1 if position < extra else 0)
    elif targets and spare < 0:  # too wide even so: the figures will wrap
        total = sum(numbers[i] for i in targets)
        for i in targets:
            numbers[i] += round(spare * numbers[i] / total)
    grid = [stt, label, *numbers]
    grid[1] += text_width - sum(grid)  # rounding residue
    return grid


def lines_width(text: str, size_pt: float, lines: int, bold: bool = True) -> int:
    """Return the least width (twips) in which a text wraps to at most `lines` lines."""
    words = text.split()
    if not words:
        return 0
    space = text_twips(" ", size_pt, bold)
    sizes = [text_twips(w, size_pt, bold) for w in words]

    def count(width: int) -> int:
        used, n = 0, 1
        for size in sizes:
            if used and used + space + size > width:
                n, used = n + 1, size
            else:
                used = used + space + size if used else size
        return n

    low, high = max(sizes), sum(sizes) + space * (len(sizes) - 1)
    while low < high:
        middle = (low + high) // 2
        if count(middle) <= lines:
            high = middle
        else:
            low = middle + 1
    return low


def _widen_groups(table: Table, numbers: list[int], size_pt: float, extra: int) -> None:
    """Widen the columns under a group header whose label would wrap beyond three lines."""
    spans: dict[int, tuple[str, list[int]]] = {}
    for index, column in enumerate(table.columns):
        for label, group_id in column.groups or (
            ((column.group or "", column.group_id),) if column.group_id is not None else ()
        ):
            spans.setdefault(group_id, (label, []))[1].append(index)
    for label, indexes in spans.values():
        if any(table.columns[i].width_mm is not None for i in indexes):
            continue
        need = lines_width(header_text(label), size_pt, HEADER_LINES) + extra
        have = sum(numbers[i] for i in indexes)
        if need > have:
            share, rest = divmod(need - have, len(indexes))
            for position, i in enumerate(indexes):
                numbers[i] += share + (1 if position < rest else 0)


def _header_cell(
    text: str, width: int, size_pt: float, *, span: int = 1, v_merge: str | None = None
) -> str:
    shown = "" if v_merge == "continue" else text
    lines = header_lines(shown)
    if lines is not None:
        return cell_of_runs(lines, width, size_pt, jc="center", span=span, v_merge=v_merge)
    return cell(shown, width, size_pt, jc="center", bold=True, span=span, v_merge=v_merge)


def header_lines(text: str) -> list[list[tuple[str, bool, bool]]] | None:
    """Return a computed table's header text as lines of runs (text, bold, italic) where it
    marks words bold or italic ("**Chỉ tiêu**\\n*(ghi chú)*"): bold where it marks none
    bold, else as marked; None for a text that marks none (printed bold as typed)."""
    if "*" not in text and "_" not in text:
        return None
    from .inline import emphasis_runs

    runs = emphasis_runs(text)
    if "".join(piece for piece, _, _ in runs) == text:
        return None  # its stars or underscores close nothing: printed as typed
    strong = any(bold for _, bold, _ in runs)
    lines: list[list[tuple[str, bool, bool]]] = [[]]
    for piece, bold, italic in runs:
        for index, part in enumerate(piece.split("\n")):
            if index:
                lines.append([])
            if part:
                lines[-1].append((part, bold or not strong, italic))
    return lines


def header_text(text: str) -> str:
    """Return a computed table's header text as it prints: its emphasis marks read."""
    lines = header_lines(text)
    if lines is None:
        return text
    return "\n".join("".join(piece for piece, _, _ in line) for line in lines)


@dataclass(frozen=True)
class HeaderCell:
    """A cell of a computed table's header rows as printed: its text, the grid column it
    starts at (0 the STT, 1 the label column, 2… the columns), the columns it spans, its
    vertical merge, and where its text comes from: ("stt",), ("label",), ("column", k) the
    label of column k, ("group", k, level) the group over column k at that level (outermost
    0), ("number", k) the k-th cell of the row of column numbers; () for a cell a merge
    continues."""

    text: str
    at: int
    span: int = 1
    v_merge: str | None = None
    origin: tuple[str | int, ...] = ()


def header_layout(table: Table) -> list[list[HeaderCell]]:
    """Return the header rows of a computed table, cell by cell as they are printed: group
    labels over their columns, then the column labels, then (if declared) the row of column
    numbers."""
    columns = table.columns
    chains = [
        c.groups or (((c.group or "", c.group_id),) if c.group_id is not None else ())
        for c in columns
    ]
    depth = max((len(chain) for chain in chains), default=0)
    rows = []
    for level in range(depth + 1):
        # STT and the label column span every header row; a column's label stands under its
        # groups and spans the rows below it; a group spans the columns under it.
        if depth == 0:
            merge = None
        else:
            merge = "restart" if level == 0 else "continue"
        shown = merge != "continue"
        cells = [
            HeaderCell(table.stt_header if shown else "", 0, 1, merge, ("stt",) if shown else ()),
            HeaderCell(
                table.label_header if shown else "", 1, 1, merge, ("label",) if shown else ()
            ),
        ]
        index = 0
        while index < len(columns):
            chain = chains[index]
            if level < len(chain):
                group_id = chain[level][1]
                end = index
                while end < len(columns) and len(chains[end]) > level:
                    if chains[end][level][1] != group_id:
                        break
                    end += 1
                origin: tuple[str | int, ...] = ("group", index, level)
                cells.append(HeaderCell(chain[level][0], 2 + index, end - index, None, origin))
                index = end
                continue
            if level == len(chain):
                merge = "restart" if len(chain) < depth else None
                origin = ("column", index)
                cells.append(HeaderCell(columns[index].label, 2 + index, 1, merge, origin))
            else:
                cells.append(HeaderCell("", 2 + index, 1, "continue"))
            index += 1
        rows.append(cells)
    if table.column_numbers:
        labels = list(table.column_labels) or ["A", "B", *(c.number for c in columns)]
        rows.append([HeaderCell(text, k, 1, None, ("number", k)) for k, text in enumerate(labels)])
    return rows


def header_rows(table: Table, grid: Sequence[int], size_pt: float) -> list[str]:
    """Return the header rows' markup (bold, repeated on every page; the row of column
    numbers in italics), as header_layout lays them out."""
    rows = []
    for cells in header_layout(table):
        out = []
        for found in cells:
            width = sum(grid[found.at : found.at + found.span])
            if found.origin[:1] == ("number",):
                out.append(cell(found.text, width, size_pt, jc="center", italic=True))
            else:
                out.append(
                    _header_cell(found.text, width, size_pt, span=found.span, v_merge=found.v_merge)
                )
        rows.append(row(out, header=True))
    return rows


def body_row(
    line: Row,
    grid: Sequence[int],
    size_pt: float,
    *,
    keep_next: bool = False,
    columns: Sequence[Column] = (),
    merges: dict[int, str] | None = None,
) -> str:
    """Return a row: STT centred, label left, figures right; totals bold. keep_next keeps
    it on the page of the row after it."""
    aligns = [c.align or ("left" if c.text else "right") for c in columns]
    texts = [
        (line.stt, "center"),
        (line.label, "left"),
        *((c.text, jc) for c, jc in zip(line.cells, aligns, strict=True)),
    ]
    return row(
        [
            cell(
                "" if (merges or {}).get(index) == "continue" else text,
                width,
                size_pt,
                jc=jc,
                bold=line.look(index)[0],
                italic=line.look(index)[1],
                keep_next=keep_next,
                v_merge=(merges or {}).get(index),
            )
            for index, ((text, jc), width) in enumerate(zip(texts, grid, strict=True))
        ]
    )


def table_frame(grid: Sequence[int]) -> etree._Element:
    """Return an empty w:tbl with the ND30 table's grid, cell margins and borders."""
    return make_tbl(
        grid,
        [],
        cell_margins=(CELL_PADDING, CELL_MARGIN, CELL_PADDING, CELL_MARGIN),
        border=TABLE_BORDER,
    )


def _table_with_rows(grid: Sequence[int], rows: Sequence[str]) -> str:
    """Return the markup of an ND30 table frame holding the rows' markup."""
    start, _, end = markup_of(table_frame(grid)).rpartition("</w:tbl>")
    return start + "".join(rows) + "</w:tbl>" + end


def table_markup(table: Table, text_width: int, size_pt: float) -> str:
    """Return the markup of a bordered, fixed-layout table that fills the text width; a
    table of few rows is kept on one page."""
    grid = column_widths(table, text_width, size_pt)
    together = len(table.rows) <= KEEP_TOGETHER_ROWS
    last = len(table.rows) - 1
    merged: dict[tuple[int, int], str] = {}  # (row, cell) → restart or continue
    for i, line in enumerate(table.rows):
        for position, count in line.spans:
            if count > 1:
                merged[(i, position)] = "restart"
                for below in range(i + 1, min(i + count, len(table.rows))):
                    merged[(below, position)] = "continue"
    rows = header_rows(table, grid, size_pt) + [
        body_row(
            r,
            grid,
            size_pt,
            keep_next=together and i < last,
            columns=table.columns,
            merges={p: m for (row_, p), m in merged.items() if row_ == i},
        )
        for i, r in enumerate(table.rows)
    ]
    return _table_with_rows(grid, rows)


# ---------------------------------------------------------------------- literal tables


def literal_widths(table: LiteralTable, text_width: int, size_pt: float) -> list[int]:
    """Return the grid (twips) of a written-out table: the Markdown's relative widths where
    a grid table gives them, else each column's text (its longest line, no word broken);
    either way no column narrower than its longest word where the words fit."""
    count = table.columns
    margins = 2 * CELL_MARGIN + SLACK
    natural = [0] * count
    words = [0] * count  # the longest word
    least = [0] * count  # and the header in three lines at most
    for rows, bold in ((table.header, True), (table.body, False)):
        for line in placed(rows):
            for column, cell_ in line:
                if cell_.colspan != 1:
                    continue
                for text in cell_.text.split("\n"):
                    natural[column] = max(natural[column], text_twips(text, size_pt, bold))
                    for word in text.split():
                        words[column] = max(words[column], text_twips(word, size_pt, bold))
                if bold:
                    least[column] = max(
                        least[column], lines_width(cell_.text, size_pt, HEADER_LINES)
                    )
    least = [max(m, w) + margins for m, w in zip(least, words, strict=True)]
    natural = [max(n + margins, m) for n, m in zip(natural, least, strict=True)]
    words = [w + margins for w in words]
    given = [w for w in table.widths if w is not None]
    given_total = sum(given)
    if len(given) == count and given_total > 0:
        return _at_least([text_width * w / given_total for w in given], words, text_width)
    if sum(least) > text_width:
        # too many columns for headers in three lines: the headers take more lines, each
        # column at least its longest word, the room left shared by what each column wants
        least = words
    if sum(least) > text_width:  # not even the longest words fit: in proportion to them
        return _at_least([float(w) for w in least], least, text_width)
    if sum(natural) <= text_width:
        grid = natural
        spare = text_width - sum(grid)
        whole = sum(grid)
        grid = [g + spare * g // whole for g in grid]
    else:  # shrink the wide columns towards their longest word
        room = text_width - sum(least)
        give = [n - m for n, m in zip(natural, least, strict=True)]
        wanted = sum(give) or 1
        grid = [m + max(room, 0) * g // wanted for m, g in zip(least, give, strict=True)]
    grid[-1] += text_width - sum(grid)
    return grid


def _at_least(wanted: list[float], least: list[int], text_width: int) -> list[int]:
    """Return widths in the proportions wanted, filling text_width, each column raised to
    its least where the least widths fit (the room taken from the others in proportion);
    in proportion to the least widths where they do not."""
    # a word longer than a quarter of the line (a link) breaks rather than take the table
    least = [min(m, text_width // 4) for m in least]
    raised: set[int] = set()
    if sum(least) > text_width:
        wanted = [float(m) for m in least]
    else:
        while True:
            room = text_width - sum(least[i] for i in raised)
            free = sum(w for i, w in enumerate(wanted) if i not in raised) or 1.0
            short = {
                i for i, w in enumerate(wanted) if i not in raised and w * room / free < least[i]
            }
            if not short:
                break
            raised |= short
    room = text_width - sum(least[i] for i in raised)
    free = sum(w for i, w in enumerate(wanted) if i not in raised) or 1.0
    grid = [least[i] if i in raised else max(int(w * room / free), 1) for i, w in
            enumerate(wanted)]  # fmt: skip
    grid[-1] += text_width - sum(grid)
    return grid


def literal_markup(table: LiteralTable, text_width: int, size_pt: float) -> str:
    """Return the markup of a written-out table in the style of the computed ones: borders,
    header rows bold, centred and repeated, merged cells kept."""
    grid = literal_widths(table, text_width, size_pt)
    count = len(grid)
    out = []
    placed_rows = placed((*table.header, *table.body))
    spans: dict[tuple[int, int], int] = {}  # (row, column) → colspan of a merge continued
    for r, placed_row in enumerate(placed_rows):
        for column, cell_ in placed_row:
            for dr in range(1, cell_.rowspan):
                spans[(r + dr, column)] = cell_.colspan
    heading_rows = len(table.header)
    for r, placed_row in enumerate(placed_rows):
        header = r < heading_rows
        starts: dict[int, Any] = dict(placed_row)
        cells = []
        column = 0
        while column < count:
            if (r, column) in spans:
                span = spans[(r, column)]
                width = sum(grid[column : column + span])
                cells.append(cell("", width, size_pt, jc="left", span=span, v_merge="continue"))
                column += span
                continue
            found = starts.get(column)
            if found is None:  # a short row: an empty cell
                cells.append(cell("", grid[column], size_pt, jc="left"))
                column += 1
                continue
            span = found.colspan
            width = sum(grid[column : column + span])
            jc = "center" if header else found.align or table.aligns[column] or "left"
            if found.lines:  # its lines of runs: a header's bold where it marks none bold
                strong = not header or any(b for line in found.lines for _, b, _ in line)
                lines = [[(t, b or not strong, i) for t, b, i in line] for line in found.lines]
                cells.append(
                    cell_of_runs(
                        lines,
                        width,
                        size_pt,
                        jc=jc,
                        span=span,
                        v_merge="restart" if found.rowspan > 1 else None,
                    )
                )
                column += span
                continue
            cells.append(
                cell(
                    found.text,
                    width,
                    size_pt,
                    jc=jc,
                    bold=header or found.bold,
                    italic=found.italic,
                    span=span,
                    v_merge="restart" if found.rowspan > 1 else None,
                )
            )
            column += span
        out.append(row(cells, header=header))
    return _table_with_rows(grid, out)


# ------------------------------------------------------------------------- the text's tables

BODY_TABLE_PT = 12.0
DOCUMENT_PART = "word/document.xml"


def place_body_tables(
    body: Mapping[str, bytes], tables: Mapping[str, Table]
) -> Mapping[str, bytes]:
    """Return the converted text (a DOCX's parts) with each `{{ table('name') }}` paragraph
    replaced by its computed table, and the Markdown tables pandoc wrote in the ND30 table
    style of the appendices: borders, bold centred header rows repeated on every page,
    widths from the content."""
    parts = dict(body)
    root = etree.fromstring(parts[DOCUMENT_PART])
    sect = root.find(f"{qn('w:body')}/{qn('w:sectPr')}")
    setup = page_setup_of(sect) if sect is not None else None
    width = 9354  # A4 with ND30's margins, should the section not say
    page = width  # the text width of a page turned to landscape
    if setup is not None:
        width, page = setup.text_width, setup.turned().text_width
    changed = False
    body_element = root.find(qn("w:body"))
    turned: set[etree._Element] = set()
    if body_element is not None and LANDSCAPE_START.encode() in parts[DOCUMENT_PART]:
        from ..layout import turn_landscape_sections

        turned = set(turn_landscape_sections(body_element))
        changed = True
    for tbl in list(root.iter(qn("w:tbl"))):
        if tbl.getparent() is None or tbl.getparent().tag != qn("w:body"):
            continue  # a table inside a table is the table's
        restyle_table(tbl, page if tbl in turned else width, BODY_TABLE_PT)
        changed = True
    for p in list(root.iter(qn("w:p"))) if tables else ():  # no table: no mark to replace
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if not text.startswith(BODY_TABLE_MARK):
            continue
        name = text[len(BODY_TABLE_MARK) :].strip()
        if name in tables:
            table = tables[name]
            size = float(table.font_size or BODY_TABLE_PT)
            across = page if p in turned else width
            if table.literal is not None:  # written out: its `markdown:`
                markup = literal_markup(table.literal, across, size)
            else:
                markup = table_markup(table, across, size)
            if table.unit:
                unit_line = f"(Đơn vị tính: {table.unit})"
                markup = paragraph(unit_line, size_pt=UNIT_PT, italic=True, jc="right") + markup
            if table.heading:  # its bold line over it, as an appendix's table has
                markup = (
                    paragraph(
                        table.heading,
                        size_pt=TABLE_HEADING_PT,
                        bold=True,
                        jc="both",
                        before=120,
                        keep_next=True,
                    )
                    + markup
                )
            _replace(
                p,
                markup
                + "".join(_note(n) for n in table.notes)
                + "".join(_after(t) for t in table.after),
            )
            changed = True
    if not changed:
        return body
    parts[DOCUMENT_PART] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return parts


def restyled_tables(markup: str, text_width: int, size_pt: float) -> str:
    """Return an appendix's own text (its blocks' markup) with its Markdown tables in the
    appendices' table style."""
    if "<w:tbl>" not in markup and "<w:tbl " not in markup:
        return markup
    from ..ooxml import R_NS

    holder = etree.fromstring(f'<w:body xmlns:w="{W_NS}" xmlns:r="{R_NS}">{markup}</w:body>')
    for tbl in holder.findall(qn("w:tbl")):
        restyle_table(tbl, text_width, size_pt)
    return "".join(markup_of(child) for child in holder)


def _first(parent: etree._Element, name: str) -> etree._Element:
    """Return the properties child (pPr, rPr, trPr, tcPr) of parent, added first if absent."""
    found = parent.find(qn(name))
    if found is None:
        found = make(name)
        parent.insert(0, found)
    return found


def restyle_table(tbl: etree._Element, text_width: int, size_pt: float) -> None:
    """Give a table pandoc wrote the appendices' style, in place (its cells' runs, and any
    tracked change in them, stay): borders, cell margins, a fixed grid from its texts, header
    rows bold, centred and repeated, rows kept on one page."""
    grid = literal_widths(literal_from_docx(tbl), text_width, size_pt)
    frame = table_frame(grid)
    for tag in ("w:tblPr", "w:tblGrid"):
        old, new = tbl.find(qn(tag)), frame.find(qn(tag))
        if old is not None and new is not None:
            tbl.replace(old, new)
    for tr in tbl.findall(qn("w:tr")):
        trpr = _first(tr, "w:trPr")
        header = trpr.find(qn("w:tblHeader")) is not None
        get_or_add(trpr, "w:cantSplit")
        column = 0
        for tc in tr.findall(qn("w:tc")):
            span = _grid_span(tc)
            tcpr = _first(tc, "w:tcPr")
            set_child(tcpr, make("w:tcW", w=sum(grid[column : column + span]), type="dxa"))
            column += span
            # a header cell prints bold, but where its Markdown marks some words bold: then
            # as marked ("**Chỉ tiêu**" over its "*(ghi chú)*" in italics)
            runs = list(tc.iter(qn("w:r")))
            embolden = header and not any(_bold(r) for r in runs if "".join(r.itertext()))
            for p in tc.findall(qn("w:p")):
                ppr = _first(p, "w:pPr")
                if header:
                    set_child(ppr, make("w:jc", val="center"))
                for r in p.iter(qn("w:r")):
                    rpr = _first(r, "w:rPr")
                    if embolden:
                        get_or_add(rpr, "w:b")
                    get_or_add(rpr, "w:sz").set(qn("w:val"), str(round(size_pt * 2)))


def _replace(element: etree._Element, markup: str) -> None:
    wrapped = f'<w:body xmlns:w="{W_NS}">{markup}</w:body>'
    parent = element.getparent()
    index = parent.index(element)
    parent.remove(element)
    for offset, block in enumerate(parse_xml(wrapped.encode())):
        parent.insert(index + offset, block)


def _grid_span(tc: etree._Element) -> int:
    found = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
    return int(found.get(qn("w:val"))) if found is not None else 1


def _v_merge(tc: etree._Element) -> str | None:
    found = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    return None if found is None else found.get(qn("w:val"), "continue")


def _bold(run: etree._Element) -> bool:
    return run.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None


def _every(runs: list[etree._Element], tag: str) -> bool:
    return bool(runs) and all(r.find(f"{qn('w:rPr')}/{qn(tag)}") is not None for r in runs)


def literal_from_docx(tbl: etree._Element) -> LiteralTable:
    """Read a table pandoc wrote: its header rows (w:tblHeader), cells, spans and emphasis."""
    rows: list[list[LiteralCell]] = []
    spans: dict[tuple[int, int], int] = {}  # (row, cell) that starts a vertical merge → rows
    open_merges: dict[int, tuple[int, int]] = {}  # grid column → the cell merging down
    heads = 0
    count = len(tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"))
    for r, tr in enumerate(tbl.findall(qn("w:tr"))):
        if r == heads and tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
            heads += 1
        cells: list[LiteralCell] = []
        column = 0
        for tc in tr.findall(qn("w:tc")):
            span, merge = _grid_span(tc), _v_merge(tc)
            if merge == "continue" and column in open_merges:
                start = open_merges[column]
                spans[start] = spans.get(start, 1) + 1
                column += span
                continue
            paras = tc.findall(qn("w:p"))
            runs = [run for p in paras for run in p.iter(qn("w:r")) if "".join(run.itertext())]
            text = "\n".join(" ".join("".join(p.itertext()).split()) for p in paras)
            jc = tc.find(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:jc')}")
            align = jc.get(qn("w:val")) if jc is not None else None
            align = {"both": "left", "start": "left", "end": "right"}.get(align or "", align)
            if merge == "restart":
                open_merges[column] = (r, len(cells))
            else:
                open_merges.pop(column, None)
            cells.append(
                LiteralCell(text.strip(), 1, span, _every(runs, "w:b"), _every(runs, "w:i"), align)
            )
            column += span
        rows.append(cells)
        count = max(count, column)
    for (r, index), rowspan in spans.items():
        found = rows[r][index]
        rows[r][index] = LiteralCell(
            found.text, rowspan, found.colspan, found.bold, found.italic, found.align
        )
    empty = tuple(None for _ in range(count))
    return LiteralTable(
        tuple(tuple(r) for r in rows[:heads]), tuple(tuple(r) for r in rows[heads:]), empty, empty
    )
