from django.urls import path

from pilotage.core.registry import page_urls
from pilotage.standards import resources, views

app_name = "standards"

urlpatterns = [
    path("standards/pipeline/", views.Pipeline.as_view(), name="pipeline"),
    *page_urls(resources.RESOURCES),
]
