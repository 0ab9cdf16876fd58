"""Every state change of committees, meetings, decisions and evaluation recommendations.

Numbers are given here and only here: a meeting's number within its committee, a decision's
`<committee code>-<year>-<sequence>` (FACET-2024-07). Both are computed under a row lock on the
committee, so two secretaries recording at the same moment can never draw the same number."""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotage.core import access
from pilotage.core.audit import stamp
from pilotage.core.errors import ErrorCode, refusal
from pilotage.core.files import store_upload
from pilotage.core.models import NotificationKind, Organisation, User
from pilotage.core.notifications import notify, people_of
from pilotage.core.roles import EVERY_ROLE
from pilotage.core.services import KEEP, change_fields, persist
from pilotage.governance.models import (
    Committee,
    CommitteeMember,
    Decision,
    Evaluation,
    FollowUpStatus,
    ManagementResponse,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    ProgressEvidence,
    ProgressNote,
    Recommendation,
    RecommendationStatus,
)
from pilotage.programmes.models import Agreement, Amendment, Programme

# A meeting's lifecycle: a planned meeting is held or cancelled; a cancelled one may be planned
# again (rescheduled); a held meeting is history.
MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.PLANNED: frozenset({MeetingStatus.HELD, MeetingStatus.CANCELLED}),
    MeetingStatus.CANCELLED: frozenset({MeetingStatus.PLANNED}),
    MeetingStatus.HELD: frozenset(),
}


def _check_active(committee: Committee) -> None:
    """A committee that no longer sits neither meets nor decides."""
    if not committee.is_active:
        raise refusal(_("This committee is no longer active."), "committee")


def _locked_committee(committee: Committee) -> Committee:
    """The committee row is the lock behind both numberings (meetings, decisions)."""
    return Committee.objects.select_for_update().get(pk=committee.pk)


# --- committees and their members ------------------------------------------------------------


@transaction.atomic
def committee_create(
    *,
    actor: User,
    code: str,
    name: str,
    programme: Programme | None = None,
    agreement: Agreement | None = None,
    mandate: str = "",
    is_active: bool = True,
    reason: str = "",
) -> Committee:
    access.ensure_can_create(actor, Committee)
    committee = Committee(
        code=code, name=name, programme=programme, agreement=agreement, mandate=mandate,
        is_active=is_active,
    )  # fmt: skip
    return persist(committee, actor=actor, reason=reason)


@transaction.atomic
def committee_update(
    *,
    actor: User,
    committee: Committee,
    code: str = KEEP,
    name: str = KEEP,
    programme: Programme | None = KEEP,
    agreement: Agreement | None = KEEP,
    mandate: str = KEEP,
    is_active: bool = KEEP,
    reason: str = "",
) -> Committee:
    access.get_editable(Committee, actor, committee.pk)
    committee = _locked_committee(committee)
    if code is not KEEP and code != committee.code and committee.decisions.exists():
        # Decision numbers carry the code and are cited elsewhere (the fund's reallocations).
        raise refusal(
            _("The committee has numbered decisions: its code can no longer change."), "code"
        )
    change_fields(
        committee, code=code, name=name, programme=programme, agreement=agreement,
        mandate=mandate, is_active=is_active,
    )  # fmt: skip
    return persist(committee, actor=actor, reason=reason)


@transaction.atomic
def member_add(
    *,
    actor: User,
    committee: Committee,
    organisation: Organisation,
    role: str,
    person_name: str = "",
    user: User | None = None,
    reason: str = "",
) -> CommitteeMember:
    # The committee row is also the lock that keeps two "add a chair" requests from both passing.
    committee = _locked_committee(access.get_editable(Committee, actor, committee.pk))
    member = CommitteeMember(
        committee=committee,
        organisation=organisation,
        role=role,
        person_name=person_name.strip(),
        user=user,
    )
    if not member.person_name and user is None:
        raise refusal(_("Name the person, or choose their platform account."), "person_name",
                      ErrorCode.INVALID)  # fmt: skip
    if role == "chair" and committee.members.filter(role="chair").exists():
        raise refusal(_("The committee already has a chair: remove them first."), "role")
    return persist(member, actor=actor, reason=reason)


@transaction.atomic
def member_remove(*, actor: User, member: CommitteeMember, reason: str = "") -> None:
    member = access.get_editable(CommitteeMember, actor, member.pk)
    stamp(member, actor=actor, reason=reason)
    member.delete()


# --- meetings --------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    committee: Committee,
    date: datetime.date,
    agenda: str,
    place: str = "",
    summary: str = "",
    reason: str = "",
) -> Meeting:
    """Plan the committee's next meeting: it takes the next number of that committee."""
    access.ensure_can_create(actor, Meeting)
    committee = _locked_committee(access.get_visible(Committee, actor, committee.pk))
    _check_active(committee)
    last = committee.meetings.aggregate(last=Max("number"))["last"] or 0
    meeting = Meeting(
        committee=committee, number=last + 1, status=MeetingStatus.PLANNED, date=date,
        agenda=agenda, place=place, summary=summary,
    )  # fmt: skip
    return persist(meeting, actor=actor, reason=reason)


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    date: datetime.date = KEEP,
    agenda: str = KEEP,
    place: str = KEEP,
    summary: str = KEEP,
    reason: str = "",
) -> Meeting:
    access.get_editable(Meeting, actor, meeting.pk)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    change_fields(meeting, date=date, agenda=agenda, place=place, summary=summary)
    if meeting.status == MeetingStatus.HELD and meeting.date > timezone.localdate():
        raise refusal(_("A meeting that was held cannot be dated in the future."), "date",
                      ErrorCode.INVALID)  # fmt: skip
    return persist(meeting, actor=actor, reason=reason)


@transaction.atomic
def meeting_transition(*, actor: User, meeting: Meeting, status: str, reason: str = "") -> Meeting:
    """Record that a planned meeting was held, or cancel it (with a reason)."""
    access.get_editable(Meeting, actor, meeting.pk)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if status not in MEETING_TRANSITIONS[meeting.status]:
        new = MeetingStatus(status).label if status in MeetingStatus.values else status
        raise refusal(
            _("A meeting cannot go from “%(old)s” to “%(new)s”.")
            % {"old": MeetingStatus(meeting.status).label, "new": new},
            "status",
        )
    if status == MeetingStatus.HELD and meeting.date > timezone.localdate():
        raise refusal(_("A meeting cannot be held before its date."), "status")
    if status == MeetingStatus.CANCELLED and not reason.strip():
        raise refusal(_("Say why the meeting is cancelled."), "reason", ErrorCode.INVALID)
    meeting.status = status
    return persist(meeting, actor=actor, reason=reason)


@transaction.atomic
def meeting_document_attach(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    upload: UploadedFile | None,
    is_minutes: bool = False,
) -> MeetingDocument:
    """Store the minutes (procès-verbal) or another document of a meeting, with its SHA-256."""
    meeting = access.get_editable(Meeting, actor, meeting.pk)
    if upload is None:
        raise refusal(_("Choose the file to send."), "file", ErrorCode.INVALID)
    if is_minutes and meeting.status != MeetingStatus.HELD:
        raise refusal(_("Minutes are for a meeting that was held."), "is_minutes")
    document = MeetingDocument(
        meeting=meeting, title=title.strip() or upload.name or "", is_minutes=is_minutes
    )
    store_upload(document, upload)
    return persist(document, actor=actor)


# --- decisions -------------------------------------------------------------------------------


def _check_meeting(decision: Decision) -> None:
    meeting = decision.meeting
    if meeting is None:
        return
    if meeting.committee_id != decision.committee_id:
        raise refusal(_("This meeting is another committee's."), "meeting", ErrorCode.INVALID)
    if meeting.status != MeetingStatus.HELD:
        raise refusal(_("Record the meeting as held before its decisions."), "meeting")


def _check_amendment(decision: Decision) -> None:
    if decision.amendment_id is not None and decision.kind != "amendment":
        raise refusal(
            _("Only a decision of kind “amendment” authorises an amendment."),
            "amendment",
            ErrorCode.INVALID,
        )


def decision_number(committee: Committee, year: int, sequence: int) -> str:
    return f"{committee.code}-{year}-{sequence:02d}"


@transaction.atomic
def decision_create(
    *,
    actor: User,
    committee: Committee,
    kind: str,
    title: str,
    text: str,
    decided_on: datetime.date | None = None,
    meeting: Meeting | None = None,
    amendment: Amendment | None = None,
    owner: Organisation | None = None,
    due_on: datetime.date | None = None,
    reason: str = "",
) -> Decision:
    """Record a decision and give it the committee's next number for the year of the decision
    (FACET-2024-07). A decision taken in a meeting defaults to the meeting's date."""
    access.ensure_can_create(actor, Decision)
    committee = _locked_committee(access.get_visible(Committee, actor, committee.pk))
    _check_active(committee)
    if decided_on is None and meeting is not None:
        decided_on = meeting.date
    if decided_on is None:
        raise refusal(_("This field is required."), "decided_on", ErrorCode.INVALID)
    decision = Decision(
        committee=committee, decided_on=decided_on, kind=kind, title=title, text=text,
        meeting=meeting, amendment=amendment, owner=owner, due_on=due_on,
    )  # fmt: skip
    _check_meeting(decision)
    _check_amendment(decision)
    decision.year = decision.decided_on.year
    last = committee.decisions.filter(year=decision.year).aggregate(last=Max("sequence"))["last"]
    decision.sequence = (last or 0) + 1
    decision.number = decision_number(committee, decision.year, decision.sequence)
    persist(decision, actor=actor, reason=reason)
    _tell_concerned(decision, actor)
    return decision


def _tell_concerned(decision: Decision, actor: User) -> None:
    """The people of the organisation a decision makes responsible are told of it."""
    if decision.owner is None:
        return
    notify(
        recipients=people_of([decision.owner_id], EVERY_ROLE), kind=NotificationKind.DECISION_TAKEN,
        subject=f"decisions:{decision.committee_id}:{decision.owner_id}", exclude=actor,
        params={"number": decision.number, "committee": decision.committee.code,
                "organisation": decision.owner.acronym},
        link=decision.get_absolute_url(),
    )  # fmt: skip


@transaction.atomic
def decision_update(
    *,
    actor: User,
    decision: Decision,
    kind: str = KEEP,
    title: str = KEEP,
    text: str = KEEP,
    decided_on: datetime.date = KEEP,
    meeting: Meeting | None = KEEP,
    amendment: Amendment | None = KEEP,
    owner: Organisation | None = KEEP,
    due_on: datetime.date | None = KEEP,
    reason: str = "",
) -> Decision:
    """Correct a decision's record. Its number never changes, so neither does its year."""
    access.get_editable(Decision, actor, decision.pk)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    cited = decision.fund_entries.order_by("entry_date").first()  # the ledger rests on it
    change_fields(
        decision, kind=kind, title=title, text=text, decided_on=decided_on, meeting=meeting,
        amendment=amendment, owner=owner, due_on=due_on,
    )  # fmt: skip
    if cited is not None and (
        decision.kind != cited.kind or decision.decided_on is None
        or decision.decided_on > cited.entry_date
    ):  # fmt: skip
        raise refusal(
            _("Ledger entries cite this decision (%(entry)s): its kind and date stay as they are.")
            % {"entry": cited.reference},
            "kind",
            ErrorCode.CONFLICT,
        )
    if decision.decided_on is not None and decision.decided_on.year != decision.year:
        raise refusal(
            _("Decision %(number)s is numbered in %(year)s: its date must stay in that year.")
            % {"number": decision.number, "year": decision.year},
            "decided_on",
            ErrorCode.INVALID,
        )
    _check_meeting(decision)
    _check_amendment(decision)
    return persist(decision, actor=actor, reason=reason)


@transaction.atomic
def decision_follow_up(
    *,
    actor: User,
    decision: Decision,
    status: str,
    note: str = "",
    owner: Organisation | None = None,
    due_on: datetime.date | None = None,
    reason: str = "",
) -> Decision:
    """Update where the decision's implementation stands (the register). Cancelling it needs a
    reason; closing it (done) needs a note saying what was done."""
    access.get_editable(Decision, actor, decision.pk)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if status == FollowUpStatus.CANCELLED and not reason.strip():
        raise refusal(_("Say why the follow-up is cancelled."), "reason", ErrorCode.INVALID)
    if status == FollowUpStatus.DONE and not (note.strip() or decision.follow_up_note.strip()):
        raise refusal(_("Say what was done."), "note", ErrorCode.INVALID)
    decision.follow_up_status = status
    if note.strip():
        decision.follow_up_note = note.strip()
    if owner is not None:
        decision.owner = owner
    if due_on is not None:
        decision.due_on = due_on
    return persist(decision, actor=actor, reason=reason)


# --- evaluations and their recommendations ---------------------------------------------------


@transaction.atomic
def evaluation_create(
    *,
    actor: User,
    title: str,
    evaluator: str,
    delivered_on: datetime.date,
    programme: Programme | None = None,
    committee: Committee | None = None,
    summary: str = "",
    reason: str = "",
) -> Evaluation:
    access.ensure_can_create(actor, Evaluation)
    evaluation = Evaluation(
        title=title, evaluator=evaluator, delivered_on=delivered_on, programme=programme,
        committee=committee, summary=summary,
    )  # fmt: skip
    return persist(evaluation, actor=actor, reason=reason)


@transaction.atomic
def evaluation_update(
    *,
    actor: User,
    evaluation: Evaluation,
    title: str = KEEP,
    evaluator: str = KEEP,
    delivered_on: datetime.date = KEEP,
    programme: Programme | None = KEEP,
    committee: Committee | None = KEEP,
    summary: str = KEEP,
    reason: str = "",
) -> Evaluation:
    access.get_editable(Evaluation, actor, evaluation.pk)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    change_fields(
        evaluation, title=title, evaluator=evaluator, delivered_on=delivered_on,
        programme=programme, committee=committee, summary=summary,
    )  # fmt: skip
    return persist(evaluation, actor=actor, reason=reason)


def _apply_response(recommendation: Recommendation, previous: str | None) -> None:
    """A rejected recommendation is dropped; accepting it again reopens it."""
    if recommendation.response == ManagementResponse.REJECTED:
        recommendation.status = RecommendationStatus.DROPPED
    elif previous == ManagementResponse.REJECTED:
        recommendation.status = RecommendationStatus.OPEN


@transaction.atomic
def recommendation_create(
    *,
    actor: User,
    evaluation: Evaluation,
    text: str,
    response: str,
    number: int | None = None,
    response_note: str = "",
    owner: Organisation | None = None,
    due_on: datetime.date | None = None,
    reason: str = "",
) -> Recommendation:
    access.ensure_can_create(actor, Recommendation)
    evaluation = Evaluation.objects.select_for_update().get(
        pk=access.get_visible(Evaluation, actor, evaluation.pk).pk
    )
    if number is None:
        last = evaluation.recommendations.aggregate(last=Max("number"))["last"]
        number = (last or 0) + 1
    recommendation = Recommendation(
        evaluation=evaluation, status=RecommendationStatus.OPEN, number=number, text=text,
        response=response, response_note=response_note, owner=owner, due_on=due_on,
    )  # fmt: skip
    _apply_response(recommendation, None)
    return persist(recommendation, actor=actor, reason=reason)


@transaction.atomic
def recommendation_update(
    *,
    actor: User,
    recommendation: Recommendation,
    text: str = KEEP,
    response: str = KEEP,
    number: int = KEEP,
    response_note: str = KEEP,
    owner: Organisation | None = KEEP,
    due_on: datetime.date | None = KEEP,
    reason: str = "",
) -> Recommendation:
    access.get_editable(Recommendation, actor, recommendation.pk)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    previous = recommendation.response
    change_fields(
        recommendation, text=text, response=response, number=number,
        response_note=response_note, owner=owner, due_on=due_on,
    )  # fmt: skip
    if recommendation.response != previous and not reason.strip():
        raise refusal(_("Say why the management response changes."), "reason", ErrorCode.INVALID)
    _apply_response(recommendation, previous)
    return persist(recommendation, actor=actor, reason=reason)


@transaction.atomic
def progress_note_create(
    *,
    actor: User,
    recommendation: Recommendation,
    noted_on: datetime.date,
    text: str,
    status_after: str = "",
    upload: UploadedFile | None = None,
    evidence_title: str = "",
) -> ProgressNote:
    """Record progress on a recommendation, with a file as evidence if there is one; the note may
    move the recommendation's status, and that change lands in its history with the note."""
    access.get_editable(Recommendation, actor, recommendation.pk)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.response == ManagementResponse.REJECTED and status_after not in (
        "", RecommendationStatus.DROPPED,
    ):  # fmt: skip
        raise refusal(
            _("The recommendation was rejected: it stays dropped unless the response changes."),
            "status_after",
        )
    if noted_on is not None and noted_on > timezone.localdate():
        raise refusal(_("A progress note cannot be dated in the future."), "noted_on",
                      ErrorCode.INVALID)  # fmt: skip
    note = ProgressNote(
        recommendation=recommendation,
        noted_on=noted_on,
        text=text.strip(),
        status_after=status_after,
        author=actor,
    )
    persist(note, actor=actor)
    if upload is not None:
        evidence = ProgressEvidence(note=note, title=evidence_title.strip() or upload.name or "")
        store_upload(evidence, upload)
        persist(evidence, actor=actor)
    if status_after and status_after != recommendation.status:
        recommendation.status = status_after
        reason = _("Progress note of %(date)s") % {"date": noted_on.strftime("%d/%m/%Y")}
        persist(recommendation, actor=actor, reason=reason)
    return note
