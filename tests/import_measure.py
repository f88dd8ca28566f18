"""How faithfully a rebuilt document reproduces its original: text, notes, cells, numbers."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from vanban.ooxml import DOCUMENT_PART, FOOTNOTES_PART, parse_xml, qn, read_parts

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _text(p: etree._Element, notes: list[tuple[str, str]] | None = None) -> str:
    out: list[str] = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:footnoteReference")):
        if el.tag == qn("w:t"):
            out.append(el.text or "")
        elif el.tag == qn("w:footnoteReference"):
            if notes is not None:
                words = "".join(out).split()
                notes.append((el.get(qn("w:id")) or "", " ".join(words[-3:])))
        else:
            out.append(" ")
    return unicodedata.normalize("NFC", "".join(out))


@dataclass
class Reading:
    """What a reader compares: body words, notes (anchor, text) in order, table cells."""

    words: list[str]
    notes: list[tuple[str, str]]
    cells: list[list[list[str]]]


def read(path: Path) -> Reading:
    """Read the body text outside tables, the footnotes with their anchors, every table's cells."""
    parts = read_parts(path)
    body = parse_xml(parts[DOCUMENT_PART]).find(qn("w:body"))
    assert body is not None
    words: list[str] = []
    anchors: list[tuple[str, str]] = []
    cells: list[list[list[str]]] = []

    def table(tbl: etree._Element) -> None:
        rows = []
        for tr in tbl.findall(qn("w:tr")):
            row = []
            for tc in tr.findall(qn("w:tc")):
                v_merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                if v_merge is not None and v_merge.get(qn("w:val")) in (None, "continue"):
                    row.append("")
                    continue
                row.append(
                    " ".join(" ".join(_text(p).split()) for p in tc.findall(qn("w:p"))).strip()
                )
                for nested in tc.findall(qn("w:tbl")):
                    table(nested)
            rows.append(row)
        cells.append(rows)

    for child in body:
        if child.tag == qn("w:p"):
            words.extend(_text(child, anchors).split())
        elif child.tag == qn("w:tbl"):
            table(child)
    texts: dict[str, str] = {}
    if FOOTNOTES_PART in parts:
        for note in parse_xml(parts[FOOTNOTES_PART]).findall(qn("w:footnote")):
            if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
                continue
            text = " ".join(_text(p) for p in note.iter(qn("w:p")))
            texts[note.get(qn("w:id")) or ""] = " ".join(text.split())
    notes = [(anchor, texts.get(nid, "")) for nid, anchor in anchors]
    return Reading(words, notes, cells)


def similarity(a: list[str], b: list[str]) -> float:
    """Return difflib's ratio over the two word sequences."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def numbers_recall(original: Reading, rebuilt: Reading) -> float:
    """Return the share of the original's numbers (text, notes, cells) the rebuilt one prints."""

    def numbers(r: Reading) -> list[str]:
        found = _NUMBER.findall(" ".join(r.words))
        for _, text in r.notes:
            found += _NUMBER.findall(text)
        for rows in r.cells:
            for row in rows:
                for cell in row:
                    found += _NUMBER.findall(cell)
        return found

    wanted = numbers(original)
    have: dict[str, int] = {}
    for n in numbers(rebuilt):
        have[n] = have.get(n, 0) + 1
    hit = 0
    for n in wanted:
        if have.get(n, 0) > 0:
            have[n] -= 1
            hit += 1
    return hit / len(wanted) if wanted else 1.0


def table_cells(r: Reading) -> list[str]:
    """Return every non-empty table cell, in order, with spaces collapsed."""
    return [cell for rows in r.cells for row in rows for cell in row if cell]
