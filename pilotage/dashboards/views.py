"""The home page of each role, the watch list and the map of the regions (thin: the figures come
from selectors.py and watch.py)."""

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pilotage.core import selectors as core_selectors
from pilotage.core.exports import export_response
from pilotage.core.numbers import id_param
from pilotage.core.tables import Column
from pilotage.core.todo import todo_for
from pilotage.dashboards import benchmarks, charts, selectors
from pilotage.dashboards.watch import Rule, watch_list

HOME_ALERTS = 8  # the home page shows the longest-standing alerts; the watch list has them all
WATCH_PAGE = 100  # alerts per page of the watch list (a national network has thousands)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    panels = selectors.home_panels(request.user)
    alerts = watch_list(request.user, today)
    context = {
        "panels": panels,
        "glance": selectors.plan_glance(request.user, today) if "plan" in panels else None,
        "contracts": (
            selectors.contract_glances(request.user, today) if "contracts" in panels else []
        ),
        "partnership": (
            selectors.partnership_figures(request.user) if "partnership" in panels else []
        ),
        "alerts": alerts[:HOME_ALERTS],
        "alert_count": len(alerts),
        "todo": todo_for(request.user),
        "summary": core_selectors.home_summary(request.user),
    }
    return render(request, "dashboards/home.html", context)


@login_required
def watch(request: HttpRequest) -> HttpResponse:
    """Every alert the user may see, optionally one rule's; an unknown rule is ignored, said so."""
    alerts = watch_list(request.user, timezone.localdate())
    chosen = chosen_option(request, "rule", [rule.value for rule in Rule], "")
    counts = {rule: sum(alert.rule == rule for alert in alerts) for rule in Rule}
    if chosen:
        alerts = [alert for alert in alerts if alert.rule == chosen]
    page = Paginator(alerts, WATCH_PAGE).get_page(request.GET.get("page"))
    context = {
        "alerts": page.object_list, "page": page, "rules": list(Rule), "counts": counts,
        "total": sum(counts.values()), "rule": chosen,
    }  # fmt: skip
    return render(request, "dashboards/watch_list.html", context)


def chosen_year(request: HttpRequest, years: list[int], default: int | None) -> int | None:
    """The `year` asked for if it is one of `years`; otherwise `default`, with a notice when a
    value was given (a filter with an unknown value is ignored, never an error)."""
    given = request.GET.get("year", "")
    if given in ("", "all"):
        return default if given == "" else None
    year = id_param(given)
    if year in years:
        return year
    messages.warning(request, _("Unknown year “%(year)s”: it was ignored.") % {"year": given[:20]})
    return default


def chosen_option(request: HttpRequest, name: str, options: Iterable[str], default: str) -> str:
    given = request.GET.get(name, "")
    if given == "" or given in options:
        return given or default
    messages.warning(
        request, _("Unknown choice “%(value)s”: it was ignored.") % {"value": given[:40]}
    )
    return default


@login_required
def region_map(request: HttpRequest) -> HttpResponse:
    """Companies served, deliveries, revenue and projects by region, as a map and a table; a
    region's figure opens the list it counts."""
    today = timezone.localdate()
    years = list(range(today.year - 9, today.year + 1))
    year = chosen_year(request, years, None)
    measure = chosen_option(request, "measure", selectors.REGION_MEASURES, "companies")
    regions = selectors.region_figures(request.user, year)
    title = str(selectors.REGION_MEASURES[measure])
    spec = charts.region_map_spec(
        regions, measure, title, static("pilotage/maps/morocco-regions.topo.json")
    )
    context = {
        "regions": regions, "year": year, "years": years, "measure": measure,
        "measures": selectors.REGION_MEASURES, "spec": json.dumps(spec),
    }  # fmt: skip
    return render(request, "dashboards/region_map.html", context)


def _ratio_of(key: str) -> Callable[[benchmarks.CTIRatios], Any]:
    return lambda row: row.values.get(key)


def _points(result: benchmarks.Benchmark, key: str) -> list[tuple[str, float]]:
    return [(row.acronym, float(v)) for row in result.rows if (v := row.values[key]) is not None]


@login_required
def benchmark(request: HttpRequest) -> HttpResponse:
    """Each CTI's ratios against the network's median and quartiles for a year, with the
    definitions, as charts, a table and its export."""
    today = timezone.localdate()
    years = list(range(today.year - 9, today.year + 1))
    year = chosen_year(request, years, today.year - 1) or today.year - 1
    result = benchmarks.benchmark(request.user, year)
    rows = benchmarks.table_rows(result)
    export = request.GET.get("export", "")
    if export in ("csv", "xlsx"):
        columns = [Column("cti", _("CTI"), accessor="acronym")] + [
            Column(r.key, r.label, accessor=_ratio_of(r.key)) for r in benchmarks.RATIOS
        ]
        return export_response(export, columns, rows, f"benchmark-{year}")  # type: ignore[arg-type,return-value]
    rtl = get_language() == "ar"
    charts_by_ratio = []
    for ratio in benchmarks.RATIOS:
        spread = result.network[ratio.key]
        band = (
            (float(spread.q1), float(spread.median), float(spread.q3))
            if spread.median is not None and spread.q1 is not None and spread.q3 is not None
            else None
        )
        points = _points(result, ratio.key)
        spec = charts.benchmark_spec(points, band, ratio.unit, rtl) if points or band else None
        charts_by_ratio.append((ratio, spread, json.dumps(spec) if spec else ""))
    context = {
        "year": year, "years": years, "result": result, "rows": rows,
        "ratios": benchmarks.RATIOS, "charts": charts_by_ratio,
    }  # fmt: skip
    return render(request, "dashboards/benchmark.html", context)
