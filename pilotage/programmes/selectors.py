"""Reads of plans and agreements that need more than a filter."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from pilotage.programmes.models import Agreement, Programme, StrategicAxis


@dataclass(frozen=True)
class EnvelopeSplit:
    axes: list[StrategicAxis]
    allocated: Decimal
    unallocated: Decimal


def envelope_split(programme: Programme, user: Any) -> EnvelopeSplit:
    axes = list(StrategicAxis.objects.visible_to(user).filter(programme=programme))
    allocated = sum((axis.envelope for axis in axes), Decimal(0))
    return EnvelopeSplit(axes, allocated, programme.envelope - allocated)


def programme_agreements(programme: Programme, user: Any) -> QuerySet:
    return (
        Agreement.objects.visible_to(user)
        .filter(programme=programme)
        .annotate(party_count=Count("parties"))
        .order_by("kind", "reference")
    )


def programmes_with_totals(user: Any) -> QuerySet:
    return Programme.objects.visible_to(user).annotate(axes_total=Sum("axes__envelope"))
