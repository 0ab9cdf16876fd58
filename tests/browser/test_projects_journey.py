"""Projects and training in a real browser, in French and in Arabic: the CID opens a joint
decarbonisation project with two CTIs, a milestone is met with evidence and the FACET ledger
shows the commitment under the project; a session's attendance sheet is exported, filled,
imported back, and the completion certificate's QR code opens the public page."""

import datetime
import io

import pytest
import zxingcpp
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from pilotage.fund.tests.factories import allocate, ledger_axis
from pilotage.projects.models import Project, Theme
from pilotage.training.models import Attendance
from pilotage.training.tests.factories import SessionFactory, TraineeFactory, cohort_of
from tests.browser.test_journey import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TODAY = datetime.date.today()


def _as(page, person, language: str) -> None:
    type(person).objects.filter(pk=person.pk).update(preferred_language=language)
    sign_in(page, person.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _submit(page, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").click()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_cid_opens_a_joint_project_whose_milestone_and_facet_money_show(
    browser_page, _chromium, live_server, cast, language
):
    page = browser_page
    line = allocate(cast.cti_a, "900000", axis=ledger_axis("1000000"))
    # Seeded by a migration, which a browser test's flushed database no longer holds.
    theme, _ = Theme.objects.get_or_create(
        code="decarbonisation", defaults={"name": "Décarbonation"}
    )
    _as(page, cast.cid_manager, language)
    expect(page.locator("html")).to_have_attribute("lang", language)

    # The joint project, led by CTI A, with CTI B taking part and a FACET budget.
    page.goto("/projects/new/")
    page.fill("#id_code", f"CID-DECA-{language}")
    page.fill("#id_title", "Décarbonation des fours de cuisson")
    page.select_option("#id_kind", "joint_cid")
    # Seeded by a migration, which a browser test's flushed database no longer holds.
    theme, _ = Theme.objects.get_or_create(
        code="decarbonisation", defaults={"name": "Décarbonation"}
    )
    page.check(f"input[name=themes][value='{theme.pk}']")
    page.select_option("#id_lead", str(cast.cti_a.pk))
    page.fill("#id_starts_on", (TODAY - datetime.timedelta(days=60)).isoformat())
    page.fill("#id_ends_on", (TODAY + datetime.timedelta(days=300)).isoformat())
    _submit(page, "main form")
    project = Project.objects.get(code=f"CID-DECA-{language}")
    page.locator("#participant-form [name=role]").select_option("cti")
    page.locator("#participant-form [name=organisation]").select_option(str(cast.cti_b.pk))
    _submit(page, "#participant-form")
    page.locator("#budget-form [name=source]").select_option("facet")
    page.locator("#budget-form [name=amount]").fill("300 000")
    _submit(page, "#budget-form")
    expect(page.locator("#participants")).to_contain_text(cast.cti_b.acronym)
    assert {p.organisation for p in project.participants.all()} == {cast.cid, cast.cti_b}
    assert list(project.themes.all()) == [theme]

    # A milestone, met with its evidence.
    page.goto(f"/milestones/new/?project={project.pk}")
    page.fill("#id_title", "Audit énergétique des fours")
    page.fill("#id_due_on", (TODAY - datetime.timedelta(days=5)).isoformat())
    _submit(page, "main form")
    page.locator("#assess-form [name=status]").select_option("met")
    page.locator("#assess-form [name=file]").set_input_files(
        files=[{"name": "audit.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 audit"}]
    )
    _submit(page, "#assess-form")
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "met")
    expect(page.locator("#evidence li a")).to_have_count(1)

    # The ministry commits FACET money to the project: the ledger and the project both show it.
    page.context.clear_cookies()
    _as(page, cast.officer, language)
    page.goto("/fund/commitments/new/")
    page.select_option("#id_allocation", str(line.pk))
    page.fill("#id_amount", "120 000")
    page.fill("#id_reference", f"ENG-DECA-{language}")
    page.fill("#id_committed_on", TODAY.isoformat())
    page.select_option("#id_project", str(project.pk))
    _submit(page, "main form")
    page.goto("/fund/commitments/")
    expect(page.locator("main table")).to_contain_text(project.code)
    page.goto(project.get_absolute_url())
    expect(page.locator("#commitments")).to_contain_text(f"ENG-DECA-{language}")
    expect(page.locator("#facet-ledger [data-figure=committed]")).to_contain_text("120")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_an_attendance_sheet_goes_out_and_back_and_gives_a_verifiable_certificate(
    browser_page, _chromium, live_server, cast, language, settings
):
    settings.SITE_URL = live_server.url  # the QR code's URL must lead back to this server
    page = browser_page
    session = SessionFactory(cohort=cohort_of(cast.cti_a))
    salma = TraineeFactory(cohort=session.cohort, full_name="Salma Bennani", sex="F",
                           organisation=cast.cti_a)  # fmt: skip
    TraineeFactory(cohort=session.cohort, full_name="Youssef Alami", sex="M",
                   organisation=cast.cti_a)  # fmt: skip
    _as(page, cast.cti_a_staff, language)

    # The sheet as the platform exports it, filled as a trainer would, and sent back.
    page.goto(session.get_absolute_url())
    sheet = page.request.get(page.locator("#sheet-link").get_attribute("href"))
    assert sheet.ok
    workbook = load_workbook(io.BytesIO(sheet.body()))
    for row in workbook.active.iter_rows(min_row=2):
        row[4].value = 6
    filled = io.BytesIO()
    workbook.save(filled)
    page.locator("#import-form [name=file]").set_input_files(files=[{
        "name": "presence.xlsx", "buffer": filled.getvalue(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }])  # fmt: skip
    _submit(page, "#import-form")
    expect(page.locator(".alert-success")).to_have_count(1)
    assert sorted(Attendance.objects.values_list("hours", flat=True)) == [6, 6]
    expect(page.locator(f"#hours-{salma.pk}")).to_have_value("6")

    # Assessed: the certificate, and the page its QR code opens for anyone.
    page.goto(salma.get_absolute_url())
    page.locator("#assess-form [name=score]").fill("15,5")
    _submit(page, "#assess-form")
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "completed")
    href = page.locator("#certificate-links a").nth(1 if language == "ar" else 0)
    pdf = page.request.get(href.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    image = PdfReader(io.BytesIO(pdf.body())).pages[0].images[0]
    url = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))[0].text
    assert url.startswith(live_server.url + "/verify/attendance/")
    visitor = _chromium.new_context(base_url=live_server.url)
    public = visitor.new_page()
    public.goto(url)
    expect(public.locator("#verdict")).to_have_attribute("data-status", "valid")
    expect(public.locator("#certificate")).to_contain_text("Salma Bennani")
    visitor.close()
