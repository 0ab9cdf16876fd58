"""The register of deliveries: recorded under the access rules, listed with filters and totals."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotage.core.errors import AccessDenied, ServiceError
from pilotage.prestations import services
from pilotage.prestations.models import ServiceDelivery
from pilotage.prestations.tests.factories import CompanyFactory, DeliveryFactory, OfferingFactory


def _form(cti, company, **extra):
    return {
        "cti": cti.pk, "reference": "F-2024-001", "company_ice": company.ice,
        "category": "training", "started_on": "2024-05-02", "amount_invoiced": "1 234,50",
        "funding": "paid", **extra,
    }  # fmt: skip


def test_staff_record_a_delivery_for_a_company_another_cti_registered(cast, client_for):
    company = CompanyFactory(registered_by=cast.cti_b)
    response = client_for(cast.cti_a_staff).post(
        reverse("services:delivery_create"), _form(cast.cti_a, company)
    )
    assert response.status_code == 302, response.context["form"].errors
    delivery = ServiceDelivery.objects.get()
    assert (delivery.cti, delivery.amount_invoiced) == (cast.cti_a, Decimal("1234.50"))
    assert delivery.history.get().history_user == cast.cti_a_staff


def test_a_delivery_filed_under_another_cti_rolls_back(cast):
    company = CompanyFactory()
    with pytest.raises(AccessDenied):
        services.delivery_create(
            actor=cast.cti_a_staff, cti=cast.cti_b, company=company, reference="X",
            category="training", started_on=datetime.date(2024, 1, 1),
        )  # fmt: skip
    assert not ServiceDelivery.objects.exists()


def test_the_offering_decides_the_category_and_must_be_the_ctis_own(cast):
    company = CompanyFactory()
    own = OfferingFactory(cti=cast.cti_a, category="certification")
    delivery = services.delivery_create(
        actor=cast.cti_a_staff, cti=cast.cti_a, company=company, reference="R1", offering=own,
        category="training", started_on=datetime.date(2024, 1, 1),
    )  # fmt: skip
    assert delivery.category == "certification"
    with pytest.raises(ServiceError) as refused:
        services.delivery_create(
            actor=cast.cti_a_staff, cti=cast.cti_a, company=company, reference="R2",
            offering=OfferingFactory(cti=cast.cti_b), started_on=datetime.date(2024, 1, 1),
        )  # fmt: skip
    assert "offering" in refused.value.field_errors


def test_a_reference_is_unique_within_a_cti(cast):
    DeliveryFactory(cti=cast.cti_a, reference="R1")
    with pytest.raises(ServiceError) as refused:
        services.delivery_create(
            actor=cast.cti_a_staff, cti=cast.cti_a, company=CompanyFactory(), reference="R1",
            category="training", started_on=datetime.date(2024, 1, 1),
        )  # fmt: skip
    assert "reference" in refused.value.field_errors


def test_the_list_filters_and_totals_every_filtered_row(cast, client_for):
    pme = CompanyFactory(size_class="PME", region="06")
    ge = CompanyFactory(size_class="GE", region="01")
    DeliveryFactory(cti=cast.cti_a, company=pme, amount_invoiced=Decimal("100.50"))
    DeliveryFactory(cti=cast.cti_a, company=pme, amount_invoiced=Decimal("200"))
    DeliveryFactory(cti=cast.cti_a, company=ge, amount_invoiced=Decimal("1000"))
    DeliveryFactory(cti=cast.cti_b, company=pme, amount_invoiced=Decimal("999"))
    client = client_for(cast.cti_a_staff)
    page = client.get(reverse("services:delivery_list"), {"size": "PME", "year": 2024})
    totals = page.context["totals"]
    assert page.context["page"].paginator.count == 2
    assert "2 deliveries" in str(totals[0]) or "2 prestations" in str(totals[0])
    assert "300,50" in totals[9]
    everything = client.get(reverse("services:delivery_list"))
    assert everything.context["page"].paginator.count == 3  # never CTI B's row


def test_the_export_applies_the_filters(cast, client_for):
    DeliveryFactory(cti=cast.cti_a, reference="KEEP", category="training")
    DeliveryFactory(cti=cast.cti_a, reference="DROP", category="diagnostic")
    response = client_for(cast.cti_a_staff).get(
        reverse("services:delivery_list"), {"category": "training", "export": "csv"}
    )
    text = b"".join(response.streaming_content).decode()
    assert "KEEP" in text and "DROP" not in text


def test_the_list_runs_a_constant_number_of_queries(cast, client_for):
    client = client_for(cast.officer)
    url = reverse("services:delivery_list")
    DeliveryFactory(cti=cast.cti_a)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(10):
        DeliveryFactory(cti=cast.cti_a, offering=OfferingFactory(cti=cast.cti_a))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_another_ctis_references_cannot_be_probed_through_the_form(cast, client_for):
    import json

    from pilotage.prestations.tests.factories import DeliveryFactory

    existing = DeliveryFactory(cti=cast.cti_b, reference="FAC-B-0042")
    client = client_for(cast.cti_a_staff)

    def post(reference):
        body = {"cti": cast.cti_b.pk, "reference": reference, "company_ice": existing.company.ice,
                "category": "training", "started_on": "2024-03-01", "amount_invoiced": "1",
                "funding": "paid"}  # fmt: skip
        return client.post("/api/v1/deliveries", json.dumps(body), content_type="application/json")

    known, unknown = post("FAC-B-0042"), post("FAC-B-9999")
    assert known.status_code == unknown.status_code
    assert known.json() == unknown.json()
