from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotage.core.forms import (
    FrenchDecimalField,
    ReasonField,
    StyledForm,
    StyledModelForm,
)
from pilotage.core.models import Organisation
from pilotage.core.roles import OrganisationKind
from pilotage.governance.models import Decision
from pilotage.prestations.forms import CompanyIceField
from pilotage.projects.models import (
    BudgetSource,
    Milestone,
    MilestoneStatus,
    ParticipantRole,
    Project,
    ProjectStatus,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class ProjectForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = Project
        fields = [
            "code", "title", "kind", "themes", "axis", "lead", "agreement", "sector", "region",
            "starts_on", "ends_on", "description", "task_force_reference", "investment_mdh",
            "jobs_expected", "import_substitution_mdh",
        ]  # fmt: skip
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": TEXT,
                   "themes": forms.CheckboxSelectMultiple}  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        lead: Any = self.fields["lead"]
        lead.queryset = lead.queryset.filter(kind=OrganisationKind.CTI)


class ApproveForm(StyledForm):
    decision = forms.ModelChoiceField(
        label=_("Approving decision"), queryset=Decision.objects.all()
    )
    on = forms.DateField(label=_("Approved on"), widget=DATE, required=False,
                         help_text=_("Leave empty for today."))  # fmt: skip
    reason = ReasonField()


class StartForm(StyledForm):
    on = forms.DateField(label=_("Started on"), widget=DATE, required=False,
                         help_text=_("Leave empty for today."))  # fmt: skip
    reason = ReasonField()


class CloseForm(StyledForm):
    status = forms.ChoiceField(
        label=_("How it ended"),
        choices=[(s, ProjectStatus(s).label) for s in ("completed", "cancelled")],
    )
    note = forms.CharField(label=_("Closing note"), max_length=2000, widget=TEXT)
    on = forms.DateField(label=_("Date"), widget=DATE, required=False,
                         help_text=_("Leave empty for today."))  # fmt: skip


class ParticipantForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), required=False,
        queryset=Organisation.objects.filter(is_active=True).exclude(kind=OrganisationKind.MINISTRY),
    )  # fmt: skip
    company_ice = CompanyIceField(required=False, label=_("or a company, by its ICE"))
    reason = ReasonField()


class BudgetForm(StyledForm):
    source = forms.ChoiceField(label=_("Source"), choices=BudgetSource.choices)
    amount = FrenchDecimalField(label=_("Planned amount (MAD)"), max_digits=14, decimal_places=2,
                                min_value=0)  # fmt: skip
    reason = ReasonField()


class MilestoneForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = Milestone
        fields = ["project", "title", "deliverable", "due_on"]
        widgets = {"due_on": DATE, "deliverable": TEXT}


class AssessForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(s, MilestoneStatus(s).label) for s in ("met", "partly_met", "not_met")],
    )
    on = forms.DateField(label=_("Assessed on"), widget=DATE, required=False,
                         help_text=_("Leave empty for today."))  # fmt: skip
    note = forms.CharField(label=_("Outcome"), max_length=2000, required=False, widget=TEXT)
    file = forms.FileField(label=_("Evidence"), required=False)
