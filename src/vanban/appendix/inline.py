"""The inline Markdown of the lines under a table (`notes:`, `after:`): emphasis and strong.

The lines are printed by vanban itself, not by pandoc, so they read the part of pandoc's
Markdown a line under a table uses: `*emphasis*` or `_emphasis_`, `**strong**` or
`__strong__`, both at once (`***…***`), nested (`**Ghi chú:** *…*`), and backslash escapes
(`\\*` a star). A delimiter opens where the next character is not a space and closes where
the one before is not (CommonMark's flanking rules); an underscore never inside a word. A
delimiter that closes nothing prints as typed: "(*) Số liệu ước" keeps its star.
"""

from __future__ import annotations

import unicodedata

from ..classes import dataclass

_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass
class _Delimiter:
    char: str
    count: int
    opens: bool
    closes: bool
    index: int  # its place among the pieces


def _kind(char: str) -> str:
    if not char or char.isspace():
        return "space"
    if char in _PUNCTUATION or unicodedata.category(char).startswith("P"):
        return "punctuation"
    return "word"


def emphasis_runs(text: str) -> list[tuple[str, bool, bool]]:
    """Return the text as runs of (text, bold, italic), its delimiters and escapes read."""
    pieces: list[list[object]] = []  # [text, strong depth, emphasis depth] or a delimiter
    delimiters: list[_Delimiter] = []
    plain: list[str] = []

    def flush() -> None:
        if plain:
            pieces.append(["".join(plain), 0, 0])
            plain.clear()

    at = 0
    while at < len(text):
        char = text[at]
        if char == "\\" and at + 1 < len(text) and text[at + 1] in _PUNCTUATION:
            plain.append(text[at + 1])
            at += 2
            continue
        if char not in "*_":
            plain.append(char)
            at += 1
            continue
        end = at
        while end < len(text) and text[end] == char:
            end += 1
        before = _kind(text[at - 1]) if at else "space"
        after = _kind(text[end]) if end < len(text) else "space"
        left = after != "space" and (after != "punctuation" or before != "word")
        right = before != "space" and (before != "punctuation" or after != "word")
        opens, closes = left, right
        if char == "_":  # never inside a word
            opens = left and (not right or before == "punctuation")
            closes = right and (not left or after == "punctuation")
        flush()
        delimiters.append(_Delimiter(char, end - at, opens, closes, len(pieces)))
        pieces.append([char * (end - at), 0, 0])
        at = end
    flush()
    marks = {d.index: d for d in delimiters}
    for position, closer in enumerate(delimiters):
        while closer.closes and closer.count:
            opener = next(
                (
                    d
                    for d in reversed(delimiters[:position])
                    if d.opens and d.count and d.char == closer.char
                ),
                None,
            )
            if opener is None:
                break
            used = 2 if opener.count >= 2 and closer.count >= 2 else 1
            slot = 1 if used == 2 else 2  # strong, or emphasis
            for index in range(opener.index + 1, closer.index):
                depth = pieces[index][slot]
                assert isinstance(depth, int)
                pieces[index][slot] = depth + 1
            opener.count -= used
            closer.count -= used
            for between in delimiters:  # what lies between them closes nothing any more
                if opener.index < between.index < closer.index:
                    between.opens = between.closes = False
    out: list[tuple[str, bool, bool]] = []
    for index, (piece, strong, emph) in enumerate(pieces):
        assert isinstance(piece, str)
        if index in marks:
            piece = marks[index].char * marks[index].count  # what no pair took
        if not piece:
            continue
        look = (bool(strong), bool(emph))
        if out and (out[-1][1], out[-1][2]) == look:
            out[-1] = (out[-1][0] + piece, *look)
        else:
            out.append((piece, *look))
    return out
