"""The redline of the body: B's document tree with A's differences as tracked-change spans.

pandoc's DOCX writer turns a span of class `deletion` or `insertion` (with `author` and
`date`) into native `w:del` / `w:ins`, in the body and inside footnotes alike. So the
redline is built on pandoc's tree: blocks are aligned, an edited paragraph gets word-level
spans, a deleted one comes back from A wrapped in a deletion span, an inserted one is
wrapped in an insertion span; a note is matched by its name, wherever it is referenced,
and its text is compared with the note of the same name on the other side.

What pandoc cannot mark (a paragraph mark, a table row) is marked afterwards in the DOCX
(see revisions.py).
"""

from __future__ import annotations

import copy
import json
from typing import Any, Literal

from ..classes import dataclass, replace
from .align import align, similarity, word_opcodes, words
from .tree import SIMPLE_CONTAINERS, Node, Row, block_text, table_rows

Kind = Literal["insertion", "deletion"]


@dataclass(frozen=True)
class Author:
    """The author and date every tracked change carries."""

    name: str
    date: str


@dataclass(frozen=True)
class Marks:
    """Who made the changes and when, as pandoc's span attributes want them."""

    author: str
    date: str

    def span(self, kind: Kind, inlines: list[Node]) -> Node:
        attributes = [["author", self.author], ["date", self.date]]
        return {"t": "Span", "c": [["", [kind], attributes], inlines]}


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class Token:
    """A word, a space, a note or another leaf inline, with the containers it sits in."""

    key: Any
    leaf: Node
    style: tuple[str, ...]


def _descriptor(node: Node) -> str:
    """Return the container part of an inline container (everything but its content)."""
    t = node["t"]
    if t in SIMPLE_CONTAINERS:
        return json.dumps([t])
    if t in ("Span", "Quoted"):
        return json.dumps([t, node["c"][0]])
    return json.dumps([t, node["c"][0], node["c"][2]])  # Link


def _container(descriptor: str, inlines: list[Node]) -> Node:
    t, *fields = json.loads(descriptor)
    if t in SIMPLE_CONTAINERS:
        return {"t": t, "c": inlines}
    if t in ("Span", "Quoted"):
        return {"t": t, "c": [fields[0], inlines]}
    return {"t": t, "c": [fields[0], inlines, fields[1]]}


def tokens(inlines: list[Node], style: tuple[str, ...] = ()) -> list[Token]:
    """Flatten inlines into tokens; Str is cut into words, numbers and punctuation."""
    out: list[Token] = []
    for node in inlines:
        t = node["t"]
        if t == "Str":
            out += [Token(w, {"t": "Str", "c": w}, style) for w in words(node["c"])]
        elif t in ("Space", "SoftBreak"):
            out.append(Token(" ", node, style))
        elif t == "LineBreak":
            out.append(Token("\n", node, style))
        elif t == "Note":
            out.append(Token(("note", node.get("name")), node, style))
        elif t in SIMPLE_CONTAINERS or t in ("Span", "Quoted", "Link"):
            content = node["c"] if t in SIMPLE_CONTAINERS else node["c"][1]
            out += tokens(content, (*style, _descriptor(node)))
        else:
            out.append(Token(("atom", json.dumps(node, sort_keys=True)), node, style))
    return out


def rebuild(items: list[Token]) -> list[Node]:
    """Turn tokens back into inlines: containers regrouped, neighbouring words joined."""
    out: list[Node] = []
    index = 0
    while index < len(items):
        item = items[index]
        if not item.style:
            leaf = item.leaf
            if leaf["t"] == "Str" and out and out[-1]["t"] == "Str":
                out[-1] = {"t": "Str", "c": out[-1]["c"] + leaf["c"]}
            else:
                out.append(leaf)
            index += 1
            continue
        head = item.style[0]
        end = index
        while end < len(items) and items[end].style[:1] == (head,):
            end += 1
        inner = [replace(t, style=t.style[1:]) for t in items[index:end]]
        out.append(_container(head, rebuild(inner)))
        index = end
    return out


# --------------------------------------------------------------------------- redline


@dataclass
class Redliner:
    """Build the redline tree of B against A."""

    marks: Marks

    # --- blocks -------------------------------------------------------------------------
    def blocks(self, a: list[Node], b: list[Node]) -> list[Node]:
        """Return B's blocks with A's differences marked."""
        a_keys = [block_key(node) for node in a]
        b_keys = [block_key(node) for node in b]

        a_words, b_words = BlockWords(a), BlockWords(b)

        def similar(i: int, j: int) -> float:
            return similarity(a_words[i], b_words[j])

        out: list[Node] = []
        for pair in align(a_keys, b_keys, lambda i, j: compatible(a[i], b[j]), similar):
            if pair.op == "equal" and pair.a is not None and pair.b is not None:
                same = a[pair.a] == b[pair.b]
                out += [b[pair.b]] if same else self.block(a[pair.a], b[pair.b])
            elif pair.op == "change" and pair.a is not None and pair.b is not None:
                out += self.block(a[pair.a], b[pair.b])
            elif pair.op == "delete" and pair.a is not None:
                out += self.mark_blocks([a[pair.a]], "deletion")
            elif pair.b is not None:
                out += self.mark_blocks([b[pair.b]], "insertion")
        return out

    def block(self, a: Node, b: Node) -> list[Node]:
        """Return the redline of two paired blocks (one block when their kinds agree)."""
        t = b["t"]
        if not compatible(a, b):
            return [*self.mark_blocks([a], "deletion"), *self.mark_blocks([b], "insertion")]
        if t in ("Para", "Plain"):
            return [{"t": t, "c": self.inlines(a["c"], b["c"])}]
        if t == "Header":
            level, attr, content = b["c"]
            return [{"t": t, "c": [level, attr, self.inlines(a["c"][2], content)]}]
        if t == "BlockQuote":
            return [{"t": t, "c": self.blocks(a["c"], b["c"])}]
        if t == "Div":
            return [{"t": t, "c": [b["c"][0], self.blocks(a["c"][1], b["c"][1])]}]
        if t == "Table":
            table = self.table(a, b)
            if table is not None:
                return [table]
        if t in ("BulletList", "OrderedList"):
            a_items = a["c"] if t == "BulletList" else a["c"][1]
            b_items = b["c"] if t == "BulletList" else b["c"][1]
            items = self.items(a_items, b_items)
            return [{"t": t, "c": items if t == "BulletList" else [b["c"][0], items]}]
        return [*self.mark_blocks([a], "deletion"), *self.mark_blocks([b], "insertion")]

    def items(self, a: list[list[Node]], b: list[list[Node]]) -> list[list[Node]]:
        """Return B's list items with A's differences marked."""
        a_words = [words("\n".join(block_text(n) for n in item)) for item in a]
        b_words = [words("\n".join(block_text(n) for n in item)) for item in b]
        out: list[list[Node]] = []
        keys_a = [json.dumps(item, sort_keys=True) for item in a]
        keys_b = [json.dumps(item, sort_keys=True) for item in b]
        pairs = align(
            keys_a, keys_b, lambda i, j: True, lambda i, j: similarity(a_words[i], b_words[j])
        )
        for pair in pairs:
            if pair.a is not None and pair.b is not None:
                out.append(self.blocks(a[pair.a], b[pair.b]))
            elif pair.a is not None:
                out.append(self.mark_blocks(a[pair.a], "deletion"))
            elif pair.b is not None:
                out.append(self.mark_blocks(b[pair.b], "insertion"))
        return out

    # --- tables -------------------------------------------------------------------------
    def table(self, a: Node, b: Node) -> Node | None:
        """Return B's table with cell-level changes, or None when the tables cannot be paired."""
        if len(a["c"][2]) != len(b["c"][2]) or len(a["c"][4]) != len(b["c"][4]):
            return None
        result = copy.deepcopy(b)
        caption = result["c"][1]
        caption[1] = self.blocks(a["c"][1][1], b["c"][1][1])
        for a_rows, b_rows, out_rows in zip(
            table_rows(a), table_rows(b), table_rows(result), strict=True
        ):
            out_rows[:] = self.rows(a_rows, b_rows)
        return result

    def rows(self, a: list[Row], b: list[Row]) -> list[Row]:
        a_keys = [json.dumps(row, sort_keys=True) for row in a]
        b_keys = [json.dumps(row, sort_keys=True) for row in b]
        a_words = [words(_row_text(row)) for row in a]
        b_words = [words(_row_text(row)) for row in b]

        def pairable(i: int, j: int) -> bool:
            return len(a[i][1]) == len(b[j][1])

        def similar(i: int, j: int) -> float:
            return similarity(a_words[i], b_words[j])

        out: list[Row] = []
        for pair in align(a_keys, b_keys, pairable, similar):
            if pair.op == "equal" and pair.b is not None:
                out.append(b[pair.b])
            elif pair.op == "change" and pair.a is not None and pair.b is not None:
                row = copy.deepcopy(b[pair.b])
                for cell, a_cell in zip(row[1], a[pair.a][1], strict=True):
                    cell[4] = self.blocks(a_cell[4], cell[4])
                out.append(row)
            elif pair.a is not None:
                out.append(self._mark_row(a[pair.a], "deletion"))
            elif pair.b is not None:
                out.append(self._mark_row(b[pair.b], "insertion"))
        return out

    def _mark_row(self, row: Row, kind: Kind) -> Row:
        marked = copy.deepcopy(row)
        for cell in marked[1]:
            cell[4] = self.mark_blocks(cell[4], kind)
        return marked

    # --- inlines ------------------------------------------------------------------------
    def inlines(self, a: list[Node], b: list[Node]) -> list[Node]:
        """Return B's inlines with word-level deletion and insertion spans."""
        a_tokens, b_tokens = tokens(a), tokens(b)
        out: list[Node] = []
        opcodes = word_opcodes([t.key for t in a_tokens], [t.key for t in b_tokens])
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                same = [
                    self._same_note(a_tokens[i1 + k], token) if token.key[0:1] == ("note",)
                    else token
                    for k, token in enumerate(b_tokens[j1:j2])
                ]  # fmt: skip
                out += rebuild(same)
                continue
            if i2 > i1:
                deleted = [self._marked_note(t, "deletion") for t in a_tokens[i1:i2]]
                out.append(self.marks.span("deletion", rebuild(deleted)))
            if j2 > j1:
                inserted = [self._marked_note(t, "insertion") for t in b_tokens[j1:j2]]
                out.append(self.marks.span("insertion", rebuild(inserted)))
        return out

    def _same_note(self, a: Token, b: Token) -> Token:
        """The note referenced at the same place on both sides: its text is compared."""
        note = {**b.leaf, "c": self.blocks(a.leaf["c"], b.leaf["c"])}
        return replace(b, leaf=note)

    def _marked_note(self, token: Token, kind: Kind) -> Token:
        if token.leaf["t"] != "Note":
            return token
        return replace(token, leaf={**token.leaf, "c": self.mark_blocks(token.leaf["c"], kind)})

    def mark_inlines(self, inlines: list[Node], kind: Kind) -> list[Node]:
        """Return inlines wrapped whole in one span; notes inside get their text marked too."""
        if not inlines:
            return inlines
        marked = [self._marked_note(t, kind) for t in tokens(inlines)]
        return [self.marks.span(kind, rebuild(marked))]

    def mark_blocks(self, blocks: list[Node], kind: Kind) -> list[Node]:
        """Return blocks whose whole text is inserted or deleted.

        A deleted heading loses its identifier (its bookmark would clash with B's). A block
        without text (a rule, raw code) cannot be marked: an inserted one stays, a deleted
        one is left out.
        """
        out: list[Node] = []
        for block in blocks:
            t = block["t"]
            if t in ("Para", "Plain"):
                out.append({"t": t, "c": self.mark_inlines(block["c"], kind)})
            elif t == "Header":
                level, (ident, classes, attributes), content = block["c"]
                ident = "" if kind == "deletion" else ident
                marked = self.mark_inlines(content, kind)
                out.append({"t": t, "c": [level, [ident, classes, attributes], marked]})
            elif t == "LineBlock":
                out.append({"t": t, "c": [self.mark_inlines(line, kind) for line in block["c"]]})
            elif t == "BlockQuote":
                out.append({"t": t, "c": self.mark_blocks(block["c"], kind)})
            elif t == "Div":
                out.append({"t": t, "c": [block["c"][0], self.mark_blocks(block["c"][1], kind)]})
            elif t == "BulletList":
                out.append({"t": t, "c": [self.mark_blocks(i, kind) for i in block["c"]]})
            elif t == "OrderedList":
                items = [self.mark_blocks(i, kind) for i in block["c"][1]]
                out.append({"t": t, "c": [block["c"][0], items]})
            elif t == "Table":
                table = copy.deepcopy(block)
                table["c"][1][1] = self.mark_blocks(table["c"][1][1], kind)
                for rows in table_rows(table):
                    rows[:] = [self._mark_row(row, kind) for row in rows]
                out.append(table)
            elif kind == "insertion":
                out.append(block)
        return out


class BlockWords:
    """The words of each block's text, computed when first asked for."""

    def __init__(self, blocks: list[Node]):
        self._blocks = blocks
        self._words: dict[int, list[str]] = {}

    def __getitem__(self, index: int) -> list[str]:
        found = self._words.get(index)
        if found is None:
            found = self._words[index] = words(block_text(self._blocks[index]))
        return found


def _row_text(row: Row) -> str:
    return " | ".join("\n".join(block_text(b) for b in cell[4]) for cell in row[1])


def block_key(node: Node) -> str:
    """Return what makes two blocks the same for the alignment: kind and text."""
    t = node["t"]
    if t == "Header":
        return f"Header{node['c'][0]}\0{block_text(node)}"
    return f"{t}\0{block_text(node)}"


def compatible(a: Node, b: Node) -> bool:
    """Return True when two blocks can be compared part by part."""
    if a["t"] != b["t"]:
        return False
    if a["t"] == "Header":
        return bool(a["c"][0] == b["c"][0])
    return a["t"] not in ("CodeBlock", "RawBlock", "HorizontalRule")


def redline_tree(a: list[Node], b: list[Node], marks: Marks) -> list[Node]:
    """Return the blocks of B's document with A's differences as tracked-change spans."""
    return Redliner(marks).blocks(a, b)
