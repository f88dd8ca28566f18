"""The appendix cells that changed between two drafts, by appendix, table, row and column."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from ..appendix import Appendices
from ..appendix.literal import LiteralCell, LiteralTable, placed
from ..classes import dataclass


@dataclass(frozen=True)
class CellChange:
    """One appendix cell that prints something else: where, old and new, and its source."""

    appendix: str  # "Phụ lục 04"
    table: str  # the table's heading, or ""
    row: str
    column: str
    old: str
    new: str
    fact: str | None = None  # the fact it prints, or None for a computed cell
    computed: str | None = None  # how the table computes it

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "appendix": self.appendix,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "old": self.old,
            "new": self.new,
        }
        if self.fact:
            data["fact"] = self.fact
        if self.computed:
            data["computed"] = self.computed
        return data


def cell_changes(a: Appendices, b: Appendices) -> Iterator[CellChange]:
    """Yield the cells of B's appendices whose printed text differs from A's same cell.

    Appendices are matched by name, tables by position, rows by STT and label, columns by key;
    a row or column only one side has is shown with an empty other side."""
    a_items = {item.name: item for item in a.items}
    for item in b.items:
        old_item = a_items.get(item.name)
        for index, table in enumerate(item.tables):
            old_table = (
                old_item.tables[index] if old_item and index < len(old_item.tables) else None
            )
            if table.literal is not None:
                old_literal = old_table.literal if old_table is not None else None
                yield from _literal_changes(
                    item.heading, table.heading or "", old_literal, table.literal
                )
                continue
            old_rows: dict[tuple[str, str, int], dict[Any, Any]] = {}
            if old_table is not None:
                old_keys = _column_keys(old_table.columns)
                for key, r in _keyed(old_table.rows):
                    old_rows[key] = dict(zip(old_keys, r.cells, strict=False))
            for key, row in _keyed(table.rows):
                old_cells = old_rows.get(key, {})
                keys = _column_keys(table.columns)
                for column, ckey, cell in zip(table.columns, keys, row.cells, strict=False):
                    old = old_cells.get(ckey)
                    old_text = old.text if old is not None else ""
                    if old_text == cell.text:
                        continue
                    label = f"{column.group} — {column.label}" if column.group else column.label
                    yield CellChange(
                        item.heading,
                        table.heading or "",
                        row.label,
                        label,
                        old_text,
                        cell.text,
                        cell.stated.name if cell.stated else None,
                        _how(cell.computed.how) if cell.computed and not cell.stated else None,
                    )


def _keyed(rows: Any) -> Iterator[tuple[tuple[str, str, int], Any]]:
    """Key each row by STT, label and how many rows before it had both (labels repeat)."""
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        base = (row.stt, row.label)
        seen[base] = seen.get(base, 0) + 1
        yield (*base, seen[base]), row


def _how(how: str) -> str:
    """Return how a cell is computed as a phrase that stands alone."""
    for ending, replacement in ((" add up to", " added up"), (" gives", "")):
        if how.endswith(ending):
            return how[: -len(ending)] + replacement
    return how


def _column_keys(columns: Any) -> list[tuple[str | None, str, str, int]]:
    """Key each column by group, label, key and occurrence (keys repeat across groups)."""
    seen: dict[tuple[str | None, str, str], int] = {}
    found = []
    for column in columns:
        base = (column.group, column.label, column.key)
        seen[base] = seen.get(base, 0) + 1
        found.append((*base, seen[base]))
    return found


def _grid(rows: tuple[tuple[LiteralCell, ...], ...], columns: int) -> list[list[tuple[str, bool]]]:
    """Return a written-out table's rows as grid positions, each the text of the cell that
    covers it and whether that cell starts there (a merged cell covers several)."""
    grid: list[list[tuple[str, bool] | None]] = [[None] * columns for _ in rows]
    for r, row in enumerate(placed(rows)):
        for c, cell in row:
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if r + dr < len(rows) and c + dc < columns:
                        grid[r + dr][c + dc] = (cell.text, not dr and not dc)
    return [[place or ("", True) for place in row] for row in grid]


def _column_labels(table: LiteralTable) -> list[str]:
    """Return each grid column's header as the message names it: its lowest header cell,
    after the one over it where that differs ("Kết quả thống kê — Số liệu")."""
    header = _grid(table.header, table.columns)
    labels = []
    for c in range(table.columns):
        texts: list[str] = []
        for row in header:
            text = row[c][0]
            if text and (not texts or texts[-1] != text):
                texts.append(text)
        label = " — ".join(texts[-2:]) if texts else f"column {c + 1}"
        labels.append(" ".join(label.split()))
    return labels


def _literal_changes(
    appendix: str, heading: str, old: LiteralTable | None, new: LiteralTable
) -> Iterator[CellChange]:
    """Yield the cells of a table written out in Markdown whose text changed: columns by
    position, rows by position when both sides have as many, else paired by their texts (a
    row added shows with an empty other side)."""
    new_grid = _grid(new.body, new.columns)
    labels = _column_labels(new)
    if old is not None and old.columns == new.columns:  # the header, place by place
        old_header = _grid(old.header, old.columns)
        for r, cells in enumerate(_grid(new.header, new.columns)):
            for c, (text, starts) in enumerate(cells):
                was = old_header[r][c] if r < len(old_header) else ("", True)
                if starts and (was[0] if was[1] else "") != text:
                    yield CellChange(appendix, heading, "header", f"column {c + 1}", was[0], text)
    same_columns = old is not None and old.columns == new.columns
    old_grid = _grid(old.body, old.columns) if old is not None and same_columns else []
    paired: dict[int, list[tuple[str, bool]]] = {}
    if len(old_grid) == len(new_grid):
        paired = dict(enumerate(old_grid))
    else:
        texts = [tuple(t for t, _ in row) for row in old_grid]
        matcher = difflib.SequenceMatcher(None, texts, [tuple(t for t, _ in r) for r in new_grid])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                paired.update(zip(range(j1, j2), old_grid[i1:i2], strict=True))
            elif tag == "replace":  # rows added or removed among edited ones: the likeliest
                paired.update(_likeliest(texts, i1, i2, new_grid, j1, j2, old_grid))
    for r, cells in enumerate(new_grid):
        before = paired.get(r)
        row_label = " ".join(" ".join(t for t, _ in cells[:2] if t).split())
        for c, (text, starts) in enumerate(cells):
            if not starts:
                continue
            old_text = before[c][0] if before is not None and before[c][1] else ""
            if old_text != text:
                yield CellChange(appendix, heading, row_label, labels[c], old_text, text)


def _likeliest(
    texts: list[tuple[str, ...]],
    i1: int,
    i2: int,
    new_grid: list[list[tuple[str, bool]]],
    j1: int,
    j2: int,
    old_grid: list[list[tuple[str, bool]]],
) -> Iterator[tuple[int, list[tuple[str, bool]]]]:
    """Pair each new row j1…j2 in order with the old row i1…i2 after the last one paired
    whose text is likest its own (at least half alike); the others pair with none."""
    start = i1
    for j in range(j1, j2):
        mine = " ".join(t for t, _ in new_grid[j])
        best, at = 0.5, None
        for i in range(start, i2):
            ratio = difflib.SequenceMatcher(None, " ".join(texts[i]), mine).ratio()
            if ratio >= best:
                best, at = ratio, i
        if at is not None:
            yield j, old_grid[at]
            start = at + 1
