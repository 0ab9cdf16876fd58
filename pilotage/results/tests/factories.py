import datetime
from decimal import Decimal

import factory

from pilotage.core.testing import create_body, owned_object_factory
from pilotage.programmes.models import PartyRole
from pilotage.programmes.tests.factories import ProgrammeFactory, agreement_with
from pilotage.results.models import (
    Evidence,
    Indicator,
    Measurement,
    MeasurementEvent,
    Objective,
    ReportingPeriod,
    Target,
)


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ("programme", "year", "part")

    programme = factory.SubFactory(ProgrammeFactory)
    year = 2024
    part = 0
    opens_on = datetime.date(2025, 1, 1)
    closes_on = datetime.date(2025, 3, 31)


def contract_indicator(cti, kind="count", aggregation="sum", **fields) -> Indicator:
    """An indicator of a contrat-objectifs between the ministry and `cti`."""
    from pilotage.core.models import Organisation

    ministry = Organisation.objects.filter(kind="ministry").first()
    parties = [cti] + ([ministry] if ministry else [])
    agreement = agreement_with(*parties, role=PartyRole.SIGNATORY)
    objective = Objective.objects.create(
        programme=agreement.programme,
        agreement=agreement,
        code=f"OS-{agreement.pk}",
        title="Servir",
    )
    defaults = {"code": "KPI-1", "name": "Entreprises servies", "definition": "ICE distincts",
                "unit": "entreprises", "kind": kind, "aggregation": aggregation}  # fmt: skip
    if kind == "percentage":
        defaults.update(numerator_label="Cadres", denominator_label="Effectif")
    defaults.update(fields)
    return Indicator.objects.create(objective=objective, **defaults)


def period_for(indicator: Indicator, year: int = 2024, **fields) -> ReportingPeriod:
    return ReportingPeriodFactory(programme=indicator.objective.programme, year=year, **fields)


@owned_object_factory(Objective)
def _owned_objective(cti):
    return contract_indicator(cti).objective


@owned_object_factory(Indicator)
def _owned_indicator(cti):
    return contract_indicator(cti)


@owned_object_factory(Target)
def _owned_target(cti):
    return Target.objects.create(indicator=contract_indicator(cti), year=2024, value=Decimal(100))


@owned_object_factory(Measurement)
def _owned_measurement(cti):
    indicator = contract_indicator(cti)
    return Measurement.objects.create(
        indicator=indicator, period=period_for(indicator), organisation=cti, value=Decimal(10)
    )


@owned_object_factory(MeasurementEvent)
def _owned_event(cti):
    return MeasurementEvent.objects.create(
        measurement=_owned_measurement(cti), kind="saved", status_after="draft"
    )


@owned_object_factory(ReportingPeriod)
def _owned_period(cti):
    return ReportingPeriodFactory()


@owned_object_factory(Evidence)
def _owned_evidence(cti):
    from django.core.files.base import ContentFile

    evidence = Evidence(
        measurement=_owned_measurement(cti), title="Attestation", sha256="0" * 64, size=4
    )
    evidence.file.save("attestation.pdf", ContentFile(b"%PDF-1.7"), save=False)
    evidence.save()
    return evidence


@create_body("POST /api/v1/measurements", Measurement)
def _measurement_body(cti):
    indicator = contract_indicator(cti)
    period = period_for(indicator, is_open=True)
    return {"indicator_id": indicator.pk, "period_id": period.pk, "organisation_id": cti.pk,
            "value": "12"}  # fmt: skip
