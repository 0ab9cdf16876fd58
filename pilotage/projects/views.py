"""The projects pages that are not a resource's (those come from `resources.py`): the portfolio's
timeline, and downloading a milestone's evidence."""

import json

from django.db.models import BooleanField, ExpressionWrapper
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views import View

from pilotage.core.generic_views import AccessMixin, StoredDocumentDownload
from pilotage.projects.charts import timeline_spec
from pilotage.projects.filters import ProjectFilter, overdue_milestones
from pilotage.projects.models import Milestone, MilestoneEvidence, Project

# The timeline draws this many projects at most (the first by start date); the list pages and
# their exports hold the rest.
TIMELINE_PROJECTS = 150


class Timeline(AccessMixin, View):
    """The portfolio on a time axis, with the list's filters (kind, theme, axis, CTI, region,
    status) and the milestones on each bar."""

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = Project.objects.visible_to(request.user).select_related("lead")
        filterset = ProjectFilter(request.GET or None, queryset=rows, request=request)
        if filterset.is_bound:
            rows = filterset.qs if filterset.is_valid() else rows.none()
        total = rows.count()
        projects = list(rows.order_by("starts_on", "code")[:TIMELINE_PROJECTS])
        # Plain values: a timeline holds hundreds of milestones, no model instance is needed.
        milestones = list(
            Milestone.objects.filter(project__in=[p.pk for p in projects])
            .annotate(overdue=ExpressionWrapper(overdue_milestones(), BooleanField()))
            .values("project__code", "title", "due_on", "status", "overdue")
        )
        spec = timeline_spec(projects, milestones, timezone.localdate(), get_language() == "ar")
        context = {
            "filterset": filterset, "projects": projects, "total": total,
            "spec": json.dumps(spec), "limit": TIMELINE_PROJECTS,
        }  # fmt: skip
        return render(request, "projects/timeline.html", context)


class EvidenceDownload(StoredDocumentDownload):
    model = MilestoneEvidence
