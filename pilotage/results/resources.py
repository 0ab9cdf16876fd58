"""Indicators, reporting periods and reported values as resources: their pages, API routes,
exports and steps (a target set, a value submitted, validated, returned or revised) come from
these declarations (core/registry.py). The reporting sheet, the scorecard, the results matrix and
the batch review are plain views (views.py)."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, ModelSchema, Schema

from pilotage.core.registry import Resource, Step, register
from pilotage.core.tables import Column
from pilotage.core.translation import translated_accessor
from pilotage.programmes.models import Amendment
from pilotage.results import services
from pilotage.results.filters import IndicatorFilter, MeasurementFilter
from pilotage.results.forms import IndicatorForm, PeriodForm, ReturnForm, ReviseForm, TargetForm
from pilotage.results.models import Indicator, Measurement, ReportingPeriod

# --- schemas: what the API answers for one row --------------------------------------------------


class IndicatorOut(ModelSchema):
    name: str
    unit: str
    agreement_id: int | None = Field(alias="objective.agreement_id")

    class Meta:
        model = Indicator
        fields = [
            "id", "code", "kind", "direction", "aggregation", "source", "computation",
            "computation_category", "baseline_value", "baseline_year",
        ]  # fmt: skip


class TargetOut(Schema):
    id: int
    year: int
    value: Decimal
    amendment_id: int | None


class PeriodOut(ModelSchema):
    programme_id: int

    class Meta:
        model = ReportingPeriod
        fields = ["id", "year", "part", "opens_on", "closes_on", "is_open"]


class MeasurementOut(ModelSchema):
    indicator_id: int
    period_id: int
    organisation_id: int
    target_id: int | None
    submitted_by_id: int | None
    validated_by_id: int | None
    returned_by_id: int | None

    class Meta:
        model = Measurement
        fields = [
            "id", "revision", "value", "numerator", "denominator", "comment", "status",
            "return_reason", "submitted_at", "validated_at", "returned_at",
        ]  # fmt: skip


# --- declarations ----------------------------------------------------------------------------


class Indicators(Resource):
    model = Indicator
    path = "indicators"
    form = IndicatorForm
    filterset = IndicatorFilter
    title = gettext_lazy("Indicators")
    title_create = gettext_lazy("New indicator")
    title_edit = gettext_lazy("Edit indicator")
    related = ("objective__agreement",)
    columns = [
        Column("code", gettext_lazy("Code"), sort="code", link=True),
        Column("name", gettext_lazy("Name"), translated_accessor("name"), sort="name"),
        Column("agreement", gettext_lazy("Contract"), accessor="objective.agreement.reference"),
        Column("unit", gettext_lazy("Unit"), translated_accessor("unit"), sort="unit"),
        Column("kind", gettext_lazy("Kind"), sort="kind"),
        Column("aggregation", gettext_lazy("Aggregation"), sort="aggregation"),
        Column("source", gettext_lazy("Source"), sort="source"),
        Column("baseline_value", gettext_lazy("Baseline"), sort="baseline_value"),
    ]
    default_sort = "code"
    create_service = staticmethod(services.indicator_create)
    update_service = staticmethod(services.indicator_update)
    steps = (
        Step("targets", "target_add", form=TargetForm, done_message=gettext_lazy("Target saved."),
             answer=TargetOut, creates=True,
             take=lambda actor, indicator, data: services.target_set(
                 actor=actor, indicator=indicator, **data)),
    )  # fmt: skip
    schema = IndicatorOut
    detail_template = "results/indicator_detail.html"

    def detail_context(self, request: HttpRequest, obj: Indicator) -> dict[str, Any]:
        user = request.user
        form = TargetForm(user=user)
        amendment: Any = form.fields["amendment"]
        amendment.queryset = Amendment.objects.visible_to(user).filter(
            agreement=obj.objective.agreement_id
        )
        return {
            "targets": obj.targets.select_related("amendment"),
            "measurements": Measurement.objects.visible_to(user)
            .filter(indicator=obj)
            .select_related("period", "organisation", "submitted_by", "validated_by")
            .order_by("period__year", "period__part", "revision"),
            "target_form": form,
        }


class Periods(Resource):
    """Reporting periods: listed, opened and edited here; a period's values show on the
    contracts' reporting sheets."""

    model = ReportingPeriod
    path = "periods"
    name = "period"
    form = PeriodForm
    title = gettext_lazy("Reporting periods")
    title_create = gettext_lazy("New reporting period")
    title_edit = gettext_lazy("Edit reporting period")
    related = ("programme",)
    columns = [
        Column(
            "programme", gettext_lazy("Plan"), accessor="programme.code", sort="programme__code"
        ),
        Column("period", gettext_lazy("Period"), accessor=lambda p: str(p), sort="year"),
        Column("opens_on", gettext_lazy("Submission opens"), sort="opens_on"),
        Column("closes_on", gettext_lazy("Submission closes"), sort="closes_on"),
        Column("is_open", gettext_lazy("Open"), sort="is_open"),
    ]
    default_sort = "-period"
    create_service = staticmethod(services.period_create)
    update_service = staticmethod(services.period_update)
    schema = PeriodOut


def _value(m: Measurement) -> Any:
    if m.value is not None:
        return m.value
    return f"{m.numerator} / {m.denominator}" if m.denominator is not None else None


class Measurements(Resource):
    """Reported values: listed here, entered on the contract's reporting sheet (views.py), moved
    through the workflow by steps whose permission is the declared action (results/models.py)."""

    model = Measurement
    path = "values"
    api_path = "measurements"
    export_name = "values"
    filterset = MeasurementFilter
    title = gettext_lazy("Reported values")
    related = ("indicator__objective", "period", "organisation", "submitted_by", "validated_by")
    columns = [
        Column("indicator", gettext_lazy("Indicator"), accessor="indicator.code",
               sort="indicator__code", link=True),
        Column("name", gettext_lazy("Name"), translated_accessor("name", via="indicator")),
        Column("organisation", gettext_lazy("CTI"), accessor="organisation.acronym",
               sort="organisation__acronym"),
        Column("period", gettext_lazy("Period"), accessor=lambda m: str(m.period),
               sort="period__year"),
        Column("revision", gettext_lazy("Revision"), sort="revision"),
        Column("value", gettext_lazy("Value"), accessor=_value),
        Column("status", gettext_lazy("Status"), sort="status"),
        Column("submitted_by", gettext_lazy("Submitted by")),
        Column("validated_by", gettext_lazy("Validated by")),
    ]  # fmt: skip
    default_sort = "indicator"
    steps = (
        Step("submit", "measurement_submit", action="submit",
             done_message=gettext_lazy("Submitted to the ministry."),
             take=lambda actor, measurement, data: services.measurement_submit(
                 actor=actor, measurement=measurement)),
        Step("validate", "measurement_validate", action="review",
             done_message=gettext_lazy("Validated."),
             take=lambda actor, measurement, data: services.measurement_validate(
                 actor=actor, measurement=measurement)),
        Step("return", "measurement_return", form=ReturnForm, action="review",
             done_message=gettext_lazy("Returned to the CTI."),
             take=lambda actor, measurement, data: services.measurement_return(
                 actor=actor, measurement=measurement, **data)),
        # The answer is the new revision, open for the corrected value.
        Step("revise", "measurement_revise", form=ReviseForm, action="revise",
             answer=MeasurementOut,
             done_message=gettext_lazy("Correction opened: enter the corrected value."),
             take=lambda actor, measurement, data: services.measurement_revise(
                 actor=actor, measurement=measurement, **data)),
    )  # fmt: skip
    schema = MeasurementOut


RESOURCES = register(Indicators, Periods, Measurements)
