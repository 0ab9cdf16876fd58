"""Limits on what anyone may trigger without an account hold when the requests arrive at once."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from pilotage.core.tests.factories import OrganisationFactory, UserFactory
from pilotage.prestations.models import ServiceRequest
from pilotage.prestations.tests.factories import OfferingFactory

REQUEST = {
    "company_name": "Plastiques du Nord", "contact_name": "Amina", "email": "amina@pn.example",
    "message": "Un essai de traction, svp.",
}  # fmt: skip


@pytest.fixture
def database_cache(settings, transactional_db):
    # The embedded default's cache: the one whose counter let a burst through.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "throttle_test_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    cache.clear()


def _at_once(count, send):
    def one(_n):
        try:
            return send()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_twenty_simultaneous_public_requests_store_no_more_than_the_limit(database_cache):
    offering = OfferingFactory(cti=OrganisationFactory(acronym="CTPC"), title="Essai de traction")
    url = reverse("services:catalogue_offering", args=[offering.pk])

    statuses = _at_once(20, lambda: Client().post(url, REQUEST).status_code)

    assert sorted(statuses) == [200] * 5 + [429] * 15
    assert ServiceRequest.objects.count() == 5


def test_password_reset_mails_one_address_at_most_three_times_an_hour(database_cache):
    person = UserFactory(email="amina@ministere.example")
    url = reverse("password_reset")

    statuses = _at_once(12, lambda: Client().post(url, {"email": person.email}).status_code)
    statuses.append(Client().post(url, {"email": "AMINA@ministere.example"}).status_code)

    # The page answers the same every time (it never tells whether the address exists)...
    assert set(statuses) == {302}
    # ...but the mailbox is not flooded, whatever the spelling.
    assert len(mail.outbox) == 3
