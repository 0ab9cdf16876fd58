"""Projects and their milestones as resources: their pages, API routes, exports and steps
(approve, start, close, add a participant, set a budget line; assess a milestone) come from these
declarations (core/registry.py)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, ModelSchema, Schema

from pilotage.core import access
from pilotage.core.registry import Resource, Step, register
from pilotage.core.tables import Column
from pilotage.projects import selectors, services
from pilotage.projects.filters import MilestoneFilter, ProjectFilter
from pilotage.projects.forms import (
    ApproveForm,
    AssessForm,
    BudgetForm,
    CloseForm,
    MilestoneForm,
    ParticipantForm,
    ProjectForm,
    StartForm,
)
from pilotage.projects.models import Milestone, Project, ProjectStatus


class ParticipantOut(Schema):
    id: int
    organisation_id: int | None
    company_id: int | None
    role: str


class BudgetLineOut(Schema):
    source: str
    amount: Decimal


class ProjectOut(ModelSchema):
    lead_id: int
    lead_acronym: str = Field(alias="lead.acronym")
    axis_id: int | None
    agreement_id: int | None
    decision_id: int | None
    theme_codes: list[str]
    participants: list[ParticipantOut]
    budget: list[BudgetLineOut]

    class Meta:
        model = Project
        fields = [
            "id", "code", "title", "kind", "sector", "region", "description", "starts_on",
            "ends_on", "task_force_reference", "investment_mdh", "jobs_expected",
            "import_substitution_mdh", "status", "approved_on", "started_on", "closed_on",
            "closing_note",
        ]  # fmt: skip

    @staticmethod
    def resolve_theme_codes(project: Project) -> list[str]:
        return [theme.code for theme in project.themes.all()]


class MilestoneOut(ModelSchema):
    project_id: int
    is_overdue: bool
    reached_on: date | None

    class Meta:
        model = Milestone
        fields = ["id", "title", "deliverable", "due_on", "status", "outcome_note"]


def _overdue(milestone: Milestone) -> Any:
    return _("Overdue") if milestone.is_overdue else None


class Projects(Resource):
    model = Project
    path = "projects"
    form = ProjectForm
    filterset = ProjectFilter
    title = gettext_lazy("Projects")
    title_create = gettext_lazy("New project")
    title_edit = gettext_lazy("Edit project")
    related = ("lead", "axis")
    prefetch = ("themes", "participants", "budget")
    columns = [
        Column("code", gettext_lazy("Code"), sort="code", link=True),
        Column("title", gettext_lazy("Title"), sort="title"),
        Column("kind", gettext_lazy("Kind"), sort="kind"),
        Column("themes", gettext_lazy("Themes")),
        Column("lead", gettext_lazy("Lead CTI"), accessor="lead.acronym", sort="lead__acronym"),
        Column("region", gettext_lazy("Region"), sort="region"),
        Column("starts_on", gettext_lazy("Start"), sort="starts_on"),
        Column("ends_on", gettext_lazy("End"), sort="ends_on"),
        Column("status", gettext_lazy("Status"), sort="status"),
        Column("facet_planned", gettext_lazy("FACET planned (MAD)"), sort="facet_planned"),
        Column("facet_committed", gettext_lazy("FACET committed (MAD)"), sort="facet_committed"),
        Column("facet_paid", gettext_lazy("FACET paid (MAD)"), sort="facet_paid"),
    ]
    default_sort = "-starts_on"
    create_service = staticmethod(services.project_create)
    update_service = staticmethod(services.project_update)
    steps = (
        Step("approve", "project_approve", form=ApproveForm, action="approve",
             done_message=gettext_lazy("Project approved."),
             take=lambda actor, project, data: services.project_approve(
                 actor=actor, project=project, **data)),
        Step("start", "project_start", form=StartForm,
             done_message=gettext_lazy("Project started."),
             take=lambda actor, project, data: services.project_start(
                 actor=actor, project=project, **data)),
        Step("close", "project_close", form=CloseForm,
             done_message=gettext_lazy("Project closed."),
             take=lambda actor, project, data: services.project_close(
                 actor=actor, project=project, **data)),
        Step("participants", "participant_add", form=ParticipantForm,
             done_message=gettext_lazy("Participant added."), answer=ParticipantOut,
             creates=True,
             take=lambda actor, project, data: services.participant_add(
                 actor=actor, project=project, role=data["role"],
                 organisation=data.get("organisation"), company=data.get("company_ice"),
                 reason=data.get("reason", ""))),
        Step("budget", "budget_set", form=BudgetForm,
             done_message=gettext_lazy("Budget line saved."), answer=BudgetLineOut,
             take=lambda actor, project, data: services.budget_set(
                 actor=actor, project=project, **data)),
    )  # fmt: skip
    schema = ProjectOut
    api_summary = "Projects you take part in (all, for programme-wide roles)"
    detail_template = "projects/project_detail.html"

    def queryset(self, user: Any) -> Any:
        return selectors.portfolio(user).prefetch_related(*self.prefetch)

    def detail_context(self, request: HttpRequest, obj: Project) -> dict[str, Any]:
        user = request.user
        may_edit = access.can_edit(user, obj)
        moves = services.TRANSITIONS[obj.status]
        # FACET money as the ledger holds it (reverse relation: no import of the fund app).
        commitments = obj.commitments.visible_to(user).select_related("allocation__cti")
        ledger = commitments.aggregate(committed=Sum("amount"), paid=Sum("disbursed"))
        return {
            "commitments": commitments,
            "facet_committed": ledger["committed"] or 0,
            "facet_paid": ledger["paid"] or 0,
            "milestones": obj.milestones.all(),
            "participants": obj.participants.select_related("organisation", "company"),
            "budget": obj.budget.all(),
            "approve_form": ApproveForm(user=user)
            if ProjectStatus.APPROVED in moves and access.can(user, "approve", obj) else None,
            "start_form": StartForm(user=user)
            if may_edit and ProjectStatus.IN_PROGRESS in moves else None,
            "close_form": CloseForm(user=user)
            if may_edit and ProjectStatus.COMPLETED in moves else None,
            "participant_form": ParticipantForm(user=user) if may_edit and moves else None,
            "budget_form": BudgetForm(user=user) if may_edit and moves else None,
            "can_add_milestone": may_edit and bool(moves),
        }  # fmt: skip


class Milestones(Resource):
    model = Milestone
    path = "milestones"
    form = MilestoneForm
    filterset = MilestoneFilter
    title = gettext_lazy("Milestones")
    title_create = gettext_lazy("New milestone")
    title_edit = gettext_lazy("Edit milestone")
    related = ("project",)
    columns = [
        Column("project", gettext_lazy("Project"), accessor="project.code", sort="project__code"),
        Column("title", gettext_lazy("Title"), sort="title", link=True),
        Column("due_on", gettext_lazy("Due on"), sort="due_on"),
        Column("status", gettext_lazy("Status"), sort="status"),
        Column("reached_on", gettext_lazy("Assessed on"), sort="reached_on"),
        Column("overdue", gettext_lazy("Overdue"), accessor=_overdue),
    ]
    default_sort = "due_on"
    create_service = staticmethod(services.milestone_create)
    update_service = staticmethod(services.milestone_update)
    prefill = ("project",)
    steps = (
        Step("assess", "milestone_assess", form=AssessForm,
             done_message=gettext_lazy("Milestone assessed."),
             summary="Assess the milestone (evidence files are uploaded on the page)",
             take=lambda actor, milestone, data: services.milestone_assess(
                 actor=actor, milestone=milestone, status=data["status"], on=data.get("on"),
                 note=data.get("note", ""), upload=data.get("file"))),
    )  # fmt: skip
    schema = MilestoneOut
    api_summary = "Project milestones; overdue ones say so"
    detail_template = "projects/milestone_detail.html"

    def detail_context(self, request: HttpRequest, obj: Milestone) -> dict[str, Any]:
        return {
            "evidence": obj.evidence.all(),
            "assess_form": AssessForm(user=request.user)
            if access.can_edit(request.user, obj) else None,
        }  # fmt: skip


RESOURCES = register(Projects, Milestones)
