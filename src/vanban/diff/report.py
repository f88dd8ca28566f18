"""The diff for people: a terminal listing (coloured on a tty), Markdown for a review, JSON."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .align import Segment
from .compare import Comparison
from .figures import FactChange, show_difference, show_value
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
    "kind_title": "document kind",
    "summary": "summary (trích yếu)",
    "recipients": "recipients (nơi nhận)",
    "signer_authority": "signer's authority",
    "signer_position": "signer's position",
    "signer_name": "signer",
    "status": "status",
}


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


def _where(section: str, headings: tuple[str, ...]) -> str:
    heading = headings[-1] if headings else ""
    if len(heading) > 70:
        heading = heading[:69] + "…"
    return f"{section} — {heading}" if section and heading else section or heading


def _short(text: str | None, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(items: Iterable[Any], kinds: Iterable[str]) -> str:
    listed = list(items)
    parts = []
    for kind in kinds:
        n = sum(1 for item in listed if item.kind == kind)
        if n:
            parts.append(f"{n} {kind}")
    return ", ".join(parts)


# --------------------------------------------------------------------------- text


def format_text(comparison: Comparison, color: bool = False) -> str:
    """Return the diff as a terminal listing."""
    paint = Painter(color)
    return "\n".join(_text_lines(comparison, paint)) + "\n"


def _text_lines(c: Comparison, paint: Painter) -> Iterator[str]:
    yield paint("title", f"vanban diff {c.a.label} → {c.b.label}")
    for side, sources in (("A", c.a_sources), ("B", c.b_sources)):
        checked = sources.checked
        errors = [f for f in checked.findings if f.status == "error"] if checked else []
        if errors:
            rules = ", ".join(dict.fromkeys(f.rule or "?" for f in errors))
            count = f"{len(errors)} check error{'s' if len(errors) != 1 else ''}"
            yield paint("dim", f"note: {side} has {count} ({rules}); compared anyway")
    if not c.changed:
        yield "no changes"
        return
    typed = [f for f in c.facts if f.derived_by is None]
    derived = [f for f in c.facts if f.derived_by is not None]
    if typed:
        yield ""
        yield paint("title", f"Figures: {_count(typed, ('changed', 'added', 'removed'))}")
        for fact in typed:
            yield from _fact_lines(fact, paint)
    if derived:
        yield ""
        yield paint("title", f"Derived figures: {_count(derived, ('changed', 'added', 'removed'))}")
        for fact in derived:
            yield from _fact_lines(fact, paint)
    if c.text:
        yield ""
        kinds = ("changed", "added", "removed", "moved", "renumbered")
        yield paint("title", f"Paragraphs: {_count(c.text, kinds)}")
        section = None
        for change in c.text:
            where = _where(change.section, change.headings)
            if where != section:
                yield f"  {paint('name', where)}"
                section = where
            yield from _text_change_lines(change, paint)
    if c.notes:
        yield ""
        yield paint("title", f"Footnotes: {_count(c.notes, ('changed', 'added', 'removed'))}")
        for note in c.notes:
            yield from _note_lines(note, paint)
    if c.fields:
        yield ""
        yield paint("title", f"Masthead and closing: {len(c.fields)} changed")
        for field in c.fields:
            yield from _field_lines(field, paint)


def _fact_lines(change: FactChange, paint: Painter) -> Iterator[str]:
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
        values = f"added: {paint('inserted', show_value(change.new))}{unit}"
    else:
        values = f"removed: {paint('deleted', show_value(change.old))}{unit}"
    yield f"  {paint('name', change.name)}  {values}"
    notes = []
    if change.derived_by:
        notes.append(f"derived by rule {change.derived_by}")
    if change.label:
        notes.append(change.label)
    if change.printed_at:
        notes.append("printed at " + ", ".join(change.printed_at))
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


def _text_change_lines(change: TextChange, paint: Painter) -> Iterator[str]:
    if change.kind in ("changed", "renumbered"):
        mark = "~" if change.kind == "changed" else "#"
        for line in changed_lines(change.segments):
            yield f"    {mark} " + "".join(paint.segment(s) for s in excerpt(line))
    elif change.kind == "added":
        yield "    + " + paint("inserted", _short(change.new))
    elif change.kind == "removed":
        yield "    - " + paint("deleted", _short(change.old))
    else:
        origin = _where(change.from_section or "", change.from_headings)
        yield f"    ↷ moved from {origin}: {_short(change.new, 100)}"
        if change.segments:
            yield "      " + "".join(paint.segment(s) for s in excerpt(change.segments))


def _note_lines(note: NoteChange, paint: Painter) -> Iterator[str]:
    name = paint("name", f"[^{note.name}]")
    if note.kind == "changed":
        for line in changed_lines(note.segments):
            yield f"  {name} ~ " + "".join(paint.segment(s) for s in excerpt(line))
    elif note.kind == "added":
        yield f"  {name} added: " + paint("inserted", _short(note.new))
    else:
        yield f"  {name} removed: " + paint("deleted", _short(note.old))


def _field_lines(field: FieldChange, paint: Painter) -> Iterator[str]:
    name = paint("name", FIELD_NAMES.get(field.name, field.name))
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


def format_markdown(c: Comparison) -> str:
    """Return the diff as Markdown for a review comment: a table of figures, marked text."""
    lines = [f"### vanban diff `{c.a.label}` → `{c.b.label}`", ""]
    if not c.changed:
        return "\n".join([*lines, "No changes.", ""])
    if c.facts:
        lines += [
            "#### Figures",
            "",
            "| fact | old | new | unit | difference |",
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
        lines += ["#### Text", ""]
        for change in c.text:
            where = _md_escape(_where(change.section, change.headings))
            if change.kind in ("changed", "renumbered"):
                how = "" if change.kind == "changed" else ", renumbered"
                for line in changed_lines(change.segments):
                    lines.append(f"- **{where}**{how}: {_md_segments(line)}")
            elif change.kind == "added":
                lines.append(f"- **{where}**, added: {_md_escape(_short(change.new))}")
            elif change.kind == "removed":
                lines.append(f"- **{where}**, removed: <del>{_md_escape(_short(change.old))}</del>")
            else:
                origin = _md_escape(_where(change.from_section or "", change.from_headings))
                lines.append(
                    f"- **{where}**, moved from {origin}: {_md_escape(_short(change.new, 100))}"
                )
        lines.append("")
    if c.notes:
        lines += ["#### Footnotes", ""]
        for note in c.notes:
            name = f"`[^{note.name}]`"
            if note.kind == "changed":
                for line in changed_lines(note.segments):
                    lines.append(f"- {name}: {_md_segments(line)}")
            elif note.kind == "added":
                lines.append(f"- {name}, added: {_md_escape(_short(note.new))}")
            else:
                lines.append(f"- {name}, removed: <del>{_md_escape(_short(note.old))}</del>")
        lines.append("")
    if c.fields:
        lines += ["#### Masthead and closing", ""]
        for field in c.fields:
            name = FIELD_NAMES.get(field.name, field.name)
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
        "footnotes": [n.as_json() for n in c.notes],
        "fields": [f.as_json() for f in c.fields],
    }
