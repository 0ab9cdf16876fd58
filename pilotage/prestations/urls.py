from django.urls import path

from pilotage.core.registry import page_urls
from pilotage.prestations import resources, views

app_name = "services"

urlpatterns = [
    *page_urls(resources.RESOURCES),
    path("imports/new/", views.ImportCreate.as_view(), name="import_create"),
    path("imports/<int:pk>/", views.ImportDetail.as_view(), name="import_detail"),
    path("imports/<int:pk>/errors.csv", views.ImportErrors.as_view(), name="import_errors"),
    path("imports/template/<str:kind>/", views.ImportTemplate.as_view(), name="import_template"),
    # Public: no sign-in.
    path("catalogue/", views.Catalogue.as_view(), name="catalogue"),
    path("catalogue/<int:pk>/", views.CatalogueOffering.as_view(), name="catalogue_offering"),
    path("catalogue/follow/<str:token>/", views.RequestFollow.as_view(), name="request_follow"),
]
