"""Reads of the services register that need more than a filter: the computed KPIs, list totals,
the public catalogue."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Aggregate, Count, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import ngettext

from pilotage.core import access
from pilotage.core.todo import TodoItem
from pilotage.prestations.models import (
    SME_SIZES,
    RequestStatus,
    ServiceCategory,
    ServiceDelivery,
    ServiceOffering,
    ServiceRequest,
)
from pilotage.results.computations import Computation, Values, period_bounds

ZERO = Decimal(0)


def computed_actuals(*, cti_ids: Iterable[int], year: int, part: int = 0) -> Values:
    """Every computation for these CTIs and period, in ONE grouped query over the deliveries that
    started in the period (the year up to its end, for a quarter): distinct companies, of which
    SMEs, revenue and number of deliveries, in total and by category.

    For a quarter, "companies served" counts the companies served for the first time that year
    (served by the quarter's end, less those served before it): the quarters then add up to the
    year's distinct companies, as the indicator's sum over periods expects, instead of counting
    twice a company served in two quarters.

    Reads every delivery of the CTIs asked for, whoever asks: callers pass only CTIs whose
    results the user may see (a contract's scorecard), and only the figures leave."""
    first, last = period_bounds(year, part)
    year_start = datetime.date(year, 1, 1)
    in_period = Q(started_on__gte=first) if part else Q()
    sme = Q(company__size_class__in=SME_SIZES)
    aggregates: dict[str, Any] = {
        "companies": Count("company", distinct=True),
        "smes": Count("company", distinct=True, filter=sme),
        "revenue": Coalesce(Sum("amount_invoiced", filter=in_period), ZERO),
        "deliveries": Count("pk", filter=in_period),
    }
    if part:
        before = Q(started_on__lt=first)
        aggregates["companies_before"] = Count("company", distinct=True, filter=before)
        aggregates["smes_before"] = Count("company", distinct=True, filter=before & sme)
    for category in ServiceCategory.values:
        in_category = Q(category=category) & in_period
        aggregates[f"revenue__{category}"] = Coalesce(
            Sum("amount_invoiced", filter=in_category), ZERO
        )
        aggregates[f"deliveries__{category}"] = Count("pk", filter=in_category)
    rows = (
        ServiceDelivery.objects.filter(
            cti_id__in=list(cti_ids), started_on__range=(year_start, last)
        )
        .values("cti_id")
        .annotate(**aggregates)
        .order_by()
    )
    values: Values = {}
    for row in rows:
        cell = {
            (Computation.COMPANIES_SERVED.value, ""): Decimal(
                row["companies"] - row.get("companies_before", 0)
            ),
            (Computation.SME_COMPANIES_SERVED.value, ""): Decimal(
                row["smes"] - row.get("smes_before", 0)
            ),
            (Computation.REVENUE.value, ""): row["revenue"],
            (Computation.DELIVERIES.value, ""): Decimal(row["deliveries"]),
        }
        for category in ServiceCategory.values:
            cell[(Computation.REVENUE_BY_CATEGORY.value, category)] = row[f"revenue__{category}"]
            cell[(Computation.DELIVERIES_BY_CATEGORY.value, category)] = Decimal(
                row[f"deliveries__{category}"]
            )
        values[row["cti_id"]] = cell
    return values


def delivery_totals(deliveries: QuerySet, **more: Aggregate) -> dict[str, Any]:
    """The totals row of a (filtered) list of deliveries, with `more` figures asked of the same
    rows: one aggregate query (a national register has a million deliveries to read once)."""
    return deliveries.order_by().aggregate(
        deliveries=Count("pk"),
        companies=Count("company", distinct=True),
        amount=Coalesce(Sum("amount_invoiced"), ZERO),
        **more,
    )


# --- the public catalogue ----------------------------------------------------------------------

CATALOGUE_SEARCH = (
    "title", "title_ar", "title_en", "description", "description_ar", "description_en",
    "sector", "cti__acronym", "cti__name",
)  # fmt: skip


def published_offerings() -> QuerySet:
    """The catalogue as an anonymous visitor sees it: the access rule's published rows only,
    whoever is signed in (a CTI's unpublished entries never show on the public page)."""
    return ServiceOffering.objects.visible_to(None).filter(cti__is_active=True)


def catalogue_search(
    *, text: str = "", sector: str = "", category: str = "", cti: Any = None
) -> QuerySet:
    offerings = published_offerings().select_related("cti")
    for term in text.split():
        offerings = offerings.filter(
            reduce(or_, (Q(**{f"{f}__icontains": term}) for f in CATALOGUE_SEARCH))
        )
    if sector:
        offerings = offerings.filter(sector=sector)
    if category:
        offerings = offerings.filter(category=category)
    if cti:
        offerings = offerings.filter(cti=cti)
    return offerings.order_by("cti__acronym", "code")


def catalogue_sectors() -> list[str]:
    return list(
        published_offerings()
        .exclude(sector="")
        .order_by("sector")
        .values_list("sector", flat=True)
        .distinct()
    )


def todo_items(user: Any) -> list[TodoItem]:
    """Requests from companies waiting in the inbox of the user's CTI (one query)."""
    if not access.can(user, "answer", ServiceRequest):
        return []
    waiting = (
        ServiceRequest.objects.visible_to(user)
        .filter(status=RequestStatus.NEW)
        .aggregate(count=Count("pk"), since=Min("received_at"))
    )
    label = ngettext(
        "%(count)s service request waiting for an answer",
        "%(count)s service requests waiting for an answer",
        waiting["count"],
    ) % {"count": waiting["count"]}
    url = reverse("services:request_list") + "?status=new"
    return [TodoItem(label, waiting["count"], url, oldest=waiting["since"])]
