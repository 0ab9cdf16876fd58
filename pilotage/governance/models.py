"""Programme governance: committees (the FACET comité de suivi, a convention's steering
committee), their members and meetings, numbered decisions with their follow-up, and the
recommendations of evaluations with management response and progress notes (DESIGN §4).

Governance is programme-wide: every signed-in user reads it; ministry officers, acting as the
committees' secretariat, record it. Committee members themselves only read (READ_ONLY_ROLES)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilotage.core.access import AccessQuerySet, access_rule, declare_actions
from pilotage.core.audit import history_records
from pilotage.core.models import Organisation, StoredDocument
from pilotage.core.roles import MINISTRY_ROLES, Role
from pilotage.programmes.models import Agreement, Amendment, Programme

committee_code = RegexValidator(
    r"^[A-Z0-9]+(-[A-Z0-9]+)*$",
    _("Capital letters and digits, in parts joined by hyphens (e.g. FACET, CID-COPIL)."),
)


@access_rule(owner=(), directory=True)
class Committee(models.Model):
    """A committee that meets and decides: the FACET comité de suivi, a convention's COPIL."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[committee_code],
        help_text=_("Prefix of the decision numbers, e.g. FACET gives FACET-2024-07."),
    )
    name = models.CharField(_("name"), max_length=255)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committees",
        verbose_name=_("plan"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committees",
        verbose_name=_("agreement"),
    )
    mandate = models.TextField(_("mandate"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["code"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z0-9]+(-[A-Z0-9]+)*$"), name="committee_code_format"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("governance:committee_detail", args=[self.pk])


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")
    OBSERVER = "observer", _("Observer")


@access_rule(owner=(), directory=True)
class CommitteeMember(models.Model):
    """A seat on a committee: an organisation, and the person who sits for it (a platform user
    or just a name)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name=_("committee")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="committee_seats",
        verbose_name=_("organisation"),
    )
    person_name = models.CharField(_("person"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_seats",
        verbose_name=_("platform user"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["committee", "role", "organisation__acronym", "person_name"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(person_name=""),
                name="committee_member_has_person",
            ),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(role="chair"),
                name="committee_one_chair",
            ),
            models.UniqueConstraint(
                fields=["committee", "organisation", "person_name", "user"],
                name="committee_member_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        person = self.person_name or str(self.user)
        return f"{person} ({self.organisation}, {self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return self.committee.get_absolute_url() + f"#member-{self.pk}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


@access_rule(owner=(), directory=True)
class Meeting(models.Model):
    """A meeting of a committee, numbered within the committee (1, 2, …) by the service."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("committee")
    )
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    agenda = models.TextField(_("agenda"))
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    summary = models.TextField(_("summary of the minutes"), blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-date", "committee", "-number"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="meeting_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="meeting_number_positive"),
        ]

    def __str__(self) -> str:
        return _("%(committee)s meeting no. %(number)s of %(date)s") % {
            "committee": self.committee.code,
            "number": self.number,
            "date": self.date.strftime("%d/%m/%Y"),
        }

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.pk])


@access_rule(owner=(), directory=True)
class MeetingDocument(StoredDocument):
    """The minutes of a meeting (procès-verbal), its attendance sheet or a presentation."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="documents", verbose_name=_("meeting")
    )
    is_minutes = models.BooleanField(_("signed minutes"), default=False)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["meeting", "-is_minutes", "-uploaded_at"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def get_absolute_url(self) -> str:
        return reverse("governance:document_download", args=[self.pk])

    def storage_folder(self) -> str:
        return f"meetings/{self.meeting_id}"


class DecisionKind(models.TextChoices):
    REALLOCATION = "reallocation", _("Reallocation of funds")
    AMENDMENT = "amendment", _("Amendment to an agreement")
    PROJECT = "project", _("Project approval")
    ALLOCATION = "allocation", _("Allocation of funds")
    RECOMMENDATION = "recommendation", _("Evaluation follow-up")
    OTHER = "other", _("Other")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# Follow-up statuses that still call for action (the register's "pending" filter, overdue checks).
PENDING_FOLLOW_UP = frozenset({FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS})


@access_rule(owner=(), directory=True)
class Decision(models.Model):
    """A numbered decision of a committee, e.g. FACET-2024-07: the 7th decision of the FACET
    committee in 2024. The number is given by `decision_create` and never changes; other records
    (a reallocation of the fund, an amendment, a project) cite it. Its follow-up (owner, due date,
    status) makes the decision register."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("committee")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("meeting"),
        help_text=_("Empty for a decision taken by written consultation."),
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveSmallIntegerField(_("sequence"), editable=False)
    number = models.CharField(_("number"), max_length=40, unique=True, editable=False)
    decided_on = models.DateField(_("decided on"))
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices)
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"))
    amendment = models.ForeignKey(
        Amendment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("amendment authorised"),
    )
    follow_up_status = models.CharField(
        _("follow-up"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="governance_decisions",
        verbose_name=_("responsible organisation"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    follow_up_note = models.TextField(_("follow-up note"), blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-decided_on", "-number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "sequence"], name="decision_sequence_unique"
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="decision_sequence_positive"),
            models.CheckConstraint(
                condition=Q(decided_on__year=F("year")), name="decision_year_matches_date"
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=F("decided_on")),
                name="decision_due_after_decision",
            ),
            models.CheckConstraint(
                condition=Q(amendment__isnull=True) | Q(kind="amendment"),
                name="decision_amendment_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", args=[self.pk])


# The whole register's follow-up is the ministry's and the committee's to watch (the to-do list);
# others watch what their organisation is responsible for.
declare_actions(
    Decision,
    {"oversee": (MINISTRY_ROLES | {Role.COMMITTEE_MEMBER},
                 _("Only the ministry and the committee follow every decision."))},
)  # fmt: skip


@access_rule(owner=(), directory=True)
class Evaluation(models.Model):
    """An evaluation study, e.g. of the 2014-2020 plan, whose recommendations are followed up."""

    title = models.CharField(_("title"), max_length=255)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("plan evaluated"),
    )
    evaluator = models.CharField(_("evaluator"), max_length=255)
    delivered_on = models.DateField(_("delivered on"))
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("committee following it up"),
    )
    summary = models.TextField(_("summary"), blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-delivered_on", "title"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["title", "delivered_on"], name="evaluation_unique")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:evaluation_detail", args=[self.pk])


class ManagementResponse(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    DROPPED = "dropped", _("Dropped")


PENDING_RECOMMENDATION = frozenset({RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS})


@access_rule(owner=(), directory=True)
class Recommendation(models.Model):
    """A recommendation of an evaluation, the management response to it, who carries it out by
    when, and where it stands. A rejected recommendation is dropped."""

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("evaluation"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("recommendation"))
    response = models.CharField(
        _("management response"), max_length=20, choices=ManagementResponse.choices
    )
    response_note = models.TextField(_("response explained"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("responsible organisation"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["evaluation", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "number"], name="recommendation_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="recommendation_number_positive"
            ),
            models.CheckConstraint(
                condition=~Q(response="rejected") | Q(status="dropped"),
                name="recommendation_rejected_is_dropped",
            ),
        ]

    def __str__(self) -> str:
        return _("Recommendation %(number)s of %(evaluation)s") % {
            "number": self.number,
            "evaluation": self.evaluation.title,
        }

    def get_absolute_url(self) -> str:
        return reverse("governance:recommendation_detail", args=[self.pk])


@access_rule(owner=(), directory=True)
class ProgressNote(models.Model):
    """A dated account of what was done on a recommendation; it may move its status. Written
    once by `progress_note_create`, never edited: the follow-up reads as a timeline."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="notes",
        verbose_name=_("recommendation"),
    )
    noted_on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    status_after = models.CharField(
        _("status after"), max_length=20, choices=RecommendationStatus.choices, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["recommendation", "noted_on", "pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return f"{self.recommendation} — {self.noted_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return self.recommendation.get_absolute_url() + f"#note-{self.pk}"


@access_rule(owner=(), directory=True)
class ProgressEvidence(StoredDocument):
    """A file that shows the progress a note reports (a circular, a report, signed minutes)."""

    note = models.ForeignKey(
        ProgressNote, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("note")
    )

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["note", "uploaded_at"]
        verbose_name = _("progress evidence")
        verbose_name_plural = _("progress evidence")

    def get_absolute_url(self) -> str:
        return reverse("governance:evidence_download", args=[self.pk])

    def storage_folder(self) -> str:
        return f"recommendations/{self.note.recommendation_id}"
