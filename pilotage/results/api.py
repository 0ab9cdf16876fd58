"""API of the results framework. Indicators (and their targets), periods and values with their
workflow steps come from the resources' declarations (`resources.py`); here, entering a value,
the batch review, a target list and the objectives."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from pilotage.api.pagination import BoundedPagination
from pilotage.core import access
from pilotage.core.models import Organisation
from pilotage.core.registry import add_api_routes
from pilotage.results import resources, services
from pilotage.results.models import Indicator, Measurement, Objective, ReportingPeriod, Target
from pilotage.results.resources import MeasurementOut, TargetOut

router = Router(tags=["results"])
add_api_routes(router, resources.RESOURCES)


class MeasurementIn(Schema):
    indicator_id: int
    period_id: int
    organisation_id: int
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    comment: str = Field("", max_length=2000)


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


# `int:` as the registry's routes: the same path must resolve to one pattern.
@router.get("/indicators/{int:indicator_id}/targets", response=list[TargetOut])
def target_list(request: HttpRequest, indicator_id: int):
    indicator = access.get_visible(Indicator, request.user, indicator_id)
    return Target.objects.visible_to(request.user).filter(indicator=indicator)


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
