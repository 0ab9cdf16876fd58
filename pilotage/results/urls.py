from django.urls import path

from pilotage.results import views

app_name = "results"

urlpatterns = [
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
        "agreements/<int:pk>/scorecard/",
        views.ContractScorecard.as_view(),
        name="contract_scorecard",
    ),
    path(
        "measurements/<int:pk>/submit/",
        views.MeasurementSubmit.as_view(),
        name="measurement_submit",
    ),
    path(
        "measurements/<int:pk>/validate/",
        views.MeasurementValidate.as_view(),
        name="measurement_validate",
    ),
    path(
        "measurements/<int:pk>/return/",
        views.MeasurementReturn.as_view(),
        name="measurement_return",
    ),
    path(
        "measurements/<int:pk>/revise/",
        views.MeasurementRevise.as_view(),
        name="measurement_revise",
    ),
]
