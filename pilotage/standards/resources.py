"""Standards work as a resource: its pages, API routes, exports and steps (the next stage, the
review) come from this declaration (core/registry.py). The pipeline is a plain view."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, ModelSchema

from pilotage.core.registry import Resource, Step, register
from pilotage.core.tables import Column
from pilotage.standards import selectors, services
from pilotage.standards.filters import StandardWorkFilter
from pilotage.standards.forms import AdvanceForm, ReviewForm, StandardWorkForm
from pilotage.standards.models import Stage, StandardWork


class StandardWorkOut(ModelSchema):
    cti_id: int
    cti_acronym: str = Field(alias="cti.acronym")
    is_overdue: bool
    review_due_on: Any = Field(None, description="Five years after publication or last review")

    class Meta:
        model = StandardWork
        fields = [
            "id", "reference", "title", "title_ar", "technical_committee", "cti_role", "stage",
            "proposed_on", "programmed_on", "drafting_on", "committee_draft_on",
            "enquiry_opens_on", "enquiry_closes_on", "homologated_on", "homologation_order",
            "published_on", "reviewed_on", "review_outcome", "note",
        ]  # fmt: skip


def _late(work: StandardWork) -> Any:
    return _("Late") if getattr(work, "is_overdue", False) else None


class StandardsWork(Resource):
    model = StandardWork
    path = "standards"
    form = StandardWorkForm
    filterset = StandardWorkFilter
    title = gettext_lazy("Standards work with IMANOR")
    title_create = gettext_lazy("New standard work")
    title_edit = gettext_lazy("Edit standard work")
    columns = [
        Column("reference", gettext_lazy("Reference"), sort="reference", link=True),
        Column("title", gettext_lazy("Title"), sort="title"),
        Column("cti", gettext_lazy("CTI"), accessor="cti.acronym", sort="cti__acronym"),
        Column("technical_committee", gettext_lazy("Technical committee"),
               sort="technical_committee"),
        Column("cti_role", gettext_lazy("CTI's role"), sort="cti_role"),
        Column("stage", gettext_lazy("Stage"), sort="stage"),
        Column("entered_stage_on", gettext_lazy("Since")),
        Column("overdue", gettext_lazy("Late"), accessor=_late, sort="is_overdue"),
    ]  # fmt: skip
    default_sort = "reference"
    create_service = staticmethod(services.standardwork_create)
    update_service = staticmethod(services.standardwork_update)
    steps = (
        Step("advance", "standard_advance", form=AdvanceForm,
             done_message=gettext_lazy("Next stage recorded."),
             take=lambda actor, work, data: services.standard_advance(
                 actor=actor, standardwork=work, **data)),
        Step("review", "standard_review", form=ReviewForm,
             done_message=gettext_lazy("Review recorded."),
             take=lambda actor, work, data: services.standard_review(
                 actor=actor, standardwork=work, **data)),
    )  # fmt: skip
    schema = StandardWorkOut
    api_summary = "NM standards work with IMANOR, stage by stage"
    detail_template = "standards/standardwork_detail.html"

    def queryset(self, user: Any) -> Any:
        return selectors.standards_register(user)

    def detail_context(self, request: HttpRequest, obj: StandardWork) -> dict[str, Any]:
        published = obj.stage == Stage.PUBLISHED
        return {
            "stages": obj.stage_dates(),
            "advance_form": None if published else AdvanceForm(user=request.user),
            "next_stage": None
            if published
            else list(Stage)[list(Stage).index(Stage(obj.stage)) + 1],
            "review_form": ReviewForm(user=request.user) if published else None,
        }


RESOURCES = register(StandardsWork)
