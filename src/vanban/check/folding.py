"""Letters without diacritics or case, for comparing names: the standard library only."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["fold", "fold_keeping_length", "keystrokes"]


def fold(text: str) -> str:
    """Return text without diacritics, case or separators: "Đắk Glei" -> "dakglei"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in bare.casefold() if c.isalnum())


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Return a str.translate table taking each Latin letter to its bare lower-case base.

    Every other character below U+1F00 maps to itself: translate looks each character up,
    and one missing from the table costs a raised and caught LookupError (the table as it
    is folds a long text in less than half the time)."""
    table: dict[int, str] = {code: chr(code) for code in range(0x1F00)}
    for code in [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        if char.isalpha():
            base = fold(char)
            if len(base) == 1:
                table[code] = base
    return table


def fold_keeping_length(text: str) -> str:
    """Return text with every letter bare and lower-case, one character for one."""
    return text.translate(_fold_table())


# How Telex, the common Vietnamese input method, types a letter's marks: the vowel's shape
# (â ê ô: the vowel twice; ă ơ ư: then w) right after it, the tone (f s r x j) at the word's
# end; đ is dd.
_SHAPE = {"\u0302": None, "\u0306": "w", "\u031b": "w"}
_TONE = {"\u0300": "f", "\u0301": "s", "\u0309": "r", "\u0303": "x", "\u0323": "j"}


@lru_cache(maxsize=4096)
def keystrokes(word: str) -> str:
    """Return the keys Telex types a lower-case word with: "quầy" -> "quaayf", "đắk" ->
    "ddawsk"; a slip of the keyboard is one key more, less or other in this spelling."""
    keys: list[str] = []
    tone = ""
    for char in unicodedata.normalize("NFD", word.replace("đ", "dd")):
        if char in _TONE:
            tone = _TONE[char]
        elif char in _SHAPE:
            shape = _SHAPE[char]
            keys.append(keys[-1] if shape is None and keys else shape or "")
        else:
            keys.append(char)
    return "".join(keys) + tone
