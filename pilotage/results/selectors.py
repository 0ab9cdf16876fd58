"""Reads of the results framework that need more than a filter."""

from django.db.models import F

from pilotage.results.models import Indicator, Measurement, Target


def current_target(indicator: Indicator, year: int) -> Target | None:
    """The target in force for that year: the one set by the latest amendment, else the original."""
    return (
        Target.objects.filter(indicator=indicator, year=year)
        .order_by(F("amendment__number").desc(nulls_last=True))
        .first()
    )


def latest_revision(indicator: Indicator, period, organisation) -> Measurement | None:
    return (
        Measurement.objects.filter(indicator=indicator, period=period, organisation=organisation)
        .order_by("-revision")
        .first()
    )
