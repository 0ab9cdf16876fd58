from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.certification.models import (
    CertificateStatus,
    Decision,
    FastTrackCampaign,
    Laboratory,
    StaffCount,
    ValidationRequest,
    Verdict,
)
from pilotage.core.forms import (
    FrenchDecimalField,
    ReasonField,
    StyledForm,
    StyledModelForm,
    cti_choices,
)
from pilotage.core.models import Organisation
from pilotage.prestations.forms import CompanyIceField
from pilotage.prestations.models import Funding

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class StepTimeField(forms.DateTimeField):
    """When a step was taken: now unless said otherwise (a step recorded after the fact)."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Leave empty for now."))
        widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        super().__init__(widget=widget, **kwargs)


class LaboratoryForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = Laboratory
        fields = [
            "cti", "name", "site", "region", "domain", "opened_on", "accreditation_number",
            "accreditation_scope", "accredited_until", "equipment", "is_active",
        ]  # fmt: skip
        widgets = {
            "opened_on": DATE, "accredited_until": DATE, "accreditation_scope": TEXT,
            "equipment": TEXT,
        }  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cti_choices(self, Laboratory)


class StaffCountForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = StaffCount
        fields = ["cti", "year", "graduates", "technicians", "administrative", "note"]
        widgets = {"note": TEXT}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cti_choices(self, StaffCount)


class CampaignForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = FastTrackCampaign
        fields = [
            "code", "title", "product_categories", "opened_on", "closes_on", "decision_hours",
            "description",
        ]  # fmt: skip
        widgets = {
            "opened_on": DATE, "closes_on": DATE, "product_categories": TEXT, "description": TEXT,
        }  # fmt: skip


class ValidationRequestForm(StyledModelForm):
    """A request and its delivery in one form: the CTI, reference, company and invoice are the
    delivery's (the CTI is chosen once, at creation)."""

    cti = forms.ModelChoiceField(label=_("CTI"), queryset=Organisation.objects.all())
    reference = forms.CharField(
        label=_("Reference"), max_length=50,
        help_text=_("The CTI's own number (order or file): the delivery takes it."),
    )  # fmt: skip
    company_ice = CompanyIceField()
    amount_invoiced = FrenchDecimalField(
        label=_("Amount invoiced (MAD)"), max_digits=14, decimal_places=2, initial=0
    )
    funding = forms.ChoiceField(label=_("Funding"), choices=Funding.choices, initial=Funding.PAID)
    reason = ReasonField()

    class Meta:
        model = ValidationRequest
        fields = [
            "cti", "reference", "company_ice", "purpose", "product", "product_category",
            "referential_kind", "referential", "received_on", "laboratory", "campaign",
            "amount_invoiced", "funding",
        ]  # fmt: skip
        widgets = {"received_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["cti"]
        if self.instance.delivery_id:
            delivery = self.instance.delivery
            self.initial.update(
                reference=delivery.reference, company_ice=delivery.company.ice,
                amount_invoiced=delivery.amount_invoiced, funding=delivery.funding,
            )  # fmt: skip
        if not self.instance.pk:
            cti_choices(self, ValidationRequest)
            self.initial.setdefault("received_on", timezone.localdate())
        self.fields["campaign"].help_text = _("Only for a request in an emergency campaign.")

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        fields["company"] = fields.pop("company_ice")
        return fields


class SampleForm(StyledForm):
    at = StepTimeField(label=_("Sample received at"))
    reason = ReasonField()


class TestingForm(StyledForm):
    at = StepTimeField(label=_("Testing started at"))
    laboratory = forms.ModelChoiceField(
        label=_("Laboratory"), queryset=Laboratory.objects.filter(is_active=True), required=False,
        help_text=_("Leave empty to keep the one named on the request."),
    )  # fmt: skip
    reason = ReasonField()


class TestResultForm(StyledForm):
    method = forms.CharField(label=_("Method"), max_length=200)
    characteristic = forms.CharField(label=_("Characteristic measured"), max_length=200)
    measured_value = FrenchDecimalField(label=_("Measured value"), max_digits=14, decimal_places=4)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    limit = forms.CharField(label=_("Limit"), max_length=100)
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
    tested_on = forms.DateField(label=_("Tested on"), widget=DATE)
    reason = ReasonField()


class ReportForm(StyledForm):
    at = StepTimeField(label=_("Report issued at"))
    file = forms.FileField(
        label=_("Signed report (PDF)"), required=False,
        help_text=_("Needed unless it was stored already."),
    )  # fmt: skip
    reason = ReasonField()


class ReportFileForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(label=_("Signed report (PDF)"))


class DecideForm(StyledForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    at = StepTimeField(label=_("Decided at"))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=TEXT)


class CertificateIssueForm(StyledForm):
    number = forms.CharField(
        label=_("Number"), max_length=40, required=False,
        help_text=_("Leave empty for the CTI's next number (e.g. CTPC-2026-0001)."),
    )  # fmt: skip
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)
    issued_on = forms.DateField(
        label=_("Issued on"), widget=DATE, required=False, help_text=_("Leave empty for today.")
    )
    scope = forms.CharField(label=_("Scope"), max_length=2000, required=False, widget=TEXT)
    reason = ReasonField()


class CertificateStatusForm(StyledForm):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(s, CertificateStatus(s).label) for s in ("suspended", "withdrawn")],
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=TEXT)
    on = forms.DateField(
        label=_("Effective on"), widget=DATE, required=False, help_text=_("Leave empty for today.")
    )


class VerifyForm(forms.Form):
    """The public lookup: a number alone reveals nothing, its printed code is needed too."""

    number = forms.CharField(label=_("Certificate number"), max_length=40)
    code = forms.CharField(
        label=_("Verification code"), max_length=12,
        help_text=_("The 8 characters printed under the QR code."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update(autocomplete="off", **{"class": "form-control"})
