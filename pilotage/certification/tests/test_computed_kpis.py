"""The contrats-objectifs can target certification figures: computed from the records (tests,
validated products, certificates, accredited laboratories, staff and taux d'encadrement), never
typed, and shown on the scorecard like the services register's."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pilotage.certification.models import CertificationComputation as C
from pilotage.certification.tests.factories import (
    CampaignFactory,
    CertificateFactory,
    LaboratoryFactory,
    StaffCountFactory,
    TestResultFactory,
    request_at,
)
from pilotage.results.computations import computation_choices, computed_values
from pilotage.results.tests.factories import contract_indicator, period_for

pytestmark = pytest.mark.django_db


def _records(cast):
    """In 2024 for CTI A: three tests, two products validated (one fast-track), one refused;
    two certificates issued (one suspended in 2025), one lab accredited to 2025; CTI B's noise."""
    fast = request_at("decided", delivery__cti=cast.cti_a, campaign=CampaignFactory())
    plain = request_at("decided", delivery__cti=cast.cti_a)
    request_at("decided", delivery__cti=cast.cti_a, decision="not_conforming")
    for request in (fast, plain, plain):
        TestResultFactory(request=request, tested_on=datetime.date(2024, 3, 3))
    CertificateFactory(request=fast, issued_on=datetime.date(2024, 3, 5))
    CertificateFactory(request=plain, issued_on=datetime.date(2024, 6, 1), status="suspended",
                       status_changed_on=datetime.date(2025, 2, 1))  # fmt: skip
    LaboratoryFactory(cti=cast.cti_a, accreditation_number="L-7",
                      accredited_until=datetime.date(2025, 6, 30))  # fmt: skip
    LaboratoryFactory(cti=cast.cti_a)  # not accredited
    StaffCountFactory(cti=cast.cti_a, year=2024, graduates=12, technicians=20, administrative=8)
    other = request_at("decided", delivery__cti=cast.cti_b)
    CertificateFactory(request=other, issued_on=datetime.date(2024, 4, 1))


def test_each_computation_counts_the_records_of_the_period(cast):
    _records(cast)
    values = computed_values([cast.cti_a.pk], 2024)[cast.cti_a.pk]
    got = {name: values.get((name, "")) for name in C.values}
    assert got == {
        C.TESTS_PERFORMED: 3, C.PRODUCTS_VALIDATED: 2, C.PRODUCTS_VALIDATED_FAST_TRACK: 1,
        C.CERTIFICATES_ISSUED: 2, C.CERTIFICATES_VALID: 2, C.LABORATORIES_ACCREDITED: 1,
        C.STAFF_TOTAL: 40, C.SUPERVISION_RATE: Decimal("30.0"),
    }  # fmt: skip
    later = computed_values([cast.cti_a.pk], 2025)[cast.cti_a.pk]
    # In 2025: the suspended certificate no longer counts as valid, nor does the laboratory
    # (its accreditation ends before the year does).
    assert later.get((C.CERTIFICATES_VALID, "")) == 1
    assert later.get((C.LABORATORIES_ACCREDITED, ""), 0) == 0


def test_the_indicator_form_offers_the_certification_computations():
    offered = dict(computation_choices())
    assert {"companies_served", "certificates_issued", "supervision_rate"} <= set(offered)


def test_the_scorecard_shows_a_certification_kpi_computed(cast, client_for):
    _records(cast)
    kpi = contract_indicator(cast.cti_a, code="CERT", source="computed",
                             computation=C.CERTIFICATES_ISSUED)  # fmt: skip
    period_for(kpi, closes_on=timezone.localdate() + datetime.timedelta(days=30))
    scorecard = reverse("results:contract_scorecard", args=[kpi.objective.agreement_id])
    row = client_for(cast.officer).get(scorecard + "?year=2024").context["rows"][0][0]
    assert row.computed == Decimal(2)
