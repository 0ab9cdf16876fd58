"""Two-factor authentication (DESIGN §9): who must use it, who may skip it, and checking a code.

Built on django-otp: an authenticator app (a TOTP device) and ten single-use recovery codes (a
static device). A session is verified once a code from either was accepted; django-otp's
middleware keeps that in the session and `TwoFactorMiddleware` sends a signed-in person who
still owes a code to the page that asks for it. Writes (enrolling, new codes, turning it off)
are services in `core/services.py`.
"""

from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from pilotage.core.access import has_role
from pilotage.core.roles import Role

REQUIRED_ROLES = (Role.MINISTRY_ADMIN, Role.MINISTRY_OFFICER)
RECOVERY_CODE_COUNT = 10
# RFC 2606 reserves `.example`: no real person has such an address, so the exemption cannot
# reach a real account even where production forgot to switch it off.
DEMO_DOMAIN_SUFFIX = ".example"


def is_required(user: Any) -> bool:
    """Ministry roles and administrators hold the plan's money and its validations."""
    return user.is_superuser or has_role(user, *REQUIRED_ROLES)


def is_exempt(user: Any) -> bool:
    """The demo's accounts, unless TWO_FACTOR_DEMO_EXEMPT is off (production: core/checks.py)."""
    domain = user.email.rpartition("@")[2].lower()
    return settings.TWO_FACTOR_DEMO_EXEMPT and domain.endswith(DEMO_DOMAIN_SUFFIX)


def is_enrolled(user: Any) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def is_verified(user: Any) -> bool:
    """A code was accepted in this session (set on `request.user` by django-otp's middleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def is_satisfied(user: Any) -> bool:
    """May this signed-in person do what needs a second factor (the admin, issuing a token)?"""
    return is_verified(user) or is_exempt(user)


def step_owed(user: Any) -> str | None:
    """What a signed-in person must do before anything else: "verify" (type a code), "setup"
    (required but not enrolled yet), or nothing."""
    if not user.is_authenticated or is_satisfied(user):
        return None
    if is_enrolled(user):
        return "verify"
    return "setup" if is_required(user) else None


@dataclass(frozen=True)
class CodeCheck:
    device: Any = None  # the device that accepted the code, or None
    retry_at: datetime | None = None  # when throttled: the earliest moment a new try counts
    recovery: bool = False  # the code was one of the recovery codes


def _normalised(code: str) -> str:
    # Apps show "123 456"; recovery codes are printed as "abcd-efgh".
    return "".join(code.split()).replace("-", "").lower()


def check_code(user: Any, code: str) -> CodeCheck:
    """Try a code against the person's devices. Each device doubles its wait after a wrong code
    (django-otp's throttling), so guessing six digits is out of reach; the rows are locked so two
    requests cannot both spend the same recovery code."""
    code = _normalised(code)
    # Six digits come from the app, anything else is a recovery code: a mistyped recovery code
    # must not make the app's next code wait, nor the reverse.
    kind = TOTPDevice if code.isdigit() else StaticDevice
    retry_at = None
    with transaction.atomic():
        for device in kind.objects.devices_for_user(user, confirmed=True).select_for_update():
            allowed, detail = device.verify_is_allowed()
            if not allowed:
                if detail and detail.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
                    retry_at = max(filter(None, [retry_at, detail["locked_until"]]))
                continue
            if code and device.verify_token(code):
                return CodeCheck(device=device, recovery=kind is StaticDevice)
    return CodeCheck(retry_at=retry_at)


def check_code_on(device: Any, code: str) -> bool:
    code = _normalised(code)
    return bool(code) and device.verify_token(code)


def wait_seconds(check: CodeCheck) -> int:
    if check.retry_at is None:
        return 0
    return max(1, int((check.retry_at - timezone.now()).total_seconds() + 0.999))


def recovery_codes_left(user: Any) -> int:
    return StaticDevice.objects.filter(user=user, confirmed=True).values("token_set").count()


def pending_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def secret_text(device: TOTPDevice) -> str:
    """The key in the form authenticator apps accept when typed by hand, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The `otpauth://` address as an inline SVG QR code (no inline style: the CSP forbids it)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, light="#fff")


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"
