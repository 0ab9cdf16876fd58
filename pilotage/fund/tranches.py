"""The arithmetic of a performance-linked tranche, apart from the database (tested on its own,
including a property test: the tranche is never negative and never above its amount or the
contract's ceiling).

score = Σ weight × counted achievement ÷ Σ weight, where an indicator's counted achievement is
its achievement (actual ÷ target, inverted for a downward indicator) bounded to [0, cap], and 0
when the year has no validated value or no target (a missing result earns nothing);
tranche = 0 below the floor, else amount × min(score, 1), never above the contract's ceiling,
rounded down to the centime (a proposal never pays a fraction of a centime too much).
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

ZERO = Decimal(0)
ONE = Decimal(1)
CENTIME = Decimal("0.01")


@dataclass(frozen=True)
class Result:
    """What the year says of one weighted indicator."""

    code: str
    weight: Decimal
    target: Decimal | None
    actual: Decimal | None
    achievement: Decimal | None  # None: no validated value, or no target to measure it against
    pending: bool = False  # a value awaits validation (it is not counted)


@dataclass(frozen=True)
class Line:
    code: str
    weight: Decimal
    target: Decimal | None
    actual: Decimal | None
    achievement: Decimal | None
    counted: Decimal  # the achievement bounded to [0, cap]; 0 when missing
    contribution: Decimal  # weight × counted ÷ Σ weights: the lines add up to the score
    pending: bool

    def as_json(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Computation:
    lines: list[Line]
    score: Decimal
    proposed: Decimal


def compute(
    results: Iterable[Result],
    *,
    floor: Decimal,
    cap: Decimal,
    amount: Decimal,
    ceiling: Decimal | None,
) -> Computation:
    results = list(results)
    total_weight = sum((r.weight for r in results), ZERO)
    lines = []
    for r in results:
        counted = ZERO if r.achievement is None else min(max(r.achievement, ZERO), cap)
        contribution = r.weight * counted / total_weight if total_weight else ZERO
        lines.append(
            Line(r.code, r.weight, r.target, r.actual, r.achievement, counted, contribution,
                 r.pending)
        )  # fmt: skip
    score = sum((line.contribution for line in lines), ZERO)
    return Computation(lines, score, proposed_amount(score, floor, amount, ceiling))


def proposed_amount(
    score: Decimal, floor: Decimal, amount: Decimal, ceiling: Decimal | None
) -> Decimal:
    if score < floor or amount <= 0:
        return ZERO
    due = amount * min(score, ONE)
    limit = amount if ceiling is None else min(amount, max(ceiling, ZERO))
    return min(max(due, ZERO), limit).quantize(CENTIME, rounding=ROUND_DOWN)
