import datetime

import factory

from pilotage.core.testing import create_body, owned_object_factory
from pilotage.standards.models import STAGE_DATE, Stage, StandardWork


class StandardWorkFactory(factory.django.DjangoModelFactory):
    """A work at its proposal (pass `cti=`); `at_stage` moves it on with dates a month apart."""

    class Meta:
        model = StandardWork

    reference = factory.Sequence(lambda n: f"NM 10.1.{n:03d}")
    title = factory.Sequence(lambda n: f"Tubes en polyéthylène — partie {n}")
    technical_committee = "CN 10 — Plastiques"
    proposed_on = datetime.date(2023, 1, 10)


def at_stage(stage: str, start: datetime.date = datetime.date(2023, 1, 10), **kwargs):
    """A work that reached `stage`, each stage a month after the one before."""
    fields = {}
    for n, current in enumerate(list(Stage)[: list(Stage).index(Stage(stage)) + 1]):
        fields[STAGE_DATE[current]] = start + datetime.timedelta(days=31 * n)
    if "enquiry_opens_on" in fields:
        fields["enquiry_closes_on"] = fields["enquiry_opens_on"] + datetime.timedelta(days=60)
        if "homologated_on" in fields:
            fields["homologated_on"] = fields["enquiry_closes_on"] + datetime.timedelta(days=10)
            fields["homologation_order"] = "Arrêté n° 1234-24"
        if "published_on" in fields:
            fields["published_on"] = fields["homologated_on"] + datetime.timedelta(days=30)
    return StandardWorkFactory(stage=stage, **{**fields, **kwargs})


@owned_object_factory(StandardWork)
def _owned_standard(cti):
    return StandardWorkFactory(cti=cti)


@create_body("POST /api/v1/standards", StandardWork)
@create_body("POST /standards/new/", StandardWork)
def _standard_body(cti):
    return {"cti": cti.pk, "reference": StandardWorkFactory.build().reference, "title": "Norme",
            "technical_committee": "CN 10", "cti_role": "member",
            "proposed_on": "2024-01-15"}  # fmt: skip
