"""API of the results framework. Indicators (and their targets), periods and values with their
workflow steps come from the resources' declarations (`resources.py`); here, entering a value,
the batch review, a target list and the objectives."""

import json
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from pilotage.api.pagination import BoundedPagination
from pilotage.core import access, figures
from pilotage.core.errors import ErrorCode, ServiceError
from pilotage.core.models import Organisation
from pilotage.core.registry import add_api_routes
from pilotage.programmes.models import Programme
from pilotage.results import resources, selectors, services
from pilotage.results.filters import matrix_choices
from pilotage.results.models import Indicator, Measurement, Objective, ReportingPeriod, Target
from pilotage.results.resources import MeasurementOut, TargetOut
from pilotage.results.semantics import Kind, Status

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


class MatrixCellOut(Schema):
    cti: str = Field(description="The CTI's acronym")
    indicator: str = Field(description="The indicator's code")
    axis: int | None = Field(description="The number of its strategic axis")
    actual: Decimal | None = Field(description="Validated actual for the year, by its rule")
    target: Decimal | None
    achievement: Decimal | None = Field(
        description="Actual ÷ target (inverted when lower is better)"
    )
    status: Status
    url: str = Field(description="The CTI's contract scorecard for the year")


class MatrixTotalOut(Schema):
    indicator: str
    name: str
    kind: Kind
    axis: int | None
    value: Decimal | None = Field(description="Every CTI's validated values, by its rule")
    coverage: int = Field(description="The CTIs that reported")


class ProgrammeMatrixOut(Schema):
    programme_id: int
    year: int
    axis_id: int | None
    cti_id: int | None
    cells: list[MatrixCellOut]
    totals: list[MatrixTotalOut]


FOUR_PLACES = Decimal("0.0001")  # the precision values are stored with


def _figure(value: Decimal | None) -> str | None:
    # Averages, rates and achievements carry 28 digits: 4 places keep the JSON lean and lose
    # nothing a value was entered with (statuses are computed before, at full precision).
    return None if value is None else format(value.quantize(FOUR_PLACES), "f")


@router.get(
    "/programmes/{int:programme_id}/results-matrix",
    response=ProgrammeMatrixOut,
    url_name="programme_results_matrix",
    summary="The plan's results matrix (CTI × indicator) for a year",
)
def programme_results_matrix(
    request: HttpRequest,
    programme_id: int,
    year: int | None = Query(None, description="One of the plan's years; its last by default"),
    axis: int | None = Query(None, description="A strategic axis's id; every axis by default"),
    cti: int | None = Query(None, description="A CTI's id; every CTI by default"),
) -> HttpResponse:
    """The cells of the rows the caller may see (a CTI's people: their own CTI's) and the
    programme-wide totals, as on the results matrix page; what the page's heatmap draws.
    Without `year`, the plan's last year; without `axis` (a strategic axis's id), every axis;
    without `cti`, every CTI. A value that names nothing one may choose (a year outside the plan,
    another plan's axis, an organisation that is not a CTI) is refused with 422, never ignored:
    a client must not take other figures for the ones it asked for. Figures are decimals (as
    strings) to 4 places."""
    programme = access.get_visible(Programme, request.user, programme_id)
    given = {"year": year, "axis": axis, "cti": cti}
    params = {name: str(value) for name, value in given.items() if value is not None}
    choices = matrix_choices(programme, request.user, params, whole_plan=True)
    if choices.unknown:
        # Django's own words for a choice that is not offered (translated in every language).
        refused = gettext("Select a valid choice. That choice is not one of the available choices.")
        raise ServiceError(
            ErrorCode.INVALID, field_errors={name: [refused] for name in choices.unknown}
        )
    encoded = _encoded_matrix(programme, choices.year, choices.axis)
    ctis = selectors.matrix_ctis(request.user, encoded.reporting, choices.cti)
    contracts = selectors.cti_contracts(programme, ctis, request.user)
    table = reverse("results:programme_results", args=[programme.pk])
    cells = []
    for organisation in ctis:
        if organisation.pk in contracts:
            scorecard = reverse("results:contract_scorecard", args=[contracts[organisation.pk]])
            url = f"{scorecard}?year={choices.year}"
        else:  # no contract of its own in sight: the CTI's row in the table
            url = f"{table}?year={choices.year}&cti={organisation.pk}"
        closing = f',"cti":{_json(organisation.acronym)},"url":{_json(url)}}}'
        cells.extend(opened + closing for opened in encoded.cells[organisation.pk])
    head = {
        "programme_id": programme.pk, "year": choices.year,
        "axis_id": choices.axis.pk if choices.axis else None,
        "cti_id": choices.cti.pk if choices.cti else None,
    }  # fmt: skip
    # Written out from the kept pieces, in the shape `ProgrammeMatrixOut` documents (the tests
    # hold it to it): validating 6,250 cells through the schema again, or even encoding them on
    # each request, took as long as the SQL of their figures (DESIGN §9).
    body = f'{_json(head)[:-1]},"cells":[{",".join(cells)}],"totals":{encoded.totals}}}'
    return HttpResponse(body, content_type="application/json")


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"))


@dataclass(frozen=True)
class EncodedMatrix:
    """The matrix's JSON for every CTI, kept with the figures it is written from; each request
    picks the CTIs its caller may see and adds what is theirs (acronym, link)."""

    reporting: frozenset[int]
    cells: dict[int, list[str]]  # by CTI id: each cell as a JSON object left open at its end
    totals: str  # the list of the programme-wide totals


def _encoded_matrix(programme, year: int, axis) -> EncodedMatrix:
    version = figures.token(selectors.FIGURES)

    def encode() -> EncodedMatrix:
        matrix = selectors.matrix_figures(programme, year, axis, version=version)
        cells = {
            cti_id: [_json({
                "indicator": code, "axis": matrix.axis_of.get(code),
                "actual": _figure(cell.actual.value), "target": _figure(cell.target),
                "achievement": _figure(cell.achievement), "status": cell.status.value,
            })[:-1] for code, cell in row.items()]
            for cti_id, row in matrix.rows.items()
        }  # fmt: skip
        totals = [
            {"indicator": code, "name": name, "kind": kind, "axis": matrix.axis_of.get(code),
             "value": _figure(matrix.totals[code].value), "coverage": matrix.totals[code].coverage}
            for code, name, kind in matrix.codes
        ]  # fmt: skip
        return EncodedMatrix(matrix.reporting, cells, _json(totals))

    bands = selectors.configured_bands()
    key = ("matrix-json", programme.pk, year, getattr(axis, "pk", None),
           bands.on_track, bands.at_risk, get_language())  # fmt: skip
    return figures.cached(selectors.FIGURES, key, encode, version=version)
