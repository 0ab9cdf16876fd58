from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotage.core.forms import ReasonField, StyledForm, StyledModelForm
from pilotage.core.models import Organisation
from pilotage.programmes.models import (
    Agreement,
    AgreementStatus,
    Amendment,
    PartyRole,
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
