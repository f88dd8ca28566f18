"""Markdown for imported text: emphasis from runs, footnote markers, escapes, note names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .reader import Run

# Characters pandoc's Markdown (or the report's Jinja pass) would read as syntax.
_ESCAPE = re.compile(r"([\\`*_\[\]<>$@^~|#])")
_JINJA = re.compile(r"\{(?=[{%#])")
# A blank left for a figure to be written in by hand ("số          /BNV-CCH ngày    tháng",
# "(    b)"): three spaces or more between two characters, or two beside "/", "(" or ")".
# Typed as non-breaking spaces it keeps its width; other runs of spaces collapse to one.
_BLANK = re.compile(r"(?<=\S) {3,}(?=\S)|(?<=\() {2,}|(?<=\S) {2,}(?=[/)])")
_RULE_LINE = re.compile(r"[ \t]*(?:[-_][ \t]*){3,}")
_END_BREAKS = re.compile(r"^\s*(?:\\\n\s*)+|(?:\s*\\\n)+\s*$")


def escape(text: str) -> str:
    """Escape the characters Markdown or Jinja would read as syntax."""
    text = _ESCAPE.sub(r"\\\1", text)
    return _JINJA.sub("{{ '{' }}", text)


def plain(text: str, blanks: bool = False) -> str:
    """Return text with spaces collapsed: tabs and runs of spaces become one space; with
    blanks, a blank left to be written in by hand (_BLANK) keeps its width instead."""
    if blanks:
        text = _BLANK.sub(lambda m: "\u00a0" * len(m.group(0)), text)
    return re.sub(r"[ \t\u200b]+", " ", text.replace("\n", " ")).strip()


def inline(runs: Iterable[Run], names: dict[str, str], emphasis: bool = True) -> str:
    """Return the runs as Markdown: **bold**, *italic*, [^name] markers, escapes."""
    pieces: list[tuple[str, bool, bool, str | None]] = []
    for run in runs:
        if run.note:
            pieces.append(("", False, False, run.note))
            continue
        text = run.text.replace("\u200b", "")
        if not text:
            continue
        bold, italic = (run.bold, run.italic) if emphasis else (False, False)
        if not text.strip() and pieces and pieces[-1][3] is None:
            bold, italic = pieces[-1][1], pieces[-1][2]  # a space takes its neighbour's look
        elif not text.strip():
            bold = italic = False
        if pieces and pieces[-1][3] is None and pieces[-1][1:3] == (bold, italic):
            pieces[-1] = (pieces[-1][0] + text, bold, italic, None)
        else:
            pieces.append((text, bold, italic, None))
    out: list[str] = []
    spaced = False  # a space typed before a note's mark: it goes after the reference
    for text, bold, italic, note in pieces:
        if note is not None:
            name = names.get(note)
            if name:
                while out and out[-1].endswith(" "):
                    out[-1] = out[-1][:-1]
                    spaced = True
                out.append(f"[^{name}]")
            continue
        if spaced and text[:1] and not text[:1].isspace() and text[0] not in _CLOSING:
            text = " " + text  # "khác [mark](nếu có)": the words stay apart
        spaced = False
        lines = text.split("\n")
        rendered = []
        for line in lines:
            rendered.append(_emphasised(line, bold, italic))
        out.append("\\\n".join(rendered))
    result = _BLANK.sub(lambda m: "\u00a0" * len(m.group(0)), "".join(out)).replace("\t", " ")
    result = re.sub(r"[ \u00a0]*\\\n[ \u00a0]*", "\\\n", result)
    result = re.sub(r"  +", " ", result)
    # a line break at either end is dropped; a leading escape (\#, \*) is kept
    return _END_BREAKS.sub("", result).strip()


_CLOSING = ".,;:!?)]}…”’"  # what follows a word without a space


def _emphasised(text: str, bold: bool, italic: bool) -> str:
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    mark = "***" if bold and italic else "**" if bold else "*" if italic else ""
    return f"{lead}{mark}{escape(core)}{mark}{trail}"


def rule_line(text: str) -> bool:
    """Return whether a line is only hyphens or underscores (a closing rule "-------")."""
    return bool(_RULE_LINE.fullmatch(text))


_ASCII = str.maketrans({"đ": "d", "Đ": "D"})


def slug(text: str, words: int = 4) -> str:
    """Return an ASCII name from the first words of a Vietnamese text: "bao-cao-ket-qua"."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    parts = re.findall(r"[a-z0-9]+", ascii_text)
    return "-".join(parts[:words]) or "muc"


_CITED = re.compile(
    r"(Nghị định|Nghị quyết|Quyết định|Thông tư liên tịch|Thông tư|Kế hoạch|Công văn|Chỉ thị|"
    r"Báo cáo|Thông báo|Hướng dẫn|Công điện|Luật|Tờ trình|Đề án|Chương trình|Văn bản|Kết luận|"
    r"Quy định|Pháp lệnh)\s+(?:số\s+)?(\d+)(?:/(\d{4}))?(?:/|-)?([A-ZĐa-zđ0-9&-]*)"
    r"(?:[^.;]{0,40}?ngày\s+\d{1,2}(?:/|\s+tháng\s+)\d{1,2}(?:/|\s+năm\s+)(\d{4}))?"
)
_KINDS = {
    "Nghị định": "nd",
    "Nghị quyết": "nq",
    "Quyết định": "qd",
    "Thông tư liên tịch": "ttlt",
    "Thông tư": "tt",
    "Kế hoạch": "kh",
    "Công văn": "cv",
    "Chỉ thị": "ct",
    "Báo cáo": "bc",
    "Thông báo": "tb",
    "Hướng dẫn": "hd",
    "Công điện": "cd",
    "Luật": "luat",
    "Tờ trình": "ttr",
    "Đề án": "da",
    "Chương trình": "ctr",
    "Văn bản": "vb",
    "Kết luận": "kl",
    "Quy định": "qdi",
    "Pháp lệnh": "pl",
}


def note_name(text: str) -> str:
    """Name a footnote from its content: the document it cites (qd-90-2022), else its words."""
    match = _CITED.search(text)
    if match:
        kind, number, year, _symbol, dated = match.groups()
        year = year or dated
        return f"{_KINDS[kind]}-{number}" + (f"-{year}" if year else "")
    return slug(text, 3)
