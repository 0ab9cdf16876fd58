"""Numbers as people type them in Morocco's offices: `1 234,50`, `1.234,50`, `1234.5`, `12,5`."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def parse_decimal(text: str) -> Decimal:
    """Parse a French or plain number; raises ValueError for anything else (never guesses text)."""
    cleaned = _SPACES.sub("", str(text))
    if "," in cleaned:
        # A comma is the decimal mark; dots before it can only be thousands separators.
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(text)
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc


def format_decimal(value: Decimal | None, places: int = 2) -> str:
    """A number the French way, rounded to `places` decimals without useless zeros: `1 234,5`,
    `12`, `45,71` (for fields and KPIs; computations keep full precision)."""
    if value is None or value == "":
        return ""
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    # Python's own grouping (`1,234.50`), then the French marks: this runs for every cell of a
    # national results matrix.
    text = format(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")


def format_percent(ratio: Any) -> str:
    """A ratio as `64 %` (French spacing); empty when there is nothing to divide."""
    if ratio is None:
        return ""
    return f"{format_decimal(round(Decimal(ratio) * 100))}\u00a0%"


_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits that fit a database integer (bigint)


def id_param(text: str | None) -> int | None:
    """A row id or a year from a query parameter, or None: `str.isdigit()` also accepts `²` and
    digits of other scripts that `int()` or the database then fail on, and a 30-digit id
    overflows the database's integer (both were 500s)."""
    return int(text) if text and _ID.fullmatch(text) else None


def percent_of(part: Any, whole: Any) -> Decimal | None:
    """`part` as a percentage of `whole`, to one decimal (45,7); None when the whole is nothing:
    a rate is computed from its numerator and denominator, never averaged (DESIGN §6)."""
    if not whole:
        return None
    return (Decimal(100) * Decimal(part or 0) / Decimal(whole)).quantize(Decimal("0.1"))
