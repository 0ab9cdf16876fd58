"""Benchmark of the plan's results matrix at national scale (DESIGN §9): 100,000 measurements.

50 CTIs, each with a contrat-objectifs of 125 indicators (25 per axis: counts, amounts, a
percentage, a stock reported as its latest value, an average), validated every quarter of the
plan's four years: 50 × 125 × 16 = 100,000 measurements. The matrix page for a year (CTI ×
indicator, with the plan's totals) and for one axis is timed against the raw SQL that computes
the same cells (each CTI's figure for the year by the indicator's rule, and its target) on the
same rows, in turns, in the same run. Target: at most 1.5× the SQL.

Once the page shows one axis by default and the whole plan is a heatmap drawn from the JSON
(`/api/v1/programmes/{id}/results-matrix`), what is timed is what DESIGN §9 targets: the JSON of
the whole plan against that SQL, and the page of one axis against its floor (the SQL of the axis
plus its cells written as bare HTML with a plain loop), each at most 1.5×.

The plan's figures are kept in the cache until a row they are computed from changes
(`core.figures`): the pages are timed as users meet them between two changes, and as the first
request after a change (the figures computed again) beside them, against the same floor.

Built in bulk from a seed (the workflow's checks are the test suite's business) and reused.
"""

import datetime
import html
import json
import random
from decimal import Decimal

from django.db import connection, transaction

from bench.common import (
    after_a_write,
    bench_officer,
    medians,
    page_getter,
    ratio_row,
    served_as_in_production,
)

CTIS = 50
AXES = 5
PER_AXIS = 25
YEARS = (2022, 2023, 2024, 2025)
YEAR = 2024
CODE = "BENCH-RES"
# Every fifth indicator of an axis has another rule, so that each rule is exercised.
RULES = [
    ("count", "sum"),
    ("money", "sum"),
    ("percentage", "sum"),
    ("count", "cumulative_latest"),
    ("count", "average"),
]

RAW_SQL = """
WITH year_values AS (
  SELECT m.organisation_id, m.indicator_id, i.code, i.kind, i.aggregation,
         m.value, m.numerator, m.denominator, p.part,
         row_number() OVER (PARTITION BY m.organisation_id, m.indicator_id
                            ORDER BY p.part DESC) AS newest
  FROM results_measurement m
  JOIN results_indicator i ON i.id = m.indicator_id
  JOIN results_objective o ON o.id = i.objective_id
  JOIN results_reportingperiod p ON p.id = m.period_id
  WHERE o.programme_id = %(plan)s AND o.agreement_id IS NOT NULL AND p.year = %(year)s
    AND m.status = 'validated' {axis}
)
SELECT v.organisation_id, v.code,
       CASE WHEN v.kind = 'percentage' THEN NULL
            WHEN v.aggregation = 'sum' THEN sum(v.value)
            WHEN v.aggregation = 'average' THEN avg(v.value)
            WHEN v.aggregation = 'max' THEN max(v.value)
            ELSE max(v.value) FILTER (WHERE v.newest = 1) END,
       sum(v.numerator), sum(v.denominator), t.value
FROM year_values v
LEFT JOIN results_target t ON t.indicator_id = v.indicator_id AND t.year = %(year)s
GROUP BY v.organisation_id, v.code, v.kind, v.aggregation, t.value
"""


def _dataset(seed: int):
    from pilotage.core.models import Organisation
    from pilotage.programmes.models import Agreement, AgreementParty, Programme, StrategicAxis
    from pilotage.results.models import Indicator, Measurement, Objective, ReportingPeriod, Target

    officer, ministry = bench_officer()
    plan = Programme.objects.filter(code=CODE).first()
    if plan is not None:
        return plan, officer, Measurement.objects.filter(period__programme=plan).count()
    rng = random.Random(seed)
    with transaction.atomic():
        plan = Programme.objects.create(
            code=CODE, title="Bench results", start_year=2022, end_year=2025,
            envelope=Decimal(10**9),
        )  # fmt: skip
        axes = [
            StrategicAxis.objects.create(
                programme=plan, number=n, title=f"Axe {n}", envelope=Decimal(10**8)
            )
            for n in range(1, AXES + 1)
        ]
        periods = [
            ReportingPeriod.objects.create(
                programme=plan,
                year=year,
                part=part,
                opens_on=datetime.date(year, 1, 1),
                closes_on=datetime.date(year + 1, 3, 31),
                is_open=False,
            )
            for year in YEARS
            for part in (1, 2, 3, 4)
        ]
        ctis = [
            Organisation.objects.get_or_create(
                acronym=f"BENCH-CTI-{n:02d}", defaults={"name": f"CTI {n}", "kind": "cti"}
            )[0]
            for n in range(CTIS)
        ]
        indicators, targets, measurements, owner = [], [], [], {}
        for cti in ctis:
            agreement = Agreement.objects.create(
                kind="contrat_objectifs", reference=f"{CODE}-{cti.acronym}",
                title=f"Contrat-objectifs {cti.acronym}", programme=plan, status="in_force",
            )  # fmt: skip
            AgreementParty.objects.bulk_create(
                AgreementParty(agreement=agreement, organisation=party, role="signatory")
                for party in (cti, ministry)
            )
            for axis in axes:
                objective = Objective.objects.create(
                    programme=plan, axis=axis, agreement=agreement, code=f"OS-{axis.number}",
                    title=f"Objectif {axis.number}",
                )  # fmt: skip
                owner[objective.pk] = cti
                for n in range(PER_AXIS):
                    kind, aggregation = RULES[n % len(RULES)]
                    indicators.append(
                        Indicator(
                            objective=objective, code=f"K{axis.number}-{n:02d}",
                            name=f"Indicateur {axis.number}.{n}", definition="Bench",
                            unit="u", kind=kind, aggregation=aggregation,
                            numerator_label="n" if kind == "percentage" else "",
                            denominator_label="d" if kind == "percentage" else "",
                        )
                    )  # fmt: skip
        Indicator.objects.bulk_create(indicators, batch_size=5000)
        for indicator in Indicator.objects.filter(objective__programme=plan):
            cti = owner[indicator.objective_id]
            for year in YEARS:
                targets.append(Target(indicator=indicator, year=year, value=rng.randint(50, 500)))
            for period in periods:
                value = Decimal(rng.randint(0, 200))
                if indicator.kind == "percentage":
                    fields = {"numerator": value, "denominator": value + rng.randint(1, 100)}
                else:
                    fields = {"value": value}
                measurements.append(
                    Measurement(indicator=indicator, period=period, organisation=cti,
                                status="validated", **fields)
                )  # fmt: skip
        Target.objects.bulk_create(targets, batch_size=5000)
        Measurement.objects.bulk_create(measurements, batch_size=5000)
    return plan, officer, len(measurements)


# Every table the matrix reads, as `VACUUM ANALYZE` after a bulk load leaves them (autovacuum
# does it for the large tables: PostgreSQL then reads which CTIs reported from the index alone).
# Autovacuum never analyses a table of 20 periods (below its threshold of 50 changes); without
# statistics PostgreSQL expects one period where there are four and picks a slower plan.
SETTLED = ["results_measurement", "results_indicator", "results_objective", "results_target",
           "results_reportingperiod", "programmes_strategicaxis", "core_organisation"]  # fmt: skip


def _settle() -> None:
    with connection.cursor() as cursor:
        for table in SETTLED:
            cursor.execute(f"VACUUM ANALYZE {table}")


def run(*, seed: int) -> list[dict]:
    from django.urls import reverse

    from pilotage.core.models import Organisation
    from pilotage.results.selectors import FIGURES, programme_matrix

    plan, officer, measurements = _dataset(seed)
    _settle()
    axis = plan.axes.get(number=1)
    page = page_getter(
        officer, reverse("results:programme_results", args=[plan.pk]), {"year": YEAR}
    )

    def raw_sql(axis_id=None) -> list[tuple]:
        where = "AND (o.axis_id = %(axis)s)" if axis_id else ""
        with connection.cursor() as cursor:
            cursor.execute(
                RAW_SQL.format(axis=where), {"plan": plan.pk, "year": YEAR, "axis": axis_id}
            )
            return cursor.fetchall()

    # Same figures first: every cell of the page's matrix equals the SQL's.
    matrix = programme_matrix(plan, YEAR, officer)
    cells = {(cti.pk, code): cell.actual for cti, row in matrix.rows for code, cell in row.items()}
    sql = raw_sql()
    assert len(sql) == len(cells) == CTIS * AXES * PER_AXIS
    for cti_id, code, value, numerator, denominator, _target in sql:
        actual = cells[(cti_id, code)]
        if numerator is not None:
            assert (actual.numerator, actual.denominator) == (numerator, denominator)
        else:  # an average may differ in its last decimals (Python's and PostgreSQL's precision)
            assert abs(actual.value - value) < Decimal("1e-9"), (cti_id, code, actual.value, value)

    from django.urls import NoReverseMatch

    try:
        heatmap = reverse("api:programme_results_matrix", args=[plan.pk])
    except NoReverseMatch:  # before the heatmap: the page shows every axis by default
        with served_as_in_production():
            whole, one_axis, reference, reference_axis = medians(
                page, lambda: page(axis=axis.pk), raw_sql, lambda: raw_sql(axis.pk), runs=7
            )
        return [
            ratio_row(f"results matrix {YEAR}, one axis vs raw SQL", measurements, one_axis,
                      reference_axis, 1.5),
            ratio_row(f"results matrix {YEAR}, every axis vs raw SQL", measurements, whole,
                      reference, 1.5),
        ]  # fmt: skip

    # The JSON's cells are the SQL's too (to the four places it writes).
    from django.test import Client

    from pilotage.core.testing import sign_in

    body = json.loads(sign_in(Client(), officer).get(heatmap, {"year": YEAR}).content)
    acronyms = dict(Organisation.objects.values_list("pk", "acronym"))
    found = {(cell["cti"], cell["indicator"]): cell for cell in body["cells"]}
    assert len(found) == len(sql)
    for cti_id, code, value, numerator, denominator, target in sql:
        cell = found[(acronyms[cti_id], code)]
        actual = 100 * numerator / denominator if numerator is not None else value
        assert Decimal(cell["actual"]) == actual.quantize(Decimal("0.0001")), (cell, actual)
        assert Decimal(cell["target"]) == target

    def axis_floor() -> str:
        """The axis's SQL, then its cells as bare HTML: actual / target · achievement."""
        cells: dict[int, list[str]] = {}
        for cti_id, code, value, numerator, denominator, target in raw_sql(axis.pk):
            actual = 100 * numerator / denominator if numerator is not None else value
            share = f" · {actual / target:.0%}" if target else ""
            cells.setdefault(cti_id, []).append(
                f'<td data-code="{code}">{actual:,.1f}<div>/ {target:,.0f}{share}</div></td>'
            )
        return "".join(
            f'<tr><th><a href="/organisations/{cti_id}/">{html.escape(str(cti_id))}</a></th>'
            f"{''.join(row)}</tr>"
            for cti_id, row in cells.items()
        )

    whole_plan = page_getter(officer, heatmap, {"year": YEAR})

    with served_as_in_production():
        # Apart: a write between two turns would have every page compute its figures.
        one_axis, floor_axis, reference_axis, whole, reference = medians(
            lambda: page(axis=axis.pk), axis_floor, lambda: raw_sql(axis.pk), whole_plan, raw_sql,
            runs=7,
        )  # fmt: skip
        computed_axis, computed = medians(
            after_a_write(lambda: page(axis=axis.pk), FIGURES),
            after_a_write(whole_plan, FIGURES),
            runs=7,
        )
    return [
        ratio_row(f"results matrix {YEAR}, one axis page vs its floor", measurements, one_axis,
                  floor_axis, 1.5),
        ratio_row(f"results matrix {YEAR}, one axis page after a write vs its floor",
                  measurements, computed_axis, floor_axis, None),
        ratio_row(f"results matrix {YEAR}, one axis page vs raw SQL", measurements, one_axis,
                  reference_axis, None),
        ratio_row(f"results matrix {YEAR}, whole-plan JSON vs raw SQL", measurements, whole,
                  reference, 1.5),
        ratio_row(f"results matrix {YEAR}, whole-plan JSON after a write vs raw SQL",
                  measurements, computed, reference, None),
    ]  # fmt: skip
