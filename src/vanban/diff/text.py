"""What changed in the text: paragraphs by content file, footnotes by name, document fields."""

from __future__ import annotations

import re
from typing import Any, Literal

from ..classes import dataclass
from ..metadata import Metadata
from ..pipeline import Sources
from .align import MOVED, Segment, align, similarity, word_diff
from .body import BlockWords, block_key, compatible
from .tree import Block, Tree, block_text, blocks_text


@dataclass(frozen=True)
class TextChange:
    """A paragraph (or heading, table) that changed, was added, removed or moved.

    "renumbered": only the number the build gives a heading (II. → III.) changed, because a
    section was added or removed before it.
    """

    kind: Literal["changed", "renumbered", "added", "removed", "moved"]
    section: str
    headings: tuple[str, ...]
    old: str | None
    new: str | None
    segments: tuple[Segment, ...] = ()
    from_section: str | None = None
    from_headings: tuple[str, ...] = ()
    appendix: str = ""  # the appendix whose own text it is in, as printed ("Phụ lục I · …")
    from_appendix: str = ""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "section": self.section,
            "appendix": self.appendix or None,
            "headings": list(self.headings),
            "old": self.old,
            "new": self.new,
        }
        if self.segments:
            data["segments"] = [segment_json(s) for s in self.segments]
        if self.kind == "moved":
            data["from_section"] = self.from_section
            data["from_appendix"] = self.from_appendix or None
            data["from_headings"] = list(self.from_headings)
        return data


@dataclass(frozen=True)
class NoteChange:
    """A footnote, by name, whose text changed, or that was added or removed."""

    kind: Literal["changed", "added", "removed"]
    name: str
    old: str | None
    new: str | None
    segments: tuple[Segment, ...] = ()

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "name": self.name, "old": self.old}
        data["new"] = self.new
        if self.segments:
            data["segments"] = [segment_json(s) for s in self.segments]
        return data


@dataclass(frozen=True)
class FieldChange:
    """A field of data/document.yaml that the masthead or closing prints."""

    name: str
    old: str
    new: str
    segments: tuple[Segment, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "old": self.old, "new": self.new}


def segment_json(segment: Segment) -> dict[str, str]:
    return {"status": segment.status or "equal", "text": segment.text}


def text_changes(a: Tree, b: Tree) -> list[TextChange]:
    """Return the changed, added, removed and moved blocks of the body, in B's order."""
    a_nodes = [block.node for block in a.blocks]
    b_nodes = [block.node for block in b.blocks]
    a_words = BlockWords(a_nodes)
    b_words = BlockWords(b_nodes)

    def similar(i: int, j: int) -> float:
        return similarity(a_words[i], b_words[j])

    pairs = align(
        [block_key(n) for n in a_nodes],
        [block_key(n) for n in b_nodes],
        lambda i, j: compatible(a_nodes[i], b_nodes[j]),
        similar,
    )
    removed = [p.a for p in pairs if p.op == "delete" and p.a is not None]
    added = [p.b for p in pairs if p.op == "insert" and p.b is not None]
    moves: dict[int, int] = {}  # b index -> a index
    for i in removed:
        if not a_words[i]:
            continue
        for j in added:
            if j not in moves and similarity(a_words[i], b_words[j]) >= MOVED:
                moves[j] = i
                break
    moved_from = set(moves.values())
    changes: list[TextChange] = []
    for pair in pairs:
        if pair.op == "change" and pair.a is not None and pair.b is not None:
            old, new = a.blocks[pair.a], b.blocks[pair.b]
            changes.append(_changed(old, new))
        elif pair.op == "delete" and pair.a is not None and pair.a not in moved_from:
            old = a.blocks[pair.a]
            text = block_text(old.node)
            if text:
                changes.append(
                    TextChange(
                        "removed", old.section, old.headings, text, None, appendix=old.appendix
                    )
                )
        elif pair.op == "insert" and pair.b is not None:
            new = b.blocks[pair.b]
            if pair.b in moves:
                old = a.blocks[moves[pair.b]]
                changes.append(_moved(old, new))
            elif block_text(new.node):
                text = block_text(new.node)
                changes.append(
                    TextChange(
                        "added", new.section, new.headings, None, text, appendix=new.appendix
                    )
                )
    return changes


# The number the build puts before a heading, a run-in title included ("II. ", "3. ", "b) ").
_HEADING_NUMBER = re.compile(
    r"^(?:[IVXLCDM]+\.|\d+(?:\.\d+)*\.|[a-zđ]{1,2}\)|Điều \d+\."
    r"|(?:Phần|Chương) [IVXLCDM]+|(?:Mục|Tiểu mục) \d+)[ \n]"
)


def _changed(old: Block, new: Block) -> TextChange:
    before, after = block_text(old.node), block_text(new.node)
    segments = tuple(word_diff(before, after))
    numbered = _HEADING_NUMBER.match(before) and _HEADING_NUMBER.match(after)
    if numbered and _HEADING_NUMBER.sub("", before, 1) == _HEADING_NUMBER.sub("", after, 1):
        kind: Literal["changed", "renumbered"] = "renumbered"
    else:
        kind = "changed"
    return TextChange(
        kind, new.section, new.headings, before, after, segments, appendix=new.appendix
    )


def _moved(old: Block, new: Block) -> TextChange:
    before, after = block_text(old.node), block_text(new.node)
    segments = tuple(word_diff(before, after)) if before != after else ()
    return TextChange(
        "moved",
        new.section,
        new.headings,
        before,
        after,
        segments,
        old.section,
        old.headings,
        new.appendix,
        old.appendix,
    )


def appendix_titles(sources: Sources) -> dict[str, str]:
    """Return each appendix's own text (its file, as the diff names its section) with the
    appendix as the document prints it over the text: "Phụ lục I · TITLE", "QUY CHẾ · …"."""
    items = {item.name: item for item in sources.appendices.items}
    return {
        text.source: f"{items[text.name].heading} · {' '.join(items[text.name].title.split())}"
        for text in sources.narrative.attached
        if text.name in items
    }


def note_changes(a: Tree, b: Tree) -> list[NoteChange]:
    """Return the footnotes whose text changed, and those added or removed, by name.

    Notes are matched by name, so a note that is only renumbered (a paragraph before it
    moved) is not a change. Order: B's notes in reference order, then A's removed notes.
    """
    changes: list[NoteChange] = []
    for name, blocks in b.notes.items():
        new = blocks_text(blocks)
        if name not in a.notes:
            changes.append(NoteChange("added", name, None, new))
            continue
        old = blocks_text(a.notes[name])
        if old != new:
            changes.append(NoteChange("changed", name, old, new, tuple(word_diff(old, new))))
    for name, blocks in a.notes.items():
        if name not in b.notes:
            changes.append(NoteChange("removed", name, blocks_text(blocks), None))
    return changes


# Template names that place the text rather than print it, or print another's text line by
# line (issuer_lines is issuer's): not a change a reader reviews.
# The place and date of a kind whose masthead prints none (a Biên bản), as data/document.yaml
# gives them: not printed, but the document's date in its record.
UNPRINTED_DATE = "unprinted_date_line"
LAYOUT_ONLY = frozenset({"signature_lines", "issuer_lines"})


def field_changes(a: Metadata, b: Metadata) -> list[FieldChange]:
    """Return the masthead and closing fields that differ, in the order the page shows them."""
    old, new = _with_unprinted(a), _with_unprinted(b)
    old["status"], new["status"] = a.status, b.status
    changes = []
    for name in new:
        if name in LAYOUT_ONLY:
            continue
        before, after = _field_text(old.get(name)), _field_text(new[name])
        if before != after:
            changes.append(FieldChange(name, before, after, tuple(word_diff(before, after))))
    return changes


def _with_unprinted(metadata: Metadata) -> dict[str, object]:
    """Return the template's names, and after date_line the place and date a kind that
    prints none keeps for the document system (a Biên bản's: its text says them)."""
    context: dict[str, object] = {}
    for name, value in metadata.template_context().items():
        context[name] = value
        if name == "date_line":
            unprinted = not metadata.kind_info.date_line
            context[UNPRINTED_DATE] = metadata.date_line if unprinted else None
    return context


def _field_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    return str(value)
