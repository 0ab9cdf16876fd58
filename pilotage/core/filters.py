"""List filters. `SearchFilterSet` gives every list a free-text box and visible-only choices."""

from functools import reduce
from operator import or_
from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pilotage.core.models import Membership, Organisation, User
from pilotage.core.regions import Region
from pilotage.core.roles import OrganisationKind, Role

# The years a filter may name: a year outside reached the database as a date it cannot build
# (`?year=99999`, a 500); now it is the filter form's error like any other invalid value.
YEAR_MIN, YEAR_MAX = 1900, 2100

CTIS = Organisation.objects.filter(kind=OrganisationKind.CTI)


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """A row named by its id (`?company=12`) where a select of every row would be too long: an
    id past what the database's integer holds is the filter form's error, not a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 10**18 - 1)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)


class SearchFilterSet(django_filters.FilterSet):
    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(label=_("Search"), method="search")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        for f in self.form.fields.values():
            queryset = getattr(f, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                f.queryset = queryset.visible_to(user)
            is_select = isinstance(f.widget, forms.Select | forms.SelectMultiple)
            css = "form-select form-select-sm" if is_select else "form-control form-control-sm"
            f.widget.attrs.setdefault("class", css)

    def search(self, queryset, name: str, value: str):
        terms = value.split()
        for term in terms:
            queryset = queryset.filter(
                reduce(or_, (Q(**{f"{field}__icontains": term}) for field in self.search_fields))
            )
        return queryset


class OrganisationFilter(SearchFilterSet):
    search_fields = ("name", "acronym", "sector", "city")

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices)
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices)
    federations = django_filters.ModelChoiceFilter(
        label=_("Federation"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.FEDERATION),
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "region", "federations", "is_active"]


class UserFilter(SearchFilterSet):
    search_fields = ("full_name", "email")

    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.all(), method="by_membership"
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, method="by_membership"
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["q", "organisation", "role", "is_active"]

    def by_membership(self, queryset, name: str, value):
        # Both filters match on ONE membership, and only on memberships the viewer may see:
        # filtering must not reveal roles held in organisations outside the viewer's reach.
        if self._membership_filtered:
            return queryset
        self._membership_filtered = True
        criteria = {
            key: self.form.cleaned_data[key]
            for key in ("organisation", "role")
            if self.form.cleaned_data.get(key)
        }
        memberships = Membership.objects.visible_to(getattr(self.request, "user", None))
        return queryset.filter(pk__in=memberships.filter(**criteria).values("user_id"))

    def filter_queryset(self, queryset):
        self._membership_filtered = False
        return super().filter_queryset(queryset)
