"""`manage.py sweep_jobs`: end the running jobs whose heartbeat stopped (see core/jobs.py).

`run_worker` sweeps every minute by itself; with RQ workers (scaled out), cron runs this."""

from django.core.management.base import BaseCommand

from pilotage.core import jobs


class Command(BaseCommand):
    help = "End as failed the background jobs whose worker died (heartbeat older than the lease)."

    def handle(self, **options) -> None:
        self.stdout.write(f"{jobs.sweep()} abandoned job(s) ended")
