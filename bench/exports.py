"""The deliveries list exported as users download it (CSV and XLSX, through the page, every
middleware, the officer's access filter) against PostgreSQL's own `COPY (…) TO STDOUT` of the same
rows and columns, its floor. Target for CSV: ≤ 5 × COPY (issue 11)."""

from django.db import connection
from django.db.models import Count

from bench.common import bench_officer, medians, ratio_row, served_as_in_production

EXPORT_ROWS = 100_000


def _cti_near(rows: int):
    """The CTI whose deliveries number closest to `rows`: the export filtered on it."""
    from pilotage.core.models import Organisation

    counted = Organisation.objects.annotate(n=Count("deliveries")).filter(n__gt=0)
    return min(counted, key=lambda cti: abs(cti.n - rows))


def _copy_of(queryset) -> None:
    columns = (
        "reference", "cti__acronym", "company__name", "company__ice", "company__size_class",
        "company__region", "category", "started_on", "funding", "amount_invoiced", "satisfaction",
    )  # fmt: skip
    sql, params = queryset.values_list(*columns).query.sql_with_params()
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        for _block in copy:
            pass


def _downloader(user, params: dict):
    """GETs the export signed in as `user` and reads it to its last byte, as a browser does."""
    from django.test import Client

    from pilotage.core.testing import sign_in

    client = sign_in(Client(), user)  # with the second factor an officer gives at sign-in

    def download() -> None:
        response = client.get("/deliveries/", params)
        assert response.status_code == 200, response.status_code
        for _chunk in response.streaming_content:
            pass

    return download


def run() -> list[dict]:
    from pilotage.prestations.models import ServiceDelivery

    officer, _ministry = bench_officer()
    cti = _cti_near(EXPORT_ROWS)
    queryset = ServiceDelivery.objects.filter(cti=cti).order_by("-started_on")
    rows = queryset.count()
    rows_out = []
    with served_as_in_production():
        for fmt in ("csv", "xlsx"):
            download = _downloader(officer, {"cti": cti.pk, "export": fmt})
            ours, floor = medians(download, lambda: _copy_of(queryset), runs=3)
            target = 5 if fmt == "csv" else None
            rows_out.append(
                ratio_row(
                    f"deliveries export ({fmt.upper()}) vs COPY TO", rows, ours, floor, target
                )
            )
    return rows_out
