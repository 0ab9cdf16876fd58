from django.urls import path

from pilotage.core.registry import page_urls
from pilotage.reports import resources, views

app_name = "reports"

urlpatterns = [
    *page_urls(resources.RESOURCES),
    path("report-editions/<int:pk>/progress/", views.EditionProgress.as_view(),
         name="edition_progress"),
    path("report-editions/<int:pk>/changes/", views.EditionChanges.as_view(),
         name="edition_changes"),
    # Public once the edition is published (anyone may download what the ministry published).
    # Several path parameters: their access is tested in reports/tests (not the generic matrix).
    path("report-editions/<int:edition>/files/<str:file_format>-<str:language>/", views.edition_file,
         name="edition_file"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/editions/<int:edition>/datapackage.json", views.open_data_package,
         name="open_data_package"),
    path("open-data/editions/<int:edition>/<slug:name>.<str:extension>", views.open_data_table,
         name="open_data_table"),
]  # fmt: skip
