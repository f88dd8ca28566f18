"""Read a built DOCX as a reader sees it, for tests: text, effective formatting, notes, page.

Formatting is resolved the way Word does for the common cases: document defaults, then
the paragraph style chain, then the character style chain, then direct formatting.
(Toggle properties such as bold are treated as plain overrides.)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from vanban.ooxml import (
    DOCUMENT_PART,
    FOOTNOTES_PART,
    PKG_REL_NS,
    STYLES_PART,
    parse_xml,
    qn,
    read_parts,
    rels_part_name,
    resolve_target,
)

_ON = {None, "1", "true", "on"}


@dataclass(frozen=True)
class Run:
    """A run's text and its effective formatting."""

    text: str
    bold: bool
    italic: bool
    size_pt: float | None
    vert_align: str | None
    font: str | None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: text, style name, effective alignment, indents and spacing (twips)."""

    text: str
    style: str
    alignment: str | None
    first_line: int
    left: int
    right: int
    before: int
    after: int
    keep_next: bool
    borders: dict[str, str]
    runs: tuple[Run, ...]
    footnote_ids: tuple[str, ...]

    @property
    def text_runs(self) -> tuple[Run, ...]:
        return tuple(r for r in self.runs if r.text.strip())

    @property
    def bold(self) -> bool:
        """True when every run with text is bold."""
        return bool(self.text_runs) and all(r.bold for r in self.text_runs)

    @property
    def italic(self) -> bool:
        return bool(self.text_runs) and all(r.italic for r in self.text_runs)

    @property
    def sizes(self) -> set[float | None]:
        return {r.size_pt for r in self.text_runs}

    @property
    def size_pt(self) -> float | None:
        """The size of the text when all its runs share one, else None."""
        sizes = self.sizes
        return sizes.pop() if len(sizes) == 1 else None


@dataclass(frozen=True)
class Table:
    """A table: its grid (twips), indent and cells, each a list of paragraphs."""

    grid: tuple[int, ...]
    indent: int
    rows: tuple[tuple[tuple[Paragraph, ...], ...], ...]
    header_rows: int = 0  # leading rows repeated on every page (w:tblHeader)
    spans: tuple[tuple[int, ...], ...] = ()  # grid columns each cell covers, per row

    @property
    def texts(self) -> list[list[str]]:
        """Cell texts, paragraphs joined by newlines."""
        return [["\n".join(p.text for p in cell) for cell in row] for row in self.rows]

    def paragraphs(self) -> Iterator[Paragraph]:
        for row in self.rows:
            for cell in row:
                yield from cell


@dataclass(frozen=True)
class HeaderFooter:
    """A header or footer: its text (field results included) and field instructions."""

    text: str
    fields: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Section:
    """The final w:sectPr: page size, orientation and margins in twips, numbering, headers."""

    width: int
    height: int
    orientation: str
    margins: dict[str, int]
    title_page: bool
    page_number_format: str | None
    page_number_start: int | None
    headers: dict[str, HeaderFooter]
    footers: dict[str, HeaderFooter]
    kind: str | None = None  # w:type: nextPage (the default), continuous...
    blocks: tuple[Paragraph | Table, ...] = ()  # the body blocks of this section


@dataclass(frozen=True)
class Document:
    """A DOCX as a reader sees it."""

    blocks: tuple[Paragraph | Table, ...]
    footnotes: dict[str, str]
    footnote_paragraphs: dict[str, tuple[Paragraph, ...]]
    section: Section
    all_text: str = field(repr=False)
    sections: tuple[Section, ...] = ()  # every section in order; the last is `section`

    @property
    def paragraphs(self) -> list[Paragraph]:
        """Top-level paragraphs of the body (not those inside tables)."""
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def paragraph(self, text: str) -> Paragraph:
        """Return the first paragraph, in the body or a table, whose text is text."""
        for block in self.blocks:
            found = [block] if isinstance(block, Paragraph) else list(block.paragraphs())
            for p in found:
                if p.text == text:
                    return p
        raise KeyError(text)


class _Styles:
    def __init__(self, root: etree._Element | None):
        self.by_id: dict[str, etree._Element] = {}
        self.default_paragraph: str | None = None
        self.default_rpr: etree._Element | None = None
        self.default_ppr: etree._Element | None = None
        if root is None:
            return
        for style in root.iter(qn("w:style")):
            style_id = style.get(qn("w:styleId")) or ""
            self.by_id[style_id] = style
            is_default = style.get(qn("w:default")) in ("1", "true", "on")
            if style.get(qn("w:type")) == "paragraph" and is_default:
                self.default_paragraph = style_id
        self.default_rpr = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self.default_ppr = root.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id or "")
        name = style.find(qn("w:name")) if style is not None else None
        return (name.get(qn("w:val")) or "") if name is not None else (style_id or "")

    def chain(self, style_id: str | None) -> list[etree._Element]:
        """The style and its bases, base first."""
        chain: list[etree._Element] = []
        while style_id and style_id in self.by_id and len(chain) < 20:
            style = self.by_id[style_id]
            chain.insert(0, style)
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        return chain


def _val(props: list[etree._Element | None], name: str, attribute: str = "w:val") -> str | None:
    """The last value of a property along a list of pPr/rPr, most specific last."""
    value = None
    for element in props:
        if element is None:
            continue
        found = element.find(qn(name))
        if found is not None and found.get(qn(attribute)) is not None:
            value = found.get(qn(attribute))
    return value


def _on(props: list[etree._Element | None], name: str) -> bool:
    state = False
    for element in props:
        if element is None:
            continue
        found = element.find(qn(name))
        if found is not None:
            state = found.get(qn("w:val")) in _ON
    return state


def _int(value: str | None) -> int:
    return int(value) if value else 0


def _text(run: etree._Element) -> str:
    out = []
    for child in run:
        if child.tag == qn("w:t"):
            out.append(child.text or "")
        elif child.tag == qn("w:tab"):
            out.append("\t")
        elif child.tag in (qn("w:br"), qn("w:cr")):
            out.append("\n")
        elif child.tag == qn("w:noBreakHyphen"):
            out.append("-")
    return "".join(out)


def _paragraph(p: etree._Element, styles: _Styles) -> Paragraph:
    ppr = p.find(qn("w:pPr"))
    style_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
    style_id = style_el.get(qn("w:val")) if style_el is not None else styles.default_paragraph
    chain = styles.chain(style_id)
    pprs = [styles.default_ppr, *(s.find(qn("w:pPr")) for s in chain), ppr]
    style_rprs = [styles.default_rpr, *(s.find(qn("w:rPr")) for s in chain)]
    runs = []
    notes = []
    for r in p.iter(qn("w:r")):
        if any(a.tag == qn("w:txbxContent") for a in r.iterancestors()):
            continue
        rpr = r.find(qn("w:rPr"))
        rstyle = rpr.find(qn("w:rStyle")) if rpr is not None else None
        char_chain = styles.chain(rstyle.get(qn("w:val")) if rstyle is not None else None)
        rprs = [*style_rprs, *(s.find(qn("w:rPr")) for s in char_chain), rpr]
        size = _val(rprs, "w:sz")
        runs.append(
            Run(
                text=_text(r),
                bold=_on(rprs, "w:b"),
                italic=_on(rprs, "w:i"),
                size_pt=int(size) / 2 if size else None,
                vert_align=_val(rprs, "w:vertAlign"),
                font=_val(rprs, "w:rFonts", "w:ascii"),
            )
        )
        notes += [ref.get(qn("w:id")) or "" for ref in r.iter(qn("w:footnoteReference"))]
    hanging = _val(pprs, "w:ind", "w:hanging")
    first_line = -_int(hanging) if hanging else _int(_val(pprs, "w:ind", "w:firstLine"))
    borders = {}
    if ppr is not None and ppr.find(qn("w:pBdr")) is not None:
        for side in ppr.find(qn("w:pBdr")):
            borders[etree.QName(side).localname] = side.get(qn("w:val")) or ""
    return Paragraph(
        text="".join(r.text for r in runs),
        style=styles.name(style_id),
        alignment=_val(pprs, "w:jc"),
        first_line=first_line,
        left=_int(_val(pprs, "w:ind", "w:left") or _val(pprs, "w:ind", "w:start")),
        right=_int(_val(pprs, "w:ind", "w:right") or _val(pprs, "w:ind", "w:end")),
        before=_int(_val(pprs, "w:spacing", "w:before")),
        after=_int(_val(pprs, "w:spacing", "w:after")),
        keep_next=_on(pprs, "w:keepNext"),
        borders=borders,
        runs=tuple(runs),
        footnote_ids=tuple(notes),
    )


def _table(tbl: etree._Element, styles: _Styles) -> Table:
    grid = tuple(_int(c.get(qn("w:w"))) for c in tbl.iter(qn("w:gridCol")))
    indent = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblInd')}")
    rows = tuple(
        tuple(
            tuple(_paragraph(p, styles) for p in tc.findall(qn("w:p")))
            for tc in tr.findall(qn("w:tc"))
        )
        for tr in tbl.findall(qn("w:tr"))
    )
    header_rows = 0
    for tr in tbl.findall(qn("w:tr")):
        if not _on([tr.find(qn("w:trPr"))], "w:tblHeader"):
            break
        header_rows += 1
    spans = tuple(
        tuple(
            _int(_val([tc.find(qn("w:tcPr"))], "w:gridSpan")) or 1 for tc in tr.findall(qn("w:tc"))
        )
        for tr in tbl.findall(qn("w:tr"))
    )
    return Table(
        grid, _int(indent.get(qn("w:w"))) if indent is not None else 0, rows, header_rows, spans
    )


def _header_footer(root: etree._Element, styles: _Styles) -> HeaderFooter:
    paragraphs = tuple(_paragraph(p, styles) for p in root.iter(qn("w:p")))
    fields = [(i.text or "").strip() for i in root.iter(qn("w:instrText"))]
    fields += [(f.get(qn("w:instr")) or "").strip() for f in root.iter(qn("w:fldSimple"))]
    return HeaderFooter("\n".join(p.text for p in paragraphs), tuple(fields), paragraphs)


def read_docx(source: bytes | Path) -> Document:
    """Read a DOCX file or its bytes."""
    parts = read_parts(source)
    styles = _Styles(parse_xml(parts[STYLES_PART]) if STYLES_PART in parts else None)
    document = parse_xml(parts[DOCUMENT_PART])
    body = document.find(qn("w:body"))
    assert body is not None
    blocks: list[Paragraph | Table] = []
    # Each section ends at the w:sectPr of its last paragraph, the last one at the body's.
    section_ends: list[tuple[etree._Element, int]] = []
    for child in body:
        if child.tag == qn("w:p"):
            blocks.append(_paragraph(child, styles))
            inner = child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
            if inner is not None:
                section_ends.append((inner, len(blocks)))
        elif child.tag == qn("w:tbl"):
            blocks.append(_table(child, styles))

    # Footnotes in the order of their references in the body.
    note_paragraphs: dict[str, tuple[Paragraph, ...]] = {}
    if FOOTNOTES_PART in parts:
        notes_root = parse_xml(parts[FOOTNOTES_PART])
        by_id = {n.get(qn("w:id")) or "": n for n in notes_root.iter(qn("w:footnote"))}
        for ref in body.iter(qn("w:footnoteReference")):
            note_id = ref.get(qn("w:id")) or ""
            note = by_id.get(note_id)
            found = () if note is None else note.iter(qn("w:p"))
            note_paragraphs[note_id] = tuple(_paragraph(p, styles) for p in found)
    notes = {
        note_id: "\n".join(p.text for p in paragraphs).strip()
        for note_id, paragraphs in note_paragraphs.items()
    }

    rels = {}
    rels_name = rels_part_name(DOCUMENT_PART)
    if rels_name in parts:
        for rel in parse_xml(parts[rels_name]).iter(f"{{{PKG_REL_NS}}}Relationship"):
            rels[rel.get("Id")] = resolve_target(DOCUMENT_PART, rel.get("Target") or "")
    sect = body[-1] if len(body) and body[-1].tag == qn("w:sectPr") else None
    if sect is not None:
        section_ends.append((sect, len(blocks)))
    sections = []
    start = 0
    for element, end in section_ends:
        sections.append(_section(element, parts, rels, styles, tuple(blocks[start:end])))
        start = end
    return Document(
        blocks=tuple(blocks),
        footnotes=notes,
        footnote_paragraphs=note_paragraphs,
        section=sections[-1] if sect is not None else _section(None, parts, rels, styles),
        all_text="\n".join(
            "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))
        ),
        sections=tuple(sections),
    )


def _section(
    sect: etree._Element | None,
    parts: dict[str, bytes],
    rels: dict[str | None, str],
    styles: _Styles,
    blocks: tuple[Paragraph | Table, ...] = (),
) -> Section:
    if sect is None:
        return Section(0, 0, "portrait", {}, False, None, None, {}, {})
    size = sect.find(qn("w:pgSz"))
    margins = sect.find(qn("w:pgMar"))
    numbering = sect.find(qn("w:pgNumType"))
    width = _int(size.get(qn("w:w"))) if size is not None else 0
    height = _int(size.get(qn("w:h"))) if size is not None else 0
    orientation = (size.get(qn("w:orient")) if size is not None else None) or (
        "landscape" if width > height else "portrait"
    )
    sides = ("top", "bottom", "left", "right", "header", "footer", "gutter")
    start = numbering.get(qn("w:start")) if numbering is not None else None

    def referenced(tag: str) -> dict[str, HeaderFooter]:
        found = {}
        for ref in sect.findall(qn(tag)):
            part = rels.get(ref.get(qn("r:id")))
            if part in parts:
                found[ref.get(qn("w:type")) or "default"] = _header_footer(
                    parse_xml(parts[part]), styles
                )
        return found

    return Section(
        width=width,
        height=height,
        orientation=orientation,
        margins={s: _int(margins.get(qn(f"w:{s}"))) for s in sides} if margins is not None else {},
        title_page=_on([sect], "w:titlePg"),
        page_number_format=numbering.get(qn("w:fmt")) if numbering is not None else None,
        page_number_start=int(start) if start else None,
        headers=referenced("w:headerReference"),
        footers=referenced("w:footerReference"),
        kind=_val([sect], "w:type"),
        blocks=blocks,
    )
