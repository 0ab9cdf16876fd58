"""Report editions (DESIGN §4, reports): the plan's bilan, a CTI's contrat-objectifs report or the
committee's annual follow-up, with the figures as of a date, built in the background into PDF (French
and Arabic) and XLSX files.

An edition's figures are computed once and stored with it; its files are made from those stored
figures, so the PDF and the workbook cannot disagree. Publishing freezes an edition: its figures
and files (with their SHA-256) are never rewritten, only superseded by a newer edition; the
published figures are what the open data serves."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilotage.core.access import AccessQuerySet, access_rule, declare_actions
from pilotage.core.audit import history_records
from pilotage.core.models import Organisation, StoredDocument
from pilotage.core.roles import EVERY_ROLE, MINISTRY_ROLES, OrganisationKind, Role
from pilotage.programmes.models import Programme


class ReportKind(models.TextChoices):
    PLAN_BILAN = "plan_bilan", _("Bilan of the plan")
    CTI_REPORT = "cti_report", _("CTI contrat-objectifs report")
    COMMITTEE_FOLLOW_UP = "committee_follow_up", _("Committee annual follow-up")


class EditionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be built")
    BUILDING = "building", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


# A draft is read by the ministry, the committee and auditors, and a CTI report also by the CTI
# and its federation; once published, an edition is open data (everyone, signed in or not).
EDITION_READERS = EVERY_ROLE - {Role.CID_MANAGER, Role.PARTNER_VIEWER}


@access_rule(
    owner="cti",
    readers=EDITION_READERS,
    editors=MINISTRY_ROLES,
    public=Q(published_at__isnull=False),
)
class ReportEdition(models.Model):
    """One edition of a report: what was asked (kind, scope, as-of date), how its build went, the
    figures it holds and, once published, who published it and when."""

    kind = models.CharField(_("report"), max_length=30, choices=ReportKind.choices)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="report_editions", verbose_name=_("plan")
    )
    cti = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_editions",
        limit_choices_to={"kind": OrganisationKind.CTI},
        verbose_name=_("CTI"),
    )
    as_of = models.DateField(_("figures as of"))
    status = models.CharField(
        _("status"), max_length=20, choices=EditionStatus.choices, default=EditionStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("step under way"), max_length=100, blank=True)
    failure = models.TextField(_("why the build failed"), blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    figures = models.JSONField(_("figures"), null=True, blank=True, editable=False)
    figures_sha256 = models.CharField(_("SHA-256 of the figures"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    built_at = models.DateTimeField(_("built"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # The last comparison of a published edition with the same date's figures as known then
    # (computed by a worker: at national scale it costs what a build costs).
    changes = models.JSONField(_("changes since publication"), null=True, blank=True,
                               editable=False)  # fmt: skip
    changes_requested_at = models.DateTimeField(_("changes asked for"), null=True, blank=True)
    changes_checked_at = models.DateTimeField(_("changes checked"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-as_of", "-pk"]
        verbose_name = _("report edition")
        verbose_name_plural = _("report editions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ReportKind.CTI_REPORT, cti__isnull=False)
                | (~Q(kind=ReportKind.CTI_REPORT) & Q(cti__isnull=True)),
                name="edition_cti_only_for_cti_report",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status=EditionStatus.READY),
                name="edition_published_only_when_ready",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="edition_progress_percent"),
        ]

    def __str__(self) -> str:
        scope = self.cti.acronym if self.cti_id else self.programme.code
        return f"{self.get_kind_display()} — {scope} — {self.as_of:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("reports:edition_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def changes_pending(self) -> bool:
        """A comparison was asked for and has not come back yet."""
        asked, checked = self.changes_requested_at, self.changes_checked_at
        return asked is not None and (checked is None or checked < asked)

    @property
    def is_running(self) -> bool:
        return self.status in (EditionStatus.PENDING, EditionStatus.BUILDING)


declare_actions(
    ReportEdition,
    {"publish": (MINISTRY_ROLES, _("Only the ministry publishes an edition."))},
)


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


@access_rule(
    owner="edition__cti",
    readers=EDITION_READERS,
    editors=MINISTRY_ROLES,
    public=Q(edition__published_at__isnull=False),
)
class EditionFile(StoredDocument):
    """One file of an edition (the PDF in one language, or the workbook), with its SHA-256."""

    edition = models.ForeignKey(
        ReportEdition, on_delete=models.CASCADE, related_name="files", verbose_name=_("edition")
    )
    format = models.CharField(_("format"), max_length=10, choices=FileFormat.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "format", "language"]
        verbose_name = _("edition file")
        verbose_name_plural = _("edition files")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "format", "language"], name="edition_file_unique"
            )
        ]

    def storage_folder(self) -> str:
        return f"reports/{self.edition_id}"

    def get_absolute_url(self) -> str:
        return reverse("reports:edition_file", args=[self.edition_id, self.format, self.language])
