"""The plan's bilan in a real browser, in Arabic: the officer asks for it as of a date, watches the
progress bar while a worker builds it, downloads the PDF and the workbook, publishes it, and the
public open-data page lists it."""

import threading

import pytest
from django.db import connections
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from pilotage.reports import services
from pilotage.reports.models import ReportEdition
from pilotage.reports.tests.test_editions import plan  # noqa: F401 (fixture)
from tests.browser.test_journey import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_officer_builds_publishes_and_opens_the_bilan_in_arabic(
    browser_page,
    _chromium,
    live_server,
    cast,
    plan,  # noqa: F811
    settings,
    tmp_path,
):
    # Requests are queued, as in production; the test plays the worker below.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = browser_page
    type(cast.officer).objects.filter(pk=cast.officer.pk).update(preferred_language="ar")
    sign_in(page, cast.officer.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    page.goto("/report-editions/new/")
    page.select_option("#id_kind", "plan_bilan")
    page.select_option("#id_programme", str(plan.programme.pk))
    page.fill("#id_as_of", "2024-12-31")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    edition = ReportEdition.objects.get()
    progress = page.locator("#edition-progress-bar")
    expect(progress).to_be_visible()
    expect(page.locator("#edition-progress")).to_contain_text("يمكنك مغادرة هذه الصفحة")

    def work() -> None:
        try:
            services.edition_build(edition_id=edition.pk)
        finally:
            connections.close_all()  # the worker's own connection, or the test database stays busy

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=120)
    # The page polls its progress; once built it reloads with the files and the figures.
    expect(page.locator("#edition-files")).to_be_visible(timeout=20_000)
    expect(page.locator("[data-table='money-total']")).to_contain_text("500")

    with page.expect_download() as pdf_download:
        page.click("#file-pdf-ar")
    pdf_path = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf_path)
    text = "\n".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert "المحور" in text and "31/12/2024" in text
    with page.expect_download() as xlsx_download:
        page.click("#file-xlsx-ar")
    xlsx_path = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(xlsx_path)
    sheet = load_workbook(xlsx_path).worksheets[0]
    assert sheet.sheet_view.rightToLeft
    assert any(row[:2] == (250000000, 500000) for row in sheet.iter_rows(values_only=True))

    with page.expect_navigation():
        page.locator("#publish-form button[type=submit]").click()
    expect(page.locator("[data-state=published]")).to_be_visible()
    expect(page.locator("#edition-changes")).to_have_attribute("data-same", "true")

    page.goto("/open-data/")
    expect(page.locator(f"#edition-{edition.pk}")).to_be_visible()
    expect(page.locator(f"#edition-{edition.pk}")).to_contain_text(edition.figures_sha256)
