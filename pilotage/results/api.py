"""API of the results framework: indicators and values you may see, and the reporting workflow."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilotage.api.pagination import BoundedPagination
from pilotage.core import access
from pilotage.core.forms import validated
from pilotage.core.models import Organisation
from pilotage.results import services
from pilotage.results.forms import IndicatorForm, PeriodForm, TargetForm
from pilotage.results.models import Indicator, Measurement, Objective, ReportingPeriod, Target

router = Router(tags=["results"])


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    kind: str
    direction: str
    aggregation: str
    source: str
    computation: str
    computation_category: str
    agreement_id: int | None = Field(alias="objective.agreement_id")
    baseline_value: Decimal | None
    baseline_year: int | None


class MeasurementOut(Schema):
    id: int
    indicator_id: int
    period_id: int
    organisation_id: int
    revision: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    comment: str
    status: str
    return_reason: str
    target_id: int | None
    submitted_by_id: int | None
    submitted_at: datetime | None
    validated_by_id: int | None
    validated_at: datetime | None
    returned_by_id: int | None
    returned_at: datetime | None


class MeasurementQuery(FilterSchema):
    indicator: Annotated[int | None, FilterLookup("indicator_id")] = None
    period: Annotated[int | None, FilterLookup("period_id")] = None
    organisation: Annotated[int | None, FilterLookup("organisation_id")] = None
    status: str | None = None


class MeasurementIn(Schema):
    indicator_id: int
    period_id: int
    organisation_id: int
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    comment: str = Field("", max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000)


@router.get("/indicators", response=list[IndicatorOut])
@paginate(BoundedPagination)
def indicator_list(request: HttpRequest):
    return Indicator.objects.visible_to(request.user).select_related("objective")


@router.get("/measurements", response=list[MeasurementOut])
@paginate(BoundedPagination)
def measurement_list(request: HttpRequest, filters: Query[MeasurementQuery]):
    return filters.filter(Measurement.objects.visible_to(request.user))


@router.get("/measurements/{int:measurement_id}", response=MeasurementOut)
def measurement_detail(request: HttpRequest, measurement_id: int) -> Measurement:
    return access.get_visible(Measurement, request.user, measurement_id)


@router.post("/measurements", response=MeasurementOut, summary="Enter or correct a value (draft)")
def measurement_record(request: HttpRequest, payload: MeasurementIn) -> Measurement:
    data = payload.dict()
    return services.measurement_record(
        actor=request.user,
        indicator=access.get_visible(Indicator, request.user, data.pop("indicator_id")),
        period=access.get_visible(ReportingPeriod, request.user, data.pop("period_id")),
        organisation=access.get_visible(Organisation, request.user, data.pop("organisation_id")),
        **data,
    )


@router.post("/measurements/{int:measurement_id}/submit", response=MeasurementOut)
def measurement_submit(request: HttpRequest, measurement_id: int) -> Measurement:
    measurement = access.get_visible(Measurement, request.user, measurement_id)
    return services.measurement_submit(actor=request.user, measurement=measurement)


@router.post("/measurements/{int:measurement_id}/validate", response=MeasurementOut)
def measurement_validate(request: HttpRequest, measurement_id: int) -> Measurement:
    measurement = access.get_visible(Measurement, request.user, measurement_id)
    return services.measurement_validate(actor=request.user, measurement=measurement)


@router.post("/measurements/{int:measurement_id}/return", response=MeasurementOut)
def measurement_return(request: HttpRequest, measurement_id: int, payload: ReasonIn) -> Measurement:
    measurement = access.get_visible(Measurement, request.user, measurement_id)
    return services.measurement_return(
        actor=request.user, measurement=measurement, reason=payload.reason
    )


class BatchValidateIn(Schema):
    ids: list[int] = Field(..., min_length=1, max_length=500)


class BatchReturnIn(BatchValidateIn):
    reason: str = Field("", max_length=2000)
    reasons: dict[int, str] = Field(default_factory=dict, description="A value's own reason, by id")


@router.post(
    "/measurements/validate",
    response=list[MeasurementOut],
    summary="Validate several (all or none)",
)
def measurements_validate(request: HttpRequest, payload: BatchValidateIn) -> list[Measurement]:
    return services.measurements_validate(actor=request.user, ids=payload.ids)


@router.post(
    "/measurement-batches/return",
    response=list[MeasurementOut],
    summary="Return several (all or none)",
)
def measurements_return(request: HttpRequest, payload: BatchReturnIn) -> list[Measurement]:
    return services.measurements_return(
        actor=request.user, ids=payload.ids, reason=payload.reason, reasons=payload.reasons
    )


@router.post("/measurements/{int:measurement_id}/revise", response=MeasurementOut)
def measurement_revise(request: HttpRequest, measurement_id: int, payload: ReasonIn) -> Measurement:
    measurement = access.get_visible(Measurement, request.user, measurement_id)
    return services.measurement_revise(
        actor=request.user, measurement=measurement, reason=payload.reason
    )


class IndicatorIn(Schema):
    objective: int
    code: str
    name: str
    definition: str
    unit: str
    kind: str
    numerator_label: str = ""
    denominator_label: str = ""
    direction: str = "up"
    aggregation: str = "sum"
    source: str = "manual"
    computation: str = ""
    computation_category: str = ""
    means_of_verification: str = ""
    baseline_value: str | None = None
    baseline_year: int | None = None
    reason: str = Field("", max_length=500)


class TargetIn(Schema):
    year: int
    value: str
    amendment: int | None = None
    reason: str = Field("", max_length=500)


class TargetOut(Schema):
    id: int
    year: int
    value: Decimal
    amendment_id: int | None


class PeriodOut(Schema):
    id: int
    programme_id: int
    year: int
    part: int
    opens_on: date
    closes_on: date
    is_open: bool


class PeriodIn(Schema):
    programme: int
    year: int
    part: int = 0
    opens_on: date
    closes_on: date
    is_open: bool = True
    reason: str = Field("", max_length=500)


@router.get("/indicators/{indicator_id}", response=IndicatorOut)
def indicator_detail(request: HttpRequest, indicator_id: int) -> Indicator:
    return access.get_visible(Indicator, request.user, indicator_id)


@router.post("/indicators", response={201: IndicatorOut}, summary="Define an indicator (ministry)")
def indicator_create(request: HttpRequest, payload: IndicatorIn):
    access.ensure_can_create(request.user, Indicator)
    form = validated(IndicatorForm(data=payload.dict(), user=request.user))
    indicator = services.indicator_save(
        actor=request.user, reason=payload.reason, **form.service_fields()
    )
    return Status(201, indicator)


@router.get("/indicators/{indicator_id}/targets", response=list[TargetOut])
def target_list(request: HttpRequest, indicator_id: int):
    indicator = access.get_visible(Indicator, request.user, indicator_id)
    return Target.objects.visible_to(request.user).filter(indicator=indicator)


@router.post("/indicators/{indicator_id}/targets", response={201: TargetOut})
def target_create(request: HttpRequest, indicator_id: int, payload: TargetIn):
    indicator = access.get_editable(Indicator, request.user, indicator_id)
    form = validated(TargetForm(data=payload.dict(), user=request.user))
    target = services.target_set(actor=request.user, indicator=indicator, **form.cleaned_data)
    return Status(201, target)


@router.get("/periods", response=list[PeriodOut])
@paginate(BoundedPagination)
def period_list(request: HttpRequest):
    return ReportingPeriod.objects.visible_to(request.user)


@router.post("/periods", response={201: PeriodOut}, summary="Open a reporting period (ministry)")
def period_create(request: HttpRequest, payload: PeriodIn):
    access.ensure_can_create(request.user, ReportingPeriod)
    form = validated(PeriodForm(data=payload.dict(), user=request.user))
    period = services.period_save(
        actor=request.user, reason=payload.reason, **form.service_fields()
    )
    return Status(201, period)


class ObjectiveOut(Schema):
    id: int
    code: str
    title: str
    programme_id: int
    axis_id: int | None
    agreement_id: int | None
    parent_id: int | None


@router.get("/objectives", response=list[ObjectiveOut], summary="Global and specific objectives")
@paginate(BoundedPagination)
def objective_list(request: HttpRequest):
    return Objective.objects.visible_to(request.user)


@router.get("/objectives/{objective_id}", response=ObjectiveOut)
def objective_detail(request: HttpRequest, objective_id: int) -> Objective:
    return access.get_visible(Objective, request.user, objective_id)
