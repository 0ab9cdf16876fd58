"""Indicator arithmetic (DESIGN §6): worked examples first, then properties that must always hold.

Pure Python: no database, no Django settings.
"""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.results.semantics import (
    DEFAULT_BANDS,
    Aggregate,
    Aggregation,
    Bands,
    Direction,
    IndicatorRule,
    Kind,
    Observation,
    Status,
    achievement,
    aggregate_periods,
    percentage,
    roll_up,
    status,
)

COUNT_SUM = IndicatorRule(Kind.COUNT, Direction.UP, Aggregation.SUM)
COUNT_CUMULATIVE = IndicatorRule(Kind.COUNT, Direction.UP, Aggregation.CUMULATIVE_LATEST)
COUNT_AVERAGE = IndicatorRule(Kind.COUNT, Direction.UP, Aggregation.AVERAGE)
COUNT_MAX = IndicatorRule(Kind.COUNT, Direction.UP, Aggregation.MAX)
MONEY_SUM = IndicatorRule(Kind.MONEY, Direction.UP, Aggregation.SUM)
RATE = IndicatorRule(Kind.PERCENTAGE, Direction.UP, Aggregation.SUM)
DOWN = IndicatorRule(Kind.COUNT, Direction.DOWN, Aggregation.AVERAGE)
ALL_COUNT_RULES = [COUNT_SUM, COUNT_CUMULATIVE, COUNT_AVERAGE, COUNT_MAX]

FAST = settings(max_examples=150, deadline=None)


@pytest.fixture(autouse=True)
def _isolated():
    """Replaces the project-wide fixture, which needs Django settings this module never reads.

    So the module also runs with ``-p no:django``, proving the arithmetic is framework-free.
    """


def quarters(*values, year=2024):
    """Observations for consecutive quarters; a None is a quarter that was not reported."""
    return [Observation((year, q), None if v is None else D(v)) for q, v in enumerate(values, 1)]


def ratio(key, numerator, denominator):
    return Observation(key, numerator=D(numerator), denominator=D(denominator))


# --- Aggregation over periods: worked examples ----------------------------------------------


def test_sum_adds_the_reported_quarters():
    assert aggregate_periods(COUNT_SUM, quarters(10, 20, None, 5)) == Aggregate(
        D(35), coverage=3, expected=4
    )


def test_cumulative_takes_the_latest_reported_period_not_the_sum():
    result = aggregate_periods(COUNT_CUMULATIVE, quarters(12, 30, 41, None))
    assert result.value == D(41)
    assert result.coverage == 3


def test_cumulative_orders_periods_by_key_not_by_input_order():
    observations = [
        Observation((2025, 1), D(50)),
        Observation((2024, 4), D(45)),
        Observation((2025, 2), None),
        Observation((2024, 2), D(20)),
    ]
    assert aggregate_periods(COUNT_CUMULATIVE, observations).value == D(50)


def test_average_skips_a_missing_period_instead_of_counting_it_as_zero():
    assert aggregate_periods(COUNT_AVERAGE, quarters(10, None)).value == D(10)
    assert aggregate_periods(COUNT_AVERAGE, quarters(10, 0)).value == D(5)


def test_max_takes_the_largest_reported_value():
    assert aggregate_periods(COUNT_MAX, quarters(3, None, 7, 5)).value == D(7)


def test_money_sums_to_the_centime():
    result = aggregate_periods(MONEY_SUM, quarters("1250000.10", "0.20", "-0.05"))
    assert result.value == D("1250000.25")


@pytest.mark.parametrize("rule", ALL_COUNT_RULES, ids=lambda r: r.aggregation)
def test_nothing_reported_is_no_value_not_zero(rule):
    result = aggregate_periods(rule, quarters(None, None))
    assert result == Aggregate(None, coverage=0, expected=2)
    assert result.is_partial
    assert aggregate_periods(rule, []) == Aggregate(None)


def test_percentage_is_summed_numerators_over_summed_denominators():
    # Q1: 1 of 10 companies (10 %), Q2: 45 of 50 (90 %): the year is 46/60, not the mean 50 %.
    result = aggregate_periods(RATE, [ratio((2024, 1), 1, 10), ratio((2024, 2), 45, 50)])
    assert result.numerator == D(46)
    assert result.denominator == D(60)
    assert result.value == D(100) * D(46) / D(60)
    assert result.value != D(50)


@pytest.mark.parametrize(
    "aggregation", [a for a in Aggregation if a is not Aggregation.CUMULATIVE_LATEST]
)
def test_a_flow_percentage_sums_over_periods_whatever_the_aggregation(aggregation):
    rule = IndicatorRule(Kind.PERCENTAGE, Direction.UP, aggregation)
    result = aggregate_periods(rule, [ratio((2024, 1), 1, 4), ratio((2024, 2), 3, 4)])
    assert result.value == D(50)


def test_a_stock_percentage_takes_the_latest_numerator_and_denominator():
    # Taux d'encadrement measured at each quarter's end: the year's figure is the last one,
    # 30 of 100 staff, not (20 + 30) / (80 + 100).
    rule = IndicatorRule(Kind.PERCENTAGE, Direction.UP, Aggregation.CUMULATIVE_LATEST)
    result = aggregate_periods(rule, [ratio((2024, 2), 30, 100), ratio((2024, 1), 20, 80)])
    assert (result.numerator, result.denominator, result.value) == (D(30), D(100), D(30))


def test_percentage_with_zero_denominators_is_undefined_but_reported():
    result = aggregate_periods(RATE, [ratio((2024, 1), 0, 0), Observation((2024, 2))])
    assert result == Aggregate(None, D(0), D(0), coverage=1, expected=2)


def test_percentage_helper():
    assert percentage(D(1), D(4)) == D(25)
    assert percentage(D(1), D(0)) is None
    assert percentage(None, D(4)) is None


# --- Inputs that cannot be aggregated correctly are refused ----------------------------------


def test_two_observations_for_one_period_are_refused():
    with pytest.raises(ValueError, match="two observations"):
        aggregate_periods(COUNT_SUM, [Observation((2024, 1), D(1)), Observation((2024, 1), D(2))])


def test_a_bare_percentage_is_refused():
    with pytest.raises(ValueError, match="numerator and a denominator"):
        aggregate_periods(RATE, [Observation((2024, 1), D(40))])
    with pytest.raises(ValueError, match="numerator and denominator"):
        roll_up(RATE, {"CTPC": Aggregate(D(40), coverage=1)})


def test_a_count_with_a_numerator_is_refused():
    with pytest.raises(ValueError, match="carry a value"):
        aggregate_periods(COUNT_SUM, [ratio((2024, 1), 1, 2)])


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"value": 1.5}, TypeError),  # floats carry binary rounding
        ({"value": 3}, TypeError),
        ({"value": D("NaN")}, ValueError),
        ({"value": D("Infinity")}, ValueError),
        ({"numerator": D(1)}, ValueError),  # half a ratio
        ({"denominator": D(1)}, ValueError),
        ({"numerator": D(1), "denominator": D(-2)}, ValueError),
        ({"value": D(1), "numerator": D(1), "denominator": D(2)}, ValueError),
    ],
)
def test_malformed_observations_are_refused(fields, error):
    with pytest.raises(error):
        Observation((2024, 1), **fields)


def test_inconsistent_aggregates_are_refused():
    with pytest.raises(ValueError):
        Aggregate(D(5), coverage=0)
    with pytest.raises(ValueError):
        Aggregate(None, coverage=1)
    with pytest.raises(ValueError):
        Aggregate(D(5), coverage=3, expected=2)
    assert Aggregate(D(5), coverage=1).expected == 1


def test_rule_accepts_stored_strings_and_refuses_unknown_ones():
    rule = IndicatorRule("money", "down", "cumulative_latest")
    assert rule == IndicatorRule(Kind.MONEY, Direction.DOWN, Aggregation.CUMULATIVE_LATEST)
    assert rule.kind is Kind.MONEY
    with pytest.raises(ValueError):
        IndicatorRule("ratio")


# --- Roll-up across CTIs: worked examples ----------------------------------------------------


def test_roll_up_of_a_sum_adds_the_ctis_and_reports_coverage():
    per_cti = {
        "CTPC": Aggregate(D(120), coverage=4),
        "CETIEV": Aggregate(D(80), coverage=2, expected=4),
        "CTIBA": Aggregate(None, coverage=0, expected=4),
    }
    result = roll_up(COUNT_SUM, per_cti)
    assert result == Aggregate(D(200), coverage=2, expected=3)
    assert result.is_partial


def test_roll_up_of_a_cumulative_adds_each_ctis_latest_value():
    cti_a = aggregate_periods(COUNT_CUMULATIVE, quarters(10, 25, 40, 52))
    cti_b = aggregate_periods(COUNT_CUMULATIVE, quarters(5, 9, None, None))  # last reported in Q2
    assert roll_up(COUNT_CUMULATIVE, {"A": cti_a, "B": cti_b}).value == D(61)


def test_roll_up_of_an_average_is_the_mean_across_ctis():
    per_cti = {"A": Aggregate(D(10), coverage=1), "B": Aggregate(D(20), coverage=3)}
    assert roll_up(COUNT_AVERAGE, per_cti).value == D(15)


def test_roll_up_of_a_max_is_the_largest_cti():
    per_cti = {"A": Aggregate(D(10), coverage=1), "B": Aggregate(D(20), coverage=1)}
    assert roll_up(COUNT_MAX, per_cti).value == D(20)


def test_roll_up_of_a_percentage_is_not_the_mean_of_the_ctis_rates():
    # A small CTI at 10 % (1/10) and a large one at 90 % (900/1000): the programme rate is
    # 901/1010 ≈ 89.2 %, not the 50 % that averaging the two rates would claim.
    per_cti = {
        "small": aggregate_periods(RATE, [ratio((2024, 1), 1, 10)]),
        "large": aggregate_periods(RATE, [ratio((2024, 1), 900, 1000)]),
        "silent": aggregate_periods(RATE, [Observation((2024, 1))]),
    }
    result = roll_up(RATE, per_cti)
    assert (result.numerator, result.denominator) == (D(901), D(1010))
    assert result.value == D(100) * D(901) / D(1010)
    assert result.value != (per_cti["small"].value + per_cti["large"].value) / 2
    assert (result.coverage, result.expected) == (2, 3)


def test_roll_up_of_nobody_is_no_value():
    assert roll_up(COUNT_SUM, {}) == Aggregate(None)
    assert roll_up(RATE, {"A": Aggregate(None, expected=1)}) == Aggregate(None, expected=1)


# --- Achievement and status: worked examples -------------------------------------------------


def test_up_achievement_is_actual_over_target():
    assert achievement(COUNT_SUM, D(45), D(50)) == D("0.9")


def test_down_achievement_is_target_over_actual():
    # Target: 10 days of lead time. 8 days beats it (1.25); 20 days is half way (0.5).
    assert achievement(DOWN, D(8), D(10)) == D("1.25")
    assert achievement(DOWN, D(20), D(10)) == D("0.5")


@pytest.mark.parametrize(
    ("rule", "actual", "target"),
    [
        (COUNT_SUM, None, D(10)),
        (COUNT_SUM, D(10), None),
        (COUNT_SUM, D(10), D(0)),
        (COUNT_SUM, D(10), D(-5)),
        (DOWN, D(0), D(10)),  # zero rejects against a target of 10: infinite ratio, see docstring
        (DOWN, D(-1), D(10)),
        (DOWN, D(0), D(0)),
    ],
)
def test_undefined_achievement_is_none(rule, actual, target):
    assert achievement(rule, actual, target) is None


def test_negative_up_actual_is_off_track():
    assert status(achievement(MONEY_SUM, D(-5), D(100))) is Status.OFF_TRACK


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("1.2"), Status.ON_TRACK),
        (D("0.9"), Status.ON_TRACK),
        (D("0.8999"), Status.AT_RISK),
        (D("0.7"), Status.AT_RISK),
        (D("0.6999"), Status.OFF_TRACK),
        (D(0), Status.OFF_TRACK),
        (None, Status.NO_DATA),
    ],
)
def test_status_by_the_default_bands(value, expected):
    assert status(value) is expected
    assert status(value) == str(expected)


def test_status_by_configured_bands():
    strict = Bands(on_track=D(1), at_risk=D("0.95"))
    assert status(D("0.97"), strict) is Status.AT_RISK
    assert status(D("0.97")) is Status.ON_TRACK


@pytest.mark.parametrize(
    ("on_track", "at_risk"),
    [(D("0.7"), D("0.9")), (D("0.9"), D(0)), (D("0.9"), D("-0.1"))],
)
def test_bands_must_be_ordered_and_positive(on_track, at_risk):
    with pytest.raises(ValueError):
        Bands(on_track=on_track, at_risk=at_risk)


def test_bands_refuse_floats():
    with pytest.raises(TypeError):
        Bands(on_track=0.9)  # type: ignore[arg-type]


# --- Properties ------------------------------------------------------------------------------

# Bounded, two-decimal amounts keep Decimal sums exact (28 significant digits), so equality
# below is exact rather than approximate.
amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=2)
positive = st.decimals(min_value=D("0.01"), max_value=10**6, places=2)
period_keys = st.tuples(st.integers(2014, 2030), st.integers(1, 4))
rules = st.sampled_from([*ALL_COUNT_RULES, MONEY_SUM])


@st.composite
def observation_lists(draw, values=amounts, min_size=0):
    keys = draw(st.lists(period_keys, unique=True, min_size=min_size, max_size=12))
    return [Observation(k, draw(st.none() | values)) for k in keys]


@st.composite
def ratio_observations(draw):
    keys = draw(st.lists(period_keys, unique=True, max_size=8))
    result = []
    for key in keys:
        denominator = draw(st.integers(0, 1000))
        numerator = draw(st.integers(0, denominator))
        result.append(Observation(key, numerator=D(numerator), denominator=D(denominator)))
    return result


@FAST
@given(rule=rules, observations=observation_lists(), data=st.data())
def test_aggregation_does_not_depend_on_input_order(rule, observations, data):
    shuffled = data.draw(st.permutations(observations))
    assert aggregate_periods(rule, shuffled) == aggregate_periods(rule, observations)


@FAST
@given(rule=rules, observations=observation_lists(), extra=period_keys)
def test_a_missing_period_changes_nothing_but_the_expected_count(rule, observations, extra):
    if extra in {o.key for o in observations}:
        return
    before = aggregate_periods(rule, observations)
    after = aggregate_periods(rule, [*observations, Observation(extra)])
    assert (after.value, after.coverage) == (before.value, before.coverage)
    assert after.expected == before.expected + 1


@FAST
@given(observations=observation_lists(min_size=1), data=st.data())
def test_cumulative_is_the_last_present_value_whatever_came_before(observations, data):
    ordered = sorted(observations, key=lambda o: o.key)
    present = [o.value for o in ordered if o.value is not None]
    result = aggregate_periods(COUNT_CUMULATIVE, observations)
    assert result.value == (present[-1] if present else None)
    # Rewrite every period before the last one: the figure must not move.
    *earlier, last = ordered
    rewritten = [Observation(o.key, data.draw(st.none() | amounts)) for o in earlier]
    if last.value is not None:
        assert aggregate_periods(COUNT_CUMULATIVE, [*rewritten, last]).value == last.value


@FAST
@given(observations=observation_lists())
def test_sum_average_and_max_only_see_present_values(observations):
    present = [o.value for o in observations if o.value is not None]
    total = aggregate_periods(COUNT_SUM, observations).value
    mean = aggregate_periods(COUNT_AVERAGE, observations).value
    top = aggregate_periods(COUNT_MAX, observations).value
    if not present:
        assert total is mean is top is None
        return
    assert total == sum(present)
    assert mean == sum(present) / len(present)
    assert top == max(present)


@FAST
@given(
    observations=ratio_observations(),
    aggregation=st.sampled_from([a for a in Aggregation if a is not Aggregation.CUMULATIVE_LATEST]),
)
def test_percentage_over_periods_is_summed_numerators_over_summed_denominators(
    observations, aggregation
):
    rule = IndicatorRule(Kind.PERCENTAGE, Direction.UP, aggregation)
    result = aggregate_periods(rule, observations)
    if not observations:
        assert result == Aggregate(None)
        return
    numerator = sum(o.numerator for o in observations)
    denominator = sum(o.denominator for o in observations)
    assert (result.numerator, result.denominator) == (numerator, denominator)
    assert result.value == (None if denominator == 0 else 100 * numerator / denominator)
    assert result.coverage == len(observations)


@FAST
@given(per_cti=st.dictionaries(st.text(max_size=3), ratio_observations(), max_size=6))
def test_percentage_roll_up_equals_pooling_every_ctis_figures(per_cti):
    aggregates = {cti: aggregate_periods(RATE, obs) for cti, obs in per_cti.items()}
    result = roll_up(RATE, aggregates)
    pooled = [o for obs in per_cti.values() for o in obs]
    numerator = sum((o.numerator for o in pooled), D(0))
    denominator = sum((o.denominator for o in pooled), D(0))
    assert result.value == percentage(numerator, denominator)
    assert result.coverage == sum(1 for obs in per_cti.values() if obs)
    assert result.expected == len(per_cti)


@FAST
@given(
    denominators=st.tuples(st.integers(1, 1000), st.integers(1, 1000)),
    data=st.data(),
)
def test_percentage_roll_up_differs_from_the_mean_of_rates_when_sizes_and_rates_differ(
    denominators, data
):
    d1, d2 = denominators
    n1 = data.draw(st.integers(0, d1))
    n2 = data.draw(st.integers(0, d2))
    per_cti = {
        "A": Aggregate(percentage(D(n1), D(d1)), D(n1), D(d1), coverage=1),
        "B": Aggregate(percentage(D(n2), D(d2)), D(n2), D(d2), coverage=1),
    }
    rolled = roll_up(RATE, per_cti).value
    mean_of_rates = (per_cti["A"].value + per_cti["B"].value) / 2
    assert rolled == percentage(D(n1 + n2), D(d1 + d2))
    # The rolled-up rate weighs each CTI by its denominator, so for two CTIs it equals the mean
    # of their rates only when they have the same size or the same rate; otherwise the gap is at
    # least 1e-4 / 4000 with these bounds, far above Decimal's rounding.
    gap = abs(rolled - mean_of_rates)
    if d1 == d2 or n1 * d2 == n2 * d1:
        assert gap < D("1e-20")
    else:
        assert gap > D("1e-10")


@FAST
@given(
    per_cti=st.dictionaries(st.text(max_size=3), observation_lists(values=positive), max_size=6),
)
def test_sum_roll_up_is_additive_and_coverage_counts_only_ctis_with_data(per_cti):
    aggregates = {cti: aggregate_periods(COUNT_SUM, obs) for cti, obs in per_cti.items()}
    result = roll_up(COUNT_SUM, aggregates)
    present = [o.value for obs in per_cti.values() for o in obs if o.value is not None]
    assert result.value == (sum(present) if present else None)
    with_data = [cti for cti, obs in per_cti.items() if any(o.value is not None for o in obs)]
    assert result.coverage == len(with_data)
    assert result.expected == len(per_cti)
    assert result.is_partial == (len(with_data) < len(per_cti))


@FAST
@given(per_cti=st.dictionaries(st.text(max_size=3), observation_lists(), max_size=6))
def test_cumulative_roll_up_is_the_sum_of_each_ctis_latest(per_cti):
    aggregates = {cti: aggregate_periods(COUNT_CUMULATIVE, obs) for cti, obs in per_cti.items()}
    latest = []
    for obs in per_cti.values():
        present = [o.value for o in sorted(obs, key=lambda o: o.key) if o.value is not None]
        if present:
            latest.append(present[-1])
    assert roll_up(COUNT_CUMULATIVE, aggregates).value == (sum(latest) if latest else None)


@FAST
@given(actual=positive, target=positive)
def test_down_achievement_is_the_inverse_of_up_achievement(actual, target):
    up = IndicatorRule(Kind.COUNT, Direction.UP)
    down = IndicatorRule(Kind.COUNT, Direction.DOWN)
    assert achievement(down, actual, target) == achievement(up, target, actual)
    product = achievement(down, actual, target) * achievement(up, actual, target)
    assert abs(product - 1) < D("1e-20")


@FAST
@given(
    low=st.decimals(min_value=-10, max_value=10, places=4),
    high=st.decimals(min_value=-10, max_value=10, places=4),
    thresholds=st.tuples(
        st.decimals(min_value=D("0.01"), max_value=2, places=2),
        st.decimals(min_value=D("0.01"), max_value=2, places=2),
    ),
)
def test_status_never_gets_worse_as_achievement_rises(low, high, thresholds):
    low, high = sorted((low, high))
    bands = Bands(on_track=max(thresholds), at_risk=min(thresholds))
    rank = [Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK]
    assert rank.index(status(low, bands)) <= rank.index(status(high, bands))


def test_default_bands_are_the_agreed_ones():
    assert Bands(on_track=D("0.9"), at_risk=D("0.7")) == DEFAULT_BANDS


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (D("36.8"), "count", "37"),
        (D("277.0"), "count", "277"),
        (D("1234567"), "count", "1\u00a0234\u00a0567"),
        (D("10187049.6"), "money", "10\u00a0187\u00a0049,60\u00a0DH"),
        (D("12.54"), "percentage", "12,5\u00a0%"),
        (None, "count", ""),
    ],
)
def test_a_figure_reads_by_its_indicators_kind(value, kind, shown):
    from pilotage.results.semantics import format_value

    assert format_value(value, kind) == shown
