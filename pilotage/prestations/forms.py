from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotage.core.forms import (
    FrenchDecimalField,
    ReasonField,
    StyledForm,
    StyledModelForm,
    cti_choices,
)
from pilotage.core.models import Organisation
from pilotage.prestations.ice import IceProblem, ice_check, ice_message
from pilotage.prestations.models import Company, ServiceDelivery, ServiceOffering
from pilotage.prestations.services import company_by_ice

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CompanyIceField(forms.CharField):
    """A company named by its ICE (typed with spaces or dots, or not): cleans to the registered
    company, whoever registered it — a CTI may serve a company another CTI registered."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("label", _("Company ICE"))
        super().__init__(max_length=20, **kwargs)

    def clean(self, value: Any) -> Company | None:
        text = super().clean(value)
        if not text:  # left empty where the field is optional
            return None
        company = company_by_ice(text)
        if company is None:
            raise forms.ValidationError(
                _("No company is registered with this ICE: register it first.")
            )
        return company


class CompanyForm(StyledModelForm):
    ice = forms.CharField(label=_("ICE"), max_length=20)
    ice_override_reason = forms.CharField(
        label=_("Reason for accepting an ICE whose control digits fail"),
        required=False,
        max_length=500,
        help_text=_("Ministry officers only: leave empty unless the ICE is known to be right."),
    )
    reason = ReasonField()

    class Meta:
        model = Company
        fields = ["ice", "ice_override_reason", "name", "name_ar", "legal_form", "size_class",
                  "sector", "region", "city"]  # fmt: skip

    def clean_ice(self) -> str:
        """Typed with spaces or dots, an ICE is still 15 digits: compact it before the model's
        checks, and say what is wrong with a bad one in the service's words."""
        compact, problem = ice_check(self.cleaned_data["ice"])
        if problem == IceProblem.FORMAT:
            raise forms.ValidationError(ice_message(problem))
        return compact


class OfferingForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = ServiceOffering
        fields = [
            "cti", "code", "category", "sector", "title", "title_ar", "title_en", "description",
            "description_ar", "description_en", "pricing", "lead_time", "accreditation",
            "contact_email", "contact_phone", "is_public", "is_active",
        ]  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("description", "description_ar", "description_en")
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cti_choices(self, ServiceOffering)
        self.fields["title_ar"].widget.attrs["dir"] = "rtl"
        self.fields["description_ar"].widget.attrs["dir"] = "rtl"


class DeliveryForm(StyledModelForm):
    company_ice = CompanyIceField()
    amount_invoiced = FrenchDecimalField(
        label=_("amount invoiced (MAD)"), max_digits=14, decimal_places=2, initial=0
    )
    reason = ReasonField()

    class Meta:
        model = ServiceDelivery
        fields = [
            "cti", "reference", "company_ice", "offering", "category", "title", "started_on",
            "ended_on", "amount_invoiced", "funding", "task_force_project", "satisfaction",
        ]  # fmt: skip
        widgets = {"started_on": DATE, "ended_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cti_choices(self, ServiceDelivery)
        self.fields["category"].required = False
        self.fields["category"].help_text = _(
            "Taken from the catalogue service when one is chosen."
        )
        if self.instance.company_id:
            self.initial["company_ice"] = self.instance.company.ice

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        fields["company"] = fields.pop("company_ice")
        return fields


class DeclineForm(StyledForm):
    reason = forms.CharField(label=_("Why the request is declined"), max_length=2000)


class ConvertForm(StyledForm):
    company_ice = CompanyIceField()
    reference = forms.CharField(label=_("Delivery reference"), max_length=50)
    started_on = forms.DateField(label=_("Start date"), widget=DATE)
    amount_invoiced = FrenchDecimalField(
        label=_("Amount invoiced (MAD)"), max_digits=14, decimal_places=2, initial=0
    )


class FixIceForm(StyledForm):
    ice = forms.CharField(label=_("Correct ICE"), max_length=20)


class ServiceRequestForm(StyledForm):
    """The public request form. `website` is a honeypot: hidden from people, filled by robots."""

    company_name = forms.CharField(label=_("Company"), max_length=255)
    # The browser checks the shape as it is typed; the service checks the number (stdnum).
    ice = forms.CharField(
        label=_("ICE (optional)"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": r"[0-9 ]{15,20}",
                                      "autocomplete": "off"}),
        help_text=_("The 15 digits of your Identifiant Commun de l'Entreprise."),
    )  # fmt: skip
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Telephone"), max_length=30, required=False)
    message = forms.CharField(
        label=_("Your need"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class ImportForm(StyledForm):
    cti = forms.ModelChoiceField(label=_("CTI"), queryset=Organisation.objects.all())
    file = forms.FileField(label=_("File (XLSX or CSV)"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cti_choices(self, ServiceDelivery)
