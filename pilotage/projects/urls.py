from django.urls import path

from pilotage.core.registry import page_urls
from pilotage.projects import resources, views

app_name = "projects"

urlpatterns = [
    *page_urls(resources.RESOURCES),
    path(
        "milestone-evidence/<int:pk>/", views.EvidenceDownload.as_view(), name="evidence_download"
    ),
]
