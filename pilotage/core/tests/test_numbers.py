from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.numbers import parse_decimal


@pytest.mark.parametrize(
    "text, number",
    [("1 234,50", "1234.50"), ("1\u00a0234,5", "1234.5"), ("1.234,50", "1234.50"),
     ("1234.5", "1234.5"), ("12,5", "12.5"), ("-3", "-3"), ("1.234.567", "1234567")],
)  # fmt: skip
def test_it_reads_french_and_plain_numbers(text, number):
    assert parse_decimal(text) == Decimal(number)


@pytest.mark.parametrize("text", ["N/A", "", "12,5,3", "1e5", "abc12", "--1"])
def test_it_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9
    )
)
def test_a_french_rendering_reads_back_to_the_same_number(number):
    units, cents = f"{abs(number):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    text = ("-" if number < 0 else "") + "\u00a0".join(groups) + "," + cents
    assert parse_decimal(text) == number


@pytest.mark.parametrize(
    "number, text",
    [("1234.5000", "1\u00a0234,5"), ("12.0000", "12"), ("0.75", "0,75"), ("-1000", "-1\u00a0000"),
     ("10187049.6", "10\u00a0187\u00a0049,6"), ("100", "100")],
)  # fmt: skip
def test_numbers_are_shown_the_french_way_without_useless_zeros(number, text):
    from pilotage.core.numbers import format_decimal

    assert format_decimal(Decimal(number)) == text
    assert parse_decimal(text) == Decimal(number)
