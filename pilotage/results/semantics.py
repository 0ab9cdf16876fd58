"""Indicator arithmetic for the results framework (DESIGN §6), with no Django and no database.

The known bugs of the platforms we replace live in exactly this arithmetic: percentages averaged
instead of recomputed from their numerators and denominators, cumulative indicators summed across
periods, missing values counted as zero. Keeping the rules in one pure module lets models,
selectors, exports and the API share one definition of "the 2024 value" or "the programme total",
and lets the rules be property-tested.

Conventions:
- every figure is a finite ``Decimal`` (floats would carry binary rounding into money);
  ``None`` means "not reported" and is never read as zero;
- percentages are in percent (``Decimal(40)`` is 40 %) and always recomputed as
  100 × Σnumerators / Σdenominators;
- achievement and band thresholds are plain ratios: ``Decimal(1)`` is 100 %;
- results keep full ``Decimal`` precision; rounding is for display only.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import pairwise
from typing import TypeAlias

from pilotage.core.money import format_mad
from pilotage.core.numbers import format_decimal

HUNDRED = Decimal(100)

PeriodKey: TypeAlias = tuple[int, ...]
"""Orders periods, e.g. ``(2024, 3)`` for the third quarter of 2024; only its order matters."""


class Kind(enum.StrEnum):
    COUNT = "count"
    MONEY = "money"
    PERCENTAGE = "percentage"


class Direction(enum.StrEnum):
    UP = "up"  # more is better: companies served, revenue
    DOWN = "down"  # less is better: average lead time, rejection rate


class Aggregation(enum.StrEnum):
    """How one indicator's periods combine into a longer period (quarters → year → plan)."""

    SUM = "sum"  # flows: trainees of each quarter add up
    CUMULATIVE_LATEST = "cumulative_latest"  # stocks already cumulated at the source: take the last
    AVERAGE = "average"
    MAX = "max"


class Status(enum.StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


def _check_decimal(name: str, value: object) -> None:
    if value is None:
        return
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal or None, not {type(value).__name__}")
    if not value.is_finite():
        # NaN would make every comparison (max, bands) raise or lie.
        raise ValueError(f"{name} must be finite, not {value}")


def _check_pair(numerator: Decimal | None, denominator: Decimal | None) -> None:
    # Half a ratio cannot be summed with the others: it is an input error, not a missing value.
    if (numerator is None) != (denominator is None):
        raise ValueError("numerator and denominator are given together or not at all")
    if denominator is not None and denominator < 0:
        raise ValueError("a denominator cannot be negative")


@dataclass(frozen=True)
class IndicatorRule:
    """What the arithmetic needs to know about an indicator.

    Plain strings (``"money"``, ``"down"``) are accepted and turned into the enums, so a model can
    pass its stored field values as they are; an unknown string raises ``ValueError``.
    ``aggregation`` is ignored for percentages: they always combine by numerators and denominators.
    """

    kind: Kind
    direction: Direction = Direction.UP
    aggregation: Aggregation = Aggregation.SUM

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "direction", Direction(self.direction))
        object.__setattr__(self, "aggregation", Aggregation(self.aggregation))


@dataclass(frozen=True)
class Observation:
    """One period's figure for one indicator and one CTI.

    Counts and money carry ``value``; percentages carry ``numerator`` and ``denominator`` and no
    ``value``, because a bare percentage cannot be combined correctly with another one. An
    observation with nothing set stands for a period that was not reported.
    """

    key: PeriodKey
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    def __post_init__(self) -> None:
        _check_decimal("value", self.value)
        _check_decimal("numerator", self.numerator)
        _check_decimal("denominator", self.denominator)
        _check_pair(self.numerator, self.denominator)
        if self.value is not None and self.numerator is not None:
            raise ValueError("an observation carries a value or a numerator/denominator, not both")


@dataclass(frozen=True)
class Aggregate:
    """A combined figure and how much data it stands on.

    ``coverage`` counts the inputs that had data (periods for ``aggregate_periods``, CTIs for
    ``roll_up``) and ``expected`` all the inputs given, so "12 of 15 CTIs" is never shown as a
    complete total. ``expected`` defaults to ``coverage``. For percentages the summed
    ``numerator`` and ``denominator`` are kept so that the figure can be rolled up again; a 0/0
    percentage has data (coverage counts it) but no value.
    """

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    coverage: int = 0
    expected: int | None = None

    def __post_init__(self) -> None:
        _check_decimal("value", self.value)
        _check_decimal("numerator", self.numerator)
        _check_decimal("denominator", self.denominator)
        _check_pair(self.numerator, self.denominator)
        expected = self.coverage if self.expected is None else self.expected
        object.__setattr__(self, "expected", expected)
        if not 0 <= self.coverage <= expected:
            raise ValueError("coverage must be between 0 and expected")
        if self.has_data != (self.coverage > 0):
            raise ValueError("an aggregate has data if and only if its coverage is positive")

    @property
    def has_data(self) -> bool:
        return self.value is not None or self.numerator is not None

    @property
    def is_partial(self) -> bool:
        """True when some inputs had no data: show the figure as partial ("12 of 15 CTIs")."""
        return self.expected is not None and self.coverage < self.expected


DEFAULT_ON_TRACK = Decimal("0.9")
DEFAULT_AT_RISK = Decimal("0.7")


@dataclass(frozen=True)
class Bands:
    """Achievement thresholds for the status: ≥ on_track is on track, ≥ at_risk is at risk."""

    on_track: Decimal = DEFAULT_ON_TRACK
    at_risk: Decimal = DEFAULT_AT_RISK

    def __post_init__(self) -> None:
        _check_decimal("on_track", self.on_track)
        _check_decimal("at_risk", self.at_risk)
        if self.on_track is None or self.at_risk is None:
            raise TypeError("both thresholds are required")
        if not 0 < self.at_risk <= self.on_track:
            raise ValueError("bands need 0 < at_risk ≤ on_track")


DEFAULT_BANDS = Bands()


def percentage(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """100 × numerator / denominator; ``None`` when either is missing or the denominator is 0.

    A zero denominator (no eligible company this year) leaves the rate undefined, which is a
    fact to show, not an error to raise.
    """
    if numerator is None or denominator is None or denominator == 0:
        return None
    return HUNDRED * numerator / denominator


@dataclass(frozen=True)
class PeriodTotals:
    """What one indicator's periods for one CTI come to, before a rule reads them (or its CTIs'
    figures, for a roll-up).

    Counted either here (`period_totals`) or in SQL by one grouped query
    (`results.selectors.period_aggregates`, where a national matrix has tens of thousands of
    measurements); `aggregate_totals` applies the rule to either, so the rule is written once.
    """

    periods: int  # every observation given, reported or not
    values: int = 0  # those with a value
    total: Decimal | None = None  # Σ values
    largest: Decimal | None = None
    latest: Decimal | None = None  # the value of the last period that has one
    pairs: int = 0  # those with a numerator and a denominator
    numerator: Decimal | None = None  # Σ numerators of those
    denominator: Decimal | None = None  # Σ denominators of those
    latest_pair: tuple[Decimal, Decimal] | None = None  # the last period's that has both


Figures: TypeAlias = tuple[Decimal | None, Decimal | None, Decimal | None]
"""One period's (value, numerator, denominator), as an ``Observation`` carries them."""


def period_totals(figures: Sequence[Figures]) -> PeriodTotals:
    """The totals of periods' figures given in period order (checked as observations by
    `aggregate_periods`, or read from typed database columns)."""
    values = [value for value, _n, _d in figures if value is not None]
    pairs = [(n, d) for _value, n, d in figures if n is not None and d is not None]
    return PeriodTotals(
        periods=len(figures),
        values=len(values),
        total=sum(values, Decimal(0)) if values else None,
        largest=max(values) if values else None,
        latest=values[-1] if values else None,
        pairs=len(pairs),
        numerator=sum((n for n, _ in pairs), Decimal(0)) if pairs else None,
        denominator=sum((d for _, d in pairs), Decimal(0)) if pairs else None,
        latest_pair=pairs[-1] if pairs else None,
    )


def aggregate_totals(rule: IndicatorRule, totals: PeriodTotals) -> Aggregate:
    """One indicator's periods combined by its rule (see `aggregate_periods`)."""
    if rule.kind is Kind.PERCENTAGE:
        if rule.aggregation is Aggregation.CUMULATIVE_LATEST:
            pair, coverage = totals.latest_pair, min(totals.pairs, 1)
        else:
            pair, coverage = (totals.numerator, totals.denominator), totals.pairs
        if not coverage or pair is None:
            return Aggregate(None, coverage=0, expected=totals.periods)
        numerator, denominator = pair
        return Aggregate(
            percentage(numerator, denominator),
            numerator,
            denominator,
            coverage=coverage,
            expected=totals.periods,
        )
    value: Decimal | None = None
    if totals.values:
        match rule.aggregation:
            case Aggregation.SUM:
                value = totals.total
            case Aggregation.CUMULATIVE_LATEST:
                value = totals.latest
            case Aggregation.AVERAGE:
                assert totals.total is not None
                value = totals.total / totals.values
            case Aggregation.MAX:
                value = totals.largest
    return Aggregate(value, coverage=totals.values, expected=totals.periods)


def aggregate_periods(rule: IndicatorRule, observations: Iterable[Observation]) -> Aggregate:
    """Combine one indicator's periods for one CTI (quarters into a year, years into a plan).

    Periods are ordered by ``key``, whatever order they come in; two observations for the same
    key raise ``ValueError`` (which one is "the latest" would be a coin toss, and a sum would count
    the period twice). Unreported periods are skipped, not counted as zero: the average of 10 and
    a missing quarter is 10. Percentages sum numerators and denominators (a flow, e.g. tests
    passed / tests run), except a cumulative_latest percentage, which is a stock measured at a
    date (e.g. taux d'encadrement): its latest numerator and denominator stand for the period.
    """
    ordered = sorted(observations, key=lambda o: o.key)
    for before, after in pairwise(ordered):
        if before.key == after.key:
            raise ValueError(f"two observations for period {before.key!r}")
    if rule.kind is Kind.PERCENTAGE:
        if any(o.value is not None for o in ordered):
            raise ValueError("percentage observations need a numerator and a denominator")
    elif any(o.numerator is not None for o in ordered):
        raise ValueError(f"{rule.kind} observations carry a value, not a numerator/denominator")
    return aggregate_totals(
        rule, period_totals([(o.value, o.numerator, o.denominator) for o in ordered])
    )


def roll_up(rule: IndicatorRule, per_cti: Mapping[Hashable, Aggregate]) -> Aggregate:
    """Programme total across CTIs, from each CTI's already aggregated figure.

    - sum and cumulative_latest: the sum of the CTIs' figures (for cumulative ones, each CTI's
      latest value, even if CTIs last reported in different periods);
    - average: the unweighted mean across CTIs (each CTI counts once);
    - max: the largest CTI figure;
    - percentage: summed numerators over summed denominators, never a mean of rates.

    CTIs without data are left out of the figure; ``coverage`` says how many took part and
    ``expected`` how many were given.
    """
    aggregates = list(per_cti.values())
    if rule.kind is Kind.PERCENTAGE and any(
        a.numerator is None and a.value is not None for a in aggregates
    ):
        raise ValueError("a percentage rolls up from its numerator and denominator")
    # Across CTIs a cumulative figure adds up: CTI A's stock plus CTI B's stock.
    if rule.aggregation is Aggregation.CUMULATIVE_LATEST:
        rule = replace(rule, aggregation=Aggregation.SUM)
    return aggregate_totals(
        rule, period_totals([(a.value, a.numerator, a.denominator) for a in aggregates])
    )


def achievement(
    rule: IndicatorRule, actual: Decimal | None, target: Decimal | None
) -> Decimal | None:
    """How far the target is met, as a ratio (1 is 100 %); ``None`` when it is undefined.

    Up: actual / target. Down: target / actual, so that beating the target is above 1 as well
    (target 10 days, actual 8 days → 1.25) and the status bands read the same way.

    Undefined, hence ``None`` (the status is then "no data"):
    - actual or target missing;
    - target ≤ 0: a ratio against nothing (or a negative) says nothing;
    - down indicator with actual ≤ 0. Actual 0 against a positive target is the best possible
      outcome, but its ratio is infinite. We chose ``None`` over an arbitrary cap or
      ``Decimal("Infinity")``, which would leak into sums, sorting and JSON; a screen that wants
      to praise "zero rejects" must look at the actual value itself.
    A negative actual on an up indicator gives a negative ratio (off track), which is right.
    """
    _check_decimal("actual", actual)
    _check_decimal("target", target)
    if actual is None or target is None or target <= 0:
        return None
    if rule.direction is Direction.UP:
        return actual / target
    if actual <= 0:
        return None
    return target / actual


def status(achievement: Decimal | None, bands: Bands = DEFAULT_BANDS) -> Status:
    """On track / at risk / off track by the bands; no achievement means no data, not off track."""
    _check_decimal("achievement", achievement)
    if achievement is None:
        return Status.NO_DATA
    if achievement >= bands.on_track:
        return Status.ON_TRACK
    if achievement >= bands.at_risk:
        return Status.AT_RISK
    return Status.OFF_TRACK


def format_value(value: Decimal | None, kind: str) -> str:
    """An indicator's figure as people read it, one rule for every page and chart label: a
    count is a whole number (an average of counts is rounded: no "36,8 people"), money is
    money (`1 234 567,89 DH`), a percentage keeps one decimal (`12,5 %`)."""
    if value is None or value == "":
        return ""
    if kind == Kind.MONEY:
        return format_mad(value)
    if kind == Kind.PERCENTAGE:
        return f"{format_decimal(value, places=1)}\u00a0%"
    return format_decimal(value, places=0)
