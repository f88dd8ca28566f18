"""Where each piece of a rendered paragraph comes from: literal Markdown or a template
expression, with its offset in the content file; and which fact a printed figure is."""

from __future__ import annotations

import re
from typing import Any

from ..cache import NO_CACHE, Cache
from ..classes import dataclass
from ..narrative import Renderer

START, END = "\ue000", "\ue001"
EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]?")
FIGURE = re.compile(
    r"^\{\{\s*([A-Za-z_][\w.]*)\s*\|\s*(so|pct|printed)\s*(?:\((.*)\))?\s*\}\}$", re.DOTALL
)


@dataclass(frozen=True)
class Segment:
    """A run of the rendered text: from literal source text, or printed by an expression."""

    start: int  # in the rendered text
    text: str
    source: int  # offset in the content file where it comes from
    expression: str | None = None  # the template expression, for a printed run


@dataclass
class SourceBlock:
    """A Markdown block (paragraph, heading, list item, footnote definition) of a file."""

    path: str
    offset: int  # of its first character in the file
    text: str
    note: str | None = None  # footnote name of a definition
    line: int = 0  # 0-based line of its first character
    skip: int = 0  # characters of its first line before it (a definition's "[^name]: ")
    segments: list[Segment] | None = None  # None: it cannot be mapped (a {% %} tag, a loop)

    @property
    def rendered(self) -> str:
        return "".join(s.text for s in self.segments or [])


def blocks_of(path: str, text: str) -> list[SourceBlock]:
    """Cut a content file into blocks: runs of non-blank lines, a footnote definition alone."""
    blocks: list[SourceBlock] = []
    offset = 0
    current: SourceBlock | None = None
    for number, line in enumerate(text.splitlines(keepends=True)):
        content = line.rstrip("\r\n")
        definition = DEFINITION.match(content)
        if not content.strip() or definition or content.startswith("<!--"):
            current = None
        if content.strip() and not content.startswith("<!--"):
            if current is None:
                note = definition.group(1) if definition else None
                skip = definition.end() if definition else 0
                current = SourceBlock(path, offset + skip, content[skip:], note, number, skip)
                blocks.append(current)
            else:
                current.text += "\n" + content
        offset += len(line)
    return blocks


def line_col(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of an offset in a text."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def map_file(
    path: str, text: str, context: dict[str, Any], cache: Cache = NO_CACHE
) -> list[SourceBlock]:
    """Cut a content file into blocks, render it with its expressions marked, and record
    each block's segments (none for a block whose lines the rendering does not keep)."""
    blocks = blocks_of(path, text)
    renderer = Renderer(context, cache=cache)
    marked = EXPRESSION.sub(lambda m: START + m.group(0) + END, text)
    rendered = renderer.render(path, marked)
    if renderer.problems or "{%" in text or "{#" in text:
        return blocks
    lines = rendered.split("\n")
    if len(lines) != marked.count("\n") + 1:
        return blocks
    for block in blocks:
        count = block.text.count("\n") + 1
        piece = "\n".join(lines[block.line : block.line + count])[block.skip :]
        block.segments = _segments(block, piece)
    return blocks


def _segments(block: SourceBlock, rendered: str) -> list[Segment] | None:
    segments = []
    expressions = list(EXPRESSION.finditer(block.text))
    pieces = re.split(f"{START}(.*?){END}", rendered, flags=re.DOTALL)
    if len(pieces) != 2 * len(expressions) + 1:
        return None
    position = 0  # in rendered text without marks
    source = 0  # in the block's text
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            literal_end = expressions[index // 2].start() if index // 2 < len(expressions) else None
            literal = block.text[source:literal_end]
            if literal != piece:
                return None
            if piece:
                segments.append(Segment(position, piece, block.offset + source))
            source += len(piece)
        else:
            expression = expressions[index // 2]
            segments.append(
                Segment(position, piece, block.offset + expression.start(), expression.group(0))
            )
            source = expression.end()
        position += len(piece)
    return segments
