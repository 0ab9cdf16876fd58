"""The certification journey in a real browser: a CTI records a validation request, tests the
sample, issues a passing report and the certificate; the URL carried by the PDF's QR code (decoded
as a phone would) opens the public page showing it valid; the CTI suspends it and the same URL
shows it suspended — in French and in Arabic."""

import datetime
import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from pilotage.certification.models import Certificate
from pilotage.certification.tests.factories import LaboratoryFactory
from pilotage.prestations.tests.factories import CompanyFactory
from tests.browser.test_journey import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _qr_url(page, href: str) -> str:
    """The text of the QR code in the PDF at `href`, read from the image inside the PDF."""
    pdf = page.request.get(href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    image = PdfReader(io.BytesIO(pdf.body())).pages[0].images[0]
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
    assert len(decoded) == 1
    return decoded[0].text


def _public_verdict(browser, live_server, url: str, language: str) -> str:
    """What a visitor without an account reads at `url`, in `language`."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.goto(url)
    if language == "ar":
        page.select_option("#language-select", "ar")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
    status = page.locator("#verdict").get_attribute("data-status")
    context.close()
    return status or ""


def test_a_passing_report_gives_a_certificate_anyone_can_verify_until_suspended(
    browser_page, _chromium, live_server, cast, settings
):
    settings.SITE_URL = live_server.url  # the QR code's URL must lead back to this server
    page = browser_page
    company = CompanyFactory(name="Textiles Médicaux du Sud")
    laboratory = LaboratoryFactory(cti=cast.cti_a, name="Laboratoire textile")
    sign_in(page, cast.cti_a_manager.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # The request, as the CTI records it.
    page.goto("/validation-requests/new/")
    page.select_option("#id_cti", str(cast.cti_a.pk))
    page.fill("#id_reference", "VAL-2026-0042")
    page.fill("#id_company_ice", company.ice)
    page.select_option("#id_purpose", "product_validation")
    page.fill("#id_product", "Masque FFP2 modèle TMS-2")
    page.fill("#id_product_category", "Masques de protection")
    page.fill("#id_referential", "NM EN 149")
    page.select_option("#id_laboratory", str(laboratory.pk))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    expect(page.locator("[data-stage]")).to_have_attribute("data-stage", "received")

    # Sample, testing, one passing test, the signed report, the decision.
    for form in ("#sample-form", "#testing-form"):
        with page.expect_navigation():
            page.locator(f"{form} button[type=submit]").click()
    test = page.locator("#test-form")
    test.locator("[name=method]").fill("NM EN 149 §8.11")
    test.locator("[name=characteristic]").fill("Efficacité de filtration")
    test.locator("[name=measured_value]").fill("96,4")
    test.locator("[name=unit]").fill("%")
    test.locator("[name=limit]").fill("≥ 94")
    test.locator("[name=verdict]").select_option("pass")
    test.locator("[name=tested_on]").fill(datetime.date.today().isoformat())
    with page.expect_navigation():
        test.locator("button[type=submit]").click()
    expect(page.locator("#tests tbody tr")).to_have_count(1)
    page.locator("#report-form [name=file]").set_input_files(
        files=[
            {
                "name": "rapport.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4 rapport signe",
            }
        ]
    )
    with page.expect_navigation():
        page.locator("#report-form button[type=submit]").click()
    page.locator("#decide-form [name=decision]").select_option("conforming")
    with page.expect_navigation():
        page.locator("#decide-form button[type=submit]").click()
    expect(page.locator("[data-decision]")).to_have_attribute("data-decision", "conforming")

    # The certificate, and the URL its PDFs' QR codes carry.
    page.locator("#certificate-form [name=valid_until]").fill("2029-12-31")
    with page.expect_navigation():
        page.locator("#certificate-form button[type=submit]").click()
    page.locator("#certificate a").click()
    certificate = Certificate.objects.get()
    url = _qr_url(page, page.locator("#pdf-fr").get_attribute("href"))
    assert url == _qr_url(page, page.locator("#pdf-ar").get_attribute("href"))
    assert url.startswith(live_server.url + "/verify/")
    for language in ("fr", "ar"):
        assert _public_verdict(_chromium, live_server, url, language) == "valid"

    # Suspended by the CTI: the same URL now says so, in both languages.
    page.locator("#status-form [name=status]").select_option("suspended")
    page.locator("#status-form [name=reason]").fill("Audit de surveillance : lot non conforme")
    with page.expect_navigation():
        page.locator("#status-form button[type=submit]").click()
    certificate.refresh_from_db()
    assert certificate.status == "suspended"
    for language in ("fr", "ar"):
        assert _public_verdict(_chromium, live_server, url, language) == "suspended"
