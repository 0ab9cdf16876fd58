"""The access matrix (DESIGN §5): every page route and API operation that takes an object id,
for every role outside CTI A, with an object belonging to CTI A: it is neither shown nor changed.

New apps are covered by registering an `@owned_object_factory` for their models (core/testing.py).
"""

import pytest
from django.urls import reverse

from pilotage.api.api import api
from pilotage.core import access
from pilotage.core.testing import api_operations, object_routes, owned_object, sign_in, snapshot
from pilotage.core.tests.factories import api_token

# People who must never change CTI A's rows; none of them belongs to CTI A.
OUTSIDERS = [
    "cti_b_manager", "cti_b_staff", "federation_viewer", "cid_manager", "partner_viewer",
    "committee", "auditor",
]  # fmt: skip
GLOBAL_READERS = {"committee", "auditor"}
ROUTES = object_routes()
OPERATIONS = api_operations(api)
WRITE_METHODS = {"post", "put", "patch", "delete"}


def _may_read(person: str, model) -> bool:
    """What the matrix expects, from the rule's declared flags rather than the filtering code."""
    rule = access.rule_for(model)
    # A Q-valued `public` publishes some rows only: the factories make unpublished ones.
    return (
        rule.directory or rule.public is True or (person in GLOBAL_READERS and bool(rule.readers))
    )


def test_the_matrix_covers_the_routes_that_take_ids():
    names = {route.name for route in ROUTES}
    assert {"core:organisation_detail", "core:organisation_edit", "core:user_detail"} <= names
    assert any(op.path.endswith("{organisation_id}") for op in OPERATIONS)


@pytest.mark.parametrize("person", OUTSIDERS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_pages_neither_show_nor_change_another_ctis_object(cast, client, person, route):
    user = getattr(cast, person)
    obj = owned_object(route.model, cast.cti_a)
    before = snapshot(obj)
    sign_in(client, user)
    url = reverse(route.name, kwargs={route.kwarg: obj.pk})

    shown = client.get(url)
    if not _may_read(person, route.model):
        assert shown.status_code in (404, 405), f"{person} GET {url}: {shown.status_code}"

    changed = client.post(url, {"reason": "matrix", "name": "Hijacked", "role": "cti_manager"})
    assert changed.status_code in (403, 404, 405), f"{person} POST {url}: {changed.status_code}"
    assert snapshot(obj) == before


@pytest.mark.parametrize("person", OUTSIDERS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: f"{o.method} {o.path}")
def test_api_neither_shows_nor_changes_another_ctis_object(cast, client, person, operation):
    obj = owned_object(operation.model, cast.cti_a)
    before = snapshot(obj)
    path = operation.path.replace("{" + operation.param + "}", str(obj.pk))
    headers = {"Authorization": f"Bearer {api_token(getattr(cast, person))}"}

    if operation.method == "get":
        response = client.get(path, headers=headers)
        if not _may_read(person, operation.model):
            assert response.status_code == 404, f"{person} GET {path}: {response.status_code}"
        return
    # A body a ministry officer could send successfully: the object's own representation where
    # the path also reads, else a structurally valid placeholder.
    officer_headers = {"Authorization": f"Bearer {api_token(cast.officer, 'officer')}"}
    current = client.get(path, headers=officer_headers)
    body = dict(operation.placeholder)
    if current.status_code == 200 and isinstance(current.json(), dict):
        body.update({k: v for k, v in current.json().items() if k in operation.body_fields})
    body.update(name="Hijacked", reason="matrix")
    response = getattr(client, operation.method)(
        path, body, content_type="application/json", headers=headers
    )
    assert response.status_code in (403, 404), f"{person} {operation.method} {path}"
    assert snapshot(obj) == before


def test_the_same_write_succeeds_for_a_ministry_officer(cast, client):
    """The matrix's payloads are valid: refusals above come from access, not from bad input."""
    headers = {"Authorization": f"Bearer {api_token(cast.officer)}"}
    path = f"/api/v1/organisations/{cast.cti_a.pk}"
    body = client.get(path, headers=headers).json()
    body.update(name="Renamed by the officer", reason="matrix control")
    response = client.put(path, body, content_type="application/json", headers=headers)
    assert response.status_code == 200, response.content
    cast.cti_a.refresh_from_db()
    assert cast.cti_a.name == "Renamed by the officer"
