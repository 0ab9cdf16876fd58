"""Daily (cron): record the expiry of certificates whose validity has ended, each in its own
history with the date and the reason. The public verification page already says "expired" from
the end date; this makes the register and its exports say it too."""

from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from pilotage.certification.services import certificates_expire


class Command(BaseCommand):
    help = "Record the expiry of certificates past their end date (idempotent)."

    def handle(self, *args, **options) -> None:
        # The reason goes into the history: in the platform's default language.
        with translation.override("fr"):
            count = certificates_expire(actor=None, today=timezone.localdate())
        self.stdout.write(f"{count} certificate(s) recorded as expired.")
