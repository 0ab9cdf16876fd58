"""Odd input found by fuzzing answers 400 or 422 with a message, never a 500: a huge offset or
id, a year out of range, a NUL character, a digit of another script, a JSON array for an object."""

import pytest
from django.test import Client

from pilotage.core.tests.factories import api_token

HUGE = "1" + "0" * 30


@pytest.fixture
def api(cast):
    token = api_token(cast.officer)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/deliveries?offset={HUGE}", f"/api/v1/companies?offset={HUGE}",
        f"/api/v1/fund/entries?offset={HUGE}", "/api/v1/deliveries?limit=0",
        "/api/v1/deliveries?offset=-1", "/api/v1/deliveries?year=-1",
        "/api/v1/deliveries?year=99999",
        f"/api/v1/deliveries/{HUGE}", f"/api/v1/organisations/{HUGE}",
        "/api/v1/companies?q=a%00b", "/api/v1/deliveries?category=%00",
    ],
)  # fmt: skip
def test_the_api_answers_odd_parameters_with_a_422_and_its_error_body(api, path):
    response = api.get(path)
    assert response.status_code in (404, 422), (path, response.status_code)
    if response.status_code == 422:
        assert response.json()["code"] == "invalid" and response.json()["message"]


def test_the_public_catalogue_api_refuses_a_huge_offset_to_anyone(db):
    response = Client().get(f"/api/v1/catalogue?offset={HUGE}")
    assert response.status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/deliveries/?year=-1", "/deliveries/?year=99999", "/fund/journal/?year=99999",
        "/deliveries/?q=a%00b", f"/deliveries/?cti={HUGE}", "/catalogue/?q=a%00b",
        f"/catalogue/?cti={HUGE}", "/catalogue/?cti=%C2%B2",
    ],
)  # fmt: skip
def test_pages_answer_odd_parameters_without_a_server_error(cast, client_for, path):
    response = client_for(cast.officer).get(path)
    assert response.status_code in (200, 400), (path, response.status_code)
    if response.status_code == 400:
        assert "caractères nuls" in response.content.decode()


def test_a_json_array_where_an_object_is_expected_is_a_422(api, cast):
    response = api.patch(
        f"/api/v1/organisations/{cast.cti_a.pk}",
        '[{"city": "Fès"}]',
        content_type="application/json",
    )
    assert response.status_code == 422
    cast.cti_a.refresh_from_db()
    assert cast.cti_a.city != "Fès"


def test_a_nul_character_in_a_json_body_is_a_422(api, cast):
    response = api.patch(
        f"/api/v1/organisations/{cast.cti_a.pk}",
        '{"city": "F\\u0000s", "reason": "x"}',
        content_type="application/json",
    )
    assert response.status_code == 422
