"""Benchmark of the plan's bilan (issue 15) at national scale: 1,000,000 deliveries (run.py's
dataset, given a history row each, dated on the day they started, as imports write them), the
~200,000 ledger entries of bench/fund.py and the 100,000 measurements of bench/results_matrix.py.

Each section of the bilan is timed against the raw SQL of its own figures: the very statements
the section sends, captured once and replayed on a cursor (rows fetched, nothing else), so the
difference is what Python adds. Then the PDF (French and Arabic) and the workbook are made from
those figures. Target (DESIGN §9): the PDF within 5 s of server time beyond the SQL, with
Python's peak memory bounded (traced)."""

import datetime
import time
import tracemalloc
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.common import bench_officer, medians

# As of today: the bench's ledger and values were bulk-loaded today (dated 2022-2025), so an
# edition as of today counts them all, as the bilan of a finished plan does.
AS_OF = datetime.date.today()
TARGET_BEYOND_SQL_S = 5.0


def _history_of_deliveries() -> int:
    """The bench's deliveries were COPYed without history; a report reads deliveries as their
    history says they stood, so each gets the creation row an import would have written."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM services_historicalservicedelivery "
            "WHERE reference LIKE 'BENCH-%%'"
        )
        if cursor.fetchone()[0]:
            return 0
        cursor.execute(
            """
            INSERT INTO services_historicalservicedelivery
              (id, cti_id, reference, company_id, offering_id, category, title, started_on,
               ended_on, amount_invoiced, funding, task_force_project, satisfaction, request_id,
               history_date, history_change_reason, history_type, history_user_id)
            SELECT id, cti_id, reference, company_id, offering_id, category, title, started_on,
               ended_on, amount_invoiced, funding, task_force_project, satisfaction, request_id,
               started_on + time '12:00', NULL, '+', NULL
            FROM services_servicedelivery WHERE reference LIKE 'BENCH-%%'
            """
        )
        created = cursor.rowcount
        cursor.execute("ANALYZE services_historicalservicedelivery")
        return created


def _replay(statements: list[tuple[str, Any]]) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


def run(*, seed: int) -> dict:
    from bench import fund, results_matrix
    from pilotage.reports import rendering
    from pilotage.reports.models import ReportEdition, ReportKind
    from pilotage.reports.selectors import SECTIONS, SECTIONS_OF, Scope

    ledger_plan, _officer, entries = fund._dataset(seed)
    kpi_plan, _officer, measurements = results_matrix._dataset(seed)
    officer, _ministry = bench_officer()
    histories = _history_of_deliveries()
    # The ledger plan carries every section; the KPIs come from the results bench's plan (the
    # two benches built their data under two plans).
    scopes = {
        key: Scope(ReportKind.PLAN_BILAN, kpi_plan if key == "kpis" else ledger_plan, None, AS_OF)
        for key in SECTIONS_OF[ReportKind.PLAN_BILAN]
    }
    sections: dict[str, Any] = {}
    names: dict[str, Any] = {}
    rows = []
    for key, scope in scopes.items():
        with CaptureQueriesContext(connection) as captured:
            sections[key] = SECTIONS[key](scope, names)
        # The statements as PostgreSQL received them, their parameters bound.
        statements = [(q["sql"], None) for q in captured.captured_queries]
        ours, sql = medians(
            lambda key=key, scope=scope: SECTIONS[key](scope, {}),
            lambda statements=statements: _replay(statements),
            runs=3,
        )
        rows.append({"section": key, "queries": len(statements), "ours_s": round(ours, 3),
                     "sql_s": round(sql, 3), "beyond_sql_s": round(ours - sql, 3)})  # fmt: skip
    figures = {
        "report": ReportKind.PLAN_BILAN,
        "programme": ledger_plan.code,
        "cti": None,
        "as_of": AS_OF.isoformat(),
        "year": ledger_plan.end_year,
        "sections": sections,
        "names": names,
    }
    edition = ReportEdition(kind=ReportKind.PLAN_BILAN, programme=ledger_plan, as_of=AS_OF,
                            requested_by=officer)  # fmt: skip
    makers = (
        ("pdf_fr", rendering.edition_pdf, "fr"),
        ("pdf_ar", rendering.edition_pdf, "ar"),
        ("xlsx_fr", rendering.edition_xlsx, "fr"),
    )
    rendering.edition_pdf(edition, figures, "fr")  # loads WeasyPrint and vl-convert once
    files = {}
    for name, make, language in makers:
        start = time.perf_counter()
        content = make(edition, figures, language)
        files[name] = {"s": round(time.perf_counter() - start, 3), "bytes": len(content)}
    # Memory in a pass of its own: tracing slows Python several times over.
    tracemalloc.start()
    for _name, make, language in makers:
        make(edition, figures, language)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sql_total = sum(r["sql_s"] for r in rows)
    sections_total = sum(r["ours_s"] for r in rows)
    pdf_beyond_sql = sections_total - sql_total + files["pdf_fr"]["s"]
    return {
        "dataset": {
            "deliveries_with_history": histories or "already there",
            "ledger_entries": entries,
            "measurements": measurements,
        },
        "sections": rows,
        "files": files,
        "sections_s": round(sections_total, 3),
        "sql_s": round(sql_total, 3),
        "pdf_beyond_sql_s": round(pdf_beyond_sql, 3),
        "target_beyond_sql_s": TARGET_BEYOND_SQL_S,
        "peak_python_memory_mib": round(peak / 2**20, 1),
        "rows_in_figures": {
            f"{key}.{name}": len(tab["rows"])
            for key, tabs in sections.items()
            for name, tab in tabs.items()
        },
    }
