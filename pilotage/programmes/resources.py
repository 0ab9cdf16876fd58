"""Plans and agreements as resources: their pages, API routes, exports and steps come from these
declarations (core/registry.py). A plan's axes (created under their plan) and an agreement's
documents (a file upload) stay plain views (views.py)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy
from ninja import Field, ModelSchema, Schema

from pilotage.core import access
from pilotage.core.money import format_mad
from pilotage.core.registry import Resource, Step, register
from pilotage.core.tables import Column
from pilotage.core.translation import translated_accessor
from pilotage.programmes import selectors, services
from pilotage.programmes.filters import (
    AgreementFilter,
    DeliverableFilter,
    ProgrammeFilter,
    TrancheFilter,
)
from pilotage.programmes.forms import (
    AgreementCreateForm,
    AgreementForm,
    AmendmentForm,
    DeliverableForm,
    DeliverForm,
    DocumentForm,
    PartyForm,
    PayForm,
    ProgrammeForm,
    ReviewForm,
    TrancheForm,
    TransitionForm,
)
from pilotage.programmes.models import (
    Agreement,
    AgreementDocument,
    AgreementParty,
    Deliverable,
    PaymentTranche,
    Programme,
    StrategicAxis,
)

# --- schemas: what the API answers for one row --------------------------------------------------


class AxisOut(Schema):
    id: int
    number: int
    title: str
    envelope: Decimal


class ProgrammeOut(ModelSchema):
    title: str
    predecessor_id: int | None
    axes: list[AxisOut]

    class Meta:
        model = Programme
        fields = ["id", "code", "start_year", "end_year", "envelope"]


class PartyOut(Schema):
    organisation_id: int
    organisation: str = Field(alias="organisation.acronym")
    role: str


class AmendmentOut(Schema):
    number: int
    kind: str
    signed_on: date
    reason: str
    new_ceiling: Decimal | None
    new_ends_on: date | None


class AgreementOut(ModelSchema):
    programme_id: int | None
    parent_id: int | None
    parties: list[PartyOut]
    amendments: list[AmendmentOut]

    class Meta:
        model = Agreement
        fields = [
            "id", "kind", "reference", "title", "signed_on", "starts_on", "ends_on", "ceiling",
            "status",
        ]  # fmt: skip


# --- declarations ----------------------------------------------------------------------------


class Programmes(Resource):
    model = Programme
    path = "plans"
    api_path = "programmes"
    export_name = "plans"
    form = ProgrammeForm
    filterset = ProgrammeFilter
    title = gettext_lazy("Plans")
    title_create = gettext_lazy("New plan")
    title_edit = gettext_lazy("Edit plan")
    related = ("predecessor",)
    columns = [
        Column("code", gettext_lazy("Code"), sort="code", link=True),
        Column("title", gettext_lazy("Title"), translated_accessor("title"), sort="title"),
        Column("start_year", gettext_lazy("First year"), sort="start_year"),
        Column("end_year", gettext_lazy("Last year"), sort="end_year"),
        Column("envelope", gettext_lazy("Envelope"), sort="envelope"),
        Column("predecessor", gettext_lazy("Predecessor")),
    ]
    default_sort = "-start_year"
    create_service = staticmethod(services.programme_create)
    update_service = staticmethod(services.programme_update)
    schema = ProgrammeOut
    api_summary = "Plans with their axes"
    detail_template = "programmes/programme_detail.html"

    def queryset(self, user: Any) -> Any:
        axes = StrategicAxis.objects.visible_to(user)
        return super().queryset(user).prefetch_related(Prefetch("axes", queryset=axes))

    def detail_context(self, request: HttpRequest, obj: Programme) -> dict[str, Any]:
        user = request.user
        return {
            "split": selectors.envelope_split(obj, user),
            "agreements": selectors.programme_agreements(obj, user),
            "can_add_axis": access.can_create(user, StrategicAxis),
        }


def _parties(agreement: Agreement) -> str:
    return ", ".join(sorted({p.organisation.acronym for p in agreement.parties.all()}))


class Agreements(Resource):
    model = Agreement
    path = "agreements"
    form = AgreementForm
    create_form = AgreementCreateForm
    filterset = AgreementFilter
    title = gettext_lazy("Agreements")
    title_create = gettext_lazy("New agreement")
    title_edit = gettext_lazy("Edit agreement")
    related = ("programme",)
    columns = [
        Column("reference", gettext_lazy("Reference"), sort="reference", link=True),
        Column("kind", gettext_lazy("Kind"), sort="kind"),
        Column("title", gettext_lazy("Title"), sort="title"),
        Column("parties", gettext_lazy("Parties"), accessor=_parties),
        Column("signed_on", gettext_lazy("Signed on"), sort="signed_on"),
        Column("status", gettext_lazy("Status"), sort="status"),
        Column("ceiling", gettext_lazy("Ceiling"), sort="ceiling"),
    ]
    default_sort = "reference"
    create_service = staticmethod(services.agreement_create)
    update_service = staticmethod(services.agreement_update)
    steps = (
        Step("transition", "agreement_transition", form=TransitionForm,
             done_message=gettext_lazy("Status changed."),
             take=lambda actor, agreement, data: services.agreement_transition(
                 actor=actor, agreement=agreement, **data)),
        Step("parties", "party_add", form=PartyForm, done_message=gettext_lazy("Party added."),
             summary="Add a party",
             take=lambda actor, agreement, data: services.party_add(
                 actor=actor, agreement=agreement, **data)),
        Step("amendments", "amendment_add", form=AmendmentForm,
             done_message=gettext_lazy("Amendment recorded."),
             summary="Record a numbered amendment (it changes the ceiling or the end date)",
             take=lambda actor, agreement, data: services.amendment_create(
                 actor=actor, agreement=agreement, **data)),
    )  # fmt: skip
    schema = AgreementOut
    api_summary = "Agreements you may see"
    detail_template = "programmes/agreement_detail.html"

    def queryset(self, user: Any) -> Any:
        parties = AgreementParty.objects.visible_to(user).select_related("organisation")
        return (
            super()
            .queryset(user)
            .prefetch_related(Prefetch("parties", queryset=parties), "amendments")
        )

    def detail_context(self, request: HttpRequest, obj: Agreement) -> dict[str, Any]:
        user = request.user
        transition_form = TransitionForm(user=user)
        status: Any = transition_form.fields["status"]
        status.choices = [(s.value, s.label) for s in obj.next_statuses]
        document_form = DocumentForm(user=user)
        amendment: Any = document_form.fields["amendment"]
        amendment.queryset = obj.amendments.all()
        return {
            "parties": AgreementParty.objects.visible_to(user)
            .filter(agreement=obj)
            .select_related("organisation"),
            "children": Agreement.objects.visible_to(user).filter(parent=obj),
            "amendments": obj.amendments.all(),
            "documents": AgreementDocument.objects.visible_to(user).filter(agreement=obj),
            "transition_form": transition_form,
            "party_form": PartyForm(user=user),
            "amendment_form": AmendmentForm(user=user),
            "document_form": document_form,
            "ceiling_display": format_mad(obj.ceiling) if obj.ceiling is not None else "",
            "schedule": selectors.contract_schedule(obj, user),
            "can_add_modalities": access.can_edit(user, obj) and obj.status != "closed",
        }


class DeliverableOut(ModelSchema):
    agreement_id: int
    is_overdue: bool

    class Meta:
        model = Deliverable
        fields = [
            "id", "title", "description", "due_on", "status", "delivered_on", "reviewed_on",
            "review_note",
        ]  # fmt: skip


class TrancheOut(ModelSchema):
    agreement_id: int
    deliverable_ids: list[int]
    is_released: bool

    class Meta:
        model = PaymentTranche
        fields = ["id", "number", "amount", "planned_on", "paid_on", "payment_reference"]

    @staticmethod
    def resolve_deliverable_ids(tranche: PaymentTranche) -> list[int]:
        return [d.pk for d in tranche.deliverables.all()]


def _overdue(deliverable: Deliverable) -> Any:
    return gettext("Overdue") if deliverable.is_overdue else None


def _released(tranche: PaymentTranche) -> Any:
    return gettext("Released") if tranche.is_released else gettext("Awaiting deliverables")


class Deliverables(Resource):
    model = Deliverable
    path = "deliverables"
    form = DeliverableForm
    filterset = DeliverableFilter
    title = gettext_lazy("Contract deliverables")
    title_create = gettext_lazy("New deliverable")
    title_edit = gettext_lazy("Edit deliverable")
    related = ("agreement",)
    columns = [
        Column("agreement", gettext_lazy("Agreement"), accessor="agreement.reference",
               sort="agreement__reference"),
        Column("title", gettext_lazy("Title"), sort="title", link=True),
        Column("due_on", gettext_lazy("Due on"), sort="due_on"),
        Column("status", gettext_lazy("Status"), sort="status"),
        Column("delivered_on", gettext_lazy("Delivered on"), sort="delivered_on"),
        Column("reviewed_on", gettext_lazy("Accepted or rejected on"), sort="reviewed_on"),
        Column("overdue", gettext_lazy("Overdue"), accessor=_overdue),
    ]  # fmt: skip
    default_sort = "due_on"
    create_service = staticmethod(services.deliverable_create)
    update_service = staticmethod(services.deliverable_update)
    prefill = ("agreement",)
    steps = (
        Step("deliver", "deliverable_deliver", form=DeliverForm, action="deliver",
             done_message=gettext_lazy("Deliverable handed over."),
             take=lambda actor, deliverable, data: services.deliverable_deliver(
                 actor=actor, deliverable=deliverable, **data)),
        Step("review", "deliverable_review", form=ReviewForm, action="review",
             done_message=gettext_lazy("Review recorded."),
             take=lambda actor, deliverable, data: services.deliverable_review(
                 actor=actor, deliverable=deliverable, **data)),
    )  # fmt: skip
    schema = DeliverableOut
    api_summary = "Deliverables of the contracts you are party to"
    detail_template = "programmes/deliverable_detail.html"

    def detail_context(self, request: HttpRequest, obj: Deliverable) -> dict[str, Any]:
        user = request.user
        waiting = obj.status in ("due", "rejected")
        return {
            "tranches": obj.tranches.visible_to(user),
            "deliver_form": DeliverForm(user=user)
            if waiting and access.can(user, "deliver", obj) else None,
            "review_form": ReviewForm(user=user)
            if obj.status == "delivered" and access.can(user, "review", obj) else None,
        }  # fmt: skip


class Tranches(Resource):
    model = PaymentTranche
    path = "payment-tranches"
    name = "tranche"
    form = TrancheForm
    filterset = TrancheFilter
    title = gettext_lazy("Payment tranches")
    title_create = gettext_lazy("New payment tranche")
    title_edit = gettext_lazy("Edit payment tranche")
    related = ("agreement",)
    prefetch = ("deliverables",)
    columns = [
        Column("agreement", gettext_lazy("Agreement"), accessor="agreement.reference",
               sort="agreement__reference"),
        Column("number", gettext_lazy("No."), sort="number", link=True),
        Column("amount", gettext_lazy("Amount (MAD)"), sort="amount"),
        Column("planned_on", gettext_lazy("Planned for"), sort="planned_on"),
        Column("released", gettext_lazy("Release"), accessor=_released),
        Column("paid_on", gettext_lazy("Paid on"), sort="paid_on"),
        Column("payment_reference", gettext_lazy("Payment reference")),
    ]  # fmt: skip
    default_sort = "number"
    create_service = staticmethod(services.tranche_create)
    update_service = staticmethod(services.tranche_update)
    prefill = ("agreement",)
    steps = (
        Step("pay", "tranche_pay", form=PayForm, action="pay",
             done_message=gettext_lazy("Tranche recorded as paid."),
             take=lambda actor, tranche, data: services.tranche_pay(
                 actor=actor, tranche=tranche, **data)),
    )  # fmt: skip
    schema = TrancheOut
    api_summary = "Payment schedules of the contracts you are party to"
    detail_template = "programmes/tranche_detail.html"

    def detail_context(self, request: HttpRequest, obj: PaymentTranche) -> dict[str, Any]:
        return {
            "pay_form": PayForm(user=request.user)
            if obj.is_released and not obj.paid_on and access.can(request.user, "pay", obj)
            else None,
        }  # fmt: skip


RESOURCES = register(Programmes, Agreements, Deliverables, Tranches)
