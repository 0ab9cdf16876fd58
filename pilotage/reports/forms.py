from typing import Any

from django.utils.translation import gettext_lazy as _

from pilotage.core.forms import DATE, ReasonField, StyledForm, StyledModelForm
from pilotage.core.roles import OrganisationKind
from pilotage.reports.models import ReportEdition


class EditionForm(StyledModelForm):
    reason = ReasonField(label=_("Why this edition"), help_text=_("Kept in the history."))

    class Meta:
        model = ReportEdition
        fields = ["kind", "programme", "cti", "as_of"]
        widgets = {"as_of": DATE}
        help_texts = {
            "cti": _("Only for a CTI report."),
            "as_of": _(
                "Only what was recorded, validated or posted by the end of that day counts."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cti: Any = self.fields["cti"]
        cti.queryset = cti.queryset.filter(kind=OrganisationKind.CTI)


class PublishForm(StyledForm):
    reason = ReasonField(label=_("Note on the publication"), help_text=_("Kept in the history."))
