"""Computed indicators (DESIGN §6): an indicator whose source is "computed" names a computation
over operational records (the services register); its actual comes from those records.

The results app does not know where the records live: the app that holds them registers a
provider at start-up (`register_provider` in its AppConfig.ready). A provider answers, for some
CTIs and a period, the value of every computation in one query:
`provider(cti_ids=[...], year=2024, part=0) -> {cti_id: {(computation, category): Decimal}}`.
"""

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
_provider: dict[str, Any] = {}


def register_provider(func: Callable[..., Values], categories: Iterable = ()) -> None:
    _provider["func"] = func
    _provider["categories"] = list(categories)


def category_choices() -> list[tuple[str, Any]]:
    return [("", "—"), *_provider.get("categories", [])]


def computed_values(cti_ids: Iterable[int], year: int, part: int = 0) -> Values:
    func = _provider.get("func")
    return func(cti_ids=list(cti_ids), year=year, part=part) if func else {}


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
