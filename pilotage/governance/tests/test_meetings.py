"""Committees, members and meetings: numbering, the meeting lifecycle, minutes."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pilotage.core.errors import ServiceError
from pilotage.governance import services
from pilotage.governance.models import Meeting, MeetingStatus
from pilotage.governance.tests.factories import CommitteeFactory, MeetingFactory


def plan(actor, committee, on=datetime.date(2024, 3, 12)) -> Meeting:
    return services.meeting_create(
        actor=actor, committee=committee, date=on, place="Rabat", agenda="Bilan annuel"
    )


def test_meetings_are_numbered_within_their_committee(cast):
    facet, copil = CommitteeFactory(code="FACET"), CommitteeFactory(code="CID-COPIL")
    assert [plan(cast.officer, facet).number for _ in range(2)] == [1, 2]
    assert plan(cast.officer, copil).number == 1
    assert "FACET" in str(Meeting.objects.get(committee=facet, number=2))


def test_an_inactive_committee_meets_no_more(cast):
    with pytest.raises(ServiceError) as refused:
        plan(cast.officer, CommitteeFactory(is_active=False))
    assert "committee" in refused.value.field_errors


def test_a_meeting_is_held_or_cancelled_with_a_reason(cast):
    meeting = plan(cast.officer, CommitteeFactory())
    with pytest.raises(ServiceError) as no_reason:
        services.meeting_transition(actor=cast.officer, meeting=meeting, status="cancelled")
    assert "reason" in no_reason.value.field_errors
    services.meeting_transition(actor=cast.officer, meeting=meeting, status="held")
    with pytest.raises(ServiceError):
        services.meeting_transition(actor=cast.officer, meeting=meeting, status="planned")
    meeting.refresh_from_db()
    assert [r.status for r in meeting.history.order_by("history_date")] == ["planned", "held"]


def test_a_future_meeting_cannot_be_recorded_as_held(cast):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    meeting = plan(cast.officer, CommitteeFactory(), on=tomorrow)
    with pytest.raises(ServiceError) as refused:
        services.meeting_transition(actor=cast.officer, meeting=meeting, status="held")
    assert "status" in refused.value.field_errors


def test_signed_minutes_are_stored_with_their_hash(cast):
    meeting = MeetingFactory(status=MeetingStatus.HELD)
    content = b"%PDF-1.4 proces-verbal"
    document = services.meeting_document_attach(
        actor=cast.officer, meeting=meeting, title="PV signé", is_minutes=True,
        upload=SimpleUploadedFile("pv.pdf", content),
    )  # fmt: skip
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    planned = MeetingFactory(status=MeetingStatus.PLANNED)
    with pytest.raises(ServiceError):
        services.meeting_document_attach(
            actor=cast.officer, meeting=planned, title="PV", is_minutes=True,
            upload=SimpleUploadedFile("pv.pdf", content),
        )  # fmt: skip


def test_a_committee_has_one_chair_and_its_code_is_frozen_by_its_decisions(cast):
    from pilotage.governance.tests.factories import DecisionFactory

    committee = CommitteeFactory(code="FACET")
    services.member_add(
        actor=cast.officer, committee=committee, organisation=cast.ministry, role="chair",
        person_name="Directeur général de l'industrie",
    )  # fmt: skip
    with pytest.raises(ServiceError) as second_chair:
        services.member_add(
            actor=cast.officer, committee=committee, organisation=cast.network, role="chair",
            person_name="Président du RECTIM",
        )  # fmt: skip
    assert "role" in second_chair.value.field_errors
    services.member_add(
        actor=cast.officer, committee=committee, organisation=cast.network, role="member",
        user=cast.committee,
    )  # fmt: skip
    assert committee.members.count() == 2

    DecisionFactory(committee=committee)
    with pytest.raises(ServiceError) as frozen:
        services.committee_update(actor=cast.officer, committee=committee, code="FACET2")
    assert "code" in frozen.value.field_errors
