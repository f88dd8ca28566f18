"""How long a line of text is, and where it wraps, in Times New Roman.

The advance widths are those of Liberation Serif (data/font-widths.json, written by
scripts/font_widths.py), which has the metrics of Times New Roman: a line measured here is
as long in Word as in LibreOffice, where kerning is off. Lengths are in twips (1/20 pt).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from .classes import dataclass

WIDTHS_FILE = "data/font-widths.json"
# A character the table lacks counts as wide as "n" of its face.
FALLBACK = "n"
# Where a line may break besides after a space (as LibreOffice's ICU rules allow): after a
# hyphen that a letter follows, after an en or em dash, after a slash.
_BREAK_AFTER = {"\u2013", "\u2014", "/"}
_HYPHENS = {"-", "\u2010"}
_SPACES = {" ", "\u2002", "\u2003", "\u2009"}


@dataclass(frozen=True)
class Run:
    """A stretch of text of one size and weight; "\n" in it is a line break."""

    text: str
    size_pt: float
    bold: bool = False


@cache
def _tables() -> tuple[int, dict[str, int], dict[str, int]]:
    text = (Path(__file__).parent / WIDTHS_FILE).read_text("utf-8")
    data = json.loads(text)
    return int(data["units_per_em"]), data["regular"], data["bold"]


def advances(run: Run) -> list[float]:
    """Return the advance width of each character of a run (NFC), in twips."""
    units, regular, bold = _tables()
    table = bold if run.bold else regular
    scale = run.size_pt * 20 / units
    fallback = table[FALLBACK]
    return [table.get(char, fallback) * scale for char in unicodedata.normalize("NFC", run.text)]


def width(text: str, size_pt: float, bold: bool = False) -> float:
    """Return the length of one line of text, in twips."""
    return sum(advances(Run(text, size_pt, bold)))


def wrap(runs: Iterable[Run], available: float) -> list[float]:
    """Return the length of each line the runs make in a paragraph this wide (twips), broken
    greedily as a word processor breaks them; spaces ending a line do not count."""
    chars: list[str] = []
    sizes: list[float] = []
    for run in runs:
        chars += unicodedata.normalize("NFC", run.text)
        sizes += advances(run)
    lines: list[float] = []
    start = 0
    while start < len(chars):
        end = _line_end(chars, sizes, start, available)
        lines.append(_visible(chars, sizes, start, end))
        start = end
        while start < len(chars) and chars[start] in _SPACES:
            start += 1
        if start < len(chars) and chars[start] == "\n":
            start += 1
    return lines


def _line_end(chars: Sequence[str], sizes: Sequence[float], start: int, available: float) -> int:
    """Return where the line starting at start ends: after its last break opportunity that
    fits, or within a word too long for any line."""
    total = 0.0
    best = -1
    for index in range(start, len(chars)):
        char = chars[index]
        if char == "\n":
            return index
        if char in _SPACES:
            best = index
            total += sizes[index]
            continue
        total += sizes[index]
        if total > available:
            return best if best > start else max(index, start + 1)
        if _breaks_after(chars, index):
            best = index + 1
    return len(chars)


def _breaks_after(chars: Sequence[str], index: int) -> bool:
    char = chars[index]
    following = chars[index + 1] if index + 1 < len(chars) else ""
    if char in _BREAK_AFTER:
        return following not in _SPACES and following != ""
    if char in _HYPHENS:
        before = chars[index - 1] if index > 0 else ""
        return before.isalpha() and following.isalpha()
    return False


def _visible(chars: Sequence[str], sizes: Sequence[float], start: int, end: int) -> float:
    while end > start and chars[end - 1] in _SPACES:
        end -= 1
    return sum(sizes[start:end])
