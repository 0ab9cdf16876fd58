from django.urls import path

from pilotage.results import views

app_name = "results"

urlpatterns = [
    path("indicators/", views.IndicatorList.as_view(), name="indicator_list"),
    path("indicators/new/", views.IndicatorEdit.as_view(), name="indicator_create"),
    path("indicators/<int:pk>/", views.IndicatorDetail.as_view(), name="indicator_detail"),
    path("indicators/<int:pk>/edit/", views.IndicatorEdit.as_view(), name="indicator_edit"),
    path(
        "indicators/<int:pk>/history/", views.IndicatorHistory.as_view(), name="indicator_history"
    ),
    path("indicators/<int:pk>/targets/", views.TargetAdd.as_view(), name="target_add"),
    path("objectives/new/", views.ObjectiveEdit.as_view(), name="objective_create"),
    path("objectives/<int:pk>/edit/", views.ObjectiveEdit.as_view(), name="objective_edit"),
    path("values/", views.MeasurementList.as_view(), name="measurement_list"),
    path("periods/", views.PeriodList.as_view(), name="period_list"),
    path("periods/new/", views.PeriodEdit.as_view(), name="period_create"),
    path("periods/<int:pk>/edit/", views.PeriodEdit.as_view(), name="period_edit"),
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
