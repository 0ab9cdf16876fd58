"""Demo ledger of the FACET fund for the 2022-2025 plan. Every figure is invented (and the notes
say so): the split of the axes' envelopes across CTIs and years, commitments against each CTI's
contrat-objectifs, payments through 2025, and two reallocations backed by committee decisions.

Entries go through the ledger services, so the demo obeys every ceiling. Each is recorded on its
own date (the clock is moved there), as a ledger kept day by day would be: a report as of a date
reads what was recorded by then. Idempotent: the entries carry DEMO- references, and a journal that
already has them is left alone.
"""

import datetime
import random
from decimal import Decimal
from typing import Any

from freezegun import freeze_time

from pilotage.core.models import Organisation, User
from pilotage.fund import services
from pilotage.fund.models import Allocation, Entry
from pilotage.governance.models import Decision, DecisionKind
from pilotage.programmes.demo import CTIS
from pilotage.programmes.models import Agreement, Programme

INVENTED = "Montant inventé pour la démonstration."
SEED = 2022
# Each CTI draws on three of the five axes (the demo's invented split), 80 % of each axis envelope.
SHARE_OF_AXIS = Decimal("0.80")


def _axes_of(index: int) -> list[int]:
    return sorted({1 + index % 5, 1 + (index + 2) % 5, 1 + (index + 3) % 5})


def load(actor: User) -> None:
    plan = Programme.objects.filter(code="PDCTI-2022-2025").first()
    if plan is None or Entry.objects.filter(reference__startswith="DEMO-").exists():
        return
    rng = random.Random(SEED)
    ctis = {o.acronym: o for o in Organisation.objects.filter(acronym__in=CTIS)}
    axes = {axis.number: axis for axis in plan.axes.all()}
    years = range(plan.start_year, plan.end_year + 1)
    takers = {n: [c for i, c in enumerate(CTIS) if n in _axes_of(i)] for n in axes}
    with freeze_time(_noon(datetime.date(plan.start_year, 1, 1))) as clock:
        _record(actor, rng, clock, plan, ctis, axes, takers, years)
    _performance_tranche(actor)


def _noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _record(actor, rng, clock: Any, plan, ctis, axes, takers, years) -> None:
    for number, axis in axes.items():
        per_line = (axis.envelope * SHARE_OF_AXIS / len(takers[number]) / len(years)).quantize(
            Decimal(1000)
        )
        for acronym in takers[number]:
            for year in years:
                clock.move_to(_noon(datetime.date(year, 1, 15)))
                entry = services.allocation_record(
                    actor=actor, programme=plan, axis=axis, cti=ctis[acronym], year=year,
                    amount=per_line, entry_date=datetime.date(year, 1, 15),
                    reference=f"DEMO-AL-{year}-{acronym}-{number}", note=INVENTED,
                )  # fmt: skip
                _spend(actor, rng, clock, entry.allocation, acronym)
    _reallocate(actor, clock, plan)


def _spend(actor: User, rng: random.Random, clock: Any, line: Allocation, acronym: str) -> None:
    """Commit most of a line against the CTI's contract, then pay it at a pace that slows for the
    recent years (2025 is still being paid)."""
    contract = Agreement.objects.filter(reference=f"CO-2023-{acronym}").first()
    committed = (line.allocated * Decimal(rng.randint(55, 90)) / 100).quantize(Decimal(1000))
    committed_on = datetime.date(line.year, rng.randint(2, 6), rng.randint(1, 28))
    clock.move_to(_noon(committed_on))
    commitment = services.commitment_record(
        actor=actor, allocation=line, amount=committed,
        reference=f"DEMO-ENG-{line.year}-{acronym}-{line.axis.number}",
        committed_on=committed_on,
        agreement=contract, project=None if contract else _development_project(actor, line, committed),
        description=INVENTED,
    )  # fmt: skip
    paid_share = {2022: 100, 2023: 95, 2024: 75, 2025: 35}.get(line.year, 0)
    to_pay = (committed * Decimal(rng.randint(paid_share - 5, paid_share)) / 100).quantize(
        Decimal(100)
    )
    for instalment, share in enumerate((Decimal("0.6"), Decimal("0.4")), start=1):
        amount = (to_pay * share).quantize(Decimal(100))
        paid_on = commitment.committed_on + datetime.timedelta(days=90 * instalment)
        if amount > 0 and paid_on <= datetime.date(2025, 12, 31):
            clock.move_to(_noon(paid_on))
            services.disbursement_record(
                actor=actor, commitment=commitment, amount=amount, paid_on=paid_on,
                payment_reference=f"DEMO-OP-{line.year}-{acronym}-{line.axis.number}-{instalment}",
                note=INVENTED,
            )  # fmt: skip


def _development_project(actor: User, line: Allocation, amount: Decimal):
    """A CTI without a contract commits its line for a development project of its own (whose
    FACET budget is the amount)."""
    from pilotage.projects.services import budget_set, project_create

    project = project_create(
        actor=actor, code=f"DEMO-DEV-{line.cti.acronym}-{line.year}-{line.axis.number}",
        title="Projet de développement (démo)", kind="general_interest", lead=line.cti,
        starts_on=datetime.date(line.year, 1, 1), ends_on=datetime.date(line.year + 1, 12, 31),
        description=INVENTED,
    )  # fmt: skip
    budget_set(actor=actor, project=project, source="facet", amount=amount)
    return project


def _reallocate(actor: User, clock: Any, plan: Programme) -> None:
    """Two reallocations, each citing a reallocation decision of the committee (if the
    governance demo recorded them)."""
    decisions = list(
        Decision.objects.filter(kind=DecisionKind.REALLOCATION).order_by("decided_on")[:2]
    )
    moves = [("CTTH", "CETIEV", 2023, Decimal("200000")), ("CMTC", "CTPC", 2024, Decimal("150000"))]
    for decision, (giver, taker, year, amount) in zip(decisions, moves, strict=False):
        source = Allocation.objects.filter(programme=plan, cti__acronym=giver, year=year).first()
        target = (
            Allocation.objects.filter(
                programme=plan, cti__acronym=taker, year=year, axis=source.axis if source else None
            ).first()
            or Allocation.objects.filter(programme=plan, cti__acronym=taker, year=year).first()
        )
        if source is None or target is None or source.headroom < amount:
            continue
        entry_date = max(decision.decided_on, datetime.date(year, 7, 1))
        clock.move_to(_noon(entry_date))
        services.reallocation_record(
            actor=actor, source=source, target=target, amount=amount, decision=decision,
            entry_date=entry_date,
            reference=f"DEMO-RE-{decision.number}", note=INVENTED,
        )  # fmt: skip


# The demo's performance-linked tranche (invented): CTPC's 2024 results weigh on a tranche of
# 1 MDH, companies served and revenue counting double; computed, not yet paid.
TRANCHE_WEIGHTS = {"ENT": Decimal(2), "CA": Decimal(2), "CERT": Decimal(1), "NORM": Decimal(1)}


def _performance_tranche(actor: User) -> None:
    from pilotage.results.models import Indicator

    contract = Agreement.objects.filter(reference="CO-2023-CTPC").first()
    if contract is None or contract.performance_tranches.exists():
        return
    officer = User.objects.filter(email="officer@ministere.example").first() or actor
    indicators = Indicator.objects.filter(objective__agreement=contract, code__in=TRANCHE_WEIGHTS)
    tranche = services.tranche_define(
        actor=officer, agreement=contract, year=2024, amount=Decimal(1_000_000),
        floor=Decimal("0.6"), cap=Decimal(1),
        weights={indicator: TRANCHE_WEIGHTS[indicator.code] for indicator in indicators},
        note=INVENTED,
    )  # fmt: skip
    services.tranche_compute(actor=officer, tranche=tranche, accept_pending=True)
