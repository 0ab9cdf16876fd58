from django.urls import path

from pilotage.core.registry import page_urls
from pilotage.governance import resources, views

app_name = "governance"

urlpatterns = [
    *page_urls(resources.RESOURCES),
    path("committee-members/<int:pk>/remove/", views.MemberRemove.as_view(), name="member_remove"),
    path("meetings/<int:pk>/documents/", views.MeetingDocumentAdd.as_view(), name="document_add"),
    path(
        "meeting-documents/<int:pk>/",
        views.MeetingDocumentDownload.as_view(),
        name="document_download",
    ),
    path(
        "progress-evidence/<int:pk>/",
        views.ProgressEvidenceDownload.as_view(),
        name="evidence_download",
    ),
]
