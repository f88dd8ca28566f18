"""Where each piece of a rendered paragraph comes from: literal Markdown or a template
expression, with its offset in the content file; and which fact a printed figure is."""

from __future__ import annotations

import re
from typing import Any

from ..cache import NO_CACHE, Cache
from ..classes import dataclass
from ..conventions import _HEADING, _ITEM, _NUMBERED
from ..narrative import Renderer

START, END, LINE = "\ue000", "\ue001", "\ue002"  # an expression's start and end; a line's end
EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]?")
FIGURE = re.compile(
    r"^\{\{\s*([A-Za-z_][\w.]*)\s*(?:\|\s*(so|pct|printed)\s*(?:\((.*)\))?)?\s*\}\}$",
    re.DOTALL,
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
    """Cut a content file into the blocks the document prints as paragraphs: runs of
    non-blank lines; a heading line alone; each item of a list, tight or loose; a footnote
    definition with its indented continuation paragraphs; a run-in heading together with
    the paragraph it is printed in (as the conventions merge them)."""
    blocks: list[SourceBlock] = []
    current: SourceBlock | None = None
    waiting = False  # current is a run-in heading: the next paragraph joins it
    blank = False  # blank lines since the last line of current
    offset = 0
    previous = ""
    for number, line in enumerate(text.splitlines(keepends=True)):
        content = line.rstrip("\r\n")
        here, offset = offset, offset + len(line)
        before, previous = previous, content
        if content.startswith(("<!--", ":::")):  # a comment; a fenced div's fence
            current, waiting = None, False
            continue
        if not content.strip():
            blank = current is not None
            continue
        definition = DEFINITION.match(content)
        after_blank = not before.strip()
        heading = _HEADING.match(content) if after_blank and not definition else None
        item = bool(_ITEM.match(content) or _NUMBERED.match(content)) and (
            after_blank or bool(_ITEM.match(before)) or bool(_NUMBERED.match(before))
        )
        if current is None or definition:
            join = False
        elif waiting:
            join = True
        elif current.note is not None:
            join = not blank or content.startswith(("    ", "\t"))
        else:
            join = not blank and not item
        blank = False
        if join and current is not None:
            current.text = text[current.offset : here + len(content)]
            waiting = False
            continue
        note = definition.group(1) if definition else None
        skip = definition.end() if definition else 0
        current = SourceBlock(path, here + skip, content[skip:], note, number, skip)
        blocks.append(current)
        waiting = (
            bool(heading) and ".run-in" in ((heading.group(3) if heading else "") or "").split()
        )
        if heading and not waiting:
            current = None  # a heading is a line of its own
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
    # Each expression between marks, each line's end marked: an expression that prints
    # several lines (a table) leaves the other lines where they are.
    pieces = []
    last = 0
    for match in EXPRESSION.finditer(text):
        pieces.append(text[last : match.start()].replace("\n", LINE + "\n"))
        pieces.append(START + match.group(0) + END + (LINE + "\n") * match.group(0).count("\n"))
        last = match.end()
    pieces.append(text[last:].replace("\n", LINE + "\n"))
    marked = "".join(pieces)
    rendered = renderer.render(path, marked)
    if renderer.problems or "{%" in text or "{#" in text:
        return blocks
    if rendered.endswith(LINE):  # the renderer does not keep a final newline
        rendered += "\n"
    lines = [line.replace(LINE, "") for line in rendered.split(LINE + "\n")]
    if len(lines) != text.count("\n") + 1:
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
