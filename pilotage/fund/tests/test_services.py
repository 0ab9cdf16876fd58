"""The ledger's rules, through its services: ceilings, reversals, reallocations, who may write."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from pilotage.core.errors import ErrorCode, ServiceError
from pilotage.fund import services
from pilotage.fund.models import Allocation, Commitment, Entry, EntryKind
from pilotage.fund.tests.factories import (
    DAY,
    allocate,
    commit,
    facet_project,
    ledger_axis,
    pay,
    reallocation_decision,
    ref,
)
from pilotage.governance.models import DecisionKind
from pilotage.programmes import services as programme_services


def said(error: ServiceError) -> str:
    return error.message.replace("\u00a0", " ")  # amounts are grouped with no-break spaces


def refused(call, code=ErrorCode.OVER_CEILING) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code, caught.value.as_dict()
    return caught.value


def test_an_allocation_opens_the_line_and_counts_towards_the_axis(cast):
    line = allocate(cast.cti_a, "400000", actor=cast.officer)
    allocate(cast.cti_a, "100000", axis=line.axis, actor=cast.officer)
    line.refresh_from_db()
    assert line.allocated == Decimal("500000")
    assert Allocation.objects.count() == 1
    assert Entry.objects.filter(kind=EntryKind.ALLOCATION).count() == 2


def test_allocations_beyond_the_axis_envelope_are_refused_with_the_excess(cast):
    axis = ledger_axis("1000000")
    allocate(cast.cti_a, "700000", axis=axis, actor=cast.officer)
    error = refused(lambda: allocate(cast.cti_b, "400000", axis=axis, actor=cast.officer))
    assert "100 000,00" in said(error) and "1 000 000,00" in said(error)
    assert not Allocation.objects.filter(cti=cast.cti_b, allocated__gt=0).exists()
    assert Entry.objects.count() == 1


def test_an_allocation_must_fit_the_plan_years_and_go_to_a_cti(cast):
    axis = ledger_axis()
    error = refused(lambda: allocate(cast.cti_a, year=2030, axis=axis), ErrorCode.INVALID)
    assert "year" in error.field_errors
    error = refused(lambda: allocate(cast.federation_a, axis=axis), ErrorCode.INVALID)
    assert "cti" in error.field_errors
    assert not Entry.objects.exists()


def test_commitments_beyond_the_allocation_are_refused_and_nothing_is_saved(cast):
    line = allocate(cast.cti_a, "500000")
    commit(line, "450000")
    error = refused(lambda: commit(line, "80000"))
    assert "30 000,00" in said(error)  # the excess
    assert "500 000,00" in said(error)  # the ceiling
    assert error.field_errors["amount"]
    line.refresh_from_db()
    assert line.committed == Decimal("450000")
    assert Commitment.objects.count() == 1
    assert Entry.objects.filter(kind=EntryKind.COMMITMENT).count() == 1


def test_payments_beyond_the_commitment_are_refused(cast):
    commitment = commit(allocate(cast.cti_a), "100000")
    pay(commitment, "60000")
    error = refused(lambda: pay(commitment, "40000.01"))
    assert "0,01" in said(error)
    commitment.refresh_from_db()
    assert commitment.disbursed == Decimal("60000")
    assert commitment.allocation.disbursed == Decimal("60000")


def test_a_payment_cannot_precede_its_commitment(cast):
    commitment = commit(allocate(cast.cti_a))
    error = refused(
        lambda: services.disbursement_record(
            actor=cast.officer, commitment=commitment, amount=Decimal(1),
            paid_on=DAY - datetime.timedelta(days=1), payment_reference=ref(),
        ),
        ErrorCode.INVALID,
    )  # fmt: skip
    assert "paid_on" in error.field_errors


@pytest.mark.parametrize("amount", [Decimal(0), Decimal("-5")])
def test_amounts_must_be_positive(cast, amount):
    error = refused(lambda: allocate(cast.cti_a, amount), ErrorCode.INVALID)
    assert "amount" in error.field_errors


def test_references_are_unique_across_the_journal(cast):
    line = allocate(cast.cti_a)
    reference = line.entries.get().reference
    error = refused(
        lambda: services.commitment_record(
            actor=cast.officer, allocation=line, amount=Decimal(1), reference=reference,
            committed_on=DAY, project=facet_project(cast.cti_a),
        ),
        ErrorCode.INVALID,
    )  # fmt: skip
    assert "reference" in error.field_errors


def test_a_commitment_names_its_agreement_or_project(cast):
    line = allocate(cast.cti_a)
    error = refused(
        lambda: services.commitment_record(
            actor=cast.officer, allocation=line, amount=Decimal(1), reference=ref(),
            committed_on=DAY,
        ),
        ErrorCode.INVALID,
    )  # fmt: skip
    assert "agreement" in error.field_errors
    assert not Commitment.objects.exists()


def test_a_reallocation_moves_headroom_as_a_decision_says(cast):
    axis = ledger_axis("1000000")
    source = allocate(cast.cti_a, "500000", axis=axis)
    target = allocate(cast.cti_b, "200000", axis=axis)
    commit(source, "350000")
    services.reallocation_record(
        actor=cast.officer, source=source, target=target, amount=Decimal("150000"),
        decision=reallocation_decision(), entry_date=DAY, reference=ref("RE"),
    )  # fmt: skip
    source.refresh_from_db()
    target.refresh_from_db()
    assert (source.allocated, source.headroom) == (Decimal("350000"), Decimal(0))
    assert target.allocated == Decimal("350000")


def test_a_reallocation_cannot_take_committed_money(cast):
    axis = ledger_axis("1000000")
    source = allocate(cast.cti_a, "500000", axis=axis)
    target = allocate(cast.cti_b, "200000", axis=axis)
    commit(source, "400000")
    error = refused(
        lambda: services.reallocation_record(
            actor=cast.officer, source=source, target=target, amount=Decimal("150000"),
            decision=reallocation_decision(), entry_date=DAY, reference=ref("RE"),
        )
    )  # fmt: skip
    assert "100 000,00" in said(error) and "50 000,00" in said(error)
    target.refresh_from_db()
    assert target.allocated == Decimal("200000")


def test_a_reallocation_to_another_axis_must_fit_its_envelope(cast):
    source = allocate(cast.cti_a, "500000", axis=ledger_axis("1000000", number=1))
    target = allocate(cast.cti_a, "300000", axis=ledger_axis("300000", number=2))
    error = refused(
        lambda: services.reallocation_record(
            actor=cast.officer, source=source, target=target, amount=Decimal("1"),
            decision=reallocation_decision(), entry_date=DAY, reference=ref("RE"),
        )
    )  # fmt: skip
    assert "0,01" not in said(error) and "1,00" in said(error)


def test_a_reallocation_cites_a_reallocation_decision(cast):
    axis = ledger_axis()
    source, target = allocate(cast.cti_a, axis=axis), allocate(cast.cti_b, axis=axis)
    decision = reallocation_decision()
    decision.kind = DecisionKind.PROJECT
    decision.save()
    error = refused(
        lambda: services.reallocation_record(
            actor=cast.officer, source=source, target=target, amount=Decimal("1"),
            decision=decision, entry_date=DAY, reference=ref("RE"),
        ),
        ErrorCode.INVALID,
    )  # fmt: skip
    assert "decision" in error.field_errors


def test_a_reversal_undoes_an_entry_and_points_at_it(cast):
    line = allocate(cast.cti_a, "500000")
    commitment = commit(line, "100000")
    original = commitment.entries.get()
    reversal = services.entry_reverse(actor=cast.officer, entry=original, reason="Doublon")
    assert (reversal.amount, reversal.reverses, reversal.kind) == (
        Decimal("-100000"), original, EntryKind.COMMITMENT
    )  # fmt: skip
    line.refresh_from_db()
    commitment.refresh_from_db()
    assert line.committed == 0 and commitment.amount == 0
    assert Entry.objects.count() == 3  # nothing was edited or deleted


def test_a_reversal_needs_a_reason_and_happens_once(cast):
    entry = allocate(cast.cti_a).entries.get()
    assert (
        "reason"
        in refused(
            lambda: services.entry_reverse(actor=cast.officer, entry=entry, reason=" "),
            ErrorCode.INVALID,
        ).field_errors
    )
    reversal = services.entry_reverse(actor=cast.officer, entry=entry, reason="Erreur de saisie")
    refused(lambda: services.entry_reverse(actor=cast.officer, entry=entry, reason="encore"),
            ErrorCode.INVALID)  # fmt: skip
    refused(lambda: services.entry_reverse(actor=cast.officer, entry=reversal, reason="x"),
            ErrorCode.INVALID)  # fmt: skip


def test_reversing_an_allocation_cannot_strand_its_commitments(cast):
    line = allocate(cast.cti_a, "500000")
    commit(line, "300000")
    error = refused(
        lambda: services.entry_reverse(
            actor=cast.officer, entry=line.entries.get(kind=EntryKind.ALLOCATION), reason="x"
        )
    )
    assert "300 000,00" in said(error)


def test_a_paid_commitment_is_reversed_only_after_its_payments(cast):
    commitment = commit(allocate(cast.cti_a), "100000")
    payment = pay(commitment, "10000")
    refused(
        lambda: services.entry_reverse(
            actor=cast.officer, entry=commitment.entries.get(kind=EntryKind.COMMITMENT), reason="x"
        ),
        ErrorCode.CONFLICT,
    )
    services.entry_reverse(actor=cast.officer, entry=payment, reason="Paiement annulé")
    services.entry_reverse(
        actor=cast.officer, entry=commitment.entries.get(kind=EntryKind.COMMITMENT), reason="x"
    )
    commitment.refresh_from_db()
    assert (commitment.amount, commitment.disbursed) == (0, 0)


@pytest.mark.parametrize("person", ["cti_a_manager", "cti_a_staff", "auditor", "committee"])
def test_only_the_ministry_writes_the_ledger(cast, person):
    line = allocate(cast.cti_a)
    with pytest.raises(ServiceError) as caught:
        commit(line, actor=getattr(cast, person))
    assert caught.value.code in (ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND)
    assert not Commitment.objects.exists()


def test_entries_record_who_and_appear_in_the_history(cast):
    commitment = commit(allocate(cast.cti_a), actor=cast.officer)
    entry = commitment.entries.get()
    assert entry.recorded_by == cast.officer
    assert entry.history.get().history_user == cast.officer
    line_record = commitment.allocation.history.first()
    assert line_record.history_user == cast.officer
    assert line_record.history_change_reason == entry.reference


def test_the_database_refuses_a_line_over_its_ceiling_even_without_the_service(cast):
    line = allocate(cast.cti_a, "1000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=line.pk).update(committed=Decimal("1000.01"))


def test_the_database_refuses_to_edit_or_delete_an_entry(cast):
    entry = allocate(cast.cti_a).entries.get()
    for write in (lambda: Entry.objects.filter(pk=entry.pk).update(amount=1),
                  lambda: Entry.objects.filter(pk=entry.pk).delete()):  # fmt: skip
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            write()


def test_an_axis_envelope_cannot_drop_below_what_is_allocated_on_it(cast):
    line = allocate(cast.cti_a, "600000", axis=ledger_axis("1000000"))
    with pytest.raises(ServiceError) as caught:
        programme_services.axis_update(
            actor=cast.officer, axis=line.axis, envelope=Decimal("500000")
        )
    assert "600\u00a0000,00" in caught.value.field_errors["envelope"][0]


def test_a_reallocation_within_a_full_axis_moves_money_without_growing_it(cast):
    axis = ledger_axis("1000000")
    source = allocate(cast.cti_a, "600000", axis=axis)
    target = allocate(cast.cti_b, "400000", axis=axis)  # the axis is now full
    services.reallocation_record(
        actor=cast.officer, source=source, target=target, amount=Decimal("100000"),
        decision=reallocation_decision(), entry_date=DAY, reference=ref("RE"),
    )  # fmt: skip
    target.refresh_from_db()
    assert target.allocated == Decimal("500000")


def test_entries_cannot_be_dated_in_the_future_nor_reversed_before_they_happened(cast):
    import datetime as dt

    from django.utils import timezone

    axis = ledger_axis()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    error = refused(
        lambda: services.allocation_record(
            actor=cast.officer, programme=axis.programme, axis=axis, cti=cast.cti_a, year=2024,
            amount=Decimal(1), entry_date=tomorrow, reference=ref(),
        ),
        ErrorCode.INVALID,
    )  # fmt: skip
    assert "entry_date" in error.field_errors
    entry = allocate(cast.cti_a, axis=axis).entries.get()
    error = refused(
        lambda: services.entry_reverse(
            actor=cast.officer, entry=entry, reason="x", entry_date=DAY - dt.timedelta(days=1)
        ),
        ErrorCode.INVALID,
    )
    assert "entry_date" in error.field_errors


def test_a_commitment_needs_money_on_its_line_that_day_and_the_lines_own_contract(cast):
    import datetime as dt

    from pilotage.programmes.models import PartyRole
    from pilotage.programmes.tests.factories import agreement_with

    line = allocate(cast.cti_a)
    error = refused(
        lambda: services.commitment_record(
            actor=cast.officer, allocation=line, amount=Decimal(1), reference=ref(),
            committed_on=DAY - dt.timedelta(days=1), project=facet_project(cast.cti_a),
        ),
        ErrorCode.INVALID,
    )  # fmt: skip
    assert "committed_on" in error.field_errors
    others = agreement_with(cast.cti_b, role=PartyRole.SIGNATORY)
    error = refused(
        lambda: services.commitment_record(
            actor=cast.officer, allocation=line, amount=Decimal(1), reference=ref(),
            committed_on=DAY, agreement=others,
        ),
        ErrorCode.INVALID,
    )  # fmt: skip
    assert "agreement" in error.field_errors
    assert not Commitment.objects.exists()


def test_reversal_references_are_reserved_and_fit_the_column(cast):
    line = allocate(cast.cti_a)
    error = refused(
        lambda: services.commitment_record(
            actor=cast.officer, allocation=line, amount=Decimal(1), reference="ENG-1-ANN",
            committed_on=DAY, project=facet_project(cast.cti_a),
        ),
        ErrorCode.INVALID,
    )  # fmt: skip
    assert "reference" in error.field_errors
    long = services.commitment_record(
        actor=cast.officer, allocation=line, amount=Decimal(1), reference="E" * 60,
        committed_on=DAY, project=facet_project(cast.cti_a),
    )  # fmt: skip
    reversal = services.entry_reverse(actor=cast.officer, entry=long.entries.get(), reason="x")
    assert reversal.reference == "E" * 56 + "-ANN"


def test_a_decision_cited_by_the_ledger_keeps_its_kind(cast):
    from pilotage.governance import services as governance

    axis = ledger_axis()
    source, target = allocate(cast.cti_a, axis=axis), allocate(cast.cti_b, axis=axis)
    decision = reallocation_decision()
    services.reallocation_record(
        actor=cast.officer, source=source, target=target, amount=Decimal("10"),
        decision=decision, entry_date=DAY, reference=ref("RE"),
    )  # fmt: skip
    with pytest.raises(ServiceError) as caught:
        governance.decision_update(actor=cast.officer, decision=decision, kind=DecisionKind.OTHER)
    assert "kind" in caught.value.field_errors
    decision.refresh_from_db()
    assert decision.kind == DecisionKind.REALLOCATION
