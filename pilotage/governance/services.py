"""Every state change of committees, meetings, decisions and evaluation recommendations.

Numbers are given here and only here: a meeting's number within its committee, a decision's
`<committee code>-<year>-<sequence>` (FACET-2024-07). Both are computed under a row lock on the
committee, so two secretaries recording at the same moment can never draw the same number."""

from datetime import date

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
from pilotage.core.services import assign_fields, persist
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

COMMITTEE_FIELDS = ("code", "name", "programme", "agreement", "mandate", "is_active")
MEETING_FIELDS = ("date", "place", "agenda", "summary")
DECISION_FIELDS = (
    "meeting", "decided_on", "kind", "title", "text", "amendment", "owner", "due_on",
)  # fmt: skip
EVALUATION_FIELDS = ("title", "programme", "evaluator", "delivered_on", "committee", "summary")
RECOMMENDATION_FIELDS = ("number", "text", "response", "response_note", "owner", "due_on")

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
def committee_create(*, actor: User, reason: str = "", **fields) -> Committee:
    access.ensure_can_create(actor, Committee)
    committee = Committee()
    assign_fields(committee, fields, COMMITTEE_FIELDS)
    return persist(committee, actor=actor, reason=reason)


@transaction.atomic
def committee_update(*, actor: User, committee: Committee, reason: str = "", **fields) -> Committee:
    access.get_editable(Committee, actor, committee.pk)
    committee = _locked_committee(committee)
    code = fields.get("code", committee.code)
    if code != committee.code and committee.decisions.exists():
        # Decision numbers carry the code and are cited elsewhere (the fund's reallocations).
        raise refusal(
            _("The committee has numbered decisions: its code can no longer change."), "code"
        )
    assign_fields(committee, fields, COMMITTEE_FIELDS)
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
def meeting_create(*, actor: User, committee: Committee, reason: str = "", **fields) -> Meeting:
    """Plan the committee's next meeting: it takes the next number of that committee."""
    access.ensure_can_create(actor, Meeting)
    committee = _locked_committee(access.get_visible(Committee, actor, committee.pk))
    _check_active(committee)
    last = committee.meetings.aggregate(last=Max("number"))["last"] or 0
    meeting = Meeting(committee=committee, number=last + 1, status=MeetingStatus.PLANNED)
    assign_fields(meeting, fields, MEETING_FIELDS)
    return persist(meeting, actor=actor, reason=reason)


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, reason: str = "", **fields) -> Meeting:
    access.get_editable(Meeting, actor, meeting.pk)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    assign_fields(meeting, fields, MEETING_FIELDS)
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
        meeting=meeting, title=title.strip() or upload.name, is_minutes=is_minutes
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
    decided_on: date | None = None,
    reason: str = "",
    **fields,
) -> Decision:
    """Record a decision and give it the committee's next number for the year of the decision
    (FACET-2024-07). A decision taken in a meeting defaults to the meeting's date."""
    access.ensure_can_create(actor, Decision)
    committee = _locked_committee(access.get_visible(Committee, actor, committee.pk))
    _check_active(committee)
    decision = Decision(committee=committee, decided_on=decided_on)
    assign_fields(decision, fields, DECISION_FIELDS)
    if decision.decided_on is None and decision.meeting is not None:
        decision.decided_on = decision.meeting.date
    if decision.decided_on is None:
        raise refusal(_("This field is required."), "decided_on", ErrorCode.INVALID)
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
    if decision.owner_id is None:
        return
    notify(
        recipients=people_of([decision.owner_id], EVERY_ROLE), kind=NotificationKind.DECISION_TAKEN,
        subject=f"decisions:{decision.committee_id}:{decision.owner_id}", exclude=actor,
        params={"number": decision.number, "committee": decision.committee.code,
                "organisation": decision.owner.acronym},
        link=decision.get_absolute_url(),
    )  # fmt: skip


@transaction.atomic
def decision_update(*, actor: User, decision: Decision, reason: str = "", **fields) -> Decision:
    """Correct a decision's record. Its number never changes, so neither does its year."""
    access.get_editable(Decision, actor, decision.pk)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    cited = decision.fund_entries.order_by("entry_date").first()  # the ledger rests on it
    assign_fields(decision, fields, DECISION_FIELDS)
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
    due_on: date | None = None,
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
def evaluation_create(*, actor: User, reason: str = "", **fields) -> Evaluation:
    access.ensure_can_create(actor, Evaluation)
    evaluation = Evaluation()
    assign_fields(evaluation, fields, EVALUATION_FIELDS)
    return persist(evaluation, actor=actor, reason=reason)


@transaction.atomic
def evaluation_update(
    *, actor: User, evaluation: Evaluation, reason: str = "", **fields
) -> Evaluation:
    access.get_editable(Evaluation, actor, evaluation.pk)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    assign_fields(evaluation, fields, EVALUATION_FIELDS)
    return persist(evaluation, actor=actor, reason=reason)


def _apply_response(recommendation: Recommendation, previous: str | None) -> None:
    """A rejected recommendation is dropped; accepting it again reopens it."""
    if recommendation.response == ManagementResponse.REJECTED:
        recommendation.status = RecommendationStatus.DROPPED
    elif previous == ManagementResponse.REJECTED:
        recommendation.status = RecommendationStatus.OPEN


@transaction.atomic
def recommendation_create(
    *, actor: User, evaluation: Evaluation, reason: str = "", **fields
) -> Recommendation:
    access.ensure_can_create(actor, Recommendation)
    evaluation = Evaluation.objects.select_for_update().get(
        pk=access.get_visible(Evaluation, actor, evaluation.pk).pk
    )
    recommendation = Recommendation(evaluation=evaluation, status=RecommendationStatus.OPEN)
    assign_fields(recommendation, fields, RECOMMENDATION_FIELDS)
    if recommendation.number is None:
        last = evaluation.recommendations.aggregate(last=Max("number"))["last"]
        recommendation.number = (last or 0) + 1
    _apply_response(recommendation, None)
    return persist(recommendation, actor=actor, reason=reason)


@transaction.atomic
def recommendation_update(
    *, actor: User, recommendation: Recommendation, reason: str = "", **fields
) -> Recommendation:
    access.get_editable(Recommendation, actor, recommendation.pk)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    previous = recommendation.response
    assign_fields(recommendation, fields, RECOMMENDATION_FIELDS)
    if recommendation.response != previous and not reason.strip():
        raise refusal(_("Say why the management response changes."), "reason", ErrorCode.INVALID)
    _apply_response(recommendation, previous)
    return persist(recommendation, actor=actor, reason=reason)


@transaction.atomic
def progress_note_create(
    *,
    actor: User,
    recommendation: Recommendation,
    noted_on: date,
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
        evidence = ProgressEvidence(note=note, title=evidence_title.strip() or upload.name)
        store_upload(evidence, upload)
        persist(evidence, actor=actor)
    if status_after and status_after != recommendation.status:
        recommendation.status = status_after
        reason = _("Progress note of %(date)s") % {"date": noted_on.strftime("%d/%m/%Y")}
        persist(recommendation, actor=actor, reason=reason)
    return note
