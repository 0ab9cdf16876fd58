"""The long exports read database tuples instead of building each row's objects; the file is the
same either way, choices by their labels, formulas neutralised, dates and amounts the French way."""

import csv
import io
from decimal import Decimal

from django.db import connection

from pilotage.core import exports
from pilotage.core.exports import export_response
from pilotage.prestations.models import ServiceDelivery
from pilotage.prestations.resources import Deliveries as DeliveryList
from pilotage.prestations.tests.factories import CompanyFactory, DeliveryFactory


def _csv(rows) -> str:
    response = export_response("csv", DeliveryList.columns, rows, "deliveries")
    return b"".join(response.streaming_content).decode()


def test_the_direct_path_writes_the_same_file_as_the_objects(cast):
    company = CompanyFactory(name="=HYPERLINK(1)", ice="001561191000066")
    DeliveryFactory(cti=cast.cti_a, company=company, amount_invoiced=Decimal("1234.50"))
    DeliveryFactory(cti=cast.cti_b, satisfaction=None)
    queryset = ServiceDelivery.objects.select_related("cti", "company").order_by("pk")

    direct, objects = _csv(queryset), _csv(list(queryset))

    assert direct == objects
    assert "'=HYPERLINK(1)" in direct and "1234,50" in direct
    assert str(ServiceDelivery.objects.first().get_category_display()) in direct


def test_the_database_writes_the_same_csv_as_python_whatever_the_text(cast):
    """On PostgreSQL the list is written by `COPY … TO` with each cell formatted in SQL; on
    SQLite by Python. Either way the file reads back as the objects' own export."""
    awkward = [
        "=cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1)",
        "\tTab",
        "a;b",
        'say "hi"',
        "two\nlines",
        "",
    ]
    for number, name in enumerate(awkward):
        company = CompanyFactory(name=name or "x", ice=f"00156119100{number:04d}")
        company.name = name  # an empty name, as old imports left some
        company.save()
        DeliveryFactory(cti=cast.cti_a, company=company, amount_invoiced=Decimal("0.05"))
    DeliveryFactory(cti=cast.cti_b, satisfaction=None, amount_invoiced=Decimal("1234567.89"))
    queryset = ServiceDelivery.objects.select_related("cti", "company").order_by("pk")
    columns = DeliveryList.columns

    written = _csv(queryset)

    copied = exports._copy_csv(columns, exports._plain_fields(queryset, columns), queryset)
    assert (copied is not None) == (connection.vendor == "postgresql")
    assert written == _csv(list(queryset))
    rows = list(csv.reader(io.StringIO(written.lstrip("\ufeff")), delimiter=";"))
    names = [row[2] for row in rows[1:]]
    assert names[:8] == ["'=cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1)", "'\tTab", "a;b",
                         'say "hi"', "two\nlines", ""]  # fmt: skip
    assert rows[-1][9] == "1234567,89" and rows[1][9] == "0,05"
    assert all(len(row) == len(DeliveryList.columns) for row in rows)
