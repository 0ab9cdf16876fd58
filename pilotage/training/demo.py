"""Demo training: the build-to-print programme of the CTPC–CID–Capgemini Engineering Maroc
protocol (public: the protocol and its purpose). INVENTED and labelled so: its dates, target,
two cohorts, sessions, trainees (fictional names), attendance, scores and certificates."""

import datetime
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from pilotage.core.audit import stamp
from pilotage.core.models import Organisation, User
from pilotage.programmes.models import Agreement
from pilotage.training.models import (
    Attendance,
    Cohort,
    Trainee,
    TraineeStatus,
    TrainingProgramme,
    TrainingSession,
)

REASON = "Demo data (manage.py load_demo)"
INVENTED = "Dates, cible, promotions, stagiaires et notes inventés pour la démonstration."
TOPICS = ["Lecture de plans et cotation fonctionnelle (GD&T)", "Conception CAO de pièces plastiques",
          "Industrialisation et outillage", "Métrologie et contrôle qualité",
          "Normes automobiles (IATF 16949)", "Projet build to print encadré"]  # fmt: skip
FIRST_NAMES = [("Salma", "F"), ("Youssef", "M"), ("Imane", "F"), ("Hamza", "M"), ("Khadija", "F"),
               ("Omar", "M"), ("Nadia", "F"), ("Mehdi", "M"), ("Sara", "F"), ("Anas", "M"),
               ("Hajar", "F"), ("Ayoub", "M")]  # fmt: skip
LAST_NAMES = ["Bennani", "Alami", "Tazi", "Idrissi", "Chraibi", "Berrada"]


def _save(obj, actor: User):
    stamp(obj, actor=actor, reason=REASON)
    obj.save()
    return obj


def load(actor: User) -> None:
    if TrainingProgramme.objects.filter(code="BTP-2026").exists():
        return
    orgs = {o.acronym: o for o in Organisation.objects.filter(
        acronym__in=["CTPC", "CID", "CAPGEMINI-MA", "CETIEV"])}  # fmt: skip
    programme = _save(TrainingProgramme(
        code="BTP-2026", title="Formation « build to print » en pièces automobiles",
        agreement=Agreement.objects.filter(reference="PC-2025-CTPC-CID-CAPGEMINI").first(),
        organiser=orgs["CTPC"], target_trainees=40,
        starts_on=datetime.date(2026, 1, 12), ends_on=datetime.date(2026, 12, 18),
        objectives="Former des ingénieurs et techniciens à la conception et au développement de "
        f"pièces automobiles sur plan client. {INVENTED}",
    ), actor)  # fmt: skip
    programme.partners.set([orgs["CID"], orgs["CAPGEMINI-MA"]])
    first = _save(Cohort(programme=programme, name="Promotion 1",
                         starts_on=datetime.date(2026, 1, 12),
                         ends_on=datetime.date(2026, 4, 30)), actor)  # fmt: skip
    second = _save(Cohort(programme=programme, name="Promotion 2",
                          starts_on=datetime.date(2026, 9, 14),
                          ends_on=datetime.date(2026, 12, 18)), actor)  # fmt: skip
    for cohort, assessed in ((first, True), (second, False)):
        _cohort(actor, cohort, orgs, assessed)


def _cohort(actor: User, cohort: Cohort, orgs: dict, assessed: bool) -> None:
    """Six weekly 6-hour sessions, twelve trainees; the first cohort assessed (certificates)."""
    sessions = bulk_create_with_history([
        TrainingSession(cohort=cohort, held_on=cohort.starts_on + datetime.timedelta(weeks=n),
                        topic=topic, hours=Decimal(6), place="CTPC, Casablanca",
                        trainer="Capgemini Engineering Maroc" if n % 2 else "CTPC")
        for n, topic in enumerate(TOPICS)
    ], TrainingSession, default_user=actor, default_change_reason=REASON)  # fmt: skip
    employers = [orgs["CTPC"], orgs["CETIEV"], orgs["CAPGEMINI-MA"]]
    trainees = bulk_create_with_history([
        Trainee(cohort=cohort, full_name=f"{first} {LAST_NAMES[(n + cohort.pk) % 6]}", sex=sex,
                organisation=employers[n % 3])
        for n, (first, sex) in enumerate(FIRST_NAMES)
    ], Trainee, default_user=actor, default_change_reason=REASON)  # fmt: skip
    # Everyone attends, one trainee in four misses two sessions (8 hours of 36 → not completed).
    rows = [
        Attendance(session=s, trainee=t, hours=Decimal(0 if n % 4 == 3 and i < 2 else 6))
        for n, t in enumerate(trainees) for i, s in enumerate(sessions)
        if s.held_on <= datetime.date(2026, 12, 3)
    ]  # fmt: skip
    bulk_create_with_history(rows, Attendance, default_user=actor, default_change_reason=REASON)
    if not assessed:
        return
    for n, trainee in enumerate(trainees):
        trainee.score = Decimal(12 + n % 7)
        trainee.assessed_on = cohort.ends_on
        trainee.status = TraineeStatus.NOT_COMPLETED if n % 4 == 3 else TraineeStatus.COMPLETED
        _save(trainee, actor)
