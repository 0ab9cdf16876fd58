import datetime
from decimal import Decimal

import factory

from pilotage.core.testing import create_body, owned_object_factory
from pilotage.training.models import (
    Attendance,
    Cohort,
    Trainee,
    TrainingProgramme,
    TrainingSession,
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """An open programme (pass `organiser=`)."""

    class Meta:
        model = TrainingProgramme

    code = factory.Sequence(lambda n: f"FORM-{n:04d}")
    title = factory.Sequence(lambda n: f"Formation build to print {n}")
    target_trainees = 20
    starts_on = datetime.date(2025, 1, 1)
    ends_on = datetime.date(2026, 12, 31)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Promotion {n}")
    starts_on = datetime.date(2025, 2, 1)
    ends_on = datetime.date(2025, 6, 30)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    held_on = datetime.date(2025, 3, 3)
    topic = "Lecture de plans"
    hours = Decimal(6)


class TraineeFactory(factory.django.DjangoModelFactory):
    """A trainee (pass `cohort=` and `organisation=` or `company=`)."""

    class Meta:
        model = Trainee

    full_name = factory.Sequence(lambda n: f"Stagiaire {n}")
    sex = "F"


def cohort_of(cti) -> Cohort:
    return CohortFactory(programme=ProgrammeFactory(organiser=cti))


@owned_object_factory(TrainingProgramme)
def _owned_programme(cti):
    return ProgrammeFactory(organiser=cti)


@owned_object_factory(Cohort)
def _owned_cohort(cti):
    return cohort_of(cti)


@owned_object_factory(TrainingSession)
def _owned_session(cti):
    return SessionFactory(cohort=cohort_of(cti))


@owned_object_factory(Trainee)
def _owned_trainee(cti):
    return TraineeFactory(cohort=cohort_of(cti), organisation=cti)


@owned_object_factory(Attendance)
def _owned_attendance(cti):
    cohort = cohort_of(cti)
    trainee = TraineeFactory(cohort=cohort, organisation=cti)
    return Attendance.objects.create(session=SessionFactory(cohort=cohort), trainee=trainee,
                                     hours=Decimal(6))  # fmt: skip


@create_body("POST /api/v1/training-programmes", TrainingProgramme)
@create_body("POST /training-programmes/new/", TrainingProgramme)
def _programme_body(cti):
    return {"code": ProgrammeFactory.build().code, "title": "Formation", "organiser": cti.pk,
            "target_trainees": 12, "starts_on": "2025-01-01", "ends_on": "2025-12-31"}  # fmt: skip


@create_body("POST /api/v1/cohorts", Cohort)
@create_body("POST /cohorts/new/", Cohort)
def _cohort_body(cti):
    programme = ProgrammeFactory(organiser=cti)
    return {"programme": programme.pk, "name": "P1", "starts_on": "2025-02-01",
            "ends_on": "2025-05-31"}  # fmt: skip


@create_body("POST /api/v1/training-sessions", TrainingSession)
@create_body("POST /training-sessions/new/", TrainingSession)
def _session_body(cti):
    return {"cohort": cohort_of(cti).pk, "held_on": "2025-03-03", "topic": "GD&T", "hours": "6"}


@create_body("POST /api/v1/trainees", Trainee)
@create_body("POST /trainees/new/", Trainee)
def _trainee_body(cti):
    # From a partner (any CTI may train another's staff too: the cohort is what is owned).
    from pilotage.core.models import Organisation

    partner, _ = Organisation.objects.get_or_create(
        acronym="CAPGEMINI-TEST", defaults={"name": "Capgemini Engineering", "kind": "partner"}
    )
    return {"cohort": cohort_of(cti).pk, "full_name": "Salma B.", "sex": "F",
            "organisation": partner.pk}  # fmt: skip
