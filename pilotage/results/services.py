"""The reporting workflow: CTIs record and submit values, the ministry validates or returns them.

draft → submitted → validated | returned (→ draft again when corrected) ; a validated value is
locked and corrected only by a new revision. Every step writes a MeasurementEvent (the timeline)
besides the field history, in the same transaction.
"""

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
from pilotage.core.services import assign_fields, persist
from pilotage.core.translation import with_languages
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
from pilotage.results.semantics import Aggregation, Kind

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
    saved, errors = [], {}
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

OBJECTIVE_FIELDS = ("programme", "axis", "agreement", "parent", "code", *with_languages("title"))
INDICATOR_FIELDS = (
    "objective", "code", "definition", "kind",
    *with_languages("name", "unit", "numerator_label", "denominator_label"),
    "direction", "aggregation", "source", "computation",
    "computation_category", "means_of_verification", "baseline_value", "baseline_year",
)  # fmt: skip
PERIOD_FIELDS = ("programme", "year", "part", "opens_on", "closes_on", "is_open")


def _save_fields(model, obj, actor: User, fields: dict, allowed: tuple[str, ...], reason: str):
    if obj is None:
        access.ensure_can_create(actor, model)
        obj = model()
    else:
        obj = access.get_editable(model, actor, obj.pk)
    assign_fields(obj, fields, allowed)
    return persist(obj, actor=actor, reason=reason)


@transaction.atomic
def objective_save(*, actor: User, objective: Objective | None = None, reason: str = "", **fields):
    objective = _save_fields(Objective, objective, actor, fields, OBJECTIVE_FIELDS, reason)
    if objective.agreement and objective.agreement.programme_id not in (
        None,
        objective.programme_id,
    ):
        raise refusal(_("The contract belongs to another plan."), "agreement", ErrorCode.INVALID)
    return objective


@transaction.atomic
def indicator_save(*, actor: User, indicator: Indicator | None = None, reason: str = "", **fields):
    kind_changes = indicator is not None and fields.get("kind", indicator.kind) != indicator.kind
    if kind_changes and indicator.measurements.exists():
        raise refusal(
            _("Values were already reported in this unit: the kind can no longer change."), "kind"
        )
    if fields.get("computation") in computations.BY_CATEGORY and not fields.get(
        "computation_category"
    ):
        raise refusal(
            _("Choose the service category counted."), "computation_category", ErrorCode.INVALID
        )
    # A computed value is the period's own share (a quarter counts the companies first served
    # in it): the periods add up to the year, and only a sum reads them right.
    source = fields.get("source", indicator.source if indicator else IndicatorSource.MANUAL)
    aggregation = fields.get("aggregation", indicator.aggregation if indicator else Aggregation.SUM)
    if source == IndicatorSource.COMPUTED and aggregation != Aggregation.SUM:
        raise refusal(
            _("A computed indicator adds up its periods: choose “Sum” as its aggregation."),
            "aggregation",
            ErrorCode.INVALID,
        )
    return _save_fields(Indicator, indicator, actor, fields, INDICATOR_FIELDS, reason)


@transaction.atomic
def period_save(*, actor: User, period: ReportingPeriod | None = None, reason: str = "", **fields):
    return _save_fields(ReportingPeriod, period, actor, fields, PERIOD_FIELDS, reason)


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
