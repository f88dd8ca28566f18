"""A document attached to a Quyết định, after its signature: a Quy chế, Quy định, Điều lệ …

The attached text has the form of ND30 Phụ lục III ("Mẫu văn bản được ban hành, phê duyệt
kèm theo quyết định"): its own masthead (cơ quan | quốc hiệu, no Số line), its kind in
capitals ("QUY CHẾ HOẠT ĐỘNG"), its trích yếu, often "(Ban hành kèm theo Quyết định …)", then
its chapters and articles. It is imported as an appendix with `document:` and `text:`
(content/kem-theo/NN-….md), its body read as the narrative is (vanban.importer.structure),
in its own heading scheme, by read_text, which also reads a Phụ lục of paragraphs
(vanban.importer.appendices).
"""

from __future__ import annotations

import re
from typing import Any, cast

from ..classes import dataclass, field
from .markdown import plain, slug
from .narrative import Findings, Narrative, heading_scheme, name_notes, note_markdown, number_items
from .reader import Block, Para, Run, Source, Table

# The kinds of text a Quyết định issues or approves, as their first line prints them.
KINDS = (
    "QUY CHẾ", "QUY ĐỊNH", "ĐIỀU LỆ", "KẾ HOẠCH", "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "ĐỀ ÁN",
    "DANH SÁCH", "PHƯƠNG ÁN", "NỘI QUY", "QUY TRÌNH", "DANH MỤC", "CHIẾN LƯỢC", "QUY HOẠCH",
)  # fmt: skip
_NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA"
_ATTACHING = re.compile(r"^\((?:Ban hành |Được ban hành )?[Kk]èm theo")
_START = re.compile(r"^(Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều)\s+\S|^([IVXLC]+|\d+)\.\s")
_FOLDER = "kem-theo"
# A label of ND30 6a on a line of its own ("Chương I"): the bold capitals under it are its
# title ("QUY ĐỊNH CHUNG"), not the kind line of another document.
_BARE_LABEL = re.compile(r"^(Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC)\s+[IVXLC\d]+\.?$")


@dataclass
class AttachedImport:
    """The appendix items, files and notes of the documents attached after the signature."""

    items: list[dict[str, Any]] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # each item's place among the blocks left
    files: dict[str, str] = field(default_factory=dict)
    mapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    note_ids: set[str] = field(default_factory=set)  # the footnotes it imported


def _kind(p: Para) -> str | None:
    text = plain(p.text).strip()
    upper = text.upper()
    if not p.bold or text != upper or len(text) > 80:
        return None
    return next((k for k in KINDS if upper == k or upper.startswith(k + " ")), None)


def _is_masthead(block: Block) -> bool:
    return isinstance(block, Table) and _NATIONAL in block.all_text().upper()


def _empty(block: Block) -> bool:
    return isinstance(block, Para) and not plain(block.text).strip() and not block.notes


def _starts(blocks: list[Block], index: int) -> int | None:
    """Return where the kind line is when an attached document starts at index (its
    masthead, or its kind line itself), else None."""
    at = index
    if _is_masthead(blocks[at]):
        at += 1
        while at < len(blocks) and _empty(blocks[at]):
            at += 1
    elif any(
        isinstance(b, Para) and _BARE_LABEL.match(plain(b.text).strip())
        for b in _last_filled(blocks[:index])
    ):
        return None  # a chapter's title
    if at < len(blocks) and isinstance(blocks[at], Para) and _kind(cast(Para, blocks[at])):
        return at
    if at > index and at < len(blocks) and isinstance(blocks[at], Para):
        # under a masthead of its own, any bold title in capitals names a document: a
        # draft QUYẾT ĐỊNH sent for comments, a PHIẾU GHI Ý KIẾN
        p = cast(Para, blocks[at])
        text = plain(p.text).strip()
        if p.bold and p.align == "center" and text.isupper() and 3 < len(text) <= 60:
            return at
    return None


def _typed_articles(blocks: list[Block]) -> tuple[list[Block], int]:
    """Give the articles Word numbered by its list numbering ("Điều 1." printed by the
    numbering, a bold title typed) their label as text, so that they read as articles;
    return the blocks and how many were so labelled."""
    typed_chapters = any(
        isinstance(b, Para) and re.match(r"^(Chương|CHƯƠNG)\s+[IVXLC]+\b", plain(b.text).strip())
        for b in blocks
    )
    typed_articles = any(
        isinstance(b, Para) and re.match(r"^Điều\s+\d+", plain(b.text).strip()) for b in blocks
    )
    if not typed_chapters or typed_articles:
        return blocks, 0
    out: list[Block] = []
    count = 0
    for block in blocks:
        if (
            isinstance(block, Para)
            and block.numbered
            and block.bold
            and block.align != "center"
            and 0 < len(plain(block.text).strip()) < 200
        ):
            count += 1
            label = Run(f"Điều {count}. ", bold=True)
            block = Para((label, *block.runs), block.style, block.align, block.number,
                         block.ends_section, block.landscape, False)  # fmt: skip
        out.append(block)
    return out, count


def split_attached(
    blocks: list[Block], source: Source, taken_names: set[str]
) -> tuple[AttachedImport, list[Block]]:
    """Take the attached documents out of the blocks after the signature; return them, each
    with its place among the blocks left (a Phụ lục before it keeps its place), and the
    blocks left (the Phụ lục)."""
    out = AttachedImport()
    left: list[Block] = []
    index = 0
    while index < len(blocks):
        # under a "Phụ lục" heading, a kind's name ("HƯỚNG DẪN …") is that appendix's title
        headed = any(_appendix(b) for b in _last_filled(left))
        at = None if headed else _starts(blocks, index)
        if at is None:
            left.append(blocks[index])
            index += 1
            continue
        end = at + 1
        while end < len(blocks) and _starts(blocks, end) is None and not _appendix(blocks[end]):
            end += 1
        _document(blocks[at:end], source, out, taken_names)
        out.positions.append(len(left))
        index = end
    return out, left


def _last_filled(blocks: list[Block]) -> list[Block]:
    """Return the last block that is not an empty paragraph, in a list (none: empty)."""
    return next(([b] for b in reversed(blocks) if not _empty(b)), [])


def _appendix(block: Block) -> bool:
    if not isinstance(block, Para) or not block.bold:
        return False
    return bool(re.match(r"^(Phụ lục|PHỤ LỤC)(\s+[IVXLC\d]+)?\s*$", plain(block.text).strip()))


def _document(
    blocks: list[Block], source: Source, out: AttachedImport, taken_names: set[str]
) -> None:
    """Import one attached document: its kind line first, then its title, its Kèm theo
    line and its body."""
    kind_line = plain(blocks[0].text).strip() if isinstance(blocks[0], Para) else ""
    title: list[str] = []
    attached_words: str | None = None
    at = 1
    while at < len(blocks):
        block = blocks[at]
        if _empty(block):
            at += 1
            continue
        if not isinstance(block, Para):
            break
        text = plain(block.text).strip()
        if _ATTACHING.match(text):
            attached_words = text
            at += 1
            # its lines go on to the ")", or to a blank line or a table where it was left open
            while not attached_words.endswith(")") and at < len(blocks):
                follow = blocks[at]
                if not isinstance(follow, Para) or not plain(follow.text).strip():
                    break
                attached_words += " " + plain(follow.text).strip()
                at += 1
            continue
        if (
            attached_words is None
            and block.bold
            and block.align == "center"
            and not _START.match(text)
            and not (title and text.isupper() and not title[-1].isupper())
        ):  # a line in capitals after the trích yếu is the issuer's ("ỦY BAN NHÂN DÂN …")
            title.append(text)
            at += 1
            continue
        break
    body_blocks, labelled = _typed_articles(blocks[at:])
    read = read_text(body_blocks, source, taken_names, ("roman", "number", "letter"))
    out.note_ids.update(read.note_ids)
    out.notes.extend(read.duplicates)
    text, scheme = read.markdown, read.scheme
    number = len(out.items) + 1
    kind = kind_line[:1] + kind_line[1:].lower()
    trich_yeu = " ".join(title)
    name = f"{number:02d}-{slug(kind_line, 3)}.md"
    path = f"{_FOLDER}/{name}"
    base = slug(kind_line, 3) or f"van-ban-{number}"
    taken = {i["name"] for i in out.items}
    unique, counter = base, 2
    while unique in taken:  # two lists of the same kind: "danh-sach", "danh-sach-2"
        unique, counter = f"{base}-{counter}", counter + 1
    item: dict[str, Any] = {
        "name": unique,
        "document": kind,
        "title": trich_yeu or kind,
        "text": path,
        "headings": list(scheme),
    }
    if attached_words is not None and " của Chủ tịch " in f" {attached_words}":
        item["attached"] = "chair"
    out.items.append(item)
    out.files[f"content/{path}"] = text
    where = f"attached “{kind_line}”"
    out.mapped.append(
        f"{where}: a document of its own after the signature → content/appendices.yaml "
        f"(document: {kind}) and content/{path}; headings: {', '.join(scheme)}"
    )
    if attached_words is None:
        out.corrected.append(
            f"{where}: no “(Kèm theo Quyết định …)” line in the source; the build prints it "
            "(ND30 Phụ lục III)"
        )
    elif not attached_words.startswith("(Kèm theo"):
        out.notes.append(f"{where}: “{attached_words[:40]}…” prints as ND30's “(Kèm theo …)”")
    if labelled:
        out.corrected.append(
            f"{where}: {labelled} articles numbered by Word's list numbering: read as Điều 1 … "
            f"Điều {labelled}, numbered by the build"
        )
    out.notes += [f"{where}: {n}" for n in read.notes]
    out.corrected += [f"{where}: {n}" for n in read.corrected]


@dataclass
class Text:
    """A text after the signature read as the narrative is: its Markdown (its footnotes
    defined at its end), its heading scheme, what its reader noted and the notes it took."""

    markdown: str
    scheme: tuple[str, ...]
    notes: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    note_ids: set[str] = field(default_factory=set)
    duplicates: list[str] = field(default_factory=list)


def read_text(
    blocks: list[Block], source: Source, taken_names: set[str], default: tuple[str, ...]
) -> Text:
    """Read the blocks of a text after the signature (an attached document's body, a Phụ lục
    of paragraphs) into Markdown in its own heading scheme (default when it has only I. /
    1. / a)); its footnotes are named apart from the names taken, which it extends."""
    names, duplicates = name_notes(source, blocks)
    for nid, name in list(names.items()):  # its notes are its own; names apart from the body's
        base, counter = name, 2
        while name in taken_names:
            name, counter = f"{base}-{counter}", counter + 1
        names[nid] = name
        taken_names.add(name)
    scheme = heading_scheme(blocks) or default
    recogniser = Findings()
    body = Narrative(recogniser, names, scheme)
    body.read(blocks)
    lines: list[str] = []
    for _, typed in body.files:
        numbered, kept = number_items(typed)
        lines += numbered
        for numbers in kept:
            recogniser.notes.append(f"paragraphs numbered {numbers}: kept as typed")
    text = "\n".join(lines).strip() + "\n"
    definitions = note_markdown(source, names)
    used = re.findall(r"\[\^([^\]]+)\]", text)
    defs = [f"[^{n}]: {definitions[n]}" for n in used if n in definitions]
    if defs:
        text += "\n" + "\n\n".join(defs) + "\n"
    return Text(text, scheme, recogniser.notes, recogniser.corrected, set(names), duplicates)
