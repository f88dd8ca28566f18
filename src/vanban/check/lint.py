"""Lint of the report's Markdown: how numbers, footnotes, headings and text are typed."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from functools import cached_property
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..classes import dataclass, replace
from ..conventions import landscape_fences
from ..numbers import Number, decimals_of, parse_number
from ..rendered import Mention
from .findings import ERROR, WARNING, Finding, figure
from .store import FactStore

# --- reading sources --------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One Markdown file as text, with its lines; `masked` blanks what is not prose."""

    display: str
    text: str
    lines: tuple[str, ...]
    masked_text: str
    starts: tuple[int, ...]

    @property
    def masked(self) -> list[str]:
        return self.masked_text.split("\n")

    def place(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of a character offset."""
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_NOT_PROSE = re.compile(
    r"\[\^[^\]\s]+\]:?"  # footnote references and labels
    r"|\{[.#][^}\n]*\}"  # attributes such as {.run-in}
    r"|\]\([^)\n]*\)"  # link targets
    r"|<https?://[^>\n]*>"  # autolinks
    r"|`[^`\n]*`"  # inline code
)


def _blank(match: re.Match[str]) -> str:
    text = match.group()
    if "\n" not in text:
        return " " * len(text)
    return "\n".join(" " * len(part) for part in text.split("\n"))


def mask(text: str) -> str:
    """Return text with what is not prose blanked, lines and columns kept: its template
    expressions, footnote marks, attributes, link targets and inline code."""
    return _NOT_PROSE.sub(_blank, _JINJA.sub(_blank, text))


def read_source(display: str, data: bytes) -> tuple[Source, list[Finding]]:
    """Decode a Markdown file; bytes that are not UTF-8 are reported and replaced."""
    findings = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[start : exc.start].decode("utf-8", errors="replace")) + 1
        findings.append(
            Finding(
                display,
                line,
                col,
                f"not UTF-8 text (byte 0x{data[exc.start]:02x} {exc.reason}): "
                "save the file as UTF-8",
                "not-utf8",
                ERROR,
            )
        )
        text = data.decode("utf-8", errors="replace")
    text = text.removeprefix("\ufeff")
    masked = mask(text)
    lines = tuple(text.split("\n"))
    starts = [0]
    for text_line in lines[:-1]:
        starts.append(starts[-1] + len(text_line) + 1)
    return Source(display, text, lines, masked, tuple(starts)), findings


# --- numbers as typed -------------------------------------------------------------------

_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_PLAIN = re.compile(r"([0-9]+)(?:,[0-9]+)?")
_ENGLISH = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+\.[0-9]+|[0-9]{1,3}(?:,[0-9]{3}){2,}")
_DOT_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")
_DATE = re.compile(r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{2,4}")
_CLUSTER = re.compile(r"[0-9]+(?:(?:[.,][ \u00a0]*|[ \u00a0]+)[0-9]+)*")
_PIECE = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_MONEY_AFTER = re.compile(r"[ \u00a0]*(?:triệu|tỷ|nghìn|ngàn|đồng|%)")
_SPACE_INSIDE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})*[.,][ \u00a0]+[0-9]+")
_SPACE_GROUPS = re.compile(r"[0-9]{1,3}(?:[ \u00a0][0-9]{3})+")
_STICKY = "/-–"  # a number touching these is a date, a range or a document number
# An outline number of three parts or more, each of one or two digits ("1.4.1"): a row's or
# a heading's number wherever it stands, never a Vietnamese figure.
_OUTLINE = re.compile(r"[0-9]{1,2}(?:\.[0-9]{1,2}){2,}")
_MOST_DIGITS = 18  # longer digit runs are identifiers; figures stay within Decimal's precision


def is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1900 <= int(token) <= 2099


def number_problem(token: str) -> tuple[str, str] | None:
    """Return (what is wrong, how to write it) for a number typed in text, or None if fine.

    Vietnamese numbers group thousands with "." and mark decimals with ",": 29.460; 1.688,0.
    """
    if _GROUPED.fullmatch(token) or _DATE.fullmatch(token):
        return None
    if sum(c.isdigit() for c in token) > _MOST_DIGITS:
        return None  # an account or record number, not a figure
    plain = _PLAIN.fullmatch(token)
    if plain:
        digits = plain.group(1)
        if len(digits) < 4 or is_year(token) or digits.startswith("0"):
            return None
        return "no thousands separator", figure(Decimal(token.replace(",", ".")))
    if _ENGLISH.fullmatch(token):
        return (
            'English separators ("," for thousands, "." for decimals)',
            figure(Decimal(token.replace(",", ""))),
        )
    if _DOT_DECIMAL.fullmatch(token):
        return '"." as the decimal mark (Vietnamese writes ",")', figure(Decimal(token))
    return 'not a Vietnamese number (thousands grouped by ".", decimals after ",")', ""


def numbers_in(text: str) -> Iterator[tuple[int, str, tuple[str, str] | None]]:
    """Yield (offset, token, problem) for each number typed in prose."""
    for match in _CLUSTER.finditer(text):
        start, end = match.span()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        # ("" is in every string: a number at the text's start or end is looked at too)
        if before.isalnum() or (before and before in "_.,") or after.isalnum() or after == "_":
            continue  # part of a word or of a section number (III.2)
        if (before and before in _STICKY) or (after and after in _STICKY):
            continue
        cluster = match.group()
        if (" " in cluster or "\u00a0" in cluster) and _MONEY_AFTER.match(text, end):
            if _SPACE_INSIDE.fullmatch(cluster):
                yield (
                    start,
                    cluster,
                    ("a space inside the number", re.sub(r"[ \u00a0]+", "", cluster)),
                )
                continue
            if _SPACE_GROUPS.fullmatch(cluster):
                yield (
                    start,
                    cluster,
                    ("a space as the thousands separator", re.sub(r"[ \u00a0]", ".", cluster)),
                )
                continue
        for piece in _PIECE.finditer(cluster):
            token = piece.group()
            at = start + piece.start()
            if names(text, at, token):  # a part's, a row's, a version's: no figure
                yield at, token, None
                continue
            yield at, token, number_problem(token)


# A number that names, not counts: that of a part of a text, a table, a form, a programme
# or a document (Điều 5, khoản 2, Biểu mẫu 1, mục 2.1, Mẫu 1.4, Dự án 3, Đề án 06, Nghị quyết
# 57), of a day, month or term (ngày 25 tháng 3, khóa 15, lần thứ 2), a version's, dotted in
# every language (phiên bản 4.0, Công nghiệp 4.0); the number of a heading, an item or a
# table's row (1., 2.1., 3), (4)), which starts its line or cell, or stands in a heading, and
# ends with "." or ")"; and an outline number of three parts (1.4.1).
_NAMING = re.compile(
    r"(?<!\w)(?:điều|khoản|điểm|tiết|chương|mục|phần|phụ lục|biểu mẫu|biểu|mẫu|bảng|dự án|"
    r"tiểu dự án|đề án|chương trình|nội dung|hợp phần|nghị quyết|nghị định|quyết định|chỉ thị|"
    r"thông tư|kế hoạch|công văn|ngày|tháng|quý|khóa|khoá|kỳ|lần thứ|thứ|phiên bản|version|"
    r"công nghiệp|web)[ \u00a0]+(?:số[ \u00a0]+)?$",
    re.IGNORECASE,
)
_LABEL_MARKS = " \t*_#+-"  # what may stand between a line's or cell's start and its label
_NAMING_WINDOW = 40  # characters before a number that hold the words naming it


def names(text: str, offset: int, token: str) -> bool:
    """Return True when the number numbers_in found at offset names, not counts (see
    _NAMING): neither a figure to compare with the facts nor one whose typing is checked.

    Only the characters just before it are read (its line's start, where it numbers a
    heading, an item or a row): a paragraph holds hundreds of numbers."""
    if _OUTLINE.fullmatch(token):
        return True
    line_start = text.rfind("\n", 0, offset) + 1
    if text[offset + len(token) : offset + len(token) + 1] in (".", ")"):
        mark = offset  # back over the spaces and marks that may come before a label
        while mark > line_start and text[mark - 1] in _LABEL_MARKS:
            mark -= 1
        if mark == line_start or text[mark - 1] in "|(" or text[line_start] == "#":
            return True
    # (the search may look behind its start: the word before a naming word is read whole)
    start = max(line_start, offset - _NAMING_WINDOW)
    return _NAMING.search(text, start, offset) is not None


def is_figure(text: str, offset: int, token: str) -> bool:
    """Return True when the number numbers_in found at offset is a figure: not a year, nor a
    date or a number that does not read as Vietnamese (4.0), nor one that names a part or
    numbers a heading, an item or a row."""
    if is_year(token):
        return False
    try:
        parse_number(token)
    except ValueError:
        return False
    return not names(text, offset, token)


def typed_figures(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, token) of each figure typed in prose (text masked as read_source does,
    so that a figure printed from a fact, {{ … }}, is none): what a new period must type
    again, and what the typed-figure lint compares with the facts."""
    for offset, token, _ in numbers_in(text):
        if is_figure(text, offset, token):
            yield offset, token


_TIMES = {Decimal(10**3): "a thousand", Decimal(10**6): "a million", Decimal(10**9): "a billion"}


def misprint(printed: str, value: Number) -> tuple[str, str] | None:
    """Return (what is wrong, what to print) when printed text misstates the fact's value."""
    right = figure(value)
    if printed in {figure(value, d) for d in range(decimals_of(value) + 1)}:
        return None
    if re.search(r"[\d.,][ \u00a0]+[\d.,]", printed.strip()):
        return "a space inside the number", right
    if sum(c.isdigit() for c in printed) > _MOST_DIGITS:
        return "too many digits for a figure", right
    problem = number_problem(printed.strip().removesuffix("%"))
    if problem:
        return problem[0], right
    try:
        read = parse_number(printed)
    except ValueError:
        return "not a Vietnamese number", right
    try:
        english = Decimal(printed.strip().removesuffix("%"))
    except InvalidOperation:
        english = None
    if read != value and english == value and "." in printed:
        reading = figure(read, 0).replace(".", "")
        times = _TIMES.get(read / value if value else Decimal(0))
        scale = f", {times} times the fact" if times else ""
        return f'"." is the thousands mark in Vietnamese, so it reads as {reading}{scale}', right
    if read == value:
        return "not the usual grouping", right
    return f"it reads as {figure(read)}", right


# --- the lint ---------------------------------------------------------------------------

_HEADING_NUMBER = re.compile(
    r"^(#{1,6})[ \t]+(?:\*\*|__)?("
    r"(?:[IVXLCDM]+|\d+(?:\.\d+)*|[a-zđ])[.)](?=[ \t])"
    r"|(?:Phần|Chương|PHẦN|CHƯƠNG)[ \t]+[IVXLCDM]+\b\.?"
    r"|(?:Mục|Tiểu mục|MỤC|TIỂU MỤC)[ \t]+\d+\b\.?"
    r"|(?:Điều|ĐIỀU)[ \t]+\d+\b\.?"
    r")"
)
_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"
_SUPERSCRIPT = re.compile(f"[{_SUPERSCRIPTS}]+")
_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*(.*)$")


def lint_source(source: Source, figures: FigureIndex | None) -> list[Finding]:
    """Return every finding in one Markdown source."""
    display = source.display
    findings: list[Finding] = []
    masked_lines = source.masked  # split once: each line's prose
    for number, line in enumerate(source.lines, start=1):
        if not line.isascii():
            findings += _unicode(display, number, line)
        if line.startswith("#"):
            findings += _heading(display, number, line)
        if "[^" in line:
            findings += _placement(display, number, line)
        if not line.isascii():
            findings += _other_digits(display, number, masked_lines[number - 1])
    if any(char in source.masked_text for char in _SUPERSCRIPTS):
        for number, masked in enumerate(masked_lines, start=1):
            findings += _superscripts(display, number, masked)
    if ":::" in source.text:
        findings += [
            Finding(display, number, 1, problem, "div-fence", ERROR)
            for number, problem in landscape_fences(source.text)
        ]
    findings += _numbers(source, figures)
    return findings


def lint_text_file(display: str, data: bytes) -> list[Finding]:
    """Return the encoding findings of a data file (its names are printed too)."""
    source, findings = read_source(display, data)
    for number, line in enumerate(source.lines, start=1):
        findings += _unicode(display, number, line)
    return findings


def _unicode(display: str, number: int, line: str) -> list[Finding]:
    if line.isascii() or unicodedata.is_normalized("NFC", line):
        return []
    for index, char in enumerate(line):
        if unicodedata.combining(char) or unicodedata.normalize("NFC", char) != char:
            start, end = index, index + 1
            while start > 0 and _in_word(line[start - 1]):
                start -= 1
            while end < len(line) and _in_word(line[end]):
                end += 1
            word = line[start:end]
            marks = " ".join(f"U+{ord(c):04X}" for c in word if unicodedata.combining(c))
            how = f"with combining marks ({marks})" if marks else "in a decomposed form"
            composed = unicodedata.normalize("NFC", word)
            return [
                Finding(
                    display,
                    number,
                    start + 1,
                    f'"{composed}" is typed {how}, not in Unicode NFC: save the text '
                    "composed (NFC)",
                    "not-nfc",
                    ERROR,
                    anchors=(composed,),
                )
            ]
    return []


def _in_word(char: str) -> bool:
    return char.isalnum() or bool(unicodedata.combining(char))


def _heading(display: str, number: int, line: str) -> list[Finding]:
    match = _HEADING_NUMBER.match(line)
    if not match:
        return []
    typed = match.group(2)
    return [
        Finding(
            display,
            number,
            match.start(2) + 1,
            f'heading number "{typed}" typed by hand: the build numbers headings, so it would '
            f"print twice; remove it",
            "typed-heading-number",
            ERROR,
            anchors=(typed,),
        )
    ]


def _superscripts(display: str, number: int, masked: str) -> list[Finding]:
    findings = []
    for match in _SUPERSCRIPT.finditer(masked):
        before = masked[max(0, match.start() - 2) : match.start()]
        if re.search(r"(?:^|[^\w])[kcdm]?m$|\bm$", before) or before.endswith("m"):
            continue  # m², km²: a unit, not a note
        findings.append(
            Finding(
                display,
                number,
                match.start() + 1,
                f'superscript "{match.group()}" typed as a footnote marker: it prints as text '
                "and numbers no note; write a named footnote [^name] there",
                "superscript-marker",
                ERROR,
                anchors=(match.group(),),
            )
        )
    return findings


def _typed_before(before: str) -> str:
    """Return what a footnote marker was typed after: the word (or the whole {{ … }}) and
    the spaces between, "2025" or "năm " — what a waiver of its placement accepts."""
    spaces = len(before) - len(before.rstrip(" \t\u00a0"))
    text = before[: len(before) - spaces] if spaces else before
    if text.rstrip("*_").endswith("}}") and "{{" in text:
        start = text.rfind("{{")
    else:
        start = max(text.rfind(c) for c in " \t\u00a0") + 1
    return before[start:]


def _placement(display: str, number: int, line: str) -> list[Finding]:
    findings = []
    for match in _REFERENCE.finditer(line):
        if match.start() == 0 and _DEFINITION.match(line):
            continue
        before = line[: match.start()]
        name = match.group(1)
        if before and before[-1] in " \t\u00a0":
            findings.append(
                Finding(
                    display,
                    number,
                    match.start() + 1,
                    f"space before the footnote marker [^{name}]: the marker would stand "
                    "apart from the word it belongs to",
                    "footnote-placement",
                    WARNING,
                    anchors=(f"[^{name}]",),
                    values=(("typed", _typed_before(before) + match.group()),),
                )
            )
            continue
        bare = before.rstrip("*_")
        if bare and (bare[-1].isdigit() or bare.endswith("}}")):
            findings.append(
                Finding(
                    display,
                    number,
                    match.start() + 1,
                    f"footnote marker [^{name}] right after a number: it prints like an exponent "
                    "(2025⁵); put it after the word that follows",
                    "footnote-placement",
                    WARNING,
                    anchors=(f"[^{name}]",),
                    values=(("typed", _typed_before(before) + match.group()),),
                )
            )
    return findings


# --- text kept in data (names in appendix rows, Nơi nhận, signer, trích yếu) -----------


def data_texts(document: Any, lines: Sequence[str]) -> Iterator[tuple[int, int, str]]:
    """Yield (line, column, text) of every string value of a YAML document, in file order.

    The column is that of the text's first character (after an opening quote).
    """
    stack: list[Any] = [document]
    found = []
    while stack:
        node = stack.pop()
        if isinstance(node, CommentedMap):
            items = [(node.lc.value(key), node[key]) for key in node]
        elif isinstance(node, CommentedSeq):
            items = [(node.lc.item(index), item) for index, item in enumerate(node)]
        else:
            continue
        for (line, col), value in items:
            if isinstance(value, str):
                if value.isascii() and not any(c.isspace() for c in value):
                    continue  # an identifier (output: bao-cao-dak-glei-2024), not a name
                raw = lines[line] if 0 <= line < len(lines) else ""
                quoted = col < len(raw) and raw[col] in "\"'"
                found.append((line + 1, col + 1 + quoted, value))
            else:
                stack.append(value)
    yield from sorted(found)


def literal_lines(
    line: int, col: int, text: str, lines: Sequence[str]
) -> Iterator[tuple[int, int, str]]:
    """Yield (line, column, text) of a YAML string value line by line where it is a literal
    block (`markdown: |`: each line of the value a line of the file, after its indent), so
    that what is found in it is placed where it is typed; any other value whole."""
    raw = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\n" not in text or raw[col - 1 : col] != "|":
        yield line, col, text
        return
    for number, piece in enumerate(text.split("\n"), line + 1):
        source = lines[number - 1] if number <= len(lines) else ""
        if piece:
            yield number, len(source) - len(source.lstrip(" ")) + 1, piece


def lint_data_text(display: str, line: int, col: int, text: str) -> list[Finding]:
    """Return the findings of one text value of a data file: how its numbers are typed."""
    findings = [replace(f, col=col + f.col - 1) for f in _other_digits(display, line, text)]
    for offset, token, problem in numbers_in(text):
        if problem:
            what, fixed = problem
            hint = f"; write {fixed}" if fixed else ""
            findings.append(
                Finding(
                    display,
                    line,
                    col + offset,
                    f'"{token}": {what}{hint}',
                    "number-format",
                    WARNING,
                    anchors=(token,),
                )
            )
    return findings


# --- figures typed in text --------------------------------------------------------------

_FIGURE_CONTEXT = 24


_MONEY = re.compile(r"[*_]*[ \u00a0]?[*_]*((?:triệu|tỷ|nghìn|ngàn)[ \u00a0]+đồng|đồng)(?!\w)")
_WORD = re.compile(r"\w+")


def _same_unit(following: str, unit: str) -> bool:
    """Return True when the text after a number names unit ("triệu đồng", or "triệu")."""
    if following.startswith(unit):
        return True
    word, first = _WORD.match(following), _WORD.match(unit)
    return bool(word and first and word.group() == first.group())


class FigureIndex:
    """Every fact by value, with its unit, to spot a figure typed where a fact exists."""

    def __init__(self, store: FactStore, unit: Callable[[str], str | None]):
        self._unit = unit
        self._by_value: dict[Decimal, list[str]] = {}
        self._all: list[tuple[str, str, Number]] = []
        for name, value in store.leaves():
            self._by_value.setdefault(Decimal(value), []).append(name)
            self._all.append((name, re.sub(r"[^0-9]", "", figure(value)), value))

    def facts_for(self, value: Decimal, after: str, large: bool) -> list[str]:
        """Return the facts a typed figure may stand for, judging by its value and unit.

        A unit after the number must be the fact's: 140.000 tấn is never a triệu đồng fact.
        """
        names = self._by_value.get(value, [])
        if not names:
            return []
        candidates = [(name, self._unit(name)) for name in names]
        following = after.lstrip(" \u00a0*_")
        if following.startswith("%"):
            return [name for name, unit in candidates if unit == "%"]
        by_unit = [
            name
            for name, unit in candidates
            if unit and unit != "%" and _same_unit(following, unit)
        ]
        if by_unit or not large:
            return by_unit
        if _WORD.match(following):  # a word after it: a unit, never that of another fact
            return [name for name, unit in candidates if unit is None]
        return [name for name, unit in candidates if unit != "%"]

    def near(self, token: str, following: str) -> list[tuple[str, Number]]:
        """Return the facts of the same unit whose digits differ from token's by a slip:
        two neighbouring digits swapped, or one digit mistyped."""
        digits = re.sub(r"[^0-9]", "", token)
        found = []
        for name, fact_digits, value in self._all:
            if len(fact_digits) != len(digits) or fact_digits == digits or len(digits) < 3:
                continue
            unit = self._unit(name)
            if not unit or unit == "%" or not _same_unit(following, unit):
                continue
            if _one_slip(digits, fact_digits):
                found.append((name, value))
        return found


def _one_slip(a: str, b: str) -> bool:
    """Return True when b is a with one digit changed or two neighbouring digits swapped."""
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) == 1:
        return True
    if len(diff) != 2 or diff[1] != diff[0] + 1:
        return False
    i, j = diff
    return a[i] == b[j] and a[j] == b[i]


def _other_digits(display: str, number: int, line: str) -> list[Finding]:
    """Report digits that are not ASCII (full-width １２３, Arabic-Indic ١٢٣) typed in text."""
    findings = []
    for match in re.finditer(r"\d+(?:[.,]\d+)*", line):
        token = match.group()
        if token.isascii():
            continue
        strange = next(c for c in token if c.isdigit() and not c.isascii())
        script = unicodedata.name(strange, "").rsplit(" DIGIT", 1)[0].lower()
        kind = {"fullwidth": "full-width", "arabic-indic": "Arabic-Indic"}.get(script, script)
        ascii_form = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in token)
        findings.append(
            Finding(
                display,
                number,
                match.start() + 1,
                f'"{token}": {kind} digits, not the digits 0–9 a reader and the document\'s '
                f"font expect; write {ascii_form}",
                "number-format",
                WARNING,
                anchors=(token,),
            )
        )
    return findings


def _numbers(source: Source, figures: FigureIndex | None) -> list[Finding]:
    findings = []
    text = source.masked_text
    for offset, token, problem in numbers_in(text):
        line, col = source.place(offset)
        if problem:
            what, fixed = problem
            hint = f"; write {fixed}" if fixed else ""
            findings.append(
                Finding(
                    source.display,
                    line,
                    col,
                    f'"{token}": {what}{hint}',
                    "number-format",
                    WARNING,
                    anchors=(token,),
                )
            )
            continue
        if figures is None or not is_figure(text, offset, token):
            continue
        end = offset + len(token)
        after = text[end : end + _FIGURE_CONTEXT]
        try:
            value = parse_number(token)
        except ValueError:  # a date written with dots
            continue
        names = figures.facts_for(value, after, "," in token or value >= 1000)
        if not names and _GROUPED.fullmatch(token) and token.count(".") == 1 and "," not in token:
            misread = figures.facts_for(Decimal(token), after, True)
            if misread:
                findings.append(
                    Finding(
                        source.display,
                        line,
                        col,
                        f'"{token}" reads as {token.replace(".", "")} in Vietnamese, but the fact '
                        f'{misread[0]} is {figure(Decimal(token))}: the "." was meant as '
                        "the decimal mark; print the fact with so",
                        "number-format",
                        ERROR,
                        misread[0],
                        anchors=(token,),
                        values=(("text", token), (misread[0], figure(Decimal(token)))),
                    )
                )
                continue
        if names:
            others = ""
            if len(names) > 1:
                others = f" (and {len(names) - 1} other fact{'s' if len(names) > 2 else ''})"
            findings.append(
                Finding(
                    source.display,
                    line,
                    col,
                    f"{token} typed in the text where the fact {names[0]}{others} has this value: "
                    f"write {{{{ {names[0]} | so }}}} so the text follows the data",
                    "typed-figure",
                    WARNING,
                    names[0],
                    anchors=(token,),
                )
            )
            continue
        money = _MONEY.match(text, end)
        if money:
            following = text[end:].lstrip(" \u00a0*_")
            near = figures.near(token, following)
            hint = ""
            if near:
                name, fact_value = near[0]
                hint = f" (the fact {name} is {figure(fact_value)}: a slip of the keys?)"
            findings.append(
                Finding(
                    source.display,
                    line,
                    col,
                    f'"{token} {money.group(1)}" typed by hand, and no fact in {money.group(1)} '
                    "has this value"
                    f"{hint}: a money figure comes from data; put it in data/ and print it "
                    "with so",
                    "typed-figure",
                    WARNING,
                    near[0][0] if near else None,
                    anchors=(token,),
                    values=(("typed", f"{token} {money.group(1)}"),),
                )
            )
    return findings


# --- printed("…") mentions --------------------------------------------------------------


def lint_mentions(
    mentions: Iterable[Mention], store: FactStore, lines: Callable[[str], Sequence[str]]
) -> list[Finding]:
    """Compare each figure printed as issued with its fact: a misprint is reported there."""
    findings = []
    for mention in mentions:
        if not mention.printed_as_issued:
            continue
        value = store.number(mention.fact)
        if value is None:
            continue
        text = lines(mention.source)
        line = text[mention.line - 1] if 0 < mention.line <= len(text) else ""
        col = _column(line, mention.text, mention.fact)
        problem = misprint(mention.text, value)
        if problem is None:
            findings.append(
                Finding(
                    mention.source,
                    mention.line,
                    col,
                    f'printed("{mention.text}") prints what so prints for {mention.fact}: '
                    "write | so; printed is for misprints kept as issued",
                    "printed-not-needed",
                    WARNING,
                    mention.fact,
                    anchors=(mention.text,),
                    values=(("printed", mention.text), (mention.fact, figure(value))),
                )
            )
            continue
        what, right = problem
        findings.append(
            Finding(
                mention.source,
                mention.line,
                col,
                f'printed "{mention.text}" for {mention.fact} = {figure(value)}: {what}; '
                f"print {right}",
                "number-format",
                ERROR,
                mention.fact,
                anchors=(mention.text,),
                values=(("printed", mention.text), (mention.fact, figure(value))),
            )
        )
    return findings


def _column(line: str, text: str, fact: str) -> int:
    for needle in (f'printed("{text}")', f"printed('{text}')", fact.split(".", 1)[-1]):
        found = line.find(needle)
        if found >= 0:
            if needle.startswith("printed"):
                return found + len('printed("') + 1
            return found + 1
    return 1


# --- footnotes that repeat each other ---------------------------------------------------

SIMILAR = 0.9


@dataclass(frozen=True)
class Note:
    """A footnote's rendered text as words, with the place of its definition."""

    name: str
    display: str
    line: int
    words: tuple[str, ...]

    @cached_property
    def figures(self) -> tuple[str, ...]:
        return tuple(word for word in self.words if word[:1].isdigit())


def definitions(source: Source) -> dict[str, int]:
    """Return the line of each footnote definition in a source."""
    return {
        match.group(1): number
        for number, line in enumerate(source.lines, start=1)
        if (match := _DEFINITION.match(line))
    }


def rendered_notes(markdown: str) -> dict[str, str]:
    """Return the text of each footnote definition in rendered Markdown (with continuations)."""
    notes: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in markdown.split("\n"):
        match = _DEFINITION.match(line)
        if match:
            current = notes.setdefault(match.group(1), [])
            current.append(match.group(2))
        elif current is not None and line.startswith(("    ", "\t")):
            current.append(line.strip())
        elif line.strip():
            current = None
    return {name: " ".join(parts) for name, parts in notes.items()}


def note_words(text: str) -> tuple[str, ...]:
    """Return the words and figures of a note's text, case-folded, without emphasis."""
    return tuple(re.findall(r"[0-9]+(?:[.,][0-9]+)*|\w+", text.casefold()))


def _digest(words: Sequence[str]) -> str:
    """Return a short fingerprint of a note's words, for the waiver that accepts it."""
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:12]


def duplicate_footnotes(notes: Sequence[Note]) -> list[Finding]:
    """Report each note whose text repeats an earlier one's, identically or nearly.

    Nearly: at least 90% alike word for word, stating the same figures.
    """
    findings = []
    # Only notes stating the same figures can repeat each other: compare within those groups,
    # each in order, so that a long document does not compare every note with every other.
    by_figures: dict[tuple[str, ...], list[Note]] = {}
    for later in notes:
        group = by_figures.setdefault(later.figures, [])
        earlier_ones = list(group) if later.words else []
        group.append(later)
        for earlier in earlier_ones:
            if later.words == earlier.words:
                how = "the same text as"
            else:
                matcher = SequenceMatcher(None, earlier.words, later.words, autojunk=False)
                if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                    continue
                ratio = matcher.ratio()
                if ratio < SIMILAR:
                    continue
                how = f"nearly the same text ({int(ratio * 100)}% alike) as"
            findings.append(
                Finding(
                    later.display,
                    later.line,
                    1,
                    f"footnote [^{later.name}] has {how} [^{earlier.name}] "
                    f"({earlier.display}:{earlier.line}): one note could serve both places",
                    "duplicate-footnote",
                    WARNING,
                    anchors=(f"[^{later.name}]", f"[^{earlier.name}]"),
                    values=(
                        (f"[^{later.name}]", _digest(later.words)),
                        (f"[^{earlier.name}]", _digest(earlier.words)),
                    ),
                )
            )
            break
    return findings
