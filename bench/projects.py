"""Benchmarks of projects and training (issue 14):

- the portfolio over 20,000 projects and 100,000 milestones: the list page (25 rows with each
  project's FACET money planned, committed and paid read in subqueries) and the timeline page
  (150 projects with their milestones), each against the raw SQL of the same figures;
- a training programme of 5,000 trainees (20 cohorts of 250, 10 sessions each, 50,000 attendance
  rows): the programme page's figures, the trainee list (hours attended and held per trainee) and
  one session's attendance grid (250 trainees), each against the raw SQL of the same figures.

Rows are made once with bulk inserts and reused."""

import datetime
import random
from decimal import Decimal

from django.db import connection, transaction

from bench.common import bench_officer, medians, page_getter, ratio_row, served_as_in_production

PROJECTS, MILESTONES = 20_000, 100_000
COHORTS, TRAINEES_PER_COHORT, SESSIONS_PER_COHORT = 20, 250, 10

PORTFOLIO_SQL = """
SELECT COUNT(*) FROM projects_project;
SELECT p.id, p.code, p.title, p.kind, o.acronym, p.region, p.starts_on, p.ends_on, p.status,
  (SELECT b.amount FROM projects_budgetline b WHERE b.project_id = p.id AND b.source = 'facet'),
  (SELECT SUM(c.amount) FROM fund_commitment c WHERE c.project_id = p.id),
  (SELECT SUM(c.disbursed) FROM fund_commitment c WHERE c.project_id = p.id),
  (SELECT string_agg(t.name, ', ') FROM projects_project_themes pt
     JOIN projects_theme t ON t.id = pt.theme_id WHERE pt.project_id = p.id)
FROM projects_project p JOIN core_organisation o ON o.id = p.lead_id
ORDER BY p.starts_on DESC, p.code LIMIT 25
"""
TIMELINE_SQL = """
SELECT COUNT(*) FROM projects_project;
SELECT p.id, p.code, p.title, p.starts_on, p.ends_on, p.status, o.acronym
FROM projects_project p JOIN core_organisation o ON o.id = p.lead_id
ORDER BY p.starts_on, p.code LIMIT 150;
SELECT m.project_id, m.title, m.due_on, m.status FROM projects_milestone m
WHERE m.project_id IN (SELECT id FROM projects_project ORDER BY starts_on, code LIMIT 150)
"""
PROGRAMME_SQL = """
SELECT COUNT(*), COUNT(*) FILTER (WHERE t.sex = 'F'), COUNT(*) FILTER (WHERE t.status = 'completed'),
       COUNT(*) FILTER (WHERE t.status <> 'enrolled')
FROM training_trainee t JOIN training_cohort c ON c.id = t.cohort_id WHERE c.programme_id = %(p)s;
SELECT COUNT(*), SUM(s.hours) FROM training_trainingsession s
JOIN training_cohort c ON c.id = s.cohort_id WHERE c.programme_id = %(p)s;
SELECT SUM(a.hours) FROM training_attendance a JOIN training_trainingsession s ON s.id = a.session_id
JOIN training_cohort c ON c.id = s.cohort_id WHERE c.programme_id = %(p)s;
SELECT id, name, starts_on, ends_on FROM training_cohort WHERE programme_id = %(p)s
"""
TRAINEES_SQL = """
SELECT COUNT(*) FROM training_trainee;
SELECT t.id, t.full_name, t.sex, o.acronym, c.name, t.status, t.score,
  (SELECT SUM(a.hours) FROM training_attendance a WHERE a.trainee_id = t.id),
  (SELECT SUM(s.hours) FROM training_trainingsession s WHERE s.cohort_id = t.cohort_id)
FROM training_trainee t JOIN training_cohort c ON c.id = t.cohort_id
LEFT JOIN core_organisation o ON o.id = t.organisation_id
ORDER BY t.full_name, t.id LIMIT 25
"""
GRID_SQL = """
SELECT t.id, t.full_name, o.acronym, a.hours FROM training_trainee t
LEFT JOIN core_organisation o ON o.id = t.organisation_id
LEFT JOIN training_attendance a ON a.trainee_id = t.id AND a.session_id = %(s)s
WHERE t.cohort_id = %(c)s ORDER BY t.full_name, t.id
"""


@transaction.atomic
def _portfolio(seed: int) -> None:
    from pilotage.core.models import Organisation
    from pilotage.projects.models import BudgetLine, Milestone, Project, ProjectKind, Theme

    if Project.objects.filter(code__startswith="B-P-").exists():
        return
    rng = random.Random(seed)
    ctis = list(Organisation.objects.filter(kind="cti"))
    kinds, themes = list(ProjectKind), list(Theme.objects.all())
    projects = []
    for n in range(PROJECTS):
        start = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randint(0, 3650))
        projects.append(Project(
            code=f"B-P-{n:05d}", title=f"Projet {n}", kind=rng.choice(kinds),
            lead=rng.choice(ctis), starts_on=start,
            ends_on=start + datetime.timedelta(days=rng.randint(180, 1500)), region="06",
        ))  # fmt: skip
    projects = Project.objects.bulk_create(projects, batch_size=2000)
    through = Project.themes.through
    through.objects.bulk_create(
        [through(project_id=p.pk, theme_id=rng.choice(themes).pk) for p in projects if themes],
        batch_size=5000,
    )
    BudgetLine.objects.bulk_create(
        [BudgetLine(project=p, source="facet", amount=Decimal(rng.randint(1, 50) * 100_000))
         for p in projects], batch_size=5000,
    )  # fmt: skip
    Milestone.objects.bulk_create((
        Milestone(project=p, title=f"Jalon {k}",
                  due_on=p.starts_on + (p.ends_on - p.starts_on) * (k + 1) // 6)
        for p in projects for k in range(MILESTONES // PROJECTS)
    ), batch_size=5000)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE projects_project; ANALYZE projects_milestone")


@transaction.atomic
def _programme(seed: int):
    from pilotage.core.models import Organisation
    from pilotage.training.models import (
        Attendance,
        Cohort,
        Trainee,
        TrainingProgramme,
        TrainingSession,
    )

    programme = TrainingProgramme.objects.filter(code="B-TRAIN").first()
    if programme is not None:
        return programme
    rng = random.Random(seed)
    ctis = list(Organisation.objects.filter(kind="cti"))
    programme = TrainingProgramme.objects.create(
        code="B-TRAIN", title="Programme (bench)", organiser=ctis[0], target_trainees=5000,
        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2025, 12, 31),
    )  # fmt: skip
    for c in range(COHORTS):
        start = datetime.date(2024, 1, 1) + datetime.timedelta(days=30 * c)
        cohort = Cohort.objects.create(programme=programme, name=f"P{c + 1}", starts_on=start,
                                       ends_on=start + datetime.timedelta(days=120))  # fmt: skip
        sessions = TrainingSession.objects.bulk_create(
            TrainingSession(cohort=cohort, held_on=start + datetime.timedelta(days=7 * s),
                            topic=f"Module {s}", hours=Decimal(6))
            for s in range(SESSIONS_PER_COHORT)
        )  # fmt: skip
        trainees = Trainee.objects.bulk_create(
            Trainee(cohort=cohort, full_name=f"Stagiaire {c}-{t:03d}", sex=rng.choice("FM"),
                    organisation=rng.choice(ctis))
            for t in range(TRAINEES_PER_COHORT)
        )  # fmt: skip
        Attendance.objects.bulk_create((
            Attendance(session=s, trainee=t, hours=Decimal(rng.choice((0, 3, 6, 6, 6))))
            for s in sessions for t in trainees
        ), batch_size=5000)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE training_trainee; ANALYZE training_attendance")
    return programme


def _raw(sql: str, params: dict | None = None):
    def run_sql() -> None:
        with connection.cursor() as cursor:
            for statement in filter(str.strip, sql.split(";")):
                cursor.execute(statement, params or {})
                cursor.fetchall()

    return run_sql


def run(*, seed: int) -> list[dict]:
    from django.urls import reverse

    from pilotage.projects.models import Milestone, Project
    from pilotage.training import selectors
    from pilotage.training.models import Trainee

    _portfolio(seed)
    programme = _programme(seed)
    officer, _ministry = bench_officer()
    session = programme.cohorts.order_by("pk").first().sessions.order_by("pk").first()

    # Same figures first: the programme page's are the SQL's.
    with connection.cursor() as cursor:
        cursor.execute(PROGRAMME_SQL.split(";")[0], {"p": programme.pk})
        trainees, women, _completed, _assessed = cursor.fetchone()
    figures = selectors.programme_figures(programme)
    assert (figures.trainees, figures.women) == (trainees, women)

    portfolio = page_getter(officer, reverse("projects:project_list"), {})
    timeline = page_getter(officer, reverse("projects:timeline"), {})
    programme_page = page_getter(officer, programme.get_absolute_url(), {})
    trainee_list = page_getter(officer, reverse("training:trainee_list"), {})
    grid = page_getter(officer, session.get_absolute_url(), {})
    with served_as_in_production():
        portfolio_s, portfolio_sql, timeline_s, timeline_sql = medians(
            portfolio, _raw(PORTFOLIO_SQL), timeline, _raw(TIMELINE_SQL), runs=7
        )
        programme_s, programme_sql, list_s, list_sql, grid_s, grid_sql = medians(
            programme_page, _raw(PROGRAMME_SQL, {"p": programme.pk}),
            trainee_list, _raw(TRAINEES_SQL),
            grid, _raw(GRID_SQL, {"s": session.pk, "c": session.cohort_id}), runs=7,
        )  # fmt: skip
    projects, milestones = Project.objects.count(), Milestone.objects.count()
    return [
        ratio_row(f"projects list page ({milestones:,} milestones) vs raw SQL", projects,
                  portfolio_s, portfolio_sql, None),
        ratio_row("project timeline page (150 projects) vs raw SQL", projects, timeline_s,
                  timeline_sql, None),
        ratio_row("training programme page (figures) vs raw SQL", trainees, programme_s,
                  programme_sql, None),
        ratio_row("trainee list page (hours per trainee) vs raw SQL", Trainee.objects.count(),
                  list_s, list_sql, None),
        ratio_row("session attendance grid (250 trainees) vs raw SQL", TRAINEES_PER_COHORT,
                  grid_s, grid_sql, None),
    ]  # fmt: skip
