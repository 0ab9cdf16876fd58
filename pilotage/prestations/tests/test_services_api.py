"""The services API with personal tokens: scoped reads, writes through the same forms."""

from pilotage.core.tests.factories import api_token
from pilotage.prestations.models import Company, ServiceDelivery
from pilotage.prestations.tests.factories import CompanyFactory, DeliveryFactory, OfferingFactory


def bearer(user):
    return {"Authorization": f"Bearer {api_token(user)}"}


def test_register_a_company_then_record_a_delivery_by_ice(cast, client):
    headers = bearer(cast.cti_a_staff)
    created = client.post(
        "/api/v1/companies",
        {"ice": "002136093000040", "name": "Mécanique du Rif", "size_class": "TPE", "region": "01"},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert created.status_code == 201, created.content
    delivery = client.post(
        "/api/v1/deliveries",
        {"cti": cast.cti_a.pk, "reference": "API-1", "company_ice": "002136093000040",
         "category": "diagnostic", "started_on": "2024-04-01", "amount_invoiced": "2 500,00"},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert delivery.status_code == 201, delivery.content
    assert delivery.json()["amount_invoiced"] == "2500.00"
    assert ServiceDelivery.objects.get().company == Company.objects.get()


def test_a_bad_ice_is_a_422_on_the_field(cast, client):
    response = client.post(
        "/api/v1/companies",
        {"ice": "001561191000067", "name": "X", "size_class": "TPE", "region": "01"},
        content_type="application/json", headers=bearer(cast.cti_a_staff),
    )  # fmt: skip
    assert response.status_code == 422 and "ice" in response.json()["errors"]
    assert not Company.objects.exists()


def test_lists_are_scoped_by_the_access_layer(cast, client):
    DeliveryFactory(cti=cast.cti_a, reference="A-1")
    DeliveryFactory(cti=cast.cti_b, reference="B-1")
    OfferingFactory(cti=cast.cti_b, is_public=False)
    mine = client.get("/api/v1/deliveries", headers=bearer(cast.cti_a_staff)).json()["items"]
    assert [d["reference"] for d in mine] == ["A-1"]
    offerings = client.get("/api/v1/offerings", headers=bearer(cast.cti_a_staff)).json()
    assert offerings["count"] == 0


def test_a_delivery_for_another_cti_is_refused_and_nothing_is_written(cast, client):
    company = CompanyFactory()
    response = client.post(
        "/api/v1/deliveries",
        {"cti": cast.cti_b.pk, "reference": "X", "company_ice": company.ice,
         "category": "training", "started_on": "2024-01-01"},
        content_type="application/json", headers=bearer(cast.cti_a_staff),
    )  # fmt: skip
    assert response.status_code in (403, 404, 422)
    assert not ServiceDelivery.objects.exists()
