"""The rendered Markdown of one side as pandoc's document tree, cut into sections and notes.

pandoc reads the Markdown the build renders into its JSON tree (the same reader and
extensions as the build). Two things the tree would otherwise lose are carried through it:

- the content file of each block: a section marker closes every content file (see sides.py)
  and arrives as a raw HTML block;
- the name of each footnote: pandoc numbers notes and forgets their names, so each definition
  starts with an empty span `[]{.vanban-note note=N}` that is read back and removed here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..cache import NO_CACHE, Cache
from ..classes import dataclass, replace
from ..pandoc import MARKDOWN, Conversion, Runs, cores, pandoc_path, units_of
from ..pandoc_command import command_identity
from .sides import SECTION_MARKER, SECTION_PATTERN

Node = dict[str, Any]

NOTE_CLASS = "vanban-note"
_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]?", re.MULTILINE)


def section_texts(markdown: str, sections: tuple[str, ...]) -> dict[str, str]:
    """Cut rendered Markdown at the section markers: content file → its rendered text."""
    texts: dict[str, str] = {}
    start = 0
    for marker in SECTION_PATTERN.finditer(markdown):
        index = int(marker.group(1))
        if index < len(sections):
            texts[sections[index]] = markdown[start : marker.start()]
        start = marker.end()
    return texts


_REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")


def changed_sections(
    a_markdown: str, a_sections: tuple[str, ...], b_markdown: str, b_sections: tuple[str, ...]
) -> tuple[str, set[str]]:
    """Return the Markdown of A's sections that differ from B's, and their names.

    Only those need reading: the others are the same text, hence the same blocks. A note a
    changed section references but another section defines comes along with its definition.
    """
    a_texts = section_texts(a_markdown, a_sections)
    b_texts = section_texts(b_markdown, b_sections)
    changed = {name for name, text in a_texts.items() if b_texts.get(name) != text}
    parts = [
        a_texts[name] + "\n\n" + SECTION_MARKER.format(index=index)
        for index, name in enumerate(a_sections)
        if name in changed
    ]
    defined = {m.group(1) for part in parts for m in _DEFINITION.finditer(part)}
    wanted = {m.group(1) for part in parts for m in _REFERENCE.finditer(part)} - defined
    if wanted:
        for name in a_sections:
            if name not in changed:
                parts += _definitions(a_texts.get(name, ""), wanted)
    return "\n\n".join(parts), changed


def _definitions(text: str, wanted: set[str]) -> list[str]:
    """Return the definitions (with their indented continuation) of the wanted notes."""
    found: list[str] = []
    lines = text.split("\n")
    for index, line in enumerate(lines):
        match = _DEFINITION.match(line)
        if not match or match.group(1) not in wanted:
            continue
        end = index + 1
        while end < len(lines) and (lines[end].startswith(("    ", "\t")) or not lines[end]):
            end += 1
        found.append("\n".join(lines[index:end]).rstrip())
    return found


def name_notes(markdown: str) -> tuple[str, list[str]]:
    """Return the Markdown with each note definition tagged by its index, and the names."""
    names: list[str] = []

    def tag(match: re.Match[str]) -> str:
        names.append(match.group(1))
        return f"{match.group(0).rstrip()} []{{.{NOTE_CLASS} note={len(names) - 1}}}"

    return _DEFINITION.sub(tag, markdown), names


_UNIT_BREAK = "<!-- vanban-diff-unit -->"
_READ_COMMAND = ("--from", MARKDOWN, "--to", "json")


class TreeReader:
    """pandoc reading Markdown into its JSON tree, in the background.

    Given the Markdown's parts (one per content file), it reads them by units as the build
    converts its body (a unit starts at a top-level heading and holds the notes it cites),
    in parallel, and keeps each unit's tree by its text: a diff after an edit reads again
    the unit it changed. The tree is the one reading the whole gives; where units could
    differ from it (two headings pandoc would name apart), the whole is read at once.
    """

    def __init__(self, cache: Cache = NO_CACHE, jobs: int | None = None) -> None:
        self._cache = cache
        self._jobs = jobs
        self._parts: list[str] = []
        self._units: list[tuple[str, list[str]]] = []  # each unit's tagged text, its names
        self._trees: list[Any] = []
        self._runs: Runs | None = None
        self._fed = False
        self._identity = b""

    @property
    def fed(self) -> bool:
        return self._fed

    def feed(self, markdown: str | Sequence[str]) -> None:
        """Give pandoc the rendered Markdown, or its parts; it reads them while the caller
        goes on."""
        self._parts = [markdown] if isinstance(markdown, str) else list(markdown)
        self._units = [name_notes(unit) for unit in units_of(self._parts)]
        binary = pandoc_path()
        self._identity = command_identity([binary, *_READ_COMMAND]).encode() + b"\0"
        self._trees = [self._cache.get("pandoc-tree-unit", self._key(t)) for t, _ in self._units]
        missing = [i for i, tree in enumerate(self._trees) if not isinstance(tree, tuple)]
        self._fed = True
        self._runs = Runs(
            [binary, *_READ_COMMAND],
            lambda group: f"\n\n{_UNIT_BREAK}\n\n".join(self._units[i][0] for i in group),
            missing,
            [len(text) for text, _ in self._units],
            self._jobs or cores(),
            docx=False,
        )

    def _key(self, text: str) -> bytes:
        return self._identity + text.encode("utf-8")

    def result(self, sections: tuple[str, ...]) -> Tree:
        """Wait for pandoc and return the tree; raise with pandoc's message if it failed."""
        trees = list(self._trees)
        fresh = []
        assert self._runs is not None, "the reader was fed"
        for group, output in zip(self._runs.groups, self._runs.outputs(), strict=True):
            document = json.loads(output)
            pieces = _split_units(document["blocks"])
            if len(pieces) != len(group) or document.get("meta"):
                return self._whole(sections)
            for index, blocks in zip(group, pieces, strict=True):
                trees[index] = (document["pandoc-api-version"], blocks)
                fresh.append(index)
        identifiers = [
            block["c"][1][0]
            for _, blocks in trees
            for block in blocks
            if block["t"] == "Header" and block["c"][1][0]
        ]
        if len(set(identifiers)) != len(identifiers):
            return self._whole(sections)  # pandoc would have told them apart
        for index in fresh:
            self._cache.put("pandoc-tree-unit", self._key(self._units[index][0]), trees[index])
        blocks = []
        for (_, names), (_, unit_blocks) in zip(self._units, trees, strict=True):
            for note in iter_notes(unit_blocks):
                _take_name(note, names)
            blocks += unit_blocks
        document = {"pandoc-api-version": trees[0][0], "meta": {}, "blocks": blocks}
        return Tree.read(document, sections, [])

    def _whole(self, sections: tuple[str, ...]) -> Tree:
        """Read the whole Markdown in one run."""
        tagged, names = name_notes("\n\n".join(self._parts))
        conversion = Conversion(command=[pandoc_path(), *_READ_COMMAND], size=len(tagged))
        conversion.feed(tagged)
        return Tree.read(json.loads(conversion.result()), sections, names)

    def cancel(self) -> None:
        """Stop pandoc (the side had problems)."""
        if self._runs is not None:
            self._runs.cancel()


def _split_units(blocks: list[Node]) -> list[list[Node]]:
    """Cut a run's blocks at the breaks between its units."""
    units: list[list[Node]] = [[]]
    for block in blocks:
        if block["t"] == "RawBlock" and block["c"][1].strip() == _UNIT_BREAK:
            units.append([])
        else:
            units[-1].append(block)
    return units


# --------------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Block:
    """A top-level block with the content file it came from and the headings above it."""

    node: Node
    section: str
    headings: tuple[str, ...]
    appendix: str = ""  # the appendix whose own text it is in ("Phụ lục I · …"), or ""


def _under(headings: list[str], node: Node) -> None:
    """Put a heading block into the headings above the blocks after it, at its level."""
    if node["t"] == "Header":
        level = node["c"][0]
        del headings[level - 1 :]
        headings += [""] * (level - 1 - len(headings))
        headings.append(plain_text(node["c"][2]))


@dataclass(frozen=True)
class Tree:
    """One side's document: its top-level blocks, and its notes by name in reference order."""

    blocks: tuple[Block, ...]
    notes: dict[str, list[Node]]
    meta: dict[str, Any]
    api_version: list[int]

    @classmethod
    def read(cls, document: Node, sections: tuple[str, ...], names: list[str]) -> Tree:
        notes: dict[str, list[Node]] = {}
        for note in iter_notes(document["blocks"]):
            name = note["name"] if "name" in note else _take_name(note, names)
            if name is not None:
                notes[name] = note["c"]
        blocks: list[Block] = []
        pending: list[Node] = []
        headings: list[str] = []
        for node in document["blocks"]:
            closes = _section_end(node)
            if closes is None or node["t"] != "RawBlock":
                pending.append(node)
            if closes is None:
                continue
            section = sections[closes] if closes < len(sections) else ""
            for item in pending:
                _under(headings, item)
                blocks.append(Block(item, section, tuple(h for h in headings if h)))
            pending = []
        blocks += [Block(item, "", ()) for item in pending]
        return cls(tuple(blocks), notes, document.get("meta", {}), document["pandoc-api-version"])

    def document(self, blocks: list[Node]) -> Node:
        """Return a pandoc JSON document of blocks, with the metadata of this tree.

        Notes keep the "name" this module gives them: pandoc ignores fields it does not know.
        """
        return {"pandoc-api-version": self.api_version, "meta": self.meta, "blocks": blocks}

    def in_appendices(self, appendices: Mapping[str, str]) -> Tree:
        """Return the tree with the blocks of the appendices' own texts (their sections, the
        keys of appendices) under their appendix (its value, as printed) and the headings of
        their own text alone: not under the body's last heading."""
        blocks = []
        headings: list[str] = []
        section = None
        for block in self.blocks:
            appendix = appendices.get(block.section)
            if appendix is None:
                blocks.append(block)
                continue
            if block.section != section:
                section, headings = block.section, []
            _under(headings, block.node)
            above = tuple(h for h in headings if h)
            blocks.append(replace(block, headings=above, appendix=appendix))
        return replace(self, blocks=tuple(blocks))

    def completed(self, other: Tree, sections: tuple[str, ...], read: set[str]) -> Tree:
        """Return this side's whole tree from its sections in `read` and other's for the rest.

        The sections not read are those whose rendered Markdown is the same on both sides,
        so their blocks (and the notes they reference) are the other side's.
        """
        blocks: list[Block] = []
        for section in sections:
            source = self if section in read else other
            blocks += [block for block in source.blocks if block.section == section]
        nodes = [block.node for block in blocks]
        notes = {str(note["name"]): note["c"] for note in iter_notes(nodes) if "name" in note}
        return Tree(tuple(blocks), notes, self.meta or other.meta, self.api_version)


def _section_end(node: Node) -> int | None:
    """Return the index of the section a marker closes, removing an inline marker."""
    if node["t"] == "RawBlock":
        match = SECTION_PATTERN.fullmatch(node["c"][1].strip())
        return int(match.group(1)) if match else None
    if node["t"] in ("Para", "Plain"):
        # A run-in heading closing a file takes the marker line as its paragraph.
        for index, inline in enumerate(node["c"]):
            if inline["t"] == "RawInline":
                match = SECTION_PATTERN.fullmatch(inline["c"][1].strip())
                if match:
                    del node["c"][index]
                    while node["c"] and node["c"][-1]["t"] in ("Space", "SoftBreak"):
                        node["c"].pop()
                    return int(match.group(1))
    return None


def _take_name(note: Node, names: list[str]) -> str | None:
    """Remove the name tag at the start of a note and return the name."""
    blocks = note["c"]
    if not blocks or blocks[0]["t"] not in ("Para", "Plain") or not blocks[0]["c"]:
        return None
    first = blocks[0]["c"][0]
    if first["t"] != "Span" or NOTE_CLASS not in first["c"][0][1]:
        return None
    attributes = dict(first["c"][0][2])
    inlines = blocks[0]["c"]
    del inlines[0]
    if inlines and inlines[0]["t"] in ("SoftBreak", "Space"):
        del inlines[0]
    if not inlines and len(blocks) > 1:
        del blocks[0]
    index = int(attributes.get("note", "-1"))
    name = names[index] if 0 <= index < len(names) else None
    if name is not None:
        note["name"] = name
    return name


# --------------------------------------------------------------------------- walking

# Inline containers whose content is the whole of "c".
SIMPLE_CONTAINERS = frozenset(
    {"Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"}
)


def inline_children(node: Node) -> list[Node] | None:
    """Return the inline content of an inline container, or None for a leaf."""
    t = node["t"]
    if t in SIMPLE_CONTAINERS:
        return node["c"]  # type: ignore[no-any-return]
    if t in ("Span", "Quoted"):
        return node["c"][1]  # type: ignore[no-any-return]
    if t == "Link":
        return node["c"][1]  # type: ignore[no-any-return]
    return None


def child_blocks(node: Node) -> Iterator[list[Node]]:
    """Yield the block lists inside a block (cells, items, quoted blocks)."""
    t = node["t"]
    if t in ("BlockQuote",):
        yield node["c"]
    elif t == "Div":
        yield node["c"][1]
    elif t == "BulletList":
        yield from node["c"]
    elif t == "OrderedList":
        yield from node["c"][1]
    elif t == "DefinitionList":
        for _term, definitions in node["c"]:
            yield from definitions
    elif t == "Figure":
        yield node["c"][2]
    elif t == "Table":
        yield node["c"][1][1]
        for rows in table_rows(node):
            for row in rows:
                for cell in row[1]:
                    yield cell[4]


def block_inlines(node: Node) -> Iterator[list[Node]]:
    """Yield the inline lists directly inside a block."""
    t = node["t"]
    if t in ("Para", "Plain"):
        yield node["c"]
    elif t == "Header":
        yield node["c"][2]
    elif t == "LineBlock":
        yield from node["c"]
    elif t == "DefinitionList":
        for term, _definitions in node["c"]:
            yield term


def iter_notes(blocks: list[Node]) -> Iterator[Node]:
    """Yield every Note in blocks, in document order (notes inside notes too)."""
    for block in blocks:
        for inlines in block_inlines(block):
            yield from _notes_in(inlines)
        for inner in child_blocks(block):
            yield from iter_notes(inner)


def _notes_in(inlines: list[Node]) -> Iterator[Node]:
    for inline in inlines:
        if inline["t"] == "Note":
            yield inline
            yield from iter_notes(inline["c"])
            continue
        children = inline_children(inline)
        if children is not None:
            yield from _notes_in(children)


# A table row in pandoc's JSON: [attr, cells]; a cell: [attr, alignment, rows, columns, blocks].
Row = list[Any]


def table_rows(node: Node) -> Iterator[list[Row]]:
    """Yield every row list of a table: head rows, each body's head and body rows, foot rows."""
    _attr, _caption, _specs, head, bodies, foot = node["c"]
    yield head[1]
    for body in bodies:
        yield body[2]
        yield body[3]
    yield foot[1]


# --------------------------------------------------------------------------- text


def plain_text(inlines: list[Node]) -> str:
    """Return the text a reader sees; a note reference reads as [^name]."""
    parts: list[str] = []
    for inline in inlines:
        t = inline["t"]
        if t == "Str":
            parts.append(inline["c"])
        elif t in ("Space", "SoftBreak"):
            parts.append(" ")
        elif t == "LineBreak" or (t == "RawInline" and "<w:br/>" in inline["c"][1]):
            parts.append("\n")  # a centred heading's label over its title: a line break
        elif t == "Note":
            parts.append(f"[^{inline.get('name', '?')}]")
        elif t in ("Code", "Math"):
            parts.append(inline["c"][1])
        elif t == "Quoted":
            quote = '"' if inline["c"][0]["t"] == "DoubleQuote" else "'"
            parts.append(quote + plain_text(inline["c"][1]) + quote)
        elif t == "Image":
            parts.append(plain_text(inline["c"][1]))
        elif t == "Cite":
            parts.append(plain_text(inline["c"][1]))
        else:
            children = inline_children(inline)
            if children is not None:
                parts.append(plain_text(children))
    return "".join(parts)


def block_text(node: Node) -> str:
    """Return the text of a block; table cells are separated by " | ", rows by new lines."""
    t = node["t"]
    if t in ("Para", "Plain"):
        return plain_text(node["c"])
    if t == "Header":
        return plain_text(node["c"][2])
    if t == "LineBlock":
        return "\n".join(plain_text(line) for line in node["c"])
    if t == "CodeBlock":
        return str(node["c"][1])
    if t == "RawBlock":
        return ""
    if t == "HorizontalRule":
        return "———"
    if t == "Table":
        lines = [blocks_text(node["c"][1][1])] if node["c"][1][1] else []
        for rows in table_rows(node):
            for row in rows:
                lines.append(" | ".join(blocks_text(cell[4]) for cell in row[1]))
        return "\n".join(lines)
    return "\n".join(blocks_text(inner) for inner in child_blocks(node))


def blocks_text(blocks: list[Node]) -> str:
    return "\n".join(text for text in (block_text(b) for b in blocks) if text)
