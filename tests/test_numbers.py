"""Vietnamese number formatting: exact decimals, half-up, round trip through the parser."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vanban.metadata import date_words
from vanban.numbers import format_number, format_percent, parse_number


@pytest.mark.parametrize(
    ("value", "decimals", "width", "text"),
    [
        (Decimal("1688.0"), None, None, "1.688,0"),
        (Decimal("778.425"), None, None, "778,425"),
        (Decimal("6.766"), None, None, "6,766"),
        (29460, None, None, "29.460"),
        (Decimal("1688.0"), 0, None, "1.688"),
        (1688, 1, None, "1.688,0"),
        (Decimal("2.5"), 0, None, "3"),
        (Decimal("0.125"), 2, None, "0,13"),
        (Decimal("-2.5"), 0, None, "-3"),
        (Decimal("1033803000"), None, None, "1.033.803.000"),
        (9, None, 2, "09"),
        (12, None, 2, "12"),
    ],
)
def test_format_number(
    value: Decimal | int, decimals: int | None, width: int | None, text: str
) -> None:
    assert format_number(value, decimals, width) == text


def test_format_percent() -> None:
    assert format_percent(Decimal("18.91")) == "18,91%"
    assert format_percent(Decimal("10.40")) == "10,40%"
    assert format_percent(Decimal("101.125"), 2) == "101,13%"


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        format_number(1.5)  # type: ignore[arg-type]


def test_date_words_follow_nd30() -> None:
    import datetime as dt

    assert date_words(dt.date(2020, 1, 5), 2020) == "ngày 05 tháng 01 năm 2020"
    assert date_words(dt.date(2019, 6, 29), 2019) == "ngày 29 tháng 6 năm 2019"
    assert date_words(dt.date(2024, 2, 17), 2024) == "ngày 17 tháng 02 năm 2024"
    assert date_words(None, 2024) == "ngày      tháng      năm 2024"


exact = st.decimals(
    min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=3
)


@given(exact, st.integers(min_value=0, max_value=4))
def test_round_trip_through_the_parser(value: Decimal, decimals: int) -> None:
    text = format_number(value, decimals)
    parsed = parse_number(text)
    assert parsed == value.quantize(Decimal(1).scaleb(-decimals), rounding="ROUND_HALF_UP")
    assert abs(parsed - value) <= Decimal("0.5") * Decimal(10) ** -decimals


@given(st.text(max_size=20))
def test_parser_never_crashes(text: str) -> None:
    try:
        parse_number(text)
    except ValueError:
        pass


@given(exact, st.integers(min_value=0, max_value=4))
@settings(deadline=None)  # the first example loads Babel's locale data: 0.5 s under load
def test_formatting_equals_babels_for_the_vi_locale(value: Decimal, decimals: int) -> None:
    from babel.numbers import format_decimal

    from vanban.numbers import babel_pattern, quantize

    expected = format_decimal(
        quantize(value, decimals),
        format=babel_pattern(decimals),
        locale="vi",
        decimal_quantization=False,
    )
    assert format_number(value, decimals) == expected


def test_the_marks_are_the_vi_locale_s() -> None:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    from vanban.numbers import DECIMAL_MARK, GROUP_MARK, LOCALE

    assert (DECIMAL_MARK, GROUP_MARK) == (get_decimal_symbol(LOCALE), get_group_symbol(LOCALE))
