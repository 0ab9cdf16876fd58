"""Every state change of projects: recording and correcting them, their participants, budget and
milestones, and their lifecycle — proposed → approved (by the ministry, citing a committee
decision) → in progress → completed, or cancelled — each step dated, never before the previous."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from pilotage.core import access
from pilotage.core.errors import ErrorCode, refusal
from pilotage.core.files import store_upload
from pilotage.core.models import Organisation, User
from pilotage.core.roles import OrganisationKind, Role
from pilotage.core.services import KEEP, change_fields, persist, save_audited, step_date
from pilotage.governance.models import Decision
from pilotage.prestations.models import Company
from pilotage.programmes.models import Agreement, StrategicAxis
from pilotage.projects.models import (
    BudgetLine,
    Milestone,
    MilestoneEvidence,
    MilestoneStatus,
    Participant,
    ParticipantRole,
    Project,
    ProjectStatus,
    Theme,
)

# What a project's status may become.
TRANSITIONS: dict[str, frozenset[str]] = {
    ProjectStatus.PROPOSED: frozenset({ProjectStatus.APPROVED, ProjectStatus.CANCELLED}),
    ProjectStatus.APPROVED: frozenset({ProjectStatus.IN_PROGRESS, ProjectStatus.CANCELLED}),
    ProjectStatus.IN_PROGRESS: frozenset({ProjectStatus.COMPLETED, ProjectStatus.CANCELLED}),
    ProjectStatus.COMPLETED: frozenset(),
    ProjectStatus.CANCELLED: frozenset(),
}


def _check_project(project: Project) -> None:
    if project.lead.kind != OrganisationKind.CTI:
        raise refusal(_("A project is led by a CTI."), "lead", ErrorCode.INVALID)


@transaction.atomic
def project_create(
    *,
    actor: User,
    code: str,
    title: str,
    kind: str,
    lead: Organisation,
    starts_on: datetime.date,
    ends_on: datetime.date,
    themes: list[Theme] | None = None,
    axis: StrategicAxis | None = None,
    agreement: Agreement | None = None,
    sector: str = "",
    region: str = "",
    description: str = "",
    task_force_reference: str = "",
    investment_mdh: Decimal | None = None,
    jobs_expected: int | None = None,
    import_substitution_mdh: Decimal | None = None,
    reason: str = "",
) -> Project:
    access.ensure_can_create(actor, Project)
    project = Project(
        code=code.strip(), title=title, kind=kind, lead=lead, starts_on=starts_on,
        ends_on=ends_on, axis=axis, agreement=agreement, sector=sector, region=region,
        description=description, task_force_reference=task_force_reference,
        investment_mdh=investment_mdh, jobs_expected=jobs_expected,
        import_substitution_mdh=import_substitution_mdh,
    )  # fmt: skip
    _check_project(project)
    save_audited(project, actor=actor, reason=reason, m2m={"themes": themes or []})
    _creator_takes_part(actor, project, reason)
    access.ensure_editable(actor, project)
    return project


def _creator_takes_part(actor: User, project: Project, reason: str) -> None:
    """The CID opening a joint project with a CTI takes part in it (and so keeps seeing it)."""
    grants = access.grants_of(actor)
    if any(grant.organisation_id == project.lead_id for grant in grants):
        return
    for grant in grants:
        if grant.role == Role.CID_MANAGER:
            participant = Participant(project=project, organisation_id=grant.organisation_id,
                                      role=ParticipantRole.CID)  # fmt: skip
            save_audited(participant, actor=actor, reason=reason)


@transaction.atomic
def project_update(
    *,
    actor: User,
    project: Project,
    code: str = KEEP,
    title: str = KEEP,
    kind: str = KEEP,
    lead: Organisation = KEEP,
    starts_on: datetime.date = KEEP,
    ends_on: datetime.date = KEEP,
    themes: list[Theme] = KEEP,
    axis: StrategicAxis | None = KEEP,
    agreement: Agreement | None = KEEP,
    sector: str = KEEP,
    region: str = KEEP,
    description: str = KEEP,
    task_force_reference: str = KEEP,
    investment_mdh: Decimal | None = KEEP,
    jobs_expected: int | None = KEEP,
    import_substitution_mdh: Decimal | None = KEEP,
    reason: str = "",
) -> Project:
    access.get_editable(Project, actor, project.pk)
    project = Project.objects.select_for_update().get(pk=project.pk)
    change_fields(
        project, code=code, title=title, kind=kind, lead=lead, starts_on=starts_on,
        ends_on=ends_on, axis=axis, agreement=agreement, sector=sector, region=region,
        description=description, task_force_reference=task_force_reference,
        investment_mdh=investment_mdh, jobs_expected=jobs_expected,
        import_substitution_mdh=import_substitution_mdh,
    )  # fmt: skip
    _check_project(project)
    outside = project.milestones.exclude(due_on__range=(project.starts_on, project.ends_on))
    if outside.exists():
        raise refusal(_("Some milestones would fall outside the project's dates."), "ends_on",
                      ErrorCode.INVALID)  # fmt: skip
    m2m: dict[str, Any] = {} if themes is KEEP else {"themes": themes}
    return persist(project, actor=actor, reason=reason, m2m=m2m)


def _dated(project: Project, on: datetime.date | None, field: str) -> datetime.date:
    return step_date(on, project.started_on or project.approved_on, field)


def _move(project: Project, status: str) -> None:
    if status not in TRANSITIONS[project.status]:
        raise refusal(
            _("A project cannot go from “%(old)s” to “%(new)s”.")
            % {"old": ProjectStatus(project.status).label,
               "new": ProjectStatus(status).label if status in ProjectStatus.values else status},
            "status",
        )  # fmt: skip
    project.status = status


@transaction.atomic
def project_approve(
    *,
    actor: User,
    project: Project,
    decision: Decision,
    on: datetime.date | None = None,
    reason: str = "",
) -> Project:
    """Approve a proposed project, citing the committee decision that approved it."""
    project = access.get_visible(Project, actor, project.pk)
    access.ensure_can(actor, "approve", project, field="decision")
    project = Project.objects.select_for_update().get(pk=project.pk)
    _move(project, ProjectStatus.APPROVED)
    project.approved_on = _dated(project, on, "on")
    if project.approved_on < decision.decided_on:
        raise refusal(_("A project is approved on or after the decision's date."), "on",
                      ErrorCode.INVALID)  # fmt: skip
    project.decision = decision
    return persist(project, actor=actor, reason=reason)


@transaction.atomic
def project_start(
    *, actor: User, project: Project, on: datetime.date | None = None, reason: str = ""
) -> Project:
    access.get_editable(Project, actor, project.pk)
    project = Project.objects.select_for_update().get(pk=project.pk)
    _move(project, ProjectStatus.IN_PROGRESS)
    project.started_on = _dated(project, on, "on")
    return persist(project, actor=actor, reason=reason)


@transaction.atomic
def project_close(
    *,
    actor: User,
    project: Project,
    status: str,
    note: str,
    on: datetime.date | None = None,
) -> Project:
    """Complete or cancel a project, with a note saying how it ended."""
    access.get_editable(Project, actor, project.pk)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if status not in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED):
        raise refusal(_("A project is closed as completed or cancelled."), "status",
                      ErrorCode.INVALID)  # fmt: skip
    if not note.strip():
        raise refusal(_("Say how the project ended."), "note", ErrorCode.INVALID)
    _move(project, status)
    project.closed_on = _dated(project, on, "on")
    project.closing_note = note.strip()
    return persist(project, actor=actor, reason=note)


@transaction.atomic
def participant_add(
    *,
    actor: User,
    project: Project,
    role: str,
    organisation: Organisation | None = None,
    company: Company | None = None,
    reason: str = "",
) -> Participant:
    project = access.get_editable(Project, actor, project.pk)
    if (organisation is None) == (company is None):
        raise refusal(_("Name an organisation or a company (by its ICE), not both."),
                      "organisation", ErrorCode.INVALID)  # fmt: skip
    if organisation is not None and organisation.pk == project.lead_id:
        raise refusal(_("The lead CTI already takes part."), "organisation", ErrorCode.INVALID)
    participant = Participant(project=project, organisation=organisation, company=company,
                              role=role)  # fmt: skip
    return persist(participant, actor=actor, reason=reason)


@transaction.atomic
def budget_set(
    *, actor: User, project: Project, source: str, amount: Decimal, reason: str = ""
) -> BudgetLine:
    """Set the planned amount from one source (a line per source)."""
    project = access.get_editable(Project, actor, project.pk)
    line = BudgetLine.objects.filter(project=project, source=source).first()
    line = line or BudgetLine(project=project, source=source)
    line.amount = amount
    return persist(line, actor=actor, reason=reason)


@transaction.atomic
def milestone_create(
    *,
    actor: User,
    project: Project,
    title: str,
    due_on: datetime.date,
    deliverable: str = "",
    reason: str = "",
) -> Milestone:
    access.ensure_can_create(actor, Milestone)
    project = access.get_editable(Project, actor, project.pk)
    milestone = Milestone(project=project, title=title, due_on=due_on, deliverable=deliverable)
    _check_milestone(milestone)
    return persist(milestone, actor=actor, reason=reason)


@transaction.atomic
def milestone_update(
    *,
    actor: User,
    milestone: Milestone,
    project: Project = KEEP,
    title: str = KEEP,
    due_on: datetime.date = KEEP,
    deliverable: str = KEEP,
    reason: str = "",
) -> Milestone:
    access.get_editable(Milestone, actor, milestone.pk)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if project is not KEEP and project != milestone.project:
        raise refusal(_("A milestone stays with its project."), "project")
    change_fields(milestone, title=title, due_on=due_on, deliverable=deliverable)
    _check_milestone(milestone)
    return persist(milestone, actor=actor, reason=reason)


def _check_milestone(milestone: Milestone) -> None:
    project = milestone.project
    if not project.starts_on <= milestone.due_on <= project.ends_on:
        raise refusal(
            _("A milestone falls within the project's dates (%(start)s – %(end)s).")
            % {"start": project.starts_on.strftime("%d/%m/%Y"),
               "end": project.ends_on.strftime("%d/%m/%Y")},
            "due_on", ErrorCode.INVALID,
        )  # fmt: skip


@transaction.atomic
def milestone_assess(
    *,
    actor: User,
    milestone: Milestone,
    status: str,
    on: datetime.date | None = None,
    note: str = "",
    upload: UploadedFile | None = None,
) -> Milestone:
    """Say whether the milestone was met (with evidence, when there is a file)."""
    access.get_editable(Milestone, actor, milestone.pk)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if status not in (MilestoneStatus.MET, MilestoneStatus.PARTLY_MET, MilestoneStatus.NOT_MET):
        raise refusal(_("Say whether the milestone was met."), "status", ErrorCode.INVALID)
    on = step_date(on)
    milestone.status, milestone.reached_on, milestone.outcome_note = status, on, note
    milestone = persist(milestone, actor=actor, reason=note)
    if upload is not None:
        evidence = MilestoneEvidence(milestone=milestone, title=upload.name or "")
        store_upload(evidence, upload)
        persist(evidence, actor=actor)
    return milestone
