"""Pages of plans, axes and agreements. Workflow steps are small POST views calling one service."""

from typing import Any

from django.contrib import messages
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
from pilotage.core.money import format_mad
from pilotage.core.tables import Column
from pilotage.core.translation import translated_accessor
from pilotage.programmes import selectors, services
from pilotage.programmes.filters import AgreementFilter, ProgrammeFilter
from pilotage.programmes.forms import (
    AgreementCreateForm,
    AgreementForm,
    AmendmentForm,
    AxisForm,
    DocumentForm,
    PartyForm,
    ProgrammeForm,
    TransitionForm,
)
from pilotage.programmes.models import (
    Agreement,
    AgreementDocument,
    AgreementParty,
    Programme,
    StrategicAxis,
)

# --- plans -----------------------------------------------------------------------------------


class ProgrammeList(ObjectListView):
    model = Programme
    filterset_class = ProgrammeFilter
    title = gettext_lazy("Plans")
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
    create_url_name = "programmes:programme_create"
    export_name = "plans"


class ProgrammeDetail(ObjectDetailView):
    model = Programme
    template_name = "programmes/programme_detail.html"

    def get_context(self, obj: Programme) -> dict[str, Any]:
        user = self.request.user
        return {
            "split": selectors.envelope_split(obj, user),
            "agreements": selectors.programme_agreements(obj, user),
            "can_add_axis": access.can_create(user, StrategicAxis),
        }


class ProgrammeEdit(ObjectFormView):
    model = Programme
    form_class = ProgrammeForm
    title_create = gettext_lazy("New plan")
    title_edit = gettext_lazy("Edit plan")
    create_service = staticmethod(services.programme_create)
    update_service = staticmethod(services.programme_update)
    object_kwarg = "programme"


class ProgrammeHistory(ObjectHistoryView):
    model = Programme


class AxisCreate(ObjectFormView):
    """A new axis of the plan in the URL (`programme_id`)."""

    model = StrategicAxis
    form_class = AxisForm
    title_create = gettext_lazy("New strategic axis")
    create_service = staticmethod(services.axis_create)

    def get_target(self) -> StrategicAxis | None:
        self.programme = access.get_visible(
            Programme, self.request.user, self.kwargs["programme_id"]
        )
        return super().get_target()

    def service_kwargs(self, form: AxisForm) -> dict[str, Any]:
        return {**super().service_kwargs(form), "programme": self.programme}


class AxisEdit(ObjectFormView):
    model = StrategicAxis
    form_class = AxisForm
    title_edit = gettext_lazy("Edit strategic axis")
    update_service = staticmethod(services.axis_update)
    object_kwarg = "axis"


class AxisHistory(ObjectHistoryView):
    model = StrategicAxis


# --- agreements ------------------------------------------------------------------------------


def _parties(agreement: Agreement) -> str:
    return ", ".join(sorted({p.organisation.acronym for p in agreement.parties.all()}))


class AgreementList(ObjectListView):
    model = Agreement
    filterset_class = AgreementFilter
    title = gettext_lazy("Agreements")
    related = ("programme",)
    prefetch = ("parties__organisation",)
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
    create_url_name = "programmes:agreement_create"
    export_name = "agreements"


class AgreementDetail(ObjectDetailView):
    model = Agreement
    template_name = "programmes/agreement_detail.html"

    def get_context(self, obj: Agreement) -> dict[str, Any]:
        user = self.request.user
        transition_form = TransitionForm(user=user)
        transition_form.fields["status"].choices = [(s.value, s.label) for s in obj.next_statuses]
        document_form = DocumentForm(user=user)
        document_form.fields["amendment"].queryset = obj.amendments.all()
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
        }


class AgreementEdit(ObjectFormView):
    model = Agreement
    title_create = gettext_lazy("New agreement")
    title_edit = gettext_lazy("Edit agreement")

    create_service = staticmethod(services.agreement_create)
    update_service = staticmethod(services.agreement_update)
    object_kwarg = "agreement"

    @property
    def form_class(self):  # type: ignore[override]
        return AgreementForm if "pk" in self.kwargs else AgreementCreateForm


class AgreementHistory(ObjectHistoryView):
    model = Agreement


class AgreementStep(ObjectStepView):
    """Base of the POST steps on an agreement page."""

    model = Agreement


class AgreementTransition(AgreementStep):
    form_class = TransitionForm
    done_message = gettext_lazy("Status changed.")

    def apply(self, agreement: Agreement, data: dict) -> None:
        services.agreement_transition(actor=self.request.user, agreement=agreement, **data)


class PartyAdd(AgreementStep):
    form_class = PartyForm
    done_message = gettext_lazy("Party added.")

    def apply(self, agreement: Agreement, data: dict) -> None:
        services.party_add(actor=self.request.user, agreement=agreement, **data)


class AmendmentAdd(AgreementStep):
    form_class = AmendmentForm
    done_message = gettext_lazy("Amendment recorded.")

    def apply(self, agreement: Agreement, data: dict) -> None:
        services.amendment_create(actor=self.request.user, agreement=agreement, **data)


class DocumentAdd(AgreementStep):
    form_class = DocumentForm
    done_message = gettext_lazy("Document stored.")

    def apply(self, agreement: Agreement, data: dict) -> None:
        services.document_attach(
            actor=self.request.user,
            agreement=agreement,
            title=data["title"],
            upload=data["upload"],
            amendment=data["amendment"],
        )


class PartyRemove(AccessMixin, View):
    model = AgreementParty

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        party = access.get_editable(AgreementParty, request.user, pk)
        try:
            services.party_remove(
                actor=request.user, party=party, reason=request.POST.get("reason", "")
            )
        except ServiceError as exc:
            if exc.code in ACCESS_CODES:
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Party removed."))
        return redirect(party.agreement.get_absolute_url())


class DocumentDownload(StoredDocumentDownload):
    model = AgreementDocument
