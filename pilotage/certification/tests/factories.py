import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from pilotage.certification.models import (
    Certificate,
    FastTrackCampaign,
    Laboratory,
    StaffCount,
    TestResult,
    ValidationReport,
    ValidationRequest,
)
from pilotage.core.testing import create_body, owned_object_factory
from pilotage.prestations.tests.factories import CompanyFactory, DeliveryFactory


class LaboratoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Laboratory

    name = factory.Sequence(lambda n: f"Laboratoire d'essais {n}")
    site = "Sidi Maârouf, Casablanca"
    region = "06"
    domain = "Essais mécaniques"


class StaffCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffCount

    year = 2024
    graduates = 30
    technicians = 45
    administrative = 25


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FastTrackCampaign
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"URG-{n}")
    title = "Urgence sanitaire"
    product_categories = "Masques de protection\nRespirateurs"
    opened_on = datetime.date(2020, 3, 20)
    decision_hours = 72


class ValidationRequestFactory(factory.django.DjangoModelFactory):
    """A request at its first stage, with its delivery (pass `delivery__cti=`)."""

    class Meta:
        model = ValidationRequest

    delivery = factory.SubFactory(
        DeliveryFactory, category="product_validation", started_on=datetime.date(2024, 3, 1)
    )
    purpose = "product_validation"
    product = "Masque FFP2 modèle M-20"
    product_category = "Masques de protection"
    referential = "NM EN 149"
    received_on = datetime.date(2024, 3, 1)


def request_at(stage: str, **kwargs) -> ValidationRequest:
    """A request already at `stage`, its steps dated an hour apart from 2 March 2024, 9:00."""
    start = timezone.make_aware(datetime.datetime(2024, 3, 2, 9, 0))
    dates = {}
    order = ["sample_received", "testing", "report_issued", "decided"]
    fields = ["sample_received_at", "testing_started_at", "report_issued_at", "decided_at"]
    for i, field in enumerate(fields[: order.index(stage) + 1] if stage in order else []):
        dates[field] = start + datetime.timedelta(hours=i)
    if stage == "decided":
        kwargs.setdefault("decision", "conforming")
    return ValidationRequestFactory(stage=stage, **dates, **kwargs)


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate of a conforming request: pass `request=request_at("decided", …)`."""

    class Meta:
        model = Certificate

    cti = factory.LazyAttribute(lambda o: o.request.delivery.cti)
    holder = factory.LazyAttribute(lambda o: o.request.delivery.company)
    number = factory.Sequence(lambda n: f"CERT-{n:05d}")
    product = factory.LazyAttribute(lambda o: o.request.product)
    referential = factory.LazyAttribute(lambda o: o.request.referential)
    issued_on = datetime.date(2024, 3, 5)
    valid_until = datetime.date(2099, 3, 4)
    short_code = factory.Sequence(lambda n: f"TEST{n:04d}"[:8])


class TestResultFactory(factory.django.DjangoModelFactory):
    __test__ = False

    class Meta:
        model = TestResult

    method = "NM EN 149 §8.3"
    characteristic = "Efficacité de filtration"
    measured_value = Decimal("96.5")
    unit = "%"
    limit = "≥ 94"
    verdict = "pass"
    tested_on = datetime.date(2024, 3, 3)


# What the access matrix uses to make "a row belonging to CTI A" of each model.
@owned_object_factory(Laboratory)
def _owned_laboratory(cti):
    return LaboratoryFactory(cti=cti)


@owned_object_factory(StaffCount)
def _owned_staff_count(cti):
    return StaffCountFactory(cti=cti)


@owned_object_factory(FastTrackCampaign)
def _owned_campaign(cti):
    return CampaignFactory()  # a campaign is the ministry's, read by all


@owned_object_factory(ValidationRequest)
def _owned_request(cti):
    return ValidationRequestFactory(delivery__cti=cti)


@owned_object_factory(Certificate)
def _owned_certificate(cti):
    return CertificateFactory(request=request_at("decided", delivery__cti=cti))


@owned_object_factory(TestResult)
def _owned_test(cti):
    return TestResultFactory(request=request_at("testing", delivery__cti=cti))


@owned_object_factory(ValidationReport)
def _owned_report(cti):
    request = request_at("testing", delivery__cti=cti)
    report = ValidationReport(request=request, title="Rapport", sha256="0" * 64, size=4)
    report.file.save("rapport.pdf", ContentFile(b"%PDF"), save=False)
    report.save()
    return report


@create_body("POST /api/v1/laboratories", Laboratory)
@create_body("POST /laboratories/new/", Laboratory)
def _laboratory_body(cti):
    return {"cti": cti.pk, "name": LaboratoryFactory.build().name, "site": "Casablanca",
            "region": "06", "domain": "Essais"}  # fmt: skip


@create_body("POST /api/v1/staff", StaffCount)
@create_body("POST /staff/new/", StaffCount)
def _staff_body(cti):
    year = 2000 + StaffCount.objects.filter(cti=cti).count()
    return {"cti": cti.pk, "year": year, "graduates": 3, "technicians": 4, "administrative": 2}


@create_body("POST /api/v1/validation-requests", ValidationRequest)
@create_body("POST /validation-requests/new/", ValidationRequest)
def _request_body(cti):
    laboratory = LaboratoryFactory(cti=cti)
    company = CompanyFactory()
    return {"cti": cti.pk, "reference": DeliveryFactory.build().reference,
            "company_ice": company.ice, "purpose": "product_validation", "product": "Masque",
            "product_category": "Masques", "referential": "NM EN 149",
            "referential_kind": "standard", "received_on": "2024-03-01",
            "laboratory": laboratory.pk, "amount_invoiced": "1000", "funding": "paid"}  # fmt: skip
