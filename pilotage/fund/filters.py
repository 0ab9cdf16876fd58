import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from pilotage.core.filters import SearchFilterSet, YearFilter
from pilotage.core.models import Organisation
from pilotage.core.roles import OrganisationKind
from pilotage.fund.models import Commitment, Entry, EntryKind
from pilotage.fund.selectors import touching
from pilotage.governance.models import Decision
from pilotage.programmes.models import Programme, StrategicAxis

DATE_INPUT = {"type": "date"}


class JournalFilter(SearchFilterSet):
    search_fields = ("reference", "note", "commitment__project", "decision__number")

    programme = django_filters.ModelChoiceFilter(
        label=_("Plan"), queryset=Programme.objects.all(), field_name="allocation__programme"
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=EntryKind.choices, widget=forms.SelectMultiple(attrs={"size": 2})
    )
    # The line filters also catch the reallocations a line received (`touching`).
    axis = django_filters.ModelChoiceFilter(
        label=_("Axis"), queryset=StrategicAxis.objects.all(), method="line"
    )
    cti = django_filters.ModelChoiceFilter(
        label=_("CTI"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.CTI),
        method="line",
    )
    year = YearFilter(label=_("Year"), method="line")
    # Drill-down targets from the overview: an id and a reference, not lists of every line.
    allocation = django_filters.NumberFilter(
        label=_("Allocation"), method="line", widget=forms.HiddenInput
    )
    commitment = django_filters.CharFilter(
        label=_("Commitment"), field_name="commitment__reference", lookup_expr="iexact"
    )
    decision = django_filters.ModelChoiceFilter(
        label=_("Decision"), queryset=Decision.objects.all()
    )
    since = django_filters.DateFilter(
        label=_("From"), field_name="entry_date", lookup_expr="gte",
        widget=django_filters.widgets.forms.DateInput(attrs=DATE_INPUT),
    )  # fmt: skip
    until = django_filters.DateFilter(
        label=_("To"), field_name="entry_date", lookup_expr="lte",
        widget=django_filters.widgets.forms.DateInput(attrs=DATE_INPUT),
    )  # fmt: skip
    reversals = django_filters.ChoiceFilter(
        label=_("Reversals"),
        choices=[("exclude", _("Original entries only")), ("only", _("Reversals only"))],
        method="by_reversal",
    )

    class Meta:
        model = Entry
        fields = ["q", "kind", "programme", "axis", "cti", "year", "since", "until", "decision"]

    def by_reversal(self, queryset, name, value):
        return queryset.filter(reverses__isnull=value != "only")

    def line(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        return queryset.filter(touching(**{name: value}))


class CommitmentFilter(SearchFilterSet):
    search_fields = ("reference", "project", "description", "agreement__reference")

    programme = django_filters.ModelChoiceFilter(
        label=_("Plan"), queryset=Programme.objects.all(), field_name="allocation__programme"
    )
    axis = django_filters.ModelChoiceFilter(
        label=_("Axis"), queryset=StrategicAxis.objects.all(), field_name="allocation__axis"
    )
    cti = django_filters.ModelChoiceFilter(
        label=_("CTI"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.CTI),
        field_name="allocation__cti",
    )
    year = YearFilter(label=_("Year"), field_name="allocation__year")

    class Meta:
        model = Commitment
        fields = ["q", "programme", "axis", "cti", "year"]
