"""Reads of the governance records that need more than a filter: the decision register and the
recommendations' follow-up, with what is overdue."""

from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from pilotage.governance.models import (
    PENDING_FOLLOW_UP,
    PENDING_RECOMMENDATION,
    Decision,
    Meeting,
    Recommendation,
)


def overdue_condition(status_field: str, pending: frozenset[str]) -> Q:
    """Still to do, and its due date has passed."""
    return Q(due_on__lt=timezone.localdate(), **{f"{status_field}__in": pending})


def decision_register(user: Any) -> QuerySet:
    """Decisions the user may see, each with `is_overdue` (follow-up still pending past its due date)."""
    overdue = overdue_condition("follow_up_status", PENDING_FOLLOW_UP)
    return (
        Decision.objects.visible_to(user)
        .select_related("committee", "meeting", "owner")
        .annotate(
            is_overdue=Case(
                When(overdue, then=Value(True)), default=False, output_field=BooleanField()
            )
        )
    )


def recommendation_follow_up(user: Any) -> QuerySet:
    """Recommendations the user may see, with `is_overdue` and their number of progress notes."""
    overdue = overdue_condition("status", PENDING_RECOMMENDATION)
    return (
        Recommendation.objects.visible_to(user)
        .select_related("evaluation", "owner")
        .annotate(
            is_overdue=Case(
                When(overdue, then=Value(True)), default=False, output_field=BooleanField()
            ),
            note_count=Count("notes"),
        )
    )


def committee_meetings(committee: Any, user: Any) -> QuerySet:
    return (
        Meeting.objects.visible_to(user)
        .filter(committee=committee)
        .annotate(decision_count=Count("decisions"))
        .order_by("-number")
    )
