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
         "url": getattr(r, url_field)}
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
                    "fields": ["name", "value", "url"],
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
            "tooltip": [
                {"field": "name", "title": " "},
                {"field": "value", "title": title, "format": ",.3~r"},
            ],
        },
        "config": {"view": {"stroke": None}},
    }
