from django.urls import path

from pilotage.core.registry import page_urls
from pilotage.programmes import resources, views

app_name = "programmes"

urlpatterns = [
    *page_urls(resources.RESOURCES),
    path("plans/<int:programme_id>/axes/new/", views.AxisCreate.as_view(), name="axis_create"),
    path("axes/<int:pk>/edit/", views.AxisEdit.as_view(), name="axis_edit"),
    path("axes/<int:pk>/history/", views.AxisHistory.as_view(), name="axis_history"),
    path("agreements/<int:pk>/documents/", views.DocumentAdd.as_view(), name="document_add"),
    path("parties/<int:pk>/remove/", views.PartyRemove.as_view(), name="party_remove"),
    path("documents/<int:pk>/", views.DocumentDownload.as_view(), name="document_download"),
]
