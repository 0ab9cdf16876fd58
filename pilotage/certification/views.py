"""The certification pages that are not a resource's list, detail, edit, history or step (those
come from `resources.py`): storing a signed report file (an upload, so a page of its own and a
multipart API route) and downloading it."""

from django.utils.translation import gettext_lazy

from pilotage.certification import services
from pilotage.certification.forms import ReportFileForm
from pilotage.certification.models import ValidationReport, ValidationRequest
from pilotage.core.generic_views import ObjectStepView, StoredDocumentDownload


class ReportFileAdd(ObjectStepView):
    model = ValidationRequest
    form_class = ReportFileForm
    done_message = gettext_lazy("Report file stored.")

    def apply(self, request: ValidationRequest, data: dict) -> None:
        services.report_attach(
            actor=self.request.user, request=request, upload=data["file"], title=data["title"]
        )


class ReportDownload(StoredDocumentDownload):
    model = ValidationReport
