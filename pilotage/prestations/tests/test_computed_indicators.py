"""Computed indicators: values from the register equal independent counts; the scorecard shows
them next to the validated value; the CTI submits them through the normal workflow and a
different value needs a reason."""

import datetime
import random
from decimal import Decimal

import pytest
from django.urls import reverse

from pilotage.core.errors import ServiceError
from pilotage.prestations.selectors import computed_actuals, period_bounds
from pilotage.prestations.tests.factories import CompanyFactory, DeliveryFactory
from pilotage.results import services as results_services
from pilotage.results.computations import Computation
from pilotage.results.tests.factories import contract_indicator, period_for


def _register(cast, seed: int = 7):
    """A random register over two CTIs and two years; returns the rows as plain tuples."""
    rng = random.Random(seed)
    companies = [
        CompanyFactory(size_class=rng.choice(["TPE", "PME", "ETI", "GE"])) for _ in range(12)
    ]
    rows = []
    for n in range(80):
        cti = rng.choice([cast.cti_a, cast.cti_b])
        company = rng.choice(companies)
        started = datetime.date(rng.choice([2023, 2024]), rng.randint(1, 12), rng.randint(1, 28))
        category = rng.choice(["training", "laboratory_testing", "diagnostic"])
        amount = Decimal(rng.randint(0, 100_000)) / 100
        DeliveryFactory(
            cti=cti, company=company, started_on=started, category=category,
            amount_invoiced=amount, reference=f"R{n}",
        )  # fmt: skip
        rows.append((cti.pk, company.pk, company.size_class, started, category, amount))
    return rows


@pytest.mark.parametrize("part", [0, 1, 2, 3, 4])
def test_computed_values_equal_independent_counts(cast, part):
    rows = _register(cast)
    first, last = period_bounds(2024, part)
    values = computed_actuals(cti_ids=[cast.cti_a.pk, cast.cti_b.pk], year=2024, part=part)
    for cti in (cast.cti_a.pk, cast.cti_b.pk):
        mine = [r for r in rows if r[0] == cti and first <= r[3] <= last]
        # A quarter counts the companies served for the first time that year.
        earlier = {r[1] for r in rows if r[0] == cti and datetime.date(2024, 1, 1) <= r[3] < first}
        new = [r for r in mine if r[1] not in earlier]
        got = values.get(cti, {})
        expected = {
            ("companies_served", ""): len({r[1] for r in new}),
            ("sme_companies_served", ""): len({r[1] for r in new if r[2] in ("TPE", "PME")}),
            ("revenue", ""): sum((r[5] for r in mine), Decimal(0)),
            ("deliveries_count", ""): len(mine),
            ("revenue_by_category", "training"): sum(
                (r[5] for r in mine if r[4] == "training"), Decimal(0)
            ),
            ("deliveries_by_category", "diagnostic"): len(
                [r for r in mine if r[4] == "diagnostic"]
            ),
        }
        for key, value in expected.items():
            assert got.get(key, Decimal(0)) == value, (cti, key)


def test_a_years_quarters_add_up_to_its_distinct_companies(cast):
    """A company served in two quarters counts once: the indicator sums its quarters."""
    rows = _register(cast)
    quarters = [computed_actuals(cti_ids=[cast.cti_a.pk], year=2024, part=q) for q in range(1, 5)]
    year = computed_actuals(cti_ids=[cast.cti_a.pk], year=2024)[cast.cti_a.pk]
    served = {r[1] for r in rows if r[0] == cast.cti_a.pk and r[3].year == 2024}
    twice = [
        company for company in served
        if len({(r[3].month - 1) // 3 for r in rows
                if r[0] == cast.cti_a.pk and r[1] == company and r[3].year == 2024}) > 1
    ]  # fmt: skip
    assert twice, "the register must serve some company in two quarters"
    for key in (("companies_served", ""), ("sme_companies_served", ""), ("revenue", "")):
        assert sum(q.get(cast.cti_a.pk, {}).get(key, 0) for q in quarters) == year[key], key
    assert year[("companies_served", "")] == len(served)


def test_the_computation_is_one_query(cast, django_assert_num_queries):
    _register(cast)
    with django_assert_num_queries(1):
        computed_actuals(cti_ids=[cast.cti_a.pk, cast.cti_b.pk], year=2024)


def _computed_kpi(cast, **fields):
    return contract_indicator(
        cast.cti_a, code="ENT", source="computed", computation=Computation.COMPANIES_SERVED,
        **fields,
    )  # fmt: skip


def test_a_different_value_needs_a_reason_the_computed_one_does_not(cast):
    kpi = _computed_kpi(cast)
    period = period_for(kpi)
    DeliveryFactory(cti=cast.cti_a, started_on=datetime.date(2024, 2, 1))
    DeliveryFactory(cti=cast.cti_a, started_on=datetime.date(2024, 3, 1))
    common = {"actor": cast.cti_a_staff, "indicator": kpi, "period": period,
              "organisation": cast.cti_a}  # fmt: skip
    with pytest.raises(ServiceError) as refused:
        results_services.measurement_record(**common, value=Decimal(5))
    assert "computed" in refused.value.field_errors["value"][0]
    overridden = results_services.measurement_record(
        **common, value=Decimal(5), comment="3 entreprises servies hors registre (papier)"
    )
    assert overridden.value == 5
    same = results_services.measurement_record(**common, value=Decimal(2))
    assert same.value == 2


def test_the_cti_submits_the_computed_value_and_the_scorecard_moves(cast, client_for):
    kpi = _computed_kpi(cast)
    period = period_for(kpi)
    agreement = kpi.objective.agreement
    DeliveryFactory(cti=cast.cti_a, started_on=datetime.date(2024, 2, 1))
    sheet = reverse("results:contract_reporting", args=[agreement.pk]) + f"?period={period.pk}"
    page = client_for(cast.cti_a_staff).get(sheet)
    assert page.context["form"].initial[f"value-{kpi.pk}"] == "1"  # proposed from the register
    scorecard = reverse("results:contract_scorecard", args=[agreement.pk]) + "?year=2024"
    row = client_for(cast.officer).get(scorecard).context["rows"][0][0]
    assert (row.actual.value, row.computed) == (None, Decimal(1))

    client_for(cast.cti_a_staff).post(sheet, {f"value-{kpi.pk}": "1"})
    measurement = kpi.measurements.get()
    results_services.measurement_submit(actor=cast.cti_a_manager, measurement=measurement)
    results_services.measurement_validate(actor=cast.officer, measurement=measurement)
    DeliveryFactory(cti=cast.cti_a, started_on=datetime.date(2024, 9, 1))
    row = client_for(cast.officer).get(scorecard).context["rows"][0][0]
    assert (row.actual.value, row.computed) == (Decimal(1), Decimal(2))


def test_a_cti_cannot_probe_another_ctis_computed_figures_through_a_value(cast, client_for):
    """Entering a value "for" another CTI is refused as not found before anything of that CTI's
    is computed or compared (the refusal used to quote its computed figure)."""
    import datetime
    import json
    from decimal import Decimal

    from pilotage.prestations.tests.factories import DeliveryFactory
    from pilotage.programmes.tests.factories import ProgrammeFactory
    from pilotage.results.models import Indicator, Measurement, Objective
    from pilotage.results.tests.factories import ReportingPeriodFactory

    programme = ProgrammeFactory()
    objective = Objective.objects.create(programme=programme, code="OG-1", title="Global")
    kpi = Indicator.objects.create(
        objective=objective, code="G-REV", name="CA", definition="x", unit="MAD", kind="money",
        aggregation="sum", source="computed", computation="revenue",
    )  # fmt: skip
    period = ReportingPeriodFactory(
        programme=programme, year=2024, opens_on=datetime.date(2024, 1, 1),
        closes_on=datetime.date(2030, 1, 1),
    )  # fmt: skip
    DeliveryFactory(cti=cast.cti_b, started_on=datetime.date(2024, 3, 1),
                    amount_invoiced=Decimal("987654.32"))  # fmt: skip
    body = {"indicator_id": kpi.pk, "period_id": period.pk, "organisation_id": cast.cti_b.pk,
            "value": "0"}  # fmt: skip
    response = client_for(cast.cti_a_staff).post(
        "/api/v1/measurements", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 404
    assert "987" not in response.content.decode()
    assert not Measurement.objects.exists()
