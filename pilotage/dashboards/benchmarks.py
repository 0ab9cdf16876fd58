"""Benchmarking the network: ratios that make CTIs of different sizes comparable, for a year.

Each ratio is computed for every CTI from the records (four grouped queries, whatever the number
of rows), then the network's quartiles from all the CTIs that have it. Who sees what (decided
with the ministry's rule, docs/permissions.md): the network's median and quartiles are a
programme-wide aggregate that every signed-in user may read, as long as enough CTIs have the ratio
that no single CTI's figure can be read off them (BENCHMARK_MIN_CTIS); each CTI's own figures are
shown only to those who may read that CTI's deliveries (the ministry, the committee and auditors
every CTI, a CTI itself, a federation its CTIs).
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.certification.models import StaffCount
from pilotage.core import access
from pilotage.core.models import Organisation
from pilotage.core.roles import OrganisationKind
from pilotage.fund.models import Entry, EntryKind
from pilotage.prestations.models import SME_SIZES, ServiceDelivery


@dataclass(frozen=True)
class Ratio:
    key: str
    label: Any
    definition: Any
    unit: str  # money | number | percent | days: how the page writes it


RATIOS = [
    Ratio(
        "facet_per_company", _("FACET money per company served"),
        _("FACET payments to the CTI dated in the year, divided by the distinct companies (ICE) "
          "it served in the year."),
        "money",
    ),
    Ratio(
        "revenue_per_staff", _("Revenue per staff member"),
        _("Revenue invoiced on the deliveries started in the year, divided by the CTI's headcount "
          "that year (engineers and doctorate holders, technicians, administrative staff)."),
        "money",
    ),
    Ratio(
        "services_per_engineer", _("Services per engineer"),
        _("Deliveries started in the year, divided by the engineers and doctorate holders on the "
          "CTI's staff that year."),
        "number",
    ),
    Ratio(
        "sme_share", _("Share of SMEs among companies served"),
        _("Distinct companies of size TPE or PME served in the year, divided by all the distinct "
          "companies served in the year."),
        "percent",
    ),
    Ratio(
        "request_days", _("Days from request to delivery"),
        _("Median number of days between the receipt of a request from the public catalogue and "
          "the start of the delivery it became, over the deliveries started in the year."),
        "days",
    ),
]  # fmt: skip
RATIO_KEYS = [ratio.key for ratio in RATIOS]


@dataclass(frozen=True)
class Spread:
    """The network's distribution of one ratio: quartiles over the CTIs that have it."""

    count: int
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None


@dataclass
class CTIRatios:
    cti_id: int
    acronym: str
    values: dict[str, Decimal | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Benchmark:
    year: int
    rows: list[CTIRatios]  # the CTIs whose figures the user may read
    network: dict[str, Spread]  # empty spreads where too few CTIs have the ratio
    min_ctis: int


def _divide(part: Any, whole: Any) -> Decimal | None:
    if part is None or not whole:
        return None
    return Decimal(part) / Decimal(whole)


def spread(values: list[Decimal]) -> Spread:
    """Quartiles by the inclusive method (the one spreadsheets call QUARTILE.INC)."""
    if not values:
        return Spread(0, None, None, None)
    if len(values) == 1:
        return Spread(1, values[0], values[0], values[0])
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Spread(len(values), Decimal(q1), Decimal(median), Decimal(q3))


def network_ratios(year: int) -> dict[int, dict[str, Decimal | None]]:
    """Every CTI's ratios for the year, read from every CTI's records: the figures behind the
    network's quartiles (only aggregates of them leave this module for a restricted user)."""
    ctis = Organisation.objects.filter(kind=OrganisationKind.CTI).values_list("pk", flat=True)
    deliveries: dict[int, dict[str, Any]] = {
        row["cti_id"]: dict(row)
        for row in ServiceDelivery.objects.filter(started_on__year=year)
        .order_by()
        .values("cti_id")
        .annotate(
            count=Count("pk"),
            companies=Count("company", distinct=True),
            smes=Count("company", distinct=True, filter=Q(company__size_class__in=SME_SIZES)),
            revenue=Sum("amount_invoiced"),
        )
    }
    paid = dict(
        Entry.objects.filter(kind=EntryKind.DISBURSEMENT, entry_date__year=year)
        .order_by()
        .values_list("allocation__cti_id")
        .annotate(Sum("amount"))
    )
    staff = {count.cti_id: count for count in StaffCount.objects.filter(year=year).order_by()}
    waits: dict[int, list[int]] = defaultdict(list)
    requested = (
        ServiceDelivery.objects.filter(started_on__year=year, request__isnull=False)
        .order_by()
        .values_list("cti_id", "started_on", "request__received_at")
    )
    for cti_id, started_on, received_at in requested:
        received_on = timezone.localtime(received_at).date()  # the day in Morocco, not in UTC
        waits[cti_id].append(max((started_on - received_on).days, 0))
    ratios = {}
    for cti_id in ctis:
        served = deliveries.get(cti_id, {})
        headcount = staff.get(cti_id)
        ratios[cti_id] = {
            "facet_per_company": _divide(paid.get(cti_id), served.get("companies")),
            "revenue_per_staff": _divide(
                served.get("revenue"), headcount.total if headcount else None
            ),
            "services_per_engineer": _divide(
                served.get("count"), headcount.graduates if headcount else None
            ),
            "sme_share": _divide(served.get("smes"), served.get("companies")),
            "request_days": (
                Decimal(statistics.median(waits[cti_id])) if waits.get(cti_id) else None
            ),
        }
    return ratios


def benchmark(user: Any, year: int) -> Benchmark:
    """The year's ratios: the CTIs the user may read, and the network's spread of each ratio."""
    ratios = network_ratios(year)
    minimum = settings.BENCHMARK_MIN_CTIS
    whole, readable = access.reading_reach(user, ServiceDelivery)
    network = {}
    for key in RATIO_KEYS:
        present = [value for values in ratios.values() if (value := values[key]) is not None]
        shown = whole or len(present) >= minimum
        network[key] = spread(present) if shown else Spread(len(present), None, None, None)
    names = dict(Organisation.objects.filter(pk__in=list(ratios)).values_list("pk", "acronym"))
    rows = [
        CTIRatios(cti_id, names[cti_id], values)
        for cti_id, values in ratios.items()
        if whole or cti_id in readable
    ]
    return Benchmark(year, sorted(rows, key=lambda row: row.acronym), network, minimum)


def table_rows(result: Benchmark) -> list[CTIRatios]:
    """The CTIs, then the network's first quartile, median and third quartile: the rows of the
    table and of its export."""
    rows = list(result.rows)
    for label, position in ((_("Network: first quartile"), "q1"),
                            (_("Network: median"), "median"),
                            (_("Network: third quartile"), "q3")):  # fmt: skip
        values = {key: getattr(result.network[key], position) for key in RATIO_KEYS}
        rows.append(CTIRatios(0, str(label), values))
    return rows
