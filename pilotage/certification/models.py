"""Axis 2 of the plan (certification and product validation, DESIGN §4): each CTI's technical
capacity — its laboratories with their SEMAC accreditation, its staff by year and category, from
which the taux d'encadrement is computed — and the product validation requests companies send it,
with their tests and signed report, fast-tracked in an emergency campaign.

A validation request is also a delivery of the services register (one record: the request points
to its delivery and takes its CTI, reference, company and amount from it), so the computed KPIs of
the contrats-objectifs count it without a second entry."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.core.access import AccessQuerySet, access_rule, declare_actions
from pilotage.core.audit import history_records
from pilotage.core.constraints import FieldCheckConstraint
from pilotage.core.models import Organisation, StoredDocument
from pilotage.core.numbers import percent_of
from pilotage.core.regions import Region
from pilotage.core.roles import CTI_ROLES, MINISTRY_ROLES, Role
from pilotage.prestations.models import Company, ServiceDelivery

CTI_EDITORS = MINISTRY_ROLES | CTI_ROLES


class AccreditationState(models.TextChoices):
    NONE = "none", _("Not accredited")
    VALID = "valid", _("Accredited")
    EXPIRING = "expiring", _("Accreditation expiring soon")
    EXPIRED = "expired", _("Accreditation expired")


def accreditation_state(valid_until: datetime.date | None, today: datetime.date) -> str:
    """How an accreditation stands on `today`; within ACCREDITATION_WARNING_DAYS of its end it
    is flagged, so that the renewal audit is booked in time."""
    if valid_until is None:
        return AccreditationState.NONE
    if valid_until < today:
        return AccreditationState.EXPIRED
    if valid_until <= today + datetime.timedelta(days=settings.ACCREDITATION_WARNING_DAYS):
        return AccreditationState.EXPIRING
    return AccreditationState.VALID


@access_rule(owner="cti", editors=CTI_EDITORS)
class Laboratory(models.Model):
    """A laboratory or test platform of a CTI, with its accreditation by SEMAC (the Moroccan
    accreditation service) when it has one: number, scope of accredited tests, end of validity."""

    cti = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="laboratories", verbose_name=_("CTI")
    )
    name = models.CharField(_("name"), max_length=200)
    site = models.CharField(_("site"), max_length=200, help_text=_("e.g. Sidi Maârouf, Casablanca"))
    region = models.CharField(_("region"), max_length=2, choices=Region.choices)
    domain = models.CharField(
        _("domain"), max_length=200, help_text=_("e.g. mechanical testing, textile chemistry")
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    accreditation_number = models.CharField(
        _("SEMAC accreditation number"), max_length=50, blank=True
    )
    accreditation_scope = models.TextField(
        _("accredited tests and methods"), blank=True, help_text=_("One test or method per line.")
    )
    accredited_until = models.DateField(_("accredited until"), null=True, blank=True)
    equipment = models.TextField(
        _("main equipment"), blank=True, help_text=_("The equipment worth naming, one per line.")
    )
    is_active = models.BooleanField(_("in service"), default=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["cti__acronym", "name"]
        verbose_name = _("laboratory")
        verbose_name_plural = _("laboratories")
        constraints = [
            models.UniqueConstraint(fields=["cti", "name"], name="laboratory_name_unique"),
            models.UniqueConstraint(
                fields=["accreditation_number"],
                condition=~Q(accreditation_number=""),
                name="laboratory_accreditation_unique",
            ),
            # An accreditation has both a number and an end date, or neither.
            FieldCheckConstraint(
                condition=Q(accreditation_number="", accredited_until__isnull=True)
                | (~Q(accreditation_number="") & Q(accredited_until__isnull=False)),
                name="laboratory_accreditation_complete",
                field="accredited_until",
                violation_error_message=_(
                    "An accreditation has both its number and the date it is valid until."
                ),
            ),
        ]
        indexes = [models.Index(fields=["accredited_until"], name="laboratory_accredited_until")]

    def __str__(self) -> str:
        return f"{self.name} ({self.cti.acronym})"

    def get_absolute_url(self) -> str:
        return reverse("certification:laboratory_detail", args=[self.pk])

    @property
    def accreditation_state(self) -> str:
        return accreditation_state(self.accredited_until, timezone.localdate())

    def get_accreditation_state_display(self) -> str:
        return str(AccreditationState(self.accreditation_state).label)


@access_rule(owner="cti", editors=CTI_EDITORS)
class StaffCount(models.Model):
    """A CTI's headcount at the end of a year, by category. The taux d'encadrement is computed
    from it (graduate staff / total staff), never typed; numerator and denominator are kept so
    that the network's rate is rolled up from sums (DESIGN §6), never averaged."""

    cti = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff_counts", verbose_name=_("CTI")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    graduates = models.PositiveIntegerField(
        _("engineers and doctorate holders"),
        help_text=_("Managers, engineers and PhDs: the numerator of the taux d'encadrement."),
    )
    technicians = models.PositiveIntegerField(_("technicians"))
    administrative = models.PositiveIntegerField(_("administrative staff"))
    note = models.TextField(_("note"), blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-year", "cti__acronym"]
        verbose_name = _("staff count")
        verbose_name_plural = _("staff counts")
        constraints = [
            models.UniqueConstraint(fields=["cti", "year"], name="staff_count_year_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="staff_count_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cti.acronym} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("certification:staffcount_detail", args=[self.pk])

    @property
    def total(self) -> int:
        return self.graduates + self.technicians + self.administrative

    @property
    def supervision_rate(self) -> Decimal | None:
        """The taux d'encadrement in percent (one decimal); None when nobody is counted."""
        return supervision_rate(self.graduates, self.total)


SUPERVISION_RATE_DEFINITION = _(
    "Taux d'encadrement = engineers and doctorate holders / total staff (end of year)."
)


def supervision_rate(graduates: int, total: int) -> Decimal | None:
    return percent_of(graduates, total)


@access_rule(owner=(), directory=True)
class FastTrackCampaign(models.Model):
    """An emergency campaign opened by the ministry (the pandemic's masks, ventilators and
    hospital beds): its requests are flagged, come first in the CTIs' inboxes and must be
    decided within `decision_hours` of the sample's arrival."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=255)
    product_categories = models.TextField(
        _("product categories"), help_text=_("One category per line, e.g. Masques de protection.")
    )
    opened_on = models.DateField(_("opened on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    decision_hours = models.PositiveSmallIntegerField(
        _("decision deadline (hours after the sample)"), default=72
    )
    description = models.TextField(_("description"), blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-opened_on", "code"]
        verbose_name = _("fast-track campaign")
        verbose_name_plural = _("fast-track campaigns")
        constraints = [
            FieldCheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=F("opened_on")),
                name="campaign_dates_in_order",
                field="closes_on",
                violation_error_message=_("A campaign cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(decision_hours__gte=1), name="campaign_deadline_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("certification:fasttrackcampaign_detail", args=[self.pk])

    @property
    def categories(self) -> list[str]:
        return [line.strip() for line in self.product_categories.splitlines() if line.strip()]

    def is_open_on(self, day: datetime.date) -> bool:
        return self.opened_on <= day and (self.closes_on is None or day <= self.closes_on)


class Purpose(models.TextChoices):
    """What the company asks for; it is also the delivery's category in the services register."""

    TESTING = "laboratory_testing", _("Laboratory testing")
    VALIDATION = "product_validation", _("Product validation")


class ReferentialKind(models.TextChoices):
    STANDARD = "standard", _("NM standard")
    SPECIFICATION = "specification", _("Technical specification")


class RequestStage(models.TextChoices):
    """The steps of a validation request, in their only order."""

    RECEIVED = "received", _("Request received")
    SAMPLE_RECEIVED = "sample_received", _("Sample received")
    TESTING = "testing", _("Testing")
    REPORT_ISSUED = "report_issued", _("Report issued")
    DECIDED = "decided", _("Decided")


# The field that dates each stage after the first (the request's own date).
STAGE_DATE = {
    RequestStage.SAMPLE_RECEIVED: "sample_received_at",
    RequestStage.TESTING: "testing_started_at",
    RequestStage.REPORT_ISSUED: "report_issued_at",
    RequestStage.DECIDED: "decided_at",
}


class Decision(models.TextChoices):
    CONFORMING = "conforming", _("Conforming")
    NOT_CONFORMING = "not_conforming", _("Not conforming")


@access_rule(owner="delivery__cti", editors=CTI_EDITORS)
class ValidationRequest(models.Model):
    """A company's request to test or validate a product against a referential. Its CTI,
    reference, company and amount are its delivery's; each step is dated when it is taken."""

    delivery = models.OneToOneField(
        ServiceDelivery,
        on_delete=models.PROTECT,
        related_name="validation",
        verbose_name=_("delivery"),
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    product = models.CharField(_("product"), max_length=255)
    product_category = models.CharField(
        _("product category"), max_length=100, help_text=_("e.g. Masques de protection")
    )
    referential_kind = models.CharField(
        _("kind of referential"),
        max_length=20,
        choices=ReferentialKind.choices,
        default=ReferentialKind.STANDARD,
    )
    referential = models.CharField(
        _("referential"),
        max_length=100,
        help_text=_("e.g. NM EN 149, or the specification's title"),
    )
    laboratory = models.ForeignKey(
        Laboratory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("laboratory"),
    )
    campaign = models.ForeignKey(
        FastTrackCampaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("fast-track campaign"),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=RequestStage.choices, default=RequestStage.RECEIVED
    )
    received_on = models.DateField(_("received on"))
    sample_received_at = models.DateTimeField(_("sample received at"), null=True, blank=True)
    testing_started_at = models.DateTimeField(_("testing started at"), null=True, blank=True)
    report_issued_at = models.DateTimeField(_("report issued at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-received_on", "pk"]
        verbose_name = _("validation request")
        verbose_name_plural = _("validation requests")
        constraints = [
            # A step's date exists exactly from that step on, and the dates follow the steps.
            models.CheckConstraint(
                condition=Q(stage="received", sample_received_at__isnull=True)
                | Q(~Q(stage="received"), sample_received_at__isnull=False),
                name="validation_sample_dated",
            ),
            models.CheckConstraint(
                condition=Q(
                    stage__in=("received", "sample_received"), testing_started_at__isnull=True
                )
                | Q(
                    ~Q(stage__in=("received", "sample_received")),
                    testing_started_at__gte=F("sample_received_at"),
                ),
                name="validation_testing_dated",
            ),
            models.CheckConstraint(
                condition=Q(
                    stage__in=("report_issued", "decided"),
                    report_issued_at__gte=F("testing_started_at"),
                )
                | Q(~Q(stage__in=("report_issued", "decided")), report_issued_at__isnull=True),
                name="validation_report_dated",
            ),
            models.CheckConstraint(
                condition=Q(stage="decided", decided_at__gte=F("report_issued_at"))
                & ~Q(decision="")
                | Q(~Q(stage="decided"), decided_at__isnull=True, decision=""),
                name="validation_decision_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "stage"], name="validation_campaign_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery.reference} — {self.product}"

    def get_absolute_url(self) -> str:
        return reverse("certification:validationrequest_detail", args=[self.pk])

    def step_dates(self) -> list[tuple[RequestStage, datetime.date | datetime.datetime | None]]:
        return [
            (stage, getattr(self, STAGE_DATE[stage]) if stage in STAGE_DATE else self.received_on)
            for stage in RequestStage
        ]

    @property
    def is_fast_track(self) -> bool:
        return self.campaign_id is not None

    @property
    def decision_due_at(self) -> datetime.datetime | None:
        """A fast-track request's deadline: the campaign's hours after the sample arrived."""
        if self.campaign is None or self.sample_received_at is None:
            return None
        return self.sample_received_at + datetime.timedelta(hours=self.campaign.decision_hours)

    @property
    def is_late(self) -> bool:
        due = self.decision_due_at
        if due is None:
            return False
        return (self.decided_at or timezone.now()) > due


# A CTI's staff take the steps; its manager (the certification officer who signs) decides.
declare_actions(
    ValidationRequest,
    {
        "record": (CTI_ROLES, _("Only the CTI's own staff record the steps of its requests.")),
        "decide": (
            {Role.CTI_MANAGER},
            _("Only the CTI's manager decides whether a product conforms."),
        ),
    },
)


class Verdict(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


@access_rule(owner="request__delivery__cti", editors=CTI_EDITORS)
class TestResult(models.Model):
    """One test of a request's report: the method, what was measured against which limit, and
    the verdict."""

    __test__ = False  # not a pytest class, whatever its name

    request = models.ForeignKey(
        ValidationRequest,
        on_delete=models.CASCADE,
        related_name="tests",
        verbose_name=_("validation request"),
    )
    method = models.CharField(_("method"), max_length=200, help_text=_("e.g. NM EN 149 §8.3"))
    characteristic = models.CharField(_("characteristic measured"), max_length=200)
    measured_value = models.DecimalField(_("measured value"), max_digits=14, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    limit = models.CharField(_("limit"), max_length=100, help_text=_("e.g. ≥ 94, or 0.5 – 2"))
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    tested_on = models.DateField(_("tested on"))

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["request", "tested_on", "pk"]
        verbose_name = _("test")
        verbose_name_plural = _("tests")

    def __str__(self) -> str:
        return f"{self.characteristic}: {self.measured_value} {self.unit} ({self.verdict})"

    def get_absolute_url(self) -> str:
        return self.request.get_absolute_url() + f"#test-{self.pk}"


@access_rule(owner="request__delivery__cti", editors=CTI_EDITORS)
class ValidationReport(StoredDocument):
    """The signed test report of a request (PDF as signed by the laboratory)."""

    request = models.ForeignKey(
        ValidationRequest,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("validation request"),
    )

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("test report")
        verbose_name_plural = _("test reports")

    def storage_folder(self) -> str:
        return f"validation/{self.request_id}"

    def get_absolute_url(self) -> str:
        return reverse("certification:report_download", args=[self.pk])


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


# The printed code that, with the number, lets someone look a certificate up without its QR code:
# 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 40 bits.
SHORT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@access_rule(owner="cti", editors=CTI_EDITORS)
class Certificate(models.Model):
    """A certificate of conformity issued on a conforming decision. What it says is fixed at
    issue; afterwards only its status moves (suspended, withdrawn, expired), each change dated
    with its reason. Anyone can check it: the QR code carries a token signed by the platform."""

    cti = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("CTI")
    )
    number = models.CharField(_("number"), max_length=40)
    request = models.OneToOneField(
        ValidationRequest,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("validation request"),
    )
    holder = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("holder")
    )
    product = models.CharField(_("product"), max_length=255)
    referential = models.CharField(_("referential"), max_length=100)
    scope = models.TextField(_("scope"), blank=True)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=20, choices=CertificateStatus.choices, default="valid"
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    status_reason = models.TextField(_("reason for the status"), blank=True)
    short_code = models.CharField(_("verification code"), max_length=8, editable=False)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["cti", "number"], name="certificate_number_unique"),
            FieldCheckConstraint(
                condition=Q(valid_until__gt=F("issued_on")),
                name="certificate_validity_after_issue",
                field="valid_until",
                violation_error_message=_("A certificate is valid until a day after its issue."),
            ),
        ]
        indexes = [models.Index(fields=["number", "short_code"], name="certificate_lookup")]

    def __str__(self) -> str:
        return f"{self.number} — {self.product}"

    def get_absolute_url(self) -> str:
        return reverse("certification:certificate_detail", args=[self.pk])

    @property
    def current_status(self) -> str:
        """The status as of today: a valid certificate past its end date has expired, whether or
        not the daily command has recorded it yet."""
        if self.status == CertificateStatus.VALID and self.valid_until < timezone.localdate():
            return CertificateStatus.EXPIRED
        return self.status

    def get_current_status_display(self) -> str:
        return str(CertificateStatus(self.current_status).label)


# The CTI's manager signs certificates; suspending or withdrawing one is also the ministry's
# (market surveillance).
declare_actions(
    ValidationRequest,
    {"certify": ({Role.CTI_MANAGER}, _("Only the CTI's manager issues certificates."))},
)
declare_actions(
    Certificate,
    {
        "sanction": (
            {Role.CTI_MANAGER} | MINISTRY_ROLES,
            _(
                "Only the issuing CTI's manager or the ministry suspends or withdraws a certificate."
            ),
        )
    },
)


class CertificationComputation(models.TextChoices):
    """What a computed indicator may count in the certification records (results.computations)."""

    TESTS_PERFORMED = "tests_performed", _("Tests performed")
    PRODUCTS_VALIDATED = "products_validated", _("Products validated (conforming decisions)")
    PRODUCTS_VALIDATED_FAST_TRACK = (
        "products_validated_fast_track", _("of which in a fast-track campaign"),
    )  # fmt: skip
    CERTIFICATES_ISSUED = "certificates_issued", _("Certificates issued")
    CERTIFICATES_VALID = "certificates_valid", _("Certificates valid at the end of the period")
    LABORATORIES_ACCREDITED = (
        "laboratories_accredited", _("Laboratories accredited at the end of the period"),
    )  # fmt: skip
    STAFF_TOTAL = "staff_total", _("Headcount (end of year)")
    SUPERVISION_RATE = "supervision_rate", _("Taux d'encadrement (%)")
