"""Columns shared by list pages and their exports: one declaration, same cells on screen and in Excel."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Column:
    name: str
    label: Any
    accessor: str | Callable[[Any], Any] | None = None  # dotted attribute path or function
    # ORM field to order by, or fields (the first decides, the others break ties); None: not sortable
    sort: str | tuple[str, ...] | None = None
    link: bool = False  # the cell links to the row's detail page

    def value(self, obj: Any) -> Any:
        accessor = self.accessor or self.name
        if callable(accessor):
            return accessor(obj)
        value: Any = obj
        for part in accessor.split("."):
            if value is None:
                return None
            display = getattr(value, f"get_{part}_display", None)
            value = display() if display else getattr(value, part)
        if isinstance(value, models.Manager):
            return ", ".join(str(item) for item in value.all())
        return value


def sort_queryset(
    queryset: models.QuerySet, columns: list[Column], requested: str, default: str
) -> tuple[models.QuerySet, str]:
    """Order by a sortable column (`name` or `-name`); anything else falls back to the default."""
    sortable = {c.name: c.sort for c in columns if c.sort}
    key = requested.lstrip("-")
    if key not in sortable:
        requested = default
        key = default.lstrip("-")
    fields = sortable[key]
    fields = (fields,) if isinstance(fields, str) else fields
    if requested.startswith("-"):
        fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
    return queryset.order_by(*fields, "pk"), requested
