from django.urls import path

from pilotage.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("watch/", views.watch, name="watch"),
    path("map/", views.region_map, name="region_map"),
    path("benchmarks/", views.benchmark, name="benchmark"),
]
