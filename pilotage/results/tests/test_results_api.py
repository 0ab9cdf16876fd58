"""The reporting workflow through the API, with personal tokens."""

from decimal import Decimal

from pilotage.core.tests.factories import api_token
from pilotage.results.models import Measurement
from pilotage.results.tests.factories import contract_indicator, period_for


def bearer(user):
    return {"Authorization": f"Bearer {api_token(user)}"}


def test_record_submit_return_resubmit_validate(cast, client):
    indicator = contract_indicator(cast.cti_a)
    period = period_for(indicator)
    staff, manager, officer = (
        bearer(cast.cti_a_staff),
        bearer(cast.cti_a_manager),
        bearer(cast.officer),
    )
    body = {"indicator_id": indicator.pk, "period_id": period.pk, "organisation_id": cast.cti_a.pk}

    created = client.post(
        "/api/v1/measurements",
        {**body, "value": "12"},
        content_type="application/json",
        headers=staff,
    )
    assert created.status_code == 200, created.content
    pk = created.json()["id"]
    assert (
        client.post(f"/api/v1/measurements/{pk}/submit", headers=manager).json()["status"]
        == "submitted"
    )
    returned = client.post(
        f"/api/v1/measurements/{pk}/return", {"reason": "preuve ?"}, content_type="application/json",
        headers=officer,
    )  # fmt: skip
    assert returned.json()["status"] == "returned"
    client.post(
        "/api/v1/measurements",
        {**body, "value": "13"},
        content_type="application/json",
        headers=staff,
    )
    client.post(f"/api/v1/measurements/{pk}/submit", headers=manager)
    validated = client.post(f"/api/v1/measurements/{pk}/validate", headers=officer).json()
    assert (validated["status"], validated["value"]) == ("validated", "13.0000")


def test_text_instead_of_a_number_is_a_422_on_the_field(cast, client):
    indicator = contract_indicator(cast.cti_a)
    response = client.post(
        "/api/v1/measurements",
        {"indicator_id": indicator.pk, "period_id": period_for(indicator).pk,
         "organisation_id": cast.cti_a.pk, "value": "N/A"},
        content_type="application/json", headers=bearer(cast.cti_a_staff),
    )  # fmt: skip
    assert response.status_code == 422 and "value" in response.json()["errors"]
    assert not Measurement.objects.exists()


def test_another_cti_sees_nothing_and_cannot_file_against_a_foreign_indicator(cast, client):
    indicator = contract_indicator(cast.cti_a)
    period = period_for(indicator)
    Measurement.objects.create(
        indicator=indicator, period=period, organisation=cast.cti_a, value=Decimal(1)
    )
    headers = bearer(cast.cti_b_staff)
    assert client.get("/api/v1/measurements", headers=headers).json()["count"] == 0
    response = client.post(
        "/api/v1/measurements",
        {"indicator_id": indicator.pk, "period_id": period.pk, "organisation_id": cast.cti_b.pk,
         "value": "5"},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert response.status_code == 404
    assert Measurement.objects.count() == 1


def test_the_ministry_sets_up_indicators_targets_and_periods_through_the_api(cast, client):
    from pilotage.results.models import Indicator, Target

    objective = contract_indicator(cast.cti_a).objective
    officer = bearer(cast.officer)
    created = client.post(
        "/api/v1/indicators",
        {"objective": objective.pk, "code": "CA", "name": "Chiffre d'affaires", "definition": "CA HT",
         "unit": "MAD", "kind": "money", "baseline_value": "1 200 000,50", "reason": "contrat"},
        content_type="application/json", headers=officer,
    )  # fmt: skip
    assert created.status_code == 201, created.content
    indicator = Indicator.objects.get(code="CA")
    assert indicator.baseline_value == Decimal("1200000.50")
    target = client.post(
        f"/api/v1/indicators/{indicator.pk}/targets", {"year": 2024, "value": "1500000"},
        content_type="application/json", headers=officer,
    )  # fmt: skip
    assert target.status_code == 201 and Target.objects.get(indicator=indicator).value == 1500000
    period = client.post(
        "/api/v1/periods",
        {"programme": objective.programme_id, "year": 2026, "opens_on": "2027-01-01",
         "closes_on": "2027-03-31"},
        content_type="application/json", headers=officer,
    )  # fmt: skip
    assert period.status_code == 201


def test_ctis_cannot_define_indicators_through_the_api(cast, client):
    objective = contract_indicator(cast.cti_a).objective
    response = client.post(
        "/api/v1/indicators",
        {"objective": objective.pk, "code": "X", "name": "X", "definition": "x", "unit": "u",
         "kind": "count"},
        content_type="application/json", headers=bearer(cast.cti_a_manager),
    )  # fmt: skip
    assert response.status_code == 403


def test_objectives_are_listed_by_visibility(cast, client):
    from pilotage.results.models import Objective

    ours, theirs = (
        contract_indicator(cast.cti_a).objective,
        contract_indicator(cast.cti_b).objective,
    )
    shared = Objective.objects.create(programme=ours.programme, code="OG-1", title="Global")
    body = client.get("/api/v1/objectives", headers=bearer(cast.cti_a_staff)).json()
    assert {o["id"] for o in body["items"]} == {ours.pk, shared.pk}
    assert theirs.pk not in {o["id"] for o in body["items"]}
