"""Plans (programmes) and their strategic axes; agreements with their parties and amendments."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.core.access import AccessQuerySet, access_rule, declare_actions
from pilotage.core.audit import history_records
from pilotage.core.models import Organisation, StoredDocument, stored_file_path
from pilotage.core.money import money_field
from pilotage.core.roles import CTI_ROLES, MINISTRY_ROLES, Role


# A plan belongs to no single organisation: only global roles write it; everyone signed in reads it.
@access_rule(owner=(), directory=True)
class Programme(models.Model):
    """A development plan, e.g. the 2022-2025 plan (250 MDH). Periods and envelopes are data."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=255)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    envelope = money_field(_("envelope (MAD)"))
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("predecessor"),
    )
    description = models.TextField(_("description"), blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-start_year", "code"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="programme_years_in_order"
            ),
            models.CheckConstraint(
                condition=Q(envelope__gte=0), name="programme_envelope_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}-{self.end_year})"

    def get_absolute_url(self) -> str:
        return reverse("programmes:programme_detail", args=[self.pk])


@access_rule(owner=(), directory=True)
class StrategicAxis(models.Model):
    """An axis of a plan, with its share of the envelope (Σ axes ≤ plan envelope)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="axes", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=500)
    envelope = money_field(_("envelope (MAD)"))
    description = models.TextField(_("description"), blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("strategic axis")
        verbose_name_plural = _("strategic axes")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="axis_number_unique"),
            models.CheckConstraint(condition=Q(envelope__gte=0), name="axis_envelope_positive"),
        ]

    def __str__(self) -> str:
        return _("Axis %(number)s — %(title)s") % {"number": self.number, "title": self.title}

    def get_absolute_url(self) -> str:
        return reverse("programmes:programme_detail", args=[self.programme_id]) + f"#axis-{self.pk}"


class AgreementKind(models.TextChoices):
    CONVENTION_CADRE = "convention_cadre", _("Convention-cadre")
    CONTRAT_OBJECTIFS = "contrat_objectifs", _("Contrat-objectifs")
    CONTRAT_SPECIFIQUE = "contrat_specifique", _("Contrat spécifique")
    PROTOCOLE = "protocole", _("Protocole de collaboration")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


# The lifecycle: which status may follow which (DESIGN §4).
TRANSITIONS: dict[str, frozenset[str]] = {
    AgreementStatus.DRAFT: frozenset({AgreementStatus.SIGNED}),
    AgreementStatus.SIGNED: frozenset({AgreementStatus.IN_FORCE, AgreementStatus.SUSPENDED}),
    AgreementStatus.IN_FORCE: frozenset({AgreementStatus.SUSPENDED, AgreementStatus.CLOSED}),
    AgreementStatus.SUSPENDED: frozenset({AgreementStatus.IN_FORCE, AgreementStatus.CLOSED}),
    AgreementStatus.CLOSED: frozenset(),
}

AGREEMENT_EDITORS = MINISTRY_ROLES | {Role.CID_MANAGER}


@access_rule(owner="parties__organisation", editors=AGREEMENT_EDITORS)
class Agreement(models.Model):
    """A convention-cadre, contrat-objectifs, contrat spécifique or protocol between parties.
    Visible to the organisations that are party to it (and to the global roles)."""

    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices)
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=500)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("plan"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent agreement"),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    ceiling = money_field(_("ceiling (MAD)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    description = models.TextField(_("description"), blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-signed_on", "reference"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="agreement_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(ceiling__isnull=True) | Q(ceiling__gte=0),
                name="agreement_ceiling_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:agreement_detail", args=[self.pk])

    @property
    def next_statuses(self) -> list[AgreementStatus]:
        return [AgreementStatus(s) for s in TRANSITIONS[self.status]]


# The plan's own agreements (conventions-cadres, contrats-objectifs) are the ministry's to write;
# the CID writes its specific contracts and protocols (programmes/services.py CID_KINDS).
declare_actions(
    Agreement,
    {
        "write_ministry_kinds": (
            MINISTRY_ROLES,
            _("Only the ministry writes conventions-cadres and contrats-objectifs."),
        )
    },
)


class PartyRole(models.TextChoices):
    SIGNATORY = "signatory", _("Signatory")
    BENEFICIARY = "beneficiary", _("Beneficiary")
    FUNDER = "funder", _("Funder")
    PROVIDER = "provider", _("Provider")
    PARTNER = "partner", _("Partner")


@access_rule(owner="agreement__parties__organisation", editors=AGREEMENT_EDITORS)
class AgreementParty(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="agreement_parties",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["agreement", "role", "organisation__acronym"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation", "role"], name="party_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return self.agreement.get_absolute_url()


class AmendmentKind(models.TextChoices):
    TARGETS = "targets", _("Targets")
    CEILING = "ceiling", _("Ceiling")
    DURATION = "duration", _("Duration")
    PARTIES = "parties", _("Parties")
    OTHER = "other", _("Other")


@access_rule(owner="agreement__parties__organisation", editors=AGREEMENT_EDITORS)
class Amendment(models.Model):
    """A numbered avenant. It may change the ceiling or the end date; targets it changes are
    versioned against it (results), so a report can say which version of a target it used."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("agreement")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20, choices=AmendmentKind.choices)
    signed_on = models.DateField(_("signed on"))
    reason = models.TextField(_("reason"))
    new_ceiling = money_field(_("new ceiling (MAD)"), null=True, blank=True)
    new_ends_on = models.DateField(_("new end"), null=True, blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="amendment_number_unique")
        ]

    def __str__(self) -> str:
        return _("Amendment no. %(number)s to %(reference)s") % {
            "number": self.number,
            "reference": self.agreement.reference,
        }

    def get_absolute_url(self) -> str:
        return self.agreement.get_absolute_url() + f"#amendment-{self.pk}"


@access_rule(owner="agreement__parties__organisation", editors=AGREEMENT_EDITORS)
class AgreementDocument(StoredDocument):
    """A signed document of an agreement or of one of its amendments."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="documents", verbose_name=_("agreement")
    )
    amendment = models.ForeignKey(
        Amendment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("amendment"),
    )

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["agreement", "-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def get_absolute_url(self) -> str:
        return reverse("programmes:document_download", args=[self.pk])

    def storage_folder(self) -> str:
        return f"agreements/{self.agreement_id}"


def document_path(document: AgreementDocument, filename: str) -> str:
    """Kept for migration 0001, which names it; new code uses core's stored_file_path."""
    return stored_file_path(document, filename)


# --- a specific contract's modalities: deliverables and payment tranches ----------------------


class DeliverableStatus(models.TextChoices):
    DUE = "due", _("Due")
    DELIVERED = "delivered", _("Delivered, awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected, to deliver again")


@access_rule(owner="agreement__parties__organisation", editors=AGREEMENT_EDITORS)
class Deliverable(models.Model):
    """What a contract's party owes by a date (a study, a prototype, a training report). The
    contractor delivers it; the CID (or the ministry) accepts or rejects it, and accepted
    deliverables release the payment tranches that name them."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="deliverables",
                                  verbose_name=_("agreement"))  # fmt: skip
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=DeliverableStatus.choices,
                              default=DeliverableStatus.DUE)  # fmt: skip
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    reviewed_on = models.DateField(_("accepted or rejected on"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["agreement", "due_on", "pk"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="due") | Q(delivered_on__isnull=False),
                name="deliverable_delivered_is_dated",
            ),
            models.CheckConstraint(
                condition=Q(status__in=("due", "delivered")) | Q(reviewed_on__isnull=False),
                name="deliverable_reviewed_is_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:deliverable_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        waiting = self.status in (DeliverableStatus.DUE, DeliverableStatus.REJECTED)
        return waiting and self.due_on < timezone.localdate()


# The contractor (a CTI party) delivers; the CID or the ministry accepts.
declare_actions(
    Deliverable,
    {
        "deliver": (CTI_ROLES | AGREEMENT_EDITORS,
                    _("Only a party to the contract delivers its deliverables.")),
        "review": (AGREEMENT_EDITORS,
                   _("Only the CID or the ministry accepts or rejects a deliverable.")),
    },
)  # fmt: skip


@access_rule(owner="agreement__parties__organisation", editors=AGREEMENT_EDITORS)
class PaymentTranche(models.Model):
    """A numbered tranche of a contract's payment schedule. It is released when every
    deliverable it names is accepted, and only then may it be recorded as paid."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="tranches",
                                  verbose_name=_("agreement"))  # fmt: skip
    number = models.PositiveSmallIntegerField(_("number"))
    amount = money_field(_("amount (MAD)"))
    deliverables = models.ManyToManyField(
        Deliverable, related_name="tranches", verbose_name=_("deliverables that release it"),
    )  # fmt: skip
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("payment tranche")
        verbose_name_plural = _("payment tranches")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="tranche_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount_positive"),
        ]

    def __str__(self) -> str:
        return _("Tranche %(number)s of %(reference)s") % {
            "number": self.number, "reference": self.agreement.reference
        }  # fmt: skip

    def get_absolute_url(self) -> str:
        return reverse("programmes:tranche_detail", args=[self.pk])

    @property
    def is_released(self) -> bool:
        """Every deliverable it names is accepted (read from the prefetched deliverables)."""
        named = list(self.deliverables.all())
        return bool(named) and all(d.status == DeliverableStatus.ACCEPTED for d in named)


declare_actions(
    PaymentTranche,
    {"pay": (AGREEMENT_EDITORS, _("Only the CID or the ministry records a tranche as paid."))},
)
