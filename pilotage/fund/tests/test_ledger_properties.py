"""Random sequences of entries keep every invariant, and the overview equals the journal's sums."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from pilotage.core.errors import ServiceError
from pilotage.fund import services
from pilotage.fund.models import Allocation, Commitment, Entry, EntryKind
from pilotage.fund.selectors import budget_overview, line_figures
from pilotage.fund.tests.factories import DAY, ledger_axis, reallocation_decision

amounts = st.integers(min_value=1, max_value=400).map(lambda n: Decimal(n) * 1000)


class Ledger(RuleBasedStateMachine):
    """Drives the services as a user would; refusals are fine, broken invariants are not."""

    cast = None
    lines = Bundle("lines")
    commitments = Bundle("commitments")
    entries = Bundle("entries")

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.officer = self.cast.officer
        self.axes = [ledger_axis("1000000", 1), ledger_axis("600000", 2)]
        self.decision = reallocation_decision()
        self.n = 0
        self.projects: dict = {}

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _project(self, line):
        """One FACET project per CTI, its budget out of the way (the allocation's ceilings are
        what the machine explores)."""
        from pilotage.fund.tests.factories import facet_project

        if line.cti_id not in self.projects:
            self.projects[line.cti_id] = facet_project(line.cti)
        return self.projects[line.cti_id]

    def _ref(self) -> str:
        self.n += 1
        return f"R-{self.n}"

    def _attempt(self, call):
        before = Entry.objects.count()
        try:
            return call()
        except ServiceError:
            assert Entry.objects.count() == before  # a refusal saves nothing
            return None

    @rule(target=lines, axis=st.integers(0, 1), cti=st.sampled_from(["cti_a", "cti_b"]),
          year=st.integers(2022, 2025), amount=amounts)  # fmt: skip
    def allocate(self, axis, cti, year, amount):
        axis = self.axes[axis]
        entry = self._attempt(lambda: services.allocation_record(
            actor=self.officer, programme=axis.programme, axis=axis, cti=getattr(self.cast, cti),
            year=year, amount=amount, entry_date=DAY, reference=self._ref(),
        ))  # fmt: skip
        return entry.allocation if entry else Allocation.objects.first()

    @rule(target=commitments, line=lines, amount=amounts)
    def commit(self, line, amount):
        if line is None:
            return None
        return self._attempt(lambda: services.commitment_record(
            actor=self.officer, allocation=line, amount=amount, reference=self._ref(),
            committed_on=DAY, project=self._project(line),
        ))  # fmt: skip

    @rule(target=entries, commitment=commitments, amount=amounts)
    def pay(self, commitment, amount):
        if commitment is None:
            return None
        return self._attempt(lambda: services.disbursement_record(
            actor=self.officer, commitment=commitment, amount=amount, paid_on=DAY,
            payment_reference=self._ref(),
        ))  # fmt: skip

    @rule(target=entries, source=lines, target_line=lines, amount=amounts)
    def reallocate(self, source, target_line, amount):
        if source is None or target_line is None:
            return None
        return self._attempt(lambda: services.reallocation_record(
            actor=self.officer, source=source, target=target_line, amount=amount,
            decision=self.decision, entry_date=DAY, reference=self._ref(),
        ))  # fmt: skip

    @rule(entry=consumes(entries))
    def reverse(self, entry):
        if entry is not None:
            self._attempt(
                lambda: services.entry_reverse(actor=self.officer, entry=entry, reason="Erreur")
            )

    @rule(commitment=consumes(commitments))
    def reverse_commitment(self, commitment):
        if commitment is not None:
            original = commitment.entries.get(kind=EntryKind.COMMITMENT, reverses=None)
            self._attempt(
                lambda: services.entry_reverse(actor=self.officer, entry=original, reason="Erreur")
            )

    @invariant()
    def ceilings_hold_and_totals_match_the_journal(self):
        programme = self.axes[0].programme
        figures = line_figures(programme, datetime.date(2100, 1, 1))
        for line in Allocation.objects.all():
            journal = figures[line.pk]
            assert (line.allocated, line.committed, line.disbursed) == (
                journal.allocated, journal.committed, journal.disbursed
            )  # fmt: skip
            assert 0 <= line.disbursed <= line.committed <= line.allocated
        for commitment in Commitment.objects.all():
            assert 0 <= commitment.disbursed <= commitment.amount
        for axis in self.axes:
            allocated = axis.allocations.aggregate(s=Sum("allocated"))["s"] or 0
            assert allocated <= axis.envelope
        root = budget_overview(self.officer, programme, datetime.date(2100, 1, 1))
        by_kind = {
            row["kind"]: row["s"]
            for row in Entry.objects.values("kind").annotate(s=Sum("amount")).order_by()
        }
        assert root.figures.committed == by_kind.get(EntryKind.COMMITMENT, 0)
        assert root.figures.disbursed == by_kind.get(EntryKind.DISBURSEMENT, 0)
        assert root.figures.allocated == by_kind.get(EntryKind.ALLOCATION, 0)
        assert root.figures.allocated <= programme.envelope


def test_random_ledger_histories_keep_every_invariant(cast):
    Ledger.cast = cast
    run_state_machine_as_test(
        Ledger,
        settings=settings(
            max_examples=30, stateful_step_count=20, deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )  # fmt: skip
