"""A CTI's capacity: laboratories with their accreditation (flagged when it ends within 90 days,
shown as expired after), and staff by year from which the taux d'encadrement is computed."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pilotage.certification.models import Laboratory, StaffCount
from pilotage.certification.tests.factories import LaboratoryFactory, StaffCountFactory

pytestmark = pytest.mark.django_db


def test_the_taux_d_encadrement_is_computed_never_typed(cast, api_as):
    api = api_as(cast.cti_a_manager)
    body = {"cti": cast.cti_a.pk, "year": 2024, "graduates": 12, "technicians": 20,
            "administrative": 8, "supervision_rate": "99"}  # fmt: skip
    created = api("post", "/api/v1/staff", body)
    assert created.status_code == 201, created.content
    assert created.json()["total"] == 40 and Decimal(created.json()["supervision_rate"]) == 30
    changed = api("patch", f"/api/v1/staff/{created.json()['id']}", {"graduates": 20})
    assert Decimal(changed.json()["supervision_rate"]) == Decimal("41.7")  # 20 / 48


def test_the_networks_rate_is_summed_staff_over_summed_staff_not_an_average(cast, client_for):
    StaffCountFactory(cti=cast.cti_a, graduates=10, technicians=0, administrative=0)  # 100 %
    StaffCountFactory(cti=cast.cti_b, graduates=10, technicians=60, administrative=30)  # 10 %
    page = client_for(cast.officer).get(reverse("certification:staffcount_list"), {"year": 2024})
    totals = dict(
        zip([c.name for c in page.context["columns"]], page.context["totals"], strict=True)
    )
    assert totals["total"] == 110 and totals["rate"] == "18,2 %"  # 20 / 110, not (100 + 10) / 2


def test_one_count_per_cti_and_year(cast, api_as):
    StaffCountFactory(cti=cast.cti_a, year=2024)
    again = api_as(cast.cti_a_manager)(
        "post", "/api/v1/staff",
        {"cti": cast.cti_a.pk, "year": 2024, "graduates": 1, "technicians": 1, "administrative": 1},
    )  # fmt: skip
    assert again.status_code == 422 and StaffCount.objects.count() == 1


@pytest.mark.parametrize(
    ("days_left", "state"),
    [(None, "none"), (200, "valid"), (90, "expiring"), (0, "expiring"), (-1, "expired")],
)
def test_an_accreditation_is_flagged_within_90_days_and_shown_expired_after(
    cast, client_for, days_left, state
):
    until = None if days_left is None else timezone.localdate() + datetime.timedelta(days_left)
    laboratory = LaboratoryFactory(
        cti=cast.cti_a, accredited_until=until, accreditation_number="" if until is None else "L1"
    )
    assert laboratory.accreditation_state == state
    client = client_for(cast.officer)
    page = client.get(laboratory.get_absolute_url())
    assert f'data-accreditation="{state}"' in page.content.decode()
    listed = client.get(reverse("certification:laboratory_list"), {"accreditation": state})
    assert list(listed.context["page"].object_list) == [laboratory]


def test_an_accreditation_has_both_its_number_and_its_end_date(cast, api_as):
    api = api_as(cast.cti_a_manager)
    body = {"cti": cast.cti_a.pk, "name": "Labo chimie", "site": "Casablanca", "region": "06",
            "domain": "Chimie", "accreditation_number": "L 07-2015"}  # fmt: skip
    refused = api("post", "/api/v1/laboratories", body)
    assert refused.status_code == 422 and "accredited_until" in refused.json()["errors"]
    assert not Laboratory.objects.exists()
    body["accredited_until"] = "2027-06-30"
    assert api("post", "/api/v1/laboratories", body).status_code == 201


def test_a_cti_keeps_its_own_laboratories_and_the_ministry_reads_them_all(cast, api_as):
    mine, theirs = LaboratoryFactory(cti=cast.cti_a), LaboratoryFactory(cti=cast.cti_b)
    seen = {
        row["id"] for row in api_as(cast.cti_a_staff)("get", "/api/v1/laboratories").json()["items"]
    }
    assert seen == {mine.pk}
    everything = api_as(cast.officer)("get", "/api/v1/laboratories").json()["items"]
    assert {row["id"] for row in everything} == {mine.pk, theirs.pk}
