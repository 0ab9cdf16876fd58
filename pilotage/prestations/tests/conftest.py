import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _in_english(settings):
    """Messages are asserted in the source language (English), whatever the catalogues hold."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
