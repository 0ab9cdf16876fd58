"""Projects: who sees them (their participants and programme-wide roles), the lifecycle by the
right roles (approval only by the ministry, citing a decision), milestones within the project's
dates and overdue when pending past due, budget by source."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pilotage.core.errors import ServiceError
from pilotage.governance.tests.factories import DecisionFactory
from pilotage.prestations.tests.factories import CompanyFactory
from pilotage.projects import services
from pilotage.projects.models import Milestone, Participant, Project, Theme
from pilotage.projects.tests.factories import MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _body(cast, **changes):
    themes = list(Theme.objects.filter(code__in=["decarbonisation", "circular-economy"]))
    return {"code": "CID-DECARB-01", "title": "Décarbonation des fours céramiques",
            "kind": "joint_cid", "lead": cast.cti_a.pk, "themes": [t.pk for t in themes],
            "starts_on": "2025-11-01", "ends_on": "2027-10-31", **changes}  # fmt: skip


def test_the_cid_opens_a_joint_project_and_takes_part_in_it(cast, api_as):
    created = api_as(cast.cid_manager)("post", "/api/v1/projects", _body(cast))
    assert created.status_code == 201, created.content
    project = Project.objects.get()
    assert set(project.themes.values_list("code", flat=True)) == {"decarbonisation",
                                                                  "circular-economy"}  # fmt: skip
    assert Participant.objects.get(project=project).organisation == cast.cid
    # The lead CTI sees it; the other CTI does not, until it takes part.
    seen_by = {p: api_as(getattr(cast, p))("get", f"/api/v1/projects/{project.pk}").status_code
               for p in ("cti_a_staff", "cti_b_staff", "partner_viewer", "auditor")}  # fmt: skip
    assert seen_by == {"cti_a_staff": 200, "cti_b_staff": 404, "partner_viewer": 404,
                       "auditor": 200}  # fmt: skip
    added = api_as(cast.cid_manager)(
        "post", f"/api/v1/projects/{project.pk}/participants",
        {"role": "cti", "organisation": cast.cti_b.pk},
    )  # fmt: skip
    assert added.status_code == 201, added.content
    assert api_as(cast.cti_b_staff)("get", f"/api/v1/projects/{project.pk}").status_code == 200


def test_a_project_is_approved_only_by_the_ministry_citing_a_decision(cast, api_as):
    project = ProjectFactory(lead=cast.cti_a)
    decision = DecisionFactory(decided_on=datetime.date(2025, 3, 1))
    path = f"/api/v1/projects/{project.pk}/approve"
    body = {"decision": decision.pk, "on": "2025-03-10"}
    assert api_as(cast.cti_a_manager)("post", path, body).status_code == 403
    missing = api_as(cast.officer)("post", path, {"on": "2025-03-10"})
    assert missing.status_code == 422 and "decision" in missing.json()["errors"]
    early = api_as(cast.officer)("post", path, {**body, "on": "2025-02-01"})
    assert early.status_code == 422 and "on" in early.json()["errors"]
    approved = api_as(cast.officer)("post", path, body)
    assert approved.json()["status"] == "approved" and approved.json()["decision_id"] == decision.pk


def test_the_lifecycle_moves_forward_only(cast):
    project = ProjectFactory(lead=cast.cti_a)
    with pytest.raises(ServiceError):
        services.project_start(actor=cast.cti_a_manager, project=project)  # not approved yet
    services.project_approve(actor=cast.officer, project=project,
                             decision=DecisionFactory(decided_on=datetime.date(2024, 1, 5)),
                             on=datetime.date(2024, 1, 10))  # fmt: skip
    services.project_start(actor=cast.cti_a_manager, project=project,
                           on=datetime.date(2024, 2, 1))  # fmt: skip
    with pytest.raises(ServiceError) as silent:
        services.project_close(actor=cast.cti_a_manager, project=project, status="completed",
                               note=" ")  # fmt: skip
    assert "note" in silent.value.field_errors
    services.project_close(actor=cast.cti_a_manager, project=project, status="completed",
                           note="Ligne pilote livrée")  # fmt: skip
    project.refresh_from_db()
    assert (project.status, project.closed_on) == ("completed", TODAY)
    with pytest.raises(ServiceError):
        services.project_close(actor=cast.cti_a_manager, project=project, status="cancelled",
                               note="Trop tard")  # fmt: skip
    assert [h.status for h in project.history.order_by("history_date")] == [
        "proposed", "approved", "in_progress", "completed",
    ]  # fmt: skip


def test_milestones_fall_within_the_project_and_are_overdue_when_pending_past_due(
    cast, api_as, client_for
):
    project = ProjectFactory(lead=cast.cti_a, starts_on=datetime.date(2024, 1, 1),
                             ends_on=datetime.date(2026, 12, 31))  # fmt: skip
    api = api_as(cast.cti_a_staff)
    outside = api(
        "post",
        "/api/v1/milestones",
        {"project": project.pk, "title": "Trop tard", "due_on": "2027-03-01"},
    )
    assert outside.status_code == 422 and "due_on" in outside.json()["errors"]
    late = api(
        "post",
        "/api/v1/milestones",
        {"project": project.pk, "title": "Prototype", "due_on": "2024-06-30"},
    )
    assert late.status_code == 201 and late.json()["is_overdue"] is True
    listed = client_for(cast.officer).get(reverse("projects:milestone_list"), {"overdue": "true"})
    assert [m.pk for m in listed.context["page"].object_list] == [late.json()["id"]]
    assessed = api(
        "post",
        f"/api/v1/milestones/{late.json()['id']}/assess",
        {"status": "met", "note": "Prototype livré"},
    )
    assert assessed.json()["status"] == "met" and assessed.json()["is_overdue"] is False
    with pytest.raises(ServiceError) as shrink:
        services.project_update(actor=cast.cti_a_manager, project=project,
                                starts_on=datetime.date(2024, 7, 1))  # fmt: skip
    assert "ends_on" in shrink.value.field_errors


def test_a_milestone_is_assessed_with_its_evidence_on_the_page(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    milestone = MilestoneFactory(project=ProjectFactory(lead=cast.cti_a))
    client = client_for(cast.cti_a_staff)
    pdf = SimpleUploadedFile("pv.pdf", b"%PDF-1.4 pv de recette", content_type="application/pdf")
    client.post(reverse("projects:milestone_assess", args=[milestone.pk]),
                {"status": "met", "note": "Recette", "file": pdf})  # fmt: skip
    milestone.refresh_from_db()
    assert milestone.status == "met" and milestone.evidence.count() == 1
    page = client.get(milestone.get_absolute_url())
    assert milestone.evidence.get().get_absolute_url() in page.content.decode()


def test_a_participant_is_an_organisation_or_a_company_not_both(cast):
    project = ProjectFactory(lead=cast.cti_a)
    company = CompanyFactory()
    with pytest.raises(ServiceError):
        services.participant_add(actor=cast.cti_a_manager, project=project, role="partner",
                                 organisation=cast.partner, company=company)  # fmt: skip
    with pytest.raises(ServiceError):
        services.participant_add(actor=cast.cti_a_manager, project=project, role="cti",
                                 organisation=cast.cti_a)  # fmt: skip
    services.participant_add(actor=cast.cti_a_manager, project=project, role="beneficiary",
                             company=company)  # fmt: skip
    assert Participant.objects.get().company == company


def test_budget_lines_one_per_source(cast, api_as):
    project = ProjectFactory(lead=cast.cti_a)
    api = api_as(cast.cti_a_manager)
    for amount in ("1 200 000", "1 500 000"):
        api("post", f"/api/v1/projects/{project.pk}/budget", {"source": "facet", "amount": amount})
    answer = api("get", f"/api/v1/projects/{project.pk}").json()
    assert [(line["source"], line["amount"]) for line in answer["budget"]] == [
        ("facet", "1500000.00")
    ]
    assert not Milestone.objects.exists()


def test_the_project_page_shows_its_facet_money_from_the_ledger(cast, client_for):
    from pilotage.fund.tests.factories import allocate, commit, facet_project, pay

    project = facet_project(cast.cti_a, budget="500000")
    commitment = commit(allocate(cast.cti_a, "800000"), "300000", project=project)
    pay(commitment, "120000")
    page = client_for(cast.cti_a_staff).get(project.get_absolute_url())
    assert (page.context["facet_committed"], page.context["facet_paid"]) == (300000, 120000)
    assert commitment.get_absolute_url() in page.content.decode()
    with pytest.raises(ServiceError) as over:
        commit(allocate(cast.cti_a, "800000", year=2025), "250000", project=project)
    assert over.value.code == "over_ceiling" and "amount" in over.value.field_errors


def test_the_kpis_count_projects_and_milestones_of_the_period(cast):
    from decimal import Decimal

    from pilotage.results.computations import computed_values

    task_force = ProjectFactory(
        lead=cast.cti_a, kind="task_force", status="in_progress",
        decision=DecisionFactory(decided_on=datetime.date(2024, 1, 5)),
        approved_on=datetime.date(2024, 1, 10), started_on=datetime.date(2024, 2, 1),
        investment_mdh=Decimal("120.5"), jobs_expected=300,
    )  # fmt: skip
    MilestoneFactory(project=task_force, due_on=datetime.date(2024, 6, 30), status="met",
                     reached_on=datetime.date(2024, 6, 20))  # fmt: skip
    MilestoneFactory(project=task_force, due_on=datetime.date(2024, 9, 30), status="met",
                     reached_on=datetime.date(2024, 10, 15))  # late  # fmt: skip
    MilestoneFactory(project=task_force, due_on=datetime.date(2025, 3, 31))
    ProjectFactory(lead=cast.cti_b, kind="task_force", started_on=datetime.date(2024, 3, 1))
    from pilotage.projects.models import Theme

    task_force.themes.set(Theme.objects.filter(code__in=["decarbonisation", "circular-economy"]))
    values = computed_values([cast.cti_a.pk], 2024)[cast.cti_a.pk]
    assert values[("theme_decarbonisation", "")] == values[("theme_circular_economy", "")] == 1
    assert values.get(("theme_digital", ""), 0) == 0
    # Counting themes repeats no project in the other figures.
    assert values[("projects_started", "")] == 1
    got = {name: values[(name, "")] for name in (
        "projects_started", "projects_task_force", "projects_joint_cid",
        "task_force_investment_mdh", "task_force_jobs", "milestones_due",
        "milestones_met_on_time")}  # fmt: skip
    assert got == {
        "projects_started": 1, "projects_task_force": 1, "projects_joint_cid": 0,
        "task_force_investment_mdh": Decimal("120.5"), "task_force_jobs": 300,
        "milestones_due": 2, "milestones_met_on_time": 1,
    }  # fmt: skip


def test_milestones_due_within_a_month_are_on_the_project_peoples_to_do_list(cast, client_for):
    project = ProjectFactory(lead=cast.cti_a, starts_on=TODAY - datetime.timedelta(days=100),
                             ends_on=TODAY + datetime.timedelta(days=400))  # fmt: skip
    MilestoneFactory(project=project, due_on=TODAY - datetime.timedelta(days=3))  # late
    MilestoneFactory(project=project, due_on=TODAY + datetime.timedelta(days=20))
    MilestoneFactory(project=project, due_on=TODAY + datetime.timedelta(days=90))  # not yet
    from pilotage.core.todo import todo_for

    items = [item for item in todo_for(cast.cti_a_staff) if "milestone" in item.label]
    assert [(item.count, item.tone) for item in items] == [(2, "danger")]
    assert not [item for item in todo_for(cast.cti_b_staff) if "milestone" in item.label]


def test_the_timeline_draws_the_filtered_projects_the_person_may_see(cast, client_for):
    import json

    mine = ProjectFactory(lead=cast.cti_a, kind="joint_cid")
    MilestoneFactory(project=mine, title="Prototype", due_on=datetime.date(2024, 6, 30))
    ProjectFactory(lead=cast.cti_a, kind="platform")
    ProjectFactory(lead=cast.cti_b, kind="joint_cid")  # not CTI A's
    page = client_for(cast.cti_a_staff).get(reverse("projects:timeline"), {"kind": "joint_cid"})
    assert [p.pk for p in page.context["projects"]] == [mine.pk]
    spec = json.loads(page.context["spec"])
    bars, points = spec["layer"][0]["data"]["values"], spec["layer"][1]["data"]["values"]
    assert [b["code"] for b in bars] == [mine.code]
    assert [(p["milestone"], p["overdue"]) for p in points] == [("Prototype", True)]


def test_the_portfolio_lists_each_projects_facet_money_in_a_constant_number_of_queries(
    cast, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pilotage.fund.tests.factories import allocate, commit, facet_project, pay

    project = facet_project(cast.cti_a, budget="500000")
    pay(commit(allocate(cast.cti_a, "800000"), "300000", project=project), "120000")
    client = client_for(cast.officer)
    url = reverse("projects:project_list")
    page = client.get(url)
    row = next(obj for obj, _cells in page.context["rows"] if obj.pk == project.pk)
    assert (row.facet_planned, row.facet_committed, row.facet_paid) == (500000, 300000, 120000)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(5):
        other = facet_project(cast.cti_b)
        commit(allocate(cast.cti_b, "1000", year=2022 + _n % 4), "500", project=other)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_daily_reminders_mail_milestones_due_within_a_week_and_late_ones_weekly(
    cast, mailoutbox
):
    from django.core.management import call_command

    from pilotage.core.models import Membership
    from pilotage.core.roles import Role

    project = ProjectFactory(lead=cast.cti_a, starts_on=TODAY - datetime.timedelta(days=100),
                             ends_on=TODAY + datetime.timedelta(days=400))  # fmt: skip
    Participant.objects.create(project=project, organisation=cast.cid, role="cid")
    MilestoneFactory(project=project, title="Prototype", due_on=TODAY + datetime.timedelta(days=5))
    MilestoneFactory(project=project, title="Essais", due_on=TODAY - datetime.timedelta(days=8))
    MilestoneFactory(project=project, title="Hier", due_on=TODAY - datetime.timedelta(days=2))
    MilestoneFactory(project=project, title="Plus tard", due_on=TODAY + datetime.timedelta(days=30))
    call_command("send_reporting_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    expected = {m.user.email for m in Membership.objects.filter(
        organisation__in=[cast.cti_a, cast.cid],
        role__in=[Role.CTI_MANAGER, Role.CTI_STAFF, Role.CID_MANAGER])}  # fmt: skip
    mails = [m for m in mailoutbox if "Prototype" in m.body]
    assert {m.to[0] for m in mails} == expected
    body = mails[0].body
    assert "Essais" in body and "Hier" not in body and "Plus tard" not in body
    assert not any(cast.cti_b_staff.email in m.to for m in mailoutbox if "Prototype" in m.body)
