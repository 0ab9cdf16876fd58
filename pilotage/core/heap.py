"""A server process keeps what it loads at start-up (models, URL patterns, views, the API's
schemas, translation catalogues) until it stops. Python's cyclic garbage collector would still
walk all of it at each full collection, and a page that builds tens of thousands of objects (a
national watch list) sets off one or two of those per request: once loaded, it is frozen out of
the collector's sight (`gc.freeze`, as Python's documentation advises for long-lived servers)."""

import gc

from django.conf import settings
from django.urls import get_resolver
from django.utils.translation import trans_real


def settle() -> None:
    """Load what would otherwise load on the first requests, then freeze the heap."""
    get_resolver().url_patterns  # noqa: B018 (imports every view, form and API schema)
    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)
    gc.collect()
    gc.freeze()
