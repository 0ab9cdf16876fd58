from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotage.core.forms import FrenchDecimalField, ReasonField, StyledForm, StyledModelForm
from pilotage.core.models import Organisation
from pilotage.programmes.models import (
    Agreement,
    AgreementStatus,
    Amendment,
    Deliverable,
    DeliverableStatus,
    PartyRole,
    PaymentTranche,
    Programme,
    StrategicAxis,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgrammeForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = Programme
        fields = [
            "code",
            "title_fr",
            "title_ar",
            "title_en",
            "start_year",
            "end_year",
            "envelope",
            "predecessor",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class AxisForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = StrategicAxis
        fields = ["number", "title_fr", "title_ar", "title_en", "envelope", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class AgreementForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = Agreement
        fields = [
            "kind", "reference", "title", "programme", "parent", "signed_on", "starts_on",
            "ends_on", "ceiling", "description",
        ]  # fmt: skip
        widgets = {
            "signed_on": DATE, "starts_on": DATE, "ends_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }  # fmt: skip


class AgreementCreateForm(AgreementForm):
    """A new agreement names its first party (more are added on its page)."""

    party = forms.ModelChoiceField(
        label=_("First party"), queryset=Organisation.objects.filter(is_active=True)
    )
    party_role = forms.ChoiceField(
        label=_("Its role"), choices=PartyRole.choices, initial=PartyRole.SIGNATORY
    )

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        party, role = fields.pop("party"), fields.pop("party_role")
        return {**fields, "parties": [(party, role)]}


class TransitionForm(StyledForm):
    status = forms.ChoiceField(label=_("New status"), choices=AgreementStatus.choices)
    reason = ReasonField()


class PartyForm(StyledForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    reason = ReasonField()


class AmendmentForm(StyledModelForm):
    class Meta:
        model = Amendment
        fields = ["kind", "signed_on", "reason", "new_ceiling", "new_ends_on"]
        widgets = {
            "signed_on": DATE,
            "new_ends_on": DATE,
            "reason": forms.Textarea(attrs={"rows": 2}),
        }


class DocumentForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=255)
    upload = forms.FileField(label=_("File"))
    amendment = forms.ModelChoiceField(
        label=_("Amendment"), queryset=Amendment.objects.all(), required=False
    )


class DeliverableForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = Deliverable
        fields = ["agreement", "title", "description", "due_on"]
        widgets = {"due_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class DeliverForm(StyledForm):
    on = forms.DateField(label=_("Delivered on"), widget=DATE, required=False,
                         help_text=_("Leave empty for today."))  # fmt: skip
    note = forms.CharField(label=_("Note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class ReviewForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(s, DeliverableStatus(s).label) for s in ("accepted", "rejected")],
    )
    on = forms.DateField(label=_("Date"), widget=DATE, required=False,
                         help_text=_("Leave empty for today."))  # fmt: skip
    note = forms.CharField(label=_("Review note"), max_length=2000, required=False,
                           help_text=_("Required when rejecting: say what is missing."),
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class TrancheForm(StyledModelForm):
    amount = FrenchDecimalField(label=_("Amount (MAD)"), max_digits=14, decimal_places=2,
                                min_value=0)  # fmt: skip
    reason = ReasonField()

    class Meta:
        model = PaymentTranche
        fields = ["agreement", "number", "amount", "deliverables", "planned_on"]
        widgets = {"planned_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = _("Leave empty for the next number.")
        # Offer the deliverables of the tranche's own contract once it is known.
        agreement = self.initial.get("agreement") or getattr(self.instance, "agreement_id", None)
        if agreement:
            deliverables: Any = self.fields["deliverables"]
            deliverables.queryset = Deliverable.objects.filter(agreement=agreement)


class PayForm(StyledForm):
    payment_reference = forms.CharField(label=_("Payment reference"), max_length=60)
    on = forms.DateField(label=_("Paid on"), widget=DATE, required=False,
                         help_text=_("Leave empty for today."))  # fmt: skip
    reason = ReasonField()
