"""Performance-linked tranches: the arithmetic (weights, floor, cap, missing values, and a
property: never below zero, never above the tranche or the contract's ceiling), the rule, the
computation kept line by line, and its payment through the ledger."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.errors import ServiceError
from pilotage.fund import services
from pilotage.fund.models import PerformanceTranche
from pilotage.fund.tests.factories import allocate, commit, ledger_axis, ledger_clerk, ref
from pilotage.fund.tranches import Result, compute, proposed_amount
from pilotage.results.models import Measurement, Target
from pilotage.results.tests.factories import contract_indicator, period_for

D = Decimal


def result(code, weight, achievement, target=None):
    target = D(100) if target is None else target
    actual = None if achievement is None else D(achievement) * target
    return Result(code, D(weight), target, actual, None if achievement is None else D(achievement))


def test_the_score_weighs_each_achievement_capped_and_missing_ones_count_nothing():
    figures = compute(
        [result("A", 2, "0.5"), result("B", 1, "1.5"), result("C", 1, None)],
        floor=D("0.3"), cap=D(1), amount=D(1000000), ceiling=None,
    )  # fmt: skip
    # (2 × 0.5 + 1 × 1 (capped) + 1 × 0 (missing)) / 4 = 0.5
    assert figures.score == D("0.5")
    assert [line.counted for line in figures.lines] == [D("0.5"), D(1), D(0)]
    assert sum(line.contribution for line in figures.lines) == figures.score
    assert figures.proposed == D("500000.00")


def test_below_the_floor_nothing_is_due_and_at_the_floor_it_is():
    lines = [result("A", 1, "0.6")]
    assert compute(lines, floor=D("0.61"), cap=D(1), amount=D(1000), ceiling=None).proposed == 0
    assert compute(lines, floor=D("0.6"), cap=D(1), amount=D(1000), ceiling=None).proposed == D(
        "600.00"
    )


def test_a_cap_above_one_lets_an_indicator_make_up_for_another_but_never_the_amount():
    lines = [result("A", 1, "1.4"), result("B", 1, "0.8")]
    figures = compute(lines, floor=D(0), cap=D("1.2"), amount=D(1000), ceiling=None)
    assert figures.score == D("1.0")  # (1.2 + 0.8) / 2
    assert figures.proposed == D("1000.00")
    over = compute([result("A", 1, "3")], floor=D(0), cap=D(2), amount=D(1000), ceiling=None)
    assert over.score == D(2) and over.proposed == D("1000.00")


def test_the_contracts_ceiling_bounds_the_tranche():
    lines = [result("A", 1, "1")]
    assert compute(lines, floor=D(0), cap=D(1), amount=D(1000), ceiling=D(700)).proposed == D(
        "700.00"
    )


@given(
    achievements=st.lists(
        st.one_of(st.none(), st.decimals(min_value=-10, max_value=10, places=4)),
        min_size=1, max_size=8,
    ),
    weights=st.lists(st.decimals(min_value="0.001", max_value=100, places=3), min_size=8,
                     max_size=8),
    floor=st.decimals(min_value=0, max_value=1, places=4),
    cap=st.decimals(min_value="0.01", max_value=5, places=4),
    amount=st.decimals(min_value="0.01", max_value=10**9, places=2),
    ceiling=st.one_of(st.none(), st.decimals(min_value=-10**6, max_value=10**9, places=2)),
)  # fmt: skip
def test_the_tranche_is_never_negative_nor_above_its_amount_or_the_ceiling(
    achievements, weights, floor, cap, amount, ceiling
):
    results = [
        Result(f"K{i}", weights[i], D(100), None if a is None else a * 100, a)
        for i, a in enumerate(achievements)
    ]
    proposed = compute(results, floor=floor, cap=cap, amount=amount, ceiling=ceiling).proposed
    assert proposed >= 0
    assert proposed <= amount
    if ceiling is not None:
        assert proposed <= max(ceiling, 0)
    assert proposed_amount(D(-1), floor, amount, ceiling) == 0


# --- the rule and its computation, through the services ---------------------------------------


def contract_with_results(cast, values, status="validated", year=2024):
    """A contract of CTI A on the ledger's plan with one indicator per value (target 100)."""
    indicators = []
    first = contract_indicator(cast.cti_a, code="K0")
    programme = ledger_axis("10000000").programme
    agreement = first.objective.agreement
    agreement.programme, agreement.ceiling = programme, D(5000000)
    agreement.save()
    first.objective.programme = programme
    first.objective.save()
    for position, value in enumerate(values):
        indicator = first if position == 0 else first.objective.indicators.create(
            code=f"K{position}", name=f"Indicateur {position}", definition="—", unit="u",
            kind="count", aggregation="sum",
        )  # fmt: skip
        Target.objects.create(indicator=indicator, year=year, value=D(100))
        if value is not None:
            period = period_for(indicator, year=year)
            Measurement.objects.create(indicator=indicator, period=period,
                                       organisation=cast.cti_a, status=status, value=D(value))  # fmt: skip
        indicators.append(indicator)
    return agreement, indicators


def define(cast, agreement, indicators, weights, **fields):
    values = {"amount": D(1000000), "floor": D("0.5"), "cap": D(1), "year": 2024, **fields}
    return services.tranche_define(
        actor=cast.officer, agreement=agreement,
        weights=dict(zip(indicators, [D(w) for w in weights], strict=True)), **values,
    )  # fmt: skip


def test_a_computation_is_kept_line_by_line_and_paid_through_the_ledger(cast):
    agreement, indicators = contract_with_results(cast, ["80", "60"])
    tranche = define(cast, agreement, indicators, [3, 1])
    computation = services.tranche_compute(actor=cast.officer, tranche=tranche)
    assert computation.score == D("0.75")  # (3 × 0.8 + 1 × 0.6) / 4
    assert computation.proposed == D("750000.00")
    assert [line["code"] for line in computation.lines] == ["K0", "K1"]
    assert computation.lines[0]["contribution"] == "0.6"
    assert not computation.pending_accepted
    line = allocate(cast.cti_a, "1000000", axis=ledger_axis("10000000"))
    commitment = commit(line, "1000000")
    entry = services.tranche_pay(
        actor=cast.officer, computation=computation, commitment=commitment, amount=D(750000),
        paid_on=datetime.date(2025, 4, 1), payment_reference=ref("OP"),
    )  # fmt: skip
    assert entry.tranche_computation == computation and entry.kind == "disbursement"
    with pytest.raises(ServiceError):  # the tranche is paid: nothing more on this computation
        services.tranche_pay(
            actor=cast.officer, computation=computation, commitment=commitment, amount=D(1),
            paid_on=datetime.date(2025, 4, 2), payment_reference=ref("OP"),
        )  # fmt: skip


def test_a_later_correction_shows_a_difference_and_never_rewrites_the_payment(cast):
    agreement, indicators = contract_with_results(cast, ["80", "60"])
    tranche = define(cast, agreement, indicators, [1, 1])
    computation = services.tranche_compute(actor=cast.officer, tranche=tranche)
    Measurement.objects.filter(indicator=indicators[1]).update(value=D(100))
    now = services.tranche_figures(tranche, cast.officer)
    assert (computation.score, now.score) == (D("0.7"), D("0.9"))
    computation.refresh_from_db()
    assert computation.proposed == D("700000.00")


def test_values_awaiting_validation_stop_the_computation_unless_the_officer_says_so(cast):
    agreement, indicators = contract_with_results(cast, ["80", None])
    Measurement.objects.create(
        indicator=indicators[1], period=period_for(indicators[1], year=2024),
        organisation=cast.cti_a, status="submitted", value=D(90),
    )  # fmt: skip
    tranche = define(cast, agreement, indicators, [1, 1])
    with pytest.raises(ServiceError) as refused:
        services.tranche_compute(actor=cast.officer, tranche=tranche)
    assert "K1" in str(refused.value.message)
    computation = services.tranche_compute(actor=cast.officer, tranche=tranche, accept_pending=True)
    assert computation.pending_accepted and computation.score == D("0.4")  # K1 counts 0
    assert computation.history.first().history_change_reason.endswith("K1")


def test_the_rule_is_checked(cast):
    agreement, indicators = contract_with_results(cast, ["80"])
    _other, foreign = contract_with_results(cast, ["80"])
    for fields, field in (
        ({"amount": D(6000000)}, "amount"),  # above the contract's ceiling
        ({"year": 2030}, "year"),  # outside the plan
    ):
        with pytest.raises(ServiceError) as refused:
            define(cast, agreement, indicators, [1], **fields)
        assert field in refused.value.field_errors
    with pytest.raises(ServiceError) as refused:
        define(cast, agreement, foreign, [1])
    assert "weights" in refused.value.field_errors
    with pytest.raises(ServiceError):
        define(cast, agreement, indicators, [0])


def test_only_the_ministry_defines_computes_and_pays(cast):
    agreement, indicators = contract_with_results(cast, ["80"])
    with pytest.raises(ServiceError):
        services.tranche_define(
            actor=cast.cti_a_manager, agreement=agreement, year=2024, amount=D(1000),
            floor=D(0), cap=D(1), weights={indicators[0]: D(1)},
        )  # fmt: skip
    tranche = define(cast, agreement, indicators, [1])
    with pytest.raises(ServiceError):
        services.tranche_compute(actor=cast.cti_a_manager, tranche=tranche)
    assert ledger_clerk()  # the ledger's clerk exists for the factories above


# --- the pages ---------------------------------------------------------------------------------


def test_an_officer_defines_computes_and_pays_a_tranche_from_the_pages(cast, client_for):
    agreement, indicators = contract_with_results(cast, ["80", "60"])
    client = client_for(cast.officer)
    create = reverse("fund:tranche_create")
    chooser = client.get(create, {"agreement": agreement.pk})
    assert f'name="weight_{indicators[0].pk}"' in chooser.content.decode()
    answer = client.post(create + f"?agreement={agreement.pk}", {
        "agreement": agreement.pk, "year": 2024, "amount": "1 000 000,00", "floor": "0,5",
        "cap": "1", f"weight_{indicators[0].pk}": "3", f"weight_{indicators[1].pk}": "1",
    })  # fmt: skip
    assert answer.status_code == 302, answer.content.decode()[:2000]
    tranche = PerformanceTranche.objects.get(agreement=agreement)
    page = client.get(tranche.get_absolute_url())
    assert page.context["now"].proposed == D("750000.00")
    computed = client.post(reverse("fund:tranche_compute", args=[tranche.pk]))
    computation = tranche.computations.get()
    assert computed.url == computation.get_absolute_url()
    detail = client.get(computed.url)
    assert 'id="unchanged-since"' in detail.content.decode()
    line = allocate(cast.cti_a, "1000000", axis=ledger_axis("10000000"))
    commitment = commit(line, "1000000")
    paid = client.post(reverse("fund:tranche_pay", args=[computation.pk]), {
        "commitment": commitment.pk, "amount": "750 000,00", "paid_on": "01/04/2025",
        "payment_reference": "OP-TR-1",
    })  # fmt: skip
    assert paid.status_code == 302
    assert commitment.entries.get(kind="disbursement").tranche_computation == computation
    # A value corrected since: the page says so, the payment stays as it was.
    Measurement.objects.filter(indicator=indicators[1]).update(value=D(100))
    after = client.get(computation.get_absolute_url()).content.decode()
    assert 'id="changed-since"' in after and 'data-indicator="K1"' in after
    assert commitment.entries.get(kind="disbursement").amount == D("750000.00")


def test_the_compute_button_refuses_pending_values_unless_ticked(cast, client_for):
    agreement, indicators = contract_with_results(cast, ["80", None])
    Measurement.objects.create(
        indicator=indicators[1], period=period_for(indicators[1], year=2024),
        organisation=cast.cti_a, status="submitted", value=D(90),
    )  # fmt: skip
    tranche = define(cast, agreement, indicators, [1, 1])
    client = client_for(cast.officer)
    page = client.get(tranche.get_absolute_url()).content.decode()
    assert 'id="accept-pending"' in page
    client.post(reverse("fund:tranche_compute", args=[tranche.pk]))
    assert not tranche.computations.exists()
    client.post(reverse("fund:tranche_compute", args=[tranche.pk]), {"accept_pending": "on"})
    assert tranche.computations.get().pending_accepted
    shown = client.get(tranche.computations.get().get_absolute_url()).content.decode()
    assert 'id="pending-accepted"' in shown


def test_the_ctis_manager_reads_its_tranche_but_cannot_compute_it(cast, client_for):
    agreement, indicators = contract_with_results(cast, ["80"])
    tranche = define(cast, agreement, indicators, [1])
    client = client_for(cast.cti_a_manager)
    page = client.get(tranche.get_absolute_url())
    assert page.status_code == 200 and "/compute/" not in page.content.decode()
    assert client.post(reverse("fund:tranche_compute", args=[tranche.pk])).status_code == 403
    assert client_for(cast.cti_b_manager).get(tranche.get_absolute_url()).status_code == 404


def test_a_score_with_endless_decimals_is_kept_to_six(cast):
    agreement, indicators = contract_with_results(cast, ["100", "0", "0"])
    tranche = define(cast, agreement, indicators, [1, 1, 1], floor=D(0))
    computation = services.tranche_compute(actor=cast.officer, tranche=tranche)
    assert computation.score == D("0.333333")
    assert computation.proposed == D("333333.33")  # from the exact score, rounded down
