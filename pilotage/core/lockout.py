"""Whom a failed sign-in counts against (django-axes' AXES_USERNAME_CALLABLE).

Sign-in finds the account by e-mail case-insensitively (UserManager.get_by_natural_key), so the
lockout must count against the account that spelling reaches, not against the raw text typed:
`Partner@…` and `pArtner@…` are the same person and share one counter. A spelling that reaches
no account counts against its normalised address, so probing unknown addresses is throttled too.
"""

import unicodedata
from typing import Any

from django.http import HttpRequest

from pilotage.core.models import User

_CACHE_ATTRIBUTE = "_lockout_identities"


def normalised_address(typed: str) -> str:
    # NFKC folds look-alike forms (full-width letters...) that a database comparison may also fold.
    return unicodedata.normalize("NFKC", typed).strip().casefold()


def lockout_identity(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = request.POST.get("username")
    if not typed:
        return None
    # axes asks several times per attempt: resolve each spelling once per request.
    cache = getattr(request, _CACHE_ATTRIBUTE, None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            setattr(request, _CACHE_ATTRIBUTE, cache)
    if typed not in cache:
        address = normalised_address(typed)
        account = (
            User.objects.filter(email__iexact=typed.strip()).values_list("email", flat=True).first()
            or User.objects.filter(email__iexact=address).values_list("email", flat=True).first()
        )
        cache[typed] = (account or address).lower()
    return cache[typed]
