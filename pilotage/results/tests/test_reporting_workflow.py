"""The reporting workflow through the services: record, submit, return, correct, validate, revise."""

from decimal import Decimal

import pytest

from pilotage.core.errors import ServiceError
from pilotage.results import services
from pilotage.results.models import Measurement, MeasurementStatus, Target
from pilotage.results.tests.factories import contract_indicator, period_for


@pytest.fixture
def kpi(cast):
    indicator = contract_indicator(cast.cti_a)
    return indicator, period_for(indicator)


def record(cast, kpi, **values):
    indicator, period = kpi
    return services.measurement_record(
        actor=cast.cti_a_staff,
        indicator=indicator,
        period=period,
        organisation=cast.cti_a,
        **values,
    )


def test_the_full_cycle_keeps_who_did_what_and_why(cast, kpi):
    measurement = record(cast, kpi, value=Decimal(120))
    services.measurement_submit(actor=cast.cti_a_manager, measurement=measurement)
    services.measurement_return(
        actor=cast.officer, measurement=measurement, reason="Justificatif manquant"
    )
    record(cast, kpi, value=Decimal(118), comment="corrigé")
    services.measurement_submit(actor=cast.cti_a_manager, measurement=measurement)
    services.measurement_validate(actor=cast.officer, measurement=measurement)

    measurement.refresh_from_db()
    assert measurement.status == MeasurementStatus.VALIDATED and measurement.value == Decimal(118)
    assert (measurement.submitted_by, measurement.validated_by) == (
        cast.cti_a_manager,
        cast.officer,
    )
    timeline = [(e.kind, e.actor, e.reason) for e in measurement.events.all()]
    assert timeline == [
        ("saved", cast.cti_a_staff, ""),
        ("submitted", cast.cti_a_manager, ""),
        ("returned", cast.officer, "Justificatif manquant"),
        ("saved", cast.cti_a_staff, ""),
        ("submitted", cast.cti_a_manager, ""),
        ("validated", cast.officer, ""),
    ]


def test_a_validated_value_is_locked_and_corrected_by_a_revision(cast, kpi):
    measurement = record(cast, kpi, value=Decimal(50))
    services.measurement_submit(actor=cast.cti_a_manager, measurement=measurement)
    services.measurement_validate(actor=cast.officer, measurement=measurement)
    with pytest.raises(ServiceError):
        record(cast, kpi, value=Decimal(51))
    with pytest.raises(ServiceError) as no_reason:
        services.measurement_revise(actor=cast.cti_a_staff, measurement=measurement, reason=" ")
    assert "reason" in no_reason.value.field_errors

    revision = services.measurement_revise(
        actor=cast.cti_a_staff, measurement=measurement, reason="Erreur de saisie"
    )
    record(cast, kpi, value=Decimal(52))
    revision.refresh_from_db()
    measurement.refresh_from_db()
    assert (revision.revision, revision.value, revision.supersedes) == (2, Decimal(52), measurement)
    assert measurement.value == Decimal(50) and measurement.status == MeasurementStatus.VALIDATED


def test_the_submitter_cannot_validate_their_own_value(cast, kpi):
    from pilotage.core.tests.factories import MembershipFactory

    MembershipFactory(user=cast.cti_a_manager, organisation=cast.ministry, role="ministry_officer")
    measurement = record(cast, kpi, value=Decimal(5))
    services.measurement_submit(actor=cast.cti_a_manager, measurement=measurement)
    with pytest.raises(ServiceError) as refused:
        services.measurement_validate(actor=cast.cti_a_manager, measurement=measurement)
    assert refused.value.status == 403
    measurement.refresh_from_db()
    assert measurement.status == MeasurementStatus.SUBMITTED


def test_staff_record_but_only_the_manager_submits(cast, kpi):
    measurement = record(cast, kpi, value=Decimal(5))
    with pytest.raises(ServiceError):
        services.measurement_submit(actor=cast.cti_a_staff, measurement=measurement)


def test_another_ctis_staff_cannot_record_or_see(cast, kpi):
    indicator, period = kpi
    with pytest.raises(ServiceError):
        services.measurement_record(
            actor=cast.cti_b_staff, indicator=indicator, period=period, organisation=cast.cti_a,
            value=Decimal(1),
        )  # fmt: skip
    assert not Measurement.objects.exists()


def test_a_cti_cannot_file_a_value_for_another_cti_on_its_own_indicator(cast, kpi):
    indicator, period = kpi
    with pytest.raises(ServiceError):
        services.measurement_record(
            actor=cast.cti_a_staff, indicator=indicator, period=period, organisation=cast.cti_b,
            value=Decimal(1),
        )  # fmt: skip
    assert not Measurement.objects.exists()


def test_returning_needs_a_reason(cast, kpi):
    measurement = record(cast, kpi, value=Decimal(5))
    services.measurement_submit(actor=cast.cti_a_manager, measurement=measurement)
    with pytest.raises(ServiceError):
        services.measurement_return(actor=cast.officer, measurement=measurement, reason="")


@pytest.mark.parametrize(
    "kind, values, field",
    [
        ("count", {"value": Decimal("2.5")}, "value"),
        ("count", {"value": Decimal(-1)}, "value"),
        ("count", {}, "value"),
        ("money", {"value": Decimal("10.001")}, "value"),
        ("percentage", {"numerator": Decimal(3)}, "denominator"),
        ("percentage", {"numerator": Decimal(3), "denominator": Decimal(0)}, "denominator"),
    ],
)
def test_values_are_typed_by_the_indicator_kind(cast, kind, values, field):
    indicator = contract_indicator(cast.cti_a, kind=kind)
    with pytest.raises(ServiceError) as refused:
        services.measurement_record(
            actor=cast.cti_a_staff, indicator=indicator, period=period_for(indicator),
            organisation=cast.cti_a, **values,
        )  # fmt: skip
    assert field in refused.value.field_errors
    assert not Measurement.objects.exists()


def test_a_closed_period_takes_no_new_value(cast):
    indicator = contract_indicator(cast.cti_a)
    with pytest.raises(ServiceError) as refused:
        services.measurement_record(
            actor=cast.cti_a_staff, indicator=indicator, period=period_for(indicator, is_open=False),
            organisation=cast.cti_a, value=Decimal(1),
        )  # fmt: skip
    assert "period" in refused.value.field_errors


def test_a_submission_records_the_target_version_in_force(cast, kpi):
    from pilotage.programmes.models import Amendment

    indicator, _period = kpi
    Target.objects.create(indicator=indicator, year=2024, value=Decimal(100))
    amendment = Amendment.objects.create(
        agreement=indicator.objective.agreement, number=1, kind="targets",
        signed_on="2024-06-01", reason="révision",
    )  # fmt: skip
    revised = Target.objects.create(
        indicator=indicator, year=2024, value=Decimal(80), amendment=amendment
    )
    measurement = record(cast, kpi, value=Decimal(90))
    services.measurement_submit(actor=cast.cti_a_manager, measurement=measurement)
    measurement.refresh_from_db()
    assert measurement.target == revised
