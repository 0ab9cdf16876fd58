"""Vega-Lite specs, built once in Python: drawn by vega-embed on screen (and, later, rendered to
SVG by vl-convert for PDFs), so the screen and the report show the same chart."""

from decimal import Decimal
from typing import Any


def trend_spec(
    trend: list[tuple[int, Decimal | None]], target: Decimal | None, rtl: bool = False
) -> dict[str, Any]:
    """A small line of the validated yearly values, with the year's target as a dashed rule.
    Right to left (Arabic), time runs from right to left and the value axis sits on the right;
    numbers follow the page's language (charts.js gives vega-embed its format locale)."""
    points = [
        {"year": str(year), "value": float(value)} for year, value in trend if value is not None
    ]
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {
                    "field": "year",
                    "type": "ordinal",
                    "axis": {"title": None, "labelAngle": 0},
                    "scale": {"reverse": rtl},
                },
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "axis": {"title": None, "tickCount": 3, "orient": "right" if rtl else "left"},
                },
                "tooltip": [{"field": "year"}, {"field": "value", "format": ",.2~f"}],
            },
        }
    ]
    if target is not None:
        layers.append(
            {
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#dc3545"},
                "encoding": {"y": {"datum": float(target)}},
            }
        )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 160,
        "height": 50,
        "data": {"values": points},
        "layer": layers,
        "config": {"view": {"stroke": None}},
    }


# Bootstrap's badge colours (text-bg-success, -warning, -danger, -light): a status reads the same
# on the heatmap as on the scorecard and the home page.
STATUS_COLOURS = {
    "on_track": "#198754",
    "at_risk": "#ffc107",
    "off_track": "#dc3545",
    "no_data": "#f8f9fa",
}


def matrix_heatmap_spec(data_url: str, words: dict[str, str], rtl: bool = False) -> dict[str, Any]:
    """The plan's CTI × indicator matrix as a heatmap, read in the browser from the API's JSON
    (its `cells`): one square per CTI and indicator coloured by status, the figures in the
    tooltip, and a link (`href`) to the CTI's scorecard for the year.

    The data carries codes and numbers; `words` gives the legend and tooltip titles in the page's
    language: `status`, `indicator`, `actual`, `target`, `achievement`, and each status's name
    under its code. Right to left (Arabic), indicators run from right to left."""
    statuses = list(STATUS_COLOURS)
    names = [{"status": status, "status_name": words[status]} for status in statuses]
    # A missing figure reads "—": Vega's format() would write null as 0.
    shown = [
        {"calculate": f"isValid(datum.{field}) ? format(datum.{field}, '{how}') : '—'",
         "as": f"{field}_shown"}
        for field, how in (("actual", ",.4~f"), ("target", ",.4~f"), ("achievement", ".0%"))
    ]  # fmt: skip
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        # A fixed size per cell (the page scrolls a wide plan): every code stays readable.
        "width": {"step": 12},
        "height": {"step": 16},
        "data": {
            "url": data_url,
            "format": {
                "type": "json",
                "property": "cells",
                # Decimals come as strings (exact); null stays null (not reported), never 0.
                "parse": {"actual": "number", "target": "number", "achievement": "number"},
            },
        },
        "transform": [
            {
                "lookup": "status",
                "from": {"data": {"values": names}, "key": "status", "fields": ["status_name"]},
            },
            *shown,
        ],
        "mark": {"type": "rect", "cursor": "pointer", "stroke": "#dee2e6", "strokeWidth": 0.5},
        "encoding": {
            "x": {
                "field": "indicator",
                "type": "nominal",
                "title": None,
                "scale": {"reverse": rtl},
                "axis": {"orient": "top", "labelAngle": -90, "labelFontSize": 8},
            },
            "y": {
                "field": "cti",
                "type": "nominal",
                "title": None,
                "axis": {"orient": "right" if rtl else "left"},
            },
            "color": {
                "field": "status_name",
                "type": "nominal",
                "title": words["status"],
                "scale": {
                    "domain": [words[status] for status in statuses],
                    "range": [STATUS_COLOURS[status] for status in statuses],
                },
                "legend": {"orient": "bottom", "symbolStrokeColor": "#adb5bd"},
            },
            "href": {"field": "url"},
            "tooltip": [
                {"field": "cti", "title": "CTI"},
                {"field": "indicator", "title": words["indicator"]},
                {"field": "actual_shown", "title": words["actual"]},
                {"field": "target_shown", "title": words["target"]},
                {"field": "achievement_shown", "title": words["achievement"]},
                {"field": "status_name", "title": words["status"]},
            ],
        },
        "config": {"view": {"stroke": None}},
    }
