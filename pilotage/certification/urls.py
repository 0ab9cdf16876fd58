from django.urls import path

from pilotage.certification import resources, views
from pilotage.core.registry import page_urls

app_name = "certification"

urlpatterns = [
    *page_urls(resources.RESOURCES),
    path(
        "validation-requests/<int:pk>/report-file/",
        views.ReportFileAdd.as_view(),
        name="report_file_add",
    ),
    path("validation-reports/<int:pk>/", views.ReportDownload.as_view(), name="report_download"),
]
