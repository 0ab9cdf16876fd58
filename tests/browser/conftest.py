"""Playwright fixtures for the browser tests: Debian's Chromium, never a downloaded browser."""

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def _allow_orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in the main thread, which makes Django
    refuse ORM calls there (SynchronousOnlyOperation). Allowed only while this module runs."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def _chromium(_allow_orm_beside_playwright):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_chromium, live_server):
    """A fresh page (its own cookies) in a desktop-sized window, aimed at the live server."""
    context = _chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="fr-FR",
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
