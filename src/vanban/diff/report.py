"""The diff for people: a terminal listing (coloured on a tty), Markdown for a review, JSON."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .align import Segment
from .cells import CellChange
from .compare import Comparison
from .figures import FactChange, show_difference, show_value
from .sides import NotePlace
from .text import FieldChange, NoteChange, TextChange

# How many words of unchanged text to show on each side of a change.
CONTEXT_WORDS = 8

_RESET = "\033[0m"
_STYLES = {
    "deleted": "\033[31m",  # red
    "inserted": "\033[32m",  # green
    "title": "\033[1m",  # bold
    "name": "\033[36m",  # cyan
    "dim": "\033[2m",
}

FIELD_NAMES = {
    "agency_parent": "agency (parent)",
    "agency_lines": "agency",
    "number_line": "number (số)",
    "date_line": "place and date",
    "unprinted_date_line": "place and date (not printed: the record's)",
    "kind_title": "document kind",
    "summary": "summary (trích yếu)",
    "recipients": "recipients (nơi nhận)",
    "signer_authority": "signer's authority",
    "signer_position": "signer's position",
    "signer_name": "signer",
    "issuer": "issuing authority",
    "secretary_position": "secretary's position",
    "secretary_name": "secretary",
    "confirmation": "confirmation block",
    "status": "status",
}


FIELD_NAMES_VI = {
    "agency_parent": "cơ quan chủ quản",
    "agency_lines": "cơ quan ban hành",
    "number_line": "số, ký hiệu",
    "date_line": "địa danh, ngày tháng",
    "unprinted_date_line": "địa danh, ngày tháng (không in: của hồ sơ)",
    "kind_title": "loại văn bản",
    "summary": "trích yếu",
    "recipients": "nơi nhận",
    "signer_authority": "thẩm quyền ký",
    "signer_position": "chức vụ người ký",
    "signer_name": "người ký",
    "issuer": "thẩm quyền ban hành",
    "secretary_position": "chức vụ thư ký",
    "secretary_name": "thư ký",
    "confirmation": "khối xác nhận",
    "status": "trạng thái",
}

LABELS = {
    "en": {
        "figures": "Figures",
        "derived": "Derived figures",
        "paragraphs": "Paragraphs",
        "footnotes": "Footnotes",
        "fields": "Masthead and closing",
        "cells": "Appendix cells",
        "no changes": "no changes",
        "No changes.": "No changes.",
        "note": "note",
        "computed": "computed",
        "Text": "Text",
        "changed": "changed",
        "added": "added",
        "removed": "removed",
        "moved": "moved",
        "renumbered": "renumbered",
        "moved from": "moved from",
        "derived by rule": "derived by rule",
        "printed at": "printed at",
        "compared anyway": "compared anyway",
        "check error": "check error",
        "check errors": "check errors",
        "has": "has",
        "fact": "fact",
        "old": "old",
        "new": "new",
        "unit": "unit",
        "difference": "difference",
        "cell": "cell",
        "source": "source",
    },
    "vi": {
        "figures": "Số liệu",
        "derived": "Số liệu tính ra",
        "paragraphs": "Đoạn văn",
        "footnotes": "Chú thích",
        "fields": "Phần đầu và phần ký",
        "cells": "Ô của phụ lục",
        "no changes": "không có thay đổi",
        "No changes.": "Không có thay đổi.",
        "note": "chú thích",
        "computed": "tính ra",
        "Text": "Nội dung",
        "changed": "sửa",
        "added": "thêm",
        "removed": "bỏ",
        "moved": "chuyển chỗ",
        "renumbered": "đánh số lại",
        "moved from": "chuyển từ",
        "derived by rule": "tính theo quy tắc",
        "printed at": "in tại",
        "compared anyway": "vẫn so sánh",
        "check error": "lỗi kiểm tra",
        "check errors": "lỗi kiểm tra",
        "has": "có",
        "fact": "số liệu",
        "old": "cũ",
        "new": "mới",
        "unit": "đơn vị",
        "difference": "chênh lệch",
        "cell": "ô",
        "source": "nguồn",
    },
}


def default_lang() -> str:
    """Return "vi" when the locale is Vietnamese (LC_ALL, LC_MESSAGES, LANG), else "en"."""
    import os

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"


def _field_name(name: str, lang: str) -> str:
    names = FIELD_NAMES_VI if lang == "vi" else FIELD_NAMES
    return names.get(name, name)


class Painter:
    """Colours for a terminal, or plain text with [-deleted-]{+inserted+} marks."""

    def __init__(self, color: bool):
        self.color = color

    def __call__(self, style: str, text: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if self.color else text

    def segment(self, segment: Segment) -> str:
        if segment.status is None:
            return segment.text
        if self.color:
            return self(segment.status, segment.text)
        return f"[-{segment.text}-]" if segment.status == "deleted" else f"{{+{segment.text}+}}"


def excerpt(segments: Iterable[Segment], context: int = CONTEXT_WORDS) -> list[Segment]:
    """Return the segments with long unchanged stretches cut to a few words around changes."""
    items = list(segments)
    out: list[Segment] = []
    for index, segment in enumerate(items):
        if segment.status is not None:
            out.append(segment)
            continue
        words = segment.text.split(" ")
        before = index > 0
        after = index < len(items) - 1
        if len(words) <= context * (before + after) + 1:
            out.append(segment)
            continue
        head = " ".join(words[: context + 1]) if before else ""
        tail = " ".join(words[-context - 1 :]) if after else ""
        text = f"{head} … {tail}" if before and after else f"{head} …" if before else f"… {tail}"
        out.append(Segment(None, text))
    return out


def _where(section: str, headings: tuple[str, ...], appendix: str = "") -> str:
    """Return where a block is: its file, the appendix whose own text it is in, the
    heading above it (a heading printed over two lines, "Chương I" and its title, on one)."""
    heading = " ".join(headings[-1].split()) if headings else ""
    parts = [section, _short(appendix, 70), _short(heading, 70)]
    return " — ".join(part for part in parts if part)


def _short(text: str | None, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(items: Iterable[Any], kinds: Iterable[str], lang: str = "en") -> str:
    listed = list(items)
    parts = []
    for kind in kinds:
        n = sum(1 for item in listed if item.kind == kind)
        if n:
            parts.append(f"{n} {LABELS[lang][kind]}")
    return ", ".join(parts)


# --------------------------------------------------------------------------- text


def format_text(comparison: Comparison, color: bool = False, lang: str = "en") -> str:
    """Return the diff as a terminal listing, labelled in English or Vietnamese (lang)."""
    paint = Painter(color)
    return "\n".join(_text_lines(comparison, paint, lang)) + "\n"


def _text_lines(c: Comparison, paint: Painter, lang: str = "en") -> Iterator[str]:
    L = LABELS[lang]
    yield paint("title", f"vanban diff {c.a.label} → {c.b.label}")
    for side, sources in (("A", c.a_sources), ("B", c.b_sources)):
        checked = sources.checked
        errors = [f for f in checked.findings if f.status == "error"] if checked else []
        if errors:
            rules = ", ".join(dict.fromkeys(f.rule or "?" for f in errors))
            count = f"{len(errors)} {L['check error' if len(errors) == 1 else 'check errors']}"
            yield paint(
                "dim", f"{L['note']}: {side} {L['has']} {count} ({rules}); {L['compared anyway']}"
            )
    if not c.changed:
        yield L["no changes"]
        return
    typed = [f for f in c.facts if f.derived_by is None]
    derived = [f for f in c.facts if f.derived_by is not None]
    if typed:
        yield ""
        kinds = ("changed", "added", "removed")
        yield paint("title", f"{L['figures']}: {_count(typed, kinds, lang)}")
        for fact in typed:
            yield from _fact_lines(fact, paint, lang)
    if derived:
        yield ""
        yield paint(
            "title", f"{L['derived']}: {_count(derived, ('changed', 'added', 'removed'), lang)}"
        )
        for fact in derived:
            yield from _fact_lines(fact, paint, lang)
    if c.text:
        yield ""
        text_kinds = ("changed", "added", "removed", "moved", "renumbered")
        yield paint("title", f"{L['paragraphs']}: {_count(c.text, text_kinds, lang)}")
        section = None
        for change in c.text:
            where = _where(change.section, change.headings, change.appendix)
            if where != section:
                yield f"  {paint('name', where)}"
                section = where
            yield from _text_change_lines(change, paint, lang)
    if c.notes:
        yield ""
        kinds = ("changed", "added", "removed")
        yield paint("title", f"{L['footnotes']}: {_count(c.notes, kinds, lang)}")
        for note in c.notes:
            yield from _note_lines(note, paint, c.note_place(note.name), lang)
    if c.cells:
        yield ""
        yield paint("title", f"{L['cells']}: {len(c.cells)} {L['changed']}")
        for cell in c.cells:
            yield from _cell_lines(cell, paint, lang)
    if c.fields:
        yield ""
        yield paint("title", f"{L['fields']}: {len(c.fields)} {L['changed']}")
        for field in c.fields:
            yield from _field_lines(field, paint, lang)


def _cell_where(cell: CellChange) -> str:
    table = f" · {_short(cell.table, 70)}" if cell.table else ""
    return f"{cell.appendix}{table} · {_short(cell.row, 60)} · {cell.column}"


def _cell_lines(cell: CellChange, paint: Painter, lang: str) -> Iterator[str]:
    L = LABELS[lang]
    source = cell.fact or (f"{L['computed']}: {cell.computed}" if cell.computed else "")
    yield (
        f"  {paint('name', _cell_where(cell))}: {paint('deleted', cell.old or '—')} → "
        f"{paint('inserted', cell.new or '—')}"
    )
    if source:
        yield paint("dim", f"      {source}")


def _fact_lines(change: FactChange, paint: Painter, lang: str = "en") -> Iterator[str]:
    L = LABELS[lang]
    unit = f" {change.unit}" if change.unit else ""
    if change.kind == "changed":
        values = (
            f"{paint('deleted', show_value(change.old))} → "
            f"{paint('inserted', show_value(change.new))}{unit}"
        )
        difference = show_difference(change)
        if difference:
            values += f"  {difference}"
    elif change.kind == "added":
        values = f"{L['added']}: {paint('inserted', show_value(change.new))}{unit}"
    else:
        values = f"{L['removed']}: {paint('deleted', show_value(change.old))}{unit}"
    yield f"  {paint('name', change.name)}  {values}"
    notes = []
    if change.derived_by:
        notes.append(f"{L['derived by rule']} {change.derived_by}")
    if change.label:
        notes.append(change.label)
    if change.printed_at:
        notes.append(f"{L['printed at']} " + ", ".join(change.printed_at))
    if notes:
        yield paint("dim", "      " + " · ".join(notes))


def changed_lines(segments: Iterable[Segment]) -> list[list[Segment]]:
    """Cut segments at line ends (table rows) and keep the lines that hold a change."""
    lines: list[list[Segment]] = [[]]
    for segment in segments:
        pieces = segment.text.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                lines.append([])
            if piece:
                lines[-1].append(Segment(segment.status, piece))
    return [line for line in lines if any(s.status for s in line)]


def _text_change_lines(change: TextChange, paint: Painter, lang: str = "en") -> Iterator[str]:
    if change.kind in ("changed", "renumbered"):
        mark = "~" if change.kind == "changed" else "#"
        for line in changed_lines(change.segments):
            yield f"    {mark} " + "".join(paint.segment(s) for s in excerpt(line))
    elif change.kind == "added":
        yield "    + " + paint("inserted", _short(change.new))
    elif change.kind == "removed":
        yield "    - " + paint("deleted", _short(change.old))
    else:
        origin = _where(change.from_section or "", change.from_headings, change.from_appendix)
        yield f"    ↷ {LABELS[lang]['moved from']} {origin}: {_short(change.new, 100)}"
        if change.segments:
            yield "      " + "".join(paint.segment(s) for s in excerpt(change.segments))


def _note_label(name: str, place: NotePlace | None, lang: str, code: str = "") -> str:
    """Return a footnote's label: its name as written, then where it prints, "(note 1)" in
    the body, "(content/kem-theo/quy-che.md, note 2)" in an attached text."""
    if place is None:
        return f"{code}[^{name}]{code}"
    where = f"{place.source}, " if place.source else ""
    return f"{code}[^{place.name}]{code} ({where}{LABELS[lang]['note']} {place.number})"


def _note_lines(
    note: NoteChange, paint: Painter, place: NotePlace | None = None, lang: str = "en"
) -> Iterator[str]:
    L = LABELS[lang]
    name = paint("name", _note_label(note.name, place, lang))
    if note.kind == "changed":
        for line in changed_lines(note.segments):
            yield f"  {name} ~ " + "".join(paint.segment(s) for s in excerpt(line))
    elif note.kind == "added":
        yield f"  {name} {L['added']}: " + paint("inserted", _short(note.new))
    else:
        yield f"  {name} {L['removed']}: " + paint("deleted", _short(note.old))


def _field_lines(field: FieldChange, paint: Painter, lang: str = "en") -> Iterator[str]:
    name = paint("name", _field_name(field.name, lang))
    if "\n" in field.old or "\n" in field.new:
        yield f"  {name}:"
        old, new = field.old.split("\n"), field.new.split("\n")
        for line in old:
            if line not in new:
                yield "    - " + paint("deleted", line)
        for line in new:
            if line not in old:
                yield "    + " + paint("inserted", line)
        return
    yield f"  {name}: {paint('deleted', field.old or '—')} → {paint('inserted', field.new or '—')}"


# --------------------------------------------------------------------------- markdown


def _md_segments(segments: Iterable[Segment]) -> str:
    # <del>/<ins> rather than ~~/**: emphasis marks next to punctuation or spaces ("xã**, thị
    # trấn**") are not emphasis in CommonMark; the tags are rendered by GitHub and GitLab alike.
    out = []
    for segment in excerpt(segments):
        text = _md_escape(segment.text)
        if segment.status == "deleted":
            out.append(f"<del>{text}</del>")
        elif segment.status == "inserted":
            out.append(f"<ins>{text}</ins>")
        else:
            out.append(text)
    return "".join(out)


def _md_escape(text: str) -> str:
    for char in "\\`*_[]|<>~":
        text = text.replace(char, "\\" + char)
    return text


def format_markdown(c: Comparison, lang: str = "en") -> str:
    """Return the diff as Markdown for a review comment: a table of figures, marked text."""
    L = LABELS[lang]
    lines = [f"### vanban diff `{c.a.label}` → `{c.b.label}`", ""]
    if not c.changed:
        return "\n".join([*lines, L["No changes."], ""])
    if c.facts:
        lines += [
            f"#### {L['figures']}",
            "",
            f"| {L['fact']} | {L['old']} | {L['new']} | {L['unit']} | {L['difference']} |",
            "|---|--:|--:|---|--:|",
        ]
        for fact in c.facts:
            name = f"`{fact.name}`" + (f" (derived: {fact.derived_by})" if fact.derived_by else "")
            if fact.kind != "changed":
                name += f" — {fact.kind}"
            lines.append(
                f"| {name} | {_md_escape(show_value(fact.old))} | "
                f"{_md_escape(show_value(fact.new))} | {fact.unit or ''} | "
                f"{show_difference(fact)} |"
            )
        lines.append("")
    if c.text:
        lines += [f"#### {L['Text']}", ""]
        for change in c.text:
            where = _md_escape(_where(change.section, change.headings, change.appendix))
            if change.kind in ("changed", "renumbered"):
                how = "" if change.kind == "changed" else ", renumbered"
                for line in changed_lines(change.segments):
                    lines.append(f"- **{where}**{how}: {_md_segments(line)}")
            elif change.kind == "added":
                lines.append(f"- **{where}**, added: {_md_escape(_short(change.new))}")
            elif change.kind == "removed":
                lines.append(f"- **{where}**, removed: <del>{_md_escape(_short(change.old))}</del>")
            else:
                origin = _md_escape(
                    _where(change.from_section or "", change.from_headings, change.from_appendix)
                )
                lines.append(
                    f"- **{where}**, moved from {origin}: {_md_escape(_short(change.new, 100))}"
                )
        lines.append("")
    if c.notes:
        lines += [f"#### {L['footnotes']}", ""]
        for note in c.notes:
            name = _note_label(note.name, c.note_place(note.name), lang, "`")
            if note.kind == "changed":
                for line in changed_lines(note.segments):
                    lines.append(f"- {name}: {_md_segments(line)}")
            elif note.kind == "added":
                lines.append(f"- {name}, added: {_md_escape(_short(note.new))}")
            else:
                lines.append(f"- {name}, removed: <del>{_md_escape(_short(note.old))}</del>")
        lines.append("")
    if c.cells:
        lines += [
            f"#### {L['cells']}",
            "",
            f"| {L['cell']} | {L['old']} | {L['new']} | {L['source']} |",
            "|---|--:|--:|---|",
        ]
        for cell in c.cells:
            source = f"`{cell.fact}`" if cell.fact else f"{L['computed']}: {cell.computed or ''}"
            lines.append(
                f"| {_md_escape(_cell_where(cell))} | {_md_escape(cell.old)} | "
                f"{_md_escape(cell.new)} | {_md_escape(source) if not cell.fact else source} |"
            )
        lines.append("")
    if c.fields:
        lines += [f"#### {L['fields']}", ""]
        for field in c.fields:
            name = _field_name(field.name, lang)
            old = _md_escape(field.old.replace("\n", " / ")) or "—"
            new = _md_escape(field.new.replace("\n", " / ")) or "—"
            lines.append(f"- {name}: <del>{old}</del> → <ins>{new}</ins>")
        lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- json


def as_json(c: Comparison) -> dict[str, Any]:
    """Return the diff as JSON-ready data."""

    def side(label: str, revision: str | None, sources: Any) -> dict[str, Any]:
        checked = sources.checked
        errors = sum(f.status == "error" for f in checked.findings) if checked else 0
        return {"label": label, "revision": revision, "check_errors": errors}

    return {
        "a": side(c.a.label, c.a.revision, c.a_sources),
        "b": side(c.b.label, c.b.revision, c.b_sources),
        "changed": c.changed,
        "facts": [f.as_json() for f in c.facts],
        "text": [t.as_json() for t in c.text],
        "footnotes": [_note_json(n, c.note_place(n.name)) for n in c.notes],
        "cells": [cell.as_json() for cell in c.cells],
        "fields": [f.as_json() for f in c.fields],
    }


def _note_json(note: NoteChange, place: NotePlace | None) -> dict[str, Any]:
    """Return a footnote's change with its name as written, its number and its file (an
    attached text's; null for the body's)."""
    data = note.as_json()
    if place is None:
        return {**data, "number": None, "file": None}
    return {**data, "name": place.name, "number": place.number, "file": place.source}
