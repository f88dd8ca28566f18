"""The appendices' own texts: a Quy chế a Quyết định issues, a Phụ lục of paragraphs.

An appendix may carry a Markdown text (`text:` in content/appendices.yaml), rendered with the
facts like the narrative (vanban.narrative.render_narrative) and numbered in its own
heading scheme. Each is converted by pandoc alone, with the report's reference document
fitted to that scheme, so its headings get the styles of their levels whatever the body's
scheme is; its blocks then go into the appendix's section, after the signature:

- its Heading N styles become styles of their own, named by the level's kind ("Attached
  Chapter", "Attached Article"), so that they do not take the body's Heading N;
- its footnotes are numbered on after the body's, in document order;
- pandoc's bookmarks on its headings are dropped (nothing refers to them, and their names
  could be those of the body's headings).

The masthead of an attached document is the form of ND30 Phụ lục III, "Mẫu văn bản (được ban
hành, phê duyệt kèm theo quyết định)": cơ quan chủ quản and cơ quan ban hành beside the quốc
hiệu and tiêu ngữ, no Số line and no date.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, MutableMapping, Sequence
from pathlib import Path

from ..cache import NO_CACHE, Cache
from ..classes import dataclass
from ..errors import ProjectError
from ..metadata import Metadata
from ..ooxml import (
    DOCUMENT_PART,
    FOOTNOTES_PART,
    R_NS,
    STYLES_PART,
    W_NS,
    make_tbl,
    make_tc,
    make_tr,
    markup_of,
    parse_xml,
    qn,
    serialize_xml,
)
from ..rendered import AttachedText
from ..templates_gen import (
    AGENCY_PT,
    AGENCY_RULE,
    MASTHEAD_CELL_MARGIN,
    MASTHEAD_GRID,
    MASTHEAD_INDENT,
    national_title,
    para,
    rule,
)

STYLE_PREFIX = "Attached"
_NOTE_REFERENCE = qn("w:footnoteReference")
_BOOKMARKS = (qn("w:bookmarkStart"), qn("w:bookmarkEnd"))
_STYLE_REFERENCES = (qn("w:pStyle"), qn("w:rStyle"))
# Content pointing at other parts of its own conversion: it cannot move into the document.
_UNCARRIED = tuple(qn(f"w:{name}") for name in ("numPr", "drawing", "pict", "object"))
_HEADING_ID = re.compile(r"Heading([1-9])(Char)?")


@dataclass(frozen=True)
class ConvertedText:
    """An attached text as WordprocessingML: its blocks (markup with the w: and r:
    prefixes, footnote references numbered from 0), its footnotes in that order (markup),
    and the styles it needs (markup of w:style), by id."""

    blocks: str
    notes: tuple[str, ...]
    styles: tuple[tuple[str, str], ...]


def style_id(kind: str) -> str:
    """Return the paragraph style of an attached text's heading of this kind: AttachedChapter."""
    return STYLE_PREFIX + kind.capitalize()


def convert_text(text: AttachedText, reference: Path, cache: Cache = NO_CACHE) -> ConvertedText:
    """Convert an attached text with pandoc (through the cache, as the body's units are)."""
    from ..heading_styles import scheme_reference
    from ..pandoc import BodyConversion

    styled = scheme_reference(reference, text.headings)
    parts = BodyConversion((text.markdown,), styled, cache).result_parts()
    return extract(parts, text)


def extract(parts: Mapping[str, bytes], text: AttachedText) -> ConvertedText:
    """Take an attached text's blocks, footnotes and heading styles out of its conversion."""
    document = parse_xml(parts[DOCUMENT_PART])
    body = document.find(qn("w:body"))
    if body is None:
        raise ProjectError(f"{text.source}: pandoc gave no document body")
    blocks = [b for b in body if b.tag != qn("w:sectPr")]
    kinds = dict(enumerate(text.headings, start=1))
    renamed: dict[str, str] = {}
    for block in blocks:
        for element in block.iter():
            if element.tag in _UNCARRIED:
                what = "a numbered list" if element.tag == qn("w:numPr") else "an image"
                raise ProjectError(
                    f"{text.source}: {what} cannot be put in an attached text; write its "
                    "items as paragraphs (`#. …` numbers them)"
                )
            if any(name.startswith(f"{{{R_NS}}}") for name in element.attrib):
                raise ProjectError(
                    f"{text.source}: a link cannot be put in an attached text; write the "
                    "address out as text"
                )
    for block in blocks:
        for mark in [e for e in block.iter(*_BOOKMARKS)]:
            mark.getparent().remove(mark)
        for reference in block.iter(*_STYLE_REFERENCES):
            value = reference.get(qn("w:val")) or ""
            match = _HEADING_ID.fullmatch(value)
            if match and int(match.group(1)) in kinds:
                new = style_id(kinds[int(match.group(1))]) + (match.group(2) or "")
                renamed[value] = new
                reference.set(qn("w:val"), new)
    notes_root = parse_xml(parts[FOOTNOTES_PART]) if FOOTNOTES_PART in parts else None
    notes_by_id = {}
    if notes_root is not None:
        notes_by_id = {n.get(qn("w:id")): n for n in notes_root.iter(qn("w:footnote"))}
    notes = []
    for index, reference in enumerate(r for b in blocks for r in b.iter(_NOTE_REFERENCE)):
        note = notes_by_id.get(reference.get(qn("w:id")))
        if note is None:
            raise ProjectError(f"{text.source}: a footnote reference without its note")
        reference.set(qn("w:id"), str(index))
        note = copy.deepcopy(note)
        note.set(qn("w:id"), str(index))
        notes.append(markup_of(note))
    styles = parse_xml(parts[STYLES_PART])
    by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    needed: list[tuple[str, str]] = []
    for old, new in sorted(renamed.items()):
        style = copy.deepcopy(by_id[old]) if old in by_id else None
        if style is None:
            continue
        style.set(qn("w:styleId"), new)
        name = style.find(qn("w:name"))
        if name is not None:
            kind = new[len(STYLE_PREFIX) :].removesuffix("Char")
            suffix = " Char" if new.endswith("Char") else ""
            name.set(qn("w:val"), f"{STYLE_PREFIX} {kind}{suffix}")
        for child in style.findall(qn("w:link")):
            link = child.get(qn("w:val")) or ""
            if link in renamed:
                child.set(qn("w:val"), renamed[link])
            else:
                style.remove(child)
        for child in style.findall(qn("w:next")):
            style.remove(child)
        needed.append((new, markup_of(style)))
    used = {r.get(qn("w:val")) for b in blocks for r in b.iter(*_STYLE_REFERENCES)}
    for sid in sorted(s for s in used if s and s not in renamed.values() and s in by_id):
        needed.append((sid, markup_of(by_id[sid])))  # copied where the document lacks it
    return ConvertedText("".join(markup_of(b) for b in blocks), tuple(notes), tuple(needed))


def merge_texts(parts: MutableMapping[str, bytes], texts: Sequence[ConvertedText]) -> list[str]:
    """Add the texts' footnotes and styles to the document's parts (notes numbered on after
    its own); return each text's blocks with its footnote references so numbered."""
    if not texts:
        return []
    out = []
    notes_root = parse_xml(parts[FOOTNOTES_PART]) if FOOTNOTES_PART in parts else None
    ids = [int(n.get(qn("w:id")) or 0) for n in notes_root] if notes_root is not None else []
    base = max(ids, default=0) + 1
    declarations = (
        "".join(f' xmlns:{p}="{u}"' for p, u in notes_root.nsmap.items() if p)
        if notes_root is not None
        else f' xmlns:w="{W_NS}"'
    )
    for text in texts:
        if text.notes and notes_root is None:
            raise ProjectError("the body's conversion has no footnotes part")
        for index, note in enumerate(text.notes):
            holder = parse_xml(f"<w:footnotes{declarations}>{note}</w:footnotes>".encode())
            element = holder[0]
            element.set(qn("w:id"), str(base + index))
            assert notes_root is not None
            notes_root.append(element)
        out.append(_renumbered(text.blocks, base))
        base += len(text.notes)
    if notes_root is not None and any(t.notes for t in texts):
        parts[FOOTNOTES_PART] = serialize_xml(notes_root)
    if STYLES_PART in parts:
        styles = parse_xml(parts[STYLES_PART])
        have = {s.get(qn("w:styleId")) for s in styles.iter(qn("w:style"))}
        added = False
        nsdecl = "".join(f' xmlns:{p}="{u}"' for p, u in styles.nsmap.items() if p)
        for text in texts:
            for sid, markup in text.styles:
                if sid in have:
                    continue
                holder = parse_xml(f"<w:styles{nsdecl}>{markup}</w:styles>".encode())
                styles.append(holder[0])
                have.add(sid)
                added = True
        if added:
            parts[STYLES_PART] = serialize_xml(styles)
    return out


_REFERENCE_ID = re.compile(r'(<w:footnoteReference\b[^>]*? w:id=")(\d+)"')


def _renumbered(markup: str, base: int) -> str:
    return _REFERENCE_ID.sub(lambda m: f'{m.group(1)}{base + int(m.group(2))}"', markup)


def masthead_markup(metadata: Metadata) -> str:
    """Return the masthead of an attached document (ND30 Phụ lục III, the Mẫu of a text
    issued with a Quyết định): the agencies over their rule | the quốc hiệu and tiêu ngữ."""
    left_width, right_width = MASTHEAD_GRID
    left_text = left_width - 2 * MASTHEAD_CELL_MARGIN
    right_text = right_width - 2 * MASTHEAD_CELL_MARGIN
    agency = []
    if metadata.agency_parent:
        agency.append(para(metadata.agency_parent, size_pt=AGENCY_PT))
    agency += [para(line, size_pt=AGENCY_PT, bold=True) for line in metadata.agency_lines]
    agency.append(rule(AGENCY_RULE, left_text))
    national = national_title(right_text)
    table = make_tbl(
        MASTHEAD_GRID,
        [make_tr([make_tc(left_width, agency), make_tc(right_width, national)])],
        indent=MASTHEAD_INDENT,
        cell_margins=(0, MASTHEAD_CELL_MARGIN, 0, MASTHEAD_CELL_MARGIN),
    )
    return markup_of(table)
