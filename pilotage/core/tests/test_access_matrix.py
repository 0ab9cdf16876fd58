"""The access matrix (DESIGN §5): every page route and API operation that takes an object id,
for every role outside CTI A, with an object belonging to CTI A: it is neither shown nor changed.

New apps are covered by registering an `@owned_object_factory` for their models (core/testing.py).
"""

import pytest
from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from pilotage.api.api import api
from pilotage.core import access
from pilotage.core.generic_views import ObjectDetailView, ObjectHistoryView
from pilotage.core.roles import Role
from pilotage.core.testing import (
    api_operations,
    create_routes,
    declared_resources,
    object_routes,
    owned_object,
    sign_in,
    snapshot,
)
from pilotage.core.tests import policy
from pilotage.core.tests.factories import api_token

# People who must never change CTI A's rows; none of them belongs to CTI A. With each: their role
# and the organisations their role reaches (the cast's, conftest.py), written out here rather than
# read from the access module, so that the matrix is an oracle the filtering code can fail.
OUTSIDERS = {
    "cti_b_manager": (Role.CTI_MANAGER, {"cti_b"}),
    "cti_b_staff": (Role.CTI_STAFF, {"cti_b"}),
    "federation_viewer": (Role.FEDERATION_VIEWER, {"federation_b", "cti_b"}),
    "cid_manager": (Role.CID_MANAGER, {"cid"}),
    "partner_viewer": (Role.PARTNER_VIEWER, {"partner"}),
    "committee": (Role.COMMITTEE_MEMBER, "everywhere"),
    "auditor": (Role.AUDITOR, "everywhere"),
}
pytestmark = pytest.mark.django_db
ROUTES = object_routes()
OPERATIONS = api_operations(api)
CREATE_ROUTES = create_routes()
RESOURCES = declared_resources()
WRITE_METHODS = {"post", "put", "patch", "delete"}
READ_VIEWS = (ObjectDetailView, ObjectHistoryView)


@pytest.fixture
def cast(cast_once):
    return cast_once


@pytest.fixture(scope="module")
def sessions(cast_once, django_db_blocker):
    """Each outsider signed in once for the module (as they get past the sign-in, second factor
    included): their session cookie. Sessions and tokens are made in the module's transaction."""
    from django.test import Client

    with django_db_blocker.unblock():
        return {
            person: sign_in(Client(), getattr(cast_once, person))
            .cookies[settings.SESSION_COOKIE_NAME]
            .value
            for person in OUTSIDERS
        }


@pytest.fixture(scope="module")
def tokens(cast_once, django_db_blocker):
    """Each outsider's API token, and a ministry officer's (who may write: the control)."""
    with django_db_blocker.unblock():
        people = {person: getattr(cast_once, person) for person in OUTSIDERS}
        return {
            person: {"Authorization": f"Bearer {api_token(user)}"}
            for person, user in {**people, "officer": cast_once.officer}.items()
        }


def as_person(client, sessions, person: str):
    client.cookies[settings.SESSION_COOKIE_NAME] = sessions[person]
    return client


def _matches(obj, condition) -> bool:
    return type(obj)._base_manager.filter(condition, pk=obj.pk).exists()


def _may_read(cast, person: str, obj) -> bool:
    """What the matrix expects: from the written policy (readers, directories, open data), the
    conditions the model declares on its rows (owners, shared and published rows) and the
    person's scope; never from the filtering code."""
    rule, label = access.rule_for(type(obj)), type(obj)._meta.label_lower
    if label in policy.DIRECTORY or label in policy.OPEN_DATA:
        return True
    if isinstance(rule.public, Q) and _matches(obj, rule.public):
        return True
    if rule.shared is not None and _matches(obj, rule.shared):
        return True
    role, reach = OUTSIDERS[person]
    if role not in policy.READERS[label]:
        return False
    if reach == "everywhere":
        return True
    reached = {getattr(cast, name).pk for name in reach}
    manager = type(obj)._base_manager.filter(pk=obj.pk)
    owners = {pk for path in rule.owner for pk in manager.values_list(path, flat=True)}
    return bool(owners & reached)


def test_the_declared_rules_are_the_written_policy():
    for model in access.registered_models():
        rule, label = access.rule_for(model), model._meta.label_lower
        assert label in policy.READERS, f"{label}: write who reads it in core/tests/policy.py"
        assert rule.readers == policy.READERS[label], f"{label}: readers differ from the policy"
        assert rule.directory == (label in policy.DIRECTORY), f"{label}: directory or not?"
        assert (rule.public is True) == (label in policy.OPEN_DATA), f"{label}: open data?"


def test_the_matrix_covers_the_routes_that_take_ids():
    names = {route.name for route in ROUTES}
    assert {"core:organisation_detail", "core:organisation_edit", "core:user_detail"} <= names
    assert any(op.path.endswith("{organisation_id}") for op in OPERATIONS)


def test_every_declared_resource_is_in_the_matrix():
    """A resource's pages and API routes come from its declaration, and so does its coverage:
    the walks above reach them, and the lists below are checked for each."""
    assert RESOURCES, "no resource declared"
    names = {route.name for route in ROUTES}
    operations = {(op.method, op.path) for op in OPERATIONS}
    for resource in RESOURCES:
        pages = [
            *(["detail", "history"] if resource.detail_template else []),
            *(["edit"] if resource.update_service else []),
        ]
        for page in pages:
            assert resource.url_name(page) in names, f"{resource.path}: {page} page not walked"
        one = f"/api/v1/{resource.api_path}/{{{resource.id_param}}}"
        assert ("get", one) in operations, f"{resource.path}: API detail not walked"
        if resource.update_service:
            assert ("put", one) in operations, f"{resource.path}: API update not walked"


# Each route is tried by every outsider in turn on the same row of CTI A (made once: making it
# per person cost most of the suite's time); every outsider's failure is reported together.


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.path)
def test_a_resource_lists_another_ctis_row_to_its_readers_only(
    cast, client, sessions, tokens, resource
):
    """The list page and the API list show CTI A's row exactly when the written policy says
    this person reads it, with the page's filters applied the same way."""
    obj = owned_object(resource.model, cast.cti_a)
    sort = {"sort": "-" + resource.default_sort.lstrip("-")}
    failures = []
    for person in OUTSIDERS:
        expected = _may_read(cast, person, obj)
        answer = client.get(f"/api/v1/{resource.api_path}?limit=500", headers=tokens[person])
        assert answer.status_code == 200, answer.content
        listed = {item["id"] for item in answer.json()["items"]}
        if (obj.pk in listed) != expected:
            failures.append(f"{person}: API list of {resource.path}")
        page = as_person(client, sessions, person).get(reverse(resource.url_name("list")), sort)
        assert page.status_code == 200
        if resource.detail_template:  # each row links to its own page
            link = f'<a href="{obj.get_absolute_url()}">'
            if (link in page.content.decode()) != expected:
                failures.append(f"{person}: list page of {resource.path}")
    assert not failures, failures


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_pages_neither_show_nor_change_another_ctis_object(cast, client, sessions, route):
    obj = owned_object(route.model, cast.cti_a)
    before = snapshot(obj)
    url = reverse(route.name, kwargs={route.kwarg: obj.pk})
    failures = []
    for person in OUTSIDERS:
        as_person(client, sessions, person)
        shown = client.get(url)
        if not _may_read(cast, person, obj):
            if shown.status_code not in (404, 405):
                failures.append(f"{person} GET {url}: {shown.status_code}")
        elif issubclass(route.view, READ_VIEWS) and shown.status_code != 200:
            # 200 from these views means `get_visible` found the object for this person.
            failures.append(f"{person} may read but GET {url}: {shown.status_code}")
        changed = client.post(url, {"reason": "matrix", "name": "Hijacked", "role": "cti_manager"})
        if changed.status_code not in (403, 404, 405):
            failures.append(f"{person} POST {url}: {changed.status_code}")
        if snapshot(obj) != before:
            failures.append(f"{person} POST {url} changed the row")
    assert not failures, failures


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: f"{o.method} {o.path}")
def test_api_neither_shows_nor_changes_another_ctis_object(cast, client, tokens, operation):
    obj = owned_object(operation.model, cast.cti_a)
    before = snapshot(obj)
    path = operation.path.replace("{" + operation.param + "}", str(obj.pk))
    failures = []
    if operation.method == "get":
        for person in OUTSIDERS:
            response = client.get(path, headers=tokens[person])
            if not _may_read(cast, person, obj):
                if response.status_code != 404:
                    failures.append(f"{person} GET {path}: {response.status_code}")
            elif not operation.public:  # the public catalogue shows published rows only
                if response.status_code != 200:
                    failures.append(f"{person} may read but GET {path}: {response}")
                elif (
                    isinstance(answer := response.json(), dict)
                    and answer.get("id", obj.pk) != obj.pk
                ):
                    failures.append(f"{person} GET {path}: another row")
        assert not failures, failures
        return
    # A body a ministry officer could send successfully: the object's own representation where
    # the path also reads, else a structurally valid placeholder.
    current = client.get(path, headers=tokens["officer"])
    body = dict(operation.placeholder)
    if current.status_code == 200 and isinstance(current.json(), dict):
        body.update({k: v for k, v in current.json().items() if k in operation.body_fields})
    body.update(name="Hijacked", reason="matrix")
    for person in OUTSIDERS:
        response = getattr(client, operation.method)(
            path, body, content_type="application/json", headers=tokens[person]
        )
        if response.status_code not in (403, 404):
            failures.append(f"{person} {operation.method} {path}: {response.status_code}")
        if snapshot(obj) != before:
            failures.append(f"{person} {operation.method} {path} changed the row")
    assert not failures, failures


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


@pytest.mark.parametrize("route", CREATE_ROUTES, ids=lambda r: r.operation)
def test_a_create_route_takes_no_id_of_another_cti(cast, client, route):
    """CTI B's manager posts a body that would succeed with CTI B's own objects, with one id at a
    time swapped for CTI A's: refused, nothing written. Then the unswapped body succeeds, so the
    refusals came from the foreign id alone. Pages post the form, the API its JSON."""
    _method, path = route.operation.split(" ", 1)
    theirs, sample = route.body(cast.cti_a), route.body(cast.cti_b)
    # The ids that name a CTI's own objects: the integers that differ between the two bodies.
    swaps = [k for k, v in sample.items() if isinstance(v, int) and theirs[k] != v]
    assert swaps, f"{route.operation}: the body names no CTI's object"
    rows = route.model._base_manager
    if path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {api_token(cast.cti_b_manager)}"}
        done = (200, 201)

        def post(body):
            return client.post(path, body, content_type="application/json", headers=headers)
    else:
        sign_in(client, cast.cti_b_manager)
        done = (302,)

        def post(body):
            return client.post(path, body)

    for key in swaps:
        body = {**route.body(cast.cti_b), key: theirs[key]}
        count = rows.count()
        answer = post(body)
        assert answer.status_code in (403, 404, 409, 422), f"{key}={theirs[key]}: {answer}"
        assert rows.count() == count, f"{key}: a row was written"
    body = route.body(cast.cti_b)
    count = rows.count()
    answer = post(body)
    assert answer.status_code in done and rows.count() == count + 1, answer.content[-2000:]
