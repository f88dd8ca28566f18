"""Check a DOCX package for the faults that make Word refuse to open it.

Each problem is one line, `part:line: message`, in the compiler format editors annotate.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from lxml import etree

from .ooxml import (
    CHILD_ORDER,
    CONTENT_TYPES_PART,
    CT_NS,
    DOCUMENT_PART,
    PKG_REL_NS,
    R_NS,
    REL_FOOTNOTES,
    REPEATABLE,
    W_NS,
    local_name,
    parse_xml,
    qn,
    read_parts,
    rels_part_name,
    resolve_target,
)

# Property containers whose children must follow their ECMA-376 sequence.
ORDERED = frozenset(CHILD_ORDER)


def check_package(docx: bytes | Path) -> list[str]:
    """Return every problem found in the package; an empty list means none."""
    try:
        parts = read_parts(docx)
    except (zipfile.BadZipFile, OSError) as exc:
        return [f"{docx if isinstance(docx, Path) else '<bytes>'}: not a DOCX (zip) package: {exc}"]
    problems: list[str] = []
    trees: dict[str, etree._Element] = {}
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            try:
                trees[name] = parse_xml(data)
            except etree.XMLSyntaxError as exc:
                problems.append(f"{name}:{exc.lineno}: not well-formed XML: {exc.msg}")
    problems += check_content_types(parts, trees)
    problems += check_relationships(parts, trees)
    for name, root in trees.items():
        problems += check_child_order(name, root)
    problems += check_footnote_references(trees)
    return problems


def check_content_types(
    parts: Mapping[str, bytes], trees: Mapping[str, etree._Element]
) -> list[str]:
    """Every part has a content type ([Content_Types].xml) and every Override names a part."""
    types = trees.get(CONTENT_TYPES_PART)
    if types is None:
        return [f"{CONTENT_TYPES_PART}: missing"] if CONTENT_TYPES_PART not in parts else []
    defaults = {(e.get("Extension") or "").lower() for e in types.iter(f"{{{CT_NS}}}Default")}
    overrides = {
        (e.get("PartName") or "").lstrip("/").lower(): e for e in types.iter(f"{{{CT_NS}}}Override")
    }
    problems = []
    present = {name.lower() for name in parts}
    for name in parts:
        if name == CONTENT_TYPES_PART or name.endswith("/"):
            continue
        base = PurePosixPath(name).name
        extension = base.rpartition(".")[2].lower() if "." in base else ""
        if name.lower() not in overrides and extension not in defaults:
            problems.append(f"{CONTENT_TYPES_PART}: no content type for part {name}")
    for name, element in overrides.items():
        if name not in present:
            problems.append(
                f"{CONTENT_TYPES_PART}:{element.sourceline}: Override for a missing part /{name}"
            )
    return problems


def check_relationships(
    parts: Mapping[str, bytes], trees: Mapping[str, etree._Element]
) -> list[str]:
    """Every internal relationship target exists and every r:id a part uses is declared."""
    problems = []
    declared: dict[str, set[str]] = {}
    for rels_name, root in trees.items():
        if not rels_name.endswith(".rels"):
            continue
        source = _source_of(rels_name)
        ids = declared.setdefault(source, set())
        for rel in root.iter(f"{{{PKG_REL_NS}}}Relationship"):
            ids.add(rel.get("Id") or "")
            if rel.get("TargetMode") == "External":
                continue
            target = resolve_target(source, rel.get("Target") or "")
            if target not in parts:
                problems.append(
                    f"{rels_name}:{rel.sourceline}: relationship {rel.get('Id')} points to "
                    f"a missing part {target}"
                )
    for name, root in trees.items():
        if name.endswith(".rels") or name == CONTENT_TYPES_PART:
            continue
        ids = declared.get(name, set())
        for element, attribute, value in _relationship_uses(root):
            if value not in ids:
                problems.append(
                    f'{name}:{element.sourceline}: r:{attribute}="{value}" is not declared '
                    f"in {rels_part_name(name)}"
                )
    return problems


def _source_of(rels_name: str) -> str:
    folder, _, file = rels_name.rpartition("/")
    parent = folder.removesuffix("_rels").rstrip("/")
    name = file.removesuffix(".rels")
    return f"{parent}/{name}" if parent else name


def _relationship_uses(root: etree._Element) -> Iterator[tuple[etree._Element, str, str]]:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute, value in element.attrib.items():
            qname = etree.QName(attribute)
            if qname.namespace == R_NS:
                yield element, qname.localname, value


def check_child_order(name: str, root: etree._Element) -> list[str]:
    """Children of w:pPr, w:rPr, w:sectPr, w:tblPr, w:tcPr, w:trPr, w:tblGrid... in order."""
    problems = []
    tree = root.getroottree()
    for parent in root.iter(*(f"{{{W_NS}}}{p}" for p in ORDERED)):
        container = local_name(parent)
        place = f"{name}:{parent.sourceline}: {tree.getpath(parent)}"
        order = CHILD_ORDER[container]
        repeatable = REPEATABLE.get(container, frozenset())
        last_rank, last_name = -1, ""
        seen: set[str] = set()
        for child in parent:
            if not isinstance(child.tag, str) or etree.QName(child).namespace != W_NS:
                continue
            child_name = local_name(child)
            rank = order.get(child_name)
            if rank is None:
                problems.append(f"{place}: unexpected child w:{child_name}")
                continue
            if rank < last_rank:
                problems.append(
                    f"{place}: w:{child_name} after w:{last_name} (ECMA-376 puts "
                    f"w:{child_name} first)"
                )
            elif child_name in seen and child_name not in repeatable:
                problems.append(f"{place}: w:{child_name} appears twice")
            seen.add(child_name)
            if rank >= last_rank:
                last_rank, last_name = rank, child_name
    return problems


def check_footnote_references(trees: Mapping[str, etree._Element]) -> list[str]:
    """Every w:footnoteReference points to a w:footnote in the footnotes part."""
    footnotes_part = _footnotes_part(trees)
    notes = trees.get(footnotes_part) if footnotes_part else None
    ids = set() if notes is None else {n.get(qn("w:id")) for n in notes.iter(qn("w:footnote"))}
    problems = []
    for name, root in trees.items():
        if name == footnotes_part or name.endswith(".rels"):
            continue
        for ref in root.iter(qn("w:footnoteReference")):
            if ref.get(qn("w:id")) not in ids:
                where = footnotes_part or "the package (no footnotes part)"
                problems.append(
                    f"{name}:{ref.sourceline}: footnote reference {ref.get(qn('w:id'))} "
                    f"has no footnote in {where}"
                )
    return problems


def _footnotes_part(trees: Mapping[str, etree._Element]) -> str | None:
    rels = trees.get(rels_part_name(DOCUMENT_PART))
    if rels is None:
        return None
    for rel in rels.iter(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("Type") == REL_FOOTNOTES and rel.get("TargetMode") != "External":
            return resolve_target(DOCUMENT_PART, rel.get("Target") or "")
    return None
