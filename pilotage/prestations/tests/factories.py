import datetime
from decimal import Decimal

import factory

from pilotage.core.roles import Role
from pilotage.core.testing import create_body, owned_object_factory
from pilotage.core.tests.factories import member
from pilotage.prestations.models import (
    Company,
    ServiceDelivery,
    ServiceImport,
    ServiceOffering,
    ServiceRequest,
)


def valid_ice(n: int) -> str:
    """A fictional ICE that passes the check: 13 digits, then the 2 that make it divisible by 97."""
    head = 100_000_000 + n
    body = head * 10_000  # establishment 0000 (head office)
    control = (97 - (body * 100) % 97) % 97
    return f"{body * 100 + control:015d}"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("ice",)

    ice = factory.Sequence(valid_ice)
    name = factory.Sequence(lambda n: f"Entreprise {n} SARL")
    size_class = "PME"
    sector = "Plasturgie"
    region = "06"
    city = "Casablanca"


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceOffering

    code = factory.Sequence(lambda n: f"S-{n:03d}")
    category = "laboratory_testing"
    sector = "Plasturgie"
    title = factory.Sequence(lambda n: f"Essai de traction {n}")
    title_ar = factory.Sequence(lambda n: f"اختبار الشد {n}")
    is_public = True


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceDelivery

    reference = factory.Sequence(lambda n: f"P-{n:05d}")
    company = factory.SubFactory(CompanyFactory)
    category = "laboratory_testing"
    started_on = datetime.date(2024, 3, 15)
    amount_invoiced = Decimal("12000.00")


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRequest

    offering = factory.SubFactory(OfferingFactory)
    cti = factory.LazyAttribute(lambda o: o.offering.cti)
    company_name = "Plastiques du Nord"
    contact_name = "Amina"
    email = "amina@plastiques.example"
    message = "Nous souhaitons un essai."


# What the access matrix uses to make "a row belonging to CTI A" of each model. Offerings are
# unpublished: published ones are public on purpose.
@owned_object_factory(ServiceOffering)
def _owned_offering(cti):
    return OfferingFactory(cti=cti, is_public=False)


@owned_object_factory(ServiceDelivery)
def _owned_delivery(cti):
    return DeliveryFactory(cti=cti)


@owned_object_factory(Company)
def _owned_company(cti):
    return DeliveryFactory(cti=cti).company


@owned_object_factory(ServiceRequest)
def _owned_request(cti):
    return RequestFactory(offering=OfferingFactory(cti=cti))


@owned_object_factory(ServiceImport)
def _owned_import(cti):
    from django.core.files.base import ContentFile

    job = ServiceImport(
        cti=cti, kind="deliveries", created_by=member(cti, Role.CTI_STAFF), title="import.csv",
        sha256="0" * 64, size=4,
    )  # fmt: skip
    job.file.save("import.csv", ContentFile(b"a;b\n"), save=False)
    job.save()
    return job


@create_body("POST /api/v1/offerings", ServiceOffering)
@create_body("POST /offerings/new/", ServiceOffering)
def _offering_body(cti):
    code = OfferingFactory.build().code
    return {"cti": cti.pk, "code": code, "category": "training", "title": "Formation"}


@create_body("POST /api/v1/deliveries", ServiceDelivery)
@create_body("POST /deliveries/new/", ServiceDelivery)
def _delivery_body(cti):
    offering = OfferingFactory(cti=cti)
    company = DeliveryFactory(cti=cti).company
    reference = DeliveryFactory.build().reference
    return {"cti": cti.pk, "reference": reference, "company_ice": company.ice,
            "offering": offering.pk, "started_on": "2024-03-01", "amount_invoiced": "100",
            "funding": "paid"}  # fmt: skip
