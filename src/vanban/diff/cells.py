"""The appendix cells that changed between two drafts, by appendix, table, row and column."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..appendix import Appendices
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
