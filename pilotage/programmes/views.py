"""Pages of plans and agreements besides their resources' (`resources.py`): a plan's axes,
created under their plan, and an agreement's documents (a file upload) and party removal."""

from typing import Any

from django.utils.translation import gettext_lazy

from pilotage.core import access
from pilotage.core.generic_views import (
    ObjectFormView,
    ObjectHistoryView,
    ObjectRemoveView,
    ObjectStepView,
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


class PartyRemove(ObjectRemoveView):
    model = AgreementParty
    done_message = gettext_lazy("Party removed.")

    def back(self, party: AgreementParty) -> str:
        return party.agreement.get_absolute_url()

    def remove(self, party: AgreementParty, reason: str) -> None:
        services.party_remove(actor=self.request.user, party=party, reason=reason)


class DocumentDownload(StoredDocumentDownload):
    model = AgreementDocument
