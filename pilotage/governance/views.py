"""The governance pages that are not a resource's list, detail, edit or history (those come from
`resources.py`, with the workflow steps they declare): removing a member, storing a meeting's
document (a file upload, so a page only) and the document downloads."""

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
    ObjectStepView,
    SignedInRequest,
    StoredDocumentDownload,
)
from pilotage.governance import services
from pilotage.governance.forms import (
    MeetingDocumentForm,
)
from pilotage.governance.models import (
    CommitteeMember,
    Meeting,
    MeetingDocument,
    ProgressEvidence,
)


class MemberRemove(AccessMixin, View):
    model = CommitteeMember

    def post(self, request: SignedInRequest, pk: int) -> HttpResponse:
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


class ProgressEvidenceDownload(StoredDocumentDownload):
    model = ProgressEvidence
