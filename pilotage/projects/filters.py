import datetime

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.core.filters import CTIS, SearchFilterSet
from pilotage.core.regions import Region
from pilotage.programmes.models import StrategicAxis
from pilotage.projects.models import (
    Milestone,
    MilestoneStatus,
    Project,
    ProjectKind,
    ProjectStatus,
    Theme,
)


class ProjectFilter(SearchFilterSet):
    search_fields = ("code", "title", "description", "sector", "task_force_reference")

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ProjectKind.choices)
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), field_name="themes", distinct=True
    )
    axis = django_filters.ModelChoiceFilter(label=_("Axis"), queryset=StrategicAxis.objects.all())
    lead = django_filters.ModelChoiceFilter(label=_("Lead CTI"), queryset=CTIS)
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProjectStatus.choices)

    class Meta:
        model = Project
        fields = ["q", "kind", "theme", "axis", "lead", "region", "status"]


def overdue_milestones(today: datetime.date | None = None) -> Q:
    return Q(status=MilestoneStatus.PENDING, due_on__lt=today or timezone.localdate())


class MilestoneFilter(SearchFilterSet):
    search_fields = ("title", "deliverable", "project__code", "project__title")

    project = django_filters.ModelChoiceFilter(label=_("Project"), queryset=Project.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MilestoneStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Milestone
        fields = ["q", "project", "status", "overdue"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return (
            queryset.filter(overdue_milestones())
            if value
            else queryset.exclude(overdue_milestones())
        )
