import datetime

import factory

from pilotage.core.testing import create_body, owned_object_factory
from pilotage.projects.models import (
    BudgetLine,
    Milestone,
    MilestoneEvidence,
    Participant,
    Project,
)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A proposed project (pass `lead=`)."""

    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"PRJ-{n:04d}")
    title = factory.Sequence(lambda n: f"Ligne pilote d'extrusion {n}")
    kind = "general_interest"
    starts_on = datetime.date(2024, 1, 1)
    ends_on = datetime.date(2026, 12, 31)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    title = factory.Sequence(lambda n: f"Jalon {n}")
    due_on = datetime.date(2024, 6, 30)


@owned_object_factory(Project)
def _owned_project(cti):
    return ProjectFactory(lead=cti)


@owned_object_factory(Participant)
def _owned_participant(cti):
    from pilotage.core.tests.factories import OrganisationFactory

    partner = OrganisationFactory(kind="partner")
    return Participant.objects.create(project=ProjectFactory(lead=cti), organisation=partner,
                                      role="partner")  # fmt: skip


@owned_object_factory(Milestone)
def _owned_milestone(cti):
    return MilestoneFactory(project=ProjectFactory(lead=cti))


@owned_object_factory(MilestoneEvidence)
def _owned_evidence(cti):
    from django.core.files.base import ContentFile

    milestone = MilestoneFactory(project=ProjectFactory(lead=cti), status="met",
                                 reached_on=datetime.date(2024, 6, 1))  # fmt: skip
    evidence = MilestoneEvidence(milestone=milestone, title="PV", sha256="0" * 64, size=4)
    evidence.file.save("pv.pdf", ContentFile(b"%PDF"), save=False)
    evidence.save()
    return evidence


@owned_object_factory(BudgetLine)
def _owned_budget(cti):
    return BudgetLine.objects.create(project=ProjectFactory(lead=cti), source="facet",
                                     amount=100000)  # fmt: skip


@create_body("POST /api/v1/projects", Project)
@create_body("POST /projects/new/", Project)
def _project_body(cti):
    return {"code": ProjectFactory.build().code, "title": "Projet", "kind": "new_activity",
            "lead": cti.pk, "starts_on": "2024-01-01", "ends_on": "2025-12-31"}  # fmt: skip


@create_body("POST /api/v1/milestones", Milestone)
@create_body("POST /milestones/new/", Milestone)
def _milestone_body(cti):
    project = ProjectFactory(lead=cti)
    return {"project": project.pk, "title": "Prototype", "due_on": "2024-09-30"}
