"""Committees, meetings, decisions (the register), evaluations and recommendations as resources:
their pages, API routes and exports come from these declarations (core/registry.py)."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, ModelSchema, Schema

from pilotage.core import access
from pilotage.core.registry import Resource, Step, register
from pilotage.core.tables import Column
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
    MeetingDocumentForm,
    MeetingForm,
    MeetingTransitionForm,
    MemberForm,
    ProgressNoteForm,
    RecommendationForm,
)
from pilotage.governance.models import (
    Committee,
    CommitteeMember,
    Decision,
    Evaluation,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    ProgressNote,
    Recommendation,
)
from pilotage.governance.services import MEETING_TRANSITIONS


def _overdue(obj: Any) -> Any:
    return _("Overdue") if getattr(obj, "is_overdue", False) else None


def _if_visible(user: Any, obj: Any) -> Any:
    """The related row if this user may see it (governance pages are read by every role)."""
    return obj if obj is not None and access.can_view(user, obj) else None


class GovernanceResource(Resource):
    """The governance lists share a sub-navigation (the main menu has one entry for them)."""

    list_template = "governance/object_list.html"


# --- schemas: what the API answers for one row --------------------------------------------------


class MemberOut(Schema):
    id: int
    organisation_id: int
    organisation: str = Field(alias="organisation.acronym")
    person_name: str
    user_id: int | None
    role: str


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


class CommitteeOut(ModelSchema):
    programme_id: int | None
    agreement_id: int | None
    members: list[MemberOut]

    class Meta:
        model = Committee
        fields = ["id", "code", "name", "mandate", "is_active"]


class MeetingOut(ModelSchema):
    committee_id: int
    committee: str = Field(alias="committee.code")

    class Meta:
        model = Meeting
        fields = ["id", "number", "date", "place", "agenda", "status", "summary"]


class DecisionOut(ModelSchema):
    committee_id: int
    meeting_id: int | None
    amendment_id: int | None
    owner_id: int | None
    is_overdue: bool

    class Meta:
        model = Decision
        fields = [
            "id", "number", "year", "sequence", "decided_on", "kind", "title", "text",
            "follow_up_status", "due_on", "follow_up_note",
        ]  # fmt: skip


class EvaluationOut(ModelSchema):
    programme_id: int | None
    committee_id: int | None

    class Meta:
        model = Evaluation
        fields = ["id", "title", "evaluator", "delivered_on", "summary"]


class RecommendationOut(ModelSchema):
    evaluation_id: int
    owner_id: int | None
    is_overdue: bool
    note_count: int

    class Meta:
        model = Recommendation
        fields = ["id", "number", "text", "response", "response_note", "due_on", "status"]


# --- declarations ----------------------------------------------------------------------------


class Committees(GovernanceResource):
    model = Committee
    path = "committees"
    form = CommitteeForm
    filterset = CommitteeFilter
    title = gettext_lazy("Committees")
    title_create = gettext_lazy("New committee")
    title_edit = gettext_lazy("Edit committee")
    # No agreement column: everyone reads the committees, only its parties the agreement.
    related = ("programme",)
    prefetch = ("members__organisation",)
    columns = [
        Column("code", gettext_lazy("Code"), sort="code", link=True),
        Column("name", gettext_lazy("Name"), sort="name"),
        Column(
            "programme", gettext_lazy("Plan"), accessor="programme.code", sort="programme__code"
        ),
        Column("is_active", gettext_lazy("Active"), sort="is_active"),
    ]
    default_sort = "code"
    create_service = staticmethod(services.committee_create)
    update_service = staticmethod(services.committee_update)
    steps = (
        Step("members", "member_add", form=MemberForm, done_message=gettext_lazy("Member added."),
             take=lambda actor, committee, data: services.member_add(
                 actor=actor, committee=committee, **data),
             answer=MemberOut, creates=True),
    )  # fmt: skip
    schema = CommitteeOut
    api_summary = "Committees and their members"
    detail_template = "governance/committee_detail.html"

    def detail_context(self, request: HttpRequest, obj: Committee) -> dict[str, Any]:
        user = request.user
        return {
            "members": CommitteeMember.objects.visible_to(user)
            .filter(committee=obj)
            .select_related("organisation", "user"),
            "meetings": selectors.committee_meetings(obj, user),
            "decisions": selectors.decision_register(user).filter(committee=obj)[:10],
            # Governance is read by all; the agreement it serves only by that agreement's parties.
            "agreement": _if_visible(user, obj.agreement),
            "member_form": MemberForm(user=user),
            "can_add_meeting": access.can_create(user, Meeting),
            "can_add_decision": access.can_create(user, Decision),
        }


class Meetings(GovernanceResource):
    model = Meeting
    path = "meetings"
    form = MeetingForm
    filterset = MeetingFilter
    title = gettext_lazy("Committee meetings")
    title_create = gettext_lazy("New meeting")
    title_edit = gettext_lazy("Edit meeting")
    related = ("committee",)
    columns = [
        Column("committee", gettext_lazy("Committee"), accessor="committee.code",
               sort="committee__code"),
        Column("number", gettext_lazy("No."), sort="number", link=True),
        Column("date", gettext_lazy("Date"), sort="date"),
        Column("place", gettext_lazy("Place"), sort="place"),
        Column("status", gettext_lazy("Status"), sort="status"),
    ]  # fmt: skip
    default_sort = "-date"
    create_service = staticmethod(services.meeting_create)
    update_service = staticmethod(services.meeting_update)
    prefill = ("committee",)
    steps = (
        Step("status", "meeting_transition", form=MeetingTransitionForm,
             done_message=gettext_lazy("Status changed."), summary="Held or cancelled",
             take=lambda actor, meeting, data: services.meeting_transition(
                 actor=actor, meeting=meeting, **data)),
    )  # fmt: skip
    schema = MeetingOut
    detail_template = "governance/meeting_detail.html"

    def detail_context(self, request: HttpRequest, obj: Meeting) -> dict[str, Any]:
        user = request.user
        transition_form = MeetingTransitionForm(user=user)
        status: Any = transition_form.fields["status"]
        status.choices = [
            (s, MeetingStatus(s).label) for s in sorted(MEETING_TRANSITIONS[obj.status])
        ]
        return {
            "decisions": selectors.decision_register(user).filter(meeting=obj),
            "documents": MeetingDocument.objects.visible_to(user).filter(meeting=obj),
            "transition_form": transition_form,
            "document_form": MeetingDocumentForm(user=user),
            "can_add_decision": access.can_create(user, Decision),
        }


class Decisions(GovernanceResource):
    """The decision register: every decision with its follow-up; overdue ones say so."""

    model = Decision
    path = "decisions"
    form = DecisionForm
    filterset = DecisionFilter
    title = gettext_lazy("Decision register")
    title_create = gettext_lazy("New decision")
    title_edit = gettext_lazy("Edit decision")
    columns = [
        Column("number", gettext_lazy("Number"), sort="number", link=True),
        Column("decided_on", gettext_lazy("Decided on"), sort="decided_on"),
        Column("committee", gettext_lazy("Committee"), accessor="committee.code",
               sort="committee__code"),
        Column("kind", gettext_lazy("Kind"), sort="kind"),
        Column("title", gettext_lazy("Title"), sort="title"),
        Column("owner", gettext_lazy("Responsible"), accessor="owner.acronym",
               sort="owner__acronym"),
        Column("due_on", gettext_lazy("Due"), sort="due_on"),
        Column("follow_up_status", gettext_lazy("Follow-up"), sort="follow_up_status"),
        Column("overdue", gettext_lazy("Overdue"), accessor=_overdue, sort="is_overdue"),
    ]  # fmt: skip
    default_sort = "-decided_on"
    create_service = staticmethod(services.decision_create)
    update_service = staticmethod(services.decision_update)
    prefill = ("committee", "meeting")
    steps = (
        Step("follow-up", "decision_follow_up", form=FollowUpForm,
             done_message=gettext_lazy("Follow-up updated."),
             take=lambda actor, decision, data: services.decision_follow_up(
                 actor=actor, decision=decision, **data)),
    )  # fmt: skip
    schema = DecisionOut
    api_summary = "The decision register"
    detail_template = "governance/decision_detail.html"

    def queryset(self, user: Any) -> Any:
        return selectors.decision_register(user)

    def detail_context(self, request: HttpRequest, obj: Decision) -> dict[str, Any]:
        form = FollowUpForm(
            user=request.user,
            initial={"status": obj.follow_up_status, "owner": obj.owner_id, "due_on": obj.due_on},
        )
        # What the decision authorised in the fund (reverse relation: no import of the fund app).
        entries = obj.fund_entries.visible_to(request.user).select_related(
            "allocation__cti", "allocation__axis", "target__cti", "target__axis"
        )
        return {
            "follow_up_form": form,
            "fund_entries": entries,
            "amendment": _if_visible(request.user, obj.amendment),
        }


class Evaluations(GovernanceResource):
    model = Evaluation
    path = "evaluations"
    form = EvaluationForm
    filterset = EvaluationFilter
    title = gettext_lazy("Evaluations")
    title_create = gettext_lazy("New evaluation")
    title_edit = gettext_lazy("Edit evaluation")
    related = ("programme", "committee")
    columns = [
        Column("title", gettext_lazy("Title"), sort="title", link=True),
        Column("programme", gettext_lazy("Plan evaluated"), accessor="programme.code",
               sort="programme__code"),
        Column("evaluator", gettext_lazy("Evaluator"), sort="evaluator"),
        Column("delivered_on", gettext_lazy("Delivered on"), sort="delivered_on"),
        Column("committee", gettext_lazy("Committee"), accessor="committee.code"),
    ]  # fmt: skip
    default_sort = "-delivered_on"
    create_service = staticmethod(services.evaluation_create)
    update_service = staticmethod(services.evaluation_update)
    schema = EvaluationOut
    detail_template = "governance/evaluation_detail.html"

    def detail_context(self, request: HttpRequest, obj: Evaluation) -> dict[str, Any]:
        user = request.user
        return {
            "recommendations": selectors.recommendation_follow_up(user).filter(evaluation=obj),
            "can_add_recommendation": access.can_create(user, Recommendation),
        }


class Recommendations(GovernanceResource):
    """The recommendations' follow-up: response, owner, due date, status; overdue ones say so."""

    model = Recommendation
    path = "recommendations"
    form = RecommendationForm
    filterset = RecommendationFilter
    title = gettext_lazy("Evaluation recommendations")
    title_create = gettext_lazy("New recommendation")
    title_edit = gettext_lazy("Edit recommendation")
    columns = [
        Column("evaluation", gettext_lazy("Evaluation"), accessor="evaluation.title",
               sort="evaluation__title"),
        Column("number", gettext_lazy("No."), sort="number", link=True),
        Column("text", gettext_lazy("Recommendation"), sort="text"),
        Column("response", gettext_lazy("Response"), sort="response"),
        Column("owner", gettext_lazy("Responsible"), accessor="owner.acronym",
               sort="owner__acronym"),
        Column("due_on", gettext_lazy("Due"), sort="due_on"),
        Column("status", gettext_lazy("Status"), sort="status"),
        Column("note_count", gettext_lazy("Notes"), sort="note_count"),
        Column("overdue", gettext_lazy("Overdue"), accessor=_overdue, sort="is_overdue"),
    ]  # fmt: skip
    default_sort = "evaluation"
    create_service = staticmethod(services.recommendation_create)
    update_service = staticmethod(services.recommendation_update)
    prefill = ("evaluation",)
    steps = (
        Step("notes", "progress_note_add", form=ProgressNoteForm,
             done_message=gettext_lazy("Progress recorded."), answer=ProgressNoteOut, creates=True,
             summary="Record progress (evidence files are uploaded on the page)",
             take=lambda actor, recommendation, data: services.progress_note_create(
                 actor=actor, recommendation=recommendation, noted_on=data["noted_on"],
                 text=data["text"], status_after=data["status_after"], upload=data.get("file"),
                 evidence_title=data.get("evidence_title", ""))),
    )  # fmt: skip
    schema = RecommendationOut
    api_summary = "Follow-up of evaluations"
    detail_template = "governance/recommendation_detail.html"

    def queryset(self, user: Any) -> Any:
        return selectors.recommendation_follow_up(user)

    def detail_context(self, request: HttpRequest, obj: Recommendation) -> dict[str, Any]:
        user = request.user
        notes = (
            ProgressNote.objects.visible_to(user)
            .filter(recommendation=obj)
            .select_related("author")
            .prefetch_related("evidence")
        )
        return {"notes": notes, "note_form": ProgressNoteForm(user=user)}


RESOURCES = register(Committees, Meetings, Decisions, Evaluations, Recommendations)
