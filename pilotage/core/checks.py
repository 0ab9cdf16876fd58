"""System checks of the platform's own settings (run by `manage.py check`, `--deploy` ones too)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def demo_accounts_skip_two_factor(app_configs, **kwargs) -> list[Warning]:
    if not settings.TWO_FACTOR_DEMO_EXEMPT:
        return []
    return [
        Warning(
            "The demo's accounts (…@….example) sign in without two-factor authentication.",
            hint="Set TWO_FACTOR_DEMO_EXEMPT=0 in production.",
            id="pilotage.W001",
        )
    ]


@register(Tags.security, deploy=True)
def certificates_signed_with_a_generated_key(app_configs, **kwargs) -> list[Warning]:
    if settings.SIGNING_KEY:
        return []
    return [
        Warning(
            "Certificates are signed with a key generated on this machine (var/signing-key.pem).",
            hint="Set SIGNING_KEY_FILE (or SIGNING_KEY) to the Ed25519 private key in PEM, the "
            "same on every server; publish nothing but its public half.",
            id="pilotage.W002",
        )
    ]
