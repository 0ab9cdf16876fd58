"""The reporting journey in a real browser: CTI staff fill and upload the Excel template, the
manager submits, an officer returns one value with a reason, staff correct it, the officer
validates, and the contract's scorecard shows the validated value."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from pilotage.results.models import Measurement
from pilotage.results.tests.test_reporting_pages import setup_contract
from tests.browser.test_journey import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def sign_out(page) -> None:
    page.click("#account-menu")
    page.click("#sign-out")
    page.wait_for_url("**/accounts/login/")


def as_user(page, user, url: str) -> None:
    sign_in(page, user.email, PASSWORD)
    page.wait_for_url(lambda u: "/accounts/login/" not in u)
    page.goto(url)


def test_fill_upload_submit_return_correct_validate_and_score(browser_page, cast, tmp_path):
    page = browser_page
    agreement, kpi, rate, period = setup_contract(cast)
    period.closes_on = timezone.localdate() + datetime.timedelta(days=30)  # the window is open
    period.save()
    sheet_url = f"/agreements/{agreement.pk}/reporting/?period={period.pk}"

    # CTI staff download the template, fill it offline and upload it.
    as_user(page, cast.cti_a_staff, sheet_url)
    with page.expect_download() as download_info:
        page.click("#download-template")
    template = tmp_path / "modele.xlsx"
    download_info.value.save_as(template)
    workbook = load_workbook(template)
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        code = row[header.index("Code")].value
        if code == "ENT":
            row[header.index("Valeur")].value = 80
        if code == "ENC":
            row[header.index("Numérateur")].value = 10
            row[header.index("Dénominateur")].value = 40
    workbook.save(template)
    page.set_input_files("#template-file", str(template))
    page.click("#upload-template")
    expect(page.locator("tr[data-indicator=ENT] [data-status]")).to_have_attribute(
        "data-status", "draft"
    )
    expect(page.locator(f"#id_value-{kpi.pk}")).to_have_value("80")
    sign_out(page)

    ent, enc = Measurement.objects.get(indicator=kpi), Measurement.objects.get(indicator=rate)

    # The CTI manager submits both values.
    as_user(page, cast.cti_a_manager, sheet_url)
    page.click(f'button[form="submit-{ent.pk}"]')
    page.click(f'button[form="submit-{enc.pk}"]')
    expect(page.locator("tr[data-indicator=ENC] [data-status]")).to_have_attribute(
        "data-status", "submitted"
    )
    sign_out(page)

    # A ministry officer validates one and returns the other with a reason.
    as_user(page, cast.officer, sheet_url)
    page.click(f'button[form="validate-{enc.pk}"]')
    page.locator("tr[data-indicator=ENT] details summary").first.click()
    page.fill(f'input[form="return-{ent.pk}"]', "Joindre la liste des ICE")
    page.click(f'button[form="return-{ent.pk}"]')
    expect(page.locator("tr[data-indicator=ENT]")).to_contain_text("Joindre la liste des ICE")
    sign_out(page)

    # Staff correct the returned value on the page; the manager submits it again.
    as_user(page, cast.cti_a_staff, sheet_url)
    page.fill(f"#id_value-{kpi.pk}", "98")
    page.click("#save-sheet")
    expect(page.locator(f"#id_value-{kpi.pk}")).to_have_value("98")
    sign_out(page)
    as_user(page, cast.cti_a_manager, sheet_url)
    page.click(f'button[form="submit-{ent.pk}"]')
    expect(page.locator("tr[data-indicator=ENT] [data-status]")).to_have_attribute(
        "data-status", "submitted"
    )
    sign_out(page)

    # The officer validates; the scorecard shows the validated value and its achievement.
    as_user(page, cast.officer, sheet_url)
    page.click(f'button[form="validate-{ent.pk}"]')
    expect(page.locator("tr[data-indicator=ENT] [data-status]")).to_have_attribute(
        "data-status", "validated"
    )
    page.goto(f"/agreements/{agreement.pk}/scorecard/?year=2024")
    row = page.locator("#scorecard tr[data-indicator=ENT]")
    expect(row).to_have_attribute("data-status", "on_track")
    expect(row.locator(".actual")).to_have_text("98")
    ent.refresh_from_db()
    assert (ent.value, ent.validated_by, ent.submitted_by) == (
        Decimal(98),
        cast.officer,
        cast.cti_a_manager,
    )
    assert [e.kind for e in ent.events.all()] == [
        "saved", "submitted", "returned", "saved", "submitted", "validated",
    ]  # fmt: skip
