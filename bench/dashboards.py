"""Benchmark of the dashboards (issue 16) at national scale: run.py's 1,000,000 deliveries and
100,000 companies, bench/fund.py's ~200,000 ledger entries, bench/results_matrix.py's 100,000
measurements, bench/projects.py's 20,000 projects and bench/certification.py's certificates, with
a modest set of rows of its own so that every ratio and every watch rule has data: staff counts,
20,000 service requests turned into deliveries (request → delivery days), 100 projects with
milestones met and slipping, an evaluation's 200 recommendations, two laboratories per CTI whose
accreditations run out around today.

Measured, as a ministry officer (who sees every line), side by side in one run:

- the home page (`/`: the plan at a glance, the first alerts, the to-do list), the watch list
  (`/watch/`, `/api/v1/dashboards/watch`), benchmarking (`/benchmarks/`,
  `/api/v1/dashboards/benchmarks`) and the map (`/map/`, `/api/v1/dashboards/regions`) for YEAR;
  the home page twice: with the plan it picks itself, and with results_matrix.py's national plan
  at a glance (its bands counted from 100,000 measurements);
- each against hand-written SQL on the same tables that computes the same figures (asserted equal
  first): a JSON endpoint against that SQL, an HTML page against its floor = that SQL plus
  writing the same cells as bare HTML with a plain loop (as many alerts as the page writes out).
  Target (DESIGN §9): at most 1.5×;
- the indicator assessments the watch list and the home page read are kept in the cache between
  two writes to the plans' results (`core.figures`): the pages are timed as users meet them then,
  and the watch list also as the first request after such a write (its assessments computed);
- the number of queries of each page, kept and after a write, on the national dataset and again
  with more of every row the pages loop over (recommendations, laboratories, slipping projects,
  closed reporting periods, CTIs, and one more plan followed by the watch list), in a transaction
  rolled back: it must not change.

Rows are made once, in bulk, from a seed, and reused.
"""

import datetime
import html
import random
from collections import Counter
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.common import (
    after_a_write,
    bench_officer,
    medians,
    page_getter,
    ratio_row,
    served_as_in_production,
)

YEAR = 2025  # the last full year of run.py's deliveries (2023-2025)
REQUEST_EVERY = 50  # one delivery in 50 comes from a request of the public catalogue
PROJECTS, MILESTONES_PER_PROJECT = 100, 5
RECOMMENDATIONS = 200
LABORATORIES_PER_CTI = 2
EVALUATION = "Évaluation (bench)"
RUNS = 5
TARGET = 1.5

# A CTI's figure for a year from its values (v) by its indicator's rule (i), as results.semantics
# computes it: the watch list's assessments and the home page's bands both use it.
ACTUAL_BY_RULE = """CASE WHEN i.kind = 'percentage' AND i.aggregation = 'cumulative_latest' THEN
                100 * (array_agg(v.numerator ORDER BY v.part DESC)
                         FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL))[1]
                / nullif((array_agg(v.denominator ORDER BY v.part DESC)
                         FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL))[1], 0)
              WHEN i.kind = 'percentage' THEN 100 * sum(v.numerator) / nullif(sum(v.denominator), 0)
              WHEN i.aggregation = 'sum' THEN sum(v.value)
              WHEN i.aggregation = 'average' THEN avg(v.value)
              WHEN i.aggregation = 'max' THEN max(v.value)
              ELSE (array_agg(v.value ORDER BY v.part DESC) FILTER (WHERE v.value IS NOT NULL))[1]
         END"""

# --- the watch list: one statement for every rule, one row per alert ---------------------------

WATCH_CTES = f"""
WITH followed AS (
  SELECT id, start_year, end_year FROM programmes_programme
  WHERE start_year <= %(year)s AND end_year >= %(year)s - 1
),
-- each contract indicator of each CTI at its latest assessment
assessed_values AS (
  SELECT p.programme_id, m.organisation_id AS cti_id, m.indicator_id, p.year, p.part, m.value,
         m.numerator, m.denominator,
         coalesce((m.validated_at AT TIME ZONE %(tz)s)::date, p.closes_on) AS known_on,
         max(p.year) OVER (PARTITION BY p.programme_id, m.organisation_id, m.indicator_id)
           AS last_year
  FROM results_measurement m
  JOIN results_reportingperiod p ON p.id = m.period_id
  JOIN results_indicator i ON i.id = m.indicator_id
  JOIN results_objective o ON o.id = i.objective_id
  WHERE p.programme_id IN (SELECT id FROM followed) AND o.agreement_id IS NOT NULL
    AND m.status = 'validated' AND p.year <= %(year)s
    AND NOT (p.year = %(year)s AND (p.part = 0 OR %(today)s < %(mid_year)s))
    AND NOT EXISTS (SELECT 1 FROM results_measurement c
                    WHERE c.supersedes_id = m.id AND c.status = 'validated')
),
actuals AS (
  SELECT v.programme_id, v.cti_id, v.indicator_id, v.year, i.code, i.direction, i.aggregation,
         {ACTUAL_BY_RULE} AS actual,
         count(*) AS periods, max(v.known_on) AS known_on
  FROM assessed_values v JOIN results_indicator i ON i.id = v.indicator_id
  WHERE v.year = v.last_year
  GROUP BY v.programme_id, v.cti_id, v.indicator_id, v.year, i.code, i.kind, i.direction,
           i.aggregation
),
targets AS (
  SELECT DISTINCT ON (t.indicator_id, t.year) t.indicator_id, t.year, t.value
  FROM results_target t LEFT JOIN programmes_amendment a ON a.id = t.amendment_id
  WHERE t.indicator_id IN (SELECT indicator_id FROM actuals)
  ORDER BY t.indicator_id, t.year, coalesce(a.number, 0) DESC
),
assessments AS (
  SELECT a.programme_id, a.cti_id, a.code, a.year, a.year = %(year)s AS mid_year,
         CASE WHEN a.year = %(year)s THEN greatest(a.known_on, %(mid_year)s) ELSE a.known_on END
           AS validated_on,
         CASE WHEN a.actual IS NULL OR a.target IS NULL OR a.target <= 0 THEN NULL
              WHEN a.direction = 'up' THEN a.actual / a.target
              WHEN a.actual <= 0 THEN NULL
              ELSE a.target / a.actual END AS achievement
  FROM (
    SELECT a.*, CASE WHEN a.year = %(year)s AND a.aggregation = 'sum'
                     THEN t.value * a.periods / 4 ELSE t.value END AS target
    FROM actuals a LEFT JOIN targets t ON t.indicator_id = a.indicator_id AND t.year = a.year
  ) a
),
scores AS (
  SELECT programme_id, cti_id, avg(least(achievement, 1)) AS score, max(validated_on) AS known_on
  FROM assessments WHERE achievement IS NOT NULL GROUP BY programme_id, cti_id
),
-- FACET money: each CTI's allocated and paid totals after each day with entries
facet_changes AS (
  SELECT a.programme_id, a.cti_id, e.entry_date AS day,
         sum(CASE e.kind WHEN 'allocation' THEN e.amount WHEN 'reallocation' THEN -e.amount
             ELSE 0 END) AS allocated,
         sum(CASE e.kind WHEN 'disbursement' THEN e.amount ELSE 0 END) AS paid
  FROM fund_entry e JOIN fund_allocation a ON a.id = e.allocation_id
  WHERE a.programme_id IN (SELECT id FROM followed) AND e.entry_date <= %(today)s
  GROUP BY 1, 2, 3
  UNION ALL
  SELECT t.programme_id, t.cti_id, e.entry_date, sum(e.amount), 0
  FROM fund_entry e JOIN fund_allocation t ON t.id = e.target_id
  WHERE e.kind = 'reallocation' AND t.programme_id IN (SELECT id FROM followed)
    AND e.entry_date <= %(today)s
  GROUP BY 1, 2, 3
),
facet_states AS (
  SELECT c.programme_id, c.cti_id, c.day,
         sum(sum(c.allocated)) OVER w AS allocated, sum(sum(c.paid)) OVER w AS paid,
         coalesce(lead(c.day) OVER w - 1, %(today)s) AS last_day,
         make_date(f.start_year, 1, 1) AS starts,
         make_date(f.end_year, 12, 31) - make_date(f.start_year, 1, 1) + 1 AS total
  FROM facet_changes c JOIN followed f ON f.id = c.programme_id
  GROUP BY c.programme_id, c.cti_id, c.day, f.start_year, f.end_year
  WINDOW w AS (PARTITION BY c.programme_id, c.cti_id ORDER BY c.day)
),
facet_holds AS (  -- the first day of each state on which each rule holds (none: NULL)
  SELECT s.*, sc.score, sc.known_on,
         CASE WHEN s.allocated > 0 AND g.gone <= s.total
                   AND greatest(s.day, s.starts + g.gone - 1) <= s.last_day
              THEN greatest(s.day, s.starts + g.gone - 1) END AS lag_from,
         CASE WHEN s.allocated > 0 AND s.paid - sc.score * s.allocated >= %(ahead)s * s.allocated
              THEN s.day END AS ahead_from
  FROM facet_states s
  LEFT JOIN scores sc ON sc.programme_id = s.programme_id AND sc.cti_id = s.cti_id
  CROSS JOIN LATERAL (
    SELECT CASE WHEN s.allocated > 0
                THEN ceil((s.paid + %(lag)s * s.allocated) * s.total / s.allocated)::int END AS gone
  ) g
),
facet_breaks AS (  -- the last state, counting back from today, where a stretch starts anew
  SELECT h.*,
         max(h.day) FILTER (WHERE h.lag_from IS DISTINCT FROM h.day) OVER p AS lag_break,
         max(h.day) FILTER (WHERE h.ahead_from IS DISTINCT FROM h.day) OVER p AS ahead_break,
         last_value(h.allocated) OVER p AS allocated_now, last_value(h.paid) OVER p AS paid_now
  FROM facet_holds h
  WINDOW p AS (PARTITION BY h.programme_id, h.cti_id ORDER BY h.day
               ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
),
facet AS (
  SELECT b.programme_id, b.cti_id,
         min(b.lag_from) FILTER (WHERE b.day >= coalesce(b.lag_break, '-infinity')) AS lag_since,
         min(b.ahead_from) FILTER (WHERE b.day >= coalesce(b.ahead_break, '-infinity'))
           AS ahead_since,
         max(b.allocated_now) AS allocated, max(b.paid_now) AS paid, max(b.score) AS score,
         max(b.known_on) AS known_on
  FROM facet_breaks b GROUP BY b.programme_id, b.cti_id
),
contracts AS (
  SELECT DISTINCT ON (ag.programme_id, ap.organisation_id) ag.programme_id,
         ap.organisation_id AS cti_id, ag.id
  FROM programmes_agreementparty ap JOIN programmes_agreement ag ON ag.id = ap.agreement_id
  WHERE ag.programme_id IN (SELECT id FROM followed) AND ag.kind = 'contrat_objectifs'
  ORDER BY ag.programme_id, ap.organisation_id, ag.signed_on DESC NULLS FIRST
),
-- values still unreported for a period whose window closed
reporting AS (
  SELECT p.id, p.year, p.part, p.closes_on, ap.organisation_id AS cti_id, count(*) AS pending
  FROM results_reportingperiod p
  JOIN results_objective o ON o.programme_id = p.programme_id AND o.agreement_id IS NOT NULL
  JOIN results_indicator i ON i.objective_id = o.id
  JOIN programmes_agreementparty ap ON ap.agreement_id = o.agreement_id
  JOIN core_organisation org ON org.id = ap.organisation_id AND org.kind = 'cti'
  WHERE p.programme_id IN (SELECT id FROM followed) AND p.closes_on < %(today)s
    AND NOT EXISTS (SELECT 1 FROM results_measurement m
                    WHERE m.period_id = p.id AND m.indicator_id = i.id
                      AND m.organisation_id = ap.organisation_id
                      AND m.status IN ('submitted', 'validated'))
  GROUP BY p.id, ap.organisation_id
)
"""
WATCH_ROWS = """
SELECT 'facet_lag' AS rule, o.acronym AS subject, f.cti_id AS organisation_id, f.lag_since AS since,
       f.paid AS a, f.allocated AS b, NULL::numeric AS c, NULL AS text, f.programme_id AS link
FROM facet f JOIN core_organisation o ON o.id = f.cti_id WHERE f.lag_since IS NOT NULL
UNION ALL
SELECT 'facet_ahead', o.acronym, f.cti_id, greatest(f.ahead_since, f.known_on), f.paid,
       f.allocated, f.score, NULL, f.programme_id
FROM facet f JOIN core_organisation o ON o.id = f.cti_id
WHERE f.ahead_since IS NOT NULL AND f.allocated > 0
UNION ALL
SELECT 'kpi_off_track', o.acronym, a.cti_id, max(a.validated_on), count(*), a.year,
       a.mid_year::int, string_agg(a.code, ', ' ORDER BY a.code), max(c.id)
FROM assessments a JOIN core_organisation o ON o.id = a.cti_id
LEFT JOIN contracts c ON c.programme_id = a.programme_id AND c.cti_id = a.cti_id
WHERE a.achievement < %(at_risk)s
GROUP BY a.programme_id, a.cti_id, o.acronym, a.year, a.mid_year
UNION ALL
SELECT 'reporting_overdue', o.acronym, r.cti_id, r.closes_on + 1, r.pending, r.year, r.part,
       to_char(r.closes_on, 'DD/MM/YYYY'), r.id
FROM reporting r JOIN core_organisation o ON o.id = r.cti_id
UNION ALL
SELECT 'milestone_slipping', p.code, p.lead_id, min(m.due_on) + 1, count(*), NULL, NULL,
       to_char(min(m.due_on), 'DD/MM/YYYY'), m.project_id
FROM projects_milestone m JOIN projects_project p ON p.id = m.project_id
WHERE m.status = 'pending' AND m.due_on < %(today)s
GROUP BY m.project_id, p.code, p.lead_id
UNION ALL
SELECT 'recommendation_overdue', format(%(recommendation)s, r.number, e.title), r.owner_id,
       r.due_on + 1, r.number, NULL, NULL, r.status, r.id
FROM governance_recommendation r JOIN governance_evaluation e ON e.id = r.evaluation_id
WHERE r.status IN ('open', 'in_progress') AND r.due_on < %(today)s
UNION ALL
SELECT 'accreditation_expiring', o.acronym || ' — ' || l.name, l.cti_id,
       l.accredited_until - %(window)s, NULL, NULL, NULL, to_char(l.accredited_until, 'DD/MM/YYYY'),
       l.id
FROM certification_laboratory l JOIN core_organisation o ON o.id = l.cti_id
WHERE l.is_active AND l.accredited_until <= %(today)s + %(window)s
"""
WATCH_SQL = WATCH_CTES + WATCH_ROWS + "ORDER BY since, rule, subject"
# The home page shows the longest-standing alerts (views.HOME_ALERTS) and how many there are.
HOME_ALERTS_SQL = (
    WATCH_CTES
    + f"SELECT *, count(*) OVER () FROM ({WATCH_ROWS}) alerts ORDER BY since, rule, subject LIMIT 8"
)

# --- the plan at a glance, the to-do list and the summary of the home page ----------------------

GLANCE_SQL = """
SELECT id, title, envelope, start_year, end_year FROM programmes_programme WHERE id = %(plan)s;
SELECT max(p.year) FROM results_measurement m
JOIN results_reportingperiod p ON p.id = m.period_id
WHERE p.programme_id = %(plan)s AND p.year <= %(year)s AND m.status = 'validated'
  AND NOT EXISTS (SELECT 1 FROM results_measurement c
                  WHERE c.supersedes_id = m.id AND c.status = 'validated');
SELECT e.kind, sum(e.amount) FROM fund_entry e JOIN fund_allocation a ON a.id = e.allocation_id
WHERE a.programme_id = %(plan)s AND e.entry_date <= %(today)s GROUP BY e.kind;
SELECT count(*), count(DISTINCT d.company_id),
       count(DISTINCT d.company_id) FILTER (WHERE c.size_class IN ('TPE', 'PME')),
       coalesce(sum(d.amount_invoiced), 0)
FROM services_servicedelivery d JOIN services_company c ON c.id = d.company_id
WHERE d.started_on BETWEEN make_date(%(start)s, 1, 1) AND make_date(%(end)s, 12, 31);
SELECT (SELECT count(*) FROM certification_certificate WHERE status = 'valid'),
       (SELECT count(*) FROM standards_standardwork),
       (SELECT count(*) FROM projects_project WHERE status = 'in_progress'),
       (SELECT count(*) FROM training_trainee WHERE status = 'completed');
SELECT count(*) FILTER (WHERE status = 'submitted'),
       min(submitted_at) FILTER (WHERE status = 'submitted')
FROM results_measurement;
SELECT (SELECT count(*) FROM governance_decision
        WHERE follow_up_status IN ('open', 'in_progress') AND due_on <= %(horizon)s),
       (SELECT min(due_on) FROM governance_decision
        WHERE follow_up_status IN ('open', 'in_progress') AND due_on <= %(horizon)s),
       (SELECT count(*) FROM governance_recommendation
        WHERE status IN ('open', 'in_progress') AND due_on <= %(horizon)s),
       (SELECT min(due_on) FROM governance_recommendation
        WHERE status IN ('open', 'in_progress') AND due_on <= %(horizon)s),
       (SELECT count(*) FROM programmes_deliverable WHERE status = 'delivered'),
       (SELECT min(delivered_on) FROM programmes_deliverable WHERE status = 'delivered');
SELECT m.role, o.id, o.name FROM core_membership m JOIN core_organisation o
ON o.id = m.organisation_id WHERE m.user_id = %(user)s ORDER BY m.role;
SELECT kind, count(*) FROM core_organisation WHERE is_active GROUP BY kind;
SELECT count(*) FROM core_user WHERE is_active
"""

# The statuses of the year's contract indicators, counted by CTI and by axis (the bands).
BANDS_SQL = f"""
WITH indicators AS (
  SELECT i.id, i.code, i.kind, i.direction, i.aggregation, coalesce(ax.number, pax.number) AS axis
  FROM results_indicator i JOIN results_objective o ON o.id = i.objective_id
  LEFT JOIN programmes_strategicaxis ax ON ax.id = o.axis_id
  LEFT JOIN results_objective po ON po.id = o.parent_id
  LEFT JOIN programmes_strategicaxis pax ON pax.id = po.axis_id
  WHERE o.programme_id = %(plan)s AND o.agreement_id IS NOT NULL
),
year_values AS (
  SELECT m.organisation_id AS cti_id, m.indicator_id, p.part, m.value, m.numerator, m.denominator
  FROM results_measurement m JOIN results_reportingperiod p ON p.id = m.period_id
  WHERE m.indicator_id IN (SELECT id FROM indicators) AND p.programme_id = %(plan)s
    AND p.year = %(year)s AND m.status = 'validated'
    AND NOT EXISTS (SELECT 1 FROM results_measurement c
                    WHERE c.supersedes_id = m.id AND c.status = 'validated')
),
actuals AS (
  SELECT v.cti_id, i.id, i.axis, i.direction,
         {ACTUAL_BY_RULE} AS actual
  FROM year_values v JOIN indicators i ON i.id = v.indicator_id
  GROUP BY v.cti_id, i.id, i.axis, i.kind, i.direction, i.aggregation
),
targets AS (
  SELECT DISTINCT ON (t.indicator_id) t.indicator_id, t.value
  FROM results_target t LEFT JOIN programmes_amendment a ON a.id = t.amendment_id
  WHERE t.indicator_id IN (SELECT id FROM indicators) AND t.year = %(year)s
  ORDER BY t.indicator_id, coalesce(a.number, 0) DESC
),
statuses AS (
  SELECT a.cti_id, a.axis,
         CASE WHEN t.value IS NULL OR t.value <= 0 OR a.actual IS NULL THEN 'no_data'
              WHEN a.direction = 'up' THEN
                CASE WHEN a.actual / t.value >= %(on_track)s THEN 'on_track'
                     WHEN a.actual / t.value >= %(at_risk)s THEN 'at_risk' ELSE 'off_track' END
              WHEN a.actual <= 0 THEN 'no_data'
              WHEN t.value / a.actual >= %(on_track)s THEN 'on_track'
              WHEN t.value / a.actual >= %(at_risk)s THEN 'at_risk' ELSE 'off_track' END AS status
  FROM actuals a LEFT JOIN targets t ON t.indicator_id = a.id
),
reporting AS (
  SELECT DISTINCT organisation_id AS cti_id FROM results_measurement
  WHERE indicator_id IN (SELECT id FROM indicators)
)
SELECT o.id, o.acronym, NULL AS axis, s.status, count(s.status),
       (SELECT max(ap.agreement_id) FROM programmes_agreementparty ap
        JOIN programmes_agreement ag ON ag.id = ap.agreement_id
        WHERE ap.organisation_id = o.id AND ag.programme_id = %(plan)s
          AND ag.kind = 'contrat_objectifs')
FROM reporting r JOIN core_organisation o ON o.id = r.cti_id AND o.kind = 'cti'
LEFT JOIN statuses s ON s.cti_id = o.id
GROUP BY o.id, o.acronym, s.status
UNION ALL
SELECT NULL, NULL, s.axis, s.status, count(*), NULL FROM statuses s
WHERE s.axis IN (SELECT number FROM programmes_strategicaxis WHERE programme_id = %(plan)s)
GROUP BY s.axis, s.status
ORDER BY 2, 3
"""

# --- benchmarking the network ----------------------------------------------------------------

BENCHMARK_SQL = """
WITH served AS (
  SELECT d.cti_id, count(*) AS deliveries, count(DISTINCT d.company_id) AS companies,
         count(DISTINCT d.company_id) FILTER (WHERE c.size_class IN ('TPE', 'PME')) AS smes,
         sum(d.amount_invoiced) AS revenue
  FROM services_servicedelivery d JOIN services_company c ON c.id = d.company_id
  WHERE d.started_on BETWEEN %(first)s AND %(last)s GROUP BY d.cti_id
),
paid AS (
  SELECT a.cti_id, sum(e.amount) AS paid FROM fund_entry e
  JOIN fund_allocation a ON a.id = e.allocation_id
  WHERE e.kind = 'disbursement' AND e.entry_date BETWEEN %(first)s AND %(last)s GROUP BY a.cti_id
),
waits AS (
  SELECT d.cti_id, percentile_cont(0.5) WITHIN GROUP (
           ORDER BY greatest(d.started_on - (r.received_at AT TIME ZONE 'UTC')::date, 0)) AS days
  FROM services_servicedelivery d JOIN services_servicerequest r ON r.id = d.request_id
  WHERE d.started_on BETWEEN %(first)s AND %(last)s GROUP BY d.cti_id
),
ratios AS (
  SELECT o.id, o.acronym,
         p.paid / nullif(s.companies, 0) AS facet_per_company,
         s.revenue / nullif(st.graduates + st.technicians + st.administrative, 0)
           AS revenue_per_staff,
         s.deliveries::numeric / nullif(st.graduates, 0) AS services_per_engineer,
         s.smes::numeric / nullif(s.companies, 0) AS sme_share,
         w.days AS request_days
  FROM core_organisation o
  LEFT JOIN served s ON s.cti_id = o.id LEFT JOIN paid p ON p.cti_id = o.id
  LEFT JOIN certification_staffcount st ON st.cti_id = o.id AND st.year = %(year)s
  LEFT JOIN waits w ON w.cti_id = o.id
  WHERE o.kind = 'cti'
)
SELECT id, acronym, facet_per_company, revenue_per_staff, services_per_engineer, sme_share,
       request_days::numeric, NULL::int FROM ratios
UNION ALL
SELECT NULL, q::text,
       percentile_cont(q) WITHIN GROUP (ORDER BY facet_per_company),
       percentile_cont(q) WITHIN GROUP (ORDER BY revenue_per_staff),
       percentile_cont(q) WITHIN GROUP (ORDER BY services_per_engineer),
       percentile_cont(q) WITHIN GROUP (ORDER BY sme_share),
       percentile_cont(q) WITHIN GROUP (ORDER BY request_days),
       count(facet_per_company)
FROM ratios CROSS JOIN unnest(ARRAY[0.25, 0.5, 0.75]::float8[]) AS q GROUP BY q
ORDER BY 1, 2
"""

# --- the map of the regions ------------------------------------------------------------------

REGIONS_SQL = """
SELECT c.region, count(*), count(DISTINCT d.company_id), coalesce(sum(d.amount_invoiced), 0)
FROM services_servicedelivery d JOIN services_company c ON c.id = d.company_id
WHERE d.started_on BETWEEN %(first)s AND %(last)s GROUP BY c.region;
SELECT region, count(*) FROM projects_project WHERE region <> '' GROUP BY region
"""


def _statements(sql: str, params: dict) -> list[list[tuple]]:
    with connection.cursor() as cursor:
        results = []
        for statement in filter(str.strip, sql.split(";")):
            cursor.execute(statement, params)
            results.append(cursor.fetchall())
        return results


# --- the rows the dashboards need that the other benches do not make ---------------------------


def _dataset(seed: int) -> dict:
    from pilotage.certification.models import Laboratory, StaffCount
    from pilotage.core.models import Organisation
    from pilotage.governance.models import Evaluation, Recommendation
    from pilotage.projects.models import Milestone, Project

    bench_officer()
    if Evaluation.objects.filter(title=EVALUATION).exists():
        return _counts()
    rng = random.Random(seed)
    ctis = list(Organisation.objects.filter(kind="cti").order_by("acronym"))
    with transaction.atomic():
        # Headcounts for every CTI and year (certification.py makes 2000-2025 for the CTIs it
        # finds; these fill what it left, so that the ratios exist when this bench runs alone).
        StaffCount.objects.bulk_create(
            (
                StaffCount(cti=cti, year=year, graduates=rng.randint(10, 60),
                           technicians=rng.randint(20, 80), administrative=rng.randint(5, 20),
                           note="bench")
                for cti in ctis for year in range(YEAR - 3, YEAR + 1)
            ),
            ignore_conflicts=True,
        )  # fmt: skip
        _requests(seed)
        start = datetime.date(YEAR - 1, 1, 1)
        projects = Project.objects.bulk_create(
            Project(code=f"B-D-{n:03d}", title=f"Projet suivi {n}", kind="general_interest",
                    lead=rng.choice(ctis), starts_on=start,
                    ends_on=start + datetime.timedelta(days=1460), region=f"{n % 12 + 1:02d}")
            for n in range(PROJECTS)
        )  # fmt: skip
        milestones = []
        for project in projects:
            for k in range(MILESTONES_PER_PROJECT):
                due = start + datetime.timedelta(days=rng.randint(0, 1460))
                status = rng.choices(["pending", "met", "not_met"], weights=[6, 3, 1])[0]
                milestones.append(
                    Milestone(project=project, title=f"Jalon {k}", due_on=due, status=status,
                              reached_on=None if status == "pending" else due)
                )  # fmt: skip
        Milestone.objects.bulk_create(milestones)
        evaluation = Evaluation.objects.create(
            title=EVALUATION, evaluator="Bench", delivered_on=datetime.date(YEAR - 1, 6, 30)
        )
        recommendations = []
        for n in range(1, RECOMMENDATIONS + 1):
            response = rng.choices(["accepted", "partly", "rejected"], weights=[6, 3, 1])[0]
            status = (
                "dropped"
                if response == "rejected"
                else rng.choice(["open", "in_progress", "implemented"])
            )
            recommendations.append(
                Recommendation(evaluation=evaluation, number=n, text=f"Recommandation {n}",
                               response=response, owner=rng.choice(ctis), status=status,
                               due_on=start + datetime.timedelta(days=rng.randint(0, 1460)))
            )  # fmt: skip
        Recommendation.objects.bulk_create(recommendations)
        Laboratory.objects.bulk_create(
            Laboratory(cti=cti, name=f"Laboratoire bench {k}", site="Site", region="06",
                       domain="Essais", accreditation_number=f"B-LAB-{cti.pk}-{k}",
                       accredited_until=start + datetime.timedelta(days=rng.randint(0, 1460)),
                       is_active=rng.random() < 0.9)
            for cti in ctis for k in range(LABORATORIES_PER_CTI)
        )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE services_servicerequest; ANALYZE services_servicedelivery")
    return _counts()


def _requests(seed: int) -> None:
    """One delivery in REQUEST_EVERY of run.py's comes from a request received 0 to 59 days
    before it started (at 10:00, Casablanca), through one offering per CTI."""
    from pilotage.prestations.models import ServiceOffering

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT cti_id FROM services_servicedelivery WHERE reference LIKE 'BENCH-%%'"
        )
        for (cti_id,) in cursor.fetchall():
            ServiceOffering.objects.get_or_create(
                code=f"B-OFF-{cti_id}", cti_id=cti_id,
                defaults={"category": "laboratory_testing", "title": "Essais (bench)"},
            )  # fmt: skip
        cursor.execute(
            """
            INSERT INTO services_servicerequest
              (offering_id, cti_id, company_name, ice, contact_name, email, phone, message,
               language, status, decision_reason, received_at)
            SELECT o.id, d.cti_id, 'Bench', '', 'Contact', 'contact@example.com', '',
                   'BENCH-REQ ' || d.id, 'fr', 'converted', '',
                   (d.started_on - ((d.id * 7919 + %(seed)s) %% 60)::int + time '10:00')
                     AT TIME ZONE %(tz)s
            FROM services_servicedelivery d JOIN services_serviceoffering o
              ON o.code = 'B-OFF-' || d.cti_id AND o.cti_id = d.cti_id
            WHERE d.reference LIKE 'BENCH-%%' AND d.id %% %(every)s = 0 AND d.request_id IS NULL
            """,
            {"seed": seed, "tz": settings.TIME_ZONE, "every": REQUEST_EVERY},
        )
        cursor.execute(
            """
            UPDATE services_servicedelivery d SET request_id = r.id
            FROM services_servicerequest r
            WHERE r.message LIKE 'BENCH-REQ %%' AND d.id = substr(r.message, 11)::bigint
            """
        )


def _counts() -> dict:
    from pilotage.certification.models import Laboratory, StaffCount
    from pilotage.governance.models import Recommendation
    from pilotage.prestations.models import ServiceDelivery
    from pilotage.projects.models import Milestone

    return {
        "deliveries": ServiceDelivery.objects.count(),
        "staff_counts": StaffCount.objects.count(),
        "deliveries_from_requests": ServiceDelivery.objects.filter(request__isnull=False).count(),
        "milestones": Milestone.objects.count(),
        "recommendations": Recommendation.objects.count(),
        "laboratories": Laboratory.objects.count(),
    }


# --- the same figures, asserted --------------------------------------------------------------


def _watch_params(today: datetime.date) -> dict:
    from django.utils.translation import gettext

    from pilotage.dashboards.watch import Thresholds

    thresholds = Thresholds.from_settings()
    subject = gettext("Recommendation %(number)s of %(evaluation)s")
    return {
        "year": today.year,
        "today": today,
        "mid_year": datetime.date(today.year, *thresholds.mid_year),
        "tz": settings.TIME_ZONE,
        "at_risk": thresholds.at_risk,
        "lag": thresholds.facet_lag,
        "ahead": thresholds.facet_ahead,
        "window": thresholds.accreditation_days,
        "recommendation": subject.replace("%(number)s", "%1$s").replace("%(evaluation)s", "%2$s"),
    }


def _reason_figures(row: tuple, today: datetime.date) -> list[str]:
    """What an alert's reason must say, from the SQL's row."""
    from pilotage.core.numbers import format_percent
    from pilotage.fund.selectors import time_elapsed
    from pilotage.programmes.models import Programme

    rule, _subject, _organisation, _since, a, b, c, text, link = row[:9]
    if rule == "facet_lag":
        elapsed = time_elapsed(Programme.objects.get(pk=link), today)
        return [format_percent(a / b), format_percent(elapsed)]
    if rule == "facet_ahead":
        return [format_percent(a / b), format_percent(c)]
    if rule in ("kpi_off_track", "milestone_slipping", "reporting_overdue"):
        return [str(a), text]
    return [text] if rule != "recommendation_overdue" else []


def _check_watch(officer, today: datetime.date, params: dict) -> list:
    from pilotage.dashboards.watch import watch_list

    alerts = watch_list(officer, today)
    rows = _statements(WATCH_SQL, params)[0]
    mine = [(str(a.rule), a.subject, a.organisation_id, a.since) for a in alerts]
    theirs = [row[:4] for row in rows]
    missing, extra = Counter(theirs) - Counter(mine), Counter(mine) - Counter(theirs)
    assert not missing and not extra, (list(missing)[:10], list(extra)[:10])
    assert mine == theirs  # and in the same order: the longest-standing first
    for alert, row in zip(alerts, rows, strict=True):
        for figure in _reason_figures(row, today):
            assert figure in alert.reason, (alert, figure)
    assert {rule for rule, *_rest in theirs} >= {
        "facet_lag",
        "kpi_off_track",
        "reporting_overdue",
        "milestone_slipping",
        "recommendation_overdue",
        "accreditation_expiring",
    }, Counter(rule for rule, *_rest in theirs)  # every rule has data (FACET ahead may not)
    return alerts


def _check_home(officer, today: datetime.date, plan, params: dict) -> dict:
    from pilotage.dashboards.selectors import plan_glance

    glance = plan_glance(officer, today)
    assert glance is not None and glance.programme == plan
    figures = _home_figures(plan, params)
    money = glance.money.figures
    assert (money.allocated, money.committed, money.disbursed) == (
        figures["money"].get("allocation", 0), figures["money"].get("commitment", 0),
        figures["money"].get("disbursement", 0),
    )  # fmt: skip
    assert glance.kpi_year == figures["kpi_year"]
    assert [f.value for f in glance.services] == list(figures["services"])
    assert [f.value for f in glance.records] == list(figures["records"])
    by_cti = {b.label: [n for _s, n in b.cells()] for b in glance.bands_by_cti}
    by_axis = {b.label: [n for _s, n in b.cells()] for b in glance.bands_by_axis}
    assert by_cti == {k: v for k, v in figures["bands_cti"].items()}, (by_cti, figures["bands_cti"])
    assert list(by_axis.values()) == list(figures["bands_axis"].values())
    return figures


def _home_figures(plan, params: dict) -> dict:
    """The home page's figures from the SQL: what the floor writes."""
    alerts = _statements(HOME_ALERTS_SQL, params)[0]
    glance_params = {
        **params, "plan": plan.pk, "start": plan.start_year, "end": plan.end_year,
        "horizon": params["today"] + datetime.timedelta(days=30), "user": params["user"],
    }  # fmt: skip
    (programme, (kpi_year,), money, services, records, todo_results, todo_due, memberships,
     organisations, people) = _statements(GLANCE_SQL, glance_params)  # fmt: skip
    bands_cti: dict[str, list[int]] = {}
    bands_axis: dict[int, list[int]] = {}
    statuses = ("on_track", "at_risk", "off_track")
    if kpi_year[0] is not None:
        bands_params = {
            **glance_params,
            "year": kpi_year[0],
            "on_track": Decimal(settings.RESULTS_ON_TRACK),
            "at_risk": Decimal(settings.RESULTS_AT_RISK),
        }
        for _id, acronym, axis, status, count, _contract in _statements(BANDS_SQL, bands_params)[0]:
            row = (bands_cti.setdefault(acronym, [0, 0, 0]) if acronym is not None
                   else bands_axis.setdefault(axis, [0, 0, 0]))  # fmt: skip
            if status in statuses:
                row[statuses.index(status)] += count
    companies, deliveries, smes, amount = (
        services[0][1],
        services[0][0],
        services[0][2],
        (services[0][3]),
    )
    return {
        "alerts": alerts,
        "programme": programme[0],
        "kpi_year": kpi_year[0],
        "money": dict(money),
        "services": (deliveries, companies, smes, amount),
        "records": records[0],
        "bands_cti": bands_cti,
        "bands_axis": dict(sorted(bands_axis.items())),
        "todo": (todo_results[0], todo_due[0]),
        "memberships": memberships,
        "organisations": dict(organisations),
        "people": people[0][0],
    }


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(Decimal(a) - Decimal(b)) <= Decimal("1e-9") * max(1, abs(Decimal(a)))


def _check_benchmark(officer, params: dict) -> None:
    from pilotage.dashboards.benchmarks import RATIO_KEYS, benchmark

    result = benchmark(officer, YEAR)
    rows = _statements(BENCHMARK_SQL, params)[0]
    sql = {row[0]: row[2:7] for row in rows if row[0] is not None}
    assert {r.cti_id for r in result.rows} == set(sql)
    for r in result.rows:
        for key, value in zip(RATIO_KEYS, sql[r.cti_id], strict=True):
            assert _close(r.values[key], value), (r.acronym, key, r.values[key], value)
    for row in (row for row in rows if row[0] is None):
        position = {"0.25": "q1", "0.5": "median", "0.75": "q3"}[row[1]]
        for key, value in zip(RATIO_KEYS, row[2:7], strict=True):
            assert _close(getattr(result.network[key], position), value), (key, position)
    assert all(result.network[key].median is not None for key in RATIO_KEYS), result.network


def _check_regions(officer, params: dict) -> None:
    from pilotage.dashboards.selectors import region_figures

    served, projects = _statements(REGIONS_SQL, params)
    served_by = {row[0]: row[1:] for row in served}
    projects_by = dict(projects)
    for region in region_figures(officer, YEAR):
        deliveries, companies, revenue = served_by.get(region.code, (0, 0, Decimal(0)))
        assert (region.deliveries, region.companies, region.revenue, region.projects) == (
            deliveries, companies, revenue, projects_by.get(region.code, 0))  # fmt: skip


# --- the floors: the SQL, then the same cells as bare HTML -----------------------------------

E = html.escape


def _alert_url(row: tuple) -> str:
    rule, _subject, organisation, _since, _a, year, _c, _text, link = row[:9]
    return {
        "facet_lag": f"/fund/journal/?programme={link}&cti={organisation}",
        "facet_ahead": f"/fund/journal/?programme={link}&cti={organisation}",
        "kpi_off_track": f"/results/contracts/{link}/scorecard/?year={year}",
        "reporting_overdue": f"/results/measurements/?period={link}&organisation={organisation}",
        "milestone_slipping": f"/projects/milestones/?project={link}&overdue=true",
        "recommendation_overdue": f"/governance/recommendations/{link}/",
        "accreditation_expiring": f"/certification/laboratories/{link}/",
    }[rule]


def _alert_reason(row: tuple, elapsed: dict) -> str:
    rule, _subject, _organisation, _since, a, b, c, text, link = row[:9]
    if rule == "facet_lag":
        return f"{a / b:.1%} paid, {elapsed[link]:.1%} elapsed."
    if rule == "facet_ahead":
        return f"{a / b:.1%} paid, achieved {c:.1%}."
    if rule == "kpi_off_track":
        return f"{a} indicators below their {b} targets: {text}."
    if rule == "reporting_overdue":
        return f"{a} values for {b} T{c} not reported; the window closed on {text}."
    if rule == "milestone_slipping":
        return f"{a} milestones past due, the first since {text}."
    if rule == "recommendation_overdue":
        return f"Still {text}."
    return f"Accreditation ends on {text}."


def _alerts_html(rows: list[tuple], elapsed: dict, labels: dict) -> str:
    return "".join(
        f'<li data-rule="{row[0]}"><span>{labels[row[0]]}</span> <strong>{E(row[1])}</strong> '
        f'<a href="{_alert_url(row)}">{E(_alert_reason(row, elapsed))}</a> '
        f"<span>since {row[3]:%d/%m/%Y}</span></li>"
        for row in rows
    )


def _elapsed(today: datetime.date) -> dict:
    from pilotage.fund.selectors import time_elapsed
    from pilotage.programmes.models import Programme

    return {plan.pk: time_elapsed(plan, today) for plan in Programme.objects.all()}


def _labels() -> dict:
    from pilotage.dashboards.watch import Rule

    return {rule.value: str(rule.label) for rule in Rule}


def _watch_floor(params: dict, elapsed: dict, labels: dict, shown: int) -> str:
    """Every alert's row (the counts by rule need them all), then as many as the page shows."""
    rows = _statements(WATCH_SQL, params)[0]
    counts = Counter(row[0] for row in rows)
    nav = "".join(
        f'<li><a href="?rule={rule}">{label} <span>{counts[rule]}</span></a></li>'
        for rule, label in labels.items()
    )
    return f"<ul>{nav}</ul><ul>{_alerts_html(rows[:shown], elapsed, labels)}</ul>"


def _alerts_shown(officer) -> int:
    """How many alerts the watch page writes out (all of them, or a page of them)."""
    from django.test import Client

    from pilotage.core.testing import sign_in

    with served_as_in_production():
        return sign_in(Client(), officer).get("/watch/").content.count(b'data-rule="')


def _home_floor(plan, params: dict, elapsed: dict, labels: dict) -> str:
    f = _home_figures(plan, params)
    money = f["money"]
    cells = "".join(
        f'<div><div class="h4">{money.get(kind, 0) / 1_000_000:.2f} MDH</div>'
        f'<a href="/fund/journal/?programme={plan.pk}&kind={kind}">{kind}</a></div>'
        for kind in ("allocation", "commitment", "disbursement")
    )
    bands = "".join(
        f'<tr><th><a href="/results/">{E(str(label))}</a></th>'
        + "".join(f'<td><a href="/results/">{n}</a></td>' for n in counts)
        + "</tr>"
        for table in (f["bands_axis"], f["bands_cti"])
        for label, counts in table.items()
    )
    figures = "".join(
        f'<div><div class="h4">{value}</div><a href="/list/">figure</a></div>'
        for value in (*f["services"], *f["records"])
    )
    alerts = f["alerts"]
    todo = "".join(f"<li><span>{n}</span> <a href='/todo/'>waiting</a></li>" for n in f["todo"])
    roles = "".join(f"<div>{role} <a href='/o/{pk}/'>{E(name)}</a></div>"
                    for role, pk, name in f["memberships"])  # fmt: skip
    kinds = "".join(f"<div>{n} <a href='/o/?kind={k}'>{k}</a></div>"
                    for k, n in f["organisations"].items())  # fmt: skip
    return (
        f"<h2>{E(f['programme'][1])}</h2>{cells}<table>{bands}</table>{figures}"
        f"<span>{alerts[0][-1] if alerts else 0}</span><ul>{_alerts_html(alerts, elapsed, labels)}"
        f"</ul><ul>{todo}</ul>{roles}{kinds}<div>{f['people']}</div>"
    )


def _benchmark_floor(params: dict, ratios: list) -> str:
    rows = _statements(BENCHMARK_SQL, params)[0]

    def cell(value: Any) -> str:
        return "—" if value is None else f"{value:,.2f}"

    head = "".join(f"<th>{E(str(r.label))}</th>" for r in ratios)
    body = "".join(
        f'<tr data-cti="{E(row[1])}"><th><a href="/services/deliveries/?cti={row[0]}'
        f'&year={YEAR}">{E(row[1])}</a></th>'
        + "".join(f"<td>{cell(value)}</td>" for value in row[2:7])
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _regions_floor(params: dict, names: dict) -> str:
    served, projects = _statements(REGIONS_SQL, params)
    served_by = {row[0]: row[1:] for row in served}
    projects_by = dict(projects)
    body = []
    for code, name in names.items():
        deliveries, companies, revenue = served_by.get(code, (0, 0, 0))
        url = f"/services/deliveries/?region={code}&year={YEAR}"
        body.append(
            f'<tr data-region="{code}"><th><a href="{url}">{E(name)}</a></th>'
            f'<td><a href="{url}">{companies}</a></td><td><a href="{url}">{deliveries}</a></td>'
            f'<td><a href="{url}">{revenue / 1_000_000:.2f}</a></td>'
            f'<td><a href="/projects/?region={code}">{projects_by.get(code, 0)}</a></td></tr>'
        )
    return f"<table>{''.join(body)}</table>"


# --- the queries of each page, with more rows --------------------------------------------------


def _more_rows(seed: int, today: datetime.date) -> None:
    """More of every row the pages loop over, to be rolled back: a plan followed, closed reporting
    periods, CTIs (with deliveries and headcounts), recommendations past due, laboratories, slipping
    projects."""
    from pilotage.certification.models import Laboratory, StaffCount
    from pilotage.core.models import Organisation
    from pilotage.governance.models import Evaluation, Recommendation
    from pilotage.prestations.models import Company, ServiceDelivery
    from pilotage.programmes.models import Programme
    from pilotage.projects.models import Milestone, Project
    from pilotage.results.models import ReportingPeriod

    rng = random.Random(seed + 1)
    results = Programme.objects.get(code="BENCH-RES")
    ReportingPeriod.objects.bulk_create(
        ReportingPeriod(programme=results, year=2021, part=part, opens_on=datetime.date(2021, 1, 1),
                        closes_on=datetime.date(2022, 3, 31), is_open=False)
        for part in (1, 2)
    )  # fmt: skip
    # Followed (it ended last year) but not the plan at a glance (it started before the others).
    Programme.objects.create(
        code="BENCH-MORE", title="Plan (bench, more)", start_year=YEAR - 4,
        end_year=today.year - 1, envelope=Decimal(10**9),
    )  # fmt: skip
    ctis = Organisation.objects.bulk_create(
        Organisation(acronym=f"BENCH-MORE-{n}", name=f"CTI plus {n}", kind="cti") for n in range(10)
    )
    StaffCount.objects.bulk_create(
        StaffCount(cti=cti, year=YEAR, graduates=10, technicians=10, administrative=5)
        for cti in ctis
    )
    company = Company.objects.filter(name__startswith="Bench ").first()
    ServiceDelivery.objects.bulk_create(
        ServiceDelivery(cti=cti, reference=f"MORE-{cti.pk}-{n}", company=company,
                        category="diagnostic", started_on=datetime.date(YEAR, 3, 1 + n),
                        amount_invoiced=Decimal(1000), funding="paid")
        for cti in ctis for n in range(10)
    )  # fmt: skip
    evaluation = Evaluation.objects.get(title=EVALUATION)
    Recommendation.objects.bulk_create(
        Recommendation(evaluation=evaluation, number=RECOMMENDATIONS + n, text="Plus",
                       response="accepted", owner=rng.choice(ctis),
                       due_on=today - datetime.timedelta(days=n + 1))
        for n in range(1, 51)
    )  # fmt: skip
    Laboratory.objects.bulk_create(
        Laboratory(cti=cti, name=f"Laboratoire plus {k}", site="Site", region="06",
                   domain="Essais", accreditation_number=f"B-MORE-{cti.pk}-{k}",
                   accredited_until=today + datetime.timedelta(days=k))
        for cti in ctis for k in range(5)
    )  # fmt: skip
    projects = Project.objects.bulk_create(
        Project(code=f"B-MORE-{n:03d}", title="Plus", kind="general_interest",
                lead=rng.choice(ctis), starts_on=datetime.date(YEAR, 1, 1),
                ends_on=datetime.date(YEAR + 2, 1, 1), region="01")
        for n in range(50)
    )  # fmt: skip
    Milestone.objects.bulk_create(
        Milestone(project=p, title="Plus", due_on=today - datetime.timedelta(days=k + 1))
        for p in projects
        for k in range(2)
    )


def _query_counts(pages: dict, topic: str) -> dict[str, int]:
    """Each page's queries as users meet it between two writes (its figures kept: the page is
    read once before), and as the first request after a write to the records of `topic`."""
    counts = {}
    for name, page in pages.items():
        page()
        for label, request in ((name, page), (f"{name}_after_a_write", after_a_write(page, topic))):
            with CaptureQueriesContext(connection) as captured:
                request()
            counts[label] = len(captured.captured_queries)
    return counts


# --- the run ---------------------------------------------------------------------------------


def run(*, seed: int) -> dict:
    from unittest import mock

    from django.utils import timezone, translation

    from pilotage.core.regions import Region
    from pilotage.dashboards.benchmarks import RATIOS
    from pilotage.dashboards.selectors import current_programme
    from pilotage.programmes.models import Programme
    from pilotage.results.selectors import FIGURES as RESULTS

    made = _dataset(seed)
    officer, _ministry = bench_officer()
    today = timezone.localdate()
    year_span = {"year": YEAR, "first": datetime.date(YEAR, 1, 1),
                 "last": datetime.date(YEAR, 12, 31)}  # fmt: skip
    # The plan at a glance is the one running today, else the latest: with the bench's plans that
    # is whichever PostgreSQL returns first among those that started in 2022 (the demo's, here).
    # The national plan of bench/results_matrix.py is shown too, in its place (mock.patch), so
    # that the bands are counted from its 100,000 measurements.
    national = Programme.objects.get(code="BENCH-RES")

    def at_a_glance(plan):
        return mock.patch("pilotage.dashboards.selectors.current_programme", return_value=plan)

    with translation.override(settings.LANGUAGE_CODE):
        params = {**_watch_params(today), "user": officer.pk}
        plan = current_programme(officer, today)
        alerts = _check_watch(officer, today, params)
        _check_home(officer, today, plan, params)
        with at_a_glance(national):
            _check_home(officer, today, national, params)
        _check_benchmark(officer, year_span)
        _check_regions(officer, year_span)
        elapsed, labels = _elapsed(today), _labels()
        names = {code: str(name) for code, name in Region.choices}
        shown = _alerts_shown(officer)

    pages = {
        "home": page_getter(officer, "/", {}),
        "watch": page_getter(officer, "/watch/", {}),
        "watch_json": page_getter(officer, "/api/v1/dashboards/watch", {}),
        "benchmarks": page_getter(officer, "/benchmarks/", {"year": YEAR}),
        "benchmarks_json": page_getter(officer, "/api/v1/dashboards/benchmarks", {"year": YEAR}),
        "map": page_getter(officer, "/map/", {"year": YEAR}),
        "regions_json": page_getter(officer, "/api/v1/dashboards/regions", {"year": YEAR}),
    }

    def national_home() -> None:
        with at_a_glance(national):
            pages["home"]()

    with served_as_in_production(), translation.override(settings.LANGUAGE_CODE):
        queries = _query_counts({**pages, "home_national_plan": national_home}, RESULTS)
        with transaction.atomic():
            _more_rows(seed, today)
            more_queries = _query_counts({**pages, "home_national_plan": national_home}, RESULTS)
            transaction.set_rollback(True)
        times = dict(
            zip(
                ["home", "home_floor", "home_sql", "home_national", "home_national_floor",
                 "home_national_sql"],
                medians(
                    pages["home"], lambda: _home_floor(plan, params, elapsed, labels),
                    lambda: _home_figures(plan, params),
                    national_home, lambda: _home_floor(national, params, elapsed, labels),
                    lambda: _home_figures(national, params), runs=RUNS,
                ),
                strict=True,
            )
        )  # fmt: skip
        times.update(
            zip(
                ["watch", "watch_json", "watch_floor", "watch_sql"],
                medians(
                    pages["watch"], pages["watch_json"],
                    lambda: _watch_floor(params, elapsed, labels, shown),
                    lambda: _statements(WATCH_SQL, params), runs=RUNS,
                ),
                strict=True,
            )
        )  # fmt: skip
        # Apart: the indicator assessments are kept between writes to the plans' results; this
        # is the first request after such a write, that computes them again.
        times.update(
            zip(
                ["watch_written", "watch_json_written"],
                medians(
                    after_a_write(pages["watch"], RESULTS), after_a_write(pages["watch_json"], RESULTS),
                    runs=RUNS,
                ),
                strict=True,
            )
        )  # fmt: skip
        times.update(
            zip(
                ["benchmarks", "benchmarks_json", "benchmarks_floor", "benchmarks_sql", "map",
                 "regions_json", "map_floor", "map_sql"],
                medians(
                    pages["benchmarks"], pages["benchmarks_json"],
                    lambda: _benchmark_floor(year_span, RATIOS),
                    lambda: _statements(BENCHMARK_SQL, year_span),
                    pages["map"], pages["regions_json"], lambda: _regions_floor(year_span, names),
                    lambda: _statements(REGIONS_SQL, year_span), runs=3 * RUNS,
                ),
                strict=True,
            )
        )  # fmt: skip
    deliveries = made["deliveries"]
    rows = [
        (f"home page ({plan.code} at a glance, {len(alerts):,} alerts) vs its floor", deliveries,
         "home", "home_floor", "home_sql"),
        (f"home page ({national.code} at a glance) vs its floor", deliveries, "home_national",
         "home_national_floor", "home_national_sql"),
        (f"watch list page ({len(alerts):,} alerts, {shown:,} shown) vs its floor", len(alerts),
         "watch", "watch_floor", "watch_sql"),
        ("watch list page after a write to the results vs its floor", len(alerts),
         "watch_written", "watch_floor", "watch_sql", None),
        (f"watch list JSON ({len(alerts):,} alerts) vs raw SQL", len(alerts), "watch_json",
         "watch_sql", "watch_sql"),
        ("watch list JSON after a write to the results vs raw SQL", len(alerts),
         "watch_json_written", "watch_sql", "watch_sql", None),
        (f"benchmarks page {YEAR} vs its floor", deliveries, "benchmarks", "benchmarks_floor",
         "benchmarks_sql"),
        (f"benchmarks JSON {YEAR} vs raw SQL", deliveries, "benchmarks_json", "benchmarks_sql",
         "benchmarks_sql"),
        (f"map page {YEAR} vs its floor", deliveries, "map", "map_floor", "map_sql"),
        (f"regions JSON {YEAR} vs raw SQL", deliveries, "regions_json", "map_sql", "map_sql"),
    ]  # fmt: skip
    return {
        "dataset": made,
        "rows": [
            {
                **ratio_row(
                    name, count, times[ours], times[reference], target[0] if target else TARGET
                ),
                "sql_s": round(times[sql], 4),
            }
            for name, count, ours, reference, sql, *target in rows
        ],
        "queries": {
            name: {"national": queries[name], "more_rows": more_queries[name]} for name in queries
        },
    }
