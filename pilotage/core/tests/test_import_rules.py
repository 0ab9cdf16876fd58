"""One set of rules for every import (core.tabular.read_table): the same fault in a deliveries
file, a ledger file or a KPI sheet gets the same answer, through the pages people use, and
nothing is saved."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from pilotage.fund.models import Entry
from pilotage.fund.tests.factories import allocate, ledger_axis
from pilotage.prestations.models import ServiceDelivery, ServiceImport
from pilotage.prestations.tests.factories import CompanyFactory

DELIVERIES = "Référence;ICE;Date de début;Catégorie;Montant"
LEDGER = "Type;Date;Référence;Montant;Plan;Axe;CTI;Année"


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload_deliveries(cast, client_for, content: bytes, name="prestations.csv"):
    client = client_for(cast.cti_a_staff)
    response = client.post(
        reverse("services:import_create"),
        {"cti": cast.cti_a.pk, "kind": "deliveries", "file": SimpleUploadedFile(name, content)},
    )
    assert not ServiceDelivery.objects.exists() and not ServiceImport.objects.exists()
    return " ".join(response.context["form"].errors["file"])


def upload_ledger(cast, client_for, content: bytes, name="ecritures.csv"):
    response = client_for(cast.officer).post(
        reverse("fund:import"), {"upload": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 422
    form_errors = response.context["form"].errors.get("upload", [])
    report = response.context["report"]
    return " ".join([*form_errors, *(report.errors if report else [])])


@pytest.fixture
def ledger_ready(cast):
    axis = ledger_axis("1000000")
    allocate(cast.cti_a, "1000", axis=axis)
    return axis.programme.code, Entry.objects.count()


@pytest.fixture
def company(db):
    return CompanyFactory(ice="001561191000066")


def test_an_unknown_column_refuses_a_deliveries_file_naming_it(cast, client_for, company):
    content = (
        f"{DELIVERIES};Commentaire libre\nP-1;001561191000066;31/12/2024;training;10;à garder\n"
    )
    message = upload_deliveries(cast, client_for, content.encode())
    assert "« Commentaire libre »" in message and "ne connaît pas" in message
    assert "« Référence »" in message  # the columns it does know are listed


def test_an_unknown_column_refuses_a_ledger_file_naming_it(cast, client_for, ledger_ready):
    code, before = ledger_ready
    content = f"{LEDGER};Observation\nallocation;15/01/2024;IMP-T-1;10;{code};1;CTPC;2024;x\n"
    message = upload_ledger(cast, client_for, content.encode())
    assert "« Observation »" in message and "ne connaît pas" in message
    assert Entry.objects.count() == before


@pytest.mark.parametrize("importer", ["deliveries", "ledger"])
def test_a_value_under_no_header_refuses_the_file(
    cast, client_for, company, ledger_ready, importer
):
    code, before = ledger_ready
    if importer == "deliveries":
        content = f"{DELIVERIES}\nP-1;001561191000066;31/12/2024;training;10;perdu\n"
        message, position = upload_deliveries(cast, client_for, content.encode()), 6
    else:
        content = f"{LEDGER}\nallocation;15/01/2024;IMP-T-1;10;{code};1;CTPC;2024;perdu\n"
        message, position = upload_ledger(cast, client_for, content.encode()), 9
    assert f"La ligne 2 a une valeur dans la colonne {position}, qui n’a pas d’en-tête" in message
    assert Entry.objects.count() == before


@pytest.mark.parametrize("importer", ["deliveries", "ledger"])
def test_a_missing_required_column_is_named(cast, client_for, company, ledger_ready, importer):
    _code, before = ledger_ready
    if importer == "deliveries":
        message = upload_deliveries(cast, client_for, b"ICE;Montant\n001561191000066;10\n")
        assert "« Référence »" in message and "« Date de début »" in message
    else:
        message = upload_ledger(cast, client_for, b"Type;Date\nallocation;15/01/2024\n")
        assert "« Référence »" in message and "« Montant »" in message
    assert "manquent" in message
    assert Entry.objects.count() == before


@pytest.mark.parametrize("importer", ["deliveries", "ledger"])
def test_a_header_only_file_is_refused_by_both(cast, client_for, company, ledger_ready, importer):
    _code, before = ledger_ready
    if importer == "deliveries":
        message = upload_deliveries(cast, client_for, f"{DELIVERIES}\n".encode())
    else:
        message = upload_ledger(cast, client_for, f"{LEDGER}\n".encode())
    assert "aucune ligne de données" in message
    assert Entry.objects.count() == before


@pytest.mark.parametrize("cell", ["NaN", "nan", "Infinity", "1e400", "2,5", "deux"])
@pytest.mark.parametrize("column", ["axis", "year"])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_non_number_in_the_axis_or_year_is_a_row_error_not_a_500(
    cast, client_for, ledger_ready, cell, column, kind
):
    code, before = ledger_ready
    row = ["allocation", "15/01/2024", "IMP-T-1", "10", code, "1", "CTPC", "2024"]
    row[5 if column == "axis" else 7] = cell
    header = LEDGER.split(";")
    if kind == "csv":
        content, name = (";".join(header) + "\n" + ";".join(row) + "\n").encode(), "e.csv"
    else:
        content, name = xlsx([header, row]), "e.xlsx"
    message = upload_ledger(cast, client_for, content, name)
    label = "Axe" if column == "axis" else "Année"
    assert f"Ligne 2, colonne {label}" in message and cell in message
    assert Entry.objects.count() == before


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        (("1", "XXX", "2024"), "CTI"),
        (("1", "CTPC", "2031"), "Année"),
        (("7", "CTPC", "2024"), "Axe"),
    ],
)
def test_a_wrong_cti_year_or_axis_names_its_own_column(
    cast, client_for, ledger_ready, cells, column
):
    code, before = ledger_ready
    axis, cti, year = cells
    content = (
        "Type;Date;Référence;Montant;Plan;Axe;CTI;Année\n"
        f"engagement;15/02/2024;IMP-T-2;10;{code};{axis};{cti};{year}\n"
    )
    message = upload_ledger(cast, client_for, content.encode())
    assert f"Ligne 2, colonne {column}" in message, message
    assert Entry.objects.count() == before


@pytest.mark.parametrize("kind", ["companies", "deliveries"])
def test_a_downloaded_template_imports_as_it_is_and_twice_adds_nothing(cast, client_for, kind):
    """Its example line names a company of the user's own register (DeliveryFactory gives
    CTI A one), so a user trying the template sees it work before filling it."""
    from pilotage.prestations.tests.factories import DeliveryFactory

    DeliveryFactory(cti=cast.cti_a)
    client = client_for(cast.cti_a_staff)
    template = client.get(reverse("services:import_template", args=[kind])).content
    outcomes = []
    for _attempt in range(2):
        client.post(
            reverse("services:import_create"),
            {"cti": cast.cti_a.pk, "kind": kind,
             "file": SimpleUploadedFile(f"{kind}.xlsx", template)},
        )  # fmt: skip
        job = ServiceImport.objects.latest("pk")
        outcomes.append((job.status, job.rows_created, job.rows_unchanged, job.errors))
    assert outcomes == [("done", 1, 0, []), ("done", 0, 1, [])]
