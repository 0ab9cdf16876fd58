"""Plans and axes: envelopes that add up, and only ministry roles change them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pilotage.core.errors import ServiceError
from pilotage.programmes import services
from pilotage.programmes.models import StrategicAxis
from pilotage.programmes.tests.factories import AxisFactory, ProgrammeFactory


@pytest.fixture
def plan(db):
    return ProgrammeFactory(code="PDCTI-2022", envelope=Decimal("250000000.00"))


def test_axes_cannot_exceed_the_plan_envelope_and_the_refusal_says_by_how_much(cast, plan):
    AxisFactory(programme=plan, number=1, envelope=Decimal("200000000"))
    with pytest.raises(ServiceError) as refused:
        services.axis_create(
            actor=cast.officer,
            programme=plan,
            number=2,
            title="Axe 2",
            envelope=Decimal("60000000"),
        )
    message = refused.value.field_errors["envelope"][0].replace("\u00a0", " ")
    assert "10 000 000,00 DH" in message
    assert StrategicAxis.objects.filter(programme=plan).count() == 1


def test_the_plan_envelope_cannot_shrink_below_its_axes(cast, plan):
    AxisFactory(programme=plan, number=1, envelope=Decimal("200000000"))
    with pytest.raises(ServiceError):
        services.programme_update(actor=cast.officer, programme=plan, envelope=Decimal("100"))
    plan.refresh_from_db()
    assert plan.envelope == Decimal("250000000.00")


def test_an_axis_edit_is_checked_against_the_other_axes(cast, plan):
    first = AxisFactory(programme=plan, number=1, envelope=Decimal("100000000"))
    AxisFactory(programme=plan, number=2, envelope=Decimal("100000000"))
    services.axis_update(actor=cast.officer, axis=first, envelope=Decimal("150000000"))
    with pytest.raises(ServiceError):
        services.axis_update(actor=cast.officer, axis=first, envelope=Decimal("150000000.01"))


def test_the_plan_page_shows_the_split_of_the_envelope(cast, client_for, plan):
    AxisFactory(programme=plan, number=1, envelope=Decimal("100000000"))
    page = client_for(cast.cti_a_staff).get(plan.get_absolute_url())
    assert page.status_code == 200
    assert page.context["split"].unallocated == Decimal("150000000.00")
    assert "150\u00a0000\u00a0000,00\u00a0DH" in page.content.decode()


def test_an_officer_adds_an_axis_from_the_plan_page(cast, client_for, plan):
    response = client_for(cast.officer).post(
        reverse("programmes:axis_create", args=[plan.pk]),
        {"number": 3, "title": "Normalisation", "envelope": "25000000", "reason": "plan"},
    )
    assert response.status_code == 302
    axis = plan.axes.get(number=3)
    assert axis.history.get().history_user == cast.officer


@pytest.mark.parametrize("person", ["cti_a_manager", "auditor", "cid_manager"])
def test_others_cannot_add_axes(cast, client_for, plan, person):
    url = reverse("programmes:axis_create", args=[plan.pk])
    response = client_for(getattr(cast, person)).post(
        url, {"number": 3, "title": "X", "envelope": "1"}
    )
    assert response.status_code == 403 and not plan.axes.exists()


def test_the_plans_api_lists_plans_with_their_axes(cast, client_for, plan):
    AxisFactory(programme=plan, number=1)
    body = client_for(cast.cti_b_staff).get("/api/v1/programmes").json()
    [listed] = [p for p in body["items"] if p["code"] == "PDCTI-2022"]
    assert listed["envelope"] == "250000000.00" and [a["number"] for a in listed["axes"]] == [1]
