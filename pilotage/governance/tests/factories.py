import datetime

import factory
from django.core.files.base import ContentFile

from pilotage.core.testing import owned_object_factory
from pilotage.governance.models import (
    Committee,
    CommitteeMember,
    Decision,
    DecisionKind,
    Evaluation,
    ManagementResponse,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    ProgressEvidence,
    ProgressNote,
    Recommendation,
)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"COM{n}")
    name = factory.LazyAttribute(lambda o: f"Comité {o.code}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    number = factory.Sequence(lambda n: n + 1)
    date = datetime.date(2024, 7, 10)
    place = "Rabat"
    agenda = "1. Bilan 2023\n2. Redéploiements"
    status = MeetingStatus.HELD


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision numbered like the service would (made directly: no lock needed in a factory)."""

    class Meta:
        model = Decision

    committee = factory.SubFactory(CommitteeFactory)
    decided_on = datetime.date(2024, 7, 10)
    year = factory.LazyAttribute(lambda o: o.decided_on.year)
    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"{o.committee.code}-{o.year}-{o.sequence:02d}")
    kind = DecisionKind.REALLOCATION
    title = "Redéploiement entre axes"
    text = "Le comité autorise le redéploiement."


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    title = factory.Sequence(lambda n: f"Évaluation du plan 2014-2020 ({n})")
    evaluator = "Cabinet d'évaluation"
    delivered_on = datetime.date(2021, 6, 30)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    evaluation = factory.SubFactory(EvaluationFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Mettre en place un système de suivi des indicateurs."
    response = ManagementResponse.ACCEPTED


# Governance rows belong to no organisation: every signed-in user reads them, ministry roles
# alone write them. The matrix then checks that no one outside the ministry changes them.
@owned_object_factory(Committee)
def _owned_committee(cti):
    return CommitteeFactory()


@owned_object_factory(CommitteeMember)
def _owned_member(cti):
    return CommitteeMember.objects.create(
        committee=CommitteeFactory(), organisation=cti, person_name="Directeur", role="member"
    )


@owned_object_factory(Meeting)
def _owned_meeting(cti):
    return MeetingFactory()


@owned_object_factory(MeetingDocument)
def _owned_meeting_document(cti):
    document = MeetingDocument(
        meeting=MeetingFactory(), title="Procès-verbal", sha256="0" * 64, size=4, is_minutes=True
    )
    document.file.save("pv.pdf", ContentFile(b"%PDF-1.7"), save=False)
    document.save()
    return document


@owned_object_factory(Decision)
def _owned_decision(cti):
    return DecisionFactory(owner=cti)


@owned_object_factory(Evaluation)
def _owned_evaluation(cti):
    return EvaluationFactory()


@owned_object_factory(Recommendation)
def _owned_recommendation(cti):
    return RecommendationFactory(owner=cti)


@owned_object_factory(ProgressNote)
def _owned_note(cti):
    return ProgressNote.objects.create(
        recommendation=RecommendationFactory(owner=cti),
        noted_on=datetime.date(2024, 1, 15),
        text="Tableau de bord mis en place.",
    )


@owned_object_factory(ProgressEvidence)
def _owned_evidence(cti):
    evidence = ProgressEvidence(note=_owned_note(cti), title="Rapport", sha256="0" * 64, size=4)
    evidence.file.save("rapport.pdf", ContentFile(b"%PDF-1.7"), save=False)
    evidence.save()
    return evidence
