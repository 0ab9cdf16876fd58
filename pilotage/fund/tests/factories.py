import datetime
from decimal import Decimal

from pilotage.core.models import User
from pilotage.core.testing import owned_object_factory
from pilotage.fund import services
from pilotage.fund.models import (
    Allocation,
    Commitment,
    Entry,
    PerformanceTranche,
    TrancheComputation,
    TrancheWeight,
)
from pilotage.governance.models import Committee, Decision, DecisionKind
from pilotage.programmes.models import StrategicAxis
from pilotage.programmes.tests.factories import AxisFactory, ProgrammeFactory

DAY = datetime.date(2024, 3, 1)


def ledger_axis(envelope: str = "1000000", number: int = 1) -> StrategicAxis:
    """An axis of a 2022-2025 plan with this envelope (the plan has room for it)."""
    programme = ProgrammeFactory(code="PLAN-FUND")
    axis = StrategicAxis.objects.filter(programme=programme, number=number).first()
    return axis or AxisFactory(programme=programme, number=number, envelope=Decimal(envelope))


def ledger_clerk() -> User:
    """A ministry officer who records entries (outside the fixed cast, for service-only tests)."""
    from pilotage.core.models import Organisation

    ministry, _ = Organisation.objects.get_or_create(
        acronym="MIC-F", defaults={"name": "Ministère", "kind": "ministry"}
    )
    user, created = User.objects.get_or_create(email="clerk@ministere.example")
    if created:
        user.memberships.create(organisation=ministry, role="ministry_officer")
    return user


def reallocation_decision(number: str = "FACET-2024-07") -> Decision:
    committee, _ = Committee.objects.get_or_create(code="FACET", defaults={"name": "Comité"})
    year, sequence = int(number.split("-")[1]), int(number.split("-")[2])
    decision, _ = Decision.objects.get_or_create(
        number=number,
        defaults={
            "committee": committee,
            "year": year,
            "sequence": sequence,
            "decided_on": datetime.date(year, 1, 15),
            "kind": DecisionKind.REALLOCATION,
            "title": "Réallocation",
            "text": "Le comité autorise la réallocation.",
        },
    )
    return decision


_counter = iter(range(1, 10**9))


def ref(prefix: str = "E") -> str:
    return f"{prefix}-{next(_counter)}"


def allocate(cti, amount="500000", axis=None, year=2024, actor=None) -> Allocation:
    axis = axis or ledger_axis()
    entry = services.allocation_record(
        actor=actor or ledger_clerk(), programme=axis.programme, axis=axis, cti=cti, year=year,
        amount=Decimal(amount), entry_date=DAY, reference=ref("AL"),
    )  # fmt: skip
    return entry.allocation


def facet_project(cti, budget="100000000000"):
    """A project of the CTI whose FACET budget is large enough for any commitment of a test
    (the ledger's own ceilings are what those tests are about)."""
    from pilotage.projects.models import BudgetLine
    from pilotage.projects.tests.factories import ProjectFactory

    project = ProjectFactory(lead=cti)
    BudgetLine.objects.create(project=project, source="facet", amount=Decimal(budget))
    return project


def commit(allocation, amount="100000", actor=None, project=None) -> Commitment:
    return services.commitment_record(
        actor=actor or ledger_clerk(), allocation=allocation, amount=Decimal(amount),
        reference=ref("ENG"), committed_on=DAY,
        project=project or facet_project(allocation.cti),
    )  # fmt: skip


def pay(commitment, amount="10000", actor=None) -> Entry:
    return services.disbursement_record(
        actor=actor or ledger_clerk(), commitment=commitment, amount=Decimal(amount),
        paid_on=DAY, payment_reference=ref("OP"),
    )  # fmt: skip


@owned_object_factory(Allocation)
def _owned_allocation(cti):
    return allocate(cti)


@owned_object_factory(Commitment)
def _owned_commitment(cti):
    return commit(allocate(cti))


@owned_object_factory(Entry)
def _owned_entry(cti):
    return pay(commit(allocate(cti)))


def performance_tranche(cti, amount="100000") -> PerformanceTranche:
    """A tranche of a contract of `cti` weighing one indicator of it (2024's results)."""
    from pilotage.results.tests.factories import contract_indicator

    indicator = contract_indicator(cti)
    return services.tranche_define(
        actor=ledger_clerk(), agreement=indicator.objective.agreement, year=2024,
        amount=Decimal(amount), floor=Decimal("0.5"), cap=Decimal(1),
        weights={indicator: Decimal(1)},
    )  # fmt: skip


@owned_object_factory(PerformanceTranche)
def _owned_tranche(cti):
    return performance_tranche(cti)


@owned_object_factory(TrancheWeight)
def _owned_weight(cti):
    return performance_tranche(cti).weights.get()


@owned_object_factory(TrancheComputation)
def _owned_computation(cti):
    return services.tranche_compute(actor=ledger_clerk(), tranche=performance_tranche(cti))
