import django_filters
from django.utils.translation import gettext_lazy as _

from pilotage.core.filters import IdFilter, SearchFilterSet
from pilotage.core.models import Organisation
from pilotage.core.roles import OrganisationKind
from pilotage.programmes.models import Agreement, Programme
from pilotage.results.models import (
    Indicator,
    IndicatorSource,
    Measurement,
    MeasurementStatus,
    ReportingPeriod,
)
from pilotage.results.semantics import Kind


class IndicatorFilter(SearchFilterSet):
    search_fields = ("code", "name", "definition")

    programme = django_filters.ModelChoiceFilter(
        label=_("Plan"), queryset=Programme.objects.all(), field_name="objective__programme"
    )
    agreement = django_filters.ModelChoiceFilter(
        label=_("Contract"), queryset=Agreement.objects.all(), field_name="objective__agreement"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=[(k.value, k.value) for k in Kind])
    source = django_filters.ChoiceFilter(label=_("Source"), choices=IndicatorSource.choices)

    class Meta:
        model = Indicator
        fields = ["q", "programme", "agreement", "kind", "source"]


class MeasurementFilter(SearchFilterSet):
    search_fields = ("indicator__code", "indicator__name", "organisation__acronym")

    period = django_filters.ModelChoiceFilter(
        label=_("Period"), queryset=ReportingPeriod.objects.all()
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("CTI"), queryset=Organisation.objects.filter(kind=OrganisationKind.CTI)
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MeasurementStatus.choices)
    indicator = IdFilter(label=_("Indicator"), field_name="indicator_id")

    class Meta:
        model = Measurement
        fields = ["q", "period", "organisation", "status", "indicator"]
