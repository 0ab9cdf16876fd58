"""API of committees, meetings, decisions and evaluation recommendations: everyone signed in
reads them; ministry roles (the committees' secretariat) write them, through the same forms and
services as the pages. Dates are ISO strings (YYYY-MM-DD), checked by the forms."""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilotage.api.pagination import BoundedPagination
from pilotage.core import access
from pilotage.core.forms import validated
from pilotage.governance import selectors, services
from pilotage.governance.filters import (
    CommitteeFilter,
    DecisionFilter,
    EvaluationFilter,
    MeetingFilter,
    RecommendationFilter,
)
from pilotage.governance.forms import (
    CommitteeForm,
    DecisionForm,
    EvaluationForm,
    FollowUpForm,
    MeetingForm,
    MeetingTransitionForm,
    MemberForm,
    ProgressNoteForm,
    RecommendationForm,
)
from pilotage.governance.models import (
    Committee,
    Decision,
    Evaluation,
    Meeting,
    ProgressNote,
    Recommendation,
)

router = Router(tags=["governance"])

DateText = Annotated[str, Field(json_schema_extra={"format": "date"})]
Reason = Field("", max_length=500, description="Why: kept in the history.")


def _filtered(request: HttpRequest, filterset_class: Any, filters: FilterSchema, queryset):
    """The same filters as the page, so the API and the screen agree on what a filter means."""
    data = {k: v for k, v in filters.dict().items() if v is not None}
    filterset = filterset_class(data, queryset=queryset, request=request)
    validated(filterset.form)
    return filterset.qs


# --- schemas ---------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    organisation_id: int
    organisation: str = Field(alias="organisation.acronym")
    person_name: str
    user_id: int | None
    role: str


class CommitteeOut(Schema):
    id: int
    code: str
    name: str
    programme_id: int | None
    agreement_id: int | None
    mandate: str
    is_active: bool
    members: list[MemberOut]


class CommitteeIn(Schema):
    code: str
    name: str
    programme: int | None = None
    agreement: int | None = None
    mandate: str = ""
    is_active: bool = True
    reason: str = Reason


class MemberIn(Schema):
    organisation: int
    person_name: str = ""
    user: int | None = None
    role: str = "member"
    reason: str = Reason


class MeetingOut(Schema):
    id: int
    committee_id: int
    committee: str = Field(alias="committee.code")
    number: int
    date: date
    place: str
    agenda: str
    status: str
    summary: str


class MeetingIn(Schema):
    committee: int
    date: DateText
    place: str = ""
    agenda: str
    summary: str = ""
    reason: str = Reason


class MeetingUpdateIn(Schema):
    date: DateText
    place: str = ""
    agenda: str
    summary: str = ""
    reason: str = Reason


class MeetingStatusIn(Schema):
    status: str
    reason: str = Reason


class DecisionOut(Schema):
    id: int
    number: str
    committee_id: int
    meeting_id: int | None
    year: int
    sequence: int
    decided_on: date
    kind: str
    title: str
    text: str
    amendment_id: int | None
    follow_up_status: str
    owner_id: int | None
    due_on: date | None
    follow_up_note: str
    is_overdue: bool


class DecisionIn(Schema):
    committee: int
    meeting: int | None = None
    decided_on: DateText | None = None
    kind: str
    title: str
    text: str
    amendment: int | None = None
    owner: int | None = None
    due_on: DateText | None = None
    reason: str = Reason


class DecisionUpdateIn(Schema):
    meeting: int | None = None
    decided_on: DateText
    kind: str
    title: str
    text: str
    amendment: int | None = None
    owner: int | None = None
    due_on: DateText | None = None
    reason: str = Reason


class FollowUpIn(Schema):
    status: str
    note: str = ""
    owner: int | None = None
    due_on: DateText | None = None
    reason: str = Reason


class DecisionQuery(FilterSchema):
    q: str | None = None
    committee: int | None = None
    kind: str | None = None
    follow_up_status: str | None = None
    year: int | None = None
    owner: int | None = None
    overdue: bool | None = None


class EvaluationOut(Schema):
    id: int
    title: str
    programme_id: int | None
    evaluator: str
    delivered_on: date
    committee_id: int | None
    summary: str


class EvaluationIn(Schema):
    title: str
    programme: int | None = None
    evaluator: str
    delivered_on: DateText
    committee: int | None = None
    summary: str = ""
    reason: str = Reason


class RecommendationOut(Schema):
    id: int
    evaluation_id: int
    number: int
    text: str
    response: str
    response_note: str
    owner_id: int | None
    due_on: date | None
    status: str
    is_overdue: bool
    note_count: int


class RecommendationIn(Schema):
    evaluation: int
    number: int | None = None
    text: str
    response: str
    response_note: str = ""
    owner: int | None = None
    due_on: DateText | None = None
    reason: str = Reason


class RecommendationUpdateIn(Schema):
    number: int
    text: str
    response: str
    response_note: str = ""
    owner: int | None = None
    due_on: DateText | None = None
    reason: str = Reason


class RecommendationQuery(FilterSchema):
    q: str | None = None
    evaluation: int | None = None
    response: str | None = None
    status: str | None = None
    owner: int | None = None
    overdue: bool | None = None


class EvidenceOut(Schema):
    id: int
    title: str
    sha256: str
    size: int
    uploaded_at: datetime


class ProgressNoteOut(Schema):
    id: int
    recommendation_id: int
    noted_on: date
    text: str
    status_after: str
    author_id: int | None
    created_at: datetime
    evidence: list[EvidenceOut]


class ProgressNoteIn(Schema):
    noted_on: DateText
    text: str = Field(..., max_length=5000)
    status_after: str = ""


# --- committees ------------------------------------------------------------------------------


def _committees(request: HttpRequest):
    return Committee.objects.visible_to(request.user).prefetch_related("members__organisation")


class CommitteeQuery(FilterSchema):
    q: str | None = None
    programme: int | None = None
    is_active: bool | None = None


@router.get("/committees", response=list[CommitteeOut], summary="Committees and their members")
@paginate(BoundedPagination)
def committee_list(request: HttpRequest, filters: Query[CommitteeQuery]):
    return _filtered(request, CommitteeFilter, filters, _committees(request))


@router.get("/committees/{committee_id}", response=CommitteeOut)
def committee_detail(request: HttpRequest, committee_id: int) -> Committee:
    return access.get_visible(Committee, request.user, committee_id)


@router.post("/committees", response={201: CommitteeOut}, summary="Create a committee (ministry)")
def committee_create(request: HttpRequest, payload: CommitteeIn):
    access.ensure_can_create(request.user, Committee)
    form = validated(CommitteeForm(data=payload.dict(), user=request.user))
    committee = services.committee_create(
        actor=request.user, reason=payload.reason, **form.service_fields()
    )
    return Status(201, committee)


@router.put("/committees/{committee_id}", response=CommitteeOut)
def committee_update(request: HttpRequest, committee_id: int, payload: CommitteeIn) -> Committee:
    committee = access.get_editable(Committee, request.user, committee_id)
    data = payload.dict()
    reason = data.pop("reason")
    form = validated(CommitteeForm(data=data, instance=committee, user=request.user))
    return services.committee_update(
        actor=request.user, committee=committee, reason=reason, **form.service_fields()
    )


@router.post("/committees/{committee_id}/members", response={201: MemberOut})
def member_add(request: HttpRequest, committee_id: int, payload: MemberIn):
    committee = access.get_editable(Committee, request.user, committee_id)
    form = validated(MemberForm(data=payload.dict(), user=request.user))
    return Status(
        201, services.member_add(actor=request.user, committee=committee, **form.cleaned_data)
    )


# --- meetings --------------------------------------------------------------------------------


class MeetingQuery(FilterSchema):
    q: str | None = None
    committee: int | None = None
    status: str | None = None
    year: int | None = None


@router.get("/meetings", response=list[MeetingOut])
@paginate(BoundedPagination)
def meeting_list(request: HttpRequest, filters: Query[MeetingQuery]):
    queryset = Meeting.objects.visible_to(request.user).select_related("committee")
    return _filtered(request, MeetingFilter, filters, queryset)


@router.get("/meetings/{meeting_id}", response=MeetingOut)
def meeting_detail(request: HttpRequest, meeting_id: int) -> Meeting:
    return access.get_visible(Meeting, request.user, meeting_id)


@router.post("/meetings", response={201: MeetingOut}, summary="Plan a meeting (numbered)")
def meeting_create(request: HttpRequest, payload: MeetingIn):
    access.ensure_can_create(request.user, Meeting)
    form = validated(MeetingForm(data=payload.dict(), user=request.user))
    meeting = services.meeting_create(
        actor=request.user, reason=payload.reason, **form.service_fields()
    )
    return Status(201, meeting)


@router.put("/meetings/{meeting_id}", response=MeetingOut)
def meeting_update(request: HttpRequest, meeting_id: int, payload: MeetingUpdateIn) -> Meeting:
    meeting = access.get_editable(Meeting, request.user, meeting_id)
    data = payload.dict()
    reason = data.pop("reason")
    form = validated(MeetingForm(data=data, instance=meeting, user=request.user))
    return services.meeting_update(
        actor=request.user, meeting=meeting, reason=reason, **form.service_fields()
    )


@router.post("/meetings/{meeting_id}/status", response=MeetingOut, summary="Held or cancelled")
def meeting_transition(request: HttpRequest, meeting_id: int, payload: MeetingStatusIn) -> Meeting:
    meeting = access.get_editable(Meeting, request.user, meeting_id)
    form = validated(MeetingTransitionForm(data=payload.dict(), user=request.user))
    return services.meeting_transition(actor=request.user, meeting=meeting, **form.cleaned_data)


# --- decisions -------------------------------------------------------------------------------


def _decision(request: HttpRequest, decision: Decision) -> Decision:
    """Read back through the register, which says whether the follow-up is overdue."""
    return selectors.decision_register(request.user).get(pk=decision.pk)


@router.get("/decisions", response=list[DecisionOut], summary="The decision register")
@paginate(BoundedPagination)
def decision_list(request: HttpRequest, filters: Query[DecisionQuery]):
    queryset = selectors.decision_register(request.user).order_by("-decided_on", "-number")
    return _filtered(request, DecisionFilter, filters, queryset)


@router.get("/decisions/{decision_id}", response=DecisionOut)
def decision_detail(request: HttpRequest, decision_id: int) -> Decision:
    return _decision(request, access.get_visible(Decision, request.user, decision_id))


@router.post("/decisions", response={201: DecisionOut}, summary="Record a decision (numbered)")
def decision_create(request: HttpRequest, payload: DecisionIn):
    access.ensure_can_create(request.user, Decision)
    form = validated(DecisionForm(data=payload.dict(), user=request.user))
    decision = services.decision_create(
        actor=request.user, reason=payload.reason, **form.service_fields()
    )
    return Status(201, _decision(request, decision))


@router.put("/decisions/{decision_id}", response=DecisionOut)
def decision_update(request: HttpRequest, decision_id: int, payload: DecisionUpdateIn) -> Decision:
    decision = access.get_editable(Decision, request.user, decision_id)
    data = payload.dict()
    reason = data.pop("reason")
    form = validated(DecisionForm(data=data, instance=decision, user=request.user))
    decision = services.decision_update(
        actor=request.user, decision=decision, reason=reason, **form.service_fields()
    )
    return _decision(request, decision)


@router.post("/decisions/{decision_id}/follow-up", response=DecisionOut)
def decision_follow_up(request: HttpRequest, decision_id: int, payload: FollowUpIn) -> Decision:
    decision = access.get_editable(Decision, request.user, decision_id)
    form = validated(FollowUpForm(data=payload.dict(), user=request.user))
    decision = services.decision_follow_up(
        actor=request.user, decision=decision, **form.cleaned_data
    )
    return _decision(request, decision)


# --- evaluations, recommendations, progress notes --------------------------------------------


class EvaluationQuery(FilterSchema):
    q: str | None = None
    programme: int | None = None


@router.get("/evaluations", response=list[EvaluationOut])
@paginate(BoundedPagination)
def evaluation_list(request: HttpRequest, filters: Query[EvaluationQuery]):
    return _filtered(
        request, EvaluationFilter, filters, Evaluation.objects.visible_to(request.user)
    )


@router.get("/evaluations/{evaluation_id}", response=EvaluationOut)
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> Evaluation:
    return access.get_visible(Evaluation, request.user, evaluation_id)


@router.post("/evaluations", response={201: EvaluationOut}, summary="Record an evaluation")
def evaluation_create(request: HttpRequest, payload: EvaluationIn):
    access.ensure_can_create(request.user, Evaluation)
    form = validated(EvaluationForm(data=payload.dict(), user=request.user))
    evaluation = services.evaluation_create(
        actor=request.user, reason=payload.reason, **form.service_fields()
    )
    return Status(201, evaluation)


@router.put("/evaluations/{evaluation_id}", response=EvaluationOut)
def evaluation_update(
    request: HttpRequest, evaluation_id: int, payload: EvaluationIn
) -> Evaluation:
    evaluation = access.get_editable(Evaluation, request.user, evaluation_id)
    data = payload.dict()
    reason = data.pop("reason")
    form = validated(EvaluationForm(data=data, instance=evaluation, user=request.user))
    return services.evaluation_update(
        actor=request.user, evaluation=evaluation, reason=reason, **form.service_fields()
    )


def _recommendation(request: HttpRequest, recommendation: Recommendation) -> Recommendation:
    return selectors.recommendation_follow_up(request.user).get(pk=recommendation.pk)


@router.get(
    "/recommendations", response=list[RecommendationOut], summary="Follow-up of evaluations"
)
@paginate(BoundedPagination)
def recommendation_list(request: HttpRequest, filters: Query[RecommendationQuery]):
    queryset = selectors.recommendation_follow_up(request.user).order_by("evaluation", "number")
    return _filtered(request, RecommendationFilter, filters, queryset)


@router.get("/recommendations/{recommendation_id}", response=RecommendationOut)
def recommendation_detail(request: HttpRequest, recommendation_id: int) -> Recommendation:
    recommendation = access.get_visible(Recommendation, request.user, recommendation_id)
    return _recommendation(request, recommendation)


@router.post("/recommendations", response={201: RecommendationOut})
def recommendation_create(request: HttpRequest, payload: RecommendationIn):
    access.ensure_can_create(request.user, Recommendation)
    form = validated(RecommendationForm(data=payload.dict(), user=request.user))
    recommendation = services.recommendation_create(
        actor=request.user, reason=payload.reason, **form.service_fields()
    )
    return Status(201, _recommendation(request, recommendation))


@router.put("/recommendations/{recommendation_id}", response=RecommendationOut)
def recommendation_update(
    request: HttpRequest, recommendation_id: int, payload: RecommendationUpdateIn
) -> Recommendation:
    recommendation = access.get_editable(Recommendation, request.user, recommendation_id)
    data = payload.dict()
    reason = data.pop("reason")
    form = validated(RecommendationForm(data=data, instance=recommendation, user=request.user))
    recommendation = services.recommendation_update(
        actor=request.user, recommendation=recommendation, reason=reason,
        **form.service_fields(),
    )  # fmt: skip
    return _recommendation(request, recommendation)


@router.get("/recommendations/{recommendation_id}/notes", response=list[ProgressNoteOut])
def progress_note_list(request: HttpRequest, recommendation_id: int):
    recommendation = access.get_visible(Recommendation, request.user, recommendation_id)
    return (
        ProgressNote.objects.visible_to(request.user)
        .filter(recommendation=recommendation)
        .prefetch_related("evidence")
    )


@router.post(
    "/recommendations/{recommendation_id}/notes",
    response={201: ProgressNoteOut},
    summary="Record progress (evidence files are uploaded on the page)",
)
def progress_note_create(request: HttpRequest, recommendation_id: int, payload: ProgressNoteIn):
    recommendation = access.get_editable(Recommendation, request.user, recommendation_id)
    form = validated(ProgressNoteForm(data=payload.dict(), user=request.user))
    data = form.cleaned_data
    note = services.progress_note_create(
        actor=request.user, recommendation=recommendation, noted_on=data["noted_on"],
        text=data["text"], status_after=data["status_after"],
    )  # fmt: skip
    return Status(201, note)


@router.get("/progress-notes/{progressnote_id}", response=ProgressNoteOut)
def progress_note_detail(request: HttpRequest, progressnote_id: int) -> ProgressNote:
    return access.get_visible(ProgressNote, request.user, progressnote_id)
