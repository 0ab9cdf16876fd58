"""The Excel round trip: download the contract's template, fill it offline, upload it back."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from pilotage.results.models import Measurement, MeasurementEvent
from pilotage.results.tests.test_reporting_pages import setup_contract


def download(client, agreement, period):
    url = reverse("results:reporting_template", args=[agreement.pk])
    response = client.get(url, {"period": period.pk})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def upload(client, agreement, period, content: bytes, name="valeurs.xlsx"):
    url = reverse("results:reporting_upload", args=[agreement.pk]) + f"?period={period.pk}"
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def filled(workbook, values: dict[str, dict[str, object]]) -> bytes:
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        code = row[header.index("Code")].value
        for column, value in values.get(code, {}).items():
            row[header.index(column)].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_template_lists_the_contracts_indicators_units_and_targets(cast, client_for):
    agreement, kpi, _rate, period = setup_contract(cast)
    sheet = download(client_for(cast.cti_a_staff), agreement, period).active
    rows = list(sheet.values)
    assert rows[0][:6] == ("ID", "Code", "Indicateur", "Unité", "Cible", "Valeur")
    by_code = {row[1]: row for row in rows[1:]}
    assert by_code["ENT"][0] == kpi.pk and by_code["ENT"][4] == 100
    assert set(by_code) == {"ENT", "ENC"}


def test_a_filled_template_is_saved_and_the_same_file_twice_changes_nothing(cast, client_for):
    agreement, _kpi, _rate, period = setup_contract(cast)
    client = client_for(cast.cti_a_staff)
    content = filled(
        download(client, agreement, period),
        {"ENT": {"Valeur": 42}, "ENC": {"Numérateur": "12,5", "Dénominateur": 50}},
    )
    assert upload(client, agreement, period, content).status_code == 302
    saved = {
        m.indicator.code: (m.value, m.numerator, m.denominator) for m in Measurement.objects.all()
    }
    assert saved == {"ENT": (Decimal(42), None, None), "ENC": (None, Decimal("12.5"), Decimal(50))}
    events, history = MeasurementEvent.objects.count(), Measurement.history.count()

    assert upload(client, agreement, period, content).status_code == 302
    assert (MeasurementEvent.objects.count(), Measurement.history.count()) == (events, history)
    assert Measurement.objects.count() == 2


def test_a_bad_file_is_refused_with_row_and_column_and_nothing_is_saved(cast, client_for):
    agreement, _kpi, _rate, period = setup_contract(cast)
    client = client_for(cast.cti_a_staff)
    content = filled(
        download(client, agreement, period),
        {"ENT": {"Valeur": "beaucoup"}, "ENC": {"Numérateur": 3}},  # ENC lacks its denominator
    )
    response = upload(client, agreement, period, content)
    assert response.status_code == 422
    errors = response.context["upload_errors"]
    assert any("Ligne 2" in e or "Ligne 3" in e for e in errors)
    assert any("Valeur" in e and "beaucoup" in e for e in errors)
    assert not Measurement.objects.exists()


def test_service_errors_are_located_too(cast, client_for):
    agreement, _kpi, _rate, period = setup_contract(cast)
    client = client_for(cast.cti_a_staff)
    content = filled(download(client, agreement, period), {"ENC": {"Numérateur": 3}})
    response = upload(client, agreement, period, content)
    assert response.status_code == 422
    assert any("Dénominateur" in e for e in response.context["upload_errors"])
    assert not Measurement.objects.exists()


def test_a_csv_in_french_excel_format_is_accepted(cast, client_for):
    agreement, kpi, rate, period = setup_contract(cast)
    csv = (
        "\ufeffID;Code;Indicateur;Unité;Cible;Valeur;Numérateur;Dénominateur;Commentaire\n"
        f"{kpi.pk};ENT;Entreprises;entreprises;100;1 234;;;ok\n"
        f"{rate.pk};ENC;Taux;%;;;7,5;30;\n"
    ).encode()
    response = upload(client_for(cast.cti_a_staff), agreement, period, csv, name="valeurs.csv")
    assert response.status_code == 302
    assert Measurement.objects.get(indicator=kpi).value == Decimal(1234)


def test_a_line_of_another_contract_is_refused(cast, client_for):
    from pilotage.results.tests.factories import contract_indicator

    agreement, _kpi, _rate, period = setup_contract(cast)
    foreign = contract_indicator(cast.cti_b)
    csv = f"ID;Valeur\n{foreign.pk};5\n".encode()
    response = upload(client_for(cast.cti_a_staff), agreement, period, csv, name="x.csv")
    assert response.status_code == 422 and not Measurement.objects.exists()


def test_an_auditor_cannot_upload(cast, client_for):
    agreement, kpi, _rate, period = setup_contract(cast)
    response = upload(
        client_for(cast.auditor), agreement, period, f"ID;Valeur\n{kpi.pk};5\n".encode(), "x.csv"
    )
    assert response.status_code == 403 and not Measurement.objects.exists()


def test_names_units_and_comments_typed_as_formulas_arrive_as_text(cast, client_for):
    agreement, kpi, _rate, period = setup_contract(cast)
    kpi.name = '=HYPERLINK("http://evil.example","Cliquez")'
    kpi.unit = "+33 entreprises"
    kpi.save()
    client = client_for(cast.cti_a_staff)
    client.post(
        reverse("results:contract_reporting", args=[agreement.pk]) + f"?period={period.pk}",
        {f"value-{kpi.pk}": "5", f"comment-{kpi.pk}": "@SUM(1+1)\x07"},
    )
    sheet = download(client, agreement, period).active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "ENT")
    name, unit, comment = row[2], row[3], row[8]
    assert (name.data_type, unit.data_type, comment.data_type) == ("s", "s", "s")
    assert name.value == kpi.name and unit.value == "+33 entreprises"
    assert comment.value == "@SUM(1+1)"  # the control character (illegal in XLSX) is dropped


def test_every_workbook_the_platform_writes_goes_through_the_neutralising_writer():
    """Cells are written by core.exports only: a new template cannot forget the neutralising."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    writers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        and re.search(r"\.append\(\[|sheet\.append\(|\.cell\([^)]*value=|csv\.writer\(", path.read_text())
    ]  # fmt: skip
    assert writers == ["core/exports.py"]
