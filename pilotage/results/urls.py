from django.urls import path

from pilotage.core.registry import page_urls
from pilotage.results import resources, views

app_name = "results"

urlpatterns = [
    *page_urls(resources.RESOURCES),
    path("objectives/new/", views.ObjectiveEdit.as_view(), name="objective_create"),
    path("objectives/<int:pk>/edit/", views.ObjectiveEdit.as_view(), name="objective_edit"),
    path("measurements/<int:pk>/evidence/", views.EvidenceAdd.as_view(), name="evidence_add"),
    path("evidence/<int:pk>/", views.EvidenceDownload.as_view(), name="evidence_download"),
    path("plans/<int:pk>/results/", views.ProgrammeResults.as_view(), name="programme_results"),
    path(
        "agreements/<int:pk>/reporting/",
        views.ContractReporting.as_view(),
        name="contract_reporting",
    ),
    path(
        "agreements/<int:pk>/reporting/template/",
        views.ReportingTemplate.as_view(),
        name="reporting_template",
    ),
    path(
        "agreements/<int:pk>/reporting/upload/",
        views.ReportingUpload.as_view(),
        name="reporting_upload",
    ),
    path(
        "agreements/<int:pk>/reporting/submit-ready/",
        views.ContractSubmitReady.as_view(),
        name="contract_submit_ready",
    ),
    path(
        "agreements/<int:pk>/reporting/review/",
        views.ContractReview.as_view(),
        name="contract_review",
    ),
    path(
        "agreements/<int:pk>/scorecard/",
        views.ContractScorecard.as_view(),
        name="contract_scorecard",
    ),
]
