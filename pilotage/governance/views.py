"""The governance pages that are not a resource's list, detail, edit or history (those come from
`resources.py`, with the workflow steps they declare): removing a member, storing a meeting's
document (a file upload, so a page only) and the document downloads."""

from django.utils.translation import gettext_lazy

from pilotage.core.generic_views import (
    ObjectRemoveView,
    ObjectStepView,
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


class MemberRemove(ObjectRemoveView):
    model = CommitteeMember
    done_message = gettext_lazy("Member removed.")

    def back(self, member: CommitteeMember) -> str:
        return member.committee.get_absolute_url()

    def remove(self, member: CommitteeMember, reason: str) -> None:
        services.member_remove(actor=self.request.user, member=member, reason=reason)


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
