"""Map the differences between the document a reviewer was sent and the one sent back to
edits of the sources: facts in data/, words in content/, the metadata in data/document.yaml."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from itertools import pairwise
from typing import Any

from ..appendix import APPENDICES_FILE, load_declaration
from ..appendix.docx import HeaderCell, header_layout, header_text
from ..appendix.tables import Cell, Table
from ..cache import NO_CACHE, Cache
from ..check import fact_context
from ..classes import dataclass, field
from ..conventions import LANDSCAPE_END, LANDSCAPE_START
from ..errors import VanbanError
from ..facts import is_missing, load_yaml, place_of
from ..layout import Rendered, render_layout
from ..markup import (
    block_start,
    char_at,
    column_of,
    index_at,
    padded,
    printed_width,
    wrap_units,
)
from ..markup import wrap as wrap_lines
from ..metadata import Metadata
from ..pipeline import Sources
from ..rendered import missing_marker
from .sourcemap import FIGURE, Segment, SourceBlock, line_col, map_file
from .wordfile import Block, Paragraph, WordFile

_MARK_BEFORE = re.compile(r"\[\^[^\]\s]+\]$")  # a footnote's reference ending a text
_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")  # a footnote's reference, not its definition
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+|\s+|[^\w\s]")
_NUMBER = re.compile(r"[-+]?\d[\d_]*(?:\.\d+)?")
_VI_NUMBER = re.compile(r"^[-−]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")
_MARKDOWN_SPECIAL = re.compile(r"([\\*_\[\]`<])")


class MappingError(VanbanError):
    """Raised when the edited document is not a copy of the document the base builds."""


@dataclass(frozen=True)
class Edit:
    """A replacement in one source file (offsets in the file as the base revision has it)."""

    path: str
    start: int
    end: int
    text: str


@dataclass
class Origin:
    """The edits and lines one changed paragraph (or footnote) of the document made: its
    index in the base and in the edited document (None for a paragraph added)."""

    kind: str  # "block" or "note"
    base: int | None
    edited: int
    edits: list[Edit]
    absorbed: list[str]


@dataclass
class Plan:
    """What absorbing an edited document does: edits, what they mean, what cannot map."""

    edits: list[Edit] = field(default_factory=list)
    absorbed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    revisions: list[str] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    origins: list[Origin] = field(default_factory=list)

    def traced(
        self, kind: str, base: int | None, edited: int, call: Callable[..., None], *args: Any
    ) -> None:
        """Run call(*args), recording the edits and lines it adds as made by one paragraph."""
        edits, absorbed = len(self.edits), len(self.absorbed)
        call(*args)
        if len(self.edits) > edits:
            self.origins.append(
                Origin(kind, base, edited, self.edits[edits:], self.absorbed[absorbed:])
            )

    def drop(self, origin: Origin, reason: str) -> None:
        """Take back the edits of one paragraph: refused, with the reason."""
        self.edits = [e for e in self.edits if all(e is not d for d in origin.edits)]
        kept = [a for a in self.absorbed if all(a is not d for d in origin.absorbed)]
        self.absorbed = kept
        for name in [n for n, v in self.facts.items() if any(n in a for a in origin.absorbed)]:
            del self.facts[name]
        where = origin.absorbed[0].split(": ")[0] if origin.absorbed else origin.kind
        self.refused.append(f"{where}: {reason}")
        self.origins.remove(origin)


class Mapper:
    """Maps one base build and its edited copy back to the base's source files."""

    def __init__(
        self,
        sources: Sources,
        texts: dict[str, str],
        base: WordFile,
        cache: Cache = NO_CACHE,
        rendered: tuple[Rendered, Rendered] | None = None,
        part: int = 0,
    ):
        self.sources = sources
        # which of the documents the build issues the base is: 0 the document, N the file of
        # its own of the appendix N (appendix_files: separate)
        self.part = part
        self.texts = texts  # display path → the base's text
        self.base = base
        self.plan = Plan()
        project = sources.project
        context: dict[str, Any] = dict(fact_context(project, sources.facts))
        context["document"] = sources.metadata
        declaration, _ = load_declaration(
            project.content_dir / APPENDICES_FILE, f"content/{APPENDICES_FILE}"
        )
        context.update(declaration.template_globals())
        self.declaration = declaration
        self.blocks: list[SourceBlock] = []
        for path in project.content_files():
            display = project.display(path)
            self.blocks += map_file(display, texts[display], context, cache)
        self.notes = {b.note: b for b in self.blocks if b.note}
        self.body = _Blocks(self.blocks)
        # the appendices' own texts (an attached Quy chế): their paragraphs are theirs
        attached: list[SourceBlock] = []
        for text in sources.narrative.attached:
            if text.source in texts:
                attached += map_file(text.source, texts[text.source], context, cache)
        self.attached = _Blocks(attached)
        self.attached_definitions = [b for b in attached if b.note]
        self.attached_tables = [b for b in attached if not b.note and table_kind(b)]
        self._new_names: set[str] = set()
        self.rendered = rendered or render_layout(
            project.templates_dir, sources.metadata.template_context()
        )
        self.regions = self._regions(sources.metadata)
        self.table_names: dict[int, str] = {}
        self.body_tables: dict[int, SourceBlock] = {}  # a body table's index → its source
        self._grid_columns: dict[tuple[str, int, int], _GridColumn] = {}  # being widened
        # the lines added to a row of a grid table (by where its last line is): the edit
        # that adds them, and their texts
        self._grid_added: dict[tuple[str, int, int], tuple[Edit, list[str]]] = {}
        self.tables: dict[int, Table] = {}  # the appendix table each base block prints
        loaded, _ = load_yaml(project.metadata_path, project.display(project.metadata_path))
        assert loaded is not None  # the base was gathered, so it loads
        self.metadata_file = loaded

    # --- regions of the base document ----------------------------------------------------
    def _regions(self, metadata: Metadata) -> list[str]:
        masthead, closing = self.rendered
        blocks = self.base.blocks
        if self.part:  # an appendix's file of its own holds the appendix alone
            return ["appendix"] * len(blocks)
        # the section breaks of the text's own (its landscape sections) come before the
        # one that ends the closing, where the appendices begin
        marks = (LANDSCAPE_START, LANDSCAPE_END)
        own = sum(line in marks for line in self.sources.narrative.markdown.split("\n"))
        breaks = [i for i, b in enumerate(blocks) if b.paragraph and b.paragraph.breaks_section]
        end = breaks[own] if len(breaks) > own else len(blocks)
        first_closing = end - len(closing.blocks)
        regions = []
        for index in range(len(blocks)):
            if index < len(masthead.blocks):
                regions.append("masthead")
            elif index < first_closing:
                regions.append("body")
            elif index < end:
                regions.append("closing")
            else:
                regions.append("appendix")
        return regions

    # --- the whole document --------------------------------------------------------------
    def map(self, edited: WordFile) -> Plan:
        base_keys = [b.key for b in self.base.blocks]
        pairs = list(_pairs(base_keys, [b.key for b in edited.blocks]))
        same = sum(
            1
            for i, j in pairs
            if i is not None and j is not None and base_keys[i] == edited.blocks[j].key
        )
        if base_keys and same < len(base_keys) / 2:
            raise MappingError(
                f"only {same} of the {len(base_keys)} paragraphs and tables read as the base "
                "built them: not an edited copy of this report's document (give --base REV "
                "if it was built from another revision)"
            )
        items = self.sources.appendices.items
        # how a message names a table: by its heading, or else by its appendix
        self.table_names = {
            id(t): _quote(t.heading)
            if t.heading
            else (f"{k} of " if len(a.tables) > 1 else "of ") + a.heading
            for a in self.sources.appendices.items
            for k, t in enumerate(a.tables, 1)
        }
        table_index: dict[int, int] = {}
        body_tables: list[int] = []
        for index, block in enumerate(self.base.blocks):
            if self.regions[index] == "appendix" and block.rows is not None:
                table_index[index] = len(table_index)
            elif self.regions[index] == "body" and block.rows is not None:
                body_tables.append(index)
        # The body's tables, in order, are those the content files write, in order: a
        # Markdown table, or a computed one placed by {{ table('name') }}.
        written = [b for b in self.blocks if not b.note and table_kind(b)]
        if len(written) == len(body_tables):
            self.body_tables = dict(zip(body_tables, written, strict=True))
        # The appendices' tables, in order: for each appendix, those of its own text (which
        # prints before its tables), then its declared ones.
        printed: list[tuple[SourceBlock | None, Table | None]] = []
        for item in items[self.part - 1 : self.part] or items:
            if item.document:  # an attached document's masthead: its layout, no source's
                printed.append((None, None))
            text = next((t for t in self.sources.narrative.attached if t.name == item.name), None)
            if text is not None:
                printed += [(b, None) for b in self.attached_tables if b.path == text.source]
            printed += [(None, t) for t in item.tables]
        if len(printed) == len(table_index):  # else which is which is not known: refused
            for index, k in table_index.items():
                written_out, declared = printed[k]
                if written_out is not None:
                    self.body_tables[index] = written_out  # a Markdown table, as the text's
                elif declared is not None:
                    self.tables[index] = declared
        previous_base: int | None = None
        for i, j in pairs:
            if i is not None and j is not None and _emptied(self.base.blocks[i], edited.blocks[j]):
                self._deleted(i, self.base.blocks[i])  # all its words deleted: it goes
                previous_base = i
            elif i is not None and j is not None:
                old, new = self.base.blocks[i], edited.blocks[j]
                self.plan.traced("block", i, j, self._block, i, old, new)
                previous_base = i
            elif j is not None:
                self.plan.traced("block", None, j, self._inserted, previous_base, edited.blocks[j])
            elif i is not None:
                self._deleted(i, self.base.blocks[i])
        names = () if self.part else self.sources.narrative.footnotes  # the body's notes
        note_pairs = _pairs(
            [n.text for n in self.base.footnotes], [n.text for n in edited.footnotes]
        )
        attached = self._attached_notes()
        for i, j in note_pairs:
            if i is not None and i >= len(names):  # a note of an appendix's own text
                if j is not None and self.base.footnotes[i].text == edited.footnotes[j].text:
                    continue
                source = attached[i - len(names)] if i - len(names) < len(attached) else None
                if j is not None and source is not None and source.segments is not None:
                    old_note, new_note = self.base.footnotes[i], edited.footnotes[j]
                    what = f"footnote {i + 1} [^{source.note}]"
                    self.plan.traced(
                        "note", i, j, self.map_text, source, old_note.text, new_note.text, what
                    )
                    continue
                shown = self.base.footnotes[i].text if j is None else edited.footnotes[j].text
                how = "deleted" if j is None else "not absorbed"
                self.plan.refused.append(
                    f"footnote {i + 1} ({_quote(_short(shown))}): a note of an appendix's "
                    f"own text ({self._attached_files()}): {how}; edit it there"
                )
                continue
            if i is not None and j is not None and i < len(names):
                if self.base.footnotes[i].text == edited.footnotes[j].text:
                    continue
                old_note, new_note = self.base.footnotes[i], edited.footnotes[j]
                self.plan.traced("note", i, j, self._note, names[i], i + 1, old_note, new_note)
            elif j is not None:
                self._new_note(edited, j, pairs)
            elif i is not None and i < len(names):
                place = self._place(self.notes[names[i]]) if names[i] in self.notes else ""
                self.plan.refused.append(
                    f"{place}: footnote {i + 1} [^{names[i]}] was deleted: remove its reference "
                    "and definition in the Markdown"
                )
        self._restyled(edited)
        self._comments(edited, pairs, note_pairs)
        self._revisions(edited, pairs, note_pairs)
        project = self.sources.project
        order = [project.display(p) for p in project.content_files()]
        order += [t.source for t in self.sources.narrative.attached]
        self.plan.absorbed = in_source_order(self.plan.absorbed, order)
        return self.plan

    def _block(self, index: int, old: Block, new: Block) -> None:
        region = self.regions[index]
        if old.key == new.key:
            return
        if old.paragraph is not None and new.paragraph is not None:
            if region == "body":
                self._paragraph(old.paragraph, new.paragraph)
            elif region in ("masthead", "closing"):
                self._metadata_lines(old.paragraph, new.paragraph, region)
            elif (block := self.attached.find(old.paragraph.text)) is not None:
                self.map_text(
                    block, old.paragraph.text, new.paragraph.text, "text", marks=_marks(old, new)
                )
            elif self._in_attached_text(old.paragraph.text):
                self.plan.refused.append(
                    f"appendix: {_quote(_short(old.paragraph.text))} → "
                    f"{_quote(_short(new.paragraph.text))}: no paragraph of an appendix's "
                    f"own text ({self._attached_files()}) prints it: not absorbed; edit it there"
                )
            else:
                self.plan.refused.append(
                    f"appendix: {_quote(old.paragraph.text)} → {_quote(new.paragraph.text)}: "
                    f"appendix titles come from content/{APPENDICES_FILE}; edit them there"
                )
            return
        if old.rows is None or new.rows is None or len(old.rows) != len(new.rows):
            self.plan.refused.append(
                f"{region}: a table changed its shape (rows added, removed or moved) near "
                f"{_quote(old.key[:60])}: not absorbed"
            )
            return
        for r, (old_row, new_row) in enumerate(zip(old.rows, new.rows, strict=True)):
            if len(old_row) != len(new_row):
                self.plan.refused.append(f"{region}: a table row changed its cells: not absorbed")
                continue
            for c, (old_cell, new_cell) in enumerate(zip(old_row, new_row, strict=True)):
                if old_cell.text == new_cell.text:
                    continue
                if region in ("masthead", "closing") and old_cell.parts != new_cell.parts:
                    self.plan.refused.append(
                        f"{region}: {_quote(_short(old_cell.text))} → "
                        f"{_quote(_short(new_cell.text))}: a paragraph was added or removed "
                        f"(a recipient is an item of `recipients` in {self.metadata_file.display}"
                        "): not absorbed; add or remove it there"
                    )
                elif region in ("masthead", "closing"):
                    self._metadata_lines(old_cell, new_cell, region)
                elif index in self.body_tables:
                    self._body_cell(self.body_tables[index], old.rows, r, c, new_cell)
                elif index in self.tables:
                    self._cell(
                        self.tables[index],
                        len(old.rows),
                        r,
                        len(old_row),
                        c,
                        old_cell,
                        new_cell,
                    )
                elif region == "appendix" and self.sources.narrative.attached:
                    self.plan.refused.append(
                        f"appendix: table cell {_quote(old_cell.text)} → "
                        f"{_quote(new_cell.text)}: the appendices' tables, with those of their "
                        f"own texts ({self._attached_files()}), do not pair with "
                        f"content/{APPENDICES_FILE}'s: not absorbed; edit it there"
                    )
                else:
                    self.plan.refused.append(
                        f"{region}: table cell {_quote(old_cell.text)} → "
                        f"{_quote(new_cell.text)}: no table of content/ is known to print it "
                        "(a table made by a template loop or kept out by a condition): not "
                        "absorbed"
                    )

    def _body_cell(
        self,
        source: SourceBlock,
        rows: list[list[Paragraph]],
        r: int,
        c: int,
        new: Paragraph,
    ) -> None:
        """A cell of a table of the text changed: write it into the Markdown table's cell,
        or the fact a computed table printed there; or say why not."""
        old = rows[r][c]
        change = f"table cell {_quote(old.text)} → {_quote(new.text)}"
        where = self._place(source)
        kind = table_kind(source)
        if kind == "call":
            match = _TABLE_CALL.match(source.text.strip())
            assert match is not None
            name = match.group(2)
            table = dict(self.sources.appendices.body).get(name)
            if table is not None:
                label = f"{where}: table {_quote(table.heading or name)}"
                self._cell(table, len(rows), r, len(rows[r]), c, old, new, label)
                return
            self.plan.refused.append(f"{where}: {change}: no table {name!r}: not absorbed")
            return
        if source.segments is None:
            self.plan.refused.append(
                f"{where}: {change}: its file's template tags ({{% … %}}) leave the table "
                "unmapped: not absorbed; edit it there"
            )
            return
        self._markdown_cell(source, (len(rows), len(rows[r])), (r, c), old, new, where)

    def _markdown_cell(
        self,
        source: SourceBlock,
        shape: tuple[int, int],
        at: tuple[int, int],
        old: Paragraph,
        new: Paragraph,
        where: str,
        keep_widths: bool = False,
    ) -> None:
        """Write the cell at (row, column) of a Markdown table (of the text, or written out
        in the declaration: keep_widths, its grid's dashes give the printed widths) whose
        document rows and row's cells number shape."""
        change = f"table cell {_quote(old.text)} → {_quote(new.text)}"
        if table_kind(source) == "grid":
            self._grid_cell(source, shape, at, old, new, f"{where}: {change}", keep_widths)
            return
        cell = pipe_cell(source, *at, *shape)
        if cell is None:
            self.plan.refused.append(
                f"{where}: {change}: the table's rows or cells do not read as its Markdown "
                '(an expression printing several cells, or a cell split by "|"): not '
                "absorbed; edit it there"
            )
            return
        self.map_text(
            cell, old.text, new.text, "table cell", escape=_escape_cell, marks=_note_marks(old, new)
        )

    def _grid_cell(
        self,
        source: SourceBlock,
        shape: tuple[int, int],
        cell_at: tuple[int, int],
        old: Paragraph,
        new: Paragraph,
        what: str,
        keep_widths: bool = False,
    ) -> None:
        """Write a grid table's edited cell in its line, its column kept as wide as the
        table draws it: the spaces before the cell's right edge take up the change, and
        when they are too few the column is widened on every line of the table (keep_widths:
        the cell's text is wrapped onto more lines of its row instead). A cell written over
        several lines has its text wrapped again within its column (see _rewrapped)."""
        found = grid_cell(source, *cell_at, *shape)
        if isinstance(found, str):
            self.plan.refused.append(f"{what}: {found}: not absorbed; edit it there")
            return
        if isinstance(found, _GridRow):
            self._rewrapped(source, found, old, new, what, keep_widths)
            return
        cell, edge, spaces = found
        edits, absorbed = len(self.plan.edits), len(self.plan.absorbed)
        self.map_text(
            cell, old.text, new.text, "table cell", escape=_escape_cell, marks=_note_marks(old, new)
        )
        made = [e for e in self.plan.edits[edits:] if e.path == source.path]
        file_text = self.texts[source.path]
        grown = sum(printed_width(e.text) - printed_width(file_text[e.start : e.end]) for e in made)
        if not grown:
            return
        region = grid_region(source, *cell_at, *shape)
        if keep_widths and grown > spaces - 1 and isinstance(region, _GridRow):
            del self.plan.edits[edits:], self.plan.absorbed[absorbed:]
            self._rewrapped(source, region, old, new, what, keep_widths)
            return
        bar = _source_at(source, edge)
        start = source.rendered.rfind("\n", 0, edge) + 1
        line = source.rendered[start:].split("\n", 1)[0]
        # this line's own change: its spaces before the edge take it up, as far as they go
        # (one stays); what they cannot is the width the column must grow by
        taken = min(max(grown, 0), spaces - 1)
        own = (max(grown - taken, 0), max(-grown, 0))  # (the line grows by, spaces put back)
        if bar is not None and taken:
            self.plan.edits.append(Edit(source.path, bar - taken, bar, ""))
        self._widen(source, column_of(line, edge - start), {start: own}, what, (edits, absorbed))

    def _widen(
        self,
        source: SourceBlock,
        column_at: int,
        own: Mapping[int, tuple[int, int]],
        what: str,
        since: tuple[int, int],
    ) -> None:
        """Widen the grid column whose right edge is at column_at of its lines as far as its
        widest edited line needs: own gives, by where a line starts, how much its own edit
        makes it grow and the spaces it puts back; every other line is widened by the
        column's growth. The column's widening so far gives way to this one. When a merged
        cell crosses the column, the edits and lines since (edits, absorbed) are taken back
        and the change refused."""
        column = self._grid_columns.setdefault(
            (source.path, source.offset, column_at), _GridColumn()
        )
        lines = {**column.lines, **own}
        wide = max(grows for grows, _ in lines.values())
        widths = {at: wide - grows + back for at, (grows, back) in lines.items()}
        for at, _ in _lines(source.rendered):
            widths.setdefault(at, wide)
        widened = grid_widening(source, column_at, widths)
        if widened is None:
            del self.plan.edits[since[0] :], self.plan.absorbed[since[1] :]
            self.plan.refused.append(
                f"{what}: the new text is wider than its column, and a merged cell crosses it: "
                "not absorbed; edit it there"
            )
            return
        for earlier in column.edits:
            self.plan.edits.remove(earlier)
        column.lines, column.edits = lines, widened
        self.plan.edits += widened

    def _rewrapped(
        self,
        source: SourceBlock,
        row: _GridRow,
        old: Paragraph,
        new: Paragraph,
        what: str,
        keep_widths: bool,
    ) -> None:
        """Write a grid table's edited cell whose text is (or must be) written over several
        lines of its row: the reviewer's edit is made in the cell's text, its lines joined
        (as pandoc joins them), and the text wrapped again within the column, a word never
        cut and no line begun with what would read as a list's or a heading's mark. When it
        needs more lines than its row has, the column is widened until it fits them; with
        keep_widths, lines are added to the row instead (the other cells blank there), and
        a word wider than the column is refused: widening it would change the widths
        pandoc takes from the dashes."""
        pieces = []  # each line's text in the cell: (where it starts in the rendering, text)
        leads = []  # the spaces before a line's text
        for at, drawn in row.lines:
            left, right = row.span(drawn)
            inside = drawn[left + 1 : right]
            cut = _cut(source, at + left + 1, at + right)
            if cut is None or any(s.expression for s in cut.segments or []):
                self.plan.refused.append(
                    f"{what}: a cell written over several lines of a grid table prints a "
                    "template expression: not absorbed; edit it there"
                )
                return
            lead = len(inside) - len(inside.lstrip(" "))
            pieces.append((at + left + 1 + lead, inside.strip()))
            leads += [lead] if inside.strip() else []
        joined, starts = "", []  # the cell's text, its lines joined; where each line's begins
        cuts: list[int] = []  # where a paragraph after the first begins (after a blank line)
        parted = False  # a blank line of the cell came before
        for at, text in pieces:
            if text:
                joined += " " if joined else ""
                if parted and joined:
                    cuts.append(len(joined))
                starts.append((len(joined), at))
                joined += text
            parted = not text
        # the reviewer's edit, made in the joined text as in a paragraph's, then put back
        # into the lines; what map_text says of it is placed where the edit is in the file
        virtual = f"{source.path}\x00cell"
        block = SourceBlock(virtual, 0, joined, segments=[Segment(0, joined, 0)])
        marks = (len(self.plan.edits), len(self.plan.absorbed), len(self.plan.refused))
        self.texts[virtual] = joined
        try:
            self.map_text(
                block, old.text, new.text, "table cell", _escape_cell, _note_marks(old, new)
            )
        finally:
            del self.texts[virtual]
        made = [e for e in self.plan.edits[marks[0] :] if e.path == virtual]
        self.plan.edits = [e for e in self.plan.edits if e.path != virtual]
        first = min((e.start for e in made), default=0)
        begun, at = max((s for s in starts if s[0] <= first), default=(0, pieces[0][0]))
        real = _source_at(source, at + first - begun)
        line, col = line_col(self.texts[source.path], source.offset if real is None else real)
        for messages, since in ((self.plan.absorbed, marks[1]), (self.plan.refused, marks[2])):
            for k in range(since, len(messages)):
                if messages[k].startswith(virtual):
                    messages[k] = f"{source.path}:{line}:{col}: {messages[k].split(': ', 1)[1]}"
        if not made:
            return
        text = joined
        for edit in sorted(made, key=lambda e: e.start, reverse=True):
            text = text[: edit.start] + edit.text + text[edit.end :]
            grown = len(edit.text) - (edit.end - edit.start)
            # a paragraph's start after the edit moves with it; one the edit covers is gone
            cuts = [
                c + grown if c > edit.end else c for c in cuts if not edit.start < c <= edit.end
            ]
        # the cell's paragraphs stay paragraphs, a blank line between them
        bounds = [0, *cuts, len(text)]
        paragraphs = [wrap_units(text[a:b].strip()) for a, b in pairwise(bounds)]
        paragraphs = [units for units in paragraphs if units]

        def wrap(units_of: list[list[str]], width: int) -> list[str]:
            """Return the paragraphs' lines within width, a blank line between them."""
            lines: list[str] = []
            for units in units_of:
                lines += [""] if lines else []
                lines += wrap_lines(units, width)
            return lines

        indent = min(leads, default=1)
        room = row.right - row.left - 1 - indent  # for the text on a line: a space stays
        room -= 1 if all(printed_width(t) < room for _, t in pieces) else 0
        units = [unit for units in paragraphs for unit in units]
        widest = max(units, key=printed_width, default="")
        if keep_widths and printed_width(widest) > room:
            del self.plan.edits[marks[0] :], self.plan.absorbed[marks[1] :]
            self.plan.refused.append(
                f"{what}: {_quote(widest)} is wider than its column ({room} characters), and "
                "a table written out in the declaration prints its columns as wide as its "
                "dashes draw them: widening one would change the printed widths of all: not "
                "absorbed; edit it there"
            )
            return
        # a word wider than the column widens it (a word is never cut), as far as it needs
        extra = 0 if keep_widths else max(0, printed_width(widest) - room)
        wrapped = wrap(paragraphs, room + extra)
        while not keep_widths and len(wrapped) > len(row.lines):
            extra += 1
            wrapped = wrap(paragraphs, room + extra)
        cells = wrapped + [""] * (len(row.lines) - len(wrapped))
        width = row.right - row.left - 1 + extra  # the cell's, between its edges
        for (at, drawn), content in zip(row.lines, cells, strict=False):
            left, right = row.span(drawn)
            a = _source_at(source, at + left + 1)
            b = _source_at(source, at + right)
            assert a is not None and b is not None  # literal text: _cut found no expression
            self.plan.edits.append(Edit(source.path, a, b, padded(" " * indent + content, width)))
        if len(cells) > len(row.lines):  # lines added to the row, after its last
            at, last = row.lines[-1]
            end = _source_at(source, at + len(last))
            assert end is not None  # the line's text is literal, as the file has it
            file_text = self.texts[source.path]
            begin = end - len(last)
            margin = file_text[file_text.rfind("\n", 0, begin) + 1 : begin]
            edges = set(_edges(source))  # the other cells' bars stay, their text goes
            blank = "".join(
                "|" if ch == "|" and column_of(last, k) in edges else " " * printed_width(ch)
                for k, ch in enumerate(last)
            )
            # the lines another cell of the row added already: this cell's text goes on
            # them first, from the row's first added line, so that each cell's text is
            # written on its row's lines without a blank line inside it
            key = (source.path, source.offset, at)
            earlier, shared = self._grid_added.get(key, (None, []))
            added_lines = list(shared)
            for k, content in enumerate(cells[len(row.lines) :]):
                filled = padded(" " * indent + content, width)
                drawn_line = added_lines[k] if k < len(added_lines) else blank
                left, right = row.span(drawn_line)
                added_lines[k : k + 1] = [drawn_line[: left + 1] + filled + drawn_line[right:]]
            if earlier is not None and earlier in self.plan.edits:
                self.plan.edits.remove(earlier)
            edit = Edit(source.path, end, end, "".join(f"\n{margin}{x}" for x in added_lines))
            self._grid_added[key] = (edit, added_lines)
            self.plan.edits.append(edit)
        if not keep_widths:
            grows = {at: (extra, 0) for at, _ in row.lines}
            self._widen(source, row.right, grows, what, marks[:2])

    def _written_out(self, table: Table) -> SourceBlock | None:
        """Return a written-out table's `markdown:` in the declaration as a block of its own
        (its lines as the table reads them, each mapped to its place in the file), or None
        when it cannot be found there as a block scalar (`markdown: |`)."""
        display = f"content/{APPENDICES_FILE}"
        text = self.texts.get(display)
        if text is None or table.source is None or self.declaration.document is None:
            return None
        try:
            line, _ = place_of(self.declaration.document, (*table.source, "markdown"))
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
        lines = text.split("\n")
        if not lines[line - 1].rstrip().endswith(("|", "|-", "|+")):
            return None  # a quoted or folded scalar: its lines are not the table's
        starts = [0]
        for piece in lines:
            starts.append(starts[-1] + len(piece) + 1)
        filled = next((k for k in range(line, len(lines)) if lines[k].strip()), None)
        if filled is None:
            return None
        indent = len(lines[filled]) - len(lines[filled].lstrip())  # the block's, its first line's
        body = []
        for index in range(filled, len(lines)):
            if lines[index].strip() and len(lines[index]) - len(lines[index].lstrip()) < indent:
                break  # the next key: the block ends
            body.append(index)
        while body and not lines[body[-1]].strip():
            body.pop()
        segments: list[Segment] = []
        position = 0
        for index in body:
            content = lines[index][indent:]
            segments.append(Segment(position, content, starts[index] + indent))
            position += len(content)
            segments.append(Segment(position, "\n", starts[index] + len(lines[index])))
            position += 1
        first = starts[body[0]] + indent
        end = starts[body[-1]] + len(lines[body[-1]])
        return SourceBlock(display, first, text[first:end], line=body[0], segments=segments)

    def _attached_notes(self) -> list[SourceBlock]:
        """Return the definitions of the appendices' own texts' notes in the order the
        document prints them (after the body's): each text's, by first reference."""
        found: list[SourceBlock] = []
        texts = self.sources.narrative.attached
        if self.part:  # the appendix's own text alone is in its file
            name = self.sources.appendices.items[self.part - 1].name
            texts = tuple(t for t in texts if t.name == name)
        for text in texts:
            definitions = {b.note: b for b in self.attached_definitions if b.path == text.source}
            seen: set[str] = set()
            for name in _REFERENCE.findall(text.markdown):
                if name not in seen and name in definitions:
                    seen.add(name)
                    found.append(definitions[name])
        return found

    def _attached_files(self) -> str:
        return ", ".join(t.source for t in self.sources.narrative.attached) or "content/"

    def _in_attached_text(self, text: str) -> bool:
        """Return True when a paragraph of an appendix's section is one of its own text (an
        attached Quy chế), not its heading, title or Kèm theo line."""
        words = _NUMBERED.sub("", " ".join(text.split()))[:30].strip()
        return bool(words) and any(
            words in _REFERENCE.sub("", t.markdown) for t in self.sources.narrative.attached
        )

    # --- text ----------------------------------------------------------------------------
    def find_block(self, text: str) -> SourceBlock | None:
        """Return the body block whose rendering reads as text, or None."""
        return self.body.find(text)

    def _paragraph(self, old_paragraph: Paragraph, new_paragraph: Paragraph) -> None:
        old, new = old_paragraph.text, new_paragraph.text
        block = self.find_block(old)
        if block is None:
            self.plan.refused.append(
                f"{_quote(old[:80])}: no paragraph of content/ prints this text: not absorbed"
            )
            return
        self.map_text(block, old, new, "text", marks=_note_marks(old_paragraph, new_paragraph))

    def _note(self, name: str, number: int, old: Paragraph, new: Paragraph) -> None:
        block = self.notes.get(name)
        if block is None or block.segments is None:
            self.plan.refused.append(
                f"footnote {number} [^{name}]: its definition cannot be mapped: not absorbed"
            )
            return
        self.map_text(block, old.text, new.text, f"footnote {number} [^{name}]")

    def _new_note(
        self, edited: WordFile, j: int, pairs: list[tuple[int | None, int | None]]
    ) -> None:
        """A footnote the reviewer added: its reference and definition into the Markdown."""
        text = edited.footnotes[j].text
        refuse = f"footnote {j + 1}: a new footnote ({_quote(_short(text))})"
        note_id = edited.note_ids[j] if j < len(edited.note_ids) else None
        base_of = {b: a for a, b in pairs if b is not None}
        for k, block in enumerate(edited.blocks):
            paragraph = block.paragraph
            at = next((o for n, o in paragraph.notes if n == note_id), None) if paragraph else None
            if paragraph is None or at is None:
                continue
            i = base_of.get(k)
            base = self.base.blocks[i].paragraph if i is not None else None
            if i is None or base is None or self.regions[i] != "body":
                break
            source = self.find_block(base.text)
            if source is None:
                break
            position = _aligner(paragraph.text, base.text)(at, at)[0]
            r = _aligner(base.text, source.rendered)(position, position)[0]
            segment = next(
                (
                    s
                    for s in source.segments or []
                    if not s.expression and s.start <= r <= s.start + len(s.text)
                ),
                None,
            )
            if segment is None:
                self.plan.refused.append(f"{refuse}: its place is inside a template expression")
                return
            name = self._note_name()
            offset = segment.source + (r - segment.start)
            file_text = self.texts[source.path]
            self.plan.edits.append(Edit(source.path, offset, offset, f"[^{name}]"))
            ending = "" if file_text.endswith("\n") else "\n"
            definition = f"{ending}\n[^{name}]: {_escape(text)}\n"
            self.plan.edits.append(Edit(source.path, len(file_text), len(file_text), definition))
            line, col = line_col(file_text, offset)
            self.plan.absorbed.append(
                f"{source.path}:{line}:{col}: new footnote [^{name}]: {_quote(_short(text))}"
            )
            return
        self.plan.refused.append(f"{refuse}: its reference is not in the body text")

    def _note_name(self) -> str:
        taken = set(self.sources.narrative.footnotes) | set(self.notes) | self._new_names
        number = 1
        while f"gop-y-{number}" in taken:
            number += 1
        self._new_names.add(f"gop-y-{number}")
        return f"gop-y-{number}"

    def _inserted(self, after: int | None, block: Block) -> None:
        if block.paragraph is None or not block.paragraph.text.strip():
            if block.rows is not None:
                self.plan.refused.append("a new table: not absorbed (tables come from data)")
            return
        text = block.paragraph.text
        source = None
        previous = self.base.blocks[after].paragraph if after is not None else None
        if after is not None and previous is not None and self.regions[after] == "body":
            source = self.find_block(previous.text)
        elif after is not None and previous is not None and self.regions[after] == "appendix":
            source = self.attached.find(previous.text)  # in an appendix's own text
        if source is None:
            self.plan.refused.append(
                f"a new paragraph {_quote(text[:80])} outside the body text: not absorbed"
            )
            return
        end = source.offset + len(source.text)
        self.plan.edits.append(Edit(source.path, end, end, "\n\n" + _escape(text.strip())))
        line, col = line_col(self.texts[source.path], end)
        self.plan.absorbed.append(
            f"{source.path}:{line + 1}:1: new paragraph: {_quote(text.strip()[:80])}"
        )

    def _deleted(self, index: int, block: Block) -> None:
        if block.paragraph is None or not block.paragraph.text.strip():
            return
        region = self.regions[index]
        own = self.attached.find(block.paragraph.text) if region == "appendix" else None
        if region != "body" and own is None:
            self.plan.refused.append(
                f"{region}: deleted {_quote(block.paragraph.text[:80])}: not absorbed"
            )
            return
        source = own or self.find_block(block.paragraph.text)
        if source is None or "[^" in source.text:
            why = "it holds footnote references" if source else "no paragraph prints it"
            self.plan.refused.append(
                f"deleted paragraph {_quote(block.paragraph.text[:80])}: not absorbed ({why})"
            )
            return
        text = self.texts[source.path]
        start, end = _block_span(text, source.offset, source.offset + len(source.text))
        self.plan.edits.append(Edit(source.path, start, end, ""))
        self.plan.absorbed.append(
            f"{self._place(source)}: paragraph deleted: {_quote(block.paragraph.text[:80])}"
        )

    def map_text(
        self,
        block: SourceBlock,
        old: str,
        new: str,
        what: str,
        escape: Callable[[str], str] | None = None,
        marks: tuple[Sequence[int], Sequence[int]] = ((), ()),
    ) -> None:
        """Turn the word changes old → new of a paragraph rendered from block into edits;
        the new words escaped as Markdown text (by escape, when given). marks: where the
        footnote marks are in old and in new, in order: words typed where a mark is go
        before it or after it as they do in new."""
        assert block.segments is not None
        rendered = block.rendered
        to_rendered = _aligner(old, rendered)
        figures: dict[int, list[tuple[int, int, str]]] = {}
        literal: list[Edit] = []
        shift = 0  # where old's text is in new, up to this change
        for a1, a2, replacement in token_changes(old, new):
            if a1 == a2 and a1 - 1 in marks[0] and replacement[-1:] == old[a1 - 1 : a1] != "":
                # " mới" typed at a mark reads as "mới " after the space that follows it:
                # the same words, put where the mark is
                a1 = a2 = a1 - 1
                replacement = old[a1] + replacement[:-1]
            r1, r2 = to_rendered(a1, a2)
            mark = _MARK_BEFORE.search(rendered, 0, r1) if a1 == a2 else None
            if mark is not None and a1 in marks[0]:
                k = list(marks[0]).index(a1)
                if k < len(marks[1]) and marks[1][k] >= a1 + shift + len(replacement):
                    r1 = r2 = mark.start()  # typed before the mark, which follows the words
            shift += len(replacement) - (a2 - a1)
            touched = [
                s
                for s in block.segments
                if s.start < r2
                and r1 < s.start + len(s.text)
                or (r1 == r2 and s.start < r1 < s.start + len(s.text))
            ]
            expressions = [s for s in touched if s.expression]
            if not expressions:
                segment = next(
                    (
                        s
                        for s in block.segments
                        if not s.expression and s.start <= r1 <= s.start + len(s.text)
                    ),
                    None,
                )
                if segment is None or r2 > segment.start + len(segment.text):
                    self._refuse_cut(block, touched[0] if touched else None, old, a1, a2, what)
                    return
                if "{{" in replacement or "{%" in replacement:
                    self.plan.refused.append(
                        f"{self._place(block)}: {what}: the new text holds a template tag: "
                        "not absorbed"
                    )
                    return
                start = segment.source + (r1 - segment.start)
                end = segment.source + (r2 - segment.start)
                text = (escape or _escape)(replacement)
                if r1 == 0 and start == block.offset:  # typed where the block begins
                    text = block_start(text)
                literal.append(Edit(block.path, start, end, text))
                continue
            segment = expressions[0]
            inside = segment.start <= r1 and r2 <= segment.start + len(segment.text)
            if len(expressions) > 1 or not inside:
                self._refuse_cut(block, segment, old, a1, a2, what)
                return
            figures.setdefault(segment.start, []).append(
                (r1 - segment.start, r2 - segment.start, replacement)
            )
        changed = False
        for edit in literal:
            self.plan.edits.append(edit)
            changed = True
        if changed:
            line, col = line_col(self.texts[block.path], literal[0].start)
            self.plan.absorbed.append(
                f"{block.path}:{line}:{col}: {what}: {_quote(_excerpt(old, new))}"
            )
        by_start = {s.start: s for s in block.segments}
        for start, changes in figures.items():
            segment = by_start[start]
            printed = segment.text
            for x1, x2, replacement in sorted(changes, reverse=True):
                printed = printed[:x1] + replacement + printed[x2:]
            self.figure(block, segment, printed, what)

    def _refuse_cut(
        self, block: SourceBlock, segment: Segment | None, old: str, a1: int, a2: int, what: str
    ) -> None:
        where = self._place(block, segment.source if segment else None)
        expression = (
            f" the template expression {segment.expression}"
            if segment and segment.expression
            else " a template expression"
        )
        self.plan.refused.append(
            f"{where}: {what}: the edit of {_quote(old[max(0, a1 - 20) : a2 + 20])} cuts through"
            f"{expression}: not absorbed; edit the source"
        )

    # --- figures -------------------------------------------------------------------------
    def figure(self, block: SourceBlock, segment: Segment, printed: str, what: str) -> None:
        """A printed figure changed: write the fact it was printed from, or say why not."""
        where = self._place(block, segment.source)
        match = FIGURE.match(segment.expression or "")
        if match is None:
            self.plan.refused.append(
                f"{where}: {what}: {segment.expression} prints {_quote(segment.text)}, now "
                f"{_quote(printed)}: not a figure from the data; edit the source"
            )
            return
        name, kind = match.group(1), match.group(2)
        if kind is None and not isinstance(self._fact(name), int | Decimal):
            self.plan.refused.append(
                f"{where}: {what}: {segment.expression} prints {_quote(segment.text)} from the "
                f"data, now {_quote(printed)}: not a figure; edit {name} in data/"
            )
            return
        if kind == "printed":
            self.plan.refused.append(
                f"{where}: {what}: {name} is printed as issued ({segment.expression}); now "
                f"{_quote(printed)}: edit the fact or the printed text in the source"
            )
            return
        if segment.text == missing_marker(name):
            printed = _visible(printed)  # what the reviewer typed over "[thiếu: …]"
        self.set_fact(name, printed, percent=kind == "pct", where=where, shown=segment.text)

    def _fact(self, name: str) -> Any:
        """Return the value a fact has in its data file (None when it has none there)."""
        stem, _, dotted = name.partition(".")
        data = self.sources.facts.files.get(stem)
        node: Any = data.loaded.document if data else None
        for step in dotted.split("."):
            node = node.get(step) if hasattr(node, "get") else None
        return node

    def set_fact(
        self, name: str, printed: str, *, percent: bool, where: str, shown: str | None = None
    ) -> None:
        """Write the new printed value of a fact into its data file, in place: a figure, or
        the figure a reviewer typed for one still to be entered (`!missing`, and its note,
        become the number). shown: what the document printed there; a figure retyped in
        another form of the same value ("2532" for "2.532") is refused with the reason."""
        stem, _, dotted = name.partition(".")
        data = self.sources.facts.files.get(stem)
        path = tuple(dotted.split("."))
        old_value = self._fact(name)
        missing = is_missing(old_value)
        if data is None or not (
            missing or (isinstance(old_value, int | Decimal) and not isinstance(old_value, bool))
        ):
            self.plan.refused.append(
                f"{where}: {name} is computed (a fact the check's rules derive), printed now "
                f"{_quote(printed)}: not written; change the facts it comes from"
            )
            return
        value = parse_printed(printed.strip(), percent)
        before = parse_printed(shown, percent) if shown is not None and not missing else None
        if before is not None and (value is None or value != before):
            if any(other == before for other in other_readings(printed, percent)):
                self._reformatted(name, data, path, shown or "", printed, where)
                return
        if value is None and not missing and not re.search(r"\d", printed):
            line, col = place_of(data.loaded.document, path)
            self.plan.refused.append(
                f"{where}: {name}: {_quote(printed)} is no figure: not absorbed; a figure not "
                f"known is written `!missing` in its data ({data.loaded.display}:{line}:{col})"
            )
            return
        if value is None:
            state = f"{name} is still to be entered (!missing); " if missing else f"{name}: "
            self.plan.refused.append(
                f"{where}: {state}{_quote(printed)} is not a number written the Vietnamese way "
                "(1.688,0): not absorbed"
            )
            return
        display = data.loaded.display
        text = self.texts[display]
        line, col = place_of(data.loaded.document, path)
        offset = _offset(text, line, col)
        scalar = (_MISSING_VALUE if missing else _NUMBER).match(text, offset)
        if scalar is None:
            here = "!missing" if missing else "number"
            self.plan.refused.append(f"{display}:{line}:{col}: {name}: no {here} here to replace")
            return
        if missing:
            typed: str | None = (
                str(int(value)) if value == value.to_integral_value() else str(value)
            )
            how = "entered as"
        else:
            typed = typed_number(value, scalar.group(0), isinstance(old_value, int), printed)
            how = "printed"
        if typed is None:
            self.plan.refused.append(
                f"{where}: {name} is a whole number, now {_quote(printed)}: not absorbed"
            )
            return
        if typed == scalar.group(0):
            if shown is not None and not missing and printed.strip() != shown.strip():
                self._reformatted(name, data, path, shown, printed, where)
            return
        if name in self.plan.facts:  # a fact printed twice must be given one value
            if self.plan.facts[name] != typed:
                self.plan.refused.append(
                    f"{where}: {name} is printed {typed} here and {self.plan.facts[name]} "
                    "elsewhere: not absorbed"
                )
            return
        self.plan.facts[name] = typed
        # a comment after the value stays in its column: the spaces before it take up the change
        gap = re.match(r" +(?=#)", text[scalar.end() :])
        start, end = scalar.start(), scalar.end()
        if gap is not None and len(typed) != end - start:
            end += min(len(gap.group(0)) - 1, max(0, len(typed) - (end - start)))
            typed_text = typed + " " * max(0, (scalar.end() - start) - len(typed))
        else:
            typed_text = typed
        self.plan.edits.append(Edit(display, start, end, typed_text))
        self.plan.absorbed.append(
            f"{display}:{line}:{col}: {name}: {scalar.group(0)} → {typed} ({how} "
            f"{_quote(printed)} at {where})"
        )

    def _reformatted(
        self, name: str, data: Any, path: tuple[str, ...], shown: str, printed: str, where: str
    ) -> None:
        """Refuse a printed figure the reviewer retyped in another form of the same value:
        the figure is printed from its fact in the document's number format, so there is
        nothing to write, and the edit is named with where the figure and its fact are."""
        line, col = place_of(data.loaded.document, path)
        self.plan.refused.append(
            f"{where}: {name} ({data.loaded.display}:{line}:{col}): {_quote(shown.strip())} "
            f"retyped {_quote(printed.strip())}, the same value: a figure prints from its fact "
            f"in the document's number format ({_VI_FORMAT}), not as typed: not written; "
            "change the fact to change the figure"
        )

    def _cell(
        self,
        table: Table,
        row_count: int,
        r: int,
        cell_count: int,
        c: int,
        old: Paragraph,
        new: Paragraph,
        label: str | None = None,
    ) -> None:
        header = row_count - len(table.rows)
        column = c - (cell_count - len(table.columns))
        if label is None:
            named = self.table_names.get(id(table), _quote(table.heading or ""))
            label = f"appendix table {named}"
        change = f"{_quote(old.text)} → {_quote(new.text)}"
        if table.literal is not None:
            source = self._written_out(table)
            if source is None:
                self.plan.refused.append(
                    f"{label}: {change}: a written-out table (its `markdown:` in "
                    f"content/{APPENDICES_FILE}): not absorbed; edit it there"
                )
                return
            where = f"{self._place(source)}: {label}"  # its markdown in the declaration
            shape = (row_count, cell_count)
            self._markdown_cell(source, shape, (r, c), old, new, where, keep_widths=True)
            return
        if r < header:
            self._header(table, header, (r, c), old, new, label)
            return
        if column < 0:
            self.plan.refused.append(
                f"{label}, row {_quote(table.rows[r - header].label)}: {change}: a row's STT and "
                f"label come from content/{APPENDICES_FILE} (`stt:`, `label:`) or from the "
                "data its `at:` names (`name`): not absorbed; edit them there"
            )
            return
        row = table.rows[r - header]
        cell: Cell = row.cells[column]
        where = f"{label}, row {_quote(row.label)}, column {_quote(table.columns[column].label)}"
        if cell.stated is not None:
            percent = "%" in old.text
            self.set_fact(cell.stated.name, new.text, percent=percent, where=where, shown=old.text)
        elif cell.computed is not None:
            parts = _parts(table, r - header, column)
            comes = f": {'; '.join(parts)}" if parts else ""
            self.plan.refused.append(
                f"{where}: {_quote(old.text)} → {_quote(new.text)}: a computed figure "
                f"({cell.computed.how}{comes}): not written; change the facts it comes from"
            )
        else:
            self.plan.refused.append(f"{where}: {_quote(new.text)}: not absorbed")

    def _header(
        self,
        table: Table,
        rows: int,
        at: tuple[int, int],
        old: Paragraph,
        new: Paragraph,
        label: str,
    ) -> None:
        """A header cell of a computed table changed: write its text where the declaration
        gives it (`stt_header`, `label_header`, a column's `label`, a group's `group`, an
        item of `column_numbers`), when it prints as written there; or say why not."""
        display = f"content/{APPENDICES_FILE}"
        document = self.declaration.document
        placed = re.match(r"(\S+:\d+:\d+): (.*)$", label)  # a table the text places
        if placed is not None:
            label = f"{placed.group(2)} (placed at {placed.group(1)})"
        where = f"{label}: heading {_quote(old.text)} → {_quote(new.text)}"
        layout = header_layout(table)
        r, c = at
        if len(layout) != rows or c >= len(layout[r]) or display not in self.texts:
            self.plan.refused.append(
                f"{where}: the table's header rows do not read as its declaration's: not "
                f"absorbed; edit it in {display}"
            )
            return
        paths = [[_header_path(document, table, h) for h in line] for line in layout]
        path, why = paths[r][c]
        value = _node(document, path) if path is not None else None
        if path is None or not isinstance(value, str):
            self.plan.refused.append(f"{where}: {why}: not absorbed; edit it in {display}")
            return
        line, col = place_of(document, path)
        if header_text(value) != value and " ".join(header_text(value).split()) == old.text:
            self.plan.refused.append(
                f"{display}:{line}:{col}: {where}: its words are marked bold or italic in "
                f"{_quote(value.replace(chr(10), chr(92) + 'n'))}: not absorbed; edit it there"
            )
            return
        if " ".join(value.split()) != old.text:
            self.plan.refused.append(
                f"{display}:{line}:{col}: {where}: printed from {_quote(value)} (filled in "
                "for its values): not absorbed; edit it there"
            )
            return
        if sum(p == path for cells in paths for p, _ in cells) > 1:
            self.plan.refused.append(
                f"{display}:{line}:{col}: {where}: {_quote(value)} prints over each value of "
                "its `for`: not absorbed; edit it there"
            )
            return
        text = self.texts[display]
        # a line break the header prints (a "\n" of its text) stays where the reviewer's
        # copy still has it
        typed = "".join("\n" if k in new.breaks else ch for k, ch in enumerate(new.text))
        typed = typed.strip(" ")
        self.plan.edits.append(yaml_edit(display, text, document, path, typed)[0])
        self.plan.absorbed.append(
            f"{display}:{line}:{col}: {label}: heading {_quote(old.text)} → "
            f"{_quote(new.text.strip())}"
        )

    # --- metadata --------------------------------------------------------------------------
    def _metadata_lines(self, old: Paragraph, new: Paragraph, region: str) -> None:
        """Absorb a changed paragraph or cell of the masthead or closing line by line: each
        printed line (a signature's authority, position, name; a line of the agency's name)
        is a field of its own, so an edit is written into the field of the line it changed,
        and two lines changed are two fields changed."""
        before, after = old.lines, new.lines
        if len(before) != len(after):  # a line break typed or removed: the text as one
            self._metadata(old.text, new.text, region)
            return
        for line, edited in zip(before, after, strict=True):
            if line != edited:
                self._metadata(line, edited, region)

    def _printed_values(self, document: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
        """Yield the text values of data/document.yaml by their paths, and a value a flag
        prints (`confirmation: true`: the kind's heading), which an edit writes as text."""
        yield from _string_leaves(document, ())
        if isinstance(document, Mapping) and document.get("confirmation") is True:
            heading = self.sources.metadata.confirmation
            if heading:
                yield ("confirmation",), heading

    def _metadata(self, old: str, new: str, region: str) -> None:
        loaded = self.metadata_file
        changes = token_changes(old, new)
        candidates = []
        for path, value in self._printed_values(loaded.document):
            shown = " ".join(value.split())
            start = old.find(shown) if shown else -1
            while start >= 0:
                if all(start <= a1 and a2 <= start + len(shown) for a1, a2, _ in changes):
                    # a value that is the whole line first, then the shortest
                    candidates.append((shown != old.strip(), len(shown), start, path, shown))
                start = old.find(shown, start + 1)
        if not candidates:
            if self._number_or_date(old, new, region, changes):
                return
            self.plan.refused.append(
                f"{region}: {_quote(old[:80])} → {_quote(new[:80])}: not a value of "
                f"{loaded.display}: not absorbed (fixed text of templates/ is edited in Word)"
            )
            return
        _, _, start, path, shown = min(candidates)
        value = shown
        for a1, a2, replacement in sorted(changes, reverse=True):
            value = value[: a1 - start] + replacement + value[a2 - start :]
        value = value.strip()
        text = self.texts[loaded.display]
        edit, line, col = yaml_edit(loaded.display, text, loaded.document, path, value)
        self.plan.edits.append(edit)
        self.plan.absorbed.append(
            f"{loaded.display}:{line}:{col}: {'.'.join(str(p) for p in path)}: "
            f"{_quote(shown)} → {_quote(value)}"
        )

    def _number_or_date(
        self, old: str, new: str, region: str, changes: list[tuple[int, int, str]]
    ) -> bool:
        """Write a changed số or date of the masthead into `number` or `date`, where every
        change falls inside it; refuse one that cannot be written with the reason. Return
        False when the change is about neither."""
        loaded = self.metadata_file
        for key, pattern in (("number", _NUMBER_PRINTED), ("date", _DATE_PRINTED)):
            before, after = pattern.search(old), pattern.search(new)
            if before is None or not any(
                before.start(0) <= a2 and a1 <= before.end(0) for a1, a2, _ in changes
            ):
                continue
            if (
                after is None
                or not all(after.groups())
                or not all(before.start(0) <= a1 and a2 <= before.end(0) for a1, a2, _ in changes)
            ):
                self.plan.refused.append(
                    f"{region}: {_quote(before.group(0))} → {_quote(new[:80])}: the {key} of "
                    f"the document is `{key}` in {loaded.display}; change it there"
                )
                return True
            if key == "number":
                value = str(int(after.group(1)))
            else:
                day, month, year = (int(g) for g in after.groups())
                try:
                    value = dt.date(year, month, day).isoformat()
                except ValueError:
                    self.plan.refused.append(
                        f"{region}: {_quote(after.group(0))} is not a date: not absorbed"
                    )
                    return True
            if not hasattr(loaded.document, "get") or key not in loaded.document:
                self.plan.refused.append(
                    f"{region}: {_quote(before.group(0))} → {_quote(after.group(0))}: "
                    f"{loaded.display} has no `{key}` to change: add `{key}: {value}` there"
                )
                return True
            text = self.texts[loaded.display]
            line, col = place_of(loaded.document, (key,))
            offset = _offset(text, line, col)
            span = _scalar_span(text, offset)
            self.plan.edits.append(Edit(loaded.display, span[0], span[1], value))
            self.plan.absorbed.append(
                f"{loaded.display}:{line}:{col}: {key}: {text[span[0] : span[1]]} → {value} "
                f"(printed {_quote(after.group(0))})"
            )
            return True
        return False

    # --- comments and tracked changes ------------------------------------------------------
    def _comments(
        self,
        edited: WordFile,
        pairs: list[tuple[int | None, int | None]],
        notes: list[tuple[int | None, int | None]],
    ) -> None:
        anchors: dict[str, str] = {}
        base_of = {j: i for i, j in pairs if j is not None}
        for j, block in enumerate(edited.blocks):
            i = base_of.get(j)
            region = self.regions[i] if i is not None else "body"
            for paragraph in _paragraphs(block):
                for comment_id, at in paragraph.comments:
                    anchors.setdefault(comment_id, self._anchor(paragraph.text, at, region, i))
        note_base = {j: i for i, j in notes if j is not None}
        names = self.sources.narrative.footnotes
        for j, note in enumerate(edited.footnotes):
            i = note_base.get(j)
            for comment_id, at in note.comments:
                source = self.notes.get(names[i]) if i is not None and i < len(names) else None
                place = (
                    self._text_place(source, self.base.footnotes[i].text, note.text, at)
                    if source is not None and i is not None
                    else f"footnote {j + 1}"
                )
                anchors.setdefault(comment_id, f"{place}: footnote {j + 1}")
        for comment in edited.comments.values():
            place = anchors.get(comment.id, "(no anchor)")
            where, _, extra = place.partition(": ")
            on = f" on {extra}" if extra else ""
            date = comment.date[:10] if comment.date else "no date"
            self.plan.comments.append(
                f"{where}: comment ({comment.author or 'unknown'}, {date}){on}: "
                f"{' '.join(comment.text.split())}"
            )

    def _anchor(self, text: str, at: int, region: str, base_index: int | None) -> str:
        if region == "body" and base_index is not None:
            base = self.base.blocks[base_index].paragraph
            block = self.find_block(base.text) if base else None
            if block is not None and base is not None:
                return (
                    self._text_place(block, base.text, text, at) + f": {_quote(_around(text, at))}"
                )
        if region in ("masthead", "closing"):
            return f"{self.metadata_file.display}: {region} {_quote(_around(text, at))}"
        return f"{region}: {_quote(_around(text, at))}"

    def _text_place(self, block: SourceBlock, base_text: str, text: str, at: int) -> str:
        position = _aligner(text, base_text)(at, at)[0]
        r = _aligner(base_text, block.rendered)(position, position)[0]
        for segment in block.segments or []:
            if segment.start <= r <= segment.start + len(segment.text):
                offset = segment.source + (0 if segment.expression else r - segment.start)
                return self._place(block, offset)
        return self._place(block)

    def _revisions(
        self,
        edited: WordFile,
        pairs: list[tuple[int | None, int | None]],
        notes: list[tuple[int | None, int | None]],
    ) -> None:
        base_of = {j: i for i, j in pairs if j is not None}
        for j, block in enumerate(edited.blocks):
            i = base_of.get(j)
            if block.paragraph is not None:
                where = _quote(_around(block.paragraph.text, 0))
                if i is not None and self.regions[i] == "body":
                    base = self.base.blocks[i].paragraph
                    source = self.find_block(base.text) if base else None
                    where = self._place(source) if source else where
                elif i is not None:
                    where = f"{self.regions[i]}: {where}"
                for revision in block.paragraph.revisions:
                    self.plan.revisions.append(_revision_line(where, revision))
            for r, row in enumerate(block.rows or []):
                for c, cell in enumerate(row):
                    for revision in cell.revisions:
                        where = self._cell_place(i, block, r, c)
                        self.plan.revisions.append(_revision_line(where, revision))
        names = () if self.part else self.sources.narrative.footnotes
        note_base = {j: i for i, j in notes if j is not None}
        for j, note in enumerate(edited.footnotes):
            i = note_base.get(j)
            source = self.notes.get(names[i]) if i is not None and i < len(names) else None
            for revision in note.revisions:
                where = self._place(source) if source else f"footnote {j + 1}"
                self.plan.revisions.append(_revision_line(f"{where}: footnote {j + 1}", revision))

    def _cell_place(self, index: int | None, block: Block, r: int, c: int) -> str:
        """Return where a cell of a table is, for a message: an appendix table by its
        heading or appendix, with the cell's row and column; another table by its region
        and the cell's row and column, counted from 1; the cell's words besides."""
        rows = block.rows or []
        words = _quote(_around(rows[r][c].text, 0))
        region = self.regions[index] if index is not None else "a table added"
        if index in self.body_tables:  # a table of the text: where its row's Markdown is
            source = self.body_tables[index]
            at = _row_start(source, r, len(rows)) if source.segments is not None else None
            region = self._place(source, _source_at(source, at) if at is not None else None)
        table = self.tables.get(index) if index is not None else None
        if table is None:
            return f"{region}: table, row {r + 1}, column {c + 1}: {words}"
        name = f"appendix table {self.table_names.get(id(table), _quote(table.heading or ''))}"
        header = len(rows) - len(table.rows)
        if table.literal is not None or header < 0:  # written out, or rows added
            return f"{name}, row {r + 1}, column {c + 1}: {words}"
        if r < header:
            return f"{name}, heading {words}"
        # the cells before the figures: the STT and the row's label, or the label alone
        lead = len(rows[r]) - len(table.columns)
        if not 0 <= lead <= 2:
            return f"{name}, row {r + 1}, column {c + 1}: {words}"
        leading = (table.stt_header, table.label_header)[2 - lead :]
        column = leading[c] if c < lead else table.columns[c - lead].label
        label = table.rows[r - header].label
        return f"{name}, row {_quote(label)}, column {_quote(column)}: {words}"

    def _restyled(self, edited: WordFile) -> None:
        """List the tracked formatting changes: styles and layout come from templates/."""
        paragraphs = [p for block in edited.blocks for p in _paragraphs(block)]
        for paragraph in [*paragraphs, *edited.footnotes]:
            if paragraph.restyled:
                self.plan.refused.append(
                    f"a formatting change (tracked) in {_quote(_short(paragraph.text, 60))}: "
                    "styles and layout come from templates/ (edit them in Word there)"
                )

    def _place(self, block: SourceBlock, offset: int | None = None) -> str:
        line, col = line_col(self.texts[block.path], block.offset if offset is None else offset)
        return f"{block.path}:{line}:{col}"


@dataclass
class _GridColumn:
    """A column of a grid table whose cells are being written: how each edited line's own
    change makes it grow (and the spaces it puts back), and the edits that widen it."""

    lines: dict[int, tuple[int, int]] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)


class _Blocks:
    """The blocks of some source files that print paragraphs, found by the text printed."""

    def __init__(self, blocks: list[SourceBlock]) -> None:
        self.blocks = [b for b in blocks if not b.note and b.segments is not None]
        self._by_key = {_letters(b.rendered): b for b in reversed(self.blocks)}
        self._words = {id(b): set(b.rendered.lower().split()) for b in self.blocks}
        self._found: dict[str, SourceBlock | None] = {}

    def find(self, text: str) -> SourceBlock | None:
        """Return the block whose rendering reads as text, or None."""
        if text not in self._found:
            self._found[text] = self._find(text)
        return self._found[text]

    def _find(self, text: str) -> SourceBlock | None:
        key = _letters(text)
        if key in self._by_key:
            return self._by_key[key]
        words = set(text.lower().split())
        if not words:
            return None
        # The few blocks sharing most words with the text, then the closest of them.
        shared = sorted(
            self.blocks,
            key=lambda b: -len(words & self._words[id(b)]) / len(words | self._words[id(b)]),
        )[:3]
        best, best_ratio = None, 0.0
        for block in shared:
            rendered = _letters(block.rendered)
            matcher = SequenceMatcher(None, key, rendered, autojunk=False)
            if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = block, ratio
        return best if best_ratio >= 0.75 else None


# --------------------------------------------------------------------------- tables of the text

_TABLE_CALL = re.compile(r"^\{\{\s*table\(\s*(['\"])(.+?)\1\s*\)\s*\}\}$")
_PIPE_RULE = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$")


def table_kind(block: SourceBlock) -> str | None:
    """Return how a block of a content file writes a table: "pipe" (a Markdown pipe table),
    "grid" (a grid table), "call" (a computed table placed by {{ table('name') }}); None
    for a block that is no table."""
    lines = block.text.split("\n")
    if _TABLE_CALL.match(block.text.strip()):
        return "call"
    if lines[0].startswith(("+-", "+:")):  # colons: the columns' alignment
        return "grid"
    if lines[0].startswith("|") and len(lines) > 1 and _PIPE_RULE.match(lines[1].strip()):
        return "pipe"
    return None


def pipe_cell(source: SourceBlock, r: int, c: int, rows: int, cells: int) -> SourceBlock | None:
    """Return the cell (row r, column c) of a pipe table as a block of its own, its segments
    those of the table cut to the cell's text; None when the table's lines do not make the
    rows and cells the document has (or an expression crosses the cell's edge)."""
    table = _table_rows(source)
    if len(table) != rows:
        return None
    ((at, line),) = table[r]
    spans = _pipe_spans(line)
    if len(spans) != cells:
        return None
    return _cut(source, at + spans[c][0], at + spans[c][1])


@dataclass(frozen=True)
class _GridRow:
    """The lines of a grid table's row (where each starts in the rendering, its text), and
    the columns one cell's left and right edges are printed at on them (in the characters
    pandoc counts: a line holding a wide character or a combining mark has them elsewhere
    among its characters)."""

    lines: list[tuple[int, str]]
    left: int
    right: int

    def span(self, line: str) -> tuple[int, int]:
        """Return where the cell's two edges are among a line's characters."""
        left, right = index_at(line, self.left), index_at(line, self.right)
        assert left is not None and right is not None  # grid_region found them there
        return left, right


def grid_region(source: SourceBlock, r: int, c: int, rows: int, cells: int) -> _GridRow | str:
    """Return the lines of the row r of a grid table and the edges of its cell c; or why
    the table does not read as the document's rows and cells."""
    edges = _edges(source)
    regions = _table_rows(source)
    if len(regions) != rows:
        return "the grid table's rows do not read as the document's"
    at, line = regions[r][0]
    bars = [k for k in edges if char_at(line, k) == "|"]
    if len(bars) - 1 != cells:
        return "the grid table's cells do not read as the document's"
    left, right = bars[c], bars[c + 1]
    if any(char_at(x, left) != "|" or char_at(x, right) != "|" for _, x in regions[r]):
        return "the lines of the cell's row do not all draw its edges"
    return _GridRow(regions[r], left, right)


def grid_cell(
    source: SourceBlock, r: int, c: int, rows: int, cells: int
) -> tuple[SourceBlock, int, int] | _GridRow | str:
    """Return the cell (row r, column c) of a grid table written on one line as a block of
    its own, where its right edge is in the table's rendering and how many spaces come
    before it; the row's lines, for a cell written over several; or why the cell cannot
    be written."""
    region = grid_region(source, r, c, rows, cells)
    if isinstance(region, str) or len(region.lines) > 1:
        return region
    (at, line) = region.lines[0]
    left, right = region.span(line)
    a, b = left + 1, right
    while a < b and line[a] == " ":
        a += 1
    while b > a and line[b - 1] == " ":
        b -= 1
    if a == b:
        a = b = min(left + 2, right)  # an empty cell: typed after its first space
    cell = _cut(source, at + a, at + b)
    if cell is None:
        return "an expression crosses the cell's edge"
    return cell, at + right, right - b


def _rule(line: str, edges: list[int]) -> bool:
    """Return True for a rule of a grid table: across it, or (under a cell that goes on
    into the next row) across some of its columns: a "+" at an edge, "-" or "=" after (or
    a colon, a column's alignment, then "-" or "=")."""
    return any(char_at(line, k) == "+" and char_at(line, k + 1) in ("-", "=", ":") for k in edges)


def grid_widening(source: SourceBlock, column: int, widths: Mapping[int, int]) -> list[Edit] | None:
    """Return the edits that widen a grid table's column, on each line of the table by the
    characters widths gives for it (by where the line starts in the rendering): a "-" or
    "=" before the column's right edge on a rule, a space before it on a row; None when a
    line to widen has no edge there (a merged cell crosses it)."""
    edits = []
    for at, line in _lines(source.rendered):
        width = widths.get(at, 0)
        if not width or not line.startswith(("+", "|")):
            continue
        index = index_at(line, column)
        if index is None or index >= len(line) or line[index] not in "+|":
            return None
        if line[index - 1] == ":":  # the column's alignment: widened before its colon
            index -= 1
        place = _source_at(source, at + index)
        if place is None:
            return None
        fill = line[index - 1] if line[index - 1] in "-=" else " "
        edits.append(Edit(source.path, place, place, fill * width))
    return edits


def _row_start(source: SourceBlock, r: int, rows: int) -> int | None:
    """Return where the row r of a Markdown table (pipe or grid) starts in its rendering,
    when its lines make the document's rows; else None."""
    table = _table_rows(source)
    return table[r][0][0] if len(table) == rows and r < rows else None


def _edges(source: SourceBlock) -> list[int]:
    """Return where a grid table's columns meet, from its top rule."""
    top = next((line for _, line in _lines(source.rendered) if line.startswith("+")), "")
    return [k for k, ch in enumerate(top) if ch == "+"]


def _table_rows(source: SourceBlock) -> list[list[tuple[int, str]]]:
    """Return the rows of a Markdown table as the document has them, each its lines (with
    where they start in the rendering): a pipe table's lines but its rule (and a header of
    empty cells, which pandoc leaves out); a grid table's lines between its rules, full or
    partial (under a cell that goes on into the next row)."""
    lines = _lines(source.rendered)
    if table_kind(source) == "grid":
        edges = _edges(source)
        regions: list[list[tuple[int, str]]] = []
        current: list[tuple[int, str]] | None = None
        for at, line in lines:
            if not line.startswith(("+", "|")) or _rule(line, edges):
                current = None
                continue
            if current is None:
                current = []
                regions.append(current)
            current.append((at, line))
        return regions
    found = [(at, line) for at, line in lines if line.lstrip().startswith("|")]
    header, body = found[:1], [x for x in found[1:] if not _PIPE_RULE.match(x[1].strip())]
    if header and not any(header[0][1][a:b] for a, b in _pipe_spans(header[0][1])):
        header = []  # a header row of empty cells: pandoc writes none
    return [[row] for row in header + body]


def _lines(text: str) -> list[tuple[int, str]]:
    """Return each line of a text with the offset it starts at."""
    lines, start = [], 0
    for line in text.split("\n"):
        lines.append((start, line))
        start += len(line) + 1
    return lines


def _cut(source: SourceBlock, a: int, b: int) -> SourceBlock | None:
    """Return the characters a:b of a block's rendering as a block of their own, its
    segments those of the block cut there; None when an expression crosses an edge."""
    segments = []
    for s in source.segments or []:
        end = s.start + len(s.text)
        if end <= a or s.start >= b:
            continue
        if s.expression:
            if s.start < a or end > b:
                return None
            segments.append(Segment(s.start - a, s.text, s.source, s.expression))
        else:
            lo, hi = max(a, s.start), min(b, end)
            segments.append(
                Segment(lo - a, s.text[lo - s.start : hi - s.start], s.source + lo - s.start)
            )
    if not segments:  # an empty cell: what is typed there goes where its text would be
        at = _source_at(source, a)
        if at is None:
            return None
        segments.append(Segment(0, "", at))
    first, last = segments[0], segments[-1]
    end = last.source + len(last.expression or last.text)
    text = source.text[first.source - source.offset : end - source.offset]
    return SourceBlock(source.path, first.source, text, segments=segments)


def _source_at(source: SourceBlock, at: int) -> int | None:
    """Return the offset in the file of a place in a block's rendering, in literal text."""
    literal = next(
        (
            s
            for s in source.segments or []
            if not s.expression and s.start <= at <= s.start + len(s.text)
        ),
        None,
    )
    return None if literal is None else literal.source + at - literal.start


def _pipe_spans(line: str) -> list[tuple[int, int]]:
    """Return where each cell's text starts and ends in a line of a pipe table, its spaces
    around left out ("\\|" is a bar in a cell); an empty cell's place is after one space."""
    bars = [k for k, ch in enumerate(line) if ch == "|" and (k == 0 or line[k - 1] != "\\")]
    body = line.rstrip()
    edges = ([] if line.lstrip().startswith("|") else [-1]) + bars
    if not bars or bars[-1] != len(body) - 1:
        edges.append(len(body))  # no bar closes the last cell
    spans = []
    for left, right in zip(edges, edges[1:], strict=False):
        a, b = left + 1, right
        while a < b and line[a] == " ":
            a += 1
        while b > a and line[b - 1] == " ":
            b -= 1
        if a == b:
            a = b = min(left + 2, right)
        spans.append((a, b))
    return spans


def _escape_cell(text: str) -> str:
    return _escape(text).replace("|", "\\|")


# --------------------------------------------------------------------------- the proof


def misprinted(
    plan: Plan,
    base: WordFile,
    edited: WordFile,
    rebuilt: WordFile,
    written: Callable[[Edit], bool],
) -> list[tuple[Origin, str]]:
    """Return the paragraphs whose written edits (the words, not the facts: those were left
    out of the rebuilt document) do not print what the reviewer wrote, each with a reason."""
    blocks = {
        j: k
        for j, k in _pairs([b.key for b in edited.blocks], [b.key for b in rebuilt.blocks])
        if j is not None
    }
    notes = {
        j: k
        for j, k in _pairs([n.text for n in edited.footnotes], [n.text for n in rebuilt.footnotes])
        if j is not None
    }
    wrong = []
    for origin in plan.origins:
        if not any(written(e) for e in origin.edits):
            continue
        if origin.kind == "block":
            new = edited.blocks[origin.edited].key
            k = blocks.get(origin.edited)
            got = rebuilt.blocks[k].key if k is not None else None
            if got == new and k is not None:
                kind = _kind_changed(edited.blocks[origin.edited], rebuilt.blocks[k])
                if kind:
                    wrong.append(
                        (
                            origin,
                            f"with this edit the source would print {kind}: not "
                            "written; edit the source",
                        )
                    )
                    continue
                wanted = _placed_marks(edited.blocks[origin.edited])
                if wanted != _placed_marks(rebuilt.blocks[k]):
                    wrong.append(
                        (
                            origin,
                            "with this edit the source would print a footnote's mark at another "
                            "place than the reviewer's: not written; edit the source",
                        )
                    )
                    continue
            old = base.blocks[origin.base].key if origin.base is not None else None
        else:
            new = edited.footnotes[origin.edited].text
            k = notes.get(origin.edited)
            got = rebuilt.footnotes[k].text if k is not None else None
            old = base.footnotes[origin.base].text if origin.base is not None else None
        if got == new:
            continue
        if got is not None and old is not None and got != old:
            made = token_changes(old, got)
            if all(change in token_changes(old, new) for change in made):
                continue  # what is left is refused or a figure, written to its fact
        shown = _excerpt(new, got).replace("\x00", " | ") if got is not None else ""
        printed = f" the source would print {_quote(shown)}" if shown else ""
        wrong.append(
            (
                origin,
                f"with this edit{printed}, not what the reviewer wrote: not written; "
                "edit the source",
            )
        )
    return wrong


_PLACE = re.compile(r"^(.+?):(\d+):(\d+): ")


def in_source_order(lines: list[str], printed: Sequence[str]) -> list[str]:
    """Return the lines that begin with a place (file:line:col) file by file, each file's in
    the order of its lines; the files in the order the lines first name them, those the
    document prints as its text (printed: the content files, then the appendices' own
    texts) in that order among themselves. A line without a place keeps its rank after."""
    places = [_PLACE.match(line) for line in lines]
    named = list(dict.fromkeys(m.group(1) for m in places if m))
    texts = iter([f for f in printed if f in named])
    rank = {f: k for k, f in enumerate(next(texts) if f in printed else f for f in named)}

    def key(item: tuple[int, str]) -> tuple[int, int, int, int]:
        k, _ = item
        m = places[k]
        if m is None:
            return (len(rank), 0, 0, k)
        return (rank[m.group(1)], int(m.group(2)), int(m.group(3)), k)

    return [line for _, line in sorted(enumerate(lines), key=key)]


def _kind_changed(edited: Block, rebuilt: Block) -> str:
    """Return how a paragraph the sources would print is another kind of block than the
    reviewer's (a heading printed as text, text as a heading, another level), or ""."""
    want = edited.paragraph.level if edited.paragraph is not None else None
    got = rebuilt.paragraph.level if rebuilt.paragraph is not None else None
    if want == got:
        return ""

    def kind(level: int | None) -> str:
        return "a paragraph of text" if level is None else f"a heading of level {level + 1}"

    text = _quote(_short(edited.paragraph.text if edited.paragraph else edited.key, 60))
    return f"{text} as {kind(got)}, not as {kind(want)} as the reviewer has it"


# --------------------------------------------------------------------------- helpers


def _emptied(old: Block, new: Block) -> bool:
    """Return True when a paragraph with words reads empty in the edited document: every word
    deleted, its mark kept (Word leaves an empty paragraph)."""
    if old.paragraph is None or new.paragraph is None:
        return False
    return bool(old.paragraph.text.strip()) and not new.paragraph.text.strip()


def _block_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the span to cut so that the block text[start:end] goes as if never written:
    its lines, and the blank line that parted it from the next block (from the one before,
    for the last block of the file); a blank line after a list item it ended stays, as it
    parts the list from what follows."""
    end = _line_end(text, end)
    before = text[:start]
    if before.strip("\r\n") and not before.endswith(("\n\n", "\n\r\n")):
        return start, end  # a list item after another: the lines around stay as they are
    while end < len(text) and text[end] in "\r\n":
        end += 1
    if end == len(text) and before.strip("\r\n"):
        while text[start - 1] in "\r\n":
            start -= 1
        start = _line_end(text, start)
    return start, end


def _line_end(text: str, at: int) -> int:
    """Return the offset after the line break at `at` (at itself when there is none)."""
    if text.startswith("\r\n", at):
        return at + 2
    return at + 1 if text.startswith("\n", at) else at


def _revision_line(where: str, revision: Any) -> str:
    kind = "inserted" if revision.kind == "ins" else "deleted"
    date = revision.date[:10] if revision.date else "no date"
    author = revision.author or "unknown"
    return f"{where}: tracked change ({author}, {date}): {kind} {_quote(revision.text)}"


def _parts(table: Table, index: int, column: int) -> list[str]:
    """Return what a computed cell of a total or group row adds up: facts, or rows."""
    row = table.rows[index]
    if table.columns[column].computed:
        return []
    if row.total:
        rows = [r for r in table.rows if not r.total and r.depth == 0]
    else:
        rows = []
        for other in table.rows[index + 1 :]:
            if other.depth <= row.depth:
                break
            if other.depth == row.depth + 1:
                rows.append(other)
    found = []
    for other in rows:
        cell = other.cells[column]
        if cell.stated is not None:
            found.append(f"{cell.stated.name} = {cell.text}")
        elif cell.text:
            found.append(f"{_quote(other.label)} {cell.text}")
    return found


def _marks(old: Block, new: Block) -> tuple[list[int], list[int]]:
    """Return where the footnote marks are in two paragraphs' texts, in order."""
    return _note_marks(old.paragraph or Paragraph(""), new.paragraph or Paragraph(""))


def _note_marks(old: Paragraph, new: Paragraph) -> tuple[list[int], list[int]]:
    """Return where the footnote marks are in two texts (paragraphs, cells), in order."""
    return [offset for _, offset in old.notes], [offset for _, offset in new.notes]


def _placed_marks(block: Block) -> list[tuple[int, int]]:
    """Return where a paragraph's or a table's footnote marks are: (cell, offset) each, the
    cells counted across the rows (a paragraph is one cell)."""
    cells = [block.paragraph] if block.paragraph else [c for row in block.rows or [] for c in row]
    return [(k, at) for k, cell in enumerate(cells) for _, at in cell.notes]


def _paragraphs(block: Block) -> Iterator[Paragraph]:
    if block.paragraph is not None:
        yield block.paragraph
    for row in block.rows or []:
        yield from row


def _pairs(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Pair old and new items by sequence alignment; unpaired ones with None. Where some
    items were replaced by others, each is paired with the one it reads most like, in order
    (a paragraph deleted before one edited: the edited one is paired with its old text)."""
    pairs: list[tuple[int | None, int | None]] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += zip(range(i1, i2), range(j1, j2), strict=True)
        elif tag == "replace":
            pairs += _closest(old, new, (i1, i2), (j1, j2))
        else:
            pairs += [(i, None) for i in range(i1, i2)]
            pairs += [(None, j) for j in range(j1, j2)]
    return pairs


_ALIGNED_AT_MOST = 400  # replaced items compared each with each; more are paired in order


def _closest(
    old: list[str], new: list[str], a: tuple[int, int], b: tuple[int, int]
) -> list[tuple[int | None, int | None]]:
    """Pair the items old[a] replaced by new[b], in order, the pairs chosen to read most
    alike (the sum of their likeness is the greatest: an alignment, pairs in place first
    where it is as great); the others unpaired."""
    (i1, i2), (j1, j2) = a, b
    n, m = i2 - i1, j2 - j1
    if n * m > _ALIGNED_AT_MOST:
        paired = min(n, m)
        return (
            [(i1 + k, j1 + k) for k in range(paired)]
            + [(i, None) for i in range(i1 + paired, i2)]
            + [(None, j) for j in range(j1 + paired, j2)]
        )
    like = [
        [SequenceMatcher(None, old[i1 + x], new[j1 + y], autojunk=False).ratio() for y in range(m)]
        for x in range(n)
    ]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for x in range(n - 1, -1, -1):
        for y in range(m - 1, -1, -1):
            best[x][y] = max(like[x][y] + best[x + 1][y + 1], best[x + 1][y], best[x][y + 1])
    found: list[tuple[int | None, int | None]] = []
    x = y = 0
    while x < n and y < m:
        if best[x][y] == like[x][y] + best[x + 1][y + 1]:
            found.append((i1 + x, j1 + y))
            x, y = x + 1, y + 1
        elif best[x][y] == best[x + 1][y]:
            found.append((i1 + x, None))
            x += 1
        else:
            found.append((None, j1 + y))
            y += 1
    found += [(i1 + k, None) for k in range(x, n)] + [(None, j1 + k) for k in range(y, m)]
    return found


def token_changes(old: str, new: str) -> list[tuple[int, int, str]]:
    """Return the word-level changes old → new as (start, end in old, replacement)."""
    a = [m.group(0) for m in TOKEN.finditer(old)]
    b = [m.group(0) for m in TOKEN.finditer(new)]
    starts = [0]
    for token in a:
        starts.append(starts[-1] + len(token))
    changes = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changes.append((starts[i1], starts[i2], "".join(b[j1:j2])))
    return changes


def _aligner(a: str, b: str) -> Callable[[int, int], tuple[int, int]]:
    """Return a map of ranges of a to ranges of b, through the characters they share."""
    matched: dict[int, int] = {}
    for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            matched[block.a + k] = block.b + k

    def start(i: int) -> int:
        if i in matched:
            return matched[i]
        k = i - 1
        while k >= 0 and k not in matched:
            k -= 1
        return matched[k] + 1 if k >= 0 else 0

    def end(i: int) -> int:
        if i - 1 in matched:
            return matched[i - 1] + 1
        return start(i)

    return lambda i1, i2: (start(i1), end(i2) if i2 > i1 else start(i1))


# How the document prints a figure (numbers.py): the Vietnamese way.
_VI_FORMAT = "1.688,5: a dot between thousands, a comma before the decimals"
# A figure written another common way: "2,532.5", "2532.5", "2 532,5" (spaces, no-break
# spaces or thin spaces between thousands).
_OTHER_NUMBERS = (
    (re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$"), ",", "."),
    (re.compile(r"^[-−]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?$"), " \u00a0\u202f", ".,"),
)


def other_readings(text: str, percent: bool) -> list[Decimal]:
    """Return the numbers a figure typed other than the Vietnamese way can mean ("2,532.5",
    "2532.5", "2 532,5"): what a reviewer who retyped a figure may have meant by it."""
    text = text.strip()
    if percent or text.endswith("%"):
        text = text.rstrip("%").strip()
    found = []
    for pattern, groups, decimal in _OTHER_NUMBERS:
        if pattern.match(text):
            digits = "".join(ch for ch in text if ch not in groups)
            digits = "".join("." if ch in decimal else ch for ch in digits)
            try:
                found.append(Decimal(digits.replace("−", "-")))
            except InvalidOperation:
                continue
    return found


def parse_printed(text: str, percent: bool) -> Decimal | None:
    """Return the number a Vietnamese figure ("1.688,0", "18,91%") writes, or None."""
    text = text.strip()
    if percent or text.endswith("%"):
        text = text.rstrip("%").strip()
    if not _VI_NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace("−", "-").replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None


# The number a heading or an item of a text prints before its words ("Điều 1.", "Chương I").
_NUMBERED = re.compile(r"^(?:Điều \d+\.|Chương [IVXLC]+|Mục \d+|Phần [IVXLC]+|\d+\.|[a-zđ]\))\s*")

# The số and the date as the masthead prints them ("Số: 05/BC-UBND", "ngày 06 tháng 3 năm 2026").
# A draft's are blank ("Số:      /BC-UBND", "ngày      tháng      năm 2024").
_NUMBER_PRINTED = re.compile(r"Số:\s*(\d*)\s*/")
_DATE_PRINTED = re.compile(r"ngày\s*(\d{0,2})\s+tháng\s*(\d{0,2})\s+năm\s+(\d{4})")

# A `!missing` value as typed: the tag and its note (a quoted or a plain scalar on its line).
_MISSING_VALUE = re.compile(
    r"!missing(?:[ \t]+(?:\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\n]|'')*'|[^\n#]*[^\s#]))?"
)


def _visible(markdown: str) -> str:
    """Return the text a highlighted span of Markdown shows ("[\\5%]{.mark}" → "5%")."""
    if markdown.startswith("[") and markdown.endswith("]{.mark}"):
        markdown = markdown[1 : -len("]{.mark}")]
    return re.sub(r"\\(.)", r"\1", markdown).replace("\\", "")


def typed_number(value: Decimal, old: str, whole: bool, printed: str = "") -> str | None:
    """Write value as the YAML number it replaces is typed: its decimals at least; a whole
    number with the leading zeros it was typed with in the data or in the document ("02")."""
    if whole:
        if value != value.to_integral_value():
            return None
        digits = str(int(value))
        if value >= 0 and (old.startswith("0") or printed.strip().startswith("0")):
            return digits.zfill(max(len(old) if old.startswith("0") else 0, len(printed.strip())))
        return digits
    decimals = len(old.partition(".")[2])
    shown = max(decimals, -int(value.as_tuple().exponent))
    return f"{value:.{shown}f}"


def _header_path(
    document: Any, table: Table, cell: HeaderCell
) -> tuple[tuple[Any, ...] | None, str]:
    """Return the place in the declaration of the text a header cell prints, or None and why
    it has none there."""
    kind = cell.origin[0] if cell.origin else None
    source = table.source or ()
    if kind == "stt":
        path: tuple[Any, ...] = (*source, "stt_header")
        return path, "the STT column's header is “STT” unless the table gives `stt_header:`"
    if kind == "label":
        return (*source, "label_header"), "no `label_header:` gives it"
    if kind == "number":
        why = "the row of column numbers is counted unless `column_numbers:` lists it"
        return (*source, "column_numbers", cell.origin[1]), why
    column = table.columns[int(cell.origin[1])] if kind in ("column", "group") else None
    if column is None or column.source is None:
        return None, "a merged cell's continuation"
    if kind == "column":
        return (*column.source, "label"), "the schema's label of its facts (no `label:`)"
    groups, node = [], document  # the groups over the column, outermost first
    for depth, step in enumerate(column.source):
        node = node[step]
        if isinstance(node, Mapping) and "group" in node and depth + 1 < len(column.source):
            groups.append((*column.source[: depth + 1], "group"))
    level = int(cell.origin[2])
    return (groups[level] if level < len(groups) else None), "a group with no `group:` text"


def _node(document: Any, path: tuple[Any, ...]) -> Any:
    """Return the value at path in a YAML document, or None where it has none."""
    node = document
    for step in path:
        if isinstance(node, Mapping) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            return None
    return node


def yaml_edit(
    display: str, text: str, document: Any, path: tuple[Any, ...], value: str
) -> tuple[Edit, int, int]:
    """Return the edit that writes the string value over the scalar at path of a YAML file
    (a block or a flow collection's item, its style kept where the value allows), and the
    scalar's line and column."""
    line, col = place_of(document, path)
    flow = text[_offset(text, *place_of(document, path[:-1])) :][:1] in ("{", "[")
    span = _scalar_span(text, _offset(text, line, col), flow)
    return Edit(display, span[0], span[1], _yaml_string(text, span, value, flow)), line, col


def _offset(text: str, line: int, col: int) -> int:
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[: line - 1]) + col - 1


def _scalar_span(text: str, offset: int, flow: bool = False) -> tuple[int, int]:
    """Return the span of the YAML scalar starting at offset (plain, quoted or a block; in
    a flow collection, flow: a plain one ends at its "," or closing bracket)."""
    char = text[offset : offset + 1]
    if char in ("'", '"'):
        k = offset + 1
        while k < len(text):
            if text[k] == "\\" and char == '"':
                k += 2
                continue
            if text[k] == char:
                if char == "'" and text[k + 1 : k + 2] == "'":
                    k += 2
                    continue
                return offset, k + 1
            k += 1
        return offset, len(text)
    if char in (">", "|"):
        line_end = text.find("\n", offset)
        line_start = text.rfind("\n", 0, offset) + 1
        indent = len(text[line_start:offset]) - len(text[line_start:offset].lstrip(" "))
        k = line_end + 1
        while k < len(text):
            nxt = text.find("\n", k)
            nxt = len(text) if nxt < 0 else nxt
            line = text[k:nxt]
            if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
                break
            k = nxt + 1
        return offset, max(line_end, k - 1)
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    value = text[offset:line_end]
    comment = value.find(" #")
    if comment >= 0:
        value = value[:comment]
    if flow:
        value = re.split(r"[,\]}]", value, maxsplit=1)[0]
    return offset, offset + len(value.rstrip())


def _yaml_string(text: str, span: tuple[int, int], value: str, flow: bool = False) -> str:
    old = text[span[0] : span[1]]
    if old[:1] in (">", "|"):
        header, _, body = old.partition("\n")
        indent = body[: len(body) - len(body.lstrip(" "))]
        if "\n" in value and old[:1] == ">":
            return json.dumps(value, ensure_ascii=False)  # folded, a line break would go
        if old[:1] == ">" and "  " not in value:
            # folded: the lines join with a space, so the new text wraps as the old one did
            width = max(40, *(len(line) for line in body.split("\n")))
            return f"{header}\n" + "\n".join(_wrapped(value, indent, width))
        return f"{header}\n{indent}" + value.replace("\n", "\n" + indent)
    if old[:1] in ('"', "'") or not _plain_safe(value) or (flow and re.search(r"[,\[\]{}]", value)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _wrapped(value: str, indent: str, width: int) -> list[str]:
    """Return value's words in lines of at most width characters, each begun with indent,
    a longer word alone."""
    return [indent + line for line in wrap_lines(value.split(" "), width - printed_width(indent))]


def _plain_safe(value: str) -> bool:
    return (
        bool(value)
        and value == value.strip()
        and "\n" not in value
        and value[0] not in "-?:,[]{}#&*!|>'\"%@`"
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
    )


def _string_leaves(node: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _string_leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _string_leaves(value, (*path, index))
    elif isinstance(node, str):
        yield path, node


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", re.sub(r"\[\^[^\]]*\]", "", text)).lower()


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(text: str) -> str:
    return f"“{text}”"


def _around(text: str, at: int) -> str:
    return text[at : at + 40].strip() or text[max(0, at - 40) : at].strip()


def _excerpt(old: str, new: str) -> str:
    changes = token_changes(old, new)
    if not changes:
        return ""
    a1, a2 = changes[0][0], changes[-1][1]
    b1 = a1
    b2 = len(new) - (len(old) - a2)
    left, right = old[max(0, a1 - 25) : a1], old[a2 : a2 + 25]
    removed = f"[-{old[a1:a2]}-]" if a2 > a1 else ""
    added = f"{{+{new[b1:b2]}+}}" if b2 > b1 else ""
    return f"…{left}{removed}{added}{right}…"
