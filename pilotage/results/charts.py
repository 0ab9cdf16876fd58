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
