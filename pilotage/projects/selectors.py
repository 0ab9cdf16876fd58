"""Reads of projects that need more than a filter: the computed KPIs the contrats-objectifs and
the CID's contracts can target (results.computations), and the milestones on people's to-do
list."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Min, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pilotage.core import access
from pilotage.core.roles import CTI_ROLES, Role
from pilotage.core.todo import TodoItem, due_item
from pilotage.projects.models import (
    BudgetLine,
    BudgetSource,
    Milestone,
    MilestoneStatus,
    Project,
    ProjectKind,
    ProjectStatus,
)
from pilotage.results.computations import Values, period_bounds

# The themes every installation has (migration 0002): each is a computation an indicator may target.
SEEDED_THEMES = [
    ("innovation", _("Innovation")),
    ("digital", _("Digital transformation")),
    ("decarbonisation", _("Decarbonisation")),
    ("circular-economy", _("Circular economy")),
]

# What a computed indicator may count in the projects (per lead CTI and period).
COMPUTATIONS: list[tuple[str, Any]] = [
    ("projects_started", _("Projects started")),
    # Built lazily: the labels are translated when shown, not when the module loads.
    *[(f"projects_{kind.value}", format_lazy("{}: {}", _("Projects started"), kind.label))
      for kind in ProjectKind],
    *[(f"theme_{code.replace('-', '_')}", format_lazy("{}: {}", _("Projects started"), label))
      for code, label in SEEDED_THEMES],
    ("projects_completed", _("Projects completed")),
    ("task_force_investment_mdh", _("Task-force investment assisted (MDH, projects approved)")),
    ("task_force_jobs", _("Task-force jobs expected (projects approved)")),
    ("milestones_due", _("Milestones due")),
    ("milestones_met_on_time", _("Milestones met on time")),
]  # fmt: skip


def computed_actuals(*, cti_ids: Iterable[int], year: int, part: int = 0) -> Values:
    """The projects' computations for these lead CTIs and period, in two grouped queries.
    Callers pass only CTIs whose results the user may see, and only figures leave."""
    ids = list(cti_ids)
    first, last = period_bounds(year, part)
    started = Q(started_on__range=(first, last))
    approved_task_force = Q(kind=ProjectKind.TASK_FORCE, approved_on__range=(first, last))
    projects = (
        Project.objects.filter(lead__in=ids)
        .values("lead_id")
        .annotate(
            projects_started=Count("pk", filter=started),
            projects_completed=Count("pk", filter=Q(status=ProjectStatus.COMPLETED,
                                                    closed_on__range=(first, last))),
            task_force_investment_mdh=Sum("investment_mdh", filter=approved_task_force),
            task_force_jobs=Sum("jobs_expected", filter=approved_task_force),
            **{f"projects_{kind.value}": Count("pk", filter=started & Q(kind=kind))
               for kind in ProjectKind},
        )
        .order_by()
    )  # fmt: skip
    milestones = (
        Milestone.objects.filter(project__lead__in=ids)
        .values(lead_id=F("project__lead_id"))
        .annotate(
            milestones_due=Count("pk", filter=Q(due_on__range=(first, last))),
            milestones_met_on_time=Count("pk", filter=Q(
                status=MilestoneStatus.MET, due_on__range=(first, last),
                reached_on__lte=F("due_on"),
            )),
        )
        .order_by()
    )  # fmt: skip
    # Themes in a query of their own: joining them above would repeat each project per theme.
    themes = (
        Project.themes.through.objects.filter(project__lead__in=ids,
                                              project__started_on__range=(first, last))
        .values(lead_id=F("project__lead_id"), code=F("theme__code"))
        .annotate(count=Count("project_id"))
        .order_by()
    )  # fmt: skip
    values: Values = {cti_id: {} for cti_id in ids}
    for row in themes:
        values[row["lead_id"]][(f"theme_{row['code'].replace('-', '_')}", "")] = Decimal(
            row["count"]
        )
    for rows in (projects, milestones):
        for row in rows:
            for name, value in row.items():
                if name != "lead_id":
                    values[row["lead_id"]][(name, "")] = Decimal(value or 0)
    return values


def portfolio(user: Any) -> Any:
    """The projects the user may see, each with its FACET money: planned (its budget line),
    committed and paid (from the ledger), in subqueries so that the list stays one query."""
    from pilotage.fund.models import Commitment  # the ledger reads projects, not the reverse

    ledger = Commitment.objects.filter(project=OuterRef("pk")).values("project")
    return (
        Project.objects.visible_to(user)
        .select_related("lead", "axis")
        .annotate(
            facet_planned=Subquery(
                BudgetLine.objects.filter(project=OuterRef("pk"), source=BudgetSource.FACET)
                .order_by().values("amount")[:1]
            ),
            facet_committed=Subquery(ledger.annotate(total=Sum("amount")).values("total")),
            facet_paid=Subquery(ledger.annotate(total=Sum("disbursed")).values("total")),
        )
    )  # fmt: skip


# Milestones due within this many days (or late) are on their project people's to-do list.
TODO_HORIZON = 30


def todo_items(user: Any) -> list[TodoItem]:
    """The pending milestones, due within a month or late, of the projects the person's CTI or
    the CID takes part in (programme-wide roles follow the overdue filter instead). One query."""
    mine = {grant.organisation_id for grant in access.grants_of(user)
            if grant.role in CTI_ROLES | {Role.CID_MANAGER}}  # fmt: skip
    if not mine:
        return []
    horizon = timezone.localdate() + datetime.timedelta(days=TODO_HORIZON)
    due = (
        Milestone.objects.visible_to(user)
        .filter(Q(project__lead__in=mine) | Q(project__participants__organisation__in=mine),
                status=MilestoneStatus.PENDING, due_on__lte=horizon)
        .aggregate(count=Count("pk", distinct=True), first=Min("due_on"))
    )  # fmt: skip
    if not due["count"]:
        return []
    text = ngettext("%(count)s milestone due by %(due)s",
                    "%(count)s milestones due, the first by %(due)s", due["count"])  # fmt: skip
    return [due_item(text, due, "projects:milestone_list")]


# Milestones are e-mailed this many days before they are due, then weekly while late.
REMINDER_DAYS = 7


def send_milestone_reminders(today: datetime.date) -> int:
    """E-mail each person of the CTIs and the CID taking part the pending milestones due within
    a week, and the late ones once a week (the day after their date, then every seven days)."""
    from pilotage.core.reminders import mail, people  # core's sender helpers, read at send time

    soon = Q(due_on__range=(today, today + datetime.timedelta(days=REMINDER_DAYS)))
    weekly = [today - datetime.timedelta(days=1 + 7 * week) for week in range(52)]
    milestones = (
        Milestone.objects.filter(soon | Q(due_on__in=weekly), status=MilestoneStatus.PENDING)
        .select_related("project")
        .prefetch_related("project__participants")
        .order_by("due_on")
    )
    by_person: dict[Any, list[Milestone]] = {}
    for milestone in milestones:
        organisations = {milestone.project.lead_id} | {
            p.organisation_id for p in milestone.project.participants.all() if p.organisation_id
        }
        for person in people(organisations, CTI_ROLES | {Role.CID_MANAGER}):
            by_person.setdefault(person, []).append(milestone)
    return sum(
        mail(
            "projects/email/milestones",
            {"milestones": due, "site_url": settings.SITE_URL},
            [person],
        )
        for person, due in by_person.items()
    )
