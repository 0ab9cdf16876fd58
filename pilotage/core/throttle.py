"""Rate limits for what anyone may trigger without an account (public requests, password resets).

A limit of N per window is N slots in the shared cache, each taken with `cache.add`, which is
atomic on every backend we run (an INSERT on the primary key of the database cache, SET NX on
Redis): twenty requests at once take at most N slots, where a read-then-increment counter let
some through. Each slot frees itself a window after it was taken, so the window slides.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    # Behind the HTTPS proxy (BEHIND_PROXY) every request comes from the proxy: use the client's.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def take_slot(scope: str, subject: str, limit: int, window: int) -> bool:
    """True when `subject` (an address, an e-mail...) is still under `limit` uses of `scope`
    in the last `window` seconds, and counts this use; False when the limit is reached."""
    # Hashed: cache keys have a length limit and the subject may be personal data.
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return any(
        cache.add(f"throttle:{scope}:{digest}:{slot}", 1, timeout=window) for slot in range(limit)
    )
