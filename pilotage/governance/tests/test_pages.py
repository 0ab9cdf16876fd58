"""Governance pages: everyone signed in reads; the ministry records; bad input saves nothing."""

import datetime

import pytest
from django.urls import reverse

from pilotage.governance.models import Decision, Meeting, Recommendation
from pilotage.governance.tests.factories import (
    CommitteeFactory,
    DecisionFactory,
    MeetingFactory,
    RecommendationFactory,
)

LISTS = [
    "governance:committee_list", "governance:meeting_list", "governance:decision_list",
    "governance:evaluation_list", "governance:recommendation_list",
]  # fmt: skip


@pytest.mark.parametrize("name", LISTS)
def test_every_signed_in_user_reads_the_lists_but_only_the_ministry_may_create(
    cast, client_for, name
):
    DecisionFactory()
    RecommendationFactory()
    page = client_for(cast.cti_b_staff).get(reverse(name))
    assert page.status_code == 200
    assert page.context["can_create"] is False
    assert client_for(cast.officer).get(reverse(name)).context["can_create"] is True


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("governance:decision_list")).status_code == 302


def test_the_register_shows_overdue_follow_ups_and_filters_them(cast, client_for):
    late = DecisionFactory(due_on=datetime.date(2024, 9, 30), title="En retard")
    DecisionFactory(due_on=datetime.date(2024, 9, 30), follow_up_status="done", title="Fait")
    client = client_for(cast.committee)
    page = client.get(reverse("governance:decision_list"), {"overdue": "true"})
    assert [obj for obj, _cells in page.context["rows"]] == [late]
    assert page.context["rows"][0][1][-1] is not None  # the "Overdue" column says so
    export = client.get(reverse("governance:decision_list"), {"export": "csv"})
    assert export.status_code == 200
    assert late.number in b"".join(export.streaming_content).decode()


def test_the_register_runs_constant_queries(cast, client_for, django_assert_max_num_queries):
    DecisionFactory(owner=cast.cti_a)
    client = client_for(cast.officer)
    with django_assert_max_num_queries(20) as baseline:
        client.get(reverse("governance:decision_list"))
    for _ in range(6):
        DecisionFactory(owner=cast.cti_b, meeting=MeetingFactory())
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse("governance:decision_list"))


def test_an_officer_records_a_decision_from_the_meeting_page(cast, client_for):
    meeting = MeetingFactory(committee=CommitteeFactory(code="FACET"))
    client = client_for(cast.officer)
    form = client.get(
        reverse("governance:decision_create"),
        {"committee": meeting.committee_id, "meeting": meeting.pk},
    )
    assert form.context["form"].initial["meeting"] == meeting.pk
    response = client.post(
        reverse("governance:decision_create"),
        {
            "committee": meeting.committee_id, "meeting": meeting.pk, "decided_on": "2024-07-10",
            "kind": "reallocation", "title": "Redéploiement", "text": "Autorisé.",
            "reason": "PV du comité",
        },
    )  # fmt: skip
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response.url == decision.get_absolute_url()
    assert decision.number == "FACET-2024-01"
    assert client.get(decision.get_absolute_url()).status_code == 200
    history = client.get(reverse("governance:decision_history", args=[decision.pk]))
    assert "PV du comité" in history.content.decode()


def test_bad_input_shows_field_errors_and_saves_nothing(cast, client_for):
    meeting = MeetingFactory()
    other = MeetingFactory()
    response = client_for(cast.officer).post(
        reverse("governance:decision_create"),
        {"committee": meeting.committee_id, "meeting": other.pk, "decided_on": "pas une date",
         "kind": "nope", "title": "", "text": ""},
    )  # fmt: skip
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert {"meeting", "decided_on", "kind", "title", "text"} <= set(errors)
    assert not Decision.objects.exists()


def test_a_service_refusal_is_shown_next_to_its_field(cast, client_for):
    planned = MeetingFactory(status="planned")
    response = client_for(cast.officer).post(
        reverse("governance:decision_create"),
        {"committee": planned.committee_id, "meeting": planned.pk, "decided_on": "2024-07-10",
         "kind": "other", "title": "Point divers", "text": "Noté."},
    )  # fmt: skip
    assert response.status_code == 422
    assert "meeting" in response.context["form"].errors
    assert not Decision.objects.exists()


def test_an_officer_plans_a_meeting_holds_it_and_uploads_its_minutes(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    committee = CommitteeFactory()
    client = client_for(cast.officer)
    client.post(
        reverse("governance:meeting_create"),
        {"committee": committee.pk, "date": "2024-03-12", "agenda": "Bilan", "place": "Rabat"},
    )
    meeting = Meeting.objects.get()
    client.post(reverse("governance:meeting_transition", args=[meeting.pk]), {"status": "held"})
    client.post(
        reverse("governance:document_add", args=[meeting.pk]),
        {"title": "PV", "is_minutes": "on", "file": SimpleUploadedFile("pv.pdf", b"%PDF-1.7")},
    )
    meeting.refresh_from_db()
    assert meeting.status == "held"
    document = meeting.documents.get()
    assert document.is_minutes
    download = client_for(cast.cti_b_staff).get(document.get_absolute_url())
    assert download.status_code == 200


@pytest.mark.parametrize("person", ["committee", "cti_a_manager", "auditor"])
def test_non_ministry_users_cannot_open_the_forms(cast, client_for, person):
    decision = DecisionFactory()
    client = client_for(getattr(cast, person))
    assert client.get(reverse("governance:decision_create")).status_code == 403
    assert client.get(reverse("governance:decision_edit", args=[decision.pk])).status_code == 403
    response = client.post(
        reverse("governance:decision_follow_up", args=[decision.pk]),
        {"status": "done", "note": "x"},
    )
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.follow_up_status == "open"


def test_a_progress_note_from_the_page_moves_the_status(cast, client_for):
    recommendation = RecommendationFactory()
    client = client_for(cast.officer)
    client.post(
        reverse("governance:progress_note_add", args=[recommendation.pk]),
        {"noted_on": "2024-02-01", "text": "Démarré.", "status_after": "in_progress"},
    )
    recommendation.refresh_from_db()
    assert recommendation.status == "in_progress"
    page = client_for(cast.cti_b_staff).get(recommendation.get_absolute_url())
    assert "Démarré." in page.content.decode()
    assert Recommendation.objects.count() == 1


@pytest.mark.parametrize("person", ["officer", "cti_b_staff"])
def test_every_page_of_a_committee_renders(cast, client_for, person):
    from pilotage.governance import services
    from pilotage.governance.tests.factories import EvaluationFactory

    committee = CommitteeFactory(code="FACET")
    services.member_add(
        actor=cast.officer, committee=committee, organisation=cast.network, role="member",
        user=cast.committee,
    )  # fmt: skip
    meeting = MeetingFactory(committee=committee)
    decision = DecisionFactory(committee=committee, meeting=meeting, owner=cast.cti_a)
    evaluation = EvaluationFactory(committee=committee)
    recommendation = RecommendationFactory(evaluation=evaluation)
    client = client_for(getattr(cast, person))
    for obj in (committee, meeting, decision, evaluation, recommendation):
        assert client.get(obj.get_absolute_url()).status_code == 200, obj
        name = f"governance:{obj._meta.model_name}_history"
        assert client.get(reverse(name, args=[obj.pk])).status_code == 200, name
    page = client.get(committee.get_absolute_url()).content.decode()
    assert decision.number in page
    member_add = reverse("governance:member_add", args=[committee.pk])
    assert (member_add in page) is (person == "officer")


def test_a_committee_page_names_its_agreement_only_to_that_agreements_parties(cast, client_for):
    from pilotage.governance.models import Committee
    from pilotage.programmes.models import PartyRole
    from pilotage.programmes.tests.factories import agreement_with

    contract = agreement_with(cast.cti_a, role=PartyRole.SIGNATORY)
    committee = Committee.objects.create(code="COPIL-A", name="Copil", agreement=contract)
    seen = client_for(cast.cti_a_staff).get(committee.get_absolute_url()).content.decode()
    hidden = client_for(cast.cti_b_staff).get(committee.get_absolute_url()).content.decode()
    assert contract.reference in seen and contract.reference not in hidden
