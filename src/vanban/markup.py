"""Markdown text as pandoc reads it, for what writes it (import, absorb): a first word that
would begin a block (a list, a heading, a quotation, a rule) escaped so that it prints as
typed; the lines of a grid table's cell, measured in the characters pandoc counts there (a
combining mark none, a wide East Asian character two) and wrapped within their column.
"""

from __future__ import annotations

import re
import unicodedata

# A numbered item's mark, as pandoc's fancy and example lists read it: 1. 2) a. B) iv. XL)
# (1) (a) (iv) #. @. (@label); any run of the letters of Roman numerals counts ("mi)").
_NUMBERED = re.compile(
    r"(?:\d+|[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+|#|@[\w-]*)[.)]"
    r"|\((?:\d+|[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+|#|@[\w-]*)\)"
)
# A rule: three or more of one of - * _, spaces or tabs between.
_RULE = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*")
# What begins a block at a line's start but its first: the underline of a setext heading
# (= or - alone), a definition (: or ~ before its text).
_UNDER = re.compile(r"=+|-+|:|~")
_WORD = re.compile(r"[^ \t]*")
_SPACES = re.compile(r"[ \t\n]+")


def block_start(text: str) -> str:
    """Return Markdown text that begins a paragraph, or a cell of a table, with its first
    word escaped where pandoc would read it as a block's mark, so that it prints as typed:
    a bullet (`\\- `, `\\+ `, `\\* `, a tab after it as a space), a numbered item's mark
    (`1\\. `, `a\\) `, `(2\\) `, `#\\. `, `@\\. `; not "A. " and one space, which pandoc reads as
    an initial), a heading's `\\#`, a quotation's `\\>`, a rule (`\\---`, `\\- - -`), a line
    block's `\\|`, a fenced div's or code's `\\:::`, `\\~~~`, `` \\``` ``. Whitespace before the
    mark stays, unless it reaches four columns (a tab does): pandoc would read an indented
    block of code, so it goes (a paragraph's leading whitespace does not print)."""
    rest = text.lstrip(" \t")
    lead = text[: len(text) - len(rest)]
    if _columns(lead) >= 4:
        lead = ""
    word = _WORD.match(rest).group(0)  # type: ignore[union-attr]  # matches the empty text
    after = rest[len(word) :]
    if not word:
        return lead + rest
    if (
        word in ("-", "+", "*", "|")
        or _RULE.fullmatch(rest)
        or rest.startswith(">")
        or word.startswith((":::", "~~~", "```"))
        or (not lead and word.strip("#") == "")
    ):
        return lead + "\\" + rest
    if _NUMBERED.fullmatch(word) and not _initial(word, after):
        return lead + word[:-1] + "\\" + word[-1] + after
    return lead + rest


def _initial(word: str, after: str) -> bool:
    """Return True for a capital letter and a period before one space and a word ("A. Lê"):
    pandoc reads it as text, a list's mark wanting two spaces or a tab there."""
    single = len(word) == 2 and word[0].isupper() and word[1] == "."
    return single and after[:1] == " " and after[1:2].strip() != ""


def _columns(whitespace: str) -> int:
    """Return how many columns spaces and tabs take, a tab to the next multiple of four."""
    column = 0
    for char in whitespace:
        column = (column // 4 + 1) * 4 if char == "\t" else column + 1
    return column


def begins_block(word: str) -> bool:
    """Return True for a word that would begin a block at the start of a line that is not a
    paragraph's first (a cell's text wrapped over lines): a mark block_start escapes, the
    underline of a heading (`=`, `-` alone), a definition's `:` or `~`."""
    return block_start(f"{word} x") != f"{word} x" or _UNDER.fullmatch(word) is not None


def wrap_units(text: str) -> list[str]:
    """Return the words of a text as they may go to lines: a word that would begin a block
    at a line's start kept with the word before it (split at spaces and tabs only: a
    no-break space, a blank left to be written in, stays inside its word)."""
    units: list[str] = []
    for word in _SPACES.split(text.strip()):
        if units and begins_block(word):
            units[-1] += " " + word
        elif word:
            units.append(word)
    return units


def wrap(units: list[str], width: int) -> list[str]:
    """Return the units in lines of at most width printed characters (a wider unit alone)."""
    lines: list[str] = []
    for unit in units:
        if lines and printed_width(lines[-1]) + 1 + printed_width(unit) <= width:
            lines[-1] += " " + unit
        else:
            lines.append(unit)
    return lines


def printed_width(text: str) -> int:
    """Return how many columns a text takes in a grid table as pandoc reads it: a combining
    mark none, a wide (East Asian) character two, any other one."""
    return sum(_width(char) for char in text)


def _width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def padded(text: str, width: int) -> str:
    """Return text with the spaces after it that make it width columns wide."""
    return text + " " * max(0, width - printed_width(text))


def index_at(line: str, column: int) -> int | None:
    """Return where in a line of a grid table the character printed at a column is (its
    index; the line's length just past its end); None when the column falls inside a wide
    character or beyond the line."""
    at = 0
    for index, char in enumerate(line):
        width = _width(char)
        if at == column and width:
            return index
        at += width
        if at > column:
            return None
    return len(line) if at == column else None


def column_of(line: str, index: int) -> int:
    """Return the column a line of a grid table prints its character at index in."""
    return printed_width(line[:index])


def char_at(line: str, column: int) -> str:
    """Return the character a line of a grid table prints at a column ("" where none
    starts there)."""
    index = index_at(line, column)
    return line[index] if index is not None and index < len(line) else ""
