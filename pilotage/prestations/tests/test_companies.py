"""Companies: ICE checked with stdnum.ma.ice, duplicates by ICE, who sees which company."""

import pytest
from django.urls import reverse

from pilotage.core.errors import ErrorCode, ServiceError
from pilotage.prestations import services
from pilotage.prestations.models import Company
from pilotage.prestations.tests.factories import CompanyFactory, DeliveryFactory

FIELDS = {"name": "Plastiques du Nord", "size_class": "PME", "region": "01", "city": "Tanger"}


def test_a_valid_ice_is_registered_compacted_for_the_actors_cti(cast):
    company = services.company_register(actor=cast.cti_a_staff, ice="00 1561191 000066", **FIELDS)
    assert (company.ice, company.registered_by) == ("001561191000066", cast.cti_a)
    assert company.history.get().history_user == cast.cti_a_staff


@pytest.mark.parametrize("ice", ["12345", "0015611910000661", "00156119100006A", ""])
def test_a_wrong_length_or_format_is_refused_even_with_a_reason(cast, ice):
    with pytest.raises(ServiceError) as refused:
        services.company_register(
            actor=cast.officer, ice=ice, ice_override_reason="I know", **FIELDS
        )
    assert refused.value.field_errors["ice"] == ["An ICE is made of 15 digits."]
    assert not Company.objects.exists()


def test_a_failed_checksum_is_refused_without_a_reason(cast):
    with pytest.raises(ServiceError) as refused:
        services.company_register(actor=cast.officer, ice="001561191000067", **FIELDS)
    assert "divisible by 97" in refused.value.field_errors["ice"][0]
    assert not Company.objects.exists()


def test_only_a_ministry_officer_overrides_a_failed_checksum_and_the_reason_is_kept(cast):
    with pytest.raises(ServiceError) as refused:
        services.company_register(
            actor=cast.cti_a_manager, ice="001561191000067", ice_override_reason="Sur la facture",
            **FIELDS,
        )  # fmt: skip
    assert refused.value.code == ErrorCode.FORBIDDEN
    company = services.company_register(
        actor=cast.officer, ice="001561191000067", ice_override_reason="Vu sur le registre",
        **FIELDS,
    )  # fmt: skip
    assert company.ice_override_reason == "Vu sur le registre"
    assert company.history.get().history_change_reason == "Vu sur le registre"


def test_a_duplicate_ice_is_detected(cast):
    CompanyFactory(ice="001561191000066")
    with pytest.raises(ServiceError) as refused:
        services.company_register(actor=cast.cti_b_staff, ice="001561191000066", **FIELDS)
    assert refused.value.code == ErrorCode.CONFLICT
    assert Company.objects.count() == 1


def test_a_cti_sees_the_companies_it_registered_or_served_never_the_others(cast):
    served_by_a = DeliveryFactory(cti=cast.cti_a).company
    registered_by_b = CompanyFactory(registered_by=cast.cti_b)
    visible = lambda user: set(Company.objects.visible_to(user))  # noqa: E731
    assert visible(cast.cti_a_staff) == {served_by_a}
    assert visible(cast.cti_b_staff) == {registered_by_b}
    assert visible(cast.federation_viewer) == {registered_by_b}  # AMICA co-manages CTI B
    assert visible(cast.auditor) == {served_by_a, registered_by_b}
    assert visible(cast.partner_viewer) == set()


def test_the_company_page_shows_only_the_services_the_viewer_may_see(cast, client_for):
    a = DeliveryFactory(cti=cast.cti_a, reference="A-1")
    DeliveryFactory(cti=cast.cti_b, reference="B-1", company=a.company)
    page = client_for(cast.cti_a_staff).get(reverse("services:company_detail", args=[a.company.pk]))
    assert page.status_code == 200
    assert "A-1" in page.content.decode() and "B-1" not in page.content.decode()
    officer = client_for(cast.officer).get(reverse("services:company_detail", args=[a.company.pk]))
    assert "A-1" in officer.content.decode() and "B-1" in officer.content.decode()


def test_registering_on_the_page_with_a_bad_checksum_shows_the_message(cast, client_for):
    response = client_for(cast.cti_a_staff).post(
        reverse("services:company_create"), {**FIELDS, "ice": "001561191000067"}
    )
    assert response.status_code == 422
    assert "97" in str(response.context["form"].errors["ice"])
    assert not Company.objects.exists()


def test_an_ice_typed_with_spaces_is_compacted_and_a_bad_one_explained(cast, client_for):
    from pilotage.prestations.forms import CompanyForm

    data = {"ice": "001 561 191 000 066", "name": "Plastiques SARL", "size_class": "PME",
            "sector": "Plasturgie", "region": "06", "city": "Casablanca"}  # fmt: skip
    form = CompanyForm(data=data, user=cast.cti_a_staff)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ice"] == "001561191000066"
    bad = CompanyForm(data={**data, "ice": "ABC"}, user=cast.cti_a_staff)
    assert not bad.is_valid()
    assert bad.errors["ice"] == ["An ICE is made of 15 digits."]
