from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotage.core.forms import FrenchDecimalField, ReasonField, StyledForm, StyledModelForm
from pilotage.core.numbers import format_decimal
from pilotage.programmes.models import Amendment
from pilotage.results.computations import category_choices
from pilotage.results.models import Indicator, Objective, ReportingPeriod
from pilotage.results.selectors import SheetRow
from pilotage.results.semantics import Kind

EDITABLE_STATUSES = {"not_started", "draft", "returned", "overdue"}


def _number(label: str) -> FrenchDecimalField:
    # "1 234,5" as typed in French is accepted; text ("N/A") is refused with a message.
    return FrenchDecimalField(label=label, required=False, max_digits=18, decimal_places=4)


class ReportingSheetForm(StyledForm):
    """One line per indicator: a value, or numerator and denominator for a percentage."""

    def __init__(self, *args: Any, rows: list[SheetRow], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pk, indicator = row.indicator.pk, row.indicator
            current = row.measurement
            if indicator.kind == Kind.PERCENTAGE:
                self.fields[f"numerator-{pk}"] = _number(
                    indicator.numerator_label or _("Numerator")
                )
                self.fields[f"denominator-{pk}"] = _number(
                    indicator.denominator_label or _("Denominator")
                )
                if current:
                    self.initial[f"numerator-{pk}"] = format_decimal(current.numerator, places=4)
                    self.initial[f"denominator-{pk}"] = format_decimal(
                        current.denominator, places=4
                    )
            else:
                self.fields[f"value-{pk}"] = _number(indicator.unit)
                if current:
                    self.initial[f"value-{pk}"] = format_decimal(current.value, places=4)
                elif row.computed is not None:  # proposed from the services register
                    self.initial[f"value-{pk}"] = format_decimal(row.computed, places=4)
            self.fields[f"comment-{pk}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=2000
            )
            if current:
                self.initial[f"comment-{pk}"] = current.comment
            if row.status not in EDITABLE_STATUSES:
                for name in (
                    f"value-{pk}",
                    f"numerator-{pk}",
                    f"denominator-{pk}",
                    f"comment-{pk}",
                ):
                    if name in self.fields:
                        self.fields[name].disabled = True
        self.style_fields()

    def sheet_rows(self) -> list[dict[str, Any]]:
        """The lines the user filled in (editable ones only), ready for the service."""
        lines = []
        for row in self.rows:
            pk = row.indicator.pk
            if row.status not in EDITABLE_STATUSES:
                continue
            line = {
                "indicator": row.indicator,
                "value": self.cleaned_data.get(f"value-{pk}"),
                "numerator": self.cleaned_data.get(f"numerator-{pk}"),
                "denominator": self.cleaned_data.get(f"denominator-{pk}"),
                "comment": self.cleaned_data.get(f"comment-{pk}", ""),
            }
            if any(line[k] is not None for k in ("value", "numerator", "denominator")):
                lines.append(line)
        return lines

    def bound_row(self, pk: int) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.endswith(f"-{pk}")]


class ReturnForm(StyledForm):
    reason = forms.CharField(label=_("What must be corrected"), max_length=2000)


class ReviseForm(StyledForm):
    reason = forms.CharField(label=_("Why the validated value must be corrected"), max_length=2000)


class PeriodChoiceForm(StyledForm):
    period = forms.ModelChoiceField(label=_("Period"), queryset=ReportingPeriod.objects.all())


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ObjectiveForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = Objective
        fields = [
            "programme", "axis", "agreement", "parent", "code", "title_fr", "title_ar", "title_en",
        ]  # fmt: skip


class IndicatorForm(StyledModelForm):
    reason = ReasonField()
    baseline_value = FrenchDecimalField(
        label=_("baseline"), required=False, max_digits=18, decimal_places=4
    )

    class Meta:
        model = Indicator
        fields = [
            "objective", "code", "name_fr", "name_ar", "name_en", "definition", "unit_fr", "unit_ar",
            "unit_en", "kind", "numerator_label_fr", "numerator_label_ar", "numerator_label_en",
            "denominator_label_fr", "denominator_label_ar", "denominator_label_en",
            "direction", "aggregation", "source", "computation",
            "computation_category", "means_of_verification", "baseline_value", "baseline_year", "is_public",
        ]  # fmt: skip
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "means_of_verification": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The categories come from the app that computes (the services register).
        self.fields["computation_category"] = forms.ChoiceField(
            label=_("service category"), choices=category_choices(), required=False
        )
        self.style_fields()


class TargetForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = FrenchDecimalField(label=_("Target"), max_digits=18, decimal_places=4)
    amendment = forms.ModelChoiceField(
        label=_("Set by amendment"), queryset=Amendment.objects.all(), required=False
    )
    reason = ReasonField()


class PeriodForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = ReportingPeriod
        fields = ["programme", "year", "part", "opens_on", "closes_on", "is_open"]
        widgets = {"opens_on": DATE, "closes_on": DATE}
