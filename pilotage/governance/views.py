"""Pages of committees, meetings, decisions (the register) and evaluation recommendations.
Workflow steps (a meeting held, a decision's follow-up, a progress note) are small POST views
calling one service."""

from typing import Any

from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from pilotage.core import access
from pilotage.core.errors import ServiceError
from pilotage.core.generic_views import (
    ACCESS_CODES,
    AccessMixin,
    ObjectDetailView,
    ObjectFormView,
    ObjectHistoryView,
    ObjectListView,
    ObjectStepView,
    StoredDocumentDownload,
)
from pilotage.core.numbers import id_param
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
    ProgressEvidence,
    ProgressNote,
    Recommendation,
)
from pilotage.governance.services import MEETING_TRANSITIONS


class GovernanceList(ObjectListView):
    """The governance lists share a sub-navigation (the main menu has one entry for them)."""

    template_name = "governance/object_list.html"


def _overdue(obj: Any) -> Any:
    return _("Overdue") if getattr(obj, "is_overdue", False) else None


class PrefilledFormView(ObjectFormView):
    """A create form whose choices may be prefilled from the query string (`?committee=3`), as
    the links on a committee's or an evaluation's page do."""

    prefill: tuple[str, ...] = ()

    def get_form(self, obj: models.Model | None, data: Any = None, files: Any = None) -> Any:
        form = super().get_form(obj, data, files)
        if obj is None and data is None:
            for name in self.prefill:
                value = self.request.GET.get(name, "")
                if name in form.fields and id_param(value):
                    form.initial[name] = id_param(value)
        return form


def _if_visible(user: Any, obj: models.Model | None) -> models.Model | None:
    """The related row if this user may see it (governance pages are read by every role)."""
    return obj if obj is not None and access.can_view(user, obj) else None


# --- committees ------------------------------------------------------------------------------


class CommitteeList(GovernanceList):
    model = Committee
    filterset_class = CommitteeFilter
    title = gettext_lazy("Committees")
    # No agreement column: everyone reads the committees, only its parties the agreement.
    related = ("programme",)
    columns = [
        Column("code", gettext_lazy("Code"), sort="code", link=True),
        Column("name", gettext_lazy("Name"), sort="name"),
        Column(
            "programme", gettext_lazy("Plan"), accessor="programme.code", sort="programme__code"
        ),
        Column("is_active", gettext_lazy("Active"), sort="is_active"),
    ]
    default_sort = "code"
    create_url_name = "governance:committee_create"
    export_name = "committees"


class CommitteeDetail(ObjectDetailView):
    model = Committee
    template_name = "governance/committee_detail.html"

    def get_context(self, obj: Committee) -> dict[str, Any]:
        user = self.request.user
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


class CommitteeEdit(ObjectFormView):
    model = Committee
    form_class = CommitteeForm
    title_create = gettext_lazy("New committee")
    title_edit = gettext_lazy("Edit committee")
    create_service = staticmethod(services.committee_create)
    update_service = staticmethod(services.committee_update)
    object_kwarg = "committee"


class CommitteeHistory(ObjectHistoryView):
    model = Committee


class MemberAdd(ObjectStepView):
    model = Committee
    form_class = MemberForm
    done_message = gettext_lazy("Member added.")

    def apply(self, committee: Committee, data: dict) -> None:
        services.member_add(actor=self.request.user, committee=committee, **data)


class MemberRemove(AccessMixin, View):
    model = CommitteeMember

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = access.get_editable(CommitteeMember, request.user, pk)
        committee = member.committee
        try:
            services.member_remove(
                actor=request.user, member=member, reason=request.POST.get("reason", "")
            )
        except ServiceError as exc:
            if exc.code in ACCESS_CODES:
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Member removed."))
        return redirect(committee.get_absolute_url())


# --- meetings --------------------------------------------------------------------------------


class MeetingList(GovernanceList):
    model = Meeting
    filterset_class = MeetingFilter
    title = gettext_lazy("Committee meetings")
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
    create_url_name = "governance:meeting_create"
    export_name = "meetings"


class MeetingDetail(ObjectDetailView):
    model = Meeting
    template_name = "governance/meeting_detail.html"

    def get_context(self, obj: Meeting) -> dict[str, Any]:
        user = self.request.user
        transition_form = MeetingTransitionForm(user=user)
        transition_form.fields["status"].choices = [
            (s, MeetingStatus(s).label) for s in sorted(MEETING_TRANSITIONS[obj.status])
        ]
        return {
            "decisions": selectors.decision_register(user).filter(meeting=obj),
            "documents": MeetingDocument.objects.visible_to(user).filter(meeting=obj),
            "transition_form": transition_form,
            "document_form": MeetingDocumentForm(user=user),
            "can_add_decision": access.can_create(user, Decision),
        }


class MeetingEdit(PrefilledFormView):
    model = Meeting
    form_class = MeetingForm
    title_create = gettext_lazy("New meeting")
    title_edit = gettext_lazy("Edit meeting")
    create_service = staticmethod(services.meeting_create)
    update_service = staticmethod(services.meeting_update)
    object_kwarg = "meeting"
    prefill = ("committee",)


class MeetingHistory(ObjectHistoryView):
    model = Meeting


class MeetingTransition(ObjectStepView):
    model = Meeting
    form_class = MeetingTransitionForm
    done_message = gettext_lazy("Status changed.")

    def apply(self, meeting: Meeting, data: dict) -> None:
        services.meeting_transition(actor=self.request.user, meeting=meeting, **data)


class MeetingDocumentAdd(ObjectStepView):
    model = Meeting
    form_class = MeetingDocumentForm
    done_message = gettext_lazy("Document stored.")

    def apply(self, meeting: Meeting, data: dict) -> None:
        services.meeting_document_attach(
            actor=self.request.user, meeting=meeting, title=data["title"], upload=data["file"],
            is_minutes=data["is_minutes"],
        )  # fmt: skip


class MeetingDocumentDownload(StoredDocumentDownload):
    model = MeetingDocument


# --- decisions: the register -----------------------------------------------------------------


class DecisionList(GovernanceList):
    """The decision register: every decision with its follow-up; overdue ones say so."""

    model = Decision
    filterset_class = DecisionFilter
    title = gettext_lazy("Decision register")
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
    create_url_name = "governance:decision_create"
    export_name = "decisions"

    def get_queryset(self) -> models.QuerySet:
        return selectors.decision_register(self.request.user)


class DecisionDetail(ObjectDetailView):
    model = Decision
    template_name = "governance/decision_detail.html"

    def get_object(self) -> Decision:
        decision = access.get_visible(Decision, self.request.user, self.kwargs["pk"])
        return selectors.decision_register(self.request.user).get(pk=decision.pk)

    def get_context(self, obj: Decision) -> dict[str, Any]:
        form = FollowUpForm(
            user=self.request.user,
            initial={"status": obj.follow_up_status, "owner": obj.owner_id, "due_on": obj.due_on},
        )
        # What the decision authorised in the fund (reverse relation: no import of the fund app).
        entries = obj.fund_entries.visible_to(self.request.user).select_related(
            "allocation__cti", "allocation__axis", "target__cti", "target__axis"
        )
        return {
            "follow_up_form": form,
            "fund_entries": entries,
            "amendment": _if_visible(self.request.user, obj.amendment),
        }


class DecisionEdit(PrefilledFormView):
    model = Decision
    form_class = DecisionForm
    title_create = gettext_lazy("New decision")
    title_edit = gettext_lazy("Edit decision")
    create_service = staticmethod(services.decision_create)
    update_service = staticmethod(services.decision_update)
    object_kwarg = "decision"
    prefill = ("committee", "meeting")


class DecisionHistory(ObjectHistoryView):
    model = Decision


class DecisionFollowUp(ObjectStepView):
    model = Decision
    form_class = FollowUpForm
    done_message = gettext_lazy("Follow-up updated.")

    def apply(self, decision: Decision, data: dict) -> None:
        services.decision_follow_up(actor=self.request.user, decision=decision, **data)


# --- evaluations and recommendations ---------------------------------------------------------


class EvaluationList(GovernanceList):
    model = Evaluation
    filterset_class = EvaluationFilter
    title = gettext_lazy("Evaluations")
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
    create_url_name = "governance:evaluation_create"
    export_name = "evaluations"


class EvaluationDetail(ObjectDetailView):
    model = Evaluation
    template_name = "governance/evaluation_detail.html"

    def get_context(self, obj: Evaluation) -> dict[str, Any]:
        user = self.request.user
        return {
            "recommendations": selectors.recommendation_follow_up(user).filter(evaluation=obj),
            "can_add_recommendation": access.can_create(user, Recommendation),
        }


class EvaluationEdit(ObjectFormView):
    model = Evaluation
    form_class = EvaluationForm
    title_create = gettext_lazy("New evaluation")
    title_edit = gettext_lazy("Edit evaluation")
    create_service = staticmethod(services.evaluation_create)
    update_service = staticmethod(services.evaluation_update)
    object_kwarg = "evaluation"


class EvaluationHistory(ObjectHistoryView):
    model = Evaluation


class RecommendationList(GovernanceList):
    """The recommendations' follow-up: response, owner, due date, status; overdue ones say so."""

    model = Recommendation
    filterset_class = RecommendationFilter
    title = gettext_lazy("Evaluation recommendations")
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
    create_url_name = "governance:recommendation_create"
    export_name = "recommendations"

    def get_queryset(self) -> models.QuerySet:
        return selectors.recommendation_follow_up(self.request.user)


class RecommendationDetail(ObjectDetailView):
    model = Recommendation
    template_name = "governance/recommendation_detail.html"

    def get_object(self) -> Recommendation:
        recommendation = access.get_visible(Recommendation, self.request.user, self.kwargs["pk"])
        return selectors.recommendation_follow_up(self.request.user).get(pk=recommendation.pk)

    def get_context(self, obj: Recommendation) -> dict[str, Any]:
        user = self.request.user
        notes = (
            ProgressNote.objects.visible_to(user)
            .filter(recommendation=obj)
            .select_related("author")
            .prefetch_related("evidence")
        )
        return {"notes": notes, "note_form": ProgressNoteForm(user=user)}


class RecommendationEdit(PrefilledFormView):
    model = Recommendation
    form_class = RecommendationForm
    title_create = gettext_lazy("New recommendation")
    title_edit = gettext_lazy("Edit recommendation")
    create_service = staticmethod(services.recommendation_create)
    update_service = staticmethod(services.recommendation_update)
    object_kwarg = "recommendation"
    prefill = ("evaluation",)


class RecommendationHistory(ObjectHistoryView):
    model = Recommendation


class ProgressNoteAdd(ObjectStepView):
    model = Recommendation
    form_class = ProgressNoteForm
    done_message = gettext_lazy("Progress recorded.")

    def apply(self, recommendation: Recommendation, data: dict) -> None:
        services.progress_note_create(
            actor=self.request.user, recommendation=recommendation, noted_on=data["noted_on"],
            text=data["text"], status_after=data["status_after"], upload=data["file"],
            evidence_title=data["evidence_title"],
        )  # fmt: skip


class ProgressEvidenceDownload(StoredDocumentDownload):
    model = ProgressEvidence
