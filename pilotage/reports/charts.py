"""The edition's charts as Vega-Lite specs built from its figures: the edition's page draws them
with vega-embed, the PDF embeds the same specs rendered to SVG by vl-convert (DESIGN §2).

A chart carries no words, only numbers and codes (axis 1-5, years, region codes MA-01..MA-12):
its title and legend are written around it in the page's language. WeasyPrint draws an SVG's
text letter by letter, which would print Arabic unjoined and backwards; text around the chart is
laid out like the rest of the document, right to left and shaped."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from pilotage.core.regions import iso_code
from pilotage.reports.presentation import COLUMN_LABELS, label

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# The money series and their colours; the legend around the chart uses the same classes.
SERIES = {"allocated": "#8fb3e0", "committed": "#1a4d8f", "paid": "#2e8b57"}


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    spec: dict[str, Any]
    legend: list[tuple[str, str]]  # (series key → CSS class swatch-<key>, label)


def _rows(figures: dict[str, Any], section: str, table: str) -> list[dict[str, Any]]:
    tab = figures["sections"].get(section, {}).get(table)
    if tab is None:
        return []
    columns = [c[0] for c in tab["columns"]]
    return [dict(zip(columns, row, strict=True)) for row in tab["rows"]]


def _bars(values: list[dict[str, Any]], rtl: bool, series: list[str]) -> dict[str, Any]:
    """Grouped bars, one group per category code, one bar per series (colour only)."""
    return {
        "$schema": SCHEMA,
        "width": 460,
        "height": 180,
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "x": {"field": "category", "type": "ordinal", "sort": None,
                  "axis": {"title": None, "labelAngle": 0}, "scale": {"reverse": rtl}},
            "xOffset": {"field": "series", "sort": series},
            "y": {"field": "value", "type": "quantitative",
                  "axis": {"title": None, "format": "~s", "orient": "right" if rtl else "left"}},
            "color": {"field": "series", "type": "nominal", "legend": None,
                      "scale": {"domain": series, "range": [SERIES[s] for s in series]}},
            # Tooltips (on screen only) say it in words.
            "tooltip": [{"field": "name"}, {"field": "series_name"},
                        {"field": "value", "format": ",.2~f"}],
        },
        "config": {"view": {"stroke": None}, "font": "Noto Sans, sans-serif"},
    }  # fmt: skip


def edition_charts(figures: dict[str, Any], language: str) -> list[Chart]:
    """The charts of the sections the edition has, with their title and legend in `language`."""
    rtl = language == "ar"
    names = figures.get("names", {})
    money = ["allocated", "committed", "paid"]
    charts = []
    with translation.override(language):
        legend = [(s, str(COLUMN_LABELS[s])) for s in money]
        for table, title, code in (
            ("by_axis", _("FACET money by strategic axis (MAD)"), "axis"),
            ("by_year", _("FACET money by year (MAD)"), "year"),
        ):
            rows = _rows(figures, "money", table)
            if not rows:
                continue
            values = [
                {"category": str(row[code]), "series": s, "value": float(Decimal(row[s])),
                 "name": label(code, row[code], names, language) if code == "axis" else row[code],
                 "series_name": str(COLUMN_LABELS[s])}
                for row in rows
                for s in money
            ]  # fmt: skip
            charts.append(Chart(f"money-{table}", title, _bars(values, rtl, money), legend))
        regions = _rows(figures, "services", "by_region")
        if regions:
            values = [
                {"category": iso_code(row["region"]) if row["region"] else "—",
                 "series": "committed", "value": row["deliveries"],
                 "name": label("region", row["region"], names, language),
                 "series_name": str(COLUMN_LABELS["deliveries"])}
                for row in regions
            ]  # fmt: skip
            charts.append(
                Chart("services-by-region", _("Services delivered by region (codes MA-01 to MA-12)"),
                      _bars(values, rtl, ["committed"]), [])
            )  # fmt: skip
    return charts


def to_svg(spec: dict[str, Any]) -> str:
    """The chart drawn on the server, as the PDF embeds it."""
    import vl_convert  # loaded when a PDF is made: it brings a JavaScript engine

    # The Vega-Lite version vega-embed draws on the pages (package-lock.json).
    return vl_convert.vegalite_to_svg(spec, vl_version="v6_4")
