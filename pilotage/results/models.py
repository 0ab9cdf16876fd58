"""The results framework: objectives → indicators → targets per year, reporting periods, and
measurements that CTIs report and the ministry validates (DESIGN §4, §6)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilotage.core.access import AccessQuerySet, access_rule, declare_actions
from pilotage.core.audit import history_records
from pilotage.core.models import Organisation, StoredDocument, stored_file_path
from pilotage.core.roles import CTI_ROLES, MINISTRY_ROLES, Role
from pilotage.programmes.models import Agreement, Amendment, Programme, StrategicAxis
from pilotage.results.computations import computation_choices
from pilotage.results.semantics import Aggregation, Direction, IndicatorRule, Kind

VALUE = {"max_digits": 18, "decimal_places": 4}  # a typed value; empty is NULL (null=True below)


@access_rule(owner="agreement__parties__organisation", shared=Q(agreement__isnull=True))
class Objective(models.Model):
    """A plan's global objective, or a specific objective of one contrat-objectifs (its parent
    being the global one). Global objectives are read by everyone; specific ones by the parties."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="objectives", verbose_name=_("plan")
    )
    axis = models.ForeignKey(
        StrategicAxis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("strategic axis"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("agreement"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("global objective"),
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=500)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["programme", "code"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "agreement", "code"],
                name="objective_code_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def get_absolute_url(self) -> str:
        query = (
            f"agreement={self.agreement_id}"
            if self.agreement_id
            else f"programme={self.programme_id}"
        )
        return f"{reverse('results:indicator_list')}?{query}"


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", _("Reported by the CTI")
    COMPUTED = "computed", _("Computed from operational records")


@access_rule(
    owner="objective__agreement__parties__organisation",
    shared=Q(objective__agreement__isnull=True),
)
class Indicator(models.Model):
    """A KPI with its full definition sheet. Percentages are reported as numerator and denominator."""

    objective = models.ForeignKey(
        Objective, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("objective")
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=255)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("unit"), max_length=50)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[(Kind.COUNT, _("Count")), (Kind.MONEY, _("Money (MAD)")),
                 (Kind.PERCENTAGE, _("Percentage (numerator / denominator)"))],
    )  # fmt: skip
    numerator_label = models.CharField(_("numerator"), max_length=255, blank=True)
    denominator_label = models.CharField(_("denominator"), max_length=255, blank=True)
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=[(Direction.UP, _("Higher is better")), (Direction.DOWN, _("Lower is better"))],
        default=Direction.UP,
    )
    aggregation = models.CharField(
        _("aggregation over periods"),
        max_length=20,
        choices=[(Aggregation.SUM, _("Sum")),
                 (Aggregation.CUMULATIVE_LATEST, _("Cumulative (latest value)")),
                 (Aggregation.AVERAGE, _("Average")), (Aggregation.MAX, _("Maximum"))],
        default=Aggregation.SUM,
    )  # fmt: skip
    source = models.CharField(
        _("source"), max_length=20, choices=IndicatorSource.choices, default=IndicatorSource.MANUAL
    )
    computation = models.CharField(
        _("computation"),
        max_length=30,
        choices=computation_choices,
        blank=True,
        help_text=_(
            "For a computed indicator: what it counts in the operational records (services, "
            "certification). By quarter, a company counts in the quarter it is first served "
            "that year: quarters add up to the year."
        ),
    )
    computation_category = models.CharField(
        _("service category"),
        max_length=30,
        blank=True,
        help_text=_("For a computation by category: the category counted."),
    )
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    baseline_value = models.DecimalField(_("baseline"), null=True, blank=True, **VALUE)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    is_public = models.BooleanField(
        _("published as open data"),
        default=False,
        help_text=_("Its validated values appear in the published editions' open data."),
    )

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["objective", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["objective", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                condition=~Q(kind=Kind.PERCENTAGE) | ~Q(denominator_label=""),
                name="percentage_has_denominator",
            ),
            models.CheckConstraint(
                condition=~Q(source=IndicatorSource.COMPUTED) | ~Q(computation=""),
                name="computed_indicator_names_its_computation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("results:indicator_detail", args=[self.pk])

    @property
    def rule(self) -> IndicatorRule:
        """How its figures combine (results.semantics): kind, direction, aggregation."""
        return IndicatorRule(
            Kind(self.kind), Direction(self.direction), Aggregation(self.aggregation)
        )


@access_rule(
    owner="indicator__objective__agreement__parties__organisation",
    shared=Q(indicator__objective__agreement__isnull=True),
)
class Target(models.Model):
    """A target for one year. An amendment that changes it adds a new row pointing at the
    amendment: the original stays, and each report says which version it used."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    amendment = models.ForeignKey(
        Amendment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("set by amendment"),
    )

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        # The original first (no amendment), then each amendment's version in order.
        ordering = ["indicator", "year", models.F("amendment__number").asc(nulls_first=True)]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "amendment"],
                name="target_version_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


@access_rule(owner=(), directory=True)
class ReportingPeriod(models.Model):
    """A year or part of a year of a plan, with its submission window."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="periods", verbose_name=_("plan")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    part = models.PositiveSmallIntegerField(
        _("part of the year"), default=0, help_text=_("0 for the whole year, 1-4 for a quarter.")
    )
    opens_on = models.DateField(_("submission opens"))
    closes_on = models.DateField(_("submission closes"))
    is_open = models.BooleanField(_("open"), default=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["programme", "year", "part"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "part"], name="period_unique"),
            models.CheckConstraint(condition=Q(part__lte=4), name="period_part_valid"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="period_window_in_order"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year) if self.part == 0 else f"{self.year} T{self.part}"

    def get_absolute_url(self) -> str:
        return reverse("results:period_list")

    @property
    def key(self) -> tuple[int, int]:
        return (self.year, self.part)


class MeasurementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    VALIDATED = "validated", _("Validated")


@access_rule(owner="organisation", editors=MINISTRY_ROLES | CTI_ROLES)
class Measurement(models.Model):
    """A CTI's value for one indicator and period. Typed (never free text); percentages carry
    numerator and denominator. Validated values are locked: a correction is a new revision that
    supersedes the old one, with a reason."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("period"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("CTI"),
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects"),
    )
    value = models.DecimalField(_("value"), null=True, blank=True, **VALUE)
    numerator = models.DecimalField(_("numerator"), null=True, blank=True, **VALUE)
    denominator = models.DecimalField(_("denominator"), null=True, blank=True, **VALUE)
    target = models.ForeignKey(
        Target,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measurements",
        verbose_name=_("target version used"),
    )
    comment = models.TextField(_("comment"), blank=True)
    revision_reason = models.TextField(_("reason for the correction"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MeasurementStatus.choices,
        default=MeasurementStatus.DRAFT,
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("submitted by"),
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("validated by"),
    )  # fmt: skip
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)
    # Shown beside the reason: a CTI asks the person who returned it, not "the ministry".
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("returned by"),
    )  # fmt: skip
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["indicator", "period", "organisation", "revision"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "organisation", "revision"],
                name="measurement_revision_unique",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gte=0),
                name="measurement_denominator_positive",
            ),
        ]
        indexes = [
            # The validated corrections, a few rows: every read of the values in force asks
            # whether one exists for each measurement (`selectors.in_force`).
            models.Index(
                fields=["supersedes"],
                condition=Q(status="validated", supersedes__isnull=False),
                name="measurement_validated_fix",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} {self.organisation} (r{self.revision})"

    def get_absolute_url(self) -> str:
        agreement_id = self.indicator.objective.agreement_id
        url = reverse("results:contract_reporting", args=[agreement_id])
        return f"{url}?period={self.period_id}"


# The reporting steps (core/access.py `can`): the sheet's buttons, the API and the services.
declare_actions(
    Measurement,
    {
        "enter": (CTI_ROLES, _("Only the CTI's own staff enter its values.")),
        "submit": ({Role.CTI_MANAGER}, _("Only the CTI manager submits values.")),
        "review": (MINISTRY_ROLES, _("Only ministry officers review reported values.")),
        "revise": (CTI_ROLES, _("Only the CTI's own staff open a correction.")),
        "attach_evidence": (CTI_ROLES, _("Only the CTI's own staff attach evidence.")),
    },
)


class EventKind(models.TextChoices):
    SAVED = "saved", _("Saved")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    VALIDATED = "validated", _("Validated")
    REVISED = "revised", _("Correction opened")


@access_rule(owner="measurement__organisation", editors=frozenset())
class MeasurementEvent(models.Model):
    """The measurement's business timeline, written by the services only (append-only)."""

    measurement = models.ForeignKey(
        Measurement, on_delete=models.PROTECT, related_name="events", verbose_name=_("measurement")
    )
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("by"),
    )  # fmt: skip
    at = models.DateTimeField(_("when"), auto_now_add=True)
    status_before = models.CharField(_("status before"), max_length=20, blank=True)
    status_after = models.CharField(_("status after"), max_length=20)
    reason = models.TextField(_("reason"), blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["measurement", "at", "pk"]
        verbose_name = _("measurement event")
        verbose_name_plural = _("measurement events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.measurement}"


@access_rule(owner="measurement__organisation", editors=CTI_ROLES)
class Evidence(StoredDocument):
    """A means-of-verification file attached to a reported value."""

    measurement = models.ForeignKey(
        Measurement,
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("measurement"),
    )

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["measurement", "uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def get_absolute_url(self) -> str:
        return reverse("results:evidence_download", args=[self.pk])

    def storage_folder(self) -> str:
        return f"evidence/{self.measurement.organisation_id}"


def evidence_path(evidence: Evidence, filename: str) -> str:
    """Kept for migration 0002, which names it; new code uses core's stored_file_path."""
    return stored_file_path(evidence, filename)
