"""Tracked changes in WordprocessingML: `w:ins`, `w:del`, paragraph and row marks.

Low-level helpers are named after the XML they touch (`make_ins`, `set_paragraph_mark`,
`set_row_mark`); above them, functions that say what the change is for: marking a paragraph
or table inserted or deleted, redlining two paragraphs word by word, accepting or rejecting
every change (which the tests use to check a redline against both builds).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import Literal

from lxml import etree

from ..classes import dataclass
from ..ooxml import get_or_add, make, parse_xml, qn, serialize_xml, set_child
from .align import align, similarity, word_opcodes, words
from .body import Author as Author  # the author of the changes, lxml-free

Kind = Literal["insertion", "deletion"]

W_INS, W_DEL = qn("w:ins"), qn("w:del")
W_P, W_R, W_T, W_TBL, W_TR, W_TC = (qn(n) for n in ("w:p", "w:r", "w:t", "w:tbl", "w:tr", "w:tc"))
W_PPR, W_RPR, W_TRPR = qn("w:pPr"), qn("w:rPr"), qn("w:trPr")
W_DELTEXT, W_INSTR, W_DELINSTR = qn("w:delText"), qn("w:instrText"), qn("w:delInstrText")
W_SECTPR = qn("w:sectPr")
W_FOOTNOTE_REF = qn("w:footnoteRef")
# Elements a paragraph may hold besides runs that a word-level redline can drop safely.
_IGNORABLE = frozenset(
    qn(f"w:{name}")
    for name in ("pPr", "bookmarkStart", "bookmarkEnd", "proofErr", "permStart", "permEnd")
)
CONTAINERS = (qn("w:body"), W_TC, qn("w:footnote"), qn("w:endnote"), qn("w:txbxContent"))


# --------------------------------------------------------------------------- low level


def make_revision(
    kind: Kind, author: Author, children: Iterable[etree._Element] = ()
) -> etree._Element:
    """Build a w:ins or w:del (the id is set when the document is finished)."""
    element = make("w:ins" if kind == "insertion" else "w:del", id=0, author=author.name)
    element.set(qn("w:date"), author.date)
    element.extend(children)
    return element


def make_ins(author: Author, children: Iterable[etree._Element] = ()) -> etree._Element:
    return make_revision("insertion", author, children)


def make_del(author: Author, children: Iterable[etree._Element] = ()) -> etree._Element:
    return make_revision("deletion", author, children)


def to_deleted_text(run: etree._Element) -> etree._Element:
    """Turn a run's w:t and w:instrText into w:delText and w:delInstrText (in place)."""
    for element in run.iter(W_T, W_INSTR):
        element.tag = W_DELTEXT if element.tag == W_T else W_DELINSTR
    return run


def to_text(run: etree._Element) -> etree._Element:
    """Turn a run's w:delText and w:delInstrText back into w:t and w:instrText (in place)."""
    for element in run.iter(W_DELTEXT, W_DELINSTR):
        element.tag = W_T if element.tag == W_DELTEXT else W_INSTR
    return run


def paragraph_mark(p: etree._Element) -> Kind | None:
    """Return how the paragraph mark of p is tracked, if it is."""
    rpr = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    if rpr is None:
        return None
    if rpr.find(W_INS) is not None:
        return "insertion"
    if rpr.find(W_DEL) is not None:
        return "deletion"
    return None


def set_paragraph_mark(p: etree._Element, kind: Kind | None, author: Author | None) -> None:
    """Track the paragraph mark of p as inserted or deleted (None: untracked)."""
    ppr = p.find(W_PPR)
    if ppr is None:
        if kind is None:
            return
        ppr = make("w:pPr")
        p.insert(0, ppr)
    rpr = ppr.find(W_RPR)
    if rpr is not None:
        for old in rpr.findall(W_INS) + rpr.findall(W_DEL):
            rpr.remove(old)
        if len(rpr) == 0 and (kind is None or author is None):
            ppr.remove(rpr)
    if kind is None or author is None:
        return
    rpr = get_or_add(ppr, "w:rPr")
    set_child(rpr, make_revision(kind, author))


def set_row_mark(tr: etree._Element, kind: Kind, author: Author) -> None:
    """Track a table row as inserted or deleted."""
    trpr = get_or_add(tr, "w:trPr")
    if tr[0] is not trpr:
        tr.remove(trpr)
        tr.insert(_row_property_index(tr), trpr)
    set_child(trpr, make_revision(kind, author))


def _row_property_index(tr: etree._Element) -> int:
    # w:tblPrEx comes before w:trPr in a row.
    return 1 if len(tr) and tr[0].tag == qn("w:tblPrEx") else 0


def number_revisions(roots: Iterable[etree._Element]) -> int:
    """Give every w:ins and w:del a unique id across the parts; return how many there are."""
    count = 0
    for root in roots:
        for element in root.iter(W_INS, W_DEL):
            count += 1
            element.set(qn("w:id"), str(count))
    return count


# --------------------------------------------------------------------------- reading


def _runs(p: etree._Element) -> Iterator[tuple[etree._Element, Kind | None]]:
    """Yield the runs of a paragraph with how each is tracked."""
    for child in p:
        if child.tag == W_R:
            yield child, None
        elif child.tag in (W_INS, W_DEL):
            kind: Kind = "insertion" if child.tag == W_INS else "deletion"
            for run in child.iter(W_R):
                yield run, kind
        elif child.tag not in _IGNORABLE:
            for run in child.iter(W_R):
                yield run, None


def _has_content(run: etree._Element) -> bool:
    for child in run:
        if child.tag == W_RPR or child.tag == W_FOOTNOTE_REF:
            continue
        if child.tag in (W_T, W_DELTEXT):
            if (child.text or "").strip():
                return True
            continue
        return True
    return False


def content_status(p: etree._Element) -> Kind | None | Literal["mixed", "empty"]:
    """Return whether all of a paragraph's text is inserted, deleted, untracked or mixed."""
    kinds = {kind for run, kind in _runs(p) if _has_content(run)}
    if not kinds:
        return "empty"
    if len(kinds) == 1:
        return next(iter(kinds))
    return "mixed"


# --------------------------------------------------------------------------- marking


def mark_paragraph(p: etree._Element, kind: Kind, author: Author) -> etree._Element:
    """Mark a whole paragraph inserted or deleted: its runs and its mark (in place)."""
    for child in list(p):
        if child.tag == W_R:
            wrapper = make_revision(kind, author)
            child.addprevious(wrapper)
            wrapper.append(to_deleted_text(child) if kind == "deletion" else child)
        elif child.tag in (W_INS, W_DEL):
            continue
        elif child.tag not in _IGNORABLE:
            for run in child.iter(W_R):
                if kind == "deletion":
                    to_deleted_text(run)
            wrapper = make_revision(kind, author)
            child.addprevious(wrapper)
            wrapper.append(child)
    set_paragraph_mark(p, kind, author)
    return p


def mark_block(block: etree._Element, kind: Kind, author: Author) -> etree._Element:
    """Mark a paragraph or table inserted or deleted (in place)."""
    if block.tag == W_P:
        return mark_paragraph(block, kind, author)
    if block.tag == W_TBL:
        for tr in block.iter(W_TR):
            mark_block_row(tr, kind, author)
    return block


def infer_marks(root: etree._Element, author: Author) -> None:
    """Mark the paragraph marks and rows pandoc could not: where all their text is tracked.

    pandoc writes the space after the number of a note referenced inside a deletion as
    deleted text outside any w:del; it becomes plain text (the note goes with its reference).
    """
    for element in root.iter(W_DELTEXT, W_DELINSTR):
        if not any(a.tag == W_DEL for a in element.iterancestors()):
            element.tag = W_T if element.tag == W_DELTEXT else W_INSTR
    for p in root.iter(W_P):
        status = content_status(p)
        if status in ("insertion", "deletion") and paragraph_mark(p) is None:
            set_paragraph_mark(p, status, author)  # type: ignore[arg-type]
    for tr in root.iter(W_TR):
        kinds = {paragraph_mark(p) for p in tr.iter(W_P) if content_status(p) != "empty"}
        if len(kinds) == 1 and None not in kinds:
            trpr = tr.find(W_TRPR)
            if trpr is None or (trpr.find(W_INS) is None and trpr.find(W_DEL) is None):
                set_row_mark(tr, kinds.pop(), author)  # type: ignore[arg-type]


def settle_paragraph_marks(root: etree._Element) -> None:
    """Move a tracked mark off the last paragraph of a container (body, cell, note).

    The last paragraph mark of a container cannot be inserted or deleted: Word keeps it.
    So for a run of inserted (or deleted) paragraphs at the end of a container, the mark of
    the paragraph before the run is tracked instead, and the last mark is left alone;
    accepting or rejecting then joins that paragraph to the last one, as Word does itself.
    """
    for container in root.iter(*CONTAINERS):
        paragraphs = [child for child in container if child.tag == W_P]
        if not paragraphs or _followed_by_block(paragraphs[-1]):
            continue
        last = paragraphs[-1]
        kind = paragraph_mark(last)
        if kind is None:
            continue
        author = _mark_author(last)
        set_paragraph_mark(last, None, None)
        index = len(paragraphs) - 2
        while index >= 0 and paragraph_mark(paragraphs[index]) == kind:
            index -= 1
        if index >= 0 and paragraph_mark(paragraphs[index]) is None:
            set_paragraph_mark(paragraphs[index], kind, author)


def _followed_by_block(p: etree._Element) -> bool:
    for sibling in p.itersiblings():
        if sibling.tag != W_SECTPR:
            return True
    return False


def _mark_author(p: etree._Element) -> Author:
    marks = p.findall(f"{qn('w:pPr')}/{qn('w:rPr')}/*")
    mark = next((m for m in marks if m.tag in (W_INS, W_DEL)), None)
    if mark is None:
        return Author("vanban", "")
    return Author(mark.get(qn("w:author")) or "", mark.get(qn("w:date")) or "")


# --------------------------------------------------------------------------- word level


@dataclass(frozen=True)
class _Token:
    key: str
    rpr: etree._Element | None
    element: etree._Element  # the run child (w:t holds only this token's text)


def _tokens(p: etree._Element) -> list[_Token] | None:
    """Return the tokens of a paragraph of plain runs, or None when it holds more."""
    out: list[_Token] = []
    for child in p:
        if child.tag in _IGNORABLE:
            continue
        if child.tag != W_R:
            return None
        rpr = child.find(W_RPR)
        for item in child:
            if item.tag == W_RPR:
                continue
            if item.tag == W_T:
                for word in words(item.text or ""):
                    t = make("w:t")
                    t.text = word
                    out.append(_Token(word, rpr, t))
            elif item.tag == qn("w:tab"):
                out.append(_Token("\t", rpr, item))
            elif item.tag in (qn("w:br"), qn("w:cr")):
                out.append(_Token("\n", rpr, item))
            else:
                out.append(_Token(etree.tostring(item).decode(), rpr, item))
    return out


def _runs_of(tokens: list[_Token], deleted: bool) -> list[etree._Element]:
    """Build runs from tokens: one run per stretch with the same properties."""
    runs: list[etree._Element] = []
    key: bytes | None = None
    for token in tokens:
        token_key = b"" if token.rpr is None else etree.tostring(token.rpr)
        if not runs or token_key != key:
            run = make("w:r", [copy.deepcopy(token.rpr)] if token.rpr is not None else [])
            runs.append(run)
            key = token_key
        run = runs[-1]
        element = copy.deepcopy(token.element)
        last = run[-1] if len(run) else None
        if element.tag == W_T and last is not None and last.tag == W_T:
            last.text = (last.text or "") + (element.text or "")
        else:
            run.append(element)
    for run in runs:
        for t in run.iter(W_T):
            if t.text != (t.text or "").strip() or "  " in (t.text or ""):
                t.set(qn("xml:space"), "preserve")
        if deleted:
            to_deleted_text(run)
    return runs


def redline_paragraph(a: etree._Element, b: etree._Element, author: Author) -> list[etree._Element]:
    """Return B's paragraph with word-level changes against A (or A deleted and B inserted)."""
    a_tokens, b_tokens = _tokens(a), _tokens(b)
    if a_tokens is None or b_tokens is None:
        return [
            mark_paragraph(copy.deepcopy(a), "deletion", author),
            mark_paragraph(copy.deepcopy(b), "insertion", author),
        ]
    out = make("w:p")
    out.attrib.update(b.attrib)
    ppr = b.find(W_PPR)
    if ppr is not None:
        out.append(copy.deepcopy(ppr))
    for tag, i1, i2, j1, j2 in word_opcodes([t.key for t in a_tokens], [t.key for t in b_tokens]):
        if tag == "equal":
            out.extend(_runs_of(b_tokens[j1:j2], deleted=False))
            continue
        if i2 > i1:
            out.append(make_del(author, _runs_of(a_tokens[i1:i2], deleted=True)))
        if j2 > j1:
            out.append(make_ins(author, _runs_of(b_tokens[j1:j2], deleted=False)))
    return [out]


def signature(element: etree._Element) -> bytes:
    """Return what makes two blocks the same: their XML without namespace declarations."""
    return etree.tostring(element, method="c14n", exclusive=True)


def text_of(element: etree._Element) -> str:
    """Return the text of a paragraph or table (deleted text included)."""
    return "".join(t.text or "" for t in element.iter(W_T, W_DELTEXT))


def redline_blocks(
    a: list[etree._Element], b: list[etree._Element], author: Author
) -> list[etree._Element]:
    """Return B's blocks (w:p, w:tbl) with A's differences as tracked changes."""
    a_keys = [signature(e) for e in a]
    b_keys = [signature(e) for e in b]
    a_words = _Words(a)
    b_words = _Words(b)

    def pairable(i: int, j: int) -> bool:
        if a[i].tag != b[j].tag or a[i].tag not in (W_P, W_TBL):
            return False
        return a[i].tag == W_P or (_shape(a[i]) is not None and _shape(b[j]) is not None)

    def similar(i: int, j: int) -> float:
        return similarity(a_words[i], b_words[j])

    out: list[etree._Element] = []
    for pair in align(a_keys, b_keys, pairable, similar):
        if pair.op == "equal" and pair.b is not None:
            out.append(b[pair.b])
        elif pair.op == "change" and pair.a is not None and pair.b is not None:
            if b[pair.b].tag == W_P:
                out += redline_paragraph(a[pair.a], b[pair.b], author)
            else:
                out += redline_table(a[pair.a], b[pair.b], author)
        elif pair.a is not None:
            out.append(mark_block(copy.deepcopy(a[pair.a]), "deletion", author))
        elif pair.b is not None:
            out.append(mark_block(b[pair.b], "insertion", author))
    return out


class _Words:
    """The words of each element, computed when first asked for."""

    def __init__(self, elements: list[etree._Element]):
        self._elements = elements
        self._words: dict[int, list[str]] = {}

    def __getitem__(self, index: int) -> list[str]:
        found = self._words.get(index)
        if found is None:
            found = self._words[index] = words(text_of(self._elements[index]))
        return found


def _shape(table: etree._Element) -> tuple[int, ...] | None:
    rows = table.findall(W_TR)
    return tuple(len(row.findall(W_TC)) for row in rows) if rows else None


def redline_table(a: etree._Element, b: etree._Element, author: Author) -> list[etree._Element]:
    """Return B's table with cell-level changes against A."""
    result = copy.deepcopy(b)
    a_rows, b_rows = a.findall(W_TR), result.findall(W_TR)
    a_keys = [signature(r) for r in a_rows]
    b_keys = [signature(r) for r in b_rows]
    a_words = _Words(a_rows)
    b_words = _Words(b_rows)

    def pairable(i: int, j: int) -> bool:
        return len(a_rows[i].findall(W_TC)) == len(b_rows[j].findall(W_TC))

    def similar(i: int, j: int) -> float:
        return similarity(a_words[i], b_words[j])

    pairs = align(a_keys, b_keys, pairable, similar)
    anchor: etree._Element | None = None  # the last row placed, to insert deleted rows after
    for pair in pairs:
        if pair.b is not None:
            row = b_rows[pair.b]
            if pair.op == "change" and pair.a is not None:
                for a_cell, b_cell in zip(
                    a_rows[pair.a].findall(W_TC), row.findall(W_TC), strict=True
                ):
                    _redline_cell(a_cell, b_cell, author)
            elif pair.op == "insert":
                mark_block_row(row, "insertion", author)
            anchor = row
        elif pair.a is not None:
            deleted = mark_block_row(copy.deepcopy(a_rows[pair.a]), "deletion", author)
            if anchor is None:
                first = result.find(W_TR)
                if first is not None:
                    first.addprevious(deleted)
                else:
                    result.append(deleted)
            else:
                anchor.addnext(deleted)
            anchor = deleted
    return [result]


def mark_block_row(tr: etree._Element, kind: Kind, author: Author) -> etree._Element:
    """Mark a table row and its paragraphs inserted or deleted (in place)."""
    set_row_mark(tr, kind, author)
    for p in tr.iter(W_P):
        mark_paragraph(p, kind, author)
    return tr


def _redline_cell(a: etree._Element, b: etree._Element, author: Author) -> None:
    a_blocks = [child for child in a if child.tag in (W_P, W_TBL)]
    b_blocks = [child for child in b if child.tag in (W_P, W_TBL)]
    merged = redline_blocks(a_blocks, b_blocks, author)
    for child in b_blocks:
        b.remove(child)
    b.extend(merged)


# --------------------------------------------------------------------------- resolving


def resolve(root: etree._Element, accept: bool) -> etree._Element:
    """Accept (or reject) every tracked change in a part, in place; return the part."""
    keep, drop = (W_INS, W_DEL) if accept else (W_DEL, W_INS)
    # Rows first: a dropped row goes with everything in it.
    for tr in list(root.iter(W_TR)):
        trpr = tr.find(W_TRPR)
        if trpr is None:
            continue
        if trpr.find(drop) is not None:
            tr.getparent().remove(tr)
        for marker in trpr.findall(keep):
            trpr.remove(marker)
    for element in list(root.iter(drop)):
        parent = element.getparent()
        if parent is not None and parent.tag != W_RPR:
            parent.remove(element)
    for element in list(root.iter(keep)):
        parent = element.getparent()
        if parent is None or parent.tag == W_RPR:
            continue
        for child in list(element):
            element.addprevious(to_text(child) if not accept else child)
        parent.remove(element)
    for p in list(root.iter(W_P)):
        rpr = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
        if rpr is None:
            continue
        joined = rpr.find(drop) is not None
        for marker in rpr.findall(W_INS) + rpr.findall(W_DEL):
            rpr.remove(marker)
        if joined:
            _join_with_next(p)
    return root


def _join_with_next(p: etree._Element) -> None:
    """Remove a paragraph mark: the paragraph's content goes to the start of the next one."""
    content = [child for child in p if child.tag != W_PPR]
    following = p.getnext()
    parent = p.getparent()
    if following is not None and following.tag == W_P:
        anchor = following.find(W_PPR)
        for child in reversed(content):
            if anchor is not None:
                anchor.addnext(child)
            else:
                following.insert(0, child)
        parent.remove(p)
    elif not any(text_of(c) for c in content):
        parent.remove(p)


def resolve_parts(parts: dict[str, bytes], accept: bool) -> dict[str, bytes]:
    """Return the DOCX parts with every change accepted (or rejected)."""
    out = dict(parts)
    for name in ("word/document.xml", "word/footnotes.xml"):
        if name in parts:
            out[name] = serialize_xml(resolve(parse_xml(parts[name]), accept))
    return out
