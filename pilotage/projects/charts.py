"""The portfolio's timeline as a Vega-Lite spec (drawn by vega-embed, like the other charts):
one bar per project from its start to its end, coloured by status, and its milestones as
points on it, shaped by whether they are overdue; today as a rule. The marks are hidden from
screen readers (`aria: False`): the page gives the same projects as a table."""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from pilotage.projects.models import MilestoneStatus, Project, ProjectStatus


def timeline_spec(
    projects: list[Project],
    milestones: Sequence[Mapping[str, Any]],
    today: datetime.date,
    rtl: bool = False,
) -> dict[str, Any]:
    """`milestones` are rows of values: project__code, title, due_on, status, overdue."""
    # Labels looked up once: `get_status_display` rebuilds its choices on every call.
    project_label = {status: str(label) for status, label in ProjectStatus.choices}
    milestone_label = {status: str(label) for status, label in MilestoneStatus.choices}
    bars = [
        {"code": p.code, "title": p.title, "start": p.starts_on.isoformat(),
         "end": p.ends_on.isoformat(), "status": project_label[p.status]}
        for p in projects
    ]  # fmt: skip
    points = [
        {"code": m["project__code"], "milestone": m["title"], "due": m["due_on"].isoformat(),
         "status": milestone_label[m["status"]], "overdue": m["overdue"]}
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
