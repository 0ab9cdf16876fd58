"""Daily (cron): remind CTI reporters before a submission window closes, and flag overdue periods.

- open periods closing within --days: each CTI's managers and staff get the list of indicators
  still to submit;
- periods whose window has closed with values missing: the CTI managers get an overdue notice and
  ministry officers one summary.
Then every reminder the other apps register (core/reminders.py): project milestones due soon or
late. Sends only; changes nothing (so it writes no history). Prints what it sent.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from pilotage.core.models import Membership
from pilotage.core.reminders import mail, people, send_reminders
from pilotage.core.roles import CTI_ROLES, MINISTRY_ROLES, Role
from pilotage.results.models import ReportingPeriod
from pilotage.results.selectors import pending_reports


class Command(BaseCommand):
    help = "E-mail CTI reporters before a window closes and flag overdue reporting periods."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="remind this many days ahead")
        parser.add_argument(
            "--overdue-days", type=int, default=30, help="flag windows closed at most this long ago"
        )

    def handle(self, *args, days: int, **options) -> None:
        today = timezone.localdate()
        soon = ReportingPeriod.objects.filter(
            is_open=True, closes_on__gte=today, closes_on__lte=today + datetime.timedelta(days=days)
        )
        # Overdue notices stop a month after the window closed: older gaps are the ministry's to chase.
        overdue = ReportingPeriod.objects.filter(
            closes_on__lt=today,
            closes_on__gte=today - datetime.timedelta(days=options["overdue_days"]),
        ).select_related("programme")
        reminders = overdue_notices = 0
        for period in soon.select_related("programme"):
            for cti, indicators in pending_reports(period).items():
                context = {"period": period, "cti": cti, "indicators": indicators}
                reminders += mail("results/email/reminder", context, people([cti.pk], CTI_ROLES))
        for period in overdue:
            pending = pending_reports(period)
            if not pending:
                continue
            for cti, indicators in pending.items():
                context = {"period": period, "cti": cti, "indicators": indicators}
                overdue_notices += mail(
                    "results/email/overdue", context, people([cti.pk], {Role.CTI_MANAGER})
                )
            officers = {
                m.user
                for m in Membership.objects.filter(
                    role__in=MINISTRY_ROLES, user__is_active=True
                ).select_related("user")
            }
            summary = {
                "period": period,
                "pending": sorted(pending.items(), key=lambda kv: kv[0].acronym),
            }
            overdue_notices += mail("results/email/overdue_summary", summary, officers)
        self.stdout.write(f"reminders sent: {reminders}; overdue notices sent: {overdue_notices}")
        # Then what the other apps remind of (project milestones, contract deliverables…).
        for module, sent in send_reminders(today).items():
            self.stdout.write(f"{module}: {sent} sent")
