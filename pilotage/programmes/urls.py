from django.urls import path

from pilotage.programmes import views

app_name = "programmes"

urlpatterns = [
    path("plans/", views.ProgrammeList.as_view(), name="programme_list"),
    path("plans/new/", views.ProgrammeEdit.as_view(), name="programme_create"),
    path("plans/<int:pk>/", views.ProgrammeDetail.as_view(), name="programme_detail"),
    path("plans/<int:pk>/edit/", views.ProgrammeEdit.as_view(), name="programme_edit"),
    path("plans/<int:pk>/history/", views.ProgrammeHistory.as_view(), name="programme_history"),
    path("plans/<int:programme_id>/axes/new/", views.AxisCreate.as_view(), name="axis_create"),
    path("axes/<int:pk>/edit/", views.AxisEdit.as_view(), name="axis_edit"),
    path("axes/<int:pk>/history/", views.AxisHistory.as_view(), name="axis_history"),
    path("agreements/", views.AgreementList.as_view(), name="agreement_list"),
    path("agreements/new/", views.AgreementEdit.as_view(), name="agreement_create"),
    path("agreements/<int:pk>/", views.AgreementDetail.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.AgreementEdit.as_view(), name="agreement_edit"),
    path(
        "agreements/<int:pk>/history/", views.AgreementHistory.as_view(), name="agreement_history"
    ),
    path(
        "agreements/<int:pk>/status/",
        views.AgreementTransition.as_view(),
        name="agreement_transition",
    ),
    path("agreements/<int:pk>/parties/", views.PartyAdd.as_view(), name="party_add"),
    path("agreements/<int:pk>/amendments/", views.AmendmentAdd.as_view(), name="amendment_add"),
    path("agreements/<int:pk>/documents/", views.DocumentAdd.as_view(), name="document_add"),
    path("parties/<int:pk>/remove/", views.PartyRemove.as_view(), name="party_remove"),
    path("documents/<int:pk>/", views.DocumentDownload.as_view(), name="document_download"),
]
