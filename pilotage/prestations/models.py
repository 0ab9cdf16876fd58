"""Services to companies (DESIGN §4): the companies served, each CTI's catalogue of offerings,
the service requests companies send from the public catalogue, and the register of deliveries
(prestations) from which the contract KPIs are computed (DESIGN §6)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from pilotage.core.access import AccessQuerySet, access_rule, declare_actions
from pilotage.core.audit import history_records
from pilotage.core.models import Organisation, StoredDocument
from pilotage.core.money import money_field
from pilotage.core.regions import Region
from pilotage.core.roles import CTI_ROLES, MINISTRY_ROLES

CTI_EDITORS = MINISTRY_ROLES | CTI_ROLES


class SizeClass(models.TextChoices):
    TPE = "TPE", _("Very small enterprise (TPE)")
    PME = "PME", _("Small or medium enterprise (PME)")
    ETI = "ETI", _("Intermediate-size enterprise (ETI)")
    GE = "GE", _("Large enterprise (GE)")


# "Of which SMEs" in the contract KPIs: very small, small and medium enterprises.
SME_SIZES = (SizeClass.TPE, SizeClass.PME)


class LegalForm(models.TextChoices):
    SA = "SA", "SA"
    SARL = "SARL", "SARL"
    SARLAU = "SARLAU", "SARL AU"
    SNC = "SNC", "SNC"
    SCS = "SCS", "SCS"
    GIE = "GIE", "GIE"
    COOPERATIVE = "cooperative", _("Cooperative")
    SOLE = "sole", _("Sole proprietorship")
    OTHER = "other", _("Other")


class ServiceCategory(models.TextChoices):
    """What a CTI does (domain.md)."""

    LABORATORY_TESTING = "laboratory_testing", _("Laboratory testing")
    CERTIFICATION = "certification", _("Product certification")
    PRODUCT_VALIDATION = "product_validation", _("Product validation and homologation support")
    TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")
    STUDY_RD = "study_rd", _("Studies, innovation and R&D")
    TRAINING = "training", _("Training")
    STANDARDISATION = "standardisation", _("Standards development")
    WATCH = "watch", _("Technology and regulatory watch")
    DIAGNOSTIC = "diagnostic", _("Diagnostic")
    ARBITRATION = "arbitration", _("Customer-supplier arbitration")
    IMPORT_CONFORMITY = "import_conformity", _("Conformity control of imported products")


class Funding(models.TextChoices):
    GENERAL_INTEREST = "general_interest", _("General interest (subsidised)")
    PAID = "paid", _("Paid")


@access_rule(owner=("registered_by", "deliveries__cti"), editors=CTI_EDITORS)
class Company(models.Model):
    """A beneficiary enterprise, identified by its ICE. Shared by every CTI that serves it: a CTI
    reads the companies it registered or delivered a service to; global roles read them all."""

    ice = models.CharField(_("ICE"), max_length=15, unique=True)
    ice_override_reason = models.TextField(
        _("reason for accepting an ICE that fails the check"),
        blank=True,
        help_text=_("Filled only when an officer accepted an ICE whose control digits fail."),
    )
    name = models.CharField(_("name"), max_length=255)
    name_ar = models.CharField(_("name in Arabic"), max_length=255, blank=True)
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, blank=True
    )
    size_class = models.CharField(_("size"), max_length=3, choices=SizeClass.choices)
    sector = models.CharField(_("sector"), max_length=255, blank=True)
    region = models.CharField(_("region"), max_length=2, choices=Region.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    registered_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_companies",
        verbose_name=_("registered by"),
    )

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.CheckConstraint(
                condition=Q(ice__regex=r"^[0-9]{15}$"), name="company_ice_digits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ice})"

    def get_absolute_url(self) -> str:
        return reverse("services:company_detail", args=[self.pk])


# An ICE whose ÷97 control fails is kept only on a ministry officer's word, with a reason.
declare_actions(
    Company,
    {
        "override_ice": (
            MINISTRY_ROLES,
            _("Only a ministry officer may accept an ICE whose control digits fail."),
        )
    },
)


def _localised(obj: models.Model, field: str) -> str:
    """The text in the reader's language when given, else the French one."""
    language = (get_language() or "fr")[:2]
    if language in ("ar", "en"):
        return getattr(obj, f"{field}_{language}") or getattr(obj, field)
    return getattr(obj, field)


@access_rule(owner="cti", editors=CTI_EDITORS, public=Q(is_public=True, is_active=True))
class ServiceOffering(models.Model):
    """An entry of a CTI's catalogue. Published entries (public and active) are read by everyone,
    anonymous visitors included; the others only by the CTI's people and global roles."""

    cti = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("CTI")
    )
    code = models.CharField(_("code"), max_length=30)
    category = models.CharField(_("category"), max_length=30, choices=ServiceCategory.choices)
    sector = models.CharField(_("sector"), max_length=255, blank=True)
    title = models.CharField(_("title (French)"), max_length=255)
    title_ar = models.CharField(_("title (Arabic)"), max_length=255, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description = models.TextField(_("description (French)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    # What a company asks first, shown on the catalogue entry.
    pricing = models.CharField(
        _("price or how it is priced"), max_length=255, blank=True,
        help_text=_("E.g. 1 200 DH HT per test, or: on quotation after a free diagnostic."),
    )  # fmt: skip
    lead_time = models.CharField(
        _("lead time"), max_length=120, blank=True, help_text=_("E.g. 10 working days.")
    )
    accreditation = models.CharField(
        _("accreditation"), max_length=255, blank=True,
        help_text=_("The accreditation or standard behind a test, e.g. ISO/IEC 17025 (SEMAC)."),
    )  # fmt: skip
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=30, blank=True)
    is_public = models.BooleanField(_("in the public catalogue"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["cti", "code"]
        verbose_name = _("service offering")
        verbose_name_plural = _("service offerings")
        constraints = [models.UniqueConstraint(fields=["cti", "code"], name="offering_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("services:offering_detail", args=[self.pk])

    @property
    def localised_title(self) -> str:
        return _localised(self, "title")

    @property
    def localised_description(self) -> str:
        return _localised(self, "description")


class RequestStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("request status", "New")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CONVERTED = "converted", _("Turned into a delivery")


@access_rule(owner="cti", editors=CTI_ROLES)
class ServiceRequest(models.Model):
    """A company's request for a catalogue service, sent without signing in; it lands in the
    CTI's inbox to be accepted, declined with a reason, or turned into a delivery."""

    offering = models.ForeignKey(
        ServiceOffering,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("service"),
    )
    cti = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("CTI"),
    )
    company_name = models.CharField(_("company"), max_length=255)
    ice = models.CharField(_("ICE"), max_length=15, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    message = models.TextField(_("message"), max_length=4000)
    language = models.CharField(_("language"), max_length=5, default="fr")
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.DECLINED) | ~Q(decision_reason=""),
                name="request_declined_with_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.company_name} — {self.offering.code}"

    def get_absolute_url(self) -> str:
        return reverse("services:request_detail", args=[self.pk])


# Requests are answered by the CTI they were sent to (the ministry reads them, as every role).
declare_actions(
    ServiceRequest,
    {"answer": (CTI_ROLES, _("Only the CTI's own staff answer the requests sent to it."))},
)


@access_rule(owner="cti", editors=CTI_EDITORS)
class ServiceDelivery(models.Model):
    """A prestation: what a CTI delivered to a company. Its natural key is the CTI's own
    reference (order or invoice number), so importing the same file twice adds nothing. A
    delivery counts in the KPIs of the year (and quarter) in which it started."""

    cti = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("CTI")
    )
    reference = models.CharField(_("reference"), max_length=50)
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("company")
    )
    offering = models.ForeignKey(
        ServiceOffering,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("catalogue service"),
    )
    category = models.CharField(_("category"), max_length=30, choices=ServiceCategory.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    amount_invoiced = money_field(_("amount invoiced (MAD)"), default=0)
    funding = models.CharField(
        _("funding"), max_length=20, choices=Funding.choices, default=Funding.PAID
    )
    task_force_project = models.CharField(
        _("Task Force project"),
        max_length=50,
        blank=True,
        help_text=_("Reference of the Task Force investment project sheet, if any."),
    )
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1-5)"), null=True, blank=True)
    request = models.OneToOneField(
        ServiceRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delivery",
        verbose_name=_("from request"),
    )

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-started_on", "reference"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["cti", "reference"], name="delivery_reference_unique"),
            models.CheckConstraint(
                condition=Q(amount_invoiced__gte=0), name="delivery_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__range=(1, 5)),
                name="delivery_satisfaction_range",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="delivery_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["cti", "started_on"], name="delivery_cti_start")]

    def __str__(self) -> str:
        return f"{self.reference} — {self.company.name}"

    def get_absolute_url(self) -> str:
        return reverse("services:delivery_detail", args=[self.pk])


class ImportKind(models.TextChoices):
    DELIVERIES = "deliveries", _("Deliveries")
    COMPANIES = "companies", _("Companies")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Refused")


@access_rule(owner="cti", editors=CTI_EDITORS, personal="created_by")
class ServiceImport(StoredDocument):
    """An uploaded XLSX/CSV of deliveries or companies for one CTI, checked then saved whole in
    the background; its progress and its errors (by row and column) are kept for the user."""

    cti = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="service_imports",
        verbose_name=_("CTI"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("sent by"),
    )  # fmt: skip
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_created = models.PositiveIntegerField(_("rows added"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows already present"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # the first 1,000 kept
    error_count = models.PositiveIntegerField(_("errors found"), default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Written as the file is read: a running import silent for longer than the lease was abandoned
    # by a dead worker (pilotage/core/jobs.py).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    objects = AccessQuerySet.as_manager()
    # No field history: the row is the import's own log (progress ticks would flood a history);
    # every delivery and company it writes has its history, attributed to `created_by`.

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def get_absolute_url(self) -> str:
        return reverse("services:import_detail", args=[self.pk])

    def storage_folder(self) -> str:
        return f"imports/{self.cti_id}"
