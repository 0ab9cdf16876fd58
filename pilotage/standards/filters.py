import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.core.filters import CTIS, SearchFilterSet
from pilotage.standards.models import CtiRole, Stage, StandardWork, overdue_condition


class StandardWorkFilter(SearchFilterSet):
    search_fields = ("reference", "title", "title_ar", "technical_committee", "homologation_order")

    cti = django_filters.ModelChoiceFilter(label=_("CTI"), queryset=CTIS)
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)
    cti_role = django_filters.ChoiceFilter(label=_("CTI's role"), choices=CtiRole.choices)
    overdue = django_filters.BooleanFilter(label=_("Late"), method="filter_overdue")

    class Meta:
        model = StandardWork
        fields = ["q", "cti", "stage", "cti_role", "overdue"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        late = overdue_condition(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
