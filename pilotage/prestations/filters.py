import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from stdnum.ma import ice as stdnum_ice

from pilotage.core.filters import CTIS, IdFilter, SearchFilterSet, YearFilter
from pilotage.core.regions import Region
from pilotage.prestations.models import (
    SME_SIZES,
    Company,
    Funding,
    RequestStatus,
    ServiceCategory,
    ServiceDelivery,
    ServiceOffering,
    ServiceRequest,
    SizeClass,
)


class DeliveryFilter(SearchFilterSet):
    search_fields = ("reference", "title", "company__name", "company__name_ar", "company__ice")

    cti = django_filters.ModelChoiceFilter(label=_("CTI"), queryset=CTIS)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=ServiceCategory.choices)
    sector = django_filters.CharFilter(
        label=_("Sector"), field_name="company__sector", lookup_expr="icontains"
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=Region.choices, field_name="company__region"
    )
    size = django_filters.ChoiceFilter(
        label=_("Size"), choices=SizeClass.choices, field_name="company__size_class"
    )
    sme = django_filters.BooleanFilter(label=_("SMEs (TPE, PME)"), method="filter_sme")
    year = YearFilter(label=_("Year"), field_name="started_on__year")
    funding = django_filters.ChoiceFilter(label=_("Funding"), choices=Funding.choices)
    # One company's deliveries (a link from its page, an API client): no list of every company.
    company = IdFilter(label=_("Company"), field_name="company_id")

    class Meta:
        model = ServiceDelivery
        fields = [
            "q", "cti", "category", "sector", "region", "size", "sme", "year", "funding", "company",
        ]  # fmt: skip

    def filter_sme(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        smes = Q(company__size_class__in=SME_SIZES)
        return queryset.filter(smes) if value else queryset.exclude(smes)


class CompanyFilter(SearchFilterSet):
    search_fields = ("ice", "name", "name_ar", "city", "sector")

    size_class = django_filters.ChoiceFilter(label=_("Size"), choices=SizeClass.choices)
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices)
    ice = django_filters.CharFilter(label=_("ICE"), method="filter_ice")

    class Meta:
        model = Company
        fields = ["q", "size_class", "region", "ice"]

    def filter_ice(self, queryset, name, value):
        """The company with this ICE, however it was typed (spaces, dots)."""
        return queryset.filter(ice=stdnum_ice.compact(value))


class OfferingFilter(SearchFilterSet):
    search_fields = ("code", "title", "title_ar", "title_en", "sector")

    cti = django_filters.ModelChoiceFilter(label=_("CTI"), queryset=CTIS)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=ServiceCategory.choices)
    is_public = django_filters.BooleanFilter(label=_("In the public catalogue"))

    class Meta:
        model = ServiceOffering
        fields = ["q", "cti", "category", "is_public"]


class RequestFilter(SearchFilterSet):
    search_fields = ("company_name", "contact_name", "email", "ice")

    status = django_filters.ChoiceFilter(label=_("Status"), choices=RequestStatus.choices)
    cti = django_filters.ModelChoiceFilter(label=_("CTI"), queryset=CTIS)

    class Meta:
        model = ServiceRequest
        fields = ["q", "status", "cti"]
