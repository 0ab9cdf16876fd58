"""API of plans and agreements: read everything you may see; move an agreement along its lifecycle."""

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilotage.api.pagination import BoundedPagination
from pilotage.core import access
from pilotage.core.forms import validated
from pilotage.programmes import services
from pilotage.programmes.filters import AgreementFilter
from pilotage.programmes.forms import AgreementCreateForm
from pilotage.programmes.models import Agreement, AgreementParty, Programme, StrategicAxis

router = Router(tags=["plans and agreements"])


class AxisOut(Schema):
    id: int
    number: int
    title: str
    envelope: Decimal


class ProgrammeOut(Schema):
    id: int
    code: str
    title: str
    start_year: int
    end_year: int
    envelope: Decimal
    predecessor_id: int | None
    axes: list[AxisOut]


class PartyOut(Schema):
    organisation_id: int
    organisation: str = Field(alias="organisation.acronym")
    role: str


class AmendmentOut(Schema):
    number: int
    kind: str
    signed_on: date
    reason: str
    new_ceiling: Decimal | None
    new_ends_on: date | None


class AgreementOut(Schema):
    id: int
    kind: str
    reference: str
    title: str
    programme_id: int | None
    parent_id: int | None
    signed_on: date | None
    starts_on: date | None
    ends_on: date | None
    ceiling: Decimal | None
    status: str
    parties: list[PartyOut]
    amendments: list[AmendmentOut]


class AgreementQuery(FilterSchema):
    q: str | None = None
    kind: str | None = None
    status: str | None = None
    programme: int | None = None
    party: int | None = None


class TransitionIn(Schema):
    status: str
    reason: str = Field("", max_length=500)


def _agreements(request: HttpRequest):
    parties = AgreementParty.objects.visible_to(request.user).select_related("organisation")
    return Agreement.objects.visible_to(request.user).prefetch_related(
        Prefetch("parties", queryset=parties), "amendments"
    )


@router.get("/programmes", response=list[ProgrammeOut], summary="Plans with their axes")
@paginate(BoundedPagination)
def programme_list(request: HttpRequest):
    axes = StrategicAxis.objects.visible_to(request.user)
    return Programme.objects.visible_to(request.user).prefetch_related(
        Prefetch("axes", queryset=axes)
    )


@router.get("/programmes/{programme_id}", response=ProgrammeOut)
def programme_detail(request: HttpRequest, programme_id: int) -> Programme:
    return access.get_visible(Programme, request.user, programme_id)


@router.get("/agreements", response=list[AgreementOut], summary="Agreements you may see")
@paginate(BoundedPagination)
def agreement_list(request: HttpRequest, filters: Query[AgreementQuery]):
    data = {k: v for k, v in filters.dict().items() if v is not None}
    filterset = AgreementFilter(data, queryset=_agreements(request), request=request)
    validated(filterset.form)
    return filterset.qs


@router.get("/agreements/{agreement_id}", response=AgreementOut)
def agreement_detail(request: HttpRequest, agreement_id: int) -> Agreement:
    return access.get_visible(Agreement, request.user, agreement_id)


@router.post("/agreements/{agreement_id}/transition", response=AgreementOut)
def agreement_transition(
    request: HttpRequest, agreement_id: int, payload: TransitionIn
) -> Agreement:
    agreement = access.get_editable(Agreement, request.user, agreement_id)
    return services.agreement_transition(
        actor=request.user, agreement=agreement, status=payload.status, reason=payload.reason
    )


class AgreementIn(Schema):
    kind: str
    reference: str
    title: str
    programme: int | None = None
    parent: int | None = None
    signed_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    ceiling: str | None = None
    description: str = ""
    party: int = Field(..., description="The first party (organisation id); add more on the page.")
    party_role: str = "signatory"
    reason: str = Field("", max_length=500)


@router.post("/agreements", response={201: AgreementOut}, summary="Create an agreement (draft)")
def agreement_create(request: HttpRequest, payload: AgreementIn):
    access.ensure_can_create(request.user, Agreement)
    form = validated(AgreementCreateForm(data=payload.dict(), user=request.user))
    agreement = services.agreement_create(
        actor=request.user, reason=payload.reason, **form.service_fields()
    )
    return Status(201, agreement)
