"""Vietnamese number formatting and parsing: exact decimals, half-up rounding."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache

LOCALE = "vi"
# The vi locale's symbols (CLDR, as Babel gives them; tests/test_numbers.py compares): written
# out, because loading Babel's locale data costs a tenth of a warm build.
DECIMAL_MARK = ","
GROUP_MARK = "."

Number = int | Decimal

# The largest figure a source may hold: 18 digits before the decimal mark (a national budget
# in đồng has 16). Data files refuse larger ones with their place; see vanban.facts.
MAX_WHOLE_DIGITS = 18


def decimals_of(value: Number) -> int:
    """Return how many decimals the value was written with (0 for whole numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"expected an exact number, got {value!r}")
    if isinstance(value, int):
        return 0
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def to_decimal(value: object) -> Decimal:
    """Return value as a Decimal; floats are refused because they are inexact."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"expected an exact number, got {value!r}")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    raise TypeError(f"expected a number, got {value!r}")


def quantize(value: Number, decimals: int) -> Decimal:
    """Round value to a fixed number of decimals, half-up; exact at any size."""
    exact = to_decimal(value)
    if not exact.is_finite():
        raise ValueError(f"expected a finite number, got {exact}")
    with localcontext() as context:
        # enough digits for the rounded result, so that quantize never fails for want of them
        context.prec = max(28, exact.adjusted() + decimals + 3)
        return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@lru_cache(maxsize=16)
def babel_pattern(decimals: int) -> str:
    """Return the CLDR pattern with a fixed number of decimals: "#,##0.0" for 1."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


# Python's own grouping ("1,688.0": groups of three, as CLDR's #,##0 for vi) with the marks
# swapped for the locale's: the same text as babel.numbers.format_decimal, five times faster
# (a report formats hundreds of figures). tests/test_numbers.py holds the two equal.
_LOCALE_MARKS = str.maketrans({",": GROUP_MARK, ".": DECIMAL_MARK})


def format_number(value: Number, decimals: int | None = None, width: int | None = None) -> str:
    """Format a number the Vietnamese way: 1688.0 -> "1.688,0"; width pads with zeros."""
    places = decimals_of(value) if decimals is None else decimals
    exact = quantize(value, places)
    text = format(exact, f",.{places}f").translate(_LOCALE_MARKS)
    if width is not None:
        sign = "-" if text.startswith("-") else ""
        text = sign + text.lstrip("-").rjust(width, "0")
    return text


def format_percent(value: Number, decimals: int | None = None) -> str:
    """Format a percentage stored as a number of percent: 18.91 -> "18,91%"."""
    return format_number(value, decimals) + "%"


_VN_NUMBER = re.compile(r"^-?\d{1,3}(?:\.\d{3})*(?:,\d+)?$|^-?\d+(?:,\d+)?$")


def parse_number(text: str) -> Decimal:
    """Parse a Vietnamese number ("1.688,0", "778,425", "29.460") into a Decimal."""
    cleaned = text.strip().removesuffix("%")
    if not _VN_NUMBER.match(cleaned):
        raise ValueError(f"not a Vietnamese number: {text!r}")
    try:
        return Decimal(cleaned.replace(GROUP_MARK, "").replace(DECIMAL_MARK, "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValueError(f"not a Vietnamese number: {text!r}") from exc
