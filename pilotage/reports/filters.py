import django_filters
from django.utils.translation import gettext_lazy as _

from pilotage.core.filters import SearchFilterSet
from pilotage.programmes.models import Programme
from pilotage.reports.models import EditionStatus, ReportEdition, ReportKind


class EditionFilter(SearchFilterSet):
    search_fields = ("programme__code", "programme__title", "cti__acronym")

    kind = django_filters.ChoiceFilter(label=_("Report"), choices=ReportKind.choices)
    programme = django_filters.ModelChoiceFilter(label=_("Plan"),
                                                 queryset=Programme.objects.all())  # fmt: skip
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EditionStatus.choices)
    published = django_filters.BooleanFilter(
        label=_("Published"), field_name="published_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = ReportEdition
        fields = ["q", "kind", "programme", "status", "published"]
