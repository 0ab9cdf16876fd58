"""The organisations API: token and session auth, filters, writes for ministry roles, errors."""

import pytest

from pilotage.core.models import Organisation
from pilotage.core.tests.factories import api_token

BASE = "/api/v1/organisations"


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(user)}"}


def test_an_unknown_token_gets_401(cast, client):
    response = client.get(BASE, headers={"Authorization": "Bearer pct_nope_nope"})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_no_credentials_gets_401(client):
    assert client.get(BASE).status_code == 401


def test_a_signed_in_browser_session_works(cast, client_for):
    response = client_for(cast.cti_a_staff).get(BASE, {"kind": "cti"})
    assert response.status_code == 200
    assert {o["acronym"] for o in response.json()["items"]} == {"CTPC", "CETIEV"}


def test_it_lists_with_the_same_filters_as_the_page(cast, client):
    response = client.get(BASE, {"q": "plasturgie"}, headers=bearer(cast.cti_b_staff))
    body = response.json()
    assert body["count"] == 1 and body["items"][0]["acronym"] == "CTPC"
    assert body["items"][0]["federations"] == [cast.federation_a.pk]


def test_the_list_runs_a_constant_number_of_queries(cast, client, django_assert_max_num_queries):
    from pilotage.core.tests.factories import OrganisationFactory

    headers = bearer(cast.officer)
    with django_assert_max_num_queries(10) as baseline:
        client.get(BASE, headers=headers)
    OrganisationFactory.create_batch(20)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(BASE, headers=headers)


def test_an_unknown_id_is_404(cast, client):
    assert client.get(f"{BASE}/999999", headers=bearer(cast.officer)).status_code == 404


def test_an_officer_creates_and_patches(cast, client):
    headers = bearer(cast.officer)
    created = client.post(
        BASE,
        {"name": "Centre Technique Test", "acronym": "CTT", "kind": "cti",
         "federations": [cast.federation_a.pk], "reason": "API test"},
        content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    patched = client.patch(
        f"{BASE}/{pk}", {"city": "Fès", "reason": "moved"}, content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert patched.status_code == 200 and patched.json()["city"] == "Fès"
    assert patched.json()["federations"] == [cast.federation_a.pk]
    history = client.get(f"{BASE}/{pk}/history", headers=headers).json()
    assert history[0]["reason"] == "moved"
    assert history[0]["changes"] == [{"field": "city", "old": "Casablanca", "new": "Fès"}] or (
        history[0]["changes"] == [{"field": "city", "old": "", "new": "Fès"}]
    )
    assert history[0]["user"] == str(cast.officer)


@pytest.mark.parametrize("person", ["cti_a_manager", "auditor", "partner_viewer"])
def test_only_ministry_roles_create(cast, client, person):
    response = client.post(
        BASE, {"name": "X", "acronym": "X", "kind": "cti"}, content_type="application/json",
        headers=bearer(getattr(cast, person)),
    )  # fmt: skip
    assert response.status_code == 403
    assert not Organisation.objects.filter(acronym="X").exists()


def test_invalid_data_gets_field_messages_in_the_callers_language(cast, client):
    cast.officer.preferred_language = "fr"
    cast.officer.save()
    response = client.post(
        BASE, {"name": "", "acronym": "CTPC", "kind": "bank"}, content_type="application/json",
        headers=bearer(cast.officer),
    )  # fmt: skip
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["name"] == ["Ce champ est obligatoire."]
    assert set(errors) >= {"name", "acronym", "kind"}


def test_a_wrongly_typed_body_is_422_with_field_messages(cast, client):
    response = client.post(
        BASE, {"name": "X", "acronym": "X", "kind": "cti", "federations": "FMP"},
        content_type="application/json", headers=bearer(cast.officer),
    )  # fmt: skip
    assert response.status_code == 422
    assert "federations" in response.json()["errors"]


def test_english_when_the_caller_chose_english(cast, client):
    cast.officer.preferred_language = "en"
    cast.officer.save()
    response = client.post(
        BASE, {"name": "", "acronym": "Y", "kind": "cti"}, content_type="application/json",
        headers=bearer(cast.officer),
    )  # fmt: skip
    assert response.json()["errors"]["name"] == ["This field is required."]


def test_me_tells_who_i_am_and_my_roles(cast, client):
    body = client.get("/api/v1/me", headers=bearer(cast.cti_a_manager)).json()
    assert body["email"] == cast.cti_a_manager.email
    assert body["memberships"] == [
        {"organisation_id": cast.cti_a.pk, "organisation": "CTPC", "role": "cti_manager"}
    ]


def test_the_openapi_document_and_docs_work_offline(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and "/api/v1/organisations" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower() and b"/static/ninja/swagger-ui" in docs.content


@pytest.mark.parametrize(
    "acronym, kind",
    [("FMP", "partner"), ("CTPC", "cid")],  # a federation co-managing a CTI; a CTI with CTI staff
)
def test_a_kind_change_must_fit_what_hangs_on_the_organisation(cast, client, acronym, kind):
    organisation = Organisation.objects.get(acronym=acronym)
    organisation.federations.clear()  # so only the rule under test can refuse
    response = client.patch(
        f"{BASE}/{organisation.pk}", {"kind": kind}, content_type="application/json",
        headers=bearer(cast.officer),
    )  # fmt: skip
    assert response.status_code == 409
    assert response.json()["errors"]["kind"]
    organisation.refresh_from_db()
    assert organisation.kind != kind


def test_a_bad_list_item_is_reported_on_its_field(cast, client):
    response = client.post(
        BASE, {"name": "X", "acronym": "X", "kind": "cti", "federations": ["abc"]},
        content_type="application/json", headers=bearer(cast.officer),
    )  # fmt: skip
    assert list(response.json()["errors"]) == ["federations"]


def test_a_bad_filter_is_a_422_on_its_field(cast, client):
    response = client.get(BASE, {"kind": "bogus"}, headers=bearer(cast.officer))
    assert response.status_code == 422 and "kind" in response.json()["errors"]


def test_the_reason_is_limited_as_on_the_page(cast, client):
    response = client.patch(
        f"{BASE}/{cast.cti_a.pk}", {"city": "Fès", "reason": "x" * 501},
        content_type="application/json", headers=bearer(cast.officer),
    )  # fmt: skip
    assert response.status_code == 422 and "reason" in response.json()["errors"]
