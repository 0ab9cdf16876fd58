from django.urls import path

from pilotage.core.registry import page_urls
from pilotage.projects import resources, views

app_name = "projects"

urlpatterns = [
    path("projects/timeline/", views.Timeline.as_view(), name="timeline"),
    *page_urls(resources.RESOURCES),
    path(
        "milestone-evidence/<int:pk>/", views.EvidenceDownload.as_view(), name="evidence_download"
    ),
]
