"""Reads that need more than a filter."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from pilotage.core import access
from pilotage.core.models import ApiToken, Membership, Organisation, User
from pilotage.core.roles import OrganisationKind


@dataclass(frozen=True)
class HomeSummary:
    memberships: list[Membership]
    organisations_by_kind: dict[str, int]
    people_count: int | None
    active_tokens: int


def home_summary(user: Any) -> HomeSummary:
    memberships = list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("role")
    )
    counts = Organisation.objects.visible_to(user).aggregate(
        **{kind: Count("pk", filter=Q(kind=kind, is_active=True)) for kind in OrganisationKind}
    )
    people = (
        User.objects.visible_to(user).filter(is_active=True).count()
        if access.has_role(user, *access.rule_for(User).readers) or user.is_superuser
        else None
    )
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
    return HomeSummary(memberships, counts, people, tokens)


def organisation_members(user: Any, organisation: Organisation) -> list[Membership]:
    """The organisation's members the viewer may see."""
    return list(
        Membership.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__full_name")
    )


def membership_timeline(viewer: Any, person: User) -> QuerySet:
    """Roles given to and taken from `person`, newest first, in organisations the viewer reaches
    (history rows outlive deleted memberships, so they are filtered here, not by `visible_to`)."""
    rows = (
        Membership.history.filter(user_id=person.pk)
        .select_related("history_user", "organisation")
        .order_by("-history_date")
    )
    everywhere, org_ids = access.reading_reach(viewer, Membership)
    if everywhere or viewer.pk == person.pk:
        return rows
    return rows.filter(organisation_id__in=org_ids)
