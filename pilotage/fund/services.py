"""Every write to the FACET ledger, and the one place its invariants are enforced (DESIGN §4).

Each entry is posted as a list of effects on the running totals of its lines; a reversal posts the
opposite effects. The rows an entry touches are locked first, always in the same order (plan, then
the project a commitment names, then allocations by id, then the commitment), so concurrent
requests queue instead of racing, and the ceilings are checked on the locked figures:

    Σ allocations on an axis ≤ axis envelope ≤ plan envelope (the plan row is the lock the plan's
    own services take too); Σ commitments ≤ allocation; Σ disbursements ≤ commitment; a project's
    Σ commitments ≤ its FACET budget.

A refusal says which ceiling and by how much, and the transaction saves nothing.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotage.core import access
from pilotage.core.errors import ErrorCode, ServiceError, refusal
from pilotage.core.models import Organisation, User
from pilotage.core.money import format_mad
from pilotage.core.roles import OrganisationKind
from pilotage.core.services import persist, save_audited
from pilotage.fund import tranches
from pilotage.fund.models import (
    Allocation,
    Commitment,
    Entry,
    EntryKind,
    PerformanceTranche,
    TrancheComputation,
    TrancheWeight,
)
from pilotage.fund.selectors import tranche_paid
from pilotage.governance.models import Decision, DecisionKind
from pilotage.programmes.models import Agreement, AgreementKind, Programme, StrategicAxis
from pilotage.projects.models import BudgetSource, Project, ProjectStatus
from pilotage.results.models import Measurement, MeasurementStatus
from pilotage.results.selectors import contract_cti, scorecard


def _over(message: str) -> ServiceError:
    return ServiceError(ErrorCode.OVER_CEILING, message, field_errors={"amount": [message]})


def _positive(amount: Decimal) -> Decimal:
    if amount is None or amount <= 0:
        raise refusal(_("The amount must be greater than zero."), "amount", ErrorCode.INVALID)
    return amount


# --- effects and ceilings --------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    line: Allocation | Commitment
    total: str  # the running total the entry moves
    delta: Decimal


def _effects(entry: Entry, lines: dict[tuple[type, int], Allocation | Commitment]) -> list[Effect]:
    """What an entry does to the running totals (a reversal's amount is negative: same effects)."""
    allocation = lines[(Allocation, entry.allocation_id)]
    amount = entry.amount
    if entry.kind == EntryKind.ALLOCATION:
        return [Effect(allocation, "allocated", amount)]
    if entry.kind == EntryKind.REALLOCATION:
        target = lines[(Allocation, entry.target_id)]
        return [Effect(allocation, "allocated", -amount), Effect(target, "allocated", amount)]
    commitment = lines[(Commitment, entry.commitment_id)]
    if entry.kind == EntryKind.COMMITMENT:
        return [Effect(allocation, "committed", amount), Effect(commitment, "amount", amount)]
    return [Effect(allocation, "disbursed", amount), Effect(commitment, "disbursed", amount)]


def _lock(entry: Entry) -> dict[tuple[type, int], Allocation | Commitment]:
    """Lock the rows the entry touches, in the one order every writer uses: the plan row first
    (it also serialises every change of what is allocated and of the envelopes), then the
    allocation lines by id, then the commitment. `of=("self",)`: the joined rows (axis, CTI, plan)
    are read, not locked, so no writer ever takes them in another order."""
    allocation_ids = sorted({entry.allocation_id, *([entry.target_id] if entry.target_id else [])})
    programme_id = Allocation.objects.filter(pk=entry.allocation_id).values("programme_id")
    list(Programme.objects.select_for_update().filter(pk__in=programme_id))
    lines: dict[tuple[type, int], Allocation | Commitment] = {}
    for allocation in (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("axis", "cti", "programme")
        .filter(pk__in=allocation_ids)
        .order_by("pk")
    ):
        lines[(Allocation, allocation.pk)] = allocation
    if entry.commitment_id:
        commitment = Commitment.objects.select_for_update().get(pk=entry.commitment_id)
        lines[(Commitment, commitment.pk)] = commitment
    return lines


def _check_ceilings(effects: list[Effect]) -> None:
    for effect in effects:
        line = effect.line
        if isinstance(line, Commitment):
            if line.disbursed > line.amount:
                raise _over(
                    _(
                        "Payments on commitment %(line)s would reach %(total)s, %(excess)s above "
                        "the amount committed (%(ceiling)s)."
                    )
                    % _figures(line, line.disbursed, line.amount)
                )
            continue
        if line.committed > line.allocated and effect.delta < 0 and effect.total == "allocated":
            # Money leaving a line (a reallocation, a reversed allocation): said from its side.
            raise _over(
                _(
                    "Allocation %(line)s has only %(headroom)s of headroom: %(asked)s cannot "
                    "leave it (%(excess)s short)."
                )
                % {
                    "line": str(line),
                    "headroom": format_mad(line.allocated - effect.delta - line.committed),
                    "asked": format_mad(-effect.delta),
                    "excess": format_mad(line.committed - line.allocated),
                }
            )
        if line.committed > line.allocated:
            raise _over(
                _(
                    "Commitments on allocation %(line)s would reach %(total)s, %(excess)s above "
                    "the allocation (%(ceiling)s)."
                )
                % _figures(line, line.committed, line.allocated)
            )
    grown = {e.line.axis_id for e in effects if e.total == "allocated" and e.delta > 0}
    touched = [e.line for e in effects if isinstance(e.line, Allocation)]
    for axis_id in grown:
        _check_axis(axis_id, touched)


def _check_axis(axis_id: int, touched: list[Allocation]) -> None:
    """Σ allocations on the axis ≤ its envelope (Σ axes ≤ plan is the plan services' rule). The
    lines this entry moves count with their new totals, the others as stored."""
    mine = {line.pk: line for line in touched if line.axis_id == axis_id}
    others = (
        Allocation.objects.filter(axis=axis_id)
        .exclude(pk__in=mine)
        .aggregate(s=Sum("allocated"))["s"]
    ) or Decimal(0)
    total = others + sum(line.allocated for line in mine.values())
    axis = next(iter(mine.values())).axis
    if total > axis.envelope:
        raise _over(
            _(
                "Allocations on axis %(axis)s would reach %(total)s, %(excess)s above its "
                "envelope (%(ceiling)s)."
            )
            % {
                "axis": axis.number,
                "total": format_mad(total),
                "excess": format_mad(total - axis.envelope),
                "ceiling": format_mad(axis.envelope),
            }
        )


def _figures(line, total: Decimal, ceiling: Decimal) -> dict[str, str]:
    return {
        "line": str(line),
        "total": format_mad(total),
        "excess": format_mad(total - ceiling),
        "ceiling": format_mad(ceiling),
    }


def _post(entry: Entry, *, actor: User) -> Entry:
    """Lock, apply the entry's effects, check every ceiling, then save entry and lines."""
    lines = _lock(entry)
    effects = _effects(entry, lines)
    for effect in effects:
        setattr(effect.line, effect.total, getattr(effect.line, effect.total) + effect.delta)
    _check_ceilings(effects)
    entry.recorded_by = actor
    persist(entry, actor=actor, reason=entry.note)
    for line in {id(e.line): e.line for e in effects}.values():
        save_audited(line, actor=actor, reason=entry.reference)
    # Hand back the entry with its lines as they now stand, not as the caller last read them.
    entry.allocation = lines[(Allocation, entry.allocation_id)]
    if entry.commitment_id:
        entry.commitment = lines[(Commitment, entry.commitment_id)]
    return entry


REVERSAL_SUFFIX = "-ANN"


def _check_reference(reference: str) -> str:
    reference = (reference or "").strip()
    if reference.upper().endswith(REVERSAL_SUFFIX):
        raise refusal(
            _("References ending in %(suffix)s are kept for reversals.")
            % {"suffix": REVERSAL_SUFFIX},
            "reference",
            ErrorCode.INVALID,
        )
    if not reference:
        raise refusal(_("Give a reference."), "reference", ErrorCode.INVALID)
    if Entry.objects.filter(reference=reference).exists():
        raise refusal(
            _("An entry with this reference already exists."), "reference", ErrorCode.INVALID
        )
    return reference


# --- the entries -----------------------------------------------------------------------------


def _entry(
    actor: User, *, kind: str, amount: Decimal, reference: str, date_field: str, **fields
) -> Entry:
    """Check what every entry needs (a ministry writer, a positive amount, a new reference, a
    date that has come: the overview "as of" a day must only count what was known that day)."""
    access.ensure_can_create(actor, Entry)
    _positive(amount)
    _not_future(fields["entry_date"], date_field)
    return Entry(kind=kind, amount=amount, reference=_check_reference(reference), **fields)


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise refusal(_("An entry cannot be dated in the future."), field, ErrorCode.INVALID)


def _allocation_line(
    *, actor: User, programme: Programme, axis: StrategicAxis, cti: Organisation, year: int
) -> Allocation:
    """The allocation line (plan × axis × CTI × year), opened the first time money is put on it."""
    errors = {}
    if axis.programme_id != programme.pk:
        errors["axis"] = [_("This axis belongs to another plan.")]
    if cti.kind != OrganisationKind.CTI:
        errors["cti"] = [_("Money is allocated to CTIs only.")]
    if not programme.start_year <= year <= programme.end_year:
        errors["year"] = [
            _("The year must fall within the plan (%(start)s-%(end)s).")
            % {"start": programme.start_year, "end": programme.end_year}
        ]
    if errors:
        raise ServiceError(ErrorCode.INVALID, field_errors=errors)
    line = Allocation.objects.filter(axis=axis, cti=cti, year=year).first()
    if line is None:
        line = Allocation(programme=programme, axis=axis, cti=cti, year=year)
        save_audited(line, actor=actor)
    return line


@transaction.atomic
def allocation_record(
    *,
    actor: User,
    programme: Programme,
    axis: StrategicAxis,
    cti: Organisation,
    year: int,
    amount: Decimal,
    entry_date: datetime.date,
    reference: str,
    note: str = "",
    decision: Decision | None = None,
) -> Entry:
    """Put money of the plan on a CTI's axis for a year, citing the committee decision that
    approved it (the decision's page then lists it)."""
    entry = _entry(actor, kind=EntryKind.ALLOCATION, amount=amount, reference=reference,
                   date_field="entry_date", entry_date=entry_date, note=note,
                   decision=decision)  # fmt: skip
    if decision is not None and (problem := _decision_problem(decision, entry)):
        raise refusal(problem, "decision", ErrorCode.INVALID)
    # Lock the plan before opening the line, so two first allocations cannot both create it.
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    entry.allocation = _allocation_line(
        actor=actor, programme=programme, axis=axis, cti=cti, year=year
    )
    return _post(entry, actor=actor)


@transaction.atomic
def commitment_record(
    *,
    actor: User,
    allocation: Allocation,
    amount: Decimal,
    reference: str,
    committed_on: datetime.date,
    agreement: Agreement | None = None,
    project: Project | None = None,
    description: str = "",
) -> Commitment:
    """Commit money on an allocation for an agreement or a project. A project's FACET
    commitments never exceed its FACET budget: the project row is locked with the ledger's
    (after the plan, in the fixed order), so concurrent commitments queue on it."""
    entry = _entry(actor, kind=EntryKind.COMMITMENT, amount=amount, reference=reference,
                   date_field="committed_on", allocation=allocation, entry_date=committed_on,
                   note=description)  # fmt: skip
    if agreement is not None and not (
        agreement.programme_id == allocation.programme_id
        and agreement.parties.filter(organisation=allocation.cti_id).exists()
    ):
        raise refusal(
            _("Choose an agreement of this plan to which the allocation's CTI is a party."),
            "agreement",
            ErrorCode.INVALID,
        )
    funded_since = Entry.objects.filter(
        Q(allocation=allocation, kind=EntryKind.ALLOCATION) | Q(target=allocation)
    ).aggregate(first=Min("entry_date"))["first"]
    if funded_since is None or committed_on < funded_since:
        raise refusal(
            _("No money was on this allocation yet on that date."),
            "committed_on",
            ErrorCode.INVALID,
        )
    if agreement is None and project is None:
        raise refusal(
            _("Name the agreement or the project the money is for."), "agreement", ErrorCode.INVALID
        )
    if project is not None:
        _check_project_budget(allocation, project, amount)
    entry.commitment = persist(
        Commitment(
            allocation=allocation,
            reference=entry.reference,
            agreement=agreement,
            project=project,
            description=description,
            committed_on=committed_on,
        ),
        actor=actor,
    )
    return _post(entry, actor=actor).commitment


def _check_project_budget(allocation: Allocation, project: Project, amount: Decimal) -> None:
    """The allocation's CTI takes part in the project, and the project's FACET budget holds the
    commitment (checked on the locked project row)."""
    list(Programme.objects.select_for_update().filter(pk=allocation.programme_id))
    locked = Project.objects.select_for_update().get(pk=project.pk)
    takes_part = (
        locked.lead_id == allocation.cti_id
        or locked.participants.filter(organisation=allocation.cti_id).exists()
    )
    if not takes_part:
        raise refusal(_("The allocation's CTI takes no part in this project."), "project",
                      ErrorCode.INVALID)  # fmt: skip
    if locked.status in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED):
        raise refusal(_("The project is closed: no more money is committed to it."), "project")
    budget = locked.budget.filter(source=BudgetSource.FACET).values_list("amount", flat=True)
    ceiling = budget.first() or Decimal(0)
    committed = Commitment.objects.filter(project=locked).aggregate(total=Sum("amount"))["total"]
    if (committed or 0) + amount > ceiling:
        raise refusal(
            _("The project's FACET budget is %(budget)s, of which %(committed)s is committed: "
              "%(amount)s more would exceed it.")
            % {"budget": format_mad(ceiling), "committed": format_mad(committed or 0),
               "amount": format_mad(amount)},
            "amount", ErrorCode.OVER_CEILING,
        )  # fmt: skip


@transaction.atomic
def disbursement_record(
    *,
    actor: User,
    commitment: Commitment,
    amount: Decimal,
    paid_on: datetime.date,
    payment_reference: str,
    note: str = "",
    tranche_computation: TrancheComputation | None = None,
) -> Entry:
    """Pay (part of) a commitment (a performance-linked tranche's payment cites its computation:
    `tranche_pay`)."""
    entry = _entry(actor, kind=EntryKind.DISBURSEMENT, amount=amount, reference=payment_reference,
                   date_field="paid_on", allocation_id=commitment.allocation_id,
                   commitment=commitment, entry_date=paid_on, note=note,
                   tranche_computation=tranche_computation)  # fmt: skip
    if paid_on < commitment.committed_on:
        raise refusal(_("A payment cannot precede its commitment."), "paid_on", ErrorCode.INVALID)
    return _post(entry, actor=actor)


# The kind of decision that may authorise each kind of entry it is cited by.
AUTHORISING_KINDS = {
    EntryKind.ALLOCATION: DecisionKind.ALLOCATION,
    EntryKind.REALLOCATION: DecisionKind.REALLOCATION,
}


def _decision_problem(decision: Decision, entry: Entry) -> str:
    """Why `decision` cannot back `entry` ("" if it can): its kind, and its date."""
    if decision.kind != AUTHORISING_KINDS[entry.kind]:
        if entry.kind == EntryKind.ALLOCATION:
            return _("This decision does not authorise an allocation.")
        return _("This decision does not authorise a reallocation.")
    if decision.decided_on > entry.entry_date:
        return _("The decision was taken after this date.")
    return ""


@transaction.atomic
def reallocation_record(
    *,
    actor: User,
    source: Allocation,
    target: Allocation,
    amount: Decimal,
    decision: Decision,
    entry_date: datetime.date,
    reference: str,
    note: str = "",
) -> Entry:
    """Move headroom from one allocation to another of the same plan, as a committee decided."""
    entry = _entry(actor, kind=EntryKind.REALLOCATION, amount=amount, reference=reference,
                   date_field="entry_date", allocation=source, target=target, decision=decision,
                   entry_date=entry_date, note=note)  # fmt: skip
    errors = {}
    if source.pk == target.pk:
        errors["target"] = [_("Choose another allocation to receive the money.")]
    elif source.programme_id != target.programme_id:
        errors["target"] = [_("Money moves only between allocations of the same plan.")]
    if decision is None:
        errors["decision"] = [_("A reallocation must cite the committee decision behind it.")]
    elif problem := _decision_problem(decision, entry):
        errors["decision"] = [problem]
    if errors:
        raise ServiceError(ErrorCode.INVALID, field_errors=errors)
    return _post(entry, actor=actor)


@transaction.atomic
def entry_reverse(
    *, actor: User, entry: Entry, reason: str, entry_date: datetime.date | None = None
) -> Entry:
    """Undo an entry with an entry of the opposite amount that points at it."""
    access.ensure_can_create(actor, Entry)
    entry = access.get_visible(Entry, actor, entry.pk)
    if not (reason or "").strip():
        raise refusal(_("Say why the entry is reversed."), "reason", ErrorCode.INVALID)
    if entry.reverses_id:
        raise refusal(
            _("A reversal cannot be reversed: record the entry again."), "reason", ErrorCode.INVALID
        )
    if Entry.objects.filter(reverses=entry).exists():
        raise refusal(_("This entry has already been reversed."), "reason", ErrorCode.INVALID)
    entry_date = entry_date or timezone.localdate()
    _not_future(entry_date, "entry_date")
    if entry_date < entry.entry_date:
        raise refusal(
            _("A reversal cannot precede the entry it undoes."), "entry_date", ErrorCode.INVALID
        )
    if entry.kind == EntryKind.COMMITMENT and entry.commitment.disbursed > 0:
        raise ServiceError(
            ErrorCode.CONFLICT,
            _("Payments were made on this commitment: reverse them first (%(paid)s).")
            % {"paid": format_mad(entry.commitment.disbursed)},
        )
    reversal = Entry(
        kind=entry.kind,
        allocation_id=entry.allocation_id,
        target_id=entry.target_id,
        commitment_id=entry.commitment_id,
        decision_id=entry.decision_id,
        amount=-entry.amount,
        entry_date=entry_date,
        reference=_reversal_reference(entry),
        reverses=entry,
        note=reason.strip(),
    )
    return _post(reversal, actor=actor)


def _reversal_reference(entry: Entry) -> str:
    """The original's reference and the reversal suffix (users may not end theirs with it)."""
    room = Entry._meta.get_field("reference").max_length - len(REVERSAL_SUFFIX)
    return f"{entry.reference[:room]}{REVERSAL_SUFFIX}"


# --- performance-linked tranches -----------------------------------------------------------------


@transaction.atomic
def tranche_define(
    *,
    actor: User,
    agreement: Agreement,
    year: int,
    amount: Decimal,
    floor: Decimal,
    cap: Decimal,
    weights: dict[Any, Decimal],
    note: str = "",
) -> PerformanceTranche:
    """Record the rule of a contrat-objectifs' tranche for a year: the indicators it weighs (of
    that contract, each with a positive weight), its floor and cap, and its amount (within the
    contract's ceiling). A rule once computed is not changed: define the next year's instead."""
    access.ensure_can_create(actor, PerformanceTranche)
    errors: dict[str, list[str]] = {}
    if agreement.kind != AgreementKind.CONTRAT_OBJECTIFS:
        errors["agreement"] = [_("A performance-linked tranche belongs to a contrat-objectifs.")]
    programme = agreement.programme
    if not programme.start_year <= year <= programme.end_year:
        errors["year"] = [
            _("The year must fall within the plan (%(start)s-%(end)s).")
            % {"start": programme.start_year, "end": programme.end_year}
        ]
    if agreement.ceiling is not None and amount > agreement.ceiling:
        errors["amount"] = [
            _("The tranche cannot exceed the contract's ceiling (%(ceiling)s).")
            % {"ceiling": format_mad(agreement.ceiling)}
        ]
    chosen = {indicator: weight for indicator, weight in weights.items() if weight}
    if not chosen:
        errors["weights"] = [_("Weigh at least one indicator of the contract.")]
    elif any(w < 0 for w in chosen.values()):
        errors["weights"] = [_("A weight cannot be negative.")]
    elif any(i.objective.agreement_id != agreement.pk for i in chosen):
        errors["weights"] = [_("Only the contract's own indicators can be weighed.")]
    if errors:
        raise ServiceError(ErrorCode.INVALID, _("The tranche cannot be recorded."), errors)
    tranche = PerformanceTranche(agreement=agreement, year=year, amount=amount, floor=floor,
                                 cap=cap, note=note)  # fmt: skip
    if PerformanceTranche.objects.filter(agreement=agreement, year=year).exists():
        raise refusal(_("This contract already has a tranche for this year."), "year")
    save_audited(tranche, actor=actor, reason=note)
    for indicator, weight in chosen.items():
        save_audited(TrancheWeight(tranche=tranche, indicator=indicator, weight=weight),
                     actor=actor, reason=note)  # fmt: skip
    access.ensure_editable(actor, tranche)
    return tranche


def tranche_results(tranche: PerformanceTranche, user: Any) -> list[tranches.Result]:
    """Each weighted indicator's validated result for the tranche's year, and whether a value of
    that year still awaits validation (three queries, through the results' own scorecard)."""
    weights = {w.indicator_id: w.weight for w in tranche.weights.all()}
    cti = contract_cti(tranche.agreement)
    pending = set(
        Measurement.objects.filter(
            indicator__in=weights, organisation=cti, period__year=tranche.year,
            status=MeasurementStatus.SUBMITTED,
        ).values_list("indicator_id", flat=True)
    )  # fmt: skip
    results = []
    for row in scorecard(tranche.agreement, tranche.year, user):
        if row.indicator.pk in weights:
            target = row.target.value if row.target else None
            results.append(
                tranches.Result(
                    row.indicator.code, weights[row.indicator.pk], target, row.actual.value,
                    row.achievement, row.indicator.pk in pending,
                )
            )  # fmt: skip
    return results


def tranche_figures(tranche: PerformanceTranche, user: Any) -> tranches.Computation:
    """The tranche as the validated values stand now (not recorded)."""
    return tranches.compute(
        tranche_results(tranche, user), floor=tranche.floor, cap=tranche.cap,
        amount=tranche.amount, ceiling=tranche.agreement.ceiling,
    )  # fmt: skip


SCORE_PLACES = Decimal("0.000001")  # the score as kept (the lines keep every decimal)


@transaction.atomic
def tranche_compute(
    *, actor: User, tranche: PerformanceTranche, accept_pending: bool = False
) -> TrancheComputation:
    """Compute the score and the proposed tranche from the validated values and keep the
    computation line by line. Values still awaiting validation stop it, unless the officer says
    to go on without them; the computation then records that choice."""
    access.ensure_can_create(actor, TrancheComputation)
    results = tranche_results(tranche, actor)
    pending = [r.code for r in results if r.pending]
    if pending and not accept_pending:
        raise refusal(
            _("Values for %(year)s still await validation (%(codes)s): validate them first, or "
              "compute without them explicitly.")
            % {"year": tranche.year, "codes": ", ".join(pending)},
            "accept_pending",
        )  # fmt: skip
    figures = tranches.compute(results, floor=tranche.floor, cap=tranche.cap,
                               amount=tranche.amount, ceiling=tranche.agreement.ceiling)  # fmt: skip
    computation = TrancheComputation(
        tranche=tranche, lines=[line.as_json() for line in figures.lines],
        score=figures.score.quantize(SCORE_PLACES),
        proposed=figures.proposed, pending_accepted=bool(pending), computed_by=actor,
    )  # fmt: skip
    reason = (
        _("computed without the values awaiting validation: %(codes)s")
        % {"codes": ", ".join(pending)}
        if pending
        else ""
    )
    return persist(computation, actor=actor, reason=reason)


@transaction.atomic
def tranche_pay(
    *,
    actor: User,
    computation: TrancheComputation,
    commitment: Commitment,
    amount: Decimal,
    paid_on: datetime.date,
    payment_reference: str,
) -> Entry:
    """Record the tranche's payment in the ledger, citing its computation: a disbursement on a
    commitment of the contract's CTI, within what the computation proposed (less what the tranche
    already paid), and within every ceiling of the ledger (`disbursement_record` checks them)."""
    locked = TrancheComputation.objects.select_for_update().get(pk=computation.pk)
    tranche = locked.tranche
    if commitment.allocation.cti_id != getattr(contract_cti(tranche.agreement), "pk", None):
        raise refusal(_("This commitment is not the contract's CTI's."), "commitment")
    already = tranche_paid(tranche)
    if already + amount > locked.proposed:
        raise refusal(
            _("The tranche would be paid %(total)s, more than the %(proposed)s this computation "
              "proposes.")
            % {"total": format_mad(already + amount), "proposed": format_mad(locked.proposed)},
            "amount", ErrorCode.OVER_CEILING,
        )  # fmt: skip
    note = _("Performance-linked tranche %(tranche)s, computation of %(at)s") % {
        "tranche": tranche,
        "at": timezone.localtime(locked.computed_at).strftime("%d/%m/%Y %H:%M"),
    }
    return disbursement_record(
        actor=actor, commitment=commitment, amount=amount, paid_on=paid_on,
        payment_reference=payment_reference, note=note, tranche_computation=locked,
    )  # fmt: skip
