"""The portfolio's timeline as a Vega-Lite spec (drawn by vega-embed, like the other charts):
one bar per project from its start to its end, coloured by status, and its milestones as
points on it, shaped by whether they are overdue; today as a rule. The marks are hidden from
screen readers (`aria: False`): the page gives the same projects as a table."""

import datetime
from typing import Any

from pilotage.projects.models import Milestone, Project


def timeline_spec(
    projects: list[Project], milestones: list[Milestone], today: datetime.date, rtl: bool = False
) -> dict[str, Any]:
    bars = [
        {"code": p.code, "title": p.title, "start": p.starts_on.isoformat(),
         "end": p.ends_on.isoformat(), "status": str(p.get_status_display())}
        for p in projects
    ]  # fmt: skip
    points = [
        {"code": m.project.code, "milestone": m.title, "due": m.due_on.isoformat(),
         "status": str(m.get_status_display()), "overdue": m.is_overdue}
        for m in milestones
    ]  # fmt: skip
    y = {"field": "code", "type": "nominal", "title": None, "sort": None,
         "axis": {"orient": "right" if rtl else "left"}}  # fmt: skip
    time_scale = {"reverse": rtl}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": {"step": 22},
        "layer": [
            {
                "data": {"values": bars},
                "mark": {"type": "bar", "cornerRadius": 2, "height": 12, "aria": False},
                "encoding": {
                    "y": y,
                    "x": {"field": "start", "type": "temporal", "title": None,
                          "scale": time_scale},
                    "x2": {"field": "end"},
                    "color": {"field": "status", "type": "nominal", "title": None,
                              "legend": {"orient": "bottom"}},
                    "tooltip": [{"field": "title"}, {"field": "start", "type": "temporal"},
                                {"field": "end", "type": "temporal"}, {"field": "status"}],
                },
            },
            {
                "data": {"values": points},
                "mark": {"type": "point", "filled": True, "size": 60, "color": "#212529",
                         "aria": False},
                "encoding": {
                    "y": y,
                    "x": {"field": "due", "type": "temporal", "scale": time_scale},
                    "shape": {"field": "overdue", "type": "nominal", "legend": None},
                    "tooltip": [{"field": "milestone"}, {"field": "due", "type": "temporal"},
                                {"field": "status"}],
                },
            },
            {
                "data": {"values": [{"today": today.isoformat()}]},
                "mark": {"type": "rule", "color": "#dc3545", "strokeDash": [4, 3], "aria": False},
                "encoding": {"x": {"field": "today", "type": "temporal", "scale": time_scale}},
            },
        ],
        "config": {"view": {"stroke": None}},
    }  # fmt: skip
