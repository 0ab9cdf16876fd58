"""Hostile and malformed files on every import and upload: each is refused with a message in the
user's language before it is expanded, no worker spends more than the file deserves, and nothing
is saved or left on disk."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilotage.core.tests.test_import_rules import (
    DELIVERIES,
    LEDGER,
    upload_deliveries,
    upload_ledger,
    xlsx,
)
from pilotage.prestations.tests.factories import CompanyFactory
from pilotage.results.models import Measurement
from pilotage.results.tests.test_reporting_pages import setup_contract
from pilotage.results.tests.test_reporting_template import upload as upload_sheet
from pilotage.training.models import Attendance
from pilotage.training.tests.factories import SessionFactory, cohort_of


def with_part(workbook: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one of its zip parts replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            if part.filename != name:
                target.writestr(part, source.read(part))
        target.writestr(name, content)
    return buffer.getvalue()


def shared_strings_bomb() -> bytes:
    """A few hundred kilobytes that expand to 80 MB of shared strings."""
    text = b"A" * (80 * 1024 * 1024)
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    return with_part(
        xlsx([["Référence"], ["x"]]), "xl/sharedStrings.xml", sst + text + b"</t></si></sst>"
    )


def declared(extent: str) -> bytes:
    """A tiny workbook whose sheet declares `extent` (what a reader trusts to size every row)."""
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{extent}"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Code</t>'
        "</is></c></row></sheetData></worksheet>"
    )
    return with_part(xlsx([["Code"]]), "xl/worksheets/sheet1.xml", sheet.encode())


@pytest.fixture
def importers(cast, client_for):
    """Each import people use, as a function of the file's bytes and name → the messages shown."""
    CompanyFactory(ice="001561191000066")
    agreement, _kpi, _rate, period = setup_contract(cast)

    def reporting(content: bytes, name: str) -> str:
        response = upload_sheet(client_for(cast.cti_a_staff), agreement, period, content, name)
        assert response.status_code == 422 and not Measurement.objects.exists()
        return " ".join(response.context["upload_errors"])

    session = SessionFactory(cohort=cohort_of(cast.cti_a))

    def attendance(content: bytes, name: str) -> str:
        url = reverse("training:attendance_import", args=[session.pk])
        upload = SimpleUploadedFile(name, content)
        response = client_for(cast.cti_a_staff).post(url, {"file": upload}, follow=True)
        assert not Attendance.objects.exists()
        return " ".join(str(message) for message in response.context["messages"])

    return {
        "attendance sheet": attendance,
        "deliveries": lambda content, name: upload_deliveries(cast, client_for, content, name),
        "ledger": lambda content, name: upload_ledger(cast, client_for, content, name),
        "reporting template": reporting,
    }


IMPORTERS = ["attendance sheet", "deliveries", "ledger", "reporting template"]


@pytest.mark.parametrize("importer", IMPORTERS)
def test_a_workbook_whose_shared_strings_expand_a_thousandfold_is_refused_unread(
    importers, importer
):
    bomb = shared_strings_bomb()
    assert len(bomb) < 1024 * 1024
    message = importers[importer](bomb, "bombe.xlsx")
    assert "beaucoup plus que sa taille" in message


@pytest.mark.parametrize("importer", IMPORTERS)
def test_a_sheet_declaring_millions_of_rows_or_thousands_of_columns_is_refused_unread(
    importers, importer
):
    assert "plus de 200\u202f000 lignes" in importers[importer](declared("A1:A5000000"), "l.xlsx")
    assert "plus de 200 colonnes" in importers[importer](declared("A1:XFD1"), "c.xlsx")


@pytest.mark.parametrize("importer", IMPORTERS)
def test_rows_beyond_the_limit_are_refused_even_when_the_sheet_does_not_declare_them(
    importers, importer, settings
):
    settings.IMPORT_MAX_ROWS = 3
    header = {"deliveries": DELIVERIES, "ledger": LEDGER, "reporting template": "ID;Code",
              "attendance sheet": "Session no.;Trainee no.;Hours attended"}  # fmt: skip
    rows = "\n".join(f"x{n};1" for n in range(5))
    message = importers[importer](f"{header[importer]}\n{rows}\n".encode(), "lignes.csv")
    assert "plus de 3 lignes" in message


@pytest.mark.parametrize("importer", IMPORTERS)
@pytest.mark.parametrize("length", [32_768, 131_073])
def test_a_cell_longer_than_a_spreadsheet_cell_may_be_is_refused(importers, importer, length):
    header = {"deliveries": DELIVERIES, "ledger": LEDGER, "reporting template": "ID;Code",
              "attendance sheet": "Session no.;Trainee no.;Hours attended"}  # fmt: skip
    content = f"{header[importer]}\n{'x' * length};1\n".encode()
    message = importers[importer](content, "long.csv")
    assert "ligne 2" in message.lower() and "plus de 32\u202f767 caractères" in message


@pytest.mark.parametrize("importer", IMPORTERS)
def test_an_empty_file_or_one_that_is_not_what_its_name_says_is_refused(importers, importer):
    assert "vide" in importers[importer](b"", "vide.xlsx")
    html = b"<html><script>alert(1)</script></html>"
    assert "n'est pas celui d'un fichier XLSX" in importers[importer](html, "page.xlsx")


def test_a_refused_inline_import_leaves_no_file_on_disk(cast, client_for, settings):
    content = f"{DELIVERIES}\n{'x' * 40_000};1\n".encode()
    upload_deliveries(cast, client_for, content, "long.csv")
    stored = (
        [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
        if settings.MEDIA_ROOT.exists()
        else []
    )
    assert stored == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", b"<html><body onload=alert(1)>"),
        ("rapport.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("photo.png", b"GIF89a..."),
        ("note.docx", b"%PDF-1.7 not a docx"),
        ("vide.pdf", b""),
    ],
)
def test_a_document_whose_content_is_not_its_type_is_refused(cast, client_for, name, content):
    from pilotage.programmes.tests.factories import agreement_with

    agreement = agreement_with(cast.ministry, cast.cti_a)
    response = client_for(cast.officer).post(
        reverse("programmes:document_add", args=[agreement.pk]),
        {"title": "Contrat", "upload": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert not agreement.documents.exists()
    errors = " ".join(str(message) for message in response.context["messages"])
    assert "vide" in errors or "n'est pas celui d'un fichier" in errors
