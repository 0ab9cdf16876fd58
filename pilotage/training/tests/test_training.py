"""Training programmes: enrolment, attendance (page, API and the exported sheet imported back,
all rows or none), assessment and completion, the certificate of attendance and its public
verification, the computed KPIs, and who sees what (a partner its own programmes only)."""

import datetime
import io
import re
from decimal import Decimal

import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from pilotage.core.errors import ServiceError
from pilotage.core.tests.test_import_rules import xlsx
from pilotage.training import selectors, services
from pilotage.training.models import Attendance, Trainee
from pilotage.training.tests.factories import (
    CohortFactory,
    ProgrammeFactory,
    SessionFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.usefixtures("_in_english")


@pytest.fixture
def cohort(cast):
    """CTI A's build-to-print cohort with the CID and a partner, two 6-hour sessions, two
    trainees (a woman from the partner, a man from CTI A)."""
    programme = ProgrammeFactory(organiser=cast.cti_a)
    programme.partners.set([cast.cid, cast.partner])
    cohort = CohortFactory(programme=programme)
    SessionFactory(cohort=cohort, held_on=datetime.date(2025, 3, 3))
    SessionFactory(cohort=cohort, held_on=datetime.date(2025, 3, 10))
    TraineeFactory(cohort=cohort, full_name="Salma Bennani", sex="F", organisation=cast.partner)
    TraineeFactory(cohort=cohort, full_name="Youssef Alami", sex="M", organisation=cast.cti_a)
    return cohort


def _sheet(client, session) -> list[list]:
    answer = client.get(reverse("training:attendance_sheet", args=[session.pk]))
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _import(client, session, rows, name="presence.xlsx"):
    return client.post(reverse("training:attendance_import", args=[session.pk]),
                       {"file": SimpleUploadedFile(name, xlsx(rows))}, follow=True)  # fmt: skip


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_exported_sheet_filled_and_imported_records_the_attendance(cast, client_for, cohort):
    client = client_for(cast.cti_a_staff)
    session = cohort.sessions.first()
    rows = _sheet(client, session)
    assert rows[0][:2] == ["N° de séance", "N° de stagiaire"] and len(rows) == 3  # in French
    rows[1][4], rows[2][4] = 6, "4,5"
    answer = _import(client, session, rows)
    assert "importée (2 modifications)" in _messages(answer)
    assert sorted(Attendance.objects.values_list("hours", flat=True)) == [Decimal("4.5"), 6]
    assert _import(client, session, rows).status_code == 200  # the same file twice: no change
    assert Attendance.objects.count() == 2
    assert _sheet(client, session)[2][4] in (4.5, "4.5")  # the sheet shows what is recorded


@pytest.mark.parametrize("change, expected", [
    (lambda rows: rows[1].__setitem__(4, 7), "entre 0 et les 6 heures de la séance"),
    (lambda rows: rows[1].__setitem__(1, 999999), "n'est pas inscrit"),
    (lambda rows: rows[1].__setitem__(0, rows[1][0] + 1), "appartient à une autre séance"),
    (lambda rows: rows[1].__setitem__(4, "trois"), "n'est pas un nombre d'heures"),
    (lambda rows: rows.append(list(rows[2])), "figure déjà à la ligne 3"),
])  # fmt: skip
def test_a_wrong_row_refuses_the_whole_sheet_naming_row_and_column_in_french(
    cast, client_for, cohort, change, expected
):
    client = client_for(cast.cti_a_staff)
    session = cohort.sessions.first()
    rows = _sheet(client, session)
    rows[1][4] = rows[2][4] = 6
    change(rows)
    shown = _messages(_import(client, session, rows))
    assert expected in shown and re.search(r"Ligne \d, colonne", shown), shown
    assert not Attendance.objects.exists()


def test_attendance_on_the_page_is_all_or_nothing(cast, client_for, cohort):
    session = cohort.sessions.first()
    salma, youssef = cohort.trainees.order_by("full_name").reverse()
    url = reverse("training:attendance_record", args=[session.pk])
    client = client_for(cast.cti_a_staff)
    client.post(url, {f"hours-{salma.pk}": "6", f"hours-{youssef.pk}": "6,5"})
    assert not Attendance.objects.exists()
    client.post(url, {f"hours-{salma.pk}": "6", f"hours-{youssef.pk}": ""})
    assert list(Attendance.objects.values_list("trainee", "hours")) == [(salma.pk, 6)]
    client.post(url, {f"hours-{salma.pk}": ""})  # marked absent after all: removed, in history
    assert not Attendance.objects.exists()
    assert Attendance.history.filter(history_type="-", trainee_id=salma.pk).exists()


def test_someone_of_another_cohort_cannot_be_recorded(cast, api_as, cohort):
    stranger = TraineeFactory(cohort=CohortFactory(programme=cohort.programme, name="P2"),
                              organisation=cast.cti_a)  # fmt: skip
    session = cohort.sessions.first()
    answer = api_as(cast.cti_a_staff)("post", f"/api/v1/training-sessions/{session.pk}/attendance",
                                      {"rows": [{"trainee": stranger.pk, "hours": "2"}]})  # fmt: skip
    assert answer.status_code == 422 and "n'est pas inscrit" in answer.content.decode()
    ours = cohort.trainees.first()
    answer = api_as(cast.cti_a_staff)("post", f"/api/v1/training-sessions/{session.pk}/attendance",
                                      {"rows": [{"trainee": ours.pk, "hours": "6"}]})  # fmt: skip
    assert answer.status_code == 200 and answer.json() == {"changed": 1}
    refused = api_as(cast.cti_b_staff)("post", f"/api/v1/training-sessions/{session.pk}/attendance",
                                       {"rows": [{"trainee": ours.pk, "hours": "1"}]})  # fmt: skip
    assert refused.status_code == 404
    assert Attendance.objects.get().hours == 6


def _attend(cast, cohort, hours):
    for session in cohort.sessions.all():
        services.attendance_record(actor=cast.cti_a_staff, session=session,
                                   hours={t.pk: hours for t in cohort.trainees.all()})  # fmt: skip


def test_completion_needs_the_pass_mark_and_enough_hours(cast, cohort):
    salma, youssef = cohort.trainees.order_by("-full_name")
    _attend(cast, cohort, Decimal(6))
    services.attendance_record(actor=cast.cti_a_staff, session=cohort.sessions.last(),
                               hours={youssef.pk: Decimal(2)})  # 8 of 12 hours  # fmt: skip
    assert services.trainee_assess(actor=cast.cti_a_staff, trainee=salma,
                                   score=Decimal(14)).status == "completed"  # fmt: skip
    assert services.trainee_assess(actor=cast.cti_a_staff, trainee=youssef,
                                   score=Decimal(16)).status == "not_completed"  # fmt: skip


def test_a_completed_programme_gains_no_participant(cast, cohort):
    with pytest.raises(ServiceError) as waiting:
        services.programme_complete(actor=cast.cti_a_manager, programme=cohort.programme)
    assert "still to be assessed" in waiting.value.message
    for trainee in cohort.trainees.all():
        services.trainee_assess(actor=cast.cti_a_staff, trainee=trainee, score=None)
    services.programme_complete(actor=cast.cti_a_manager, programme=cohort.programme)
    with pytest.raises(ServiceError) as closed:
        services.trainee_create(actor=cast.cti_a_staff, cohort=cohort, full_name="Late",
                                sex="F", organisation=cast.cti_a)  # fmt: skip
    assert "completed" in closed.value.field_errors["cohort"][0]
    assert Trainee.objects.filter(cohort=cohort).count() == 2


def test_dates_and_hours_are_checked(cast, cohort):
    with pytest.raises(ServiceError) as outside:
        services.session_create(actor=cast.cti_a_staff, cohort=cohort, topic="GD&T",
                                held_on=datetime.date(2025, 9, 1), hours=Decimal(3))  # fmt: skip
    assert "held_on" in outside.value.field_errors
    with pytest.raises(ServiceError) as too_long:
        services.session_create(actor=cast.cti_a_staff, cohort=cohort, topic="GD&T",
                                held_on=datetime.date(2025, 3, 4), hours=Decimal(13))  # fmt: skip
    assert "hours" in too_long.value.field_errors
    with pytest.raises(ServiceError) as both:
        services.trainee_create(actor=cast.cti_a_staff, cohort=cohort, full_name="X", sex="F")
    assert "organisation" in both.value.field_errors


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_certificate_of_attendance_is_verifiable(cast, client_for, client, cohort, language):
    _attend(cast, cohort, Decimal(6))
    salma = cohort.trainees.get(full_name="Salma Bennani")
    url = reverse("training:certificate_pdf", args=[salma.pk])
    assert client_for(cast.cti_a_staff).get(url).status_code == 404  # not completed yet
    services.trainee_assess(actor=cast.cti_a_staff, trainee=salma, score=Decimal(15))
    pdf = client_for(cast.partner_viewer).get(url, {"lang": language})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(pdf.content)).pages[0]
    assert "Salma Bennani" in page.extract_text()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(page.images[0].data)))
    assert decoded[0].text == selectors.verification_url(salma)
    public = client.get(decoded[0].text.split("testserver")[-1].removeprefix("http://localhost"))
    assert public.status_code == 200 and "Salma Bennani" in public.content.decode()
    token = selectors.certificate_token(salma)
    # One character of the signature changed (always a change: never the same letter back).
    index = len(token) - 10
    altered = token[:index] + ("B" if token[index] == "A" else "A") + token[index + 1 :]
    forged = client.get(reverse("training:verify", args=[altered]))
    assert forged.status_code == 404 and "Salma" not in forged.content.decode()


def test_a_partner_sees_its_own_programmes_and_nothing_else(cast, client_for, cohort):
    ProgrammeFactory(organiser=cast.cti_b, code="FORM-CTI-B")
    page = client_for(cast.partner_viewer).get(reverse("training:programme_list"))
    assert [obj for obj, _cells in page.context["rows"]] == [cohort.programme]
    assert client_for(cast.cti_b_staff).get(cohort.programme.get_absolute_url()).status_code == 404
    assert client_for(cast.cid_manager).get(cohort.get_absolute_url()).status_code == 200


def test_the_programme_page_and_kpis_give_the_same_figures(cast, client_for, cohort):
    from pilotage.results.computations import computed_values

    _attend(cast, cohort, Decimal(6))
    salma, youssef = cohort.trainees.order_by("-full_name")
    services.trainee_assess(actor=cast.cti_a_staff, trainee=salma, score=Decimal(15))
    services.trainee_assess(actor=cast.cti_a_staff, trainee=youssef, score=Decimal(8))
    figures = (
        client_for(cast.cti_a_manager).get(cohort.programme.get_absolute_url()).context["figures"]
    )
    assert (figures.trainees, figures.women, figures.hours_attended) == (2, 1, 24)
    assert (figures.women_share, figures.completion_rate) == (50, 50)
    values = computed_values([cast.cti_a.pk], 2025)[cast.cti_a.pk]
    assert {name: values[(name, "")] for name in (
        "trainees", "trainees_women", "training_hours", "trainees_completed",
        "training_completion_rate", "training_women_share")} == {
        "trainees": 2, "trainees_women": 1, "training_hours": 24, "trainees_completed": 1,
        "training_completion_rate": 50, "training_women_share": 50}  # fmt: skip
    assert computed_values([cast.cti_a.pk], 2024)[cast.cti_a.pk] == {}


@pytest.mark.parametrize("rows", [
    [{"trainee": "OURS", "hours": "NaN"}], [{"trainee": "OURS", "hours": "1e999"}],
    [{"trainee": "OURS", "hours": "-Infinity"}], [{"trainee": 2**63, "hours": "1"}],
    [{"trainee": -1, "hours": "1"}], "x", [{"trainee": "a", "hours": 1}],
    [{"trainee": "OURS", "hours": 0.123456789}],
])  # fmt: skip
def test_odd_attendance_bodies_are_refused_with_a_message_never_a_500(cast, api_as, cohort, rows):
    session, ours = cohort.sessions.first(), cohort.trainees.first()
    if isinstance(rows, list):
        rows = [{**row, "trainee": ours.pk if row["trainee"] == "OURS" else row["trainee"]}
                for row in rows]  # fmt: skip
    answer = api_as(cast.cti_a_staff)("post", f"/api/v1/training-sessions/{session.pk}/attendance",
                                      {"rows": rows})  # fmt: skip
    assert answer.status_code == 422 and answer.json()["message"], answer.content
    assert not Attendance.objects.exists()
