from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotage.core.forms import FrenchDecimalField, SearchableSelect, StyledForm
from pilotage.core.models import Organisation
from pilotage.core.roles import OrganisationKind
from pilotage.fund.models import Allocation, Commitment
from pilotage.governance.models import Decision, DecisionKind
from pilotage.programmes.forms import DATE
from pilotage.programmes.models import Agreement, AgreementKind, Programme, StrategicAxis
from pilotage.projects.models import Project
from pilotage.results.models import Indicator


def amount_field() -> FrenchDecimalField:
    return FrenchDecimalField(
        label=_("Amount (MAD)"), max_digits=14, decimal_places=2, min_value=0.01
    )


def note_field(label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class AllocationForm(StyledForm):
    programme = forms.ModelChoiceField(Programme.objects.all(), label=_("Plan"))
    axis = forms.ModelChoiceField(
        StrategicAxis.objects.select_related("programme"), label=_("Axis")
    )
    cti = forms.ModelChoiceField(
        Organisation.objects.filter(kind=OrganisationKind.CTI), label=_("CTI")
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = amount_field()
    entry_date = forms.DateField(label=_("Date"), widget=DATE)
    reference = forms.CharField(label=_("Reference"), max_length=60)
    decision = forms.ModelChoiceField(
        Decision.objects.filter(kind=DecisionKind.ALLOCATION),
        label=_("Committee decision"),
        required=False,
        help_text=_("The decision that approved this allocation."),
    )
    note = note_field()


class CommitmentForm(StyledForm):
    allocation = forms.ModelChoiceField(
        Allocation.objects.select_related("axis", "cti"),
        label=_("Allocation"),
        widget=SearchableSelect("fund:allocation_options"),
    )
    amount = amount_field()
    reference = forms.CharField(label=_("Reference"), max_length=60)
    committed_on = forms.DateField(label=_("Committed on"), widget=DATE)
    agreement = forms.ModelChoiceField(
        Agreement.objects.all(), label=_("Agreement"), required=False
    )
    project = forms.ModelChoiceField(Project.objects.all(), label=_("Project"), required=False)
    description = note_field(_("Description"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["allocation"].label_from_instance = _allocation_label


class DisbursementForm(StyledForm):
    amount = amount_field()
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    payment_reference = forms.CharField(label=_("Payment reference"), max_length=60)
    note = note_field()


class ReallocationForm(StyledForm):
    source = forms.ModelChoiceField(
        Allocation.objects.select_related("axis", "cti"), label=_("From allocation")
    )
    target = forms.ModelChoiceField(
        Allocation.objects.select_related("axis", "cti"), label=_("To allocation")
    )
    amount = amount_field()
    decision = forms.ModelChoiceField(
        Decision.objects.filter(kind=DecisionKind.REALLOCATION), label=_("Committee decision")
    )
    entry_date = forms.DateField(label=_("Date"), widget=DATE)
    reference = forms.CharField(label=_("Reference"), max_length=60)
    note = note_field()

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("source", "target"):
            self.fields[name].label_from_instance = _allocation_label


class ReversalForm(StyledForm):
    reason = forms.CharField(
        label=_("Why is this entry reversed?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    entry_date = forms.DateField(label=_("Date of the reversal"), widget=DATE, required=False)


class LedgerImportForm(StyledForm):
    upload = forms.FileField(
        label=_("File (XLSX or CSV)"),
        help_text=_("One entry per row; the template lists the columns."),
    )


def _allocation_label(line: Allocation) -> str:
    from pilotage.core.money import format_mad

    return _("%(line)s — headroom %(headroom)s") % {
        "line": line, "headroom": format_mad(line.headroom)
    }  # fmt: skip


# --- performance-linked tranches -----------------------------------------------------------------

WEIGHT_PREFIX = "weight_"


class TrancheForm(StyledForm):
    """A tranche's rule. Once a contract is chosen (the page reloads with `?agreement=`), one
    weight field per indicator of that contract; a blank weight leaves the indicator out."""

    agreement = forms.ModelChoiceField(
        Agreement.objects.filter(kind=AgreementKind.CONTRAT_OBJECTIFS),
        label=_("Contrat-objectifs"),
        widget=forms.HiddenInput,  # chosen first, on the page's own little form (GET)
    )
    year = forms.IntegerField(label=_("Year of the results"), min_value=2000, max_value=2100)
    amount = amount_field()
    floor = FrenchDecimalField(
        label=_("Floor (share, 0 to 1)"), max_digits=5, decimal_places=4, min_value=0,
        max_value=1, help_text=_("Below this score nothing is paid (0,5 = 50 %)."),
    )  # fmt: skip
    cap = FrenchDecimalField(
        label=_("Cap per indicator (share)"), max_digits=5, decimal_places=4, min_value=0.01,
        initial=1, help_text=_("1 = an indicator counts for at most its whole target."),
    )  # fmt: skip
    note = note_field()

    def __init__(self, *args: Any, agreement: Agreement | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.indicators = (
            list(Indicator.objects.filter(objective__agreement=agreement).order_by("code"))
            if agreement is not None
            else []
        )
        for indicator in self.indicators:
            self.fields[f"{WEIGHT_PREFIX}{indicator.pk}"] = FrenchDecimalField(
                label=_("Weight of %(code)s") % {"code": indicator.code},
                help_text=indicator.name, required=False, max_digits=7, decimal_places=3,
                min_value=0,
            )  # fmt: skip
        self.style_fields()

    def service_fields(self) -> dict[str, Any]:
        fields = {k: v for k, v in self.cleaned_data.items() if not k.startswith(WEIGHT_PREFIX)}
        fields["weights"] = {
            indicator: weight
            for indicator in self.indicators
            if (weight := self.cleaned_data.get(f"{WEIGHT_PREFIX}{indicator.pk}"))
        }
        return fields


class TranchePaymentForm(StyledForm):
    commitment = forms.ModelChoiceField(Commitment.objects.all(), label=_("Commitment"))
    amount = amount_field()
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    payment_reference = forms.CharField(label=_("Payment reference"), max_length=60)


class TrancheComputeForm(StyledForm):
    accept_pending = forms.BooleanField(
        label=_("Compute without the values still awaiting validation"), required=False
    )
