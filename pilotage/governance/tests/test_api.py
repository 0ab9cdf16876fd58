"""Governance API: reads for everyone signed in, writes for ministry roles, same validation as
the pages, and the numbering the fund relies on."""

import pytest
from django.urls import reverse

from pilotage.api.api import api
from pilotage.core.testing import api_operations, object_routes, owned_object, sign_in, snapshot
from pilotage.core.tests.factories import api_token
from pilotage.governance.models import Committee, Decision, Meeting, Recommendation
from pilotage.governance.tests.factories import (
    CommitteeFactory,
    DecisionFactory,
    EvaluationFactory,
    MeetingFactory,
    RecommendationFactory,
)

GOVERNANCE_MODELS = {"governance"}
# Everyone who is not a ministry role — including CTI A's own people, whom the core matrix
# does not try (it checks rows that *belong* to CTI A): governance belongs to no one.
NON_MINISTRY = [
    "committee", "cti_a_manager", "cti_a_staff", "cti_b_staff", "federation_viewer",
    "cid_manager", "partner_viewer", "auditor",
]  # fmt: skip
ROUTES = [r for r in object_routes() if r.model._meta.app_label in GOVERNANCE_MODELS]
OPERATIONS = [
    op for op in api_operations(api)
    if op.model._meta.app_label in GOVERNANCE_MODELS and op.method != "get"
]  # fmt: skip


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(user)}"}


pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(cast_once):
    """Built once for the module: its matrices run a few hundred cases."""
    return cast_once


def test_every_signed_in_user_reads_the_register(cast, client):
    DecisionFactory(owner=cast.cti_a)
    body = client.get("/api/v1/decisions", headers=bearer(cast.partner_viewer)).json()
    assert body["count"] == 1
    assert body["items"][0]["is_overdue"] is False


def test_an_officer_creates_a_numbered_decision_through_the_api(cast, client):
    meeting = MeetingFactory(committee=CommitteeFactory(code="FACET"))
    payload = {
        "committee": meeting.committee_id, "meeting": meeting.pk, "kind": "reallocation",
        "title": "Redéploiement", "text": "Autorisé.", "owner": cast.ministry.pk,
        "due_on": "2024-12-31", "reason": "PV",
    }  # fmt: skip
    response = client.post(
        "/api/v1/decisions", payload, content_type="application/json", headers=bearer(cast.officer)
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"] == "FACET-2024-01"
    assert response.json()["decided_on"] == "2024-07-10"
    found = client.get(
        "/api/v1/decisions", {"q": "FACET-2024-01"}, headers=bearer(cast.cti_a_staff)
    ).json()
    assert [d["number"] for d in found["items"]] == ["FACET-2024-01"]


def test_bad_input_is_a_422_with_field_errors_and_saves_nothing(cast, client):
    committee = CommitteeFactory()
    payload = {"committee": committee.pk, "decided_on": "31/31/2024", "kind": "nope",
               "title": "", "text": "x"}  # fmt: skip
    response = client.post(
        "/api/v1/decisions", payload, content_type="application/json", headers=bearer(cast.officer)
    )
    assert response.status_code == 422
    assert {"decided_on", "kind", "title"} <= set(response.json()["errors"])
    assert not Decision.objects.exists()

    missing = client.post(
        "/api/v1/meetings", {"committee": committee.pk}, content_type="application/json",
        headers=bearer(cast.officer),
    )  # fmt: skip
    assert missing.status_code == 422
    assert {"date", "agenda"} <= set(missing.json()["errors"])
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("person", NON_MINISTRY)
def test_non_ministry_users_create_nothing_through_the_api(cast, client, person):
    committee = CommitteeFactory()
    evaluation = EvaluationFactory()
    headers = bearer(getattr(cast, person))
    bodies = {
        "/api/v1/committees": {"code": "NEW", "name": "Nouveau"},
        "/api/v1/meetings": {"committee": committee.pk, "date": "2024-01-01", "agenda": "x"},
        "/api/v1/decisions": {"committee": committee.pk, "decided_on": "2024-01-01",
                              "kind": "other", "title": "x", "text": "x"},
        "/api/v1/evaluations": {"title": "x", "evaluator": "x", "delivered_on": "2024-01-01"},
        "/api/v1/recommendations": {"evaluation": evaluation.pk, "text": "x",
                                    "response": "accepted"},
    }  # fmt: skip
    for path, body in bodies.items():
        response = client.post(path, body, content_type="application/json", headers=headers)
        assert response.status_code == 403, f"{person} POST {path}: {response.status_code}"
    assert Committee.objects.count() == 1
    assert not (Meeting.objects.exists() or Decision.objects.exists())
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("person", NON_MINISTRY)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: f"{o.method} {o.path}")
def test_non_ministry_users_change_nothing_through_the_api(cast, client, person, operation):
    obj = owned_object(operation.model, cast.cti_a)
    before = snapshot(obj)
    path = operation.path.replace("{" + operation.param + "}", str(obj.pk))
    current = client.get(path, headers=bearer(cast.officer))
    body = dict(operation.placeholder)
    if current.status_code == 200 and isinstance(current.json(), dict):
        body.update({k: v for k, v in current.json().items() if k in operation.body_fields})
    body.update(reason="matrix")
    response = getattr(client, operation.method)(
        path, body, content_type="application/json", headers=bearer(getattr(cast, person))
    )
    assert response.status_code == 403, f"{person} {operation.method} {path}"
    assert snapshot(obj) == before


@pytest.mark.parametrize("person", ["cti_a_manager", "cti_a_staff"])
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_ctis_own_people_change_nothing_through_the_pages(cast, client, person, route):
    """The core matrix tries outsiders only; governance rows are no CTI's, so try CTI A too."""
    obj = owned_object(route.model, cast.cti_a)
    before = snapshot(obj)
    sign_in(client, getattr(cast, person))
    url = reverse(route.name, kwargs={route.kwarg: obj.pk})
    assert client.get(url).status_code in (200, 403, 405)
    changed = client.post(url, {"reason": "matrix", "title": "Hijacked", "status": "done"})
    assert changed.status_code in (403, 405), f"{person} POST {url}: {changed.status_code}"
    assert snapshot(obj) == before


def test_the_matrix_payloads_succeed_for_an_officer(cast, client):
    """The refusals above come from access, not from bad input."""
    decision = DecisionFactory()
    headers = bearer(cast.officer)
    path = f"/api/v1/decisions/{decision.pk}"
    body = client.get(path, headers=headers).json()
    body.update(title="Redéploiement corrigé", reason="matrix control")
    response = client.put(path, body, content_type="application/json", headers=headers)
    assert response.status_code == 200, response.content
    decision.refresh_from_db()
    assert decision.title == "Redéploiement corrigé"


def test_progress_and_follow_up_through_the_api(cast, client):
    recommendation = RecommendationFactory()
    headers = bearer(cast.officer)
    note = client.post(
        f"/api/v1/recommendations/{recommendation.pk}/notes",
        {"noted_on": "2024-03-01", "text": "Lancé.", "status_after": "in_progress"},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert note.status_code == 201, note.content
    detail = client.get(f"/api/v1/recommendations/{recommendation.pk}", headers=headers).json()
    assert (detail["status"], detail["note_count"]) == ("in_progress", 1)

    decision = DecisionFactory()
    follow_up = client.post(
        f"/api/v1/decisions/{decision.pk}/follow-up",
        {"status": "cancelled", "note": ""}, content_type="application/json", headers=headers,
    )  # fmt: skip
    assert follow_up.status_code == 422
    assert "reason" in follow_up.json()["errors"]
