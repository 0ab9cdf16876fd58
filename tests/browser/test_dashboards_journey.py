"""The minister's adviser in a real browser, in Arabic: the home page says where the plan stands
and what goes wrong; an alert leads to the records behind it; a region of the map leads to that
region's deliveries."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from pilotage.dashboards.tests.test_watch import half_paid
from pilotage.prestations.tests.factories import CompanyFactory, DeliveryFactory
from tests.browser.test_journey import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_adviser_follows_an_alert_then_a_region_in_arabic(browser_page, live_server, cast):
    commitment = half_paid(cast.cti_a)  # half paid: lags the plan's time elapsed
    casablanca, tanger = CompanyFactory(region="06"), CompanyFactory(region="01")
    for company, reference in ((casablanca, "P-CASA-1"), (casablanca, "P-CASA-2"),
                               (tanger, "P-TNG-1")):  # fmt: skip
        DeliveryFactory(cti=cast.cti_a, company=company, reference=reference,
                        started_on=datetime.date(2024, 5, 1), amount_invoiced=Decimal(1000))  # fmt: skip
    adviser = cast.committee
    type(adviser).objects.filter(pk=adviser.pk).update(preferred_language="ar")
    page = browser_page
    sign_in(page, adviser.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    page.goto("/")
    expect(page.locator("#plan-glance")).to_be_visible()
    expect(page.locator("#plan-title")).to_contain_text("المخطط في لمحة")
    alert = page.locator('#alerts [data-rule="facet_lag"]')
    expect(alert).to_contain_text("CTPC")
    with page.expect_navigation():
        alert.locator("a").click()
    # The records behind it: the CTI's journal, with the payment that is half the allocation.
    assert "/fund/journal/" in page.url and f"cti={cast.cti_a.pk}" in page.url
    payment = commitment.entries.get(kind="disbursement")
    expect(page.locator("main table")).to_contain_text(payment.reference)

    page.goto("/map/?year=2024")
    region = page.locator('#region-map svg path[aria-label*="Casablanca"]')
    expect(region).to_have_count(1)
    with page.expect_navigation():
        region.click()
    assert "region=06" in page.url and "year=2024" in page.url
    table = page.locator("main table")
    expect(table).to_contain_text("P-CASA-1")
    expect(table).to_contain_text("P-CASA-2")
    expect(table).not_to_contain_text("P-TNG-1")
