import django_filters
from django.utils.translation import gettext_lazy as _

from pilotage.core.filters import SearchFilterSet
from pilotage.core.models import Organisation
from pilotage.programmes.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Deliverable,
    DeliverableStatus,
    PaymentTranche,
    Programme,
)


class ProgrammeFilter(SearchFilterSet):
    search_fields = ("code", "title")

    class Meta:
        model = Programme
        fields = ["q"]


class AgreementFilter(SearchFilterSet):
    search_fields = ("reference", "title", "parties__organisation__acronym")

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AgreementKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AgreementStatus.choices)
    programme = django_filters.ModelChoiceFilter(label=_("Plan"), queryset=Programme.objects.all())
    party = django_filters.ModelChoiceFilter(
        label=_("Party"),
        queryset=Organisation.objects.all(),
        field_name="parties__organisation",
        distinct=True,
    )

    class Meta:
        model = Agreement
        fields = ["q", "kind", "status", "programme", "party"]

    def search(self, queryset, name, value):
        return super().search(queryset, name, value).distinct()


class DeliverableFilter(SearchFilterSet):
    search_fields = ("title", "description", "agreement__reference")

    agreement = django_filters.ModelChoiceFilter(label=_("Agreement"),
                                                 queryset=Agreement.objects.all())  # fmt: skip
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DeliverableStatus.choices)

    class Meta:
        model = Deliverable
        fields = ["q", "agreement", "status"]


class TrancheFilter(SearchFilterSet):
    search_fields = ("agreement__reference", "payment_reference")

    agreement = django_filters.ModelChoiceFilter(label=_("Agreement"),
                                                 queryset=Agreement.objects.all())  # fmt: skip
    paid = django_filters.BooleanFilter(label=_("Paid"), field_name="paid_on",
                                        lookup_expr="isnull", exclude=True)  # fmt: skip

    class Meta:
        model = PaymentTranche
        fields = ["q", "agreement", "paid"]
