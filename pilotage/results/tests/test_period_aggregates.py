"""`period_aggregates` (the results matrix's figures, counted in SQL) equals the rules'
reference, `semantics.aggregate_periods`, on any set of periods, reported or not."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotage.results import semantics
from pilotage.results.models import Measurement
from pilotage.results.selectors import period_aggregates
from pilotage.results.tests.factories import contract_indicator, period_for

KINDS = ["count", "percentage"]
AGGREGATIONS = [a.value for a in semantics.Aggregation]
PERIODS = [(year, part) for year in (2023, 2024) for part in (1, 2, 3, 4)]

figures = st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False)
counts = st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False)
# A period's figure: unreported (all empty), a value, or for a percentage a numerator and a
# denominator (0/0 included; half a pair is refused before it is stored).
values = st.one_of(st.none(), figures).map(lambda v: {"value": v})
pairs = st.one_of(
    st.just({}),
    st.tuples(counts, counts).map(lambda pair: {"numerator": pair[0], "denominator": pair[1]}),
)
periods = st.lists(st.sampled_from(PERIODS), unique=True, max_size=len(PERIODS))


@pytest.fixture
def indicators(cast):
    """One indicator per (kind, aggregation), CTI A's."""
    return {
        (kind, aggregation): contract_indicator(
            cast.cti_a, kind=kind, aggregation=aggregation, code=f"K-{kind}-{aggregation}"
        )
        for kind in KINDS
        for aggregation in AGGREGATIONS
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rule=st.tuples(st.sampled_from(KINDS), st.sampled_from(AGGREGATIONS)),
    reported=st.data(),
)
def test_the_sql_figures_equal_the_reference_arithmetic(cast, indicators, rule, reported):
    indicator = indicators[rule]
    kind, aggregation = rule
    reference = semantics.IndicatorRule(kind, "up", aggregation)
    expected = {}
    with transaction.atomic():
        for cti in (cast.cti_a, cast.cti_b):
            observations = []
            for year, part in reported.draw(periods):
                fields = reported.draw(pairs if kind == "percentage" else values)
                Measurement.objects.create(
                    indicator=indicator, period=period_for(indicator, year, part=part),
                    organisation=cti, status="validated", **fields,
                )  # fmt: skip
                observations.append(semantics.Observation((year, part), **fields))
            if observations:
                expected[(cti.pk, indicator.pk)] = semantics.aggregate_periods(
                    reference, observations
                )
        found = period_aggregates(Measurement.objects.all(), {indicator.pk: reference})
        transaction.set_rollback(True)
    assert found == expected


def test_a_cumulative_figure_is_the_last_reported_period_even_when_later_ones_are_empty(
    cast, indicators
):
    indicator = indicators[("count", "cumulative_latest")]
    for part, value in [(1, "10"), (3, "7"), (4, None)]:
        Measurement.objects.create(
            indicator=indicator, period=period_for(indicator, 2024, part=part),
            organisation=cast.cti_a, status="validated",
            value=Decimal(value) if value else None,
        )  # fmt: skip
    rule = semantics.IndicatorRule("count", "up", "cumulative_latest")
    found = period_aggregates(Measurement.objects.all(), {indicator.pk: rule})
    assert found == {
        (cast.cti_a.pk, indicator.pk): semantics.Aggregate(Decimal(7), coverage=2, expected=3)
    }
