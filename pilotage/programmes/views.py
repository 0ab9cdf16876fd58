"""Pages of plans and agreements besides their resources' (`resources.py`): a plan's axes,
created under their plan, and an agreement's documents (a file upload) and party removal."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from pilotage.core import access
from pilotage.core.errors import ServiceError
from pilotage.core.generic_views import (
    ACCESS_CODES,
    AccessMixin,
    ObjectFormView,
    ObjectHistoryView,
    ObjectStepView,
    SignedInRequest,
    StoredDocumentDownload,
)
from pilotage.programmes import services
from pilotage.programmes.forms import AxisForm, DocumentForm
from pilotage.programmes.models import (
    Agreement,
    AgreementDocument,
    AgreementParty,
    Programme,
    StrategicAxis,
)

# --- axes ------------------------------------------------------------------------------------


class AxisCreate(ObjectFormView):
    """A new axis of the plan in the URL (`programme_id`)."""

    model = StrategicAxis
    form_class = AxisForm
    title_create = gettext_lazy("New strategic axis")
    create_service = staticmethod(services.axis_create)

    def get_target(self) -> Any:
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


class AgreementStep(ObjectStepView):
    """Base of the POST steps on an agreement page."""

    model = Agreement


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

    def post(self, request: SignedInRequest, pk: int) -> HttpResponse:
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
