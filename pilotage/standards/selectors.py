"""Reads of standards work: the list with its lateness, and the pipeline — how many works are in
each stage, how long they stayed in each, and how many are late."""

from collections.abc import Iterable
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils import timezone

from pilotage.results.computations import Values, period_bounds
from pilotage.standards.models import STAGE_DATE, Stage, StandardWork, overdue_condition


def standards_register(user: Any) -> Any:
    """The standards work the user may see; `is_overdue` says which is late today."""
    late = overdue_condition(timezone.localdate())
    return (
        StandardWork.objects.visible_to(user)
        .select_related("cti")
        .annotate(
            is_overdue=Case(
                When(late, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
    )


def pipeline(user: Any, **filters: Any) -> list[dict[str, Any]]:
    """For each stage: the works in it now, of which late, and the median days a work spent in
    it (from the day it entered to the day it entered the next, over the works that left it)."""
    rows = StandardWork.objects.visible_to(user).filter(**filters)
    late = overdue_condition(timezone.localdate())
    counts = {
        row["stage"]: row
        for row in rows.values("stage").annotate(n=Count("pk"), late=Count("pk", filter=late))
        .order_by()
    }  # fmt: skip
    stages = list(Stage)
    dates = rows.values_list(*(STAGE_DATE[stage] for stage in stages))
    spent: dict[Stage, list[int]] = {stage: [] for stage in stages}
    for row in dates:
        for i, stage in enumerate(stages[:-1]):
            entered, left = row[i], row[i + 1]
            if entered is not None and left is not None:
                spent[stage].append((left - entered).days)
    return [
        {
            "stage": stage,
            "count": counts.get(stage, {}).get("n", 0),
            "late": counts.get(stage, {}).get("late", 0),
            "median_days": median(spent[stage]) if spent[stage] else None,
            "passed": len(spent[stage]),
        }
        for stage in stages
    ]


def computed_actuals(*, cti_ids: Iterable[int], year: int, part: int = 0) -> Values:
    """For these CTIs and period: the works that reached each stage within it (one grouped
    query). Like the other providers, callers pass only CTIs whose results the user may see."""
    ids = list(cti_ids)
    first, last = period_bounds(year, part)
    counts = {
        f"standards_{stage.value}": Count(
            "pk", filter=Q(**{f"{STAGE_DATE[stage]}__range": (first, last)})
        )
        for stage in Stage
    }
    values: Values = {cti_id: {} for cti_id in ids}
    rows: Any = StandardWork.objects.filter(cti__in=ids).values("cti_id").annotate(**counts)
    for row in rows.order_by():
        for name in counts:
            values[row["cti_id"]][(name, "")] = Decimal(row[name])
    return values
