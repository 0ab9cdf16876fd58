"""The services journey in a real browser: a company finds a service in the public catalogue in
Arabic and sends a request without an account; the CTI turns it into a delivery; the contract's
scorecard shows the computed indicator moving."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from pilotage.prestations.models import ServiceDelivery, ServiceRequest
from pilotage.prestations.tests.factories import CompanyFactory, OfferingFactory
from pilotage.results.computations import Computation
from pilotage.results.tests.factories import contract_indicator, period_for
from tests.browser.test_journey import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_request_from_the_arabic_catalogue_becomes_a_delivery_and_moves_the_kpi(browser_page, cast):
    page = browser_page
    kpi = contract_indicator(
        cast.cti_a, code="ENT", source="computed", computation=Computation.COMPANIES_SERVED
    )
    period_for(kpi, closes_on=datetime.date.today() + datetime.timedelta(days=30))
    OfferingFactory(cti=cast.cti_a, title="Essai de traction", title_ar="اختبار الشد للبلاستيك")
    OfferingFactory(cti=cast.cti_a, title="Audit interne", title_ar="تدقيق داخلي", is_public=False)
    company = CompanyFactory(name="Plastiques du Nord", name_ar="بلاستيك الشمال")
    scorecard = f"/agreements/{kpi.objective.agreement_id}/scorecard/?year=2024"

    # A visitor opens the public catalogue, reads it in Arabic and searches in Arabic.
    page.goto("/catalogue/")
    page.select_option("#language-select", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.fill("#catalogue-q", "الشد")
    page.press("#catalogue-q", "Enter")
    page.wait_for_url(re.compile(r"[?&]q="))  # htmx swapped the results and pushed the URL
    results = page.locator(".catalogue-offering")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("اختبار الشد للبلاستيك")
    expect(page.locator("#catalogue-results")).not_to_contain_text("تدقيق داخلي")
    results.first.locator("a").click()
    page.fill("#id_company_name", "بلاستيك الشمال")
    page.fill("#id_ice", company.ice)
    page.fill("#id_contact_name", "أمينة")
    page.fill("#id_email", "amina@plastiques.example")
    page.fill("#id_message", "نرغب في اختبار الشد على عينات من إنتاجنا.")
    page.click("#send-request")
    expect(page.locator("#request-sent")).to_be_visible()
    request = ServiceRequest.objects.get()
    assert (request.cti, request.language) == (cast.cti_a, "ar")

    # The CTI manager sees it in the inbox; the scorecard's computed value is still 0.
    sign_in(page, cast.cti_a_manager.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(scorecard)
    expect(page.locator("#scorecard tr[data-indicator=ENT] .computed")).to_have_text("0")
    page.goto("/requests/")
    page.locator("#object-table tbody a").first.click()
    expect(page.locator("#request-status")).to_have_attribute("data-status", "new")
    page.click("#accept-request")
    expect(page.locator("#request-status")).to_have_attribute("data-status", "accepted")
    expect(page.locator("#id_company_ice")).to_have_value(company.ice)
    page.fill("#id_started_on", "2024-06-03")
    page.fill("#id_amount_invoiced", "4 500,00")
    page.click("#convert-request")
    expect(page.locator("#request-status")).to_have_attribute("data-status", "converted")
    delivery = ServiceDelivery.objects.get()
    assert (delivery.company, delivery.cti, delivery.request) == (company, cast.cti_a, request)

    # The delivery moved the contract's computed indicator.
    page.goto(scorecard)
    expect(page.locator("#scorecard tr[data-indicator=ENT] .computed")).to_have_text("1")
