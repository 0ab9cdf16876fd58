"""The pages work under their Content-Security-Policy in a real browser: charts drawn, choices that
submit themselves, htmx filters — and the browser reports no violation, in French and Arabic."""

import pytest

from tests.browser.test_accessibility import main_pages  # noqa: F401 (a fixture)
from tests.browser.test_journey import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

RECORD_VIOLATIONS = """() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation',
        (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
}"""


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_main_pages_run_under_their_policy_without_a_violation(
    browser_page,
    cast,
    main_pages,  # noqa: F811 (the fixture imported above)
    language,
):
    page = browser_page
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security" in m.text else None)
    page.add_init_script(f"({RECORD_VIOLATIONS})()")
    sign_in(page, cast.officer.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    type(cast.officer).objects.filter(pk=cast.officer.pk).update(preferred_language=language)
    found = {}
    for name, url in main_pages.items():
        response = page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        if name == "scorecard":
            assert page.locator("[data-vega-spec] svg").count() > 0  # Vega drew its charts
        if violations := page.evaluate("window.cspViolations"):
            found[name] = violations
    assert not found and not console, (found, console)

    # The language choice submits itself (data-autosubmit, no inline handler).
    page.goto("/")
    page.select_option("#language-select", "fr" if language == "ar" else "ar")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == ("fr" if language == "ar" else "ar")
