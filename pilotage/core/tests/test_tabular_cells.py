"""Cells as people type them in spreadsheets: French numbers and dates, Excel serial dates."""

import datetime
from decimal import Decimal

import pytest

from pilotage.core.tabular import cell_date, cell_decimal, cell_text


@pytest.mark.parametrize(
    "value, expected",
    [
        ("31/12/2024", datetime.date(2024, 12, 31)),
        ("2024-12-31", datetime.date(2024, 12, 31)),
        ("31-12-2024", datetime.date(2024, 12, 31)),
        (45657, datetime.date(2024, 12, 31)),  # Excel's serial number for that day
        ("45657", datetime.date(2024, 12, 31)),
        (datetime.datetime(2024, 12, 31, 10, 0), datetime.date(2024, 12, 31)),
        ("", None),
        (None, None),
    ],
)
def test_dates(value, expected):
    assert cell_date(value) == expected


@pytest.mark.parametrize(
    "value", ["31/13/2024", "31/02/2024", "demain", "2024/31/12", -3, True, 10**400, "9" * 400]
)
def test_what_is_not_a_date_is_refused(value):
    with pytest.raises(ValueError):
        cell_date(value)


@pytest.mark.parametrize(
    "value, expected",
    [("1 234,50", Decimal("1234.50")), (1500.5, Decimal("1500.5")), (12, Decimal(12)), ("", None)],
)
def test_numbers(value, expected):
    assert cell_decimal(value) == expected


def test_text_is_not_a_number_and_whole_floats_read_as_codes():
    with pytest.raises(ValueError):
        cell_decimal("N/A")
    assert cell_text(1561191000066.0) == "1561191000066"
