"""A person's first visit, in a real browser: sign in, switch to Arabic (right to left), filter the
organisations, export them to Excel, sign out.

Runs against pytest-django's live server (static files served through the staticfiles finders),
with Debian's Chromium driven by Playwright (tests/browser/conftest.py).
"""

import base64
import re

import openpyxl
import pytest
from django.utils import translation
from django.utils.encoding import force_str
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from pilotage.core.models import Organisation, User
from pilotage.core.resources import Organisations as OrganisationList
from pilotage.core.roles import OrganisationKind
from pilotage.core.testing import authenticator_code

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PASSWORD = "correct-horse-battery"  # the cast's password (pilotage/core/tests/factories.py)
LOGIN_PATH = "/accounts/login/"


def sign_in(page, email: str, password: str) -> None:
    """Password, then the second factor when the account asks for it: a first set-up reads the
    key off the page as a person's app would; later a code from the app already set up."""
    page.goto(LOGIN_PATH)
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if "/account/two-factor/setup/" in page.url:
        key = page.locator("#totp-secret").inner_text().replace(" ", "")
        key += "=" * (-len(key) % 8)
        give_code(page, f"{totp(base64.b32decode(key)):06d}")
        with page.expect_navigation():
            page.click("#recovery-codes-continue")
    elif "/account/two-factor/verify/" in page.url:
        give_code(page, authenticator_code(TOTPDevice.objects.get(user__email=email)))


def give_code(page, code: str) -> None:
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.click("#two-factor-form button[type=submit]")


def stylesheet_report(page) -> list[dict]:
    """Each stylesheet the page links, with whether the browser actually parsed rules from it."""
    return page.evaluate(
        """() => Array.from(document.styleSheets).map((sheet) => {
            let rules = -1;
            try { rules = sheet.cssRules.length; } catch (e) {}
            return {href: sheet.href || "", rules: rules};
        })"""
    )


def filter_by_kind(page, kind: str) -> None:
    """Choose a kind in the filter form: htmx swaps the table and pushes the filtered URL."""
    page.select_option("#id_kind", kind)
    page.wait_for_url(re.compile(rf"[?&]kind={kind}(&|$)"))


def test_sign_in_switch_to_arabic_export_and_sign_out(browser_page, live_server, cast, tmp_path):
    page = browser_page
    officer = cast.officer
    css_responses = {}
    page.on(
        "response",
        lambda r: css_responses.__setitem__(r.url, r.status) if r.url.endswith(".css") else None,
    )

    # Sign in with e-mail and password: the home page greets the person.
    sign_in(page, officer.email, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("#account-menu")).to_contain_text(officer.full_name)
    expect(page.locator("main h1")).to_contain_text(officer.full_name)
    expect(page.locator("html")).to_have_attribute("dir", "ltr")

    # Switch to Arabic from the navbar (the select submits its form on change).
    page.select_option("#language-select", "ar")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("#language-select")).to_have_value("ar")

    # The right-to-left Bootstrap is linked instead of the left-to-right one, and it was loaded.
    page.wait_for_load_state("load")
    bootstrap = page.locator("link[rel=stylesheet][href*='vendor/bootstrap/css/']")
    expect(bootstrap).to_have_count(1)
    expect(bootstrap).to_have_attribute("href", re.compile(r"/bootstrap\.rtl\.min\.css$"))
    sheets = stylesheet_report(page)
    rtl = [s for s in sheets if s["href"].endswith("/bootstrap.rtl.min.css")]
    assert len(rtl) == 1 and rtl[0]["rules"] > 100, sheets
    assert not [s for s in sheets if s["href"].endswith("/bootstrap.min.css")], sheets
    # 304: the browser revalidated a stylesheet it already had (the icons, on the second page).
    assert all(status in (200, 304) for status in css_responses.values()), css_responses
    # Bootstrap's own variables and right-to-left rules apply: `.me-auto` is margin-left in RTL.
    root_primary = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--bs-primary').trim()"
    )
    assert root_primary.lower() == "#0d6efd"
    margins = page.evaluate(
        """() => { const s = getComputedStyle(document.querySelector('.navbar-nav.me-auto'));
                   return [parseFloat(s.marginLeft), parseFloat(s.marginRight)]; }"""
    )
    assert margins[0] > 0 and margins[1] == 0, margins

    # The choice is saved on the account, so it follows the person to other devices.
    officer.refresh_from_db()
    assert officer.preferred_language == "ar"

    # The organisations directory, filtered to the CTIs.
    page.goto("/organisations/")
    expect(html).to_have_attribute("dir", "rtl")
    rows = page.locator("#object-table tbody tr")
    expect(rows).to_have_count(Organisation.objects.count())
    filter_by_kind(page, OrganisationKind.CTI)
    expected = list(
        Organisation.objects.filter(kind=OrganisationKind.CTI)
        .order_by("acronym")
        .values_list("acronym", "name")
    )
    assert [a for a, _ in expected] == ["CETIEV", "CTPC"]
    expect(rows).to_have_count(len(expected))
    for row, (acronym, _name) in zip(rows.all(), expected, strict=True):
        expect(row.locator("td").first).to_have_text(acronym)
    # The export link was refreshed with the table, so it carries the filter.
    expect(page.locator("#export-xlsx")).to_have_attribute("href", re.compile(r"kind=cti"))

    # Export to Excel: the filtered rows, with the list's columns as the header row.
    with page.expect_download() as download_info:
        page.click("#export-xlsx")
    download = download_info.value
    assert re.fullmatch(r"organisations-\d{8}\.xlsx", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = openpyxl.load_workbook(saved, read_only=True)
    sheet = workbook.active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    with translation.override("ar"):
        header = [force_str(column.label) for column in OrganisationList.columns]
    assert table[0] == header
    assert [(row[0], row[1]) for row in table[1:]] == expected

    # Sign out from the account menu: back on the sign-in page, and the pages are closed again.
    page.click("button#account-menu")
    page.click("button#sign-out")
    expect(page).to_have_url(re.compile(rf"{re.escape(LOGIN_PATH)}$"))
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.locator("#account-menu")).to_have_count(0)
    page.goto("/organisations/")
    expect(page).to_have_url(re.compile(rf"{re.escape(LOGIN_PATH)}\?next=/organisations/$"))
    expect(page.locator("#id_password")).to_be_visible()

    # The language stays on the account after signing out.
    assert User.objects.get(pk=officer.pk).preferred_language == "ar"


def test_failed_sign_in_shows_an_error_and_does_not_sign_in(browser_page, live_server, cast):
    page = browser_page
    sign_in(page, cast.officer.email, "not-the-password")

    expect(page).to_have_url(f"{live_server.url}{LOGIN_PATH}")
    expect(page.locator("main .alert-danger[role=alert]")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value(cast.officer.email)
    expect(page.locator("#id_password")).to_have_value("")
    expect(page.locator("#account-menu")).to_have_count(0)
    assert not [c for c in page.context.cookies() if c["name"] == "sessionid"]
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}{LOGIN_PATH}?next=/")
    assert User.objects.get(pk=cast.officer.pk).last_login is None


def test_export_link_follows_htmx_filters(browser_page, live_server, cast):
    page = browser_page
    sign_in(page, cast.officer.email, PASSWORD)
    expect(page.locator("#account-menu")).to_be_visible()
    page.goto("/organisations/")
    filter_by_kind(page, OrganisationKind.CTI)
    expect(page.locator("#object-table tbody tr")).to_have_count(2)

    expect(page.locator("#export-xlsx")).to_have_attribute(
        "href", re.compile(r"kind=cti"), timeout=2_000
    )
