"""What a reader of a .docx sees: body blocks, footnotes in order of reference, comments,
with tracked changes accepted, rejected, or kept apart to be listed."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from lxml import etree

from ..classes import dataclass, field
from ..ooxml import DOCUMENT_PART, FOOTNOTES_PART, STYLES_PART, parse_xml, qn, read_parts

COMMENTS_PART = "word/comments.xml"

_P, _T, _TBL, _TR, _TC = (qn(n) for n in ("w:p", "w:t", "w:tbl", "w:tr", "w:tc"))
_INS, _DEL, _DELTEXT = qn("w:ins"), qn("w:del"), qn("w:delText")
_MOVE_FROM, _MOVE_TO = qn("w:moveFrom"), qn("w:moveTo")
_TAB, _BR, _NOTE_REF = qn("w:tab"), qn("w:br"), qn("w:footnoteReference")
_COMMENT_START, _COMMENT_REF = qn("w:commentRangeStart"), qn("w:commentReference")
_SECT_PR, _PPR, _RPR = qn("w:sectPr"), qn("w:pPr"), qn("w:rPr")
_ID, _AUTHOR, _DATE = qn("w:id"), qn("w:author"), qn("w:date")
_RPR_CHANGE, _PPR_CHANGE = qn("w:rPrChange"), qn("w:pPrChange")
_PSTYLE, _OUTLINE, _VAL = qn("w:pStyle"), qn("w:outlineLvl"), qn("w:val")

TRACKED = ("accept", "reject", "list")


@dataclass(frozen=True)
class Revision:
    """A tracked change: inserted or deleted text, who made it and when."""

    kind: str
    author: str
    date: str
    text: str


@dataclass
class Paragraph:
    """The text of a paragraph as read (in Unicode NFC, however it was typed), where its
    comments start, its tracked changes."""

    text: str
    comments: list[tuple[str, int]] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    breaks_section: bool = False
    notes: list[tuple[str, int]] = field(default_factory=list)  # footnote id, offset
    restyled: bool = False  # holds a tracked formatting change (w:rPrChange, w:pPrChange)
    parts: int = 1  # the paragraphs with text joined in it (a table cell, a footnote)
    level: int | None = None  # a heading's outline level (its style's); None for text
    breaks: list[int] = field(default_factory=list)  # where a line break (w:br) reads " "
    # a table cell's printed lines: its paragraphs' texts, each cut at its line breaks
    cell_lines: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        """Return the lines the paragraph prints (a cell's paragraphs, each paragraph cut
        at its line breaks)."""
        return self.cell_lines or _cut_at(self.text, self.breaks)


@dataclass
class Block:
    """A body element: a paragraph, or a table as rows of cells (each a Paragraph)."""

    paragraph: Paragraph | None = None
    rows: list[list[Paragraph]] | None = None

    @property
    def key(self) -> str:
        if self.paragraph is not None:
            return self.paragraph.text
        return "\x00".join(c.text for row in self.rows or [] for c in row)


@dataclass(frozen=True)
class Comment:
    """A Word comment: who wrote it, when, and what."""

    id: str
    author: str
    date: str
    text: str


@dataclass
class WordFile:
    """A .docx as read: body blocks, footnotes in order of reference, comments by id."""

    blocks: list[Block]
    footnotes: list[Paragraph]
    comments: dict[str, Comment]
    note_ids: list[str] = field(default_factory=list)  # of the footnotes, in order


def read_word(docx: bytes | Path, tracked: str = "accept") -> WordFile:
    """Read a .docx; tracked changes accepted, rejected, or (list) rejected and recorded."""
    parts = read_parts(docx)
    document = parse_xml(parts[DOCUMENT_PART])
    notes: dict[str, etree._Element] = {}
    if FOOTNOTES_PART in parts:
        for note in parse_xml(parts[FOOTNOTES_PART]).iter(qn("w:footnote")):
            notes[note.get(_ID) or ""] = note
    reader = _Reader("accept" if tracked == "accept" else "reject", _outline_levels(parts))
    blocks = []
    body = document.find(qn("w:body"))
    joining: Paragraph | None = None  # a paragraph whose mark is gone: it joins the next
    for element in body if body is not None else []:
        if element.tag == _P:
            paragraph = reader.paragraph(element)
            if joining is not None:
                paragraph = _joined(joining, paragraph)
                joining = None
            if reader.mark_removed(element) and not paragraph.breaks_section:
                joining = paragraph
                continue
            blocks.append(Block(paragraph=paragraph))
        elif element.tag == _TBL:
            if joining is not None and _kept(joining):  # no paragraph to join: it stays
                blocks.append(Block(paragraph=joining))
            joining = None
            rows = []
            for row in element.iter(_TR):
                rows.append([reader.cell(cell) for cell in row if cell.tag == _TC])
            blocks.append(Block(rows=rows))
    if joining is not None and _kept(joining):
        blocks.append(Block(paragraph=joining))
    footnotes = []
    note_ids = []
    for note_id in reader.order:
        note = notes.get(note_id)
        if note is not None:
            footnotes.append(reader.cell(note, note=True))
            note_ids.append(note_id)
    comments = {}
    if COMMENTS_PART in parts:
        for comment in parse_xml(parts[COMMENTS_PART]).iter(qn("w:comment")):
            paragraphs = [_plain(p) for p in comment.iter(_P)]
            comments[comment.get(_ID) or ""] = Comment(
                comment.get(_ID) or "",
                comment.get(_AUTHOR) or "",
                comment.get(_DATE) or "",
                "\n".join(p for p in paragraphs if p),
            )
    return WordFile(blocks, footnotes, comments, note_ids)


def _cut_at(text: str, breaks: list[int]) -> list[str]:
    """Return a paragraph's text cut at its line breaks (each read as one space)."""
    lines, start = [], 0
    for at in sorted(breaks):
        if start <= at < len(text):
            lines.append(text[start:at])
            start = at + 1
    return [*lines, text[start:]]


def _kept(paragraph: Paragraph) -> bool:
    """Return True when a paragraph whose mark is gone, with nothing after it to join, still
    shows something: text, or a comment's anchor."""
    return bool(paragraph.text.strip() or paragraph.comments)


def _joined(first: Paragraph, second: Paragraph) -> Paragraph:
    """Return two paragraphs as one, as Word joins a paragraph whose mark was deleted with
    the next: its text, comments, notes and tracked changes, the second's moved after it."""
    shift = len(first.text)
    joined = Paragraph(first.text + second.text)
    joined.comments = first.comments + [(c, at + shift) for c, at in second.comments]
    joined.notes = first.notes + [(n, at + shift) for n, at in second.notes]
    joined.breaks = first.breaks + [at + shift for at in second.breaks]
    joined.revisions = first.revisions + second.revisions
    joined.restyled = first.restyled or second.restyled
    joined.breaks_section = second.breaks_section
    joined.level = second.level  # the mark that stays is the second's
    return joined


def _plain(p: etree._Element) -> str:
    return unicodedata.normalize("NFC", "".join(t.text or "" for t in p.iter(_T))).strip()


def _outline_levels(parts: dict[str, bytes]) -> dict[str, int]:
    """Return the outline level of each paragraph style that makes a heading (its own
    w:outlineLvl, or that of the style it is based on)."""
    if STYLES_PART not in parts:
        return {}
    own: dict[str, int | None] = {}
    based: dict[str, str] = {}
    for style in parse_xml(parts[STYLES_PART]).iter(qn("w:style")):
        name = style.get(qn("w:styleId")) or ""
        level = style.find(f"{_PPR}/{_OUTLINE}")
        value = level.get(_VAL) if level is not None else None
        own[name] = int(value) if value is not None and value.isdigit() else None
        parent = style.find(qn("w:basedOn"))
        if parent is not None:
            based[name] = parent.get(_VAL) or ""
    levels = {}
    for name in own:
        seen, step = set(), name
        while step in own and own[step] is None and step in based and step not in seen:
            seen.add(step)
            step = based[step]
        level = own.get(step)
        if level is not None and level < 9:  # 9 is body text
            levels[name] = level
    return levels


class _Reader:
    def __init__(self, mode: str, levels: dict[str, int] | None = None):
        self.mode = mode
        self.levels = levels or {}
        self.order: list[str] = []

    def cell(self, container: etree._Element, note: bool = False) -> Paragraph:
        """Join the paragraphs of a table cell or footnote into one."""
        paragraphs = [self.paragraph(p, note) for p in container.iter(_P)]
        joined = Paragraph(" ".join(p.text for p in paragraphs if p.text))
        joined.restyled = any(p.restyled for p in paragraphs)
        joined.parts = sum(1 for p in paragraphs if p.text)
        offset = 0
        for p in paragraphs:
            if not p.text:
                continue
            joined.comments += [(c, offset + at) for c, at in p.comments]
            joined.notes += [(n, offset + at) for n, at in p.notes]
            joined.breaks += [offset + at for at in p.breaks]
            joined.revisions += p.revisions
            joined.cell_lines += p.lines
            offset += len(p.text) + 1
        return joined

    def mark_removed(self, p: etree._Element) -> bool:
        """Return True when the paragraph's mark goes as the changes are taken: a tracked
        deletion accepted, an insertion rejected (the whole paragraph typed in, rejected)."""
        rpr = p.find(_PPR + "/" + _RPR)
        if rpr is None:
            return False
        wanted = _DEL if self.mode == "accept" else _INS
        return rpr.find(wanted) is not None

    def paragraph(self, p: etree._Element, note: bool = False) -> Paragraph:
        parts: list[str] = []
        result = Paragraph("")
        ppr = p.find(_PPR)
        result.breaks_section = ppr is not None and ppr.find(_SECT_PR) is not None
        style = ppr.find(_PSTYLE) if ppr is not None else None
        level = ppr.find(_OUTLINE) if ppr is not None else None
        if level is not None and (level.get(_VAL) or "").isdigit():
            result.level = int(level.get(_VAL) or "") if int(level.get(_VAL) or "") < 9 else None
        elif style is not None:
            result.level = self.levels.get(style.get(_VAL) or "")
        result.restyled = next(p.iter(_RPR_CHANGE, _PPR_CHANGE), None) is not None
        wanted = (_T, _DELTEXT, _TAB, _BR, _NOTE_REF, _COMMENT_START, _COMMENT_REF)
        for element in p.iter(*wanted):
            tracked = _tracked(element, p)
            if element.tag in (_COMMENT_START, _COMMENT_REF):
                comment = element.get(_ID) or ""
                if all(c != comment for c, _ in result.comments):
                    result.comments.append((comment, len("".join(parts))))
                continue
            if element.tag == _NOTE_REF:
                if tracked is None or (tracked[0] == "ins") == (self.mode == "accept"):
                    note_id = element.get(_ID) or ""
                    if note_id not in self.order:
                        self.order.append(note_id)
                    result.notes.append((note_id, len("".join(parts))))
                continue
            text = element.text or "" if element.tag in (_T, _DELTEXT) else " "
            text = unicodedata.normalize("NFC", text)  # typed decomposed, read as composed
            if element.tag == _TAB:
                text = "\t"
            if tracked is not None:
                kind, author, date = tracked
                if not result.revisions or result.revisions[-1].kind != kind:
                    result.revisions.append(Revision(kind, author, date, text))
                else:
                    last = result.revisions[-1]
                    result.revisions[-1] = Revision(kind, last.author, last.date, last.text + text)
                if (kind == "ins") != (self.mode == "accept"):
                    continue
            elif element.tag == _DELTEXT:
                continue
            if element.tag == _BR:
                result.breaks.append(len("".join(parts)))
            parts.append(text)
        text = unicodedata.normalize("NFC", "".join(parts))  # a mark in a run of its own too
        result.text = text.strip() if note else text
        if note and text != result.text:
            shift = len(text) - len(text.lstrip())
            result.comments = [(c, max(0, at - shift)) for c, at in result.comments]
            result.breaks = [
                at - shift for at in result.breaks if 0 <= at - shift < len(result.text)
            ]
        return result


def _tracked(element: etree._Element, stop: etree._Element) -> tuple[str, str, str] | None:
    for ancestor in element.iterancestors():
        if ancestor is stop:
            return None
        if ancestor.tag in (_INS, _MOVE_TO):
            return "ins", ancestor.get(_AUTHOR) or "", ancestor.get(_DATE) or ""
        if ancestor.tag in (_DEL, _MOVE_FROM):
            return "del", ancestor.get(_AUTHOR) or "", ancestor.get(_DATE) or ""
    return None
