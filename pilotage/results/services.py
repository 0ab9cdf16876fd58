"""The reporting workflow: CTIs record and submit values, the ministry validates or returns them.

draft → submitted → validated | returned (→ draft again when corrected) ; a validated value is
locked and corrected only by a new revision. Every step writes a MeasurementEvent (the timeline)
besides the field history, in the same transaction.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotage.core import access
from pilotage.core.errors import AccessDenied, ErrorCode, ServiceError, refusal
from pilotage.core.files import store_upload
from pilotage.core.models import NotificationKind, Organisation, User
from pilotage.core.notifications import notify, people_of
from pilotage.core.numbers import format_decimal
from pilotage.core.roles import CTI_ROLES, Role
from pilotage.core.services import KEEP, change_fields, persist
from pilotage.programmes.models import Agreement, Programme, StrategicAxis
from pilotage.results import computations
from pilotage.results.models import (
    EventKind,
    Evidence,
    Indicator,
    IndicatorSource,
    Measurement,
    MeasurementEvent,
    MeasurementStatus,
    Objective,
    ReportingPeriod,
    Target,
)
from pilotage.results.selectors import current_target, latest_revision, reporting_sheet
from pilotage.results.semantics import Aggregation, Direction, Kind

EDITABLE = (MeasurementStatus.DRAFT, MeasurementStatus.RETURNED)


def _event(measurement: Measurement, kind: str, actor: User, before: str, reason: str = "") -> None:
    MeasurementEvent.objects.create(
        measurement=measurement,
        kind=kind,
        actor=actor,
        status_before=before,
        status_after=measurement.status,
        reason=reason,
    )


def _typed_values(
    indicator: Indicator,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """The values the indicator's kind calls for, and nothing else (never free text)."""
    if indicator.kind == Kind.PERCENTAGE:
        errors = {}
        if numerator is None:
            errors["numerator"] = [_("Give the numerator.")]
        if denominator is None:
            errors["denominator"] = [_("Give the denominator.")]
        elif denominator <= 0:
            errors["denominator"] = [_("The denominator must be greater than zero.")]
        if numerator is not None and numerator < 0:
            errors["numerator"] = [_("The numerator cannot be negative.")]
        if errors:
            raise ServiceError(ErrorCode.INVALID, field_errors=errors)
        return None, numerator, denominator
    if value is None:
        raise refusal(_("Give the value."), "value", ErrorCode.INVALID)
    if value < 0:
        raise refusal(_("The value cannot be negative."), "value", ErrorCode.INVALID)
    if indicator.kind == Kind.COUNT and value != value.to_integral_value():
        raise refusal(_("A count is a whole number."), "value", ErrorCode.INVALID)
    if indicator.kind == Kind.MONEY and value != value.quantize(Decimal("0.01")):
        raise refusal(_("An amount has at most two decimals."), "value", ErrorCode.INVALID)
    return value, None, None


def _check_reporting(
    indicator: Indicator, period: ReportingPeriod, organisation: Organisation, *, correcting: bool
) -> None:
    # A correction of a validated value may come after its period has closed.
    if not period.is_open and not correcting:
        raise refusal(_("This reporting period is closed."), "period")
    if period.programme_id != indicator.objective.programme_id:
        raise refusal(_("This period belongs to another plan."), "period", ErrorCode.INVALID)
    agreement = indicator.objective.agreement
    if agreement is not None and not agreement.parties.filter(organisation=organisation).exists():
        raise refusal(
            _("This indicator belongs to another organisation's contract."),
            "indicator",
            ErrorCode.INVALID,
        )


@transaction.atomic
def measurement_record(
    *,
    actor: User,
    indicator: Indicator,
    period: ReportingPeriod,
    organisation: Organisation,
    value: Decimal | None = None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    comment: str = "",
) -> Measurement:
    """Enter or correct the CTI's value (a draft, or a returned value being fixed)."""
    access.ensure_can(actor, "enter", Measurement)
    # Before anything is read or compared for it: another CTI is "not found", whatever its data.
    if not access.can_write_for(actor, Measurement, organisation):
        raise AccessDenied(visible=False)
    indicator = access.get_visible(Indicator, actor, indicator.pk)
    measurement = latest_revision(indicator, period, organisation)
    _check_reporting(
        indicator, period, organisation, correcting=bool(measurement and measurement.revision > 1)
    )
    value, numerator, denominator = _typed_values(indicator, value, numerator, denominator)
    _check_override(indicator, organisation, period, value, comment)
    if measurement is None:
        measurement = Measurement(indicator=indicator, period=period, organisation=organisation)
    else:
        measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
        if measurement.status not in EDITABLE:
            raise refusal(
                _(
                    "A submitted or validated value is locked: ask for it back, or open a correction."
                )
            )
    before = measurement.status if measurement.pk else ""
    new_values = (value, numerator, denominator, comment)
    if (
        measurement.pk
        and measurement.status == MeasurementStatus.DRAFT
        and _values(measurement) == new_values
    ):
        return measurement  # the same values again (a re-uploaded file) change nothing
    measurement.value, measurement.numerator, measurement.denominator, measurement.comment = (
        new_values
    )
    measurement.status = MeasurementStatus.DRAFT
    persist(measurement, actor=actor)
    _event(measurement, EventKind.SAVED, actor, before)
    return measurement


def _check_override(
    indicator: Indicator, organisation: Organisation, period: ReportingPeriod, value, comment: str
) -> None:
    """A computed indicator's value comes from the operational records; reporting another value
    (an override) needs a reason, given in the comment and kept with the value."""
    computed = computations.computed_value(indicator, organisation.pk, period.year, period.part)
    if computed is not None and value != computed and not comment.strip():
        raise refusal(
            _(
                "This value differs from the one computed from the services register "
                "(%(computed)s): say why in the comment."
            )
            % {"computed": format_decimal(computed)},
            "value",
            ErrorCode.INVALID,
        )


def _tell(measurement: Measurement, kind: str, actor: User) -> None:
    """Who must hear of a step: the validating officers of a submission, the CTI's reporters of
    a return or a validation. Values of the same sheet make one notice with a count."""
    agreement = measurement.indicator.objective.agreement
    if agreement is None:  # values are reported on contracts' indicators only
        return
    if kind == NotificationKind.VALUES_SUBMITTED:
        people = people_of(None, {Role.MINISTRY_OFFICER, Role.MINISTRY_ADMIN})
    else:
        people = people_of([measurement.organisation_id], CTI_ROLES)
    link = reverse("results:contract_reporting", args=[agreement.pk])
    notify(
        recipients=people, kind=kind, exclude=actor,
        subject=f"values:{agreement.pk}:{measurement.period_id}",
        params={"cti": measurement.organisation.acronym, "agreement": agreement.reference,
                "period": str(measurement.period)},
        link=f"{link}?period={measurement.period_id}",
    )  # fmt: skip


def _values(measurement: Measurement) -> tuple:
    return (measurement.value, measurement.numerator, measurement.denominator, measurement.comment)


def _locked(measurement: Measurement, actor: User) -> Measurement:
    access.get_visible(Measurement, actor, measurement.pk)
    return Measurement.objects.select_for_update().get(pk=measurement.pk)


@transaction.atomic
def measurement_submit(*, actor: User, measurement: Measurement) -> Measurement:
    """The CTI manager sends the value to the ministry; the target version in force is recorded."""
    measurement = _locked(measurement, actor)
    access.ensure_can(actor, "submit", Measurement)
    if measurement.status not in EDITABLE:
        raise refusal(_("Only a draft or returned value can be submitted."))
    before = measurement.status
    measurement.status = MeasurementStatus.SUBMITTED
    measurement.submitted_by, measurement.submitted_at = actor, timezone.now()
    measurement.target = current_target(measurement.indicator, measurement.period.year)
    persist(measurement, actor=actor)
    _event(measurement, EventKind.SUBMITTED, actor, before)
    _tell(measurement, NotificationKind.VALUES_SUBMITTED, actor)
    return measurement


def _review(actor: User, measurement: Measurement) -> Measurement:
    measurement = _locked(measurement, actor)
    access.ensure_can(actor, "review", Measurement)
    if measurement.status != MeasurementStatus.SUBMITTED:
        raise refusal(_("Only a submitted value can be validated or returned."))
    return measurement


@transaction.atomic
def measurement_validate(*, actor: User, measurement: Measurement) -> Measurement:
    measurement = _review(actor, measurement)
    if measurement.submitted_by_id == actor.pk:
        # Separation of duties: nobody validates what they submitted.
        raise refusal(
            _("You submitted this value: someone else must validate it."), code=ErrorCode.FORBIDDEN
        )
    measurement.status = MeasurementStatus.VALIDATED
    measurement.validated_by, measurement.validated_at = actor, timezone.now()
    persist(measurement, actor=actor)
    _event(measurement, EventKind.VALIDATED, actor, MeasurementStatus.SUBMITTED)
    _tell(measurement, NotificationKind.VALUES_VALIDATED, actor)
    return measurement


@transaction.atomic
def measurement_return(*, actor: User, measurement: Measurement, reason: str) -> Measurement:
    measurement = _review(actor, measurement)
    if not reason.strip():
        raise refusal(_("Say what must be corrected."), "reason", ErrorCode.INVALID)
    measurement.status = MeasurementStatus.RETURNED
    measurement.return_reason = reason
    measurement.returned_by, measurement.returned_at = actor, timezone.now()
    persist(measurement, actor=actor, reason=reason)
    _event(measurement, EventKind.RETURNED, actor, MeasurementStatus.SUBMITTED, reason)
    _tell(measurement, NotificationKind.VALUES_RETURNED, actor)
    return measurement


def _each_or_none(measurements, step) -> list[Measurement]:
    """Apply a workflow step to every value, each recorded on its own in the history, or to
    none: a refused value stops the batch and the refusal names every value that blocked it."""
    done, blocked = [], []
    for measurement in measurements:
        try:
            with transaction.atomic():  # a refused value leaves nothing, the others go on
                done.append(step(measurement))
        except AccessDenied:
            raise  # not theirs to see or to do: answered as for one value
        except ServiceError as exc:
            blocked.append(f"{measurement.indicator.code} — {exc.message}")
    if blocked:
        summary = _("Nothing was saved: %(count)s value(s) cannot take this step.") % {
            "count": len(blocked)
        }
        raise ServiceError(
            ErrorCode.INVALID, summary, field_errors={"__all__": [summary, *blocked]}
        )
    return done


def _batch(actor: User, ids) -> list[Measurement]:
    """The values posted by id, each one the actor may see (404 for any other)."""
    if not ids:
        raise ServiceError(ErrorCode.INVALID, _("Tick the values to review."))
    return [
        access.get_visible(Measurement, actor, pk) for pk in dict.fromkeys(int(pk) for pk in ids)
    ]


@transaction.atomic
def measurements_submit_ready(
    *, actor: User, agreement, period: ReportingPeriod
) -> tuple[list[Measurement], list[tuple[Indicator, str]]]:
    """Submit, at once, every value of the contract's sheet for the period that is ready (a
    draft or returned value with a figure). The others stay as they are, each with why."""
    access.ensure_can(actor, "submit", Measurement)
    ready, not_ready = [], []
    for row in reporting_sheet(agreement, period, actor):
        m = row.measurement
        if m is None or m.status not in EDITABLE:
            if m is None or m.status == MeasurementStatus.DRAFT:
                not_ready.append((row.indicator, _("no value entered yet")))
            continue
        if all(v is None for v in (m.value, m.numerator, m.denominator)):
            not_ready.append((row.indicator, _("no value entered yet")))
            continue
        ready.append(m)
    if not ready:
        raise refusal(_("No value of this period is ready to submit."))
    submitted = _each_or_none(ready, lambda m: measurement_submit(actor=actor, measurement=m))
    return submitted, not_ready


@transaction.atomic
def measurements_validate(*, actor: User, ids) -> list[Measurement]:
    """Validate several submitted values at once: all of them, or none."""
    access.ensure_can(actor, "review", Measurement)
    return _each_or_none(
        _batch(actor, ids), lambda m: measurement_validate(actor=actor, measurement=m)
    )


@transaction.atomic
def measurements_return(
    *, actor: User, ids, reason: str = "", reasons: dict[int, str] | None = None
) -> list[Measurement]:
    """Return several submitted values at once, with one reason for all or one each (a value's
    own reason wins): all of them, or none."""
    access.ensure_can(actor, "review", Measurement)
    reasons = reasons or {}
    return _each_or_none(
        _batch(actor, ids),
        lambda m: measurement_return(
            actor=actor, measurement=m, reason=(reasons.get(m.pk) or reason or "").strip()
        ),
    )


@transaction.atomic
def measurement_revise(*, actor: User, measurement: Measurement, reason: str) -> Measurement:
    """Open a correction of a validated value: a new draft revision; the validated one stays."""
    measurement = _locked(measurement, actor)
    access.ensure_can(actor, "revise", Measurement)
    if measurement.status != MeasurementStatus.VALIDATED:
        raise refusal(_("Only a validated value is corrected by a new revision."))
    if hasattr(measurement, "superseded_by"):
        raise refusal(_("A correction of this value is already open."))
    if not reason.strip():
        raise refusal(
            _("Say why the validated value must be corrected."), "reason", ErrorCode.INVALID
        )
    revision = Measurement(
        indicator=measurement.indicator,
        period=measurement.period,
        organisation=measurement.organisation,
        revision=measurement.revision + 1,
        supersedes=measurement,
        value=measurement.value,
        numerator=measurement.numerator,
        denominator=measurement.denominator,
        comment=measurement.comment,
        revision_reason=reason,
    )
    persist(revision, actor=actor, reason=reason)
    _event(revision, EventKind.REVISED, actor, "", reason)
    return revision


@transaction.atomic
def measurements_record_sheet(
    *,
    actor: User,
    period: ReportingPeriod,
    organisation: Organisation,
    rows: list[dict],
) -> list[Measurement]:
    """Record a whole reporting sheet (the page or an uploaded template): every row is checked,
    and either all are saved or none. Errors come back keyed `<field>-<indicator id>`."""
    saved: list[Measurement] = []
    errors: dict[str, list[str]] = {}
    for row in rows:
        indicator = row["indicator"]
        current = latest_revision(indicator, period, organisation)
        sent = (row.get("value"), row.get("numerator"), row.get("denominator"))
        if current is not None and current.status not in EDITABLE and _values(current)[:3] == sent:
            continue  # a locked value sent again unchanged (the same file twice) is not an error
        try:
            with transaction.atomic():
                saved.append(
                    measurement_record(
                        actor=actor,
                        indicator=indicator,
                        period=period,
                        organisation=organisation,
                        value=row.get("value"),
                        numerator=row.get("numerator"),
                        denominator=row.get("denominator"),
                        comment=row.get("comment", ""),
                    )
                )
        except ServiceError as exc:
            if exc.code == ErrorCode.FORBIDDEN:
                raise
            for field, messages in (exc.field_errors or {"value": [exc.message]}).items():
                errors.setdefault(f"{field}-{indicator.pk}", []).extend(messages)
    if errors:
        raise ServiceError(ErrorCode.INVALID, field_errors=errors)
    return saved


@transaction.atomic
def evidence_attach(*, actor: User, measurement: Measurement, upload, title: str = "") -> Evidence:
    """Attach a proof to a value the CTI may still change (draft or returned)."""
    measurement = _locked(measurement, actor)
    access.ensure_can(actor, "attach_evidence", Measurement)
    if measurement.status not in EDITABLE:
        raise refusal(_("Evidence is attached before the value is submitted."))
    if upload is None:
        raise refusal(_("Choose the file to send."), "file", ErrorCode.INVALID)
    evidence = Evidence(measurement=measurement, title=title.strip() or upload.name)
    store_upload(evidence, upload)
    return persist(evidence, actor=actor)


# --- the framework itself (ministry) ----------------------------------------------------------


def _check_objective(objective: Objective) -> None:
    if objective.agreement and objective.agreement.programme_id not in (
        None,
        objective.programme_id,
    ):
        raise refusal(_("The contract belongs to another plan."), "agreement", ErrorCode.INVALID)


@transaction.atomic
def objective_create(
    *,
    actor: User,
    programme: Programme,
    code: str,
    title_fr: str = "",
    title_ar: str = "",
    title_en: str = "",
    title: str = KEEP,  # the active language's title (older clients)
    axis: StrategicAxis | None = None,
    agreement: Agreement | None = None,
    parent: Objective | None = None,
    reason: str = "",
) -> Objective:
    access.ensure_can_create(actor, Objective)
    objective = Objective(
        programme=programme, code=code, title_fr=title_fr, title_ar=title_ar, title_en=title_en,
        axis=axis, agreement=agreement, parent=parent,
    )  # fmt: skip
    change_fields(objective, title=title)
    _check_objective(objective)
    return persist(objective, actor=actor, reason=reason)


@transaction.atomic
def objective_update(
    *,
    actor: User,
    objective: Objective,
    programme: Programme = KEEP,
    code: str = KEEP,
    title_fr: str = KEEP,
    title_ar: str = KEEP,
    title_en: str = KEEP,
    title: str = KEEP,
    axis: StrategicAxis | None = KEEP,
    agreement: Agreement | None = KEEP,
    parent: Objective | None = KEEP,
    reason: str = "",
) -> Objective:
    objective = access.get_editable(Objective, actor, objective.pk)
    change_fields(
        objective, programme=programme, code=code, title_fr=title_fr, title_ar=title_ar,
        title_en=title_en, title=title, axis=axis, agreement=agreement, parent=parent,
    )  # fmt: skip
    _check_objective(objective)
    return persist(objective, actor=actor, reason=reason)


def _check_indicator(indicator: Indicator, kind_before: str | None) -> None:
    if kind_before not in (None, indicator.kind) and indicator.measurements.exists():
        raise refusal(
            _("Values were already reported in this unit: the kind can no longer change."), "kind"
        )
    if indicator.computation in computations.BY_CATEGORY and not indicator.computation_category:
        raise refusal(
            _("Choose the service category counted."), "computation_category", ErrorCode.INVALID
        )
    # A computed value is the period's own share (a quarter counts the companies first served
    # in it): the periods add up to the year, and only a sum reads them right.
    computed = indicator.source == IndicatorSource.COMPUTED
    if computed and indicator.aggregation != Aggregation.SUM:
        raise refusal(
            _("A computed indicator adds up its periods: choose “Sum” as its aggregation."),
            "aggregation",
            ErrorCode.INVALID,
        )


@transaction.atomic
def indicator_create(
    *,
    actor: User,
    objective: Objective,
    code: str,
    definition: str,
    kind: str,
    name_fr: str = "",
    name_ar: str = "",
    name_en: str = "",
    unit_fr: str = "",
    unit_ar: str = "",
    unit_en: str = "",
    numerator_label_fr: str = "",
    numerator_label_ar: str = "",
    numerator_label_en: str = "",
    denominator_label_fr: str = "",
    denominator_label_ar: str = "",
    denominator_label_en: str = "",
    direction: str = Direction.UP,
    aggregation: str = Aggregation.SUM,
    source: str = IndicatorSource.MANUAL,
    computation: str = "",
    computation_category: str = "",
    means_of_verification: str = "",
    baseline_value: Decimal | None = None,
    baseline_year: int | None = None,
    is_public: bool = False,
    # The active language's texts (older clients), instead of the per-language fields.
    name: str = KEEP,
    unit: str = KEEP,
    numerator_label: str = KEEP,
    denominator_label: str = KEEP,
    reason: str = "",
) -> Indicator:
    access.ensure_can_create(actor, Indicator)
    indicator = Indicator(
        objective=objective, code=code, definition=definition, kind=kind, name_fr=name_fr,
        name_ar=name_ar, name_en=name_en, unit_fr=unit_fr, unit_ar=unit_ar, unit_en=unit_en,
        numerator_label_fr=numerator_label_fr, numerator_label_ar=numerator_label_ar,
        numerator_label_en=numerator_label_en, denominator_label_fr=denominator_label_fr,
        denominator_label_ar=denominator_label_ar, denominator_label_en=denominator_label_en,
        direction=direction, aggregation=aggregation, source=source, computation=computation,
        computation_category=computation_category, means_of_verification=means_of_verification,
        baseline_value=baseline_value, baseline_year=baseline_year, is_public=is_public,
    )  # fmt: skip
    change_fields(
        indicator, name=name, unit=unit, numerator_label=numerator_label,
        denominator_label=denominator_label,
    )  # fmt: skip
    _check_indicator(indicator, None)
    return persist(indicator, actor=actor, reason=reason)


@transaction.atomic
def indicator_update(
    *,
    actor: User,
    indicator: Indicator,
    objective: Objective = KEEP,
    code: str = KEEP,
    definition: str = KEEP,
    kind: str = KEEP,
    name_fr: str = KEEP,
    name_ar: str = KEEP,
    name_en: str = KEEP,
    unit_fr: str = KEEP,
    unit_ar: str = KEEP,
    unit_en: str = KEEP,
    numerator_label_fr: str = KEEP,
    numerator_label_ar: str = KEEP,
    numerator_label_en: str = KEEP,
    denominator_label_fr: str = KEEP,
    denominator_label_ar: str = KEEP,
    denominator_label_en: str = KEEP,
    direction: str = KEEP,
    aggregation: str = KEEP,
    source: str = KEEP,
    computation: str = KEEP,
    computation_category: str = KEEP,
    means_of_verification: str = KEEP,
    baseline_value: Decimal | None = KEEP,
    baseline_year: int | None = KEEP,
    is_public: bool = KEEP,
    name: str = KEEP,
    unit: str = KEEP,
    numerator_label: str = KEEP,
    denominator_label: str = KEEP,
    reason: str = "",
) -> Indicator:
    indicator = access.get_editable(Indicator, actor, indicator.pk)
    kind_before = indicator.kind
    change_fields(
        indicator, objective=objective, code=code, definition=definition, kind=kind,
        name_fr=name_fr, name_ar=name_ar, name_en=name_en, unit_fr=unit_fr, unit_ar=unit_ar,
        unit_en=unit_en, numerator_label_fr=numerator_label_fr,
        numerator_label_ar=numerator_label_ar, numerator_label_en=numerator_label_en,
        denominator_label_fr=denominator_label_fr, denominator_label_ar=denominator_label_ar,
        denominator_label_en=denominator_label_en, direction=direction, aggregation=aggregation,
        source=source, computation=computation, computation_category=computation_category,
        means_of_verification=means_of_verification, baseline_value=baseline_value,
        baseline_year=baseline_year, is_public=is_public, name=name, unit=unit,
        numerator_label=numerator_label, denominator_label=denominator_label,
    )  # fmt: skip
    _check_indicator(indicator, kind_before)
    return persist(indicator, actor=actor, reason=reason)


@transaction.atomic
def period_create(
    *,
    actor: User,
    programme: Programme,
    year: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    part: int = 0,
    is_open: bool = True,
    reason: str = "",
) -> ReportingPeriod:
    access.ensure_can_create(actor, ReportingPeriod)
    period = ReportingPeriod(
        programme=programme, year=year, part=part, opens_on=opens_on, closes_on=closes_on,
        is_open=is_open,
    )  # fmt: skip
    return persist(period, actor=actor, reason=reason)


@transaction.atomic
def period_update(
    *,
    actor: User,
    period: ReportingPeriod,
    programme: Programme = KEEP,
    year: int = KEEP,
    opens_on: datetime.date = KEEP,
    closes_on: datetime.date = KEEP,
    part: int = KEEP,
    is_open: bool = KEEP,
    reason: str = "",
) -> ReportingPeriod:
    period = access.get_editable(ReportingPeriod, actor, period.pk)
    change_fields(
        period, programme=programme, year=year, opens_on=opens_on, closes_on=closes_on,
        part=part, is_open=is_open,
    )  # fmt: skip
    return persist(period, actor=actor, reason=reason)


@transaction.atomic
def target_set(
    *,
    actor: User,
    indicator: Indicator,
    year: int,
    value: Decimal,
    amendment=None,
    reason: str = "",
) -> Target:
    """Set a year's target. The original target is set once; later changes go through an
    amendment of the contract, each one a new version (reports keep the version they used)."""
    indicator = access.get_editable(Indicator, actor, indicator.pk)
    agreement = indicator.objective.agreement
    if amendment is not None and (agreement is None or amendment.agreement_id != agreement.pk):
        raise refusal(
            _("This amendment belongs to another contract."), "amendment", ErrorCode.INVALID
        )
    if Target.objects.filter(indicator=indicator, year=year, amendment=amendment).exists():
        message = (
            _("This amendment already sets this year's target.")
            if amendment
            else _("The original target is set: change it through an amendment.")
        )
        raise refusal(message, "amendment")
    target = Target(indicator=indicator, year=year, value=value, amendment=amendment)
    return persist(target, actor=actor, reason=reason)
