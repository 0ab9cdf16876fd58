from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotage.core.forms import FrenchDecimalField, SearchableSelect, StyledForm
from pilotage.core.models import Organisation
from pilotage.core.roles import OrganisationKind
from pilotage.fund.models import Allocation
from pilotage.governance.models import Decision, DecisionKind
from pilotage.programmes.forms import DATE
from pilotage.programmes.models import Agreement, Programme, StrategicAxis
from pilotage.projects.models import Project


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
