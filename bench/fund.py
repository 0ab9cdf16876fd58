"""Benchmark of the FACET budget overview at national scale (DESIGN §9): ~200,000 ledger entries.

The page's server time (the overview view, access layer and tree included) is measured against the
raw SQL that computes the same figures (the per-line sums of the journal) on the same rows, in the
same run. Target: at most 1.5× the SQL.

The dataset is generated from a seed, in bulk (the services' row-by-row checks are what the test
suite exercises; here only the reads are measured), and reused when it is already there.
"""

import datetime
import random
from decimal import Decimal

from django.db import connection, transaction

from bench.common import bench_officer, medians, page_getter, ratio_row, served_as_in_production

CTIS = 30
AXES = 5
YEARS = (2022, 2023, 2024, 2025)
COMMITMENTS_PER_LINE = 40
PAYMENTS_PER_COMMITMENT = 7
CODE = "BENCH-FUND"
AS_OF = datetime.date(2025, 12, 31)

RAW_SQL = """
SELECT e.allocation_id, e.kind, SUM(e.amount) FROM fund_entry e
JOIN fund_allocation a ON a.id = e.allocation_id
WHERE a.programme_id = %(plan)s AND e.entry_date <= %(as_of)s GROUP BY e.allocation_id, e.kind;
SELECT e.target_id, SUM(e.amount) FROM fund_entry e
JOIN fund_allocation a ON a.id = e.allocation_id
WHERE a.programme_id = %(plan)s AND e.entry_date <= %(as_of)s AND e.kind = 'reallocation'
GROUP BY e.target_id;
"""


def _dataset(seed: int):
    from pilotage.core.models import Organisation
    from pilotage.fund.models import Allocation, Commitment, Entry, EntryKind
    from pilotage.programmes.models import Programme, StrategicAxis

    officer, _ministry = bench_officer()
    plan = Programme.objects.filter(code=CODE).first()
    if plan is not None:
        return plan, officer, Entry.objects.filter(allocation__programme=plan).count()
    rng = random.Random(seed)
    with transaction.atomic():
        plan = Programme.objects.create(
            code=CODE, title="Bench", start_year=2022, end_year=2025, envelope=Decimal(10**11)
        )
        axes = [
            StrategicAxis.objects.create(
                programme=plan, number=n, title=f"Axe {n}", envelope=Decimal(10**10)
            )
            for n in range(1, AXES + 1)
        ]
        ctis = [
            Organisation.objects.get_or_create(
                acronym=f"BENCH-CTI-{i:02d}", defaults={"name": f"CTI {i}", "kind": "cti"}
            )[0]
            for i in range(CTIS)
        ]
        lines = Allocation.objects.bulk_create(
            Allocation(programme=plan, axis=axis, cti=cti, year=year)
            for axis in axes
            for cti in ctis
            for year in YEARS
        )
        # Every commitment names an agreement or a project (issue 14): one project of the bench.
        from pilotage.projects.models import Project

        project = Project.objects.create(
            code="BENCH-FUND", title="Bench", kind="general_interest", lead=ctis[0],
            starts_on=datetime.date(2022, 1, 1), ends_on=datetime.date(2025, 12, 31),
        )  # fmt: skip
        commitments, entries = [], []

        def entry(kind: str, line_id: int, amount: Decimal, day, reference: str, **fields):
            entries.append(
                Entry(kind=kind, allocation_id=line_id, amount=amount, entry_date=day,
                      reference=reference, recorded_by=officer, **fields)
            )  # fmt: skip

        for line in lines:
            day = datetime.date(line.year, 1, 10)
            line.allocated = Decimal(rng.randint(5_000, 9_000)) * 1000
            line.committed = Decimal(100_000) * COMMITMENTS_PER_LINE
            line.disbursed = Decimal(70_000) * COMMITMENTS_PER_LINE
            entry(EntryKind.ALLOCATION, line.pk, line.allocated, day, f"B-AL-{line.pk}")
            commitments += [
                Commitment(allocation=line, reference=f"B-ENG-{line.pk}-{n}", project=project,
                           committed_on=day, amount=Decimal(100_000), disbursed=Decimal(70_000))
                for n in range(COMMITMENTS_PER_LINE)
            ]  # fmt: skip
        Allocation.objects.bulk_update(lines, ["allocated", "committed", "disbursed"])
        Commitment.objects.bulk_create(commitments, batch_size=5000)
        for c in commitments:
            day = c.committed_on
            entry(EntryKind.COMMITMENT, c.allocation_id, c.amount, day, c.reference, commitment=c)
            for p in range(PAYMENTS_PER_COMMITMENT):
                paid_on = day + datetime.timedelta(days=30 * (p + 1))
                entry(EntryKind.DISBURSEMENT, c.allocation_id, Decimal(10_000), paid_on,
                      f"{c.reference}-P{p}", commitment=c)  # fmt: skip
        Entry.objects.bulk_create(entries, batch_size=10000)
    return plan, officer, len(entries)


def run(*, seed: int) -> list[dict]:
    from django.urls import reverse

    plan, officer, entries = _dataset(seed)
    page = page_getter(
        officer, reverse("fund:overview"), {"programme": plan.pk, "as_of": AS_OF.isoformat()}
    )

    def raw_sql() -> list[list[tuple]]:
        with connection.cursor() as cursor:
            results = []
            for statement in filter(str.strip, RAW_SQL.split(";")):
                cursor.execute(statement, {"plan": plan.pk, "as_of": AS_OF})
                results.append(cursor.fetchall())
            return results

    # Same figures first, then the times: the page must compute what the SQL computes.
    from pilotage.fund.selectors import budget_overview

    per_kind: dict[str, Decimal] = {}
    for _line, kind, total in raw_sql()[0]:
        per_kind[kind] = per_kind.get(kind, Decimal(0)) + total
    root = budget_overview(officer, plan, AS_OF).figures
    assert (root.allocated, root.committed, root.disbursed) == (
        per_kind.get("allocation", 0), per_kind.get("commitment", 0),
        per_kind.get("disbursement", 0),
    )  # fmt: skip

    with served_as_in_production():
        ours, with_years, reference = medians(page, lambda: page(years=1), raw_sql)
    return [
        ratio_row(
            "fund overview page (plan, axes, CTIs) vs raw SQL", entries, ours, reference, 1.5
        ),
        # Every line of every year on one page: informative, not a target.
        ratio_row(
            "fund overview page with every year line vs raw SQL",
            entries,
            with_years,
            reference,
            None,
        ),
    ]
