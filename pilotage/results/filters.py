from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from pilotage.core.filters import IdFilter, SearchFilterSet
from pilotage.core.models import Organisation
from pilotage.core.numbers import id_param
from pilotage.core.roles import OrganisationKind
from pilotage.programmes.models import Agreement, Programme, StrategicAxis
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


# --- the results matrix's choices (its page and its JSON read them the same way) -----------------

WHOLE_PLAN = "all"  # the `axis` that asks for every axis at once: the heatmap, not a table


@dataclass(frozen=True)
class MatrixChoices:
    """What the plan's results matrix shows, read from a query string."""

    years: list[int]
    year: int
    axes: list[StrategicAxis]
    axis: StrategicAxis | None  # None: every axis (the whole plan, or a plan without axes)
    whole_plan: bool
    ctis: list[Organisation]  # the CTIs one may choose (whose rows one sees is the matrix's rule)
    cti: Organisation | None
    unknown: list[str]  # the parameters left out: malformed, or naming nothing one may choose


def matrix_choices(
    programme: Programme, user: Any, params: Mapping[str, str], *, whole_plan: bool = False
) -> MatrixChoices:
    """The year (one of the plan's, the last by default), the axis (one of the plan's; the first
    one by default, or the whole plan when `whole_plan` or `axis=all`) and the CTI (one of those
    `visible_to` the user; every CTI by default). A value that names none of these falls back to
    the default and is listed in `unknown`: the page says so, the API refuses it (422)."""
    unknown = []
    years = list(range(programme.start_year, programme.end_year + 1))
    year = years[-1]
    if given := params.get("year", ""):
        if id_param(given) in years:
            year = int(given)
        else:
            unknown.append("year")
    axes = list(
        StrategicAxis.objects.visible_to(user).filter(programme=programme).order_by("number")
    )
    default_axis = None if whole_plan or not axes else axes[0]
    axis, whole = default_axis, whole_plan
    given = params.get("axis", "")
    if given == WHOLE_PLAN:
        axis, whole = None, True
    elif given:
        chosen = next((a for a in axes if a.pk == id_param(given)), None)
        if chosen is None:
            unknown.append("axis")
        else:
            axis, whole = chosen, False
    ctis = list(
        Organisation.objects.visible_to(user).filter(kind=OrganisationKind.CTI).order_by("acronym")
    )
    cti = None
    if given := params.get("cti", ""):
        cti = next((c for c in ctis if c.pk == id_param(given)), None)
        if cti is None:
            unknown.append("cti")
    return MatrixChoices(years, year, axes, axis, whole, ctis, cti, unknown)
