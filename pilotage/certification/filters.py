import datetime

import django_filters
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.certification.models import (
    AccreditationState,
    Certificate,
    CertificateStatus,
    Decision,
    FastTrackCampaign,
    Laboratory,
    Purpose,
    RequestStage,
    StaffCount,
    ValidationRequest,
)
from pilotage.core.filters import CTIS, SearchFilterSet, YearFilter
from pilotage.core.regions import Region


def accreditation_condition(state: str, today: datetime.date) -> Q:
    """The laboratories whose accreditation stands so on `today` (the model's rule, in SQL)."""
    warning = today + datetime.timedelta(days=settings.ACCREDITATION_WARNING_DAYS)
    return {
        AccreditationState.NONE: Q(accredited_until__isnull=True),
        AccreditationState.EXPIRED: Q(accredited_until__lt=today),
        AccreditationState.EXPIRING: Q(accredited_until__gte=today, accredited_until__lte=warning),
        AccreditationState.VALID: Q(accredited_until__gt=warning),
    }[AccreditationState(state)]


class LaboratoryFilter(SearchFilterSet):
    search_fields = ("name", "site", "domain", "accreditation_number", "accreditation_scope",
                     "equipment")  # fmt: skip

    cti = django_filters.ModelChoiceFilter(label=_("CTI"), queryset=CTIS)
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices)
    accreditation = django_filters.ChoiceFilter(
        label=_("Accreditation"), choices=AccreditationState.choices, method="filter_state"
    )
    is_active = django_filters.BooleanFilter(label=_("In service"))

    class Meta:
        model = Laboratory
        fields = ["q", "cti", "region", "accreditation", "is_active"]

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(accreditation_condition(value, timezone.localdate()))


class StaffCountFilter(SearchFilterSet):
    search_fields = ("note", "cti__acronym")

    cti = django_filters.ModelChoiceFilter(label=_("CTI"), queryset=CTIS)
    year = YearFilter(label=_("Year"))

    class Meta:
        model = StaffCount
        fields = ["q", "cti", "year"]


class CampaignFilter(SearchFilterSet):
    search_fields = ("code", "title", "product_categories", "description")

    year = YearFilter(label=_("Year opened"), field_name="opened_on__year")

    class Meta:
        model = FastTrackCampaign
        fields = ["q", "year"]


class ValidationRequestFilter(SearchFilterSet):
    search_fields = ("delivery__reference", "product", "product_category", "referential",
                     "delivery__company__name", "delivery__company__ice")  # fmt: skip

    cti = django_filters.ModelChoiceFilter(
        label=_("CTI"), queryset=CTIS, field_name="delivery__cti"
    )
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=RequestStage.choices)
    decision = django_filters.ChoiceFilter(label=_("Decision"), choices=Decision.choices)
    purpose = django_filters.ChoiceFilter(label=_("Purpose"), choices=Purpose.choices)
    campaign = django_filters.ModelChoiceFilter(
        label=_("Fast-track campaign"), queryset=FastTrackCampaign.objects.all()
    )
    fast_track = django_filters.BooleanFilter(
        label=_("Fast-track"), field_name="campaign", lookup_expr="isnull", exclude=True
    )
    year = YearFilter(label=_("Year received"), field_name="received_on__year")

    class Meta:
        model = ValidationRequest
        fields = ["q", "cti", "stage", "decision", "purpose", "campaign", "fast_track", "year"]


def certificate_status_condition(status: str, today: datetime.date) -> Q:
    """The certificates whose current status is `status` on `today` (expiry from the date)."""
    lapsed = Q(status=CertificateStatus.VALID, valid_until__lt=today)
    if status == CertificateStatus.EXPIRED:
        return Q(status=CertificateStatus.EXPIRED) | lapsed
    if status == CertificateStatus.VALID:
        return Q(status=CertificateStatus.VALID) & ~lapsed
    return Q(status=status)


class CertificateFilter(SearchFilterSet):
    search_fields = ("number", "product", "referential", "holder__name", "holder__ice", "scope")

    cti = django_filters.ModelChoiceFilter(label=_("CTI"), queryset=CTIS)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CertificateStatus.choices, method="filter_status"
    )
    year = YearFilter(label=_("Year issued"), field_name="issued_on__year")

    class Meta:
        model = Certificate
        fields = ["q", "cti", "status", "year"]

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(certificate_status_condition(value, timezone.localdate()))
