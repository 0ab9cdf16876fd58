import django_filters
from django.utils.translation import gettext_lazy as _

from pilotage.core.filters import SearchFilterSet, YearFilter
from pilotage.core.models import Organisation
from pilotage.governance.models import (
    PENDING_FOLLOW_UP,
    PENDING_RECOMMENDATION,
    Committee,
    Decision,
    DecisionKind,
    Evaluation,
    FollowUpStatus,
    ManagementResponse,
    Meeting,
    MeetingStatus,
    Recommendation,
    RecommendationStatus,
)
from pilotage.governance.selectors import overdue_condition
from pilotage.programmes.models import Programme


class CommitteeFilter(SearchFilterSet):
    search_fields = ("code", "name")

    programme = django_filters.ModelChoiceFilter(label=_("Plan"), queryset=Programme.objects.all())
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Committee
        fields = ["q", "programme", "is_active"]


class MeetingFilter(SearchFilterSet):
    search_fields = ("place", "agenda", "summary")

    committee = django_filters.ModelChoiceFilter(
        label=_("Committee"), queryset=Committee.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MeetingStatus.choices)
    year = YearFilter(label=_("Year"), field_name="date__year")

    class Meta:
        model = Meeting
        fields = ["q", "committee", "status", "year"]


class DecisionFilter(SearchFilterSet):
    """The decision register's filters; `overdue` keeps the follow-ups past their due date."""

    search_fields = ("number", "title", "text", "follow_up_note")

    committee = django_filters.ModelChoiceFilter(
        label=_("Committee"), queryset=Committee.objects.all()
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DecisionKind.choices)
    follow_up_status = django_filters.ChoiceFilter(
        label=_("Follow-up"), choices=FollowUpStatus.choices
    )
    year = YearFilter(label=_("Year"))
    owner = django_filters.ModelChoiceFilter(
        label=_("Responsible organisation"), queryset=Organisation.objects.all()
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Decision
        fields = ["q", "committee", "kind", "follow_up_status", "year", "owner", "overdue"]

    def filter_overdue(self, queryset, name, value):
        condition = overdue_condition("follow_up_status", PENDING_FOLLOW_UP)
        return queryset.filter(condition) if value else queryset.exclude(condition)


class EvaluationFilter(SearchFilterSet):
    search_fields = ("title", "evaluator", "summary")

    programme = django_filters.ModelChoiceFilter(label=_("Plan"), queryset=Programme.objects.all())

    class Meta:
        model = Evaluation
        fields = ["q", "programme"]


class RecommendationFilter(SearchFilterSet):
    search_fields = ("text", "response_note")

    evaluation = django_filters.ModelChoiceFilter(
        label=_("Evaluation"), queryset=Evaluation.objects.all()
    )
    response = django_filters.ChoiceFilter(
        label=_("Management response"), choices=ManagementResponse.choices
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RecommendationStatus.choices)
    owner = django_filters.ModelChoiceFilter(
        label=_("Responsible organisation"), queryset=Organisation.objects.all()
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Recommendation
        fields = ["q", "evaluation", "response", "status", "owner", "overdue"]

    def filter_overdue(self, queryset, name, value):
        condition = overdue_condition("status", PENDING_RECOMMENDATION)
        return queryset.filter(condition) if value else queryset.exclude(condition)
