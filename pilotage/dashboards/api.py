"""API of the dashboards: the watch list (the same alerts as the page), the regions' figures and
benchmarking, as JSON."""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from pilotage.api.pagination import BoundedPagination
from pilotage.dashboards import benchmarks
from pilotage.dashboards.selectors import region_figures
from pilotage.dashboards.watch import Rule, watch_list

router = Router(tags=["dashboards"])


class AlertOut(Schema):
    rule: Rule
    label: str
    subject: str
    reason: str
    url: str
    since: datetime.date
    organisation_id: int | None


@router.get("/dashboards/watch", response=list[AlertOut])
@paginate(BoundedPagination)
def watch(request: HttpRequest, rule: Rule | None = None):
    """The alerts the caller may see, the longest-standing first, a page at a time (limit and
    offset, as every list of the API)."""
    alerts = watch_list(request.user, timezone.localdate())
    return [alert for alert in alerts if rule is None or alert.rule == rule]


class RegionOut(Schema):
    code: str
    name: str
    deliveries: int
    companies: int
    revenue: Decimal
    projects: int
    deliveries_url: str
    projects_url: str


@router.get("/dashboards/regions", response=list[RegionOut])
def regions(request: HttpRequest, year: int | None = None):
    """Each region's figures from the rows the caller may read; without `year`, every year."""
    return region_figures(request.user, year)


class SpreadOut(Schema):
    count: int
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None


class CTIRatiosOut(Schema):
    cti_id: int
    acronym: str
    values: dict[str, Decimal | None]


class BenchmarkOut(Schema):
    year: int
    rows: list[CTIRatiosOut]
    network: dict[str, SpreadOut]
    min_ctis: int


@router.get("/dashboards/benchmarks", response=BenchmarkOut)
def benchmark(request: HttpRequest, year: int = Query(..., ge=2000, le=2100)):
    """The year's ratios of the CTIs the caller may read, and the network's quartiles."""
    return benchmarks.benchmark(request.user, year)
