"""Computed indicators (DESIGN §6): an indicator whose source is "computed" names a computation
over operational records (the services register, the certification records); its actual comes
from those records.

The results app does not know where the records live: each app that holds some registers a
provider at start-up (`register_provider` in its AppConfig.ready), naming the computations it
answers. A provider answers, for some CTIs and a period, the value of each of its computations in
one query (or a few): `provider(cti_ids=[...], year=2024, part=0) -> {cti_id: {(computation,
category): Decimal}}`. The services register's computations are listed here (`Computation`, the
first and the ones that take a category); other apps bring their own choices.
"""

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Computation(models.TextChoices):
    COMPANIES_SERVED = "companies_served", _("Companies served (distinct ICE)")
    SME_COMPANIES_SERVED = "sme_companies_served", _("of which SMEs (TPE and PME)")
    REVENUE = "revenue", _("Revenue invoiced (MAD)")
    REVENUE_BY_CATEGORY = "revenue_by_category", _("Revenue invoiced in one category (MAD)")
    DELIVERIES = "deliveries_count", _("Number of deliveries")
    DELIVERIES_BY_CATEGORY = "deliveries_by_category", _("Number of deliveries in one category")


BY_CATEGORY = frozenset({Computation.REVENUE_BY_CATEGORY, Computation.DELIVERIES_BY_CATEGORY})

Values = dict[int, dict[tuple[str, str], Decimal]]
_providers: list[Callable[..., Values]] = []
_choices: dict[str, Any] = {}  # computation → label, in the order registered
_categories: dict[str, Any] = {}


def register_provider(
    func: Callable[..., Values], *, computations: Iterable = (), categories: Iterable = ()
) -> None:
    """Add a provider of `computations` (choices: (name, label)); `categories` are those the
    by-category computations take."""
    if func not in _providers:
        _providers.append(func)
    _choices.update(dict(computations))
    _categories.update(dict(categories))


def computation_choices() -> list[tuple[str, Any]]:
    """Every computation some app provides: the indicator's field offers these."""
    return list(_choices.items())


def category_choices() -> list[tuple[str, Any]]:
    return [("", "—"), *_categories.items()]


def computed_values(cti_ids: Iterable[int], year: int, part: int = 0) -> Values:
    ids = list(cti_ids)
    merged: Values = {}
    for func in _providers:
        for cti_id, cells in func(cti_ids=ids, year=year, part=part).items():
            merged.setdefault(cti_id, {}).update(cells)
    return merged


def period_bounds(year: int, part: int = 0) -> tuple[datetime.date, datetime.date]:
    """First and last day of a year (part 0) or of one of its quarters (1-4)."""
    if part == 0:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    first = datetime.date(year, 3 * part - 2, 1)
    last = (
        datetime.date(year, 12, 31)
        if part == 4
        else datetime.date(year, 3 * part + 1, 1) - datetime.timedelta(days=1)
    )
    return first, last


def value_of(values: Values, cti_id: int | None, indicator: Any) -> Decimal | None:
    """The computed value of `indicator` for that CTI (None for a manual indicator)."""
    if indicator.source != "computed" or not indicator.computation or cti_id is None:
        return None
    category = indicator.computation_category if indicator.computation in BY_CATEGORY else ""
    return values.get(cti_id, {}).get((indicator.computation, category), Decimal(0))


def computed_value(indicator: Any, cti_id: int, year: int, part: int = 0) -> Decimal | None:
    if indicator.source != "computed" or not indicator.computation:
        return None
    return value_of(computed_values([cti_id], year, part), cti_id, indicator)
