"""French and Arabic catalogues are complete: a new string without its translation fails here."""

import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_message_is_translated(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_a_persons_saved_language_wins_on_every_kind_of_page(cast, client_for):
    """Whatever the browser or the language cookie says: pages, partials, a 404, the public
    catalogue and the API's messages all speak the language the person chose."""
    from django.conf import settings

    user = cast.cti_a_staff
    type(user).objects.filter(pk=user.pk).update(preferred_language="ar")
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    headers = {"Accept-Language": "fr"}
    pages = {
        "home": client.get("/", headers=headers),
        "list": client.get("/organisations/", headers=headers),
        "not found": client.get("/organisations/999999/", headers=headers),
        "public catalogue": client.get("/catalogue/", headers=headers),
        "api": client.get("/api/v1/fund/allocations/999999", headers=headers),
    }
    for name, response in pages.items():
        assert response.headers["Content-Language"] == "ar", name
    assert 'lang="ar" dir="rtl"' in pages["list"].content.decode()
    assert 'dir="rtl"' in pages["not found"].content.decode()
