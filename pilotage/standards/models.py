"""Axis 3 of the plan (standards development, DESIGN §4): the NM standards a CTI proposes, drafts
or reviews with IMANOR (law 12-06), stage by stage — proposal, inscription in the annual
programme, drafting, committee draft, public enquiry (a window of one to three months),
homologation (the order's reference), publication — and the five-yearly review of published
ones. Stages move forward only, in order, each with its date."""

import datetime

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilotage.core.access import AccessQuerySet, access_rule
from pilotage.core.audit import history_records
from pilotage.core.constraints import FieldCheckConstraint
from pilotage.core.models import Organisation
from pilotage.core.roles import CTI_ROLES, MINISTRY_ROLES

# A published standard is reviewed every five years (confirmed, revised or withdrawn).
REVIEW_YEARS = 5


class Stage(models.TextChoices):
    """The stages of an NM standard's making, in their only order."""

    PROPOSAL = "proposal", _("Proposal")
    PROGRAMME = "programme", _("In the annual programme")
    DRAFTING = "drafting", _("Drafting")
    COMMITTEE_DRAFT = "committee_draft", _("Committee draft")
    PUBLIC_ENQUIRY = "public_enquiry", _("Public enquiry")
    HOMOLOGATION = "homologation", _("Homologated")
    PUBLISHED = "published", _("Published")


# The date field of each stage (the day the work reached it).
STAGE_DATE = {
    Stage.PROPOSAL: "proposed_on",
    Stage.PROGRAMME: "programmed_on",
    Stage.DRAFTING: "drafting_on",
    Stage.COMMITTEE_DRAFT: "committee_draft_on",
    Stage.PUBLIC_ENQUIRY: "enquiry_opens_on",
    Stage.HOMOLOGATION: "homologated_on",
    Stage.PUBLISHED: "published_on",
}


class CtiRole(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat of the technical committee")
    MEMBER = "member", _("Member of the technical committee")


class ReviewOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    REVISED = "revised", _("To be revised")
    WITHDRAWN = "withdrawn", _("Withdrawn")


@access_rule(owner="cti", editors=MINISTRY_ROLES | CTI_ROLES)
class StandardWork(models.Model):
    """A CTI's work on one NM standard with IMANOR."""

    cti = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="standards", verbose_name=_("CTI")
    )
    reference = models.CharField(
        _("reference"), max_length=60, help_text=_("e.g. NM 10.1.004, or NM ISO 10077-2")
    )
    title = models.CharField(_("title (French)"), max_length=300)
    title_ar = models.CharField(_("title (Arabic)"), max_length=300, blank=True)
    technical_committee = models.CharField(
        _("technical committee"), max_length=120, help_text=_("e.g. CN 10 — Plastiques")
    )
    cti_role = models.CharField(
        _("CTI's role"), max_length=20, choices=CtiRole.choices, default=CtiRole.MEMBER
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.PROPOSAL
    )
    proposed_on = models.DateField(_("proposed on"))
    programmed_on = models.DateField(_("in the programme on"), null=True, blank=True)
    drafting_on = models.DateField(_("drafting from"), null=True, blank=True)
    committee_draft_on = models.DateField(_("committee draft on"), null=True, blank=True)
    enquiry_opens_on = models.DateField(_("public enquiry opens on"), null=True, blank=True)
    enquiry_closes_on = models.DateField(_("public enquiry closes on"), null=True, blank=True)
    homologated_on = models.DateField(_("homologated on"), null=True, blank=True)
    homologation_order = models.CharField(
        _("homologation order"), max_length=120, blank=True,
        help_text=_("Reference of the order (arrêté) that homologates the standard."),
    )  # fmt: skip
    published_on = models.DateField(_("published on"), null=True, blank=True)
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    review_outcome = models.CharField(
        _("review outcome"), max_length=20, choices=ReviewOutcome.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["cti__acronym", "reference"]
        verbose_name = _("standard work")
        verbose_name_plural = _("standards work")
        constraints = [
            models.UniqueConstraint(fields=["cti", "reference"], name="standard_reference_unique"),
            FieldCheckConstraint(
                condition=Q(enquiry_closes_on__isnull=True)
                | Q(enquiry_closes_on__gte=F("enquiry_opens_on")),
                name="standard_enquiry_window_in_order",
                field="enquiry_closes_on",
                violation_error_message=_("The public enquiry closes after it opens."),
            ),
            FieldCheckConstraint(
                condition=~Q(stage__in=("homologation", "published")) | ~Q(homologation_order=""),
                name="standard_homologation_has_order",
                field="homologation_order",
                violation_error_message=_("A homologated standard names its order."),
            ),
        ]
        indexes = [models.Index(fields=["stage", "cti"], name="standard_stage_cti")]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("standards:standardwork_detail", args=[self.pk])

    def stage_dates(self) -> list[tuple[Stage, datetime.date | None]]:
        return [(stage, getattr(self, STAGE_DATE[stage])) for stage in Stage]

    @property
    def entered_stage_on(self) -> datetime.date:
        return getattr(self, STAGE_DATE[Stage(self.stage)])

    @property
    def review_due_on(self) -> datetime.date | None:
        """Five years after publication or the last review."""
        start = self.reviewed_on or self.published_on
        if start is None or self.review_outcome == ReviewOutcome.WITHDRAWN:
            return None
        return start.replace(year=start.year + REVIEW_YEARS)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def overdue_condition(today: datetime.date) -> Q:
    """The standards work that is late on `today`, in SQL (lists, the pipeline and the detail
    page read this one rule): in a stage longer than its usual time (STANDARD_STAGE_DAYS), a
    public enquiry past its closing date, or a published standard whose five-yearly review is
    past due."""
    from django.conf import settings

    review_limit = _years_before(today, REVIEW_YEARS)
    late = Q(stage=Stage.PUBLIC_ENQUIRY, enquiry_closes_on__lt=today) | (
        Q(stage=Stage.PUBLISHED)
        & ~Q(review_outcome=ReviewOutcome.WITHDRAWN)
        & (Q(reviewed_on__lt=review_limit)
           | Q(reviewed_on__isnull=True, published_on__lt=review_limit))
    )  # fmt: skip
    for stage, days in settings.STANDARD_STAGE_DAYS.items():
        limit = today - datetime.timedelta(days=days)
        late |= Q(stage=stage, **{f"{STAGE_DATE[Stage(stage)]}__lt": limit})
    return late


class StandardComputation(models.TextChoices):
    """What a computed indicator may count in the standards work (results.computations): the
    works that reached a stage within the period."""

    PROPOSED = "standards_proposal", _("Standards proposed")
    PROGRAMMED = "standards_programme", _("Standards entered in the annual programme")
    DRAFTING = "standards_drafting", _("Standards whose drafting started")
    COMMITTEE_DRAFT = "standards_committee_draft", _("Standards reaching committee draft")
    PUBLIC_ENQUIRY = "standards_public_enquiry", _("Standards put to public enquiry")
    HOMOLOGATED = "standards_homologation", _("Standards homologated")
    PUBLISHED = "standards_published", _("Standards published")
