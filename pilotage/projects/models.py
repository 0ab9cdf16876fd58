"""Axes 1, 4 and 5 of the plan and the 2025 engineering ecosystem (DESIGN §4): projects — technical
assistance to the task force's investment projects, projects of general interest, new activities,
new platforms or laboratories, joint engineering projects with the CID — their participants, their
budget by source and their milestones.

A project is read by the organisations that take part in it (its lead CTI and its participants:
other CTIs, the CID, partners) and by the programme-wide roles; a CTI never sees another CTI's
project unless it takes part."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.core.access import AccessQuerySet, access_rule, declare_actions
from pilotage.core.audit import history_records
from pilotage.core.constraints import FieldCheckConstraint
from pilotage.core.models import Organisation, StoredDocument
from pilotage.core.money import money_field
from pilotage.core.regions import Region
from pilotage.core.roles import CTI_ROLES, MINISTRY_ROLES, Role
from pilotage.governance.models import Decision
from pilotage.prestations.models import Company
from pilotage.programmes.models import Agreement, StrategicAxis

PROJECT_EDITORS = MINISTRY_ROLES | CTI_ROLES | {Role.CID_MANAGER}


class ProjectKind(models.TextChoices):
    TASK_FORCE = "task_force", _("Technical assistance to a task-force investment project")
    GENERAL_INTEREST = "general_interest", _("Project of general interest")
    NEW_ACTIVITY = "new_activity", _("New activity in Morocco")
    PLATFORM = "platform", _("New platform or laboratory")
    JOINT_CID = "joint_cid", _("Joint engineering project with the CID")


@access_rule(owner=(), directory=True)
class Theme(models.Model):
    """A theme of the engineering ecosystem (innovation, digital transformation,
    decarbonisation, circular economy…): reference data, read by all."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ar = models.CharField(_("name in Arabic"), max_length=120, blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project_list") + f"?theme={self.pk}"


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


@access_rule(owner=("lead", "participants__organisation"), editors=PROJECT_EDITORS)
class Project(models.Model):
    """A project led by a CTI, with its participants, its budget by source and its milestones.
    It moves proposed → approved (citing a committee decision) → in progress → completed, or is
    cancelled; each step dated."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)
    themes = models.ManyToManyField(Theme, blank=True, related_name="projects",
                                    verbose_name=_("themes"))  # fmt: skip
    axis = models.ForeignKey(
        StrategicAxis, on_delete=models.PROTECT, null=True, blank=True, related_name="projects",
        verbose_name=_("axis of the plan"),
    )  # fmt: skip
    lead = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_projects",
        verbose_name=_("lead CTI"),
    )  # fmt: skip
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, null=True, blank=True, related_name="projects",
        verbose_name=_("agreement executed"),
        help_text=_("e.g. the CID–CTI contrat spécifique the project executes."),
    )  # fmt: skip
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    region = models.CharField(_("region"), max_length=2, choices=Region.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    # For technical assistance to a task-force investment project.
    task_force_reference = models.CharField(_("task-force project sheet"), max_length=60,
                                            blank=True)  # fmt: skip
    investment_mdh = models.DecimalField(
        _("investment (MDH)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    jobs_expected = models.PositiveIntegerField(_("jobs expected"), null=True, blank=True)
    import_substitution_mdh = models.DecimalField(
        _("import substitution (MDH per year)"), max_digits=12, decimal_places=2, null=True,
        blank=True,
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="projects",
        verbose_name=_("approving decision"),
    )  # fmt: skip
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    closed_on = models.DateField(_("completed or cancelled on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            FieldCheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="project_dates_in_order",
                field="ends_on",
                violation_error_message=_("A project ends after it starts."),
            ),
            # Approved and beyond, a project cites the decision that approved it.
            models.CheckConstraint(
                condition=Q(status__in=("proposed", "cancelled"))
                | Q(decision__isnull=False, approved_on__isnull=False),
                name="project_approval_cites_a_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "kind"], name="project_status_kind"),
            # The list's default order and the timeline's: their first rows are read off an index
            # rather than found by sorting the whole portfolio.
            models.Index(fields=["-starts_on", "code"], name="project_latest_first"),
            models.Index(fields=["starts_on", "code"], name="project_earliest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.pk])


# Approving a project (with its decision) is the ministry's; the rest, its participants'.
declare_actions(
    Project,
    {"approve": (MINISTRY_ROLES, _("Only the ministry approves a project, citing its decision."))},
)


class ParticipantRole(models.TextChoices):
    PARTNER_CTI = "cti", _("Participating CTI")
    CID = "cid", _("CID")
    PARTNER = "partner", _("Industrial or technical partner")
    BENEFICIARY = "beneficiary", _("Beneficiary company")


@access_rule(owner=("project__lead", "project__participants__organisation"),
             editors=PROJECT_EDITORS)  # fmt: skip
class Participant(models.Model):
    """Who takes part in a project besides its lead: an organisation (another CTI, the CID, a
    partner) or a company by its ICE."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants",
                                verbose_name=_("project"))  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True,
        related_name="project_participations", verbose_name=_("organisation"),
    )  # fmt: skip
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True,
        related_name="project_participations", verbose_name=_("company"),
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["project", "role", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, company__isnull=True)
                | Q(organisation__isnull=True, company__isnull=False),
                name="participant_is_one_party",
            ),
            models.UniqueConstraint(
                fields=["project", "organisation"], name="participant_organisation_once"
            ),
            models.UniqueConstraint(fields=["project", "company"], name="participant_company_once"),
        ]

    def __str__(self) -> str:
        party = self.organisation or self.company
        return f"{party} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url() + f"#participant-{self.pk}"


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    MET = "met", _("Met")
    PARTLY_MET = "partly_met", _("Partly met")
    NOT_MET = "not_met", _("Not met")


@access_rule(owner=("project__lead", "project__participants__organisation"),
             editors=PROJECT_EDITORS)  # fmt: skip
class Milestone(models.Model):
    """A milestone of a project: a deliverable due on a date, then met, partly met or not met
    (with evidence). A pending milestone past its date is overdue."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones",
                                verbose_name=_("project"))  # fmt: skip
    title = models.CharField(_("title"), max_length=255)
    deliverable = models.TextField(_("deliverable"), blank=True)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=MilestoneStatus.choices,
        default=MilestoneStatus.PENDING,
    )  # fmt: skip
    reached_on = models.DateField(_("assessed on"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome"), blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["project", "due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", reached_on__isnull=True)
                | (~Q(status="pending") & Q(reached_on__isnull=False)),
                name="milestone_assessed_is_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:milestone_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == MilestoneStatus.PENDING and self.due_on < timezone.localdate()

    @property
    def met_on_time(self) -> bool:
        return (
            self.status == MilestoneStatus.MET
            and bool(self.reached_on)
            and (self.reached_on <= self.due_on)
        )


@access_rule(owner=("milestone__project__lead", "milestone__project__participants__organisation"),
             editors=PROJECT_EDITORS)  # fmt: skip
class MilestoneEvidence(StoredDocument):
    """A file showing a milestone's deliverable (report, minutes, photo of the prototype)."""

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="evidence",
                                  verbose_name=_("milestone"))  # fmt: skip

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("milestone evidence")
        verbose_name_plural = _("milestone evidence")

    def storage_folder(self) -> str:
        return f"milestones/{self.milestone_id}"

    def get_absolute_url(self) -> str:
        return reverse("projects:evidence_download", args=[self.pk])


class BudgetSource(models.TextChoices):
    FACET = "facet", _("FACET fund")
    CID = "cid", _("CID")
    PARTNER = "partner", _("Partner")
    OWN = "own", _("The CTI's own funds")


@access_rule(owner=("project__lead", "project__participants__organisation"),
             editors=PROJECT_EDITORS)  # fmt: skip
class BudgetLine(models.Model):
    """The planned budget of a project from one source."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget",
                                verbose_name=_("project"))  # fmt: skip
    source = models.CharField(_("source"), max_length=20, choices=BudgetSource.choices)
    amount = money_field(_("planned amount (MAD)"))

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["project", "source"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="budget_source_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} — {self.get_source_display()}"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url() + "#budget"
