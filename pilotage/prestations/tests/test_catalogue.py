"""The public catalogue and service requests: signed out, only published services show; a
request lands in the CTI's inbox to be accepted, declined with a reason or turned into a delivery."""

import html
import re

import pytest
from django.urls import reverse

from pilotage.core.errors import ErrorCode, ServiceError
from pilotage.prestations import services
from pilotage.prestations.models import ServiceDelivery, ServiceOffering, ServiceRequest
from pilotage.prestations.tests.factories import CompanyFactory, OfferingFactory, RequestFactory

REQUEST = {
    "company_name": "Plastiques du Nord", "contact_name": "Amina", "email": "amina@pn.example",
    "message": "Un essai de traction, svp.",
}  # fmt: skip


@pytest.fixture
def catalogue(cast):
    return {
        "public": OfferingFactory(
            cti=cast.cti_a, title="Essai de traction", title_ar="اختبار الشد"
        ),
        "internal": OfferingFactory(cti=cast.cti_a, title="Audit interne", is_public=False),
        "retired": OfferingFactory(cti=cast.cti_b, title="Ancien essai", is_active=False),
        "other": OfferingFactory(
            cti=cast.cti_b, title="Homologation", category="product_validation", sector="Auto"
        ),
    }


def test_the_access_rule_publishes_only_public_active_offerings(cast, catalogue):
    assert set(ServiceOffering.objects.visible_to(None)) == {
        catalogue["public"],
        catalogue["other"],
    }
    # Signed in, a CTI reads its own unpublished entries and everyone's published ones.
    assert set(ServiceOffering.objects.visible_to(cast.cti_a_staff)) == {
        catalogue["public"], catalogue["internal"], catalogue["other"],
    }  # fmt: skip
    assert not ServiceOffering.objects.editable_by(cast.cti_a_staff).filter(
        pk=catalogue["other"].pk
    )


def test_signed_out_the_catalogue_shows_published_services_only(client, catalogue):
    page = client.get(reverse("services:catalogue"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Essai de traction" in text and "Homologation" in text
    assert "Audit interne" not in text and "Ancien essai" not in text


@pytest.mark.parametrize(
    "query, found",
    [
        ({"q": "traction"}, {"public"}),
        ({"category": "product_validation"}, {"other"}),
        ({"sector": "Auto"}, {"other"}),
        ({"q": "Audit"}, set()),
    ],
)
def test_the_catalogue_searches_by_text_category_sector_and_cti(client, catalogue, query, found):
    page = client.get(reverse("services:catalogue"), query)
    assert {o.pk for o in page.context["offerings"]} == {catalogue[k].pk for k in found}


def test_the_catalogue_reads_in_arabic_and_searches_arabic_titles(client, catalogue, cast):
    page = client.get(
        reverse("services:catalogue"), {"q": "الشد", "cti": cast.cti_a.pk},
        HTTP_ACCEPT_LANGUAGE="ar",
    )  # fmt: skip
    assert [o.pk for o in page.context["offerings"]] == [catalogue["public"].pk]
    assert 'dir="rtl"' in page.content.decode() and "اختبار الشد" in page.content.decode()


def test_an_unpublished_service_has_no_public_page(client, catalogue):
    for key in ("internal", "retired"):
        url = reverse("services:catalogue_offering", args=[catalogue[key].pk])
        assert client.get(url).status_code == 404
        assert client.post(url, REQUEST).status_code == 404
    assert not ServiceRequest.objects.exists()


def test_a_company_sends_a_request_signed_out_and_it_lands_in_the_ctis_inbox(
    client, client_for, catalogue, cast
):
    url = reverse("services:catalogue_offering", args=[catalogue["public"].pk])
    response = client.post(url, REQUEST)
    assert response.status_code == 200 and response.context["sent"]
    request = ServiceRequest.objects.get()
    assert (request.cti, request.status, request.history.get().history_user) == (
        cast.cti_a, "new", None,
    )  # fmt: skip
    assert request in ServiceRequest.objects.visible_to(cast.cti_a_manager)
    assert request not in ServiceRequest.objects.visible_to(cast.cti_b_manager)
    inbox = client_for(cast.cti_a_staff).get(reverse("services:request_list"))
    assert "Plastiques du Nord" in inbox.content.decode()


def test_the_honeypot_stores_nothing(client, catalogue):
    url = reverse("services:catalogue_offering", args=[catalogue["public"].pk])
    response = client.post(url, {**REQUEST, "website": "http://spam.example"})
    assert response.status_code == 200
    assert not ServiceRequest.objects.exists()


def test_requests_are_rate_limited_per_address(client, catalogue):
    url = reverse("services:catalogue_offering", args=[catalogue["public"].pk])
    statuses = [client.post(url, REQUEST).status_code for _n in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    assert ServiceRequest.objects.count() == 5
    other = client.post(url, REQUEST, REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200


def test_the_public_pages_show_nothing_private(client, catalogue, cast):
    RequestFactory(offering=catalogue["public"], company_name="Secret SARL")
    for url in (
        reverse("services:catalogue"),
        reverse("services:catalogue_offering", args=[catalogue["public"].pk]),
    ):
        text = client.get(url).content.decode()
        assert "Secret SARL" not in text and "Audit interne" not in text
    for name in ("delivery_list", "company_list", "request_list", "offering_list"):
        assert client.get(reverse(f"services:{name}")).status_code == 302  # to sign in


def test_the_public_api_reads_the_catalogue_without_a_token(client, catalogue):
    listed = client.get("/api/v1/catalogue")
    assert listed.status_code == 200
    assert {o["id"] for o in listed.json()["items"]} == {
        catalogue["public"].pk, catalogue["other"].pk,
    }  # fmt: skip
    assert client.get(f"/api/v1/catalogue/{catalogue['internal'].pk}").status_code == 404
    assert client.get("/api/v1/offerings").status_code == 401


def test_decline_needs_a_reason(cast):
    request = RequestFactory(offering=OfferingFactory(cti=cast.cti_a))
    with pytest.raises(ServiceError) as refused:
        services.service_request_decline(actor=cast.cti_a_staff, request=request, reason=" ")
    assert "reason" in refused.value.field_errors
    declined = services.service_request_decline(
        actor=cast.cti_a_staff, request=request, reason="Hors de notre domaine"
    )
    assert (declined.status, declined.decided_by) == ("declined", cast.cti_a_staff)
    with pytest.raises(ServiceError) as again:
        services.service_request_accept(actor=cast.cti_a_staff, request=request)
    assert again.value.code == ErrorCode.CONFLICT


def test_a_request_turned_into_a_delivery_on_the_page(cast, client_for):
    request = RequestFactory(offering=OfferingFactory(cti=cast.cti_a, category="training"))
    company = CompanyFactory()
    client = client_for(cast.cti_a_manager)
    client.post(reverse("services:request_accept", args=[request.pk]))
    response = client.post(
        reverse("services:request_convert", args=[request.pk]),
        {"company_ice": company.ice, "reference": "DEM-1", "started_on": "2024-06-01",
         "amount_invoiced": "5 000"},
    )  # fmt: skip
    assert response.status_code == 302
    delivery = ServiceDelivery.objects.get()
    request.refresh_from_db()
    assert (delivery.category, delivery.company, delivery.request) == ("training", company, request)
    assert request.status == "converted"
    assert delivery.history.count() == 1  # recorded once, with its request


def test_another_cti_cannot_answer_the_request(cast, client_for):
    request = RequestFactory(offering=OfferingFactory(cti=cast.cti_a))
    response = client_for(cast.cti_b_manager).post(
        reverse("services:request_decline", args=[request.pk]), {"reason": "non"}
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == "new"


def test_a_request_names_a_known_company_only_to_those_who_may_see_it(cast, client_for):
    from pilotage.prestations.tests.factories import DeliveryFactory

    served_by_b = DeliveryFactory(cti=cast.cti_b, company__name="Client discret de B").company
    request = RequestFactory(offering=OfferingFactory(cti=cast.cti_a), ice=served_by_b.ice)
    page = client_for(cast.cti_a_staff).get(request.get_absolute_url()).content.decode()
    assert served_by_b.ice in page and "Client discret de B" not in page
    officer_page = client_for(cast.officer).get(request.get_absolute_url()).content.decode()
    assert "Client discret de B" in officer_page


def test_a_request_sent_while_signed_in_has_no_author_in_the_history(cast, client_for, catalogue):
    url = reverse("services:catalogue_offering", args=[catalogue["public"].pk])
    response = client_for(cast.cti_b_staff).post(url, REQUEST)
    assert response.status_code == 200 and response.context["sent"]
    assert ServiceRequest.objects.get().history.get().history_user is None


def test_new_as_a_status_and_new_as_a_button_are_two_messages(cast, client_for):
    RequestFactory(offering=OfferingFactory(cti=cast.cti_a))
    page = client_for(cast.cti_a_manager).get(reverse("services:request_list")).content.decode()
    assert "Nouvelle" in page  # the request's status, in French
    offerings = client_for(cast.cti_a_manager).get(reverse("services:offering_list"))
    assert "Ajouter" in offerings.content.decode()  # the button that creates one


@pytest.mark.parametrize("ice", ["001561191000067", "12345", "ABCDEFGHIJKLMNO"])
def test_the_public_form_refuses_an_ice_that_does_not_check_and_sends_nothing(
    client, catalogue, ice
):
    url = reverse("services:catalogue_offering", args=[catalogue["public"].pk])
    response = client.post(url, {**REQUEST, "ice": ice})
    assert response.status_code == 422 and response.context["form"].errors["ice"]
    assert not ServiceRequest.objects.exists()


def test_a_catalogue_entry_says_price_lead_time_accreditation_and_contact(client, cast):
    offering = OfferingFactory(
        cti=cast.cti_a, is_public=True, pricing="1 200 DH HT par essai", lead_time="10 jours",
        accreditation="ISO/IEC 17025", contact_email="labo@ctpc.example",
    )  # fmt: skip
    page = client.get(reverse("services:catalogue_offering", args=[offering.pk])).content.decode()
    facts = page[page.index('id="offering-facts"') :]
    for text in ("1 200 DH HT par essai", "10 jours", "ISO/IEC 17025", "labo@ctpc.example"):
        assert text in facts


def test_the_demo_catalogue_reads_like_specific_offers(cast):
    import random

    from pilotage.prestations.demo import TITLES, _offering
    from pilotage.prestations.models import ServiceCategory

    rng = random.Random(1)
    cast.cti_a.acronym = "CTPC"
    offers = [_offering(rng, cast.cti_a, n, c) for n, c in enumerate(TITLES)]
    assert len({o.description for o in offers}) == len(offers)
    lab = next(o for o in offers if o.category == ServiceCategory.LABORATORY_TESTING)
    assert "ISO 527" in lab.title and "17025" in lab.accreditation and "DH" in lab.pricing


def test_a_request_whose_ice_is_corrected_points_at_the_company_or_prefills_it(cast, client_for):
    from pilotage.prestations.tests.factories import CompanyFactory

    request = RequestFactory(offering=OfferingFactory(cti=cast.cti_a), ice="001561191000067")
    client = client_for(cast.cti_a_manager)
    page = client.get(request.get_absolute_url()).content.decode()
    # Nobody with that ICE: the link to register the company carries what the visitor wrote.
    register = re.search(r'href="([^"]+)" id="register-company"', page)[1]
    form = client.get(html.unescape(register)).content.decode()
    assert 'value="001561191000067"' in form and 'value="Plastiques du Nord"' in form

    company = CompanyFactory(ice="001561191000066", registered_by=cast.cti_a)
    fixed = client.post(reverse("services:request_fix_ice", args=[request.pk]),
                        {"ice": "001 561191 000066"})  # fmt: skip
    assert fixed.status_code == 302
    request.refresh_from_db()
    assert request.ice == "001561191000066"
    assert request.history.first().history_change_reason.startswith("ICE corrigé")
    page = client.get(request.get_absolute_url()).content.decode()
    assert company.name in page and 'value="001561191000066"' in page  # the convert form
    wrong = client.post(reverse("services:request_fix_ice", args=[request.pk]), {"ice": "12"})
    assert wrong.status_code == 302
    request.refresh_from_db()
    assert request.ice == "001561191000066"
