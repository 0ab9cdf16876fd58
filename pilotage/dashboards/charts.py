"""Vega-Lite specs of the dashboards, built in Python and drawn by vega-embed (charts.js)."""

from typing import Any

from pilotage.dashboards.selectors import RegionFigures


def region_map_spec(
    regions: list[RegionFigures], measure: str, title: str, shapes_url: str
) -> dict[str, Any]:
    """A choropleth of the twelve regions coloured by one measure. The shapes come from the app's
    own TopoJSON (no tile server, no CDN); each region is a link to the deliveries (or projects)
    that make up its figure."""
    url_field = "projects_url" if measure == "projects" else "deliveries_url"
    # Money reads in millions of dirhams on a map's legend (12,5 MDH), as in the ministry's notes.
    scale = 1_000_000 if measure == "revenue" else 1
    values = [
        {"id": r.code, "name": r.name, "value": float(r.value(measure)) / scale,
         "url": getattr(r, url_field), "label": f"{r.name}: {r.value(measure)}"}
        for r in regions
    ]  # fmt: skip
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 480,
        "data": {"url": shapes_url, "format": {"type": "topojson", "feature": "regions"}},
        "transform": [
            {
                "lookup": "id",
                "from": {
                    "data": {"values": values},
                    "key": "id",
                    "fields": ["name", "value", "url", "label"],
                },
            },
        ],
        "projection": {"type": "mercator"},
        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.8, "cursor": "pointer"},
        "encoding": {
            "color": {
                "field": "value",
                "type": "quantitative",
                "title": title,
                "scale": {"scheme": "blues"},
                "legend": {"orient": "bottom-left", "gradientLength": 220, "format": ",.3~r"},
            },
            "href": {"field": "url"},
            "description": {"field": "label"},  # what a screen reader says of each region
            "tooltip": [
                {"field": "name", "title": " "},
                {"field": "value", "title": title, "format": ",.3~r"},
            ],
        },
        "config": {"view": {"stroke": None}},
    }


def benchmark_spec(
    points: list[tuple[str, float]],
    spread: tuple[float, float, float] | None,
    unit: str,
    rtl: bool = False,
) -> dict[str, Any]:
    """One ratio along a line: a dot per CTI shown, the network's interquartile range as a band
    and its median as a rule. Codes and numbers only: the ratio's name is the figure's caption."""
    number = ".0%" if unit == "percent" else ",.3~r"
    x = {"type": "quantitative", "axis": {"title": None, "tickCount": 5, "format": number},
         "scale": {"zero": False, "reverse": rtl}}  # fmt: skip
    layers: list[dict[str, Any]] = []
    if spread is not None:
        q1, median, q3 = spread
        layers += [
            {
                "data": {"values": [{"q1": q1, "q3": q3}]},
                "mark": {"type": "rect", "color": "#cfe2ff", "y": 0, "y2": 40},
                "encoding": {"x": {"field": "q1", **x}, "x2": {"field": "q3"}},
            },
            {
                "data": {"values": [{"median": median}]},
                "mark": {"type": "rule", "color": "#0d6efd", "strokeWidth": 2, "y": 0, "y2": 40},
                "encoding": {"x": {"field": "median", **x}},
            },
        ]
    layers.append(
        {
            "data": {"values": [{"cti": cti, "value": value} for cti, value in points]},
            "mark": {"type": "point", "filled": True, "size": 70, "color": "#212529", "y": 20},
            "encoding": {
                "x": {"field": "value", **x},
                "tooltip": [{"field": "cti"}, {"field": "value", "format": number}],
            },
        }
    )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 40,
        "layer": layers,
        "config": {"view": {"stroke": None}},
    }
