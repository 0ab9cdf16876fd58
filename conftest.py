"""The fixed cast of every test (STYLE.md): the same people and organisations everywhere.

CTI A (CTPC, co-managed by FMP) is "ours"; CTI B (CETIEV, AMICA) is the outsider's.
"""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import translation

from pilotage.core import signing
from pilotage.core.roles import OrganisationKind, Role


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Real hashing costs ~0.3 s a password; tests make dozens of people.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.MEDIA_ROOT = tmp_path / "media"  # uploaded files never land in the checkout
    # Nor does a generated signing key: each test signs with a key of its own.
    settings.GENERATED_SIGNING_KEY = tmp_path / "signing-key.pem"
    signing.private_key.cache_clear()
    # The cast's addresses are under `.example`: tests sign in as production does, where demo
    # accounts get no exemption from two-factor authentication (tested on its own).
    settings.TWO_FACTOR_DEMO_EXEMPT = False
    cache.clear()
    # Each test starts in the default language: a request made by an earlier test leaves its
    # user's language active in this thread (the middleware activates it for the request).
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def cast(db):
    return build_cast()


@pytest.fixture(scope="module")
def cast_once(django_db_setup, django_db_blocker):
    """The same cast, built once for a whole module (the access matrix runs a thousand cases on
    it), inside a transaction rolled back after the module; each test's own writes still roll
    back to a savepoint after the test (pytest-django's `db`). Its users cache their roles: a
    module using it must not change memberships."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_cast()
        transaction.set_rollback(True)


def build_cast() -> SimpleNamespace:
    from pilotage.core.tests.factories import OrganisationFactory, member

    org = OrganisationFactory
    ministry = org(acronym="MIC", kind=OrganisationKind.MINISTRY, city="Rabat", region="04")
    network = org(acronym="RECTIM", kind=OrganisationKind.NETWORK)
    federation_a = org(acronym="FMP", kind=OrganisationKind.FEDERATION)
    federation_b = org(acronym="AMICA", kind=OrganisationKind.FEDERATION)
    cti_a = org(acronym="CTPC", kind=OrganisationKind.CTI, sector="Plasturgie")
    cti_a.federations.set([federation_a])
    cti_b = org(acronym="CETIEV", kind=OrganisationKind.CTI, sector="Automobile")
    cti_b.federations.set([federation_b])
    cid = org(acronym="CID", kind=OrganisationKind.CID, city="Rabat", region="04")
    partner = org(acronym="CAPGEMINI-MA", kind=OrganisationKind.PARTNER)
    people = {
        "admin": member(ministry, Role.MINISTRY_ADMIN, email="admin@test.example"),
        "officer": member(ministry, Role.MINISTRY_OFFICER, email="officer@test.example"),
        "committee": member(network, Role.COMMITTEE_MEMBER, email="committee@test.example"),
        "cti_a_manager": member(cti_a, Role.CTI_MANAGER, email="manager.a@test.example"),
        "cti_a_staff": member(cti_a, Role.CTI_STAFF, email="staff.a@test.example"),
        "cti_b_manager": member(cti_b, Role.CTI_MANAGER, email="manager.b@test.example"),
        "cti_b_staff": member(cti_b, Role.CTI_STAFF, email="staff.b@test.example"),
        "federation_viewer": member(
            federation_b, Role.FEDERATION_VIEWER, email="fed.b@test.example"
        ),
        "cid_manager": member(cid, Role.CID_MANAGER, email="cid@test.example"),
        "partner_viewer": member(partner, Role.PARTNER_VIEWER, email="partner@test.example"),
        "auditor": member(ministry, Role.AUDITOR, email="auditor@test.example"),
    }
    return SimpleNamespace(
        ministry=ministry,
        network=network,
        federation_a=federation_a,
        federation_b=federation_b,
        cti_a=cti_a,
        cti_b=cti_b,
        cid=cid,
        partner=partner,
        **people,
    )


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client signed in as that user."""

    from pilotage.core.testing import sign_in

    return lambda user: sign_in(client, user)


@pytest.fixture
def api_as(client):
    """`api_as(user)`: the test client calling the API with that user's personal token (JSON
    bodies; `files=` sends multipart)."""
    from pilotage.core.tests.factories import api_token

    def caller(user):
        headers = {"Authorization": f"Bearer {api_token(user)}"}

        def call(method, path, body=None, *, files=None):
            if files is not None:
                return client.post(path, files, headers=headers)
            if method == "get":
                return client.get(path, body, headers=headers)
            send = getattr(client, method)
            return send(path, body or {}, content_type="application/json", headers=headers)

        return call

    return caller
