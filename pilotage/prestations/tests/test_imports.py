"""Imports of deliveries and companies: every bad file is refused with the right message by row
and column and writes nothing; a good file is saved whole; the same file twice adds nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from pilotage.core.errors import ServiceError
from pilotage.prestations import services
from pilotage.prestations.models import Company, ServiceDelivery, ServiceImport
from pilotage.prestations.tests.factories import CompanyFactory, DeliveryFactory, OfferingFactory

HEADER = "Référence;ICE;Date de début;Catégorie;Montant;Financement;Satisfaction"


def csv_file(text: str, name: str = "prestations.csv", bom: bool = True) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (("\ufeff" if bom else "") + text).encode("utf-8"))


def xlsx_file(rows: list[list], name: str = "prestations.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def run(cast, upload, kind="deliveries", actor=None) -> ServiceImport:
    actor = actor or cast.cti_a_staff
    # The report is written in the sender's language: these tests read the English source.
    type(actor).objects.filter(pk=actor.pk).update(preferred_language="en")
    actor.refresh_from_db()
    return services.service_import_start(actor=actor, cti=cast.cti_a, kind=kind, upload=upload)


@pytest.fixture
def company(db):
    return CompanyFactory(ice="001561191000066")


def test_a_french_csv_with_bom_is_saved_whole(cast, company):
    upload = csv_file(
        f"{HEADER}\nP-1;001561191000066;31/12/2024;training;1 234,50;payant;5\n"
        "P-2;00 1561191 000066;15/01/2024;Laboratory testing;0;general_interest;\n"
    )
    job = run(cast, upload)
    assert (job.status, job.rows_created, job.errors) == ("done", 2, [])
    p1 = ServiceDelivery.objects.get(reference="P-1")
    assert (p1.amount_invoiced, p1.started_on, p1.funding, p1.satisfaction) == (
        Decimal("1234.50"), datetime.date(2024, 12, 31), "paid", 5,
    )  # fmt: skip
    assert ServiceDelivery.objects.get(reference="P-2").category == "laboratory_testing"
    assert p1.history.get().history_user == cast.cti_a_staff


def test_the_same_file_twice_adds_nothing(cast, company):
    text = f"{HEADER}\nP-1;001561191000066;31/12/2024;training;100;paid;\n"
    run(cast, csv_file(text))
    again = run(cast, csv_file(text))
    assert (again.status, again.rows_created, again.rows_unchanged) == ("done", 0, 1)
    assert ServiceDelivery.objects.count() == 1


def test_a_comma_separated_csv_without_bom_and_an_offering_code(cast, company):
    offering = OfferingFactory(cti=cast.cti_a, code="CAT-01", category="certification")
    upload = csv_file(
        'reference,ice,date,code catalogue,montant\nP-9,001561191000066,2024-03-01,CAT-01,"1 000,00"\n',
        bom=False,
    )
    job = run(cast, upload)
    assert job.status == "done", job.errors
    delivery = ServiceDelivery.objects.get()
    assert (delivery.offering, delivery.category, delivery.amount_invoiced) == (
        offering, "certification", Decimal("1000.00"),
    )  # fmt: skip


def test_an_xlsx_with_excel_serial_and_real_dates(cast, company):
    upload = xlsx_file([
        ["Reference", "ICE", "Start date", "Category", "Amount invoiced (MAD)"],
        ["X-1", 1561191000066, 45657, "training", 1500.5],
        ["X-2", "001561191000066", datetime.datetime(2024, 6, 1), "diagnostic", "2 000,00"],
    ])  # fmt: skip
    job = run(cast, upload)
    assert job.status == "done", job.errors
    dates = dict(ServiceDelivery.objects.values_list("reference", "started_on"))
    assert dates == {"X-1": datetime.date(2024, 12, 31), "X-2": datetime.date(2024, 6, 1)}


@pytest.mark.parametrize(
    "line, column, message",
    [
        ("P-1;12345;31/12/2024;training;1;paid;", "ICE", "An ICE is made of 15 digits."),
        ("P-1;001561191000067;31/12/2024;training;1;paid;", "ICE", "divisible by 97"),
        ("P-1;002136093000040;31/12/2024;training;1;paid;", "ICE", "No company is registered"),
        ("P-1;001561191000066;31/13/2024;training;1;paid;", "Start date", "is not a date"),
        ("P-1;001561191000066;;training;1;paid;", "Start date", "required"),
        (
            "P-1;001561191000066;31/12/2024;training;N/A;paid;",
            "Amount invoiced (MAD)",
            "not a number",
        ),
        ("P-1;001561191000066;31/12/2024;cuisine;1;paid;", "Category", "is not a category"),
        ("P-1;001561191000066;31/12/2024;training;1;gratuit;", "Funding", "paid"),
        ("P-1;001561191000066;31/12/2024;training;1;paid;7", "Satisfaction", "1 to 5"),
        (";001561191000066;31/12/2024;training;1;paid;", "Reference", "required"),
        (
            "P-1;001561191000066;31/12/2024;training;1 000 000 000 000;paid;",
            "Amount invoiced (MAD)",
            "too large",
        ),
    ],
)
def test_a_bad_row_refuses_the_whole_file_and_says_where(cast, company, line, column, message):
    good = "P-0;001561191000066;01/01/2024;training;1;paid;"
    job = run(cast, csv_file(f"{HEADER}\n{good}\n{line}\n"))
    assert job.status == "failed"
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, column)]
    assert message in job.errors[0]["message"]
    assert not ServiceDelivery.objects.exists()


def test_a_reference_twice_in_the_file_or_changed_since_is_refused(cast, company):
    DeliveryFactory(cti=cast.cti_a, reference="OLD", company=company)
    job = run(
        cast,
        csv_file(
            f"{HEADER}\nP-1;001561191000066;01/01/2024;training;1;paid;\n"
            "P-1;001561191000066;01/01/2024;training;1;paid;\n"
            "OLD;001561191000066;01/01/2024;diagnostic;9;paid;\n"
        ),
    )
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "Reference"), (4, "Reference")]
    assert ServiceDelivery.objects.count() == 1


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("p.txt", b"a;b"), "not accepted"),
        (SimpleUploadedFile("p.csv", "Référence;ICE\nP;1\n".encode("latin-1")), "UTF-8"),
        (SimpleUploadedFile("p.xlsx", b"not a workbook"), "not that of a XLSX file"),
        (SimpleUploadedFile("p.xlsx", b"PK\x03\x04 truncated"), "not a readable XLSX"),
    ],
)
def test_unreadable_files_are_refused(cast, upload, message):
    with pytest.raises(ServiceError) as refused:
        run(cast, upload)
        raise AssertionError(ServiceImport.objects.get().errors)
    assert message in str(refused.value.field_errors)
    assert not ServiceDelivery.objects.exists()


def test_an_empty_file_is_refused(cast):
    with pytest.raises(ServiceError) as refused:
        run(cast, csv_file(f"{HEADER}\n"))
    assert "no data row" in str(refused.value.field_errors["file"])
    assert not ServiceImport.objects.exists()


def test_companies_with_arabic_names_are_imported_and_not_duplicated(cast):
    text = (
        "ICE;Nom;Nom arabe;Forme juridique;Taille;Secteur;Région;Ville\n"
        "002136093000040;Atlas Plast;أطلس للبلاستيك;SARL;PME;Plasturgie;06;Casablanca\n"
        "001527456000081;Rif Méca;ميكانيك الريف;SA;GE;Mécanique;1;Tanger\n"
    )
    job = run(cast, csv_file(text, "entreprises.csv"), kind="companies")
    assert (job.status, job.rows_created) == ("done", 2), job.errors
    atlas = Company.objects.get(ice="002136093000040")
    assert (atlas.name_ar, atlas.registered_by, atlas.region) == (
        "أطلس للبلاستيك",
        cast.cti_a,
        "06",
    )
    assert Company.objects.get(ice="001527456000081").region == "01"
    again = run(cast, csv_file(text, "entreprises.csv"), kind="companies")
    assert (again.rows_created, again.rows_unchanged) == (0, 2)


def test_a_cti_cannot_import_for_another_cti(cast, company):
    upload = csv_file(f"{HEADER}\nP-1;001561191000066;31/12/2024;training;1;paid;\n")
    with pytest.raises(ServiceError) as refused:
        services.service_import_start(
            actor=cast.cti_a_staff, cti=cast.cti_b, kind="deliveries", upload=upload
        )
    assert refused.value.status == 403
    assert not ServiceDelivery.objects.exists() and not ServiceImport.objects.exists()


def test_a_large_file_runs_in_the_background_and_its_sender_is_told(
    cast, company, monkeypatch, django_capture_on_commit_callbacks, client_for
):
    monkeypatch.setattr(services, "INLINE_IMPORT_BYTES", 10)
    lines = "".join(f"P-{n};001561191000066;01/01/2024;training;10;paid;\n" for n in range(300))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = run(cast, csv_file(f"{HEADER}\n{lines}"))
    assert job.status == "pending" and not ServiceDelivery.objects.exists()
    client = client_for(cast.cti_a_staff)
    waiting = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in waiting.content.decode()
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert (job.status, job.rows_created) == ("done", 300)
    assert mail.outbox and "300" in mail.outbox[0].subject
    done = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert "every 1s" not in done.content.decode()


def test_the_pages_upload_and_offer_the_errors_as_csv(cast, company, client_for):
    client = client_for(cast.cti_a_staff)
    response = client.post(
        reverse("services:import_create"),
        {"cti": cast.cti_a.pk, "kind": "deliveries",
         "file": csv_file(f"{HEADER}\nP-1;12;31/12/2024;training;1;paid;\n")},
    )  # fmt: skip
    job = ServiceImport.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    errors = client.get(reverse("services:import_errors", args=[job.pk]))
    text = b"".join(errors.streaming_content).decode()
    assert "\n2;ICE;" in text and "15" in text  # in the sender's language
    template = client.get(reverse("services:import_template", args=["deliveries"]))
    assert template.status_code == 200


def test_a_background_import_of_an_unreadable_file_ends_failed_and_says_why(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_IMPORT_BYTES", 10)
    latin1 = SimpleUploadedFile("prestations.csv", f"{HEADER}\nP-1;é;\n".encode("latin-1"))
    with django_capture_on_commit_callbacks(execute=True):
        job = run(cast, latin1)
    stored = job.file.name
    job.refresh_from_db()
    assert job.status == "failed" and "UTF-8" in job.errors[0]["message"]
    assert mail.outbox  # the sender is told, not left watching a progress bar
    # Nothing was saved, so nothing of the file is kept but its name, size and fingerprint.
    assert stored and not default_storage.exists(stored) and not job.file
    assert job.title == "prestations.csv" and len(job.sha256) == 64


def test_a_background_import_without_scratch_space_ends_failed_not_running(
    cast, company, monkeypatch, django_capture_on_commit_callbacks
):
    from pilotage.prestations import imports

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(services, "INLINE_IMPORT_BYTES", 10)
    monkeypatch.setattr(imports.tempfile, "NamedTemporaryFile", no_space)
    upload = csv_file(f"{HEADER}\nP-1;001561191000066;01/01/2024;training;1;paid;\n")
    with django_capture_on_commit_callbacks(execute=True):
        job = run(cast, upload)
    job.refresh_from_db()
    assert job.status == "failed" and "nothing was saved" in job.errors[0]["message"]
    assert mail.outbox and not ServiceDelivery.objects.exists()


def test_a_nul_character_in_a_cell_is_dropped_not_a_server_error(cast, company):
    job = run(cast, csv_file(f"{HEADER}\nP-\x001;001561191000066;01/01/2024;training;1;paid;\n"))
    assert job.status == "done"
    assert ServiceDelivery.objects.get().reference == "P-1"


def test_the_report_is_in_the_senders_language(cast, company):
    job = run(cast, csv_file(f"{HEADER}\nP-1;002136093000040;31/12/2024;training;1;paid;\n"))
    assert job.errors[0]["message"] == "No company is registered with this ICE."
    type(cast.cti_a_staff).objects.filter(pk=cast.cti_a_staff.pk).update(preferred_language="ar")
    cast.cti_a_staff.refresh_from_db()
    arabic = services.service_import_start(
        actor=cast.cti_a_staff, cti=cast.cti_a, kind="deliveries",
        upload=csv_file(f"{HEADER}\nP-1;002136093000040;31/12/2024;training;1;paid;\n"),
    )  # fmt: skip
    assert arabic.errors[0]["message"] != job.errors[0]["message"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in arabic.errors[0]["message"])


def test_every_error_is_counted_though_the_first_thousand_are_kept(cast, company, client_for):
    lines = "".join(f"P-{n};12345;31/12/2024;training;1;paid;\n" for n in range(1005))
    job = run(cast, csv_file(f"{HEADER}\n{lines}"))
    assert (job.error_count, len(job.errors)) == (1005, 1000)
    page = client_for(cast.cti_a_staff).get(job.get_absolute_url()).content.decode()
    assert "1005" in page


def test_a_reference_repeated_chunks_apart_is_found_and_nothing_kept_in_between(
    cast, company, monkeypatch
):
    """The keys met are kept in a scratch file, not in memory: a repeat is found whatever the
    distance between its rows."""
    from pilotage.prestations import imports

    monkeypatch.setattr(imports, "CHUNK", 2)
    line = "{};001561191000066;01/01/2024;training;1;paid;\n"
    refs = ["P-1", "P-2", "P-3", "P-1", "P-4", "P-2"]
    job = run(cast, csv_file(HEADER + "\n" + "".join(line.format(r) for r in refs)))
    assert [(e["row"], e["column"]) for e in job.errors] == [(5, "Reference"), (7, "Reference")]
    assert not ServiceDelivery.objects.exists()

    job = run(cast, csv_file(HEADER + "\n" + "".join(line.format(f"Q-{n}") for n in range(7))))
    assert (job.status, job.rows_created) == ("done", 7)


def test_an_import_whose_worker_died_ends_failed_when_its_page_is_looked_at(
    cast, company, client_for, settings
):
    """A worker killed mid-file leaves the import running with a stale heartbeat: the progress
    poll ends it failed, says nothing was saved, and its sender gets one e-mail."""
    job = ServiceImport.objects.create(
        cti=cast.cti_a, kind="deliveries", created_by=cast.cti_a_staff, title="big.csv", size=1,
        status="running", rows_read=4000, heartbeat_at=timezone.now() - datetime.timedelta(
            seconds=settings.JOB_LEASE_SECONDS + 1),
    )  # fmt: skip
    type(cast.cti_a_staff).objects.filter(pk=cast.cti_a_staff.pk).update(preferred_language="en")
    client = client_for(cast.cti_a_staff)

    page = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()

    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert "every 1s" not in page and "nothing was saved" in page
    assert "The server stopped while importing this file" in page
    assert len(mail.outbox) == 1 and cast.cti_a_staff.email in mail.outbox[0].to
    client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert len(mail.outbox) == 1  # told once
    assert not ServiceDelivery.objects.exists()


def test_a_running_import_with_a_fresh_heartbeat_keeps_running(cast, company, client_for):
    job = ServiceImport.objects.create(
        cti=cast.cti_a, kind="deliveries", created_by=cast.cti_a_staff, title="big.csv", size=1,
        status="running", heartbeat_at=timezone.now(),
    )  # fmt: skip
    page = client_for(cast.cti_a_staff).get(job.get_absolute_url(), headers={"HX-Request": "true"})
    job.refresh_from_db()
    assert job.status == "running" and "every 1s" in page.content.decode() and not mail.outbox
