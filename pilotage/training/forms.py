from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotage.core.forms import FrenchDecimalField, ReasonField, StyledForm, StyledModelForm
from pilotage.core.models import Organisation
from pilotage.core.roles import OrganisationKind
from pilotage.prestations.forms import CompanyIceField
from pilotage.training.models import Cohort, Trainee, TrainingProgramme, TrainingSession

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgrammeForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = TrainingProgramme
        fields = [
            "code", "title", "agreement", "organiser", "partners", "objectives",
            "target_trainees", "starts_on", "ends_on",
        ]  # fmt: skip
        widgets = {"starts_on": DATE, "ends_on": DATE,
                   "objectives": forms.Textarea(attrs={"rows": 3})}  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        organiser: Any = self.fields["organiser"]
        organiser.queryset = organiser.queryset.filter(
            kind__in=(OrganisationKind.CTI, OrganisationKind.CID)
        )


class CompleteForm(StyledForm):
    on = forms.DateField(label=_("Completed on"), widget=DATE, required=False,
                         help_text=_("Leave empty for today."))  # fmt: skip
    reason = ReasonField()


class CohortForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = Cohort
        fields = ["programme", "name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class SessionForm(StyledModelForm):
    hours = FrenchDecimalField(label=_("Hours"), max_digits=4, decimal_places=1, min_value=0)
    reason = ReasonField()

    class Meta:
        model = TrainingSession
        fields = ["cohort", "held_on", "topic", "hours", "place", "trainer"]
        widgets = {"held_on": DATE}


class TraineeForm(StyledModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), required=False,
        queryset=Organisation.objects.filter(is_active=True),
    )  # fmt: skip
    company_ice = CompanyIceField(required=False, label=_("or a company, by its ICE"))
    reason = ReasonField()

    class Meta:
        model = Trainee
        fields = ["cohort", "full_name", "sex", "organisation"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        company = getattr(self.instance, "company", None)
        if company is not None:
            self.initial["company_ice"] = company.ice

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        fields["company"] = fields.pop("company_ice", None)
        return fields


class AssessForm(StyledForm):
    score = FrenchDecimalField(label=_("Assessment score (/20)"), max_digits=4, decimal_places=2,
                               min_value=0, max_value=20, required=False)  # fmt: skip
    on = forms.DateField(label=_("Assessed on"), widget=DATE, required=False,
                         help_text=_("Leave empty for today."))  # fmt: skip
    reason = ReasonField()


class AttendanceUploadForm(StyledForm):
    file = forms.FileField(label=_("Filled attendance sheet (XLSX or CSV)"))
