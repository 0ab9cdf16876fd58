"""Reads of the governance records that need more than a filter: the decision register and the
recommendations' follow-up, with what is overdue."""

import datetime
from typing import Any

from django.db.models import BooleanField, Case, Count, Min, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import ngettext

from pilotage.core import access
from pilotage.core.todo import TodoItem, due_item
from pilotage.governance.models import (
    PENDING_FOLLOW_UP,
    PENDING_RECOMMENDATION,
    Decision,
    Meeting,
    Recommendation,
)


def overdue_condition(
    status_field: str, pending: frozenset[str], today: datetime.date | None = None
) -> Q:
    """Still to do, and its due date has passed (by `today`, the local date unless given)."""
    return Q(due_on__lt=today or timezone.localdate(), **{f"{status_field}__in": pending})


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


def followed_by(user: Any) -> Q | None:
    """Which decisions and recommendations are this person's to follow: all of them for the
    ministry and the committee, those their organisation owns for the others (None: none)."""
    if access.can(user, "oversee", Decision):
        return Q()
    if access.grants_of(user):
        return Q(owner__in={g.organisation_id for g in access.grants_of(user)})
    return None


TODO_HORIZON = 30  # days: what is due within a month, or overdue, is on the to-do list


def todo_items(user: Any) -> list[TodoItem]:
    """Decisions and recommendations whose follow-up is due within a month (or late): the
    ministry and committee members see all, others those their organisation owns. Two queries."""
    mine = followed_by(user)
    if mine is None:
        return []
    horizon = timezone.localdate() + datetime.timedelta(days=TODO_HORIZON)

    def due(model, status_field: str, open_states) -> dict:
        return (
            model.objects.visible_to(user)
            .filter(mine, **{f"{status_field}__in": open_states}, due_on__lte=horizon)
            .aggregate(count=Count("pk"), first=Min("due_on"))
        )

    decisions = due(Decision, "follow_up_status", PENDING_FOLLOW_UP)
    recommendations = due(Recommendation, "status", PENDING_RECOMMENDATION)
    items = []
    if decisions["count"]:
        text = ngettext("%(count)s decision to follow up by %(due)s",
                        "%(count)s decisions to follow up, the first by %(due)s",
                        decisions["count"])  # fmt: skip
        items.append(due_item(text, decisions, "governance:decision_list"))
    if recommendations["count"]:
        text = ngettext("%(count)s recommendation due by %(due)s",
                        "%(count)s recommendations due, the first by %(due)s",
                        recommendations["count"])  # fmt: skip
        items.append(due_item(text, recommendations, "governance:recommendation_list"))
    return items
