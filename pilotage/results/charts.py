"""Vega-Lite specs, built once in Python: drawn by vega-embed on screen (and, later, rendered to
SVG by vl-convert for PDFs), so the screen and the report show the same chart."""

from decimal import Decimal
from typing import Any


def trend_spec(trend: list[tuple[int, Decimal | None]], target: Decimal | None) -> dict[str, Any]:
    """A small line of the validated yearly values, with the year's target as a dashed rule."""
    points = [
        {"year": str(year), "value": float(value)} for year, value in trend if value is not None
    ]
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {"field": "year", "type": "ordinal", "axis": {"title": None, "labelAngle": 0}},
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "axis": {"title": None, "tickCount": 3},
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
