"""Tables of an imported document: literal Markdown tables, and grids of cells for appendices."""

from __future__ import annotations

from dataclasses import dataclass

from .markdown import inline
from .reader import Table


@dataclass(frozen=True)
class GridCell:
    """A cell placed on the table's grid: its text, where it starts and what it covers."""

    text: str
    markdown: str
    row: int
    col: int
    rowspan: int
    colspan: int
    bold: bool
    italic: bool


def grid(table: Table, names: dict[str, str] | None = None) -> list[list[GridCell | None]]:
    """Return the table as a grid: each position holds its cell where the cell starts,
    None where a merged cell covers it."""
    names = names or {}
    placed: list[list[GridCell | None]] = []
    starts: dict[tuple[int, int], list[int]] = {}  # (row, col) of a vMerge start → [rowspan]
    owner: dict[int, tuple[int, int]] = {}  # col → start of the vertical merge running there
    for r, row in enumerate(table.rows):
        line: list[GridCell | None] = []
        col = 0
        for cell in row:
            if cell.vmerge == "continue" and col in owner:
                start = owner[col]
                starts[start][0] += 1
                line.extend([None] * cell.span)
                col += cell.span
                continue
            text = "\n".join(p.text for p in cell.paragraphs).strip()
            markdown = "\\\n".join(m for m in (inline(p.runs, names) for p in cell.paragraphs) if m)
            shown = [p for p in cell.paragraphs if p.text.strip()]
            gc = GridCell(
                text,
                markdown,
                r,
                col,
                1,
                cell.span,
                bool(shown) and all(p.bold for p in shown),
                bool(shown) and all(p.italic for p in shown),
            )
            line.append(gc)
            line.extend([None] * (cell.span - 1))
            if cell.vmerge == "restart":
                starts[(r, col)] = [1]
                for c in range(col, col + cell.span):
                    owner[c] = (r, col)
            else:
                for c in range(col, col + cell.span):
                    owner.pop(c, None)
            col += cell.span
        placed.append(line)
    width = max((len(line) for line in placed), default=0)
    for line in placed:
        line.extend([None] * (width - len(line)))
    for (r, c), (span,) in starts.items():
        first = placed[r][c]
        if first is not None and span > 1:
            placed[r][c] = GridCell(
                first.text, first.markdown, r, c, span, first.colspan, first.bold, first.italic
            )
    return placed


def literal_table(table: Table, names: dict[str, str]) -> tuple[str, list[str]]:
    """Return a Markdown pipe table of the cells, and notes on what it could not keep."""
    cells = grid(table, names)
    notes: list[str] = []
    merged = any(c is not None and (c.rowspan > 1 or c.colspan > 1) for row in cells for c in row)
    if merged:
        notes.append(
            f"table at paragraph {table.number}: merged cells written once, in their first "
            "position (a Markdown table of the body keeps no merges)"
        )
    if any(cell.tables for row in table.rows for cell in row):
        notes.append(f"table at paragraph {table.number}: a table inside a cell is not imported")
    width = max((len(row) for row in cells), default=0)
    if not width:
        return "", notes
    lines = []
    for index, row in enumerate(cells):
        texts = [(c.markdown if c is not None else "").replace("\\\n", " ") for c in row]
        lines.append("| " + " | ".join(t.replace("|", "\\|") for t in texts) + " |")
        if index == 0:
            lines.append("|" + "|".join(["---"] * width) + "|")
    return "\n".join(lines), notes
