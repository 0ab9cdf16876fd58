"""The FACET ledger (DESIGN §4): allocation lines, commitment lines and the append-only journal.

The journal (`Entry`) is the truth: every allocation, commitment, disbursement and reallocation is
a row that is never edited or deleted; a mistake is undone by a reversing entry (the opposite
amount) that points at the original. `Allocation` and `Commitment` are the lines entries post to.
They carry running totals, kept by `fund/services.py` under row locks, so that the database itself
refuses a line over its ceiling (CHECK constraints) should any code path ever skip the service.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilotage.core.access import AccessQuerySet, access_rule
from pilotage.core.audit import history_records
from pilotage.core.models import Organisation
from pilotage.core.money import format_mad, money_field
from pilotage.core.roles import OrganisationKind
from pilotage.programmes.models import Agreement, Programme, StrategicAxis

# A CTI reads its own lines and entries (and the programme totals, computed by the selectors);
# only the ministry touches the ledger (DESIGN §5). These are the access rule's defaults.


@access_rule(owner="cti")
class Allocation(models.Model):
    """The money a CTI may use on one axis of a plan in one year, with its running totals."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("plan")
    )
    axis = models.ForeignKey(
        StrategicAxis, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("axis")
    )
    cti = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="allocations",
        limit_choices_to={"kind": OrganisationKind.CTI},
        verbose_name=_("CTI"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # Running totals of the journal: Σ allocation entries ± reallocations, Σ commitments, Σ payments.
    allocated = money_field(_("allocated"), default=0)
    committed = money_field(_("committed"), default=0)
    disbursed = money_field(_("disbursed"), default=0)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["programme", "axis__number", "cti__acronym", "year"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(fields=["axis", "cti", "year"], name="allocation_line_unique"),
            models.CheckConstraint(
                condition=Q(committed__lte=F("allocated")),
                name="allocation_committed_lte_allocated",
            ),
            models.CheckConstraint(
                condition=Q(disbursed__lte=F("committed")),
                name="allocation_disbursed_lte_committed",
            ),
            models.CheckConstraint(
                condition=Q(disbursed__gte=0), name="allocation_disbursed_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cti.acronym} · {_('axis')} {self.axis.number} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("fund:allocation_detail", args=[self.pk])

    @property
    def headroom(self):
        """What may still be committed on this line."""
        return self.allocated - self.committed


@access_rule(owner="allocation__cti")
class Commitment(models.Model):
    """Money committed on an allocation for an agreement or a project, paid by disbursements."""

    allocation = models.ForeignKey(
        Allocation,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("allocation"),
    )
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("agreement"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("project"),
    )
    # What the ledger said before projects were records (kept: nothing of it is lost).
    project_text = models.CharField(_("project (as first written)"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    committed_on = models.DateField(_("committed on"))
    # Running totals: Σ commitment entries (0 once reversed) and Σ disbursements.
    amount = money_field(_("amount"), default=0)
    disbursed = money_field(_("disbursed"), default=0)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-committed_on", "-pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(disbursed__lte=F("amount")), name="commitment_disbursed_lte_amount"
            ),
            models.CheckConstraint(
                condition=Q(disbursed__gte=0), name="commitment_disbursed_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(agreement__isnull=False) | Q(project__isnull=False),
                name="commitment_for_agreement_or_project",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("fund:commitment_detail", args=[self.pk])

    @property
    def remaining(self):
        """What is still to be paid on this commitment."""
        return self.amount - self.disbursed


class EntryKind(models.TextChoices):
    ALLOCATION = "allocation", _("Allocation")
    COMMITMENT = "commitment", _("Commitment")
    DISBURSEMENT = "disbursement", _("Disbursement")
    REALLOCATION = "reallocation", _("Reallocation")


@access_rule(owner=("allocation__cti", "target__cti"))
class Entry(models.Model):
    """One line of the journal. Never edited or deleted (a PostgreSQL trigger refuses both); a
    reversal is a new entry with the opposite amount that points at the entry it undoes."""

    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    entry_date = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    amount = money_field(_("amount"))
    # The line the entry posts to; for a reallocation, the line the money leaves.
    allocation = models.ForeignKey(
        Allocation, on_delete=models.PROTECT, related_name="entries", verbose_name=_("allocation")
    )
    target = models.ForeignKey(
        Allocation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_entries",
        verbose_name=_("receiving allocation"),
    )
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("commitment"),
    )
    decision = models.ForeignKey(
        "governance.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_entries",
        verbose_name=_("committee decision"),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name=_("reverses"),
    )
    # A disbursement of a performance-linked tranche cites the computation that proposed it.
    tranche_computation = models.ForeignKey(
        "TrancheComputation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("tranche computation"),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-entry_date", "-pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            # An original entry moves money forward; only a reversal carries a negative amount.
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0))
                | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="entry_sign_matches_reversal",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind=EntryKind.REALLOCATION, target__isnull=False, decision__isnull=False
                )
                | (~Q(kind=EntryKind.REALLOCATION) & Q(target__isnull=True)),
                name="entry_reallocation_has_target_and_decision",
            ),
            models.CheckConstraint(
                condition=~Q(target=F("allocation")), name="entry_reallocation_moves_money"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[EntryKind.COMMITMENT, EntryKind.DISBURSEMENT],
                    commitment__isnull=False,
                )
                | (
                    Q(kind__in=[EntryKind.ALLOCATION, EntryKind.REALLOCATION])
                    & Q(commitment__isnull=True)
                ),
                name="entry_commitment_when_needed",
            ),
        ]
        indexes = [models.Index(fields=["allocation", "kind"], name="entry_allocation_kind")]

    def __str__(self) -> str:
        return f"{self.reference} — {self.get_kind_display()} {format_mad(self.amount)}"

    def get_absolute_url(self) -> str:
        return reverse("fund:entry_detail", args=[self.pk])

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


# --- performance-linked tranches -----------------------------------------------------------------


@access_rule(owner="agreement__parties__organisation")
class PerformanceTranche(models.Model):
    """A payment tranche of a contrat-objectifs linked to the year's results: each indicator's
    achievement (capped at `cap`) weighted into a score; below `floor` nothing is due, above it
    the tranche pays `amount` × the score (never more than `amount`, nor the contract's ceiling).
    The rule is a record: the computations made with it cite it (fund/tranches.py)."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="performance_tranches",
        verbose_name=_("contrat-objectifs"),
    )
    year = models.PositiveSmallIntegerField(_("year of the results"))
    amount = money_field(_("tranche amount"))
    floor = models.DecimalField(
        _("floor"), max_digits=5, decimal_places=4,
        help_text=_("Score below which nothing is paid, as a share (0.5 = 50 %)."),
    )  # fmt: skip
    cap = models.DecimalField(
        _("cap"), max_digits=5, decimal_places=4, default=1,
        help_text=_("Highest achievement an indicator counts for (1 = 100 %: beating one target "
                    "does not make up for missing another)."),
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["agreement", "year"]
        verbose_name = _("performance-linked tranche")
        verbose_name_plural = _("performance-linked tranches")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year"], name="performance_tranche_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="performance_tranche_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(floor__gte=0, floor__lte=1), name="tranche_floor_is_a_share"
            ),
            models.CheckConstraint(condition=Q(cap__gt=0), name="tranche_cap_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} — {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("fund:tranche_detail", args=[self.pk])


@access_rule(owner="tranche__agreement__parties__organisation")
class TrancheWeight(models.Model):
    """How much one indicator of the contract counts in the tranche's score."""

    tranche = models.ForeignKey(
        PerformanceTranche,
        on_delete=models.CASCADE,
        related_name="weights",
        verbose_name=_("tranche"),
    )
    indicator = models.ForeignKey(
        "results.Indicator", on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=3)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["tranche", "indicator__code"]
        verbose_name = _("indicator weight")
        verbose_name_plural = _("indicator weights")
        constraints = [
            models.UniqueConstraint(fields=["tranche", "indicator"], name="weight_one_per_kpi"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.weight}"

    def get_absolute_url(self) -> str:
        return self.tranche.get_absolute_url()


@access_rule(owner="tranche__agreement__parties__organisation")
class TrancheComputation(models.Model):
    """One computation of a tranche, kept as made: the line-by-line figures, the score and the
    proposed amount, and whether values still awaited validation (the officer's explicit choice).
    Payments cite it (Entry.tranche_computation); a later correction of a value never changes it:
    the page shows the difference with the figures as they now stand."""

    tranche = models.ForeignKey(
        PerformanceTranche,
        on_delete=models.PROTECT,
        related_name="computations",
        verbose_name=_("tranche"),
    )
    lines = models.JSONField(_("computation"), default=list)
    score = models.DecimalField(_("score"), max_digits=9, decimal_places=6)
    proposed = money_field(_("proposed tranche"))
    pending_accepted = models.BooleanField(
        _("computed with values awaiting validation"), default=False
    )
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("computed by"),
    )  # fmt: skip
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-computed_at", "-pk"]
        verbose_name = _("tranche computation")
        verbose_name_plural = _("tranche computations")
        constraints = [
            models.CheckConstraint(condition=Q(proposed__gte=0), name="computation_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.tranche} — {self.computed_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("fund:computation_detail", args=[self.pk])
