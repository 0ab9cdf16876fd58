"""Reads of plans and agreements that need more than a filter."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from pilotage.core import access
from pilotage.core.roles import CTI_ROLES
from pilotage.core.todo import TodoItem, due_item
from pilotage.programmes.models import (
    Agreement,
    Deliverable,
    DeliverableStatus,
    PaymentTranche,
    Programme,
    StrategicAxis,
)


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


@dataclass(frozen=True)
class ContractSchedule:
    """A contract's modalities as its page shows them: what is due, delivered and paid."""

    deliverables: list[Deliverable]
    tranches: list[PaymentTranche]
    due: int  # not yet accepted
    overdue: int
    delivered: int  # awaiting acceptance
    accepted: int
    scheduled: Decimal
    released: Decimal  # released, paid or not
    paid: Decimal


def contract_schedule(agreement: Agreement, user: Any) -> ContractSchedule:
    deliverables = list(Deliverable.objects.visible_to(user).filter(agreement=agreement))
    tranches = list(
        PaymentTranche.objects.visible_to(user)
        .filter(agreement=agreement)
        .prefetch_related(Prefetch("deliverables", queryset=Deliverable.objects.order_by("pk")))
    )
    status = [d.status for d in deliverables]
    return ContractSchedule(
        deliverables=deliverables,
        tranches=tranches,
        due=sum(s != DeliverableStatus.ACCEPTED for s in status),
        overdue=sum(d.is_overdue for d in deliverables),
        delivered=status.count(DeliverableStatus.DELIVERED),
        accepted=status.count(DeliverableStatus.ACCEPTED),
        scheduled=sum((t.amount for t in tranches), Decimal(0)),
        released=sum((t.amount for t in tranches if t.is_released), Decimal(0)),
        paid=sum((t.amount for t in tranches if t.paid_on), Decimal(0)),
    )


TODO_HORIZON = 30  # days: deliverables due within a month, or late, are on the to-do list


def todo_items(user: Any) -> list[TodoItem]:
    """A CTI's deliverables due within a month or late (rejected ones included); for the CID and
    the ministry, the deliverables handed over and awaiting their acceptance. Two queries."""
    roles = access.roles_of(user)
    items = []
    if roles & CTI_ROLES:
        horizon = timezone.localdate() + datetime.timedelta(days=TODO_HORIZON)
        due = (
            Deliverable.objects.visible_to(user)
            .filter(Q(status=DeliverableStatus.DUE) | Q(status=DeliverableStatus.REJECTED),
                    due_on__lte=horizon)
            .aggregate(count=Count("pk"), first=Min("due_on"))
        )  # fmt: skip
        if due["count"]:
            text = ngettext("%(count)s contract deliverable due by %(due)s",
                            "%(count)s contract deliverables due, the first by %(due)s",
                            due["count"])  # fmt: skip
            items.append(due_item(text, due, "programmes:deliverable_list"))
    if access.can(user, "review", Deliverable):
        waiting = (
            Deliverable.objects.visible_to(user)
            .filter(status=DeliverableStatus.DELIVERED)
            .aggregate(count=Count("pk"), oldest=Min("delivered_on"))
        )
        if waiting["count"]:
            text = ngettext("%(count)s deliverable to accept or reject",
                            "%(count)s deliverables to accept or reject", waiting["count"])  # fmt: skip
            url = reverse("programmes:deliverable_list") + "?status=delivered"
            items.append(TodoItem(text % {"count": waiting["count"]}, waiting["count"], url,
                                  oldest=waiting["oldest"]))  # fmt: skip
    return items
