"""Tables written out in Markdown (pipe or grid tables): read through pandoc's own reader.

A task list (Nhiệm vụ / Cơ quan chủ trì / Thời gian hoàn thành) or a list of names is not
computed: it is written once, as Markdown, and printed with the ND30 table style of the
computed tables. pandoc reads it (grid tables may merge cells across rows and columns); this
module keeps what a reader sees: the cells' texts, spans, emphasis and alignment, and each
line of a cell as runs of one look (a bold label, then its italic note).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from ..classes import dataclass
from ..errors import PandocError
from ..pandoc import MARKDOWN, pandoc_path, run

_ALIGN = {"AlignLeft": "left", "AlignRight": "right", "AlignCenter": "center"}

Run = tuple[str, bool, bool]  # a piece of a line of one look: its text, bold, italic


@dataclass(frozen=True)
class LiteralCell:
    """One cell as written: its text (lines joined by a line break), spans and look (bold,
    italic: the whole cell's), and its lines as runs (empty: the text in the cell's look)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    bold: bool = False
    italic: bool = False
    align: str | None = None
    lines: tuple[tuple[Run, ...], ...] = ()


@dataclass(frozen=True)
class LiteralTable:
    """A written-out table: its header rows, body rows and the columns' alignment and
    relative widths (None where the Markdown does not give them)."""

    header: tuple[tuple[LiteralCell, ...], ...]
    body: tuple[tuple[LiteralCell, ...], ...]
    aligns: tuple[str | None, ...]
    widths: tuple[float | None, ...]

    @property
    def columns(self) -> int:
        return len(self.aligns)


_MARKS = {"Strong": (True, False), "Emph": (False, True)}


def placed(
    rows: tuple[tuple[LiteralCell, ...], ...],
) -> list[list[tuple[int, LiteralCell]]]:
    """Return each row's cells with the grid column each starts at, the columns a cell
    merged from a row above covers skipped."""
    covered: set[tuple[int, int]] = set()
    out = []
    for r, line in enumerate(rows):
        row = []
        column = 0
        for cell in line:
            while (r, column) in covered:
                column += 1
            row.append((column, cell))
            for dr in range(1, cell.rowspan):
                for dc in range(cell.colspan):
                    covered.add((r + dr, column + dc))
            column += cell.colspan
        out.append(row)
    return out


def _inlines(items: list[Any], bold: bool = False, italic: bool = False) -> list[Run]:
    """Return the inlines as runs, a line break as a run "\n"."""
    out: list[Run] = []
    for item in items:
        kind, content = item["t"], item.get("c")
        if kind == "Str":
            out.append((content, bold, italic))
        elif kind in ("Space", "SoftBreak"):
            out.append((" ", bold, italic))
        elif kind == "LineBreak":
            out.append(("\n", bold, italic))
        elif kind in _MARKS:
            strong, emph = _MARKS[kind]
            out += _inlines(content, bold or strong, italic or emph)
        elif kind in ("Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript"):
            out += _inlines(content, bold, italic)
        elif kind in ("Span", "Link", "Image"):
            out += _inlines(content[1], bold, italic)
        elif kind == "Quoted":
            quote = "“" if content[0]["t"] == "DoubleQuote" else "‘"
            close = "”" if quote == "“" else "’"
            out += [(quote, bold, italic), *_inlines(content[1], bold, italic)]
            out.append((close, bold, italic))
        elif kind == "Code":
            out.append((content[1], bold, italic))
    return out


def _emphasis(blocks: list[Any], kind: str) -> bool:
    """Return True when every inline of the cell is inside one `kind` (Strong, Emph)."""
    inlines = [i for b in blocks if b["t"] in ("Plain", "Para") for i in b["c"]]
    shown = [i for i in inlines if i["t"] not in ("Space", "SoftBreak", "LineBreak")]
    return bool(shown) and all(i["t"] == kind for i in shown)


def _runs(blocks: list[Any]) -> list[Run]:
    """Return the cell's blocks as runs, a paragraph, a list item or a line of a line
    block after a line break."""
    out: list[Run] = []
    for block in blocks:
        if block["t"] in ("Plain", "Para"):
            found = _inlines(block["c"])
        elif block["t"] in ("BulletList", "OrderedList"):
            items = block["c"] if block["t"] == "BulletList" else block["c"][1]
            found = []
            for item in items:
                found += [("\n", False, False)] if found else []
                found += [("- ", False, False), *_runs(item)]
        elif block["t"] == "LineBlock":
            found = []
            for line in block["c"]:
                found += [("\n", False, False)] if found else []
                found += _inlines(line)
        else:
            continue
        out += [("\n", False, False)] if out else []
        out += found
    return out


def _lines(runs: list[Run]) -> tuple[tuple[Run, ...], ...]:
    """Return the runs cut at their line breaks, each line's spaces collapsed and trimmed
    and its pieces of one look joined."""
    lines: list[list[Run]] = [[]]
    for text, bold, italic in runs:
        for index, piece in enumerate(text.split("\n")):
            if index:
                lines.append([])
            line = lines[-1]
            for char in piece:
                if char.isspace():
                    if not line or line[-1][0].endswith(" "):
                        continue
                    char = " "
                if line and line[-1][1:] == (bold, italic):
                    line[-1] = (line[-1][0] + char, bold, italic)
                else:
                    line.append((char, bold, italic))
    out = []
    for line in lines:
        while line and line[-1][0].endswith(" "):
            text, bold, italic = line.pop()
            if text.rstrip():
                line.append((text.rstrip(), bold, italic))
        out.append(tuple(line))
    return tuple(out)


def _text(lines: tuple[tuple[Run, ...], ...]) -> str:
    return "\n".join("".join(text for text, _, _ in line) for line in lines)


def _cells(row: list[Any]) -> tuple[LiteralCell, ...]:
    out = []
    for _attr, align, rowspan, colspan, blocks in row[1]:
        lines = _lines(_runs(blocks))
        look = (_emphasis(blocks, "Strong"), _emphasis(blocks, "Emph"))
        # the runs where some differ from the cell's look (a bold label, its italic note)
        mixed = any((bold, italic) != look for line in lines for _, bold, italic in line)
        out.append(
            LiteralCell(
                _text(lines),
                rowspan,
                colspan,
                *look,
                _ALIGN.get(align["t"]),
                lines if mixed else (),
            )
        )
    return tuple(out)


@lru_cache(maxsize=64)
def parse_markdown_table(markdown: str) -> tuple[LiteralTable | None, str | None]:
    """Return the one table a Markdown text holds, or why it holds none."""
    command = [pandoc_path(), "--from", MARKDOWN, "--to", "json"]
    try:
        document = json.loads(run(command, markdown.encode("utf-8")))
    except PandocError as exc:
        return None, f"pandoc could not read the table: {exc}"
    tables = [b for b in document["blocks"] if b["t"] == "Table"]
    others = [b["t"] for b in document["blocks"] if b["t"] != "Table"]
    if len(tables) != 1 or others:
        found = f"{len(tables)} table{'s' if len(tables) != 1 else ''}"
        if others:
            found += f" and other text ({', '.join(sorted(set(others)))})"
        return None, (
            f"expected one Markdown pipe or grid table (a header line, a line of dashes, "
            f"then the rows), found {found}"
        )
    _attr, _caption, colspecs, head, bodies, _foot = tables[0]["c"]
    header = tuple(_cells(r) for r in head[1])
    body = tuple(_cells(r) for b in bodies for r in (*b[2], *b[3]))
    aligns = tuple(_ALIGN.get(spec[0]["t"]) for spec in colspecs)
    widths = tuple(float(spec[1]["c"]) if spec[1]["t"] == "ColWidth" else None for spec in colspecs)
    return LiteralTable(header, body, aligns, widths), None
