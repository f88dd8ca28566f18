"""Tables of an imported document: literal Markdown tables, and grids of cells for appendices."""

from __future__ import annotations

from collections.abc import Sequence

from ..classes import dataclass, replace
from ..markup import block_start, padded, printed_width, wrap, wrap_units
from .markdown import inline
from .reader import Para, Table

# The width, in characters, a grid table's columns share when the source gives their widths
_GRID_CHARACTERS = 160


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
    align: str = "left"  # as its paragraphs are aligned: "left", "center" or "right"


# A paragraph's alignment (w:jc) as a column of a Markdown table can give it
_ALIGNS = {"center": "center", "right": "right", "end": "right"}


def _align(paragraphs: Sequence[Para]) -> str:
    """Return how a cell's paragraphs are aligned: "center" or "right" where all that hold
    text are, else "left" (justified is left in a table's narrow column)."""
    found = {_ALIGNS.get(p.align or "", "left") for p in paragraphs if p.text.strip()}
    return found.pop() if len(found) == 1 else "left"


def column_aligns(cells: list[list[GridCell | None]], header_rows: int) -> list[str]:
    """Return each column's alignment, as most of the cells of one column under the header
    rows that hold text are aligned ("left" where there is no such majority)."""
    width = len(cells[0]) if cells else 0
    found: list[list[str]] = [[] for _ in range(width)]
    for row in cells[header_rows:]:
        for cell in row:
            if cell is not None and cell.colspan == 1 and cell.text:
                found[cell.col].append(cell.align)
    aligns = []
    for column in found:
        best = max(("center", "right"), key=column.count)
        aligns.append(best if 2 * column.count(best) > len(column) else "left")
    return aligns


def _rule(dashes: int, mark: str, align: str) -> str:
    """Return a column's part of the line under a table's header, its colons giving the
    column's alignment (":---:" centred, "---:" right)."""
    if align == "center":
        return ":" + mark * (dashes - 2) + ":"
    if align == "right":
        return mark * (dashes - 1) + ":"
    return mark * dashes


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
                _align(cell.paragraphs),
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
            placed[r][c] = replace(first, rowspan=span)
    return placed


def _owners(cells: list[list[GridCell | None]]) -> list[list[GridCell | None]]:
    """Return, for each grid position, the cell that covers it."""
    owners: list[list[GridCell | None]] = [[None] * len(row) for row in cells]
    for row in cells:
        for cell in row:
            if cell is None:
                continue
            for r in range(cell.row, min(cell.row + cell.rowspan, len(cells))):
                for c in range(cell.col, min(cell.col + cell.colspan, len(owners[r]))):
                    owners[r][c] = cell
    return owners


def _length(cell: GridCell) -> int:
    """Return how many characters of a grid table the cell's text takes on one line, as
    pandoc counts them (a combining mark none, a wide character two)."""
    return printed_width(_flat(cell))


def _longest_word(cell: GridCell) -> int:
    """Return the width of the cell's widest word as its lines keep it (one that would
    begin a block at a line's start goes with the word before)."""
    return max((printed_width(unit) for unit in wrap_units(_flat(cell))), default=0)


def _proportions(shares: Sequence[int], width: int) -> list[float]:
    """Return the source's column widths as shares of the whole, when it gives them all."""
    if len(shares) != width or any(s <= 0 for s in shares):
        return []
    whole = sum(shares)
    return [s / whole for s in shares]


def _flat(cell: GridCell) -> str:
    """Return the cell's Markdown on one line, a leading "-", "+" or "1." escaped: pandoc
    reads a grid table's cell as blocks, and a bare "-" there is an empty list."""
    return block_start(cell.markdown.replace("\\\n", " ").replace("\n", " ").strip())


def _paragraphs(cell: GridCell) -> list[str]:
    """Return the Markdown of each of the cell's paragraphs, each on one line, escaped as
    _flat escapes a cell's."""
    shown = [block_start(m.replace("\n", " ").strip()) for m in cell.markdown.split("\\\n")]
    return [m for m in shown if m] or [""]


def grid_table(
    cells: list[list[GridCell | None]], header_rows: int, shares: Sequence[int] = ()
) -> str:
    """Return a pandoc grid table of the cells, merged cells kept (colspan and rowspan).

    With the source's column widths (shares), its columns take their proportions (which
    the build reads from the dashes), each cell's text wrapped over lines to fit, no word
    broken; without, each column is as wide as its longest text, on one line."""
    owners = _owners(cells)
    width = len(cells[0])
    widths = [3] * width
    measure = (lambda cell: _longest_word(cell)) if _proportions(shares, width) else _length
    for row in cells:
        for cell in row:
            if cell is not None and cell.colspan == 1:
                widths[cell.col] = max(widths[cell.col], measure(cell))
    proportions = _proportions(shares, width)
    if proportions:
        total = min(sum(max(_length(c), 3) for c in cells[0] if c is not None), _GRID_CHARACTERS)
        total = max(total, sum(widths), _GRID_CHARACTERS // 2)
        widths = [max(w, round(total * p)) for w, p in zip(widths, proportions, strict=True)]
    for row in cells:
        for cell in row:
            if cell is not None and cell.colspan > 1:
                room = sum(widths[cell.col : cell.col + cell.colspan]) + 3 * (cell.colspan - 1)
                if measure(cell) > room:
                    widths[cell.col + cell.colspan - 1] += measure(cell) - room

    aligns = column_aligns(cells, header_rows)
    # the columns' alignment: colons on the rule under the header, or on the top one
    aligned = header_rows - 1

    def border(above: int, below: int, mark: str) -> str:
        line = ""
        for c in range(width):
            top = owners[above][c] if above >= 0 else None
            bottom = owners[below][c] if below < len(cells) else None
            covered = top is not None and top is bottom
            left_top = owners[above][c - 1] if above >= 0 and c else None
            left_bottom = owners[below][c - 1] if below < len(cells) and c else None
            left_covered = c > 0 and left_top is not None and left_top is left_bottom
            if c == 0:
                line += "|" if covered else "+"
            elif covered and left_covered:
                line += " " if top is left_top else "|"
            else:
                line += "+"
            if covered:
                line += " " * (widths[c] + 2)
            else:
                line += _rule(widths[c] + 2, mark, aligns[c] if above == aligned else "left")
        inside = 0 <= above and below < len(cells)
        end = owners[above][-1] if inside else None
        return line + ("|" if end is not None and end is owners[below][-1] else "+")

    lines = [border(-1, 0, "-")]
    for r in range(len(cells)):
        pieces: list[tuple[int, list[str]]] = []  # each cell of the row: its room, its lines
        c = 0
        while c < width:
            owner = owners[r][c]
            span = owner.colspan if owner is not None and owner.col == c else 1
            room = sum(widths[c : c + span]) + 3 * (span - 1)
            starts = owner is not None and owner.row == r and owner.col == c
            wrapped: list[str] = []
            for shown in _paragraphs(owner) if owner is not None and starts else [""]:
                if wrapped:
                    wrapped.append("")  # a blank line between the cell's paragraphs
                wrapped += (
                    wrap(wrap_units(shown), room)
                    if proportions and printed_width(shown) > room
                    else [shown]
                )
            pieces.append((room, wrapped or [""]))
            c += span
        for line in range(max(len(texts) for _, texts in pieces)):
            text = "".join(
                "| " + padded(texts[line] if line < len(texts) else "", room) + " "
                for room, texts in pieces
            )
            lines.append(text + "|")
        mark = "=" if r == header_rows - 1 else "-"
        lines.append(border(r, r + 1, mark))
    return "\n".join(lines)


# The sizes a table's `font_size` may give (content/appendices.yaml, appendix.schema), and
# the size a table prints in without one.
SMALLEST_PT, LARGEST_PT, TABLE_PT = 9, 13, 12


def smaller_size(table: Table, text_size: float | None) -> int | float | None:
    """Return the size a table is set in where it is smaller than the text's (a table of
    many columns set at 10 pt beside a text at 14), within the sizes a table may be given;
    None where it is set as the text, prints as it is without a size, or no size is known."""
    size = table.size()
    if size is None or text_size is None or size >= text_size:
        return None
    size = min(max(size, SMALLEST_PT), LARGEST_PT)
    if size == TABLE_PT:
        return None
    return int(size) if size == int(size) else size


def literal_table(table: Table, names: dict[str, str]) -> tuple[str, list[str]]:
    """Return the table as Markdown (a grid table when cells are merged), and notes."""
    cells = grid(table, names)
    notes: list[str] = []
    if any(cell.tables for row in table.rows for cell in row):
        notes.append(f"table at paragraph {table.number}: a table inside a cell is not imported")
    width = max((len(row) for row in cells), default=0)
    if not width:
        return "", notes
    merged = any(c is not None and (c.rowspan > 1 or c.colspan > 1) for row in cells for c in row)
    # a cell of several paragraphs ("- Đồng chí …;" one a line) keeps them in a grid table
    lines_in_cells = any(c is not None and len(_paragraphs(c)) > 1 for row in cells for c in row)
    if merged or lines_in_cells:
        header = max([table.header_rows, 1] + [c.rowspan for c in cells[0] if c is not None])
        # a table of one row (a Kính gửi beside its names) has no header row: none printed
        header = 0 if len(cells) == 1 else min(header, len(cells) - 1) or 1
        return grid_table(cells, header, table.widths), notes
    # the dashes give the columns' proportions where the lines are long: the source's widths
    proportions = _proportions(table.widths, width)
    dashes = [max(3, round(100 * p)) for p in proportions] or [3] * width
    aligns = column_aligns(cells, 1)
    lines = []
    for index, row in enumerate(cells):
        texts = [_flat(c) if c is not None else "" for c in row]
        lines.append("| " + " | ".join(texts) + " |")
        if index == 0:
            rule = (_rule(n, "-", a) for n, a in zip(dashes, aligns, strict=True))
            lines.append("|" + "|".join(rule) + "|")
    return "\n".join(lines), notes
