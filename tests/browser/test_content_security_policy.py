"""The pages work under their Content-Security-Policy in a real browser: charts drawn (Vega without
eval) with their tooltip, choices that submit themselves, the admin and the API's Swagger page —
and the browser reports no violation, in French and Arabic. The officer's walk through the main
pages runs axe-core on each page as well (test_accessibility.py): one walk, not two."""

import pytest

from pilotage.core.tests.test_security_headers import directives
from tests.browser.test_accessibility import main_pages, violations  # noqa: F401 (a fixture)
from tests.browser.test_journey import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

RECORD_VIOLATIONS = """() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation',
        (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
}"""


def watched_page(page, person, language):
    """The page signed in as `person` in `language`, collecting the policy's violations (events
    and console messages, in the returned list)."""
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security" in m.text else None)
    page.add_init_script(f"({RECORD_VIOLATIONS})()")
    sign_in(page, person.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    type(person).objects.filter(pk=person.pk).update(preferred_language=language)
    return console


def visit(page, url) -> None:
    """Open `url`, which must come under the full policy (no page is left out)."""
    policy = directives(page.goto(url).headers.get("content-security-policy", ""))
    assert policy.get("script-src") == policy.get("style-src") == ["'self'"], url
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_main_pages_run_under_their_policy_and_pass_axe_core(
    browser_page,
    cast,
    main_pages,  # noqa: F811 (the fixture imported above)
    language,
    settings,
):
    settings.DEMO_BANNER = True  # as `make demo` shows the pages
    page = browser_page
    page.goto("/accounts/login/")
    inaccessible = {"sign-in page": violations(page)}
    console = watched_page(page, cast.officer, language)
    found = {}
    for name, url in main_pages.items():
        visit(page, url)
        assert page.locator("html").get_attribute("lang") == language, name
        inaccessible[name] = violations(page)
        if name == "scorecard":
            # Vega drew its charts through its interpreter, and the tooltip is styled by our
            # stylesheet (vega-tooltip's own <style> element is refused).
            page.locator("[data-vega-spec] svg .mark-symbol path").first.hover()
            tooltip = page.locator("#vg-tooltip-element.visible")
            tooltip.wait_for()
            assert tooltip.evaluate("e => getComputedStyle(e).position") == "fixed"
        if refused := page.evaluate("window.cspViolations"):
            found[name] = refused
    assert not found and not console, (found, console)
    problems = {name: v for name, v in inaccessible.items() if v}
    assert not problems, "\n".join(f"{name}: {v}" for name, v in problems.items())

    # The language choice submits itself (data-autosubmit, no inline handler).
    page.goto("/")
    page.select_option("#language-select", "fr" if language == "ar" else "ar")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == ("fr" if language == "ar" else "ar")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_admin_and_the_api_documentation_run_under_the_same_policy(
    browser_page, cast, language
):
    page = browser_page
    console = watched_page(page, cast.admin, language)
    organisation = f"/admin/core/organisation/{cast.cti_a.pk}"
    found = {}
    for url in (
        "/admin/",
        "/admin/core/organisation/",
        f"{organisation}/change/",
        f"{organisation}/history/",
        "/api/v1/docs",
    ):
        visit(page, url)
        if url == "/api/v1/docs":  # Swagger UI (django-ninja's static files) opens an operation
            # Swagger UI draws the operations from the whole schema (150 of them): on a slow
            # machine under the suite's load that takes longer than the default 10 s.
            page.locator(".opblock-summary").first.click(timeout=60_000)
            page.locator(".opblock-body").first.wait_for(timeout=30_000)
        if refused := page.evaluate("window.cspViolations"):
            found[url] = refused
    assert not found and not console, (found, console)
