"""Benchmarks of certification and standards at national scale (issue 13):

- verifying one certificate among 1,000,000 through the public page (its QR code's URL: one
  signature check, one indexed lookup, the page) next to the bare indexed lookup and to the
  lookup with the signature check (no page): the page's server time is reported, not targeted;
- the standards pipeline page over 5,000 works (ten times the network's plausible count) and the
  staff and taux d'encadrement page with its network totals, each against the raw SQL of the same
  figures in the same run.

The rows are made in SQL from the bench's deliveries (one validation request and one certificate
per delivery, up to CERTIFICATES), then reused.
"""

import datetime
import os
import random

from django.db import connection, transaction

from bench.common import bench_officer, medians, page_getter, ratio_row, served_as_in_production

CERTIFICATES = int(os.environ.get("BENCH_CERTIFICATES", 1_000_000))
STANDARDS = 5_000
LOOKUPS = 200

REQUESTS_SQL = """
INSERT INTO certification_validationrequest
  (delivery_id, purpose, product, product_category, referential_kind, referential, stage,
   received_on, sample_received_at, testing_started_at, report_issued_at, decided_at, decision,
   decision_note)
SELECT d.id, 'product_validation', 'Produit ' || d.id, 'Catégorie', 'standard', 'NM 00.0.000',
       'decided', d.started_on, d.started_on::timestamptz, d.started_on::timestamptz,
       d.started_on::timestamptz, d.started_on::timestamptz, 'conforming', ''
FROM services_servicedelivery d
WHERE NOT EXISTS (SELECT 1 FROM certification_validationrequest v WHERE v.delivery_id = d.id)
ORDER BY d.id LIMIT %(missing)s
"""
CERTIFICATES_SQL = """
INSERT INTO certification_certificate
  (cti_id, number, request_id, holder_id, product, referential, scope, issued_on, valid_until,
   status, status_reason, short_code)
SELECT d.cti_id, 'B-' || v.id, v.id, d.company_id, v.product, v.referential, '', d.started_on,
       d.started_on + 1095, 'valid', '', upper(substr(md5(v.id::text), 1, 8))
FROM certification_validationrequest v JOIN services_servicedelivery d ON d.id = v.delivery_id
WHERE NOT EXISTS (SELECT 1 FROM certification_certificate c WHERE c.request_id = v.id)
"""
LOOKUP_SQL = """
SELECT c.number, c.product, c.referential, c.issued_on, c.valid_until, c.status, h.name, o.acronym
FROM certification_certificate c JOIN services_company h ON h.id = c.holder_id
JOIN core_organisation o ON o.id = c.cti_id WHERE c.id = %s AND c.number = %s
"""
PIPELINE_SQL = """
SELECT stage, COUNT(*) FROM standards_standardwork GROUP BY stage;
SELECT proposed_on, programmed_on, drafting_on, committee_draft_on, enquiry_opens_on,
       homologated_on, published_on FROM standards_standardwork
"""
STAFF_SQL = """
SELECT s.year, o.acronym, s.graduates, s.technicians, s.administrative
FROM certification_staffcount s JOIN core_organisation o ON o.id = s.cti_id
ORDER BY s.year DESC, s.id LIMIT 25;
SELECT SUM(graduates), SUM(technicians), SUM(administrative) FROM certification_staffcount
"""


def _certificates() -> int:
    from pilotage.certification.models import Certificate

    have = Certificate.objects.count()
    if have < CERTIFICATES:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(REQUESTS_SQL, {"missing": CERTIFICATES - have})
            cursor.execute(CERTIFICATES_SQL)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE certification_certificate")
    return Certificate.objects.count()


@transaction.atomic
def _standards_and_staff(seed: int) -> None:
    from pilotage.certification.models import StaffCount
    from pilotage.core.models import Organisation
    from pilotage.standards.models import STAGE_DATE, Stage, StandardWork

    if StandardWork.objects.filter(reference__startswith="B-").exists():
        return
    rng = random.Random(seed)
    ctis = list(Organisation.objects.filter(kind="cti"))
    stages = list(Stage)
    works = []
    for n in range(STANDARDS):
        stage = rng.choice(stages)
        work = StandardWork(
            cti=rng.choice(ctis), reference=f"B-{n:05d}", title=f"Norme {n}",
            technical_committee=f"CN {n % 40}", stage=stage, proposed_on=datetime.date(2015, 1, 1),
        )  # fmt: skip
        day = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randint(0, 3000))
        for current in stages[: stages.index(stage) + 1]:
            setattr(work, STAGE_DATE[current], day)
            day += datetime.timedelta(days=rng.randint(20, 300))
        if work.enquiry_opens_on:
            work.enquiry_closes_on = work.enquiry_opens_on + datetime.timedelta(days=60)
        if work.homologated_on:
            work.homologation_order = f"B-{n}"
        works.append(work)
    StandardWork.objects.bulk_create(works, batch_size=2000)
    StaffCount.objects.bulk_create((
        StaffCount(cti=cti, year=year, graduates=rng.randint(10, 60),
                   technicians=rng.randint(20, 80), administrative=rng.randint(5, 20))
        for cti in ctis for year in range(2000, 2026)
    ), ignore_conflicts=True)  # fmt: skip


def run(*, seed: int) -> list[dict]:
    from django.test import Client
    from django.urls import reverse

    from pilotage.certification import selectors
    from pilotage.certification.models import Certificate, StaffCount

    count = _certificates()
    _standards_and_staff(seed)
    officer, _ministry = bench_officer()
    rng = random.Random(seed)
    top = Certificate.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sample = list(Certificate.objects.filter(pk__in=[rng.randint(1, top) for _ in range(LOOKUPS)]))
    tokens = [(c.pk, c.number, selectors.certificate_token(c)) for c in sample]
    visitor = Client()

    def pages() -> None:
        for _pk, _number, token in tokens:
            response = visitor.get(reverse("certification:verify_token", args=[token]))
            assert response.status_code == 200, response.status_code

    def lookups() -> None:
        with connection.cursor() as cursor:
            for pk, number, _token in tokens:
                cursor.execute(LOOKUP_SQL, [pk, number])
                assert cursor.fetchone() is not None

    def checked_lookups() -> None:
        for _pk, _number, token in tokens:
            assert selectors.certificate_by_token(token) is not None

    def raw(sql: str):
        def run_sql() -> None:
            with connection.cursor() as cursor:
                for statement in filter(str.strip, sql.split(";")):
                    cursor.execute(statement)
                    cursor.fetchall()

        return run_sql

    # Same figures first: the pipeline's counts by stage are the SQL's.
    from pilotage.standards.selectors import pipeline as pipeline_rows

    with connection.cursor() as cursor:
        cursor.execute(PIPELINE_SQL.split(";")[0])
        by_stage = dict(cursor.fetchall())
    assert {row["stage"].value: row["count"] for row in pipeline_rows(officer) if row["count"]} == (
        by_stage
    )

    pipeline = page_getter(officer, reverse("standards:pipeline"), {})
    staff = page_getter(officer, reverse("certification:staffcount_list"), {})
    with served_as_in_production():
        page, bare, checked = medians(pages, lookups, checked_lookups, runs=5)
        pipeline_s, pipeline_sql, staff_s, staff_sql = medians(
            pipeline, raw(PIPELINE_SQL), staff, raw(STAFF_SQL)
        )
    return [
        ratio_row(f"verification page, {LOOKUPS} certificates among {count:,} vs bare lookup",
                  LOOKUPS, page, bare, None),
        ratio_row("token check + indexed lookup (no page) vs bare lookup", LOOKUPS, checked,
                  bare, None),
        ratio_row("standards pipeline page vs raw SQL", STANDARDS, pipeline_s, pipeline_sql, None),
        ratio_row("staff and taux d'encadrement page vs raw SQL", StaffCount.objects.count(),
                  staff_s, staff_sql, None),
    ]  # fmt: skip
