"""The narrative's reader: paragraphs and tables of a text into Markdown in a heading scheme.

It reads the body of a document (vanban.importer.structure) and the texts after its signature,
an attached document's or a Phụ lục of paragraphs' (vanban.importer.attached): headings typed
or numbered by Word's lists, ND30 6a labels (Chương I, Điều 1.), run-in titles, dash items,
centred bold lines, tables written out, landscape sections fenced; and the footnotes they
reference, named from their content.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from ..classes import dataclass, field
from ..conventions import (
    CENTRED_KINDS,
    DEFAULT_SCHEME,
    LETTERS,
    MAX_LEVELS,
    SCHEMES,
    HeadingNumbers,
    letter,
)
from ..markup import block_start
from .markdown import escape, inline, note_name, plain, rule_line, slug
from .reader import Block, Para, Run, Source, Table

_ROMAN = re.compile(r"^([IVXLC]+)\.\s*(?=\S)")
_ARABIC = re.compile(r"^(\d{1,3})\.\s*(?=[^\d\s])")
_DECIMAL = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?\s+(?=\S)")
_LETTER = re.compile(r"^([a-zđ])\)\s*(?=\S)")
_PART = re.compile(r"^(Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC)\s+([IVXLC\d]+)\b")
# The labels of ND30 6a's levels as typed; the title may follow on the line or the next one.
_LABELS = (
    # "Phần I", or spelled "Phần thứ nhất" (printed "Phần I")
    ("part", re.compile(r"^(?:Phần|PHẦN)\s+([IVXLC]+\b|(?:thứ|THỨ)\s+[^\W\d]+)")),
    ("chapter", re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLC]+)\b")),
    ("subsection", re.compile(r"^(?:Tiểu mục|TIỂU MỤC)\s+(\d{1,3})\b")),
    ("section", re.compile(r"^(?:Mục|MỤC)\s+(\d{1,3})\b")),
    ("article", re.compile(r"^(?:Điều|ĐIỀU)\s+(\d{1,3})[.:]")),
)
_AFTER_LABEL = re.compile(r"^[\s.:\-–—]*")
# ND30's order of levels, 6a then 6b: a document's scheme is the levels it uses, in this order.
_ORDER = ("part", "chapter", "section", "subsection", "article", "roman", "number")


@dataclass
class _Heading:
    level: int
    typed: str
    title_runs: tuple[Any, ...]
    rest_runs: tuple[Any, ...] | None  # a run-in heading's text


def _split_runs(runs: tuple[Any, ...], chars: int) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Split runs after `chars` characters of text."""
    head: list[Any] = []
    tail: list[Any] = []
    count = 0
    for run in runs:
        if count >= chars:
            tail.append(run)
            continue
        if count + len(run.text) <= chars:
            head.append(run)
            count += len(run.text)
            continue
        cut = chars - count
        head.append(Run(run.text[:cut], run.bold, run.italic, heading=run.heading))
        tail.append(Run(run.text[cut:], run.bold, run.italic, heading=run.heading))
        count = chars
    return tuple(head), tuple(tail)


def _strip_leading(p: Para) -> Para:
    runs = list(p.runs)
    while runs and not runs[0].note and not runs[0].text.strip():
        runs.pop(0)
    if runs and not runs[0].note:
        first = runs[0]
        runs[0] = Run(
            first.text.lstrip(" \t\u00a0"), first.bold, first.italic, heading=first.heading
        )
    return Para(tuple(runs), p.style, p.align, p.number, p.ends_section, p.landscape, p.numbered)


def _heading(p: Para) -> _Heading | None:
    text = p.text
    style_level = 0
    style = p.style.lower().replace(" ", "")
    if style.startswith("heading") and style[7:].isdigit():
        style_level = int(style[7:])
    for pattern, level in ((_ROMAN, 1), (_LETTER, 3), (_ARABIC, 2)):
        match = pattern.match(text)
        if not match:
            continue
        typed = match.group(0).strip()
        prefix_len = len(match.group(0))
        after_runs = _split_runs(p.runs, prefix_len)[1]
        body = text[prefix_len:]
        if style_level:
            # Heading 4 and deeper have no level of I. / 1. / a): the typed number tells it
            return _Heading(style_level if style_level <= 3 else level, typed, after_runs, None)
        if p.bold:
            if len(body) > 400:
                return None
            return _Heading(level, typed, after_runs, None)
        # a run-in title: bold (or in a heading's character style) from the number to a colon
        # or full stop, then plain text
        bold_chars = 0
        styled = 0
        for run in p.runs:
            if run.note:
                continue
            if run.bold or run.heading or not run.text.strip():
                bold_chars += len(run.text)
                styled = styled or run.heading
            else:
                break
        bold_text = text[:bold_chars].rstrip()
        if text[len(bold_text) : len(bold_text) + 1] == ":":  # a plain colon after the title
            bold_text += ":"
        colon = bold_text.find(": ", prefix_len)
        if not bold_text.endswith((":", ".")) and colon > 0:
            # the title ends at its colon, though the text after it starts in bold too
            # ("1. Thời gian: **Từ 14h00 ngày 16/6/2026**, theo hình thức trực tuyến")
            bold_text = bold_text[: colon + 1]
        if bold_chars > prefix_len and bold_text.endswith((":", ".")) and len(bold_text) < 400:
            cut = len(bold_text)
            title, rest = _split_runs(p.runs, cut)
            level = styled if 0 < styled <= 3 else level
            return _Heading(level, typed, _split_runs(title, prefix_len)[1], rest)
        return None
    if p.numbered and p.bold and len(text) < 300:
        return _Heading(min(style_level, 3) or 2, "", p.runs, None)  # numbered by a Word list
    return None


def _label(p: Para) -> tuple[str, int, str] | None:
    """Return (kind, depth, typed) of a bold label of ND30 6a (Chương I, Điều 1.) or of a
    decimal number (1.1.) starting the paragraph; depth counts a decimal's parts."""
    text = p.text
    # the bold part is the heading: the whole paragraph, or a run-in title before its text
    bold = len(text) if p.bold else len(_runs_text(tuple(_bold_prefix(p.runs))))
    if not (p.bold or _starts_bold(p)) or bold > 400:
        return None
    for kind, pattern in _LABELS:
        match = pattern.match(text)
        if match:
            return kind, 0, match.group(0)
    match = _DECIMAL.match(text)
    if match:
        return "decimal", match.group(1).count("."), match.group(0).strip()
    return None


def heading_scheme(blocks: list[Block]) -> tuple[str, ...] | None:
    """Return the heading levels the body uses, in ND30's order, when they are more than the
    default I. / 1. / a): Phần, Chương, Mục, Tiểu mục, Điều, decimal 1.1.; else None."""
    kinds: set[str] = set()
    depth = 0
    quoted = quoted_articles(blocks)
    for block in blocks:
        if not isinstance(block, Para):
            continue
        p = _strip_leading(block)
        label = _label(p)
        if label is not None:
            if label[0] != "article" or quoted is None:
                kinds.add(label[0])
            depth = max(depth, label[1])
            continue
        heading = _heading(p)
        if heading is not None and heading.typed:
            kinds.add(_typed_kind(heading.typed))
    if not kinds - {"roman", "number", "letter"}:
        return None
    if "decimal" in kinds:
        kinds.add("number")
    levels = [kind for kind in _ORDER if kind in kinds] + ["decimal"] * depth
    if "letter" in kinds:
        levels.append("letter")
    return tuple(levels[:MAX_LEVELS])


def quoted_articles(blocks: list[Block]) -> int | None:
    """Return the number of the first article typed in blocks when it is not Điều 1: the
    articles of another document the text quotes ("Điều 57. …" of a Luật a Công văn cites),
    which are no headings of its own; else None."""
    for block in blocks:
        if isinstance(block, Para):
            label = _label(_strip_leading(block))
            if label is not None and label[0] == "article":
                number = int(re.findall(r"\d+", label[2])[0])
                return number if number != 1 else None
    return None


def _typed_kind(typed: str) -> str:
    if _ROMAN.match(typed + " x"):
        return "roman"
    return "letter" if typed.endswith(")") else "number"


def _typed_number(p: Para) -> tuple[str, int, int, str, int] | None:
    """Return the typed number starting p: its kind (roman, number, letter, decimal), its
    depth (a decimal's parts less one), its ordinal, its text ("III.", "7.2.") and the length
    of the prefix it takes; None when p starts with no number."""
    text = p.text
    match = _DECIMAL.match(text)
    if match:
        parts = match.group(1).split(".")
        return "decimal", len(parts) - 1, int(parts[-1]), match.group(1) + ".", len(match.group(0))
    for kind, pattern in (("roman", _ROMAN), ("letter", _LETTER), ("number", _ARABIC)):
        match = pattern.match(text)
        if match:
            typed = match.group(1)
            if kind == "roman":
                ordinal = _roman_value(typed)
            elif kind == "letter":
                ordinal = LETTERS.index(typed) + 1 if typed in LETTERS else 0
            else:
                ordinal = int(typed)
            return kind, 0, ordinal, match.group(0).strip(), len(match.group(0))
    return None


def _roman_value(typed: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for index, char in enumerate(typed):
        value = values[char]
        following = values[typed[index + 1]] if index + 1 < len(typed) else 0
        total += -value if value < following else value
    return total


def _follows(kind: str, earlier: int, later: int) -> bool:
    """Whether ordinal later is the one after earlier (a letter may skip đ: "d)", "e)")."""
    skips_d = kind == "letter" and earlier == LETTERS.index("d") + 1
    return later == earlier + 1 or (skips_d and later == earlier + 2)


_RANK = {"roman": 0, "number": 1, "letter": 10}  # a decimal of depth d ranks 1 + d


LANDSCAPE_FENCE = ("::: landscape", ":::")  # a landscape section of the text


class Listing(Protocol):
    """Where a reader lists what it could not map (notes), what the build prints the ND30
    way (corrected) and what it mapped."""

    notes: list[str]
    corrected: list[str]
    mapped: list[str]


@dataclass
class Findings:
    """A Listing of its own: what the reader of a text after the signature listed."""

    notes: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)


class Narrative:
    """Reads blocks of a text into Markdown files, one per top-level heading, in a heading
    scheme (None: the default I. / 1. / a)); footnotes are written by the names given."""

    def __init__(self, rec: Listing, names: dict[str, str], scheme: tuple[str, ...] | None = None):
        self.rec = rec
        self.names = names
        self.files: list[tuple[str, list[str]]] = [("00-mo-dau.md", [])]
        self.used_notes: list[str] = []
        self.scheme = scheme  # None: the default I. / 1. / a), read as before
        self.numbers = HeadingNumbers(scheme or SCHEMES[DEFAULT_SCHEME])
        self.untitled: tuple[int, str, Para] | None = None  # a "Chương I" waiting for its title
        self.siblings: dict[int, tuple[int, str, int]] = {}  # typed plain, read as headings
        self.turned: frozenset[int] = frozenset()  # ids of the blocks of landscape sections
        self.across = False  # the lines written are in a landscape section's fences
        # A table set smaller than the text (text_size, points) becomes a table of the
        # text's declaration (body_tables) with its `font_size`, where small_tables is a list.
        self.small_tables: list[dict[str, Any]] | None = None
        self.text_size: float | None = None

    def add(self, lines: list[str]) -> None:
        self.files[-1][1].extend(lines)

    def paragraph(self, block: Para) -> None:
        p = _strip_leading(block)
        if self.untitled is not None:
            level, typed, label = self.untitled
            self.untitled = None
            if p.bold and p.text.strip() and len(p.text) < 300 and not _label(p):
                self.write_heading(label, level, typed, p.runs, None)
                return
            self.write_heading(label, level, typed, (), None)
        if id(block) in self.siblings:
            level, typed, cut = self.siblings[id(block)]
            self.rec.corrected.append(
                f"{p.where()}: numbered “{typed}” as the headings beside it are, though not bold "
                "as they are: read as a heading, so that they keep their numbers"
            )
            self.write_heading(p, level, typed, (), _split_runs(p.runs, cut)[1])
            return
        if self.scheme is not None and self.scheme_paragraph(p):
            return
        if p.numbered and p.text.strip() and not (p.bold and len(p.text) < 300):
            self.rec.notes.append(
                f"{p.where()}: numbered by Word's list numbering, which is not read: imported "
                "without its number"
            )
        text = plain(p.text)
        if not text and not p.notes:
            return
        heading = _heading(p)
        if heading is not None and self.scheme is not None:
            # a typed number the document's scheme has no level for ("1." inside an Điều):
            # a bold paragraph with its number, as typed
            self.rec.notes.append(
                f"{p.where()}: numbered “{heading.typed or '(Word list)'}”, a level the text's "
                f"headings ({', '.join(self.scheme)}) do not have: kept as a paragraph"
            )
        elif heading is not None:
            self.heading(p, heading)
            return
        for pattern, what in ((_DECIMAL, "decimal number"), (_PART, "Phần/Chương/Mục")):
            if pattern.match(text) and (p.bold or _starts_bold(p)):
                self.rec.notes.append(
                    f"{p.where()}: a heading with a {what} ({pattern.match(text).group(0).strip()})"  # type: ignore[union-attr]
                    ": vanban numbers only I. / 1. / a) today; kept as a bold paragraph with its "
                    "typed number"
                )
                break
        if p.align == "center" and p.bold and len(text) < 200:
            # a centred bold line of the body ("QUYẾT ĐỊNH:"): the body's centred title style
            title = inline(p.runs, self.names, emphasis=False)
            self.add(['::: {custom-style="Title"}', title, ":::", ""])
            return
        if p.align == "center" and not p.italic and len(text) < 200 and not rule_line(p.text):
            # a centred upright line ("… trân trọng giới thiệu:"): the body's centred line
            self.add(['::: {custom-style="Centred"}', inline(p.runs, self.names), ":::", ""])
            return
        markdown = inline(p.runs, self.names)
        dash = None if rule_line(p.text) else re.match(r"^([-+])\s*(?=\S)", p.text)
        if dash:
            mark = dash.group(1)
            body = inline(_split_runs(p.runs, len(dash.group(0)))[1], self.names)
            indent = "  " if mark == "+" else ""
            self.add([f"{indent}{mark} {body.lstrip()}", ""])
            return
        self.add([block_start(markdown), ""])

    def heading(self, p: Para, h: _Heading) -> None:
        if not p.bold and h.rest_runs is None and not p.style.lower().startswith("heading"):
            self.rec.corrected.append(
                f"{p.where()}: heading “{h.typed}” was not bold; the build gives it the ND30 "
                "heading style"
            )
        self.write_heading(p, min(h.level, 3), h.typed, h.title_runs, h.rest_runs)

    def scheme_paragraph(self, p: Para) -> bool:
        """Write p as a heading of the document's scheme if it is one; return whether it was."""
        assert self.scheme is not None
        label = _label(p)
        if label is not None:
            kind, depth, typed = label
            if kind == "decimal":
                start = self.scheme.index("number") + depth
                level = start + 1 if start < len(self.scheme) else 0
            else:
                level = self.scheme.index(kind) + 1 if kind in self.scheme else 0
            if not level:
                return False
            after = _AFTER_LABEL.match(p.text[len(typed) :])
            cut = len(typed) + (after.end() if after else 0)
            if p.bold:
                title, rest = _split_runs(p.runs, cut)[1], None
            else:  # a bold label (and title), then the text: a run-in heading
                bold = max(cut, len(_runs_text(tuple(_bold_prefix(p.runs)))))
                while p.text[bold : bold + 1] in (":", "."):  # a plain colon ends the title
                    bold += 1
                head, rest = _split_runs(p.runs, bold)
                title = _split_runs(head, cut)[1]
            if kind in CENTRED_KINDS and not plain(_runs_text(title)):
                self.untitled = (level, typed, p)
                return True
            self.write_heading(p, level, typed, title, rest)
            return True
        heading = _heading(p)
        if heading is None:
            return False
        kind = (
            _typed_kind(heading.typed)
            if heading.typed
            else ("roman", "number")[min(heading.level, 2) - 1]
        )
        if kind not in self.scheme:
            return False
        self.write_heading(p, self.scheme.index(kind) + 1, heading.typed, heading.title_runs,
                            heading.rest_runs)  # fmt: skip
        return True

    def write_heading(
        self,
        p: Para,
        level: int,
        typed: str,
        title_runs: tuple[Any, ...],
        rest_runs: tuple[Any, ...] | None,
    ) -> None:
        """Write a heading at level (a new content file at 1), its label left to the build;
        list it where the build's label differs from the typed one."""
        if level == 1:
            name = f"{len(self.files):02d}-{slug(plain(_runs_text(title_runs)) or typed, 3)}.md"
            if self.across:  # a landscape section goes on in the next file: fenced in each
                self.add([LANDSCAPE_FENCE[1], ""])
            self.files.append((name, []))
            if self.across:
                self.add([LANDSCAPE_FENCE[0], ""])
        printed = self.numbers.next(level)
        if not typed:
            self.rec.corrected.append(
                f"{p.where()}: a heading numbered by Word's list numbering: the build numbers "
                f"it “{printed}”"
            )
        elif typed != printed:
            self.rec.corrected.append(
                f"{p.where()}: heading numbered “{typed}” in the source; the build numbers it "
                f"“{printed}”"
            )
        title = plain(inline(title_runs, self.names, emphasis=False))
        hashes = "#" * level
        if rest_runs is not None:
            rest = inline(rest_runs, self.names)
            heading = f"{hashes} {title} {{.run-in}}" if title else f"{hashes} {{.run-in}}"
            self.add([heading, "", block_start(rest), ""])
        else:
            self.add([f"{hashes} {title}".rstrip(), ""])

    def _level(self, kind: str, depth: int) -> int:
        """Return the heading level of a typed number's kind in the scheme (0: none)."""
        levels = self.scheme or ("roman", "number", "letter")
        if kind == "decimal":
            start = levels.index("number") + depth if "number" in levels else len(levels)
            return start + 1 if start < len(levels) else 0
        return levels.index(kind) + 1 if kind in levels else 0

    def _is_heading(self, block: Para) -> bool:
        """Whether paragraph() writes block as a heading of the scheme."""
        p = _strip_leading(block)
        if self.scheme is None:
            return _heading(p) is not None
        label = _label(p)
        if label is not None:
            kind, depth, _ = label
            return bool(self._level(kind, depth)) if kind in ("decimal", *self.scheme) else False
        heading = _heading(p)
        if heading is None:
            return False
        kind = _typed_kind(heading.typed) if heading.typed else ("roman", "number")[
            min(heading.level, 2) - 1
        ]  # fmt: skip
        return kind in self.scheme

    def _find_siblings(self, blocks: Sequence[Block]) -> None:
        """Find the paragraphs typed with a heading's number but not bold, so no headings,
        whose next sibling is one ("8.1. Về công tác …" plain, "8.2. Tồn tại …" bold), or
        whose first child is ("3. Năng lực …" plain, "a) Nhà thầu …:" a run-in heading): read
        as headings too, or the build would number the headings after them one less, or
        go on with the letters of the heading before."""
        entries: list[tuple[Para, str, int, int, str, int, bool]] = []
        for block in blocks:
            if isinstance(block, Para):
                p = _strip_leading(block)
                typed = _typed_number(p)
                if typed is not None and self._level(typed[0], typed[1]):
                    entries.append((block, *typed, self._is_heading(block)))
        heading = [e[6] for e in entries]

        def rank(entry: tuple[Para, str, int, int, str, int, bool]) -> int:
            return 1 + entry[2] if entry[1] == "decimal" else _RANK[entry[1]]

        def sibling(at: int, step: int) -> int | None:
            """The index of the entry of at's kind next to it (step 1) or before it (-1),
            within its parent: a number of a higher rank between ends the search."""
            index = at + step
            while 0 <= index < len(entries):
                if entries[index][1:3] == entries[at][1:3]:
                    return index
                if rank(entries[index]) < rank(entries[at]):
                    return None
                index += step
            return None

        for at in range(len(entries) - 1, -1, -1):
            block, kind, depth, ordinal, label, cut, _ = entries[at]
            if heading[at]:
                continue
            after = sibling(at, 1)
            before = sibling(at, -1)
            child = at + 1 if at + 1 < len(entries) else None
            if before is not None and entries[before][3] >= ordinal:
                continue  # "1." under a heading "1.": an item of its list, no sibling
            if (
                after is not None and heading[after] and _follows(kind, ordinal, entries[after][3])
            ) or (
                # the headings under it start again at "a)": it is their parent
                child is not None
                and rank(entries[child]) > rank(entries[at])
                and heading[child]
                and entries[child][3] == 1
            ):
                heading[at] = True
                self.siblings[id(block)] = (self._level(kind, depth), label, cut)

    def read(self, blocks: Sequence[Block], turned: frozenset[int] = frozenset()) -> None:
        """Read the body's blocks in order, paragraphs and tables, and finish; the blocks
        whose ids are turned (landscape sections) between `::: landscape` fences."""
        self.turned = turned
        self._find_siblings(blocks)
        for block in blocks:
            if (id(block) in turned) != self.across:
                self.finish()
                self.across = not self.across
                self.add([LANDSCAPE_FENCE[0 if self.across else 1], ""])
            if isinstance(block, Para):
                self.paragraph(block)
            else:
                self.finish()
                self.table(block)
        self.finish()
        if self.across:
            self.across = False
            self.add([LANDSCAPE_FENCE[1], ""])

    def finish(self) -> None:
        """Write a centred label still waiting for its title."""
        if self.untitled is not None:
            level, typed, label = self.untitled
            self.untitled = None
            self.write_heading(label, level, typed, (), None)

    def table(self, table: Table) -> None:
        from .tables import literal_table, smaller_size

        markdown, notes = literal_table(table, self.names)
        self.rec.notes.extend(notes)
        small = self.small_tables
        size = smaller_size(table, self.text_size) if small is not None else None
        if small is None or size is None or not markdown:
            self.add([markdown, ""])
            return
        where = f"the table at paragraph {table.number}"
        if "[^" in markdown:  # its notes are the text's: it stays there
            self.rec.notes.append(
                f"{where}: set at {size:g} pt, smaller than the text's {self.text_size:g}, "
                "but it references footnotes, which a table of content/appendices.yaml cannot: "
                "kept in the text, printed at 12 pt"
            )
            self.add([markdown, ""])
            return
        name = f"bang-{len(small) + 1}"
        small.append({"name": name, "font_size": size, "markdown": markdown})
        self.rec.mapped.append(
            f"{where}: set at {size:g} pt, smaller than the text's {self.text_size:g} → "
            f"content/appendices.yaml body_tables {name!r} (font_size: {size:g}), placed "
            f"by {{{{ table('{name}') }}}}"
        )
        self.add([f"{{{{ table('{name}') }}}}", ""])


_TYPED_ITEM = re.compile(r"^(?:(\d{1,3})\\\.|([a-zđ]{1,2})\\\)) (?=\S)")


def number_items(lines: list[str]) -> tuple[list[str], list[str]]:
    """Write the typed numbers of plain paragraphs ("1\\. …", "a\\) …") as `#.` items (nested
    for a letter) wherever they are the numbers the build prints: 1, 2 … from each heading on,
    a, b … from each numbered paragraph on. Return the lines and, for each heading's run of
    items numbered otherwise, its typed numbers (kept as typed)."""
    runs: list[list[int]] = [[]]
    for index, line in enumerate(lines):
        if line.startswith("#"):
            runs.append([])
        elif _TYPED_ITEM.match(line):
            runs[-1].append(index)
    out = list(lines)
    kept = []
    for run in runs:
        typed = [_TYPED_ITEM.match(lines[i]) for i in run]
        if not run:
            continue
        if not _in_sequence(typed):
            kept.append(", ".join(m.group(0).strip().replace("\\", "") for m in typed if m))
            continue
        for index, match in zip(run, typed, strict=True):
            assert match is not None
            mark = "#." if match.group(1) else "  #."
            out[index] = f"{mark} {lines[index][match.end() :]}"
    return out, kept


def _in_sequence(typed: list[re.Match[str] | None]) -> bool:
    top = nested = 0
    for match in typed:
        assert match is not None
        if match.group(1):
            top, nested = top + 1, 0
            if int(match.group(1)) != top:
                return False
        else:
            nested += 1
            if match.group(2) != letter(nested):
                return False
    return True


def _bold_prefix(runs: tuple[Any, ...]) -> list[Any]:
    """Return the runs from the start while they are bold (or blank), notes excluded."""
    out = []
    for run in runs:
        if run.note or not (run.bold or not run.text.strip()):
            break
        out.append(run)
    return out


def _starts_bold(p: Para) -> bool:
    shown = [r for r in p.runs if r.text.strip()]
    return bool(shown) and shown[0].bold


def _runs_text(runs: tuple[Any, ...]) -> str:
    return "".join(r.text for r in runs)


def note_texts(source: Source) -> dict[str, str]:
    """Return each footnote's plain text by its id."""
    return {nid: plain(" ".join(p.text for p in paras)) for nid, paras in source.footnotes.items()}


def reference_order(blocks: list[Block]) -> list[str]:
    """Return the ids of the footnotes the blocks reference, in order (cells and nested
    tables too)."""
    order: list[str] = []

    def visit(block: Block) -> None:
        if isinstance(block, Para):
            order.extend(block.notes)
        else:
            for row in block.rows:
                for cell in row:
                    for p in cell.paragraphs:
                        order.extend(p.notes)
                    for nested in cell.tables:
                        visit(nested)

    for block in blocks:
        visit(block)
    return order


def name_notes(source: Source, blocks: list[Block]) -> tuple[dict[str, str], list[str]]:
    """Name every referenced footnote from its content, uniquely; report notes that repeat."""
    texts = note_texts(source)
    names: dict[str, str] = {}
    taken: set[str] = set()
    duplicates: list[str] = []
    first_with: dict[str, str] = {}
    for nid in reference_order(blocks):
        if nid in names or nid not in texts:
            continue
        base = note_name(texts[nid])
        name = base
        counter = 2
        while name in taken:
            name = f"{base}-{counter}"
            counter += 1
        taken.add(name)
        names[nid] = name
        if texts[nid] in first_with:
            duplicates.append(
                f"footnote [^{name}] repeats [^{first_with[texts[nid]]}] word for word: "
                f"“{' '.join(texts[nid].split()[:8])}…”"
            )
        else:
            first_with[texts[nid]] = name
    return names, duplicates


def note_markdown(source: Source, names: dict[str, str]) -> dict[str, str]:
    """Return each named footnote's Markdown definition text (continuation indented)."""
    out: dict[str, str] = {}
    for nid, name in names.items():
        paras: list[str] = []
        for p in source.footnotes.get(nid, ()):
            # a note's paragraph, its first too, is read as a block: "(1) Thuế tỉnh; (2) …"
            # would be a list
            text = block_start(inline(_strip_leading(p).runs, {}))
            if text:
                paras.append(text)
        out[name] = "\n\n    ".join(paras) if paras else escape("(trống)")
    return out
