"""Money is Decimal end to end; this is the one place that formats it (DESIGN §8)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
NBSP = "\u00a0"  # keeps "1 234 DH" on one line


def to_mad(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _group(digits: str) -> str:
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return NBSP.join(groups)


def format_mad(value: Decimal | int | str | None) -> str:
    """`1 234 567,89 DH`: French grouping and decimal comma, two decimals."""
    if value is None:
        return ""
    amount = to_mad(value)
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    return f"{sign}{_group(units)},{cents}{NBSP}DH"


def format_mdh(value: Decimal | int | str | None) -> str:
    """`12,5 MDH` for summaries: millions, at most one decimal, trailing zero dropped."""
    if value is None:
        return ""
    millions = (Decimal(value) / Decimal(1_000_000)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    text = f"{millions:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text}{NBSP}MDH"


def money_field(verbose_name, **kwargs):
    """A MAD amount column: 14 digits with 2 decimals (up to 999 999 999 999,99 DH)."""
    from django.db import models

    kwargs.setdefault("max_digits", 14)
    kwargs.setdefault("decimal_places", 2)
    return models.DecimalField(verbose_name, **kwargs)
