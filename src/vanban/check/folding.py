"""Letters without diacritics or case, for comparing names: the standard library only."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["fold", "fold_keeping_length"]


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
