from django.urls import path

from pilotage.governance import views

app_name = "governance"

urlpatterns = [
    path("committees/", views.CommitteeList.as_view(), name="committee_list"),
    path("committees/new/", views.CommitteeEdit.as_view(), name="committee_create"),
    path("committees/<int:pk>/", views.CommitteeDetail.as_view(), name="committee_detail"),
    path("committees/<int:pk>/edit/", views.CommitteeEdit.as_view(), name="committee_edit"),
    path(
        "committees/<int:pk>/history/", views.CommitteeHistory.as_view(), name="committee_history"
    ),
    path("committees/<int:pk>/members/", views.MemberAdd.as_view(), name="member_add"),
    path("committee-members/<int:pk>/remove/", views.MemberRemove.as_view(), name="member_remove"),
    path("meetings/", views.MeetingList.as_view(), name="meeting_list"),
    path("meetings/new/", views.MeetingEdit.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetail.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingEdit.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/history/", views.MeetingHistory.as_view(), name="meeting_history"),
    path("meetings/<int:pk>/status/", views.MeetingTransition.as_view(), name="meeting_transition"),
    path("meetings/<int:pk>/documents/", views.MeetingDocumentAdd.as_view(), name="document_add"),
    path(
        "meeting-documents/<int:pk>/",
        views.MeetingDocumentDownload.as_view(),
        name="document_download",
    ),
    path("decisions/", views.DecisionList.as_view(), name="decision_list"),
    path("decisions/new/", views.DecisionEdit.as_view(), name="decision_create"),
    path("decisions/<int:pk>/", views.DecisionDetail.as_view(), name="decision_detail"),
    path("decisions/<int:pk>/edit/", views.DecisionEdit.as_view(), name="decision_edit"),
    path("decisions/<int:pk>/history/", views.DecisionHistory.as_view(), name="decision_history"),
    path(
        "decisions/<int:pk>/follow-up/", views.DecisionFollowUp.as_view(), name="decision_follow_up"
    ),
    path("evaluations/", views.EvaluationList.as_view(), name="evaluation_list"),
    path("evaluations/new/", views.EvaluationEdit.as_view(), name="evaluation_create"),
    path("evaluations/<int:pk>/", views.EvaluationDetail.as_view(), name="evaluation_detail"),
    path("evaluations/<int:pk>/edit/", views.EvaluationEdit.as_view(), name="evaluation_edit"),
    path(
        "evaluations/<int:pk>/history/",
        views.EvaluationHistory.as_view(),
        name="evaluation_history",
    ),
    path("recommendations/", views.RecommendationList.as_view(), name="recommendation_list"),
    path("recommendations/new/", views.RecommendationEdit.as_view(), name="recommendation_create"),
    path(
        "recommendations/<int:pk>/",
        views.RecommendationDetail.as_view(),
        name="recommendation_detail",
    ),
    path(
        "recommendations/<int:pk>/edit/",
        views.RecommendationEdit.as_view(),
        name="recommendation_edit",
    ),
    path(
        "recommendations/<int:pk>/history/",
        views.RecommendationHistory.as_view(),
        name="recommendation_history",
    ),
    path(
        "recommendations/<int:pk>/notes/", views.ProgressNoteAdd.as_view(), name="progress_note_add"
    ),
    path(
        "progress-evidence/<int:pk>/",
        views.ProgressEvidenceDownload.as_view(),
        name="evidence_download",
    ),
]
