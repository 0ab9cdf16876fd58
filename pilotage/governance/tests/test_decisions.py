"""Decisions: numbering per committee and year (also under concurrency), the meeting they belong
to, corrections that keep the number, and the follow-up of the register."""

import datetime
import threading

import pytest
from django.db import connection, connections

from pilotage.core.errors import ErrorCode, ServiceError
from pilotage.governance import selectors, services
from pilotage.governance.models import Decision, DecisionKind, FollowUpStatus, MeetingStatus
from pilotage.governance.tests.factories import CommitteeFactory, DecisionFactory, MeetingFactory


def decide(actor, committee, on=datetime.date(2024, 7, 10), **fields) -> Decision:
    fields = {
        "kind": DecisionKind.REALLOCATION,
        "title": "Redéploiement",
        "text": "Autorisé.",
    } | fields
    return services.decision_create(actor=actor, committee=committee, decided_on=on, **fields)


def test_decisions_are_numbered_per_committee_and_year(cast):
    facet = CommitteeFactory(code="FACET")
    copil = CommitteeFactory(code="CID-COPIL")
    numbers = [decide(cast.officer, facet).number for _ in range(3)]
    assert numbers == ["FACET-2024-01", "FACET-2024-02", "FACET-2024-03"]
    assert decide(cast.officer, facet, on=datetime.date(2025, 1, 9)).number == "FACET-2025-01"
    assert decide(cast.officer, copil).number == "CID-COPIL-2024-01"
    assert decide(cast.officer, facet).number == "FACET-2024-04"


def test_a_decision_in_a_meeting_takes_its_date_and_must_be_the_committees(cast):
    facet = CommitteeFactory(code="FACET")
    meeting = MeetingFactory(committee=facet, date=datetime.date(2023, 6, 20))
    decision = decide(cast.officer, facet, on=None, meeting=meeting)
    assert (decision.decided_on, decision.number) == (meeting.date, "FACET-2023-01")

    other = MeetingFactory(committee=CommitteeFactory(code="OTHER"))
    with pytest.raises(ServiceError) as refused:
        decide(cast.officer, facet, meeting=other)
    assert "meeting" in refused.value.field_errors
    assert not Decision.objects.filter(meeting=other).exists()


def test_a_meeting_not_yet_held_takes_no_decision(cast):
    planned = MeetingFactory(status=MeetingStatus.PLANNED)
    with pytest.raises(ServiceError) as refused:
        decide(cast.officer, planned.committee, meeting=planned)
    assert "meeting" in refused.value.field_errors


def test_only_an_amendment_decision_names_an_amendment(cast):
    from pilotage.programmes.models import Amendment
    from pilotage.programmes.tests.factories import agreement_with

    agreement = agreement_with(cast.ministry, cast.cti_a)
    amendment = Amendment.objects.create(
        agreement=agreement, number=1, kind="ceiling", signed_on=datetime.date(2024, 9, 1),
        reason="Plafond",
    )  # fmt: skip
    with pytest.raises(ServiceError) as refused:
        decide(cast.officer, CommitteeFactory(), amendment=amendment)
    assert "amendment" in refused.value.field_errors
    decision = decide(cast.officer, CommitteeFactory(), kind="amendment", amendment=amendment)
    assert decision.amendment == amendment


def test_a_correction_keeps_the_number_and_its_year(cast):
    decision = decide(cast.officer, CommitteeFactory(code="FACET"))
    services.decision_update(
        actor=cast.officer, decision=decision, title="Redéploiement axe 2 → axe 4",
        decided_on=datetime.date(2024, 7, 11), reason="Coquille dans le PV",
    )  # fmt: skip
    decision.refresh_from_db()
    assert decision.number == "FACET-2024-01"
    assert decision.history.latest().history_change_reason == "Coquille dans le PV"
    with pytest.raises(ServiceError) as refused:
        services.decision_update(
            actor=cast.officer, decision=decision, decided_on=datetime.date(2025, 1, 2)
        )
    assert "decided_on" in refused.value.field_errors


def test_the_follow_up_lands_in_the_history_with_its_reason(cast):
    decision = decide(cast.officer, CommitteeFactory(), owner=cast.cti_a)
    with pytest.raises(ServiceError) as no_reason:
        services.decision_follow_up(
            actor=cast.officer, decision=decision, status=FollowUpStatus.CANCELLED
        )
    assert "reason" in no_reason.value.field_errors
    with pytest.raises(ServiceError) as no_note:
        services.decision_follow_up(actor=cast.officer, decision=decision, status="done")
    assert "note" in no_note.value.field_errors

    services.decision_follow_up(
        actor=cast.officer, decision=decision, status=FollowUpStatus.DONE,
        note="Redéploiement passé en écriture au grand livre.", reason="Clôture",
    )  # fmt: skip
    decision.refresh_from_db()
    assert decision.follow_up_status == FollowUpStatus.DONE
    latest = decision.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (cast.officer, "Clôture")
    assert [r.follow_up_status for r in decision.history.order_by("history_date")] == [
        "open",
        "done",
    ]


def test_the_register_says_which_follow_ups_are_overdue(cast):
    late = DecisionFactory(due_on=datetime.date(2024, 9, 30))
    done = DecisionFactory(due_on=datetime.date(2024, 9, 30), follow_up_status="done")
    future = DecisionFactory(due_on=datetime.date.today() + datetime.timedelta(days=30))
    overdue = dict(selectors.decision_register(cast.cti_b_staff).values_list("pk", "is_overdue"))
    assert overdue == {late.pk: True, done.pk: False, future.pk: False}


@pytest.mark.parametrize("person", ["committee", "auditor", "cti_a_manager", "cid_manager"])
def test_only_ministry_roles_record_decisions(cast, person):
    committee = CommitteeFactory()
    with pytest.raises(ServiceError) as refused:
        decide(getattr(cast, person), committee)
    assert refused.value.code == ErrorCode.FORBIDDEN
    assert not Decision.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_never_draw_the_same_number(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    committee = CommitteeFactory(code="FACET")
    workers = 6
    barrier = threading.Barrier(workers)
    numbers, errors = [], []

    def record() -> None:
        try:
            barrier.wait()
            numbers.append(decide(cast.officer, committee).number)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"FACET-2024-{n:02d}" for n in range(1, workers + 1)]


def test_an_inactive_committee_takes_no_decision(cast):
    import datetime

    from pilotage.core.errors import ServiceError
    from pilotage.governance import services
    from pilotage.governance.models import Committee, Decision

    committee = Committee.objects.create(code="OLD", name="Ancien comité", is_active=False)
    with pytest.raises(ServiceError) as caught:
        services.decision_create(
            actor=cast.officer, committee=committee, decided_on=datetime.date(2024, 5, 2),
            kind="other", title="T", text="Texte",
        )  # fmt: skip
    assert "committee" in caught.value.field_errors
    assert not Decision.objects.exists()
