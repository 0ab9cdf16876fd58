from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotage.core.forms import ReasonField, StyledForm, StyledModelForm, cti_choices
from pilotage.standards.models import ReviewOutcome, StandardWork

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StandardWorkForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = StandardWork
        fields = [
            "cti", "reference", "title", "title_ar", "technical_committee", "cti_role",
            "proposed_on", "note",
        ]  # fmt: skip
        widgets = {"proposed_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cti_choices(self, StandardWork)


class AdvanceForm(StyledForm):
    on = forms.DateField(
        label=_("Date"), widget=DATE, required=False, help_text=_("Leave empty for today.")
    )
    enquiry_closes_on = forms.DateField(
        label=_("Public enquiry closes on"), widget=DATE, required=False,
        help_text=_("When the work goes to public enquiry: one to three months later."),
    )  # fmt: skip
    homologation_order = forms.CharField(
        label=_("Homologation order"), max_length=120, required=False,
        help_text=_("When the standard is homologated: the order's reference."),
    )  # fmt: skip
    reason = ReasonField()


class ReviewForm(StyledForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    on = forms.DateField(
        label=_("Reviewed on"), widget=DATE, required=False, help_text=_("Leave empty for today.")
    )
    reason = ReasonField()
