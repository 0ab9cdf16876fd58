"""A company is shared by the CTIs that serve it; its history does not show one CTI's people and
their reasons to another (CTI staff do not read other organisations' people)."""

from django.urls import reverse

from pilotage.prestations import services
from pilotage.prestations.tests.factories import CompanyFactory, DeliveryFactory


def test_a_shared_companys_history_hides_the_other_ctis_people_and_reasons(cast, client_for):
    company = CompanyFactory(ice="001561191000066", name="Plastiques du Nord")
    DeliveryFactory(cti=cast.cti_a, company=company)
    DeliveryFactory(cti=cast.cti_b, company=company)
    services.company_update(
        actor=cast.cti_b_staff, company=company, city="Tanger",
        reason="Contrat confidentiel n° 77 avec le directeur",
    )  # fmt: skip
    services.company_update(
        actor=cast.cti_a_staff, company=company, city="Tétouan", reason="Adresse vérifiée"
    )
    url = reverse("services:company_history", args=[company.pk])

    page = client_for(cast.cti_a_staff).get(url).content.decode()
    assert cast.cti_b_staff.full_name not in page and "Contrat confidentiel" not in page
    assert "un membre de CETIEV" in page and "Tanger" in page  # what changed is the company's
    assert cast.cti_a_staff.full_name in page and "Adresse vérifiée" in page

    ministry = client_for(cast.officer).get(url).content.decode()
    assert cast.cti_b_staff.full_name in ministry and "Contrat confidentiel" in ministry
