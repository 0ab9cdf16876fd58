"""The action matrix: every declared action is the written policy's, and every resource step that
names one is tried by every person of the cast on CTI A's row, page and API alike. Those the
action leaves out are refused with its message and change nothing; those it names are not refused
for lack of rights (the step may still say the row is not ready for it)."""

import pytest
from django.urls import reverse

from pilotage.api.api import api
from pilotage.core import access
from pilotage.core.testing import (
    api_operations,
    declared_resources,
    owned_object,
    sign_in,
    snapshot,
)
from pilotage.core.tests import policy
from pilotage.core.tests.factories import api_token

pytestmark = pytest.mark.django_db
PEOPLE = [
    "admin", "officer", "committee", "auditor", "cti_a_manager", "cti_a_staff", "cti_b_manager",
    "cti_b_staff", "federation_viewer", "cid_manager", "partner_viewer",
]  # fmt: skip
STEPS = [
    (resource, step)
    for resource in declared_resources()
    for step in resource.steps
    if step.action is not None
]
# A structurally valid body for each step's API route (from its schema), so that a refusal can
# only come from the action.
BODIES = {
    op.path: {**op.placeholder, "reason": "Action matrix check"}
    for op in api_operations(api)
    if op.method == "post"
}


@pytest.fixture
def cast(cast_once):
    return cast_once


def test_the_declared_actions_are_the_written_policy():
    declared = {
        (model._meta.label_lower, name): set(action.roles)
        for (model, name), action in access.declared_actions().items()
    }
    assert declared == policy.ACTIONS


def test_the_matrix_has_steps_to_try():
    assert {step.action for _resource, step in STEPS} >= {"submit", "review", "revise"}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("resource,step", STEPS, ids=lambda x: getattr(x, "url_name", ""))
def test_a_step_is_taken_by_its_actions_roles_only(cast, client, person, resource, step):
    user = getattr(cast, person)
    obj = owned_object(resource.model, cast.cti_a)
    before = snapshot(obj)
    label = resource.model._meta.label_lower
    allowed = bool(access.roles_of(user) & policy.ACTIONS[(label, step.action)])
    seen = access.can_view(user, obj)
    refusal = str(access.declared_actions()[(resource.model, step.action)].refusal)

    route = f"/api/v1/{resource.api_path}/{{{resource.id_param}}}/{step.segment}"
    body = BODIES[route]
    answer = client.post(
        route.replace(f"{{{resource.id_param}}}", str(obj.pk)), body,
        content_type="application/json", headers={"Authorization": f"Bearer {api_token(user)}"},
    )  # fmt: skip
    if not seen:
        assert answer.status_code == 404, f"{person}: {answer.status_code}"
    elif not allowed:
        assert answer.status_code == 403 and answer.json()["message"] == refusal, answer.content
    else:
        assert answer.status_code not in (401, 403, 404), answer.content
    if not (seen and allowed):
        assert snapshot(obj) == before

    sign_in(client, user)
    page = client.post(reverse(f"{resource.app_label}:{step.url_name}", args=[obj.pk]), body)
    expected = (302,) if seen and allowed else (404,) if not seen else (403,)
    assert page.status_code in expected, f"{person} page: {page.status_code}"
    if not (seen and allowed):
        assert snapshot(obj) == before
