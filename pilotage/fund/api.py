"""API of the FACET ledger: the overview, the journal and the lines you may see; writes (entries,
reversals) for ministry roles, through the same forms and services as the pages."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilotage.api.pagination import BoundedPagination
from pilotage.core import access
from pilotage.core.forms import validated
from pilotage.fund import services
from pilotage.fund.forms import (
    AllocationForm,
    CommitmentForm,
    DisbursementForm,
    ReallocationForm,
    ReversalForm,
)
from pilotage.fund.models import Allocation, Commitment, Entry
from pilotage.fund.selectors import budget_overview
from pilotage.programmes.models import Programme

router = Router(tags=["fund"])


class FiguresOut(Schema):
    envelope: Decimal | None
    allocated: Decimal
    committed: Decimal
    disbursed: Decimal
    headroom: Decimal
    unallocated: Decimal | None
    commitment_rate: Decimal | None
    execution_rate: Decimal | None


class NodeOut(Schema):
    level: str
    label: str
    filters: dict[str, int]
    figures: FiguresOut
    projected_disbursed: Decimal | None
    children: list["NodeOut"]


class EntryOut(Schema):
    id: int
    kind: str
    entry_date: datetime.date
    reference: str
    amount: Decimal
    allocation_id: int
    target_id: int | None
    commitment_id: int | None
    decision_id: int | None
    reverses_id: int | None
    note: str
    recorded_by_id: int
    recorded_at: datetime.datetime


class AllocationOut(Schema):
    id: int
    programme_id: int
    axis_id: int
    cti_id: int
    year: int
    allocated: Decimal
    committed: Decimal
    disbursed: Decimal


class CommitmentOut(Schema):
    id: int
    reference: str
    allocation_id: int
    agreement_id: int | None
    project_id: int | None
    project_text: str
    committed_on: datetime.date
    amount: Decimal
    disbursed: Decimal


class EntryQuery(FilterSchema):
    kind: str | None = None
    allocation: Annotated[int | None, FilterLookup("allocation_id")] = None
    commitment: Annotated[int | None, FilterLookup("commitment_id")] = None
    since: Annotated[datetime.date | None, FilterLookup("entry_date__gte")] = None
    until: Annotated[datetime.date | None, FilterLookup("entry_date__lte")] = None


class AllocationIn(Schema):
    programme: int
    axis: int
    cti: int
    year: int
    amount: Decimal
    entry_date: datetime.date
    reference: str
    note: str = ""
    decision: int | None = None


class CommitmentIn(Schema):
    allocation: int
    amount: Decimal
    reference: str
    committed_on: datetime.date
    agreement: int | None = None
    project: int | None = None
    description: str = ""


class DisbursementIn(Schema):
    amount: Decimal
    paid_on: datetime.date
    payment_reference: str
    note: str = ""


class ReallocationIn(Schema):
    source: int
    target: int
    amount: Decimal
    decision: int
    entry_date: datetime.date
    reference: str
    note: str = ""


class ReversalIn(Schema):
    reason: str = Field(..., max_length=500)
    entry_date: datetime.date | None = None


@router.get("/fund/programmes/{programme_id}/overview", response=NodeOut)
def fund_overview(request: HttpRequest, programme_id: int, as_of: datetime.date | None = None):
    programme = access.get_visible(Programme, request.user, programme_id)
    return budget_overview(request.user, programme, as_of or timezone.localdate())


@router.get("/fund/entries", response=list[EntryOut])
@paginate(BoundedPagination)
def entry_list(request: HttpRequest, filters: Query[EntryQuery]):
    return filters.filter(Entry.objects.visible_to(request.user)).order_by("-entry_date", "-pk")


@router.get("/fund/entries/{entry_id}", response=EntryOut)
def entry_detail(request: HttpRequest, entry_id: int) -> Entry:
    return access.get_visible(Entry, request.user, entry_id)


@router.get("/fund/allocations", response=list[AllocationOut])
@paginate(BoundedPagination)
def allocation_list(request: HttpRequest):
    return Allocation.objects.visible_to(request.user)


@router.get("/fund/allocations/{allocation_id}", response=AllocationOut)
def allocation_detail(request: HttpRequest, allocation_id: int) -> Allocation:
    return access.get_visible(Allocation, request.user, allocation_id)


@router.get("/fund/commitments", response=list[CommitmentOut])
@paginate(BoundedPagination)
def commitment_list(request: HttpRequest):
    return Commitment.objects.visible_to(request.user)


@router.get("/fund/commitments/{commitment_id}", response=CommitmentOut)
def commitment_detail(request: HttpRequest, commitment_id: int) -> Commitment:
    return access.get_visible(Commitment, request.user, commitment_id)


@router.post("/fund/allocations", response={201: EntryOut}, summary="Record an allocation")
def allocation_record(request: HttpRequest, payload: AllocationIn):
    access.ensure_can_create(request.user, Entry)
    form = validated(AllocationForm(data=payload.dict(), user=request.user))
    return Status(201, services.allocation_record(actor=request.user, **form.cleaned_data))


@router.post("/fund/commitments", response={201: CommitmentOut}, summary="Record a commitment")
def commitment_record(request: HttpRequest, payload: CommitmentIn):
    access.ensure_can_create(request.user, Entry)
    form = validated(CommitmentForm(data=payload.dict(), user=request.user))
    return Status(201, services.commitment_record(actor=request.user, **form.cleaned_data))


@router.post(
    "/fund/commitments/{commitment_id}/disbursements",
    response={201: EntryOut},
    summary="Record a payment",
)
def disbursement_record(request: HttpRequest, commitment_id: int, payload: DisbursementIn):
    commitment = access.get_editable(Commitment, request.user, commitment_id)
    form = validated(DisbursementForm(data=payload.dict(), user=request.user))
    entry = services.disbursement_record(
        actor=request.user, commitment=commitment, **form.cleaned_data
    )
    return Status(201, entry)


@router.post("/fund/reallocations", response={201: EntryOut}, summary="Record a reallocation")
def reallocation_record(request: HttpRequest, payload: ReallocationIn):
    access.ensure_can_create(request.user, Entry)
    form = validated(ReallocationForm(data=payload.dict(), user=request.user))
    return Status(201, services.reallocation_record(actor=request.user, **form.cleaned_data))


@router.post("/fund/entries/{entry_id}/reversal", response={201: EntryOut}, summary="Reverse")
def entry_reverse(request: HttpRequest, entry_id: int, payload: ReversalIn):
    entry = access.get_editable(Entry, request.user, entry_id)
    form = validated(ReversalForm(data=payload.dict(exclude_none=True), user=request.user))
    reversal = services.entry_reverse(actor=request.user, entry=entry, **form.cleaned_data)
    return Status(201, reversal)
