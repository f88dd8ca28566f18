"""Read a DOCX into blocks a reader sees: paragraphs of runs, tables of cells, footnotes."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from ..classes import dataclass, field
from ..errors import SourceError
from ..ooxml import (
    DOCUMENT_PART,
    FOOTNOTES_PART,
    STYLES_PART,
    local_name,
    parse_xml,
    qn,
)

_OFF = {"0", "false", "off", "none"}
NUMBERING_PART = "word/numbering.xml"
# w:numId 0 switches numbering off (ECMA-376 17.9.18): Word writes it to cancel a style's
# list, LibreOffice on every paragraph of a converted .doc.
_NO_LIST = "0"


@dataclass(frozen=True)
class Run:
    """A piece of text with its emphasis, or a footnote reference (note set, text empty)."""

    text: str
    bold: bool = False
    italic: bool = False
    note: str | None = None
    heading: int = 0  # the level of a heading character style (Heading 3 Char): a run-in title
    size: float | None = None  # its size in points, as set or inherited (None: not known)
    lowered: bool = False  # printed as a subscript (a drafter's name after "Lưu: VT, NC.")


@dataclass(frozen=True)
class Para:
    """A paragraph: its runs, style, alignment and number in the body (0 inside tables)."""

    runs: tuple[Run, ...]
    style: str = ""
    align: str | None = None
    number: int = 0
    ends_section: bool = False
    landscape: bool = False
    numbered: bool = False
    page_break: bool = False  # a page break typed in it, or its page break before
    page_top: bool = False  # Word's last layout began a page with it (lastRenderedPageBreak)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def notes(self) -> list[str]:
        return [r.note for r in self.runs if r.note]

    @property
    def bold(self) -> bool:
        """True when every run with visible text is bold; a run of punctuation alone (the
        plain ". " of a bold "3. Đề xuất …", the ":" after a bold title) does not count."""
        shown = [r for r in self.runs if r.text.strip()]
        worded = [r for r in shown if any(c.isalnum() for c in r.text)]
        return bool(worded) and all(r.bold for r in worded)

    @property
    def italic(self) -> bool:
        shown = [r for r in self.runs if r.text.strip()]
        return bool(shown) and all(r.italic for r in shown)

    def where(self) -> str:
        """Return "paragraph 12 (“first words…”)" for a note."""
        words = " ".join(self.text.split()[:6])
        return f"paragraph {self.number} (“{words}…”)" if self.number else f"“{words}…”"


@dataclass(frozen=True)
class Cell:
    """A table cell: its paragraphs and nested tables, the grid columns it spans, vMerge."""

    paragraphs: tuple[Para, ...]
    tables: tuple[Table, ...] = ()
    span: int = 1
    vmerge: str | None = None  # "restart" or "continue"

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class Table:
    """A table: rows of cells, how many leading rows repeat as a header, its paragraph no."""

    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int = 0
    number: int = 0
    landscape: bool = False
    widths: tuple[int, ...] = ()  # its grid columns' widths as the source sets them (twips)

    def size(self) -> float | None:
        """Return the size most of its text is set in (points), None when no cell says."""
        return common_size(p for row in self.rows for cell in row for p in cell.paragraphs)

    def all_text(self) -> str:
        parts = []
        for row in self.rows:
            for cell in row:
                parts.append(cell.text)
                parts.extend(t.all_text() for t in cell.tables)
        return "\n".join(parts)


Block = Para | Table


def common_size(paragraphs: Iterable[Para]) -> float | None:
    """Return the size most of the paragraphs' characters are set in, None when none is
    known."""
    counts: Counter[float] = Counter()
    for p in paragraphs:
        for run in p.runs:
            if run.size is not None and run.text.strip():
                counts[run.size] += len(run.text.strip())
    return counts.most_common(1)[0][0] if counts else None


@dataclass
class Source:
    """A document as blocks in body order, its footnotes by id, and the final page setup."""

    blocks: list[Block]
    footnotes: dict[str, tuple[Para, ...]]
    landscape_at_end: bool = False
    notes: list[str] = field(default_factory=list)
    text_size: float | None = None  # the size most of the body's paragraphs are set in

    def landscape_sections(self) -> list[tuple[int, int]]:
        """Return each landscape section as the indexes of its first and last block."""
        out: list[tuple[int, int]] = []
        start = 0
        for index, block in enumerate(self.blocks):
            if isinstance(block, Para) and block.ends_section:
                if block.landscape:
                    out.append((start, index))
                start = index + 1
        if self.landscape_at_end and start < len(self.blocks):
            out.append((start, len(self.blocks) - 1))
        return out


class _Styles:
    """Bold and italic of paragraph and character styles, and the alignment and list of
    paragraph styles, along their basedOn chains."""

    def __init__(self, root: etree._Element | None):
        self.props: dict[str, tuple[bool | None, bool | None, str | None]] = {}
        self.paragraph_props: dict[str, tuple[str | None, str | None]] = {}  # (jc, numId)
        self.names: dict[str, str] = {}
        self.sizes: dict[str, float] = {}  # the size a style sets (points)
        self.default_paragraph = ""
        self.default_size = 10.0  # ECMA-376 17.3.2.38: 10 points where nothing sets one
        if root is None:
            return
        default = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self.default_size = _size(default) or self.default_size
        for style in root.iter(qn("w:style")):
            sid = style.get(qn("w:styleId")) or ""
            rpr = style.find(qn("w:rPr"))
            ppr = style.find(qn("w:pPr"))
            based = style.find(qn("w:basedOn"))
            name = style.find(qn("w:name"))
            self.names[sid] = (name.get(qn("w:val")) or sid) if name is not None else sid
            self.props[sid] = (
                _toggle(rpr, "w:b"),
                _toggle(rpr, "w:i"),
                based.get(qn("w:val")) if based is not None else None,
            )
            self.paragraph_props[sid] = (_val(ppr, qn("w:jc")), _num_id(ppr))
            size = _size(rpr)
            if size is not None:
                self.sizes[sid] = size
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in (
                "1",
                "true",
            ):
                self.default_paragraph = sid

    def emphasis(self, sid: str | None) -> tuple[bool, bool]:
        bold: bool | None = None
        italic: bool | None = None
        seen = 0
        while sid and sid in self.props and seen < 20:
            b, i, sid_next = self.props[sid]
            bold = b if bold is None else bold
            italic = i if italic is None else italic
            sid = sid_next
            seen += 1
        return bool(bold), bool(italic)

    def size(self, sid: str | None) -> float | None:
        """Return the size a style sets, along its basedOn chain, None when none does."""
        seen = 0
        while sid and sid in self.props and seen < 20:
            if sid in self.sizes:
                return self.sizes[sid]
            sid = self.props[sid][2]
            seen += 1
        return None

    def paragraph(self, sid: str | None) -> tuple[str | None, str | None]:
        """Return the alignment and list (numId) a paragraph style gives, nearest first."""
        jc: str | None = None
        num: str | None = None
        seen = 0
        while sid and sid in self.props and seen < 20:
            style_jc, style_num = self.paragraph_props.get(sid, (None, None))
            jc = style_jc if jc is None else jc
            num = style_num if num is None else num
            sid = self.props[sid][2]
            seen += 1
        return jc, num


def _num_id(ppr: etree._Element | None) -> str | None:
    """Return the w:numId of a w:pPr's w:numPr, or None when it names no list."""
    if ppr is None:
        return None
    return _val(ppr.find(qn("w:numPr")), qn("w:numId"))


def _lists(root: etree._Element | None) -> set[str]:
    """Return the numIds that numbering.xml defines (w:num), the lists a paragraph can be in."""
    if root is None:
        return set()
    return {n.get(qn("w:numId")) or "" for n in root.findall(qn("w:num"))} - {_NO_LIST}


_CENTRE_TABS = re.compile(r"^[ \u00a0]*\t[ \t\u00a0]*(?=\S)")


def _centred_by_tabs(ppr: etree._Element | None, text: str) -> bool:
    """Return whether a line is centred by the tabs before it: two or more of them, or one
    landing on a centre tab stop, then a short line with no other tab."""
    lead = _CENTRE_TABS.match(text)
    if not lead:
        return False
    rest = text[lead.end() :]
    if "\t" in rest.rstrip() or "\n" in rest.strip() or len(rest.strip()) > 80:
        return False
    if lead.group(0).count("\t") >= 2:
        return True
    tabs = ppr.find(qn("w:tabs")) if ppr is not None else None
    stops = tabs.findall(qn("w:tab")) if tabs is not None else []
    return any(stop.get(qn("w:val")) == "center" for stop in stops)


_HEADING_CHAR = re.compile(r"^Heading(\d)Char$")


def _heading_char_level(style_id: str | None) -> int:
    """Return N for the character style of Heading N (Word's "Heading 3 Char"), else 0."""
    match = _HEADING_CHAR.match(style_id or "")
    return int(match.group(1)) if match else 0


def _toggle(rpr: etree._Element | None, name: str) -> bool | None:
    if rpr is None:
        return None
    element = rpr.find(qn(name))
    if element is None:
        return None
    return (element.get(qn("w:val")) or "1").lower() not in _OFF


def _size(rpr: etree._Element | None) -> float | None:
    """Return the size a w:rPr sets (w:sz, half-points) in points, None when it sets none."""
    value = _val(rpr, qn("w:sz"))
    return int(value) / 2 if value and value.isdigit() and int(value) > 0 else None


def _val(parent: etree._Element | None, path: str) -> str | None:
    if parent is None:
        return None
    element = parent.find(path)
    return element.get(qn("w:val")) if element is not None else None


def _page_top(p: etree._Element) -> bool:
    """True when Word's last layout broke the page before the paragraph's first text."""
    for element in p.iter(qn("w:t"), qn("w:lastRenderedPageBreak")):
        if element.tag == qn("w:lastRenderedPageBreak"):
            return True
        if (element.text or "").strip():
            return False
    return False


class _Reader:
    def __init__(self, styles: _Styles, lists: set[str]):
        self.styles = styles
        self.lists = lists
        self.paragraphs = 0

    def paragraph(self, p: etree._Element, top: bool) -> Para:
        ppr = p.find(qn("w:pPr"))
        style = _val(ppr, qn("w:pStyle")) or self.styles.default_paragraph
        p_bold, p_italic = self.styles.emphasis(style)
        # a paragraph's own run properties (its mark's) are not its runs': the style's size
        p_size = self.styles.size(style) or self.styles.default_size
        runs: list[Run] = []
        for element in p.iter(qn("w:r"), qn("w:fldSimple")):
            if element.tag != qn("w:r"):
                continue
            if _inside(element, p, ("del", "moveFrom", "txbxContent", "fallback")):
                continue
            rpr = element.find(qn("w:rPr"))
            char_style = _val(rpr, qn("w:rStyle"))
            c_bold, c_italic = self.styles.emphasis(char_style)
            heading = _heading_char_level(char_style)
            bold = _toggle(rpr, "w:b")
            italic = _toggle(rpr, "w:i")
            bold = (c_bold or p_bold) if bold is None else bold
            italic = (c_italic or p_italic) if italic is None else italic
            size = _size(rpr) or self.styles.size(char_style) or p_size
            if (
                _val(rpr, qn("w:vertAlign")) == "superscript"
                and element.find(qn("w:footnoteReference")) is None
            ):
                pass
            for child in element:
                tag = local_name(child)
                if tag == "t":
                    lowered = _val(rpr, qn("w:vertAlign")) == "subscript"
                    runs.append(
                        Run(
                            child.text or "",
                            bold,
                            italic,
                            heading=heading,
                            size=size,
                            lowered=lowered,
                        )
                    )
                elif tag == "tab":
                    runs.append(Run("\t", bold, italic, heading=heading))
                elif tag in ("br", "cr") and child.get(qn("w:type")) not in ("page", "column"):
                    runs.append(Run("\n", bold, italic, heading=heading))
                elif tag == "noBreakHyphen":
                    runs.append(Run("-", bold, italic, heading=heading))
                elif tag == "footnoteReference":
                    runs.append(Run("", bold, italic, note=child.get(qn("w:id"))))
        number = 0
        if top:
            self.paragraphs += 1
            number = self.paragraphs
        sect = ppr.find(qn("w:sectPr")) if ppr is not None else None
        text_runs = [
            Run(
                unicodedata.normalize("NFC", r.text),
                r.bold,
                r.italic,
                r.note,
                r.heading,
                r.size,
                r.lowered,
            )
            for r in runs
        ]
        style_jc, style_list = self.styles.paragraph(style)
        align = _val(ppr, qn("w:jc")) or style_jc
        if align in (None, "left", "start", "both") and _centred_by_tabs(
            ppr, "".join(r.text for r in text_runs)
        ):
            align = "center"
        own_list = _num_id(ppr)
        in_list = own_list if own_list is not None else style_list
        broken = any(
            br.get(qn("w:type")) == "page" and not _inside(br, p, ("del", "txbxContent"))
            for br in p.iter(qn("w:br"))
        ) or (ppr is not None and _toggle(ppr, "w:pageBreakBefore") is True)
        return Para(
            tuple(text_runs),
            self.styles.names.get(style or "", style or ""),
            align,
            number,
            sect is not None,
            sect is not None and _landscape(sect),
            in_list in self.lists,
            broken,
            _page_top(p),
        )

    def table(self, tbl: etree._Element, top: bool) -> Table:
        rows: list[tuple[Cell, ...]] = []
        header = 0
        counting = True
        number = self.paragraphs + 1 if top else 0
        for tr in tbl.findall(qn("w:tr")):
            trpr = tr.find(qn("w:trPr"))
            is_header = trpr is not None and _toggle(trpr, "w:tblHeader") is True
            if counting and is_header:
                header += 1
            else:
                counting = False
            cells = []
            for tc in tr.findall(qn("w:tc")):
                tcpr = tc.find(qn("w:tcPr"))
                span = int(_val(tcpr, qn("w:gridSpan")) or 1)
                vmerge_el = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
                vmerge = None
                if vmerge_el is not None:
                    vmerge = vmerge_el.get(qn("w:val")) or "continue"
                paragraphs = []
                tables = []
                for child in tc:
                    if child.tag == qn("w:p"):
                        paragraphs.append(self.paragraph(child, top=False))
                    elif child.tag == qn("w:tbl"):
                        tables.append(self.table(child, top=False))
                cells.append(Cell(tuple(paragraphs), tuple(tables), span, vmerge))
            rows.append(tuple(cells))
        widths = tuple(
            int(w) if (w := col.get(qn("w:w")) or "").isdigit() else 0
            for col in tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
        )
        return Table(tuple(rows), header, number, widths=widths)


def _landscape(sect: etree._Element) -> bool:
    """Return whether a w:sectPr's pages are wider than high (its margins may be unset)."""
    size = sect.find(qn("w:pgSz"))
    if size is None:
        return False
    width, height = (size.get(qn(f"w:{side}")) or "0" for side in ("w", "h"))
    return width.isdigit() and height.isdigit() and int(width) > int(height)


def _inside(element: etree._Element, stop: etree._Element, names: tuple[str, ...]) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if local_name(parent) in names:
            return True
        parent = parent.getparent()
    return False


def _text_boxes(element: etree._Element, block: Block) -> list[str]:
    """Return a note for each text box anchored in a body paragraph or table, with its text."""
    notes = []
    for box in element.iter(qn("w:txbxContent")):
        if _inside(box, element, ("Fallback", "txbxContent")):
            continue  # the VML copy of a DrawingML box, or a box inside a box
        lines = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in box.iter(qn("w:p"))]
        text = " / ".join(" ".join(line.split()) for line in lines if line.strip())
        if not text:
            continue
        if isinstance(block, Table):
            where = f"table at paragraph {block.number}"
        else:
            words = " ".join(block.text.split()[:6])
            where = f"paragraph {block.number}" + (f" (“{words}…”)" if words else "")
        notes.append(
            f"{where}: a text box “{unicodedata.normalize('NFC', text)}”: not imported "
            "(vanban prints no text boxes); add its text where it belongs"
        )
    return notes


def _open(path: Path) -> zipfile.ZipFile:
    data = path.read_bytes()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SourceError(
            f"{path}: a password-protected or old binary Word file (.doc): save it as .docx "
            "without a password and import that"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise SourceError(f"{path}: not a Word document (.docx): {exc}") from None
    if DOCUMENT_PART not in archive.namelist():
        raise SourceError(f"{path}: a zip file but not a Word document: it has no {DOCUMENT_PART}")
    return archive


def read_source(path: Path) -> Source:
    """Read a .docx into body blocks and footnotes; refuse anything else with one line."""
    if not path.is_file():
        raise SourceError(f"{path}: no such file")
    archive = _open(path)
    try:
        styles_root = (
            parse_xml(archive.read(STYLES_PART)) if STYLES_PART in archive.namelist() else None
        )
        document = parse_xml(archive.read(DOCUMENT_PART))
        footnotes_root = (
            parse_xml(archive.read(FOOTNOTES_PART))
            if FOOTNOTES_PART in archive.namelist()
            else None
        )
        numbering_root = (
            parse_xml(archive.read(NUMBERING_PART))
            if NUMBERING_PART in archive.namelist()
            else None
        )
    except (etree.XMLSyntaxError, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise SourceError(f"{path}: a corrupt Word document: {exc}") from None
    reader = _Reader(_Styles(styles_root), _lists(numbering_root))
    body = document.find(qn("w:body"))
    if body is None:
        raise SourceError(f"{path}: a corrupt Word document: {DOCUMENT_PART} has no body")
    blocks: list[Block] = []
    source_notes: list[str] = []
    for child in body:
        content = child.find(qn("w:sdtContent")) if child.tag == qn("w:sdt") else None
        for element in (child,) if content is None else tuple(content):
            if element.tag == qn("w:p"):
                blocks.append(reader.paragraph(element, top=True))
            elif element.tag == qn("w:tbl"):
                blocks.append(reader.table(element, top=True))
            else:
                continue
            source_notes.extend(_text_boxes(element, blocks[-1]))
    if document.find(f".//{qn('w:drawing')}") is not None:
        charts = len(document.findall(".//{*}chart"))
        if charts:
            source_notes.append(f"{charts} embedded chart(s) not imported: a chart is no text")
    final = body.find(qn("w:sectPr"))
    footnotes: dict[str, tuple[Para, ...]] = {}
    if footnotes_root is not None:
        for note in footnotes_root.findall(qn("w:footnote")):
            if note.get(qn("w:type")) in (
                "separator",
                "continuationSeparator",
                "continuationNotice",
            ):
                continue
            footnotes[note.get(qn("w:id")) or ""] = tuple(
                reader.paragraph(p, top=False) for p in note.iter(qn("w:p"))
            )
    text_size = common_size(b for b in blocks if isinstance(b, Para))
    landscape_at_end = final is not None and _landscape(final)
    return Source(blocks, footnotes, landscape_at_end, source_notes, text_size)
