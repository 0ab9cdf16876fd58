"""Setting up the framework (ministry) and the lists everyone reads and exports."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pilotage.core.errors import ServiceError
from pilotage.programmes.models import Amendment
from pilotage.results import services
from pilotage.results.models import Indicator, Measurement, Target
from pilotage.results.tests.factories import contract_indicator, period_for


def test_an_officer_defines_an_indicator_with_its_full_sheet(cast, client_for):
    objective = contract_indicator(cast.cti_a).objective
    response = client_for(cast.officer).post(
        reverse("results:indicator_create"),
        {"objective": objective.pk, "code": "ENC", "name": "Taux d'encadrement",
         "definition": "Cadres et ingénieurs / effectif", "unit": "%", "kind": "percentage",
         "numerator_label": "Cadres", "denominator_label": "Effectif", "direction": "up",
         "aggregation": "cumulative_latest", "source": "manual", "baseline_value": "35,5",
         "baseline_year": 2022, "reason": "contrat"},
    )  # fmt: skip
    indicator = Indicator.objects.get(code="ENC")
    assert response.status_code == 302 and indicator.baseline_value == Decimal("35.5")
    assert (
        "Cadres" in client_for(cast.cti_a_staff).get(indicator.get_absolute_url()).content.decode()
    )


def test_a_percentage_needs_its_denominator(cast, client_for):
    objective = contract_indicator(cast.cti_a).objective
    response = client_for(cast.officer).post(
        reverse("results:indicator_create"),
        {"objective": objective.pk, "code": "X", "name": "X", "definition": "x", "unit": "%",
         "kind": "percentage", "direction": "up", "aggregation": "sum", "source": "manual"},
    )  # fmt: skip
    assert response.status_code == 422 and not Indicator.objects.filter(code="X").exists()


def test_a_computed_indicator_adds_up_its_periods(cast, client_for):
    """Its quarters count each company once (where first served): only a sum reads them right."""
    objective = contract_indicator(cast.cti_a).objective
    sheet = {"objective": objective.pk, "code": "ENT", "name": "Entreprises servies",
             "definition": "ICE distincts", "unit": "entreprises", "kind": "count",
             "direction": "up", "source": "computed", "computation": "companies_served"}  # fmt: skip
    client = client_for(cast.officer)
    refused = client.post(
        reverse("results:indicator_create"), {**sheet, "aggregation": "cumulative_latest"}
    )
    assert refused.status_code == 422 and not Indicator.objects.filter(code="ENT").exists()
    assert "aggregation" in refused.context["form"].errors
    client.post(reverse("results:indicator_create"), {**sheet, "aggregation": "sum"})
    indicator = Indicator.objects.get(code="ENT")
    with pytest.raises(ServiceError) as later:
        services.indicator_update(actor=cast.officer, indicator=indicator, aggregation="max")
    assert "aggregation" in later.value.field_errors


def test_ctis_do_not_define_indicators(cast, client_for):
    assert (
        client_for(cast.cti_a_manager).get(reverse("results:indicator_create")).status_code == 403
    )


def test_targets_are_set_once_then_versioned_by_amendments(cast):
    indicator = contract_indicator(cast.cti_a)
    services.target_set(actor=cast.officer, indicator=indicator, year=2024, value=Decimal(100))
    with pytest.raises(ServiceError):
        services.target_set(actor=cast.officer, indicator=indicator, year=2024, value=Decimal(90))
    amendment = Amendment.objects.create(
        agreement=indicator.objective.agreement, number=1, kind="targets",
        signed_on=datetime.date(2024, 6, 1), reason="révision",
    )  # fmt: skip
    services.target_set(
        actor=cast.officer, indicator=indicator, year=2024, value=Decimal(90), amendment=amendment
    )
    assert list(Target.objects.filter(indicator=indicator).values_list("value", flat=True)) == [
        Decimal(100), Decimal(90),
    ]  # fmt: skip


def test_the_kind_cannot_change_once_values_exist(cast):
    indicator = contract_indicator(cast.cti_a)
    Measurement.objects.create(
        indicator=indicator, period=period_for(indicator), organisation=cast.cti_a, value=Decimal(1)
    )
    with pytest.raises(ServiceError):
        services.indicator_update(actor=cast.officer, indicator=indicator, kind="money")


def test_the_values_list_is_scoped_and_exports_what_is_filtered(cast, client_for):
    for cti in (cast.cti_a, cast.cti_b):
        indicator = contract_indicator(cti)
        Measurement.objects.create(
            indicator=indicator, period=period_for(indicator), organisation=cti, value=Decimal(7)
        )
    page = client_for(cast.cti_a_staff).get(reverse("results:measurement_list"))
    assert [m.organisation for m, _cells in page.context["rows"]] == [cast.cti_a]
    export = client_for(cast.officer).get(
        reverse("results:measurement_list"), {"organisation": cast.cti_b.pk, "export": "xlsx"}
    )
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert len(rows) == 2 and rows[1][2] == "CETIEV"
