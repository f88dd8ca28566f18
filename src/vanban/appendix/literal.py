"""Tables written out in Markdown (pipe or grid tables): read through pandoc's own reader.

A task list (Nhiệm vụ / Cơ quan chủ trì / Thời gian hoàn thành) or a list of names is not
computed: it is written once, as Markdown, and printed with the ND30 table style of the
computed tables. pandoc reads it (grid tables may merge cells across rows and columns); this
module keeps what a reader sees: the cells' texts, spans, emphasis and alignment.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from ..classes import dataclass
from ..errors import PandocError
from ..pandoc import MARKDOWN, pandoc_path, run

_ALIGN = {"AlignLeft": "left", "AlignRight": "right", "AlignCenter": "center"}


@dataclass(frozen=True)
class LiteralCell:
    """One cell as written: its text (lines joined by a line break), spans and look."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    bold: bool = False
    italic: bool = False
    align: str | None = None


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


def _inlines(items: list[Any]) -> str:
    out = []
    for item in items:
        kind, content = item["t"], item.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "LineBreak":
            out.append("\n")
        elif kind in ("Strong", "Emph", "Underline", "Strikeout", "SmallCaps"):
            out.append(_inlines(content))
        elif kind in ("Span", "Link", "Image"):
            out.append(_inlines(content[1]))
        elif kind == "Quoted":
            quote = "“" if content[0]["t"] == "DoubleQuote" else "‘"
            close = "”" if quote == "“" else "’"
            out.append(quote + _inlines(content[1]) + close)
        elif kind == "Code":
            out.append(content[1])
        elif kind in ("Superscript", "Subscript"):
            out.append(_inlines(content))
    return "".join(out)


def _emphasis(blocks: list[Any], kind: str) -> bool:
    """Return True when every inline of the cell is inside one `kind` (Strong, Emph)."""
    inlines = [i for b in blocks if b["t"] in ("Plain", "Para") for i in b["c"]]
    shown = [i for i in inlines if i["t"] not in ("Space", "SoftBreak", "LineBreak")]
    return bool(shown) and all(i["t"] == kind for i in shown)


def _text(blocks: list[Any]) -> str:
    lines = []
    for block in blocks:
        if block["t"] in ("Plain", "Para"):
            lines.append(_inlines(block["c"]))
        elif block["t"] in ("BulletList", "OrderedList"):
            items = block["c"] if block["t"] == "BulletList" else block["c"][1]
            lines += ["- " + _text(item) for item in items]
        elif block["t"] == "LineBlock":
            lines += [_inlines(line) for line in block["c"]]
    return "\n".join(" ".join(line.split()) for line in "\n".join(lines).split("\n"))


def _cells(row: list[Any]) -> tuple[LiteralCell, ...]:
    out = []
    for _attr, align, rowspan, colspan, blocks in row[1]:
        out.append(
            LiteralCell(
                _text(blocks),
                rowspan,
                colspan,
                _emphasis(blocks, "Strong"),
                _emphasis(blocks, "Emph"),
                _ALIGN.get(align["t"]),
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
