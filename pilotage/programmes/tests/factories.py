import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile

from pilotage.core.testing import owned_object_factory
from pilotage.programmes.models import (
    Agreement,
    AgreementDocument,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Amendment,
    Deliverable,
    PartyRole,
    PaymentTranche,
    Programme,
    StrategicAxis,
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PLAN-{n}")
    title = "Plan de développement des CTI"
    start_year = 2022
    end_year = 2025
    envelope = Decimal("250000000.00")


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicAxis

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Axe {n + 1}")
    envelope = Decimal("10000000.00")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    kind = AgreementKind.CONTRAT_OBJECTIFS
    reference = factory.Sequence(lambda n: f"CO-{n:03d}")
    title = factory.Sequence(lambda n: f"Contrat-objectifs {n}")
    programme = factory.SubFactory(ProgrammeFactory)
    signed_on = datetime.date(2023, 4, 11)
    status = AgreementStatus.IN_FORCE


def agreement_with(*organisations, role=PartyRole.SIGNATORY, **fields) -> Agreement:
    agreement = AgreementFactory(**fields)
    for organisation in organisations:
        AgreementParty.objects.create(agreement=agreement, organisation=organisation, role=role)
    return agreement


@owned_object_factory(Programme)
def _owned_programme(cti):
    return ProgrammeFactory()


@owned_object_factory(StrategicAxis)
def _owned_axis(cti):
    return AxisFactory()


@owned_object_factory(Agreement)
def _owned_agreement(cti):
    return agreement_with(cti)


@owned_object_factory(AgreementParty)
def _owned_party(cti):
    return agreement_with(cti).parties.get()


@owned_object_factory(Amendment)
def _owned_amendment(cti):
    agreement = agreement_with(cti)
    return Amendment.objects.create(
        agreement=agreement, number=1, kind="ceiling", signed_on=datetime.date(2024, 1, 1),
        reason="test",
    )  # fmt: skip


@owned_object_factory(AgreementDocument)
def _owned_document(cti):
    agreement = agreement_with(cti)
    document = AgreementDocument(
        agreement=agreement, title="Contrat signé", sha256="0" * 64, size=4
    )
    document.file.save("contrat.pdf", ContentFile(b"%PDF-1.7"), save=False)
    document.save()
    return document


def deliverable_of(agreement: Agreement, **fields) -> Deliverable:
    fields.setdefault("title", "Étude de faisabilité")
    fields.setdefault("due_on", datetime.date(2025, 6, 30))
    return Deliverable.objects.create(agreement=agreement, **fields)


@owned_object_factory(Deliverable)
def _owned_deliverable(cti):
    return deliverable_of(agreement_with(cti, kind=AgreementKind.CONTRAT_SPECIFIQUE))


@owned_object_factory(PaymentTranche)
def _owned_tranche(cti):
    agreement = agreement_with(cti, kind=AgreementKind.CONTRAT_SPECIFIQUE)
    tranche = PaymentTranche.objects.create(agreement=agreement, number=1, amount=100000)
    tranche.deliverables.set([deliverable_of(agreement)])
    return tranche
