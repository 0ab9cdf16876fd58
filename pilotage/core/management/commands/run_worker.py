"""`manage.py run_worker`: the task worker under a supervisor, for `make demo` and production.

django-tasks-db's `db_worker` exits when the database goes away (a restart says "the database
system is shutting down") and a killed worker leaves its task "running" forever. This command
runs `db_worker` as a child process and, whenever the child dies, ends the tasks it held as
failed (their senders are told, see core/jobs.py) and starts a new one, backing off while the
database is unreachable. It also sweeps jobs whose heartbeat stopped (a worker on another
machine, or a supervisor killed with its worker).
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pilotage.core import jobs

SWEEP_EVERY = 60.0  # seconds
MAX_BACKOFF = 30.0  # seconds between restarts while the child keeps dying at once
STABLE_AFTER = 60.0  # a child that lived this long died of something new: restart at once
MANAGE_PY = Path(__file__).resolve().parents[4] / "manage.py"


class Command(BaseCommand):
    help = "Run the background task worker, restarted whenever it dies (database restart, kill)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Polling interval (s).")

    def handle(self, *, interval: float, **options) -> None:
        self.stopping = False
        self.child: subprocess.Popen | None = None
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._stop)
        host = socket.gethostname()[:40]
        self._guarded(lambda: self._end_dead_local_workers(host))
        backoff, generation, last_sweep = 1.0, 0, 0.0
        while not self.stopping:
            generation += 1
            worker_id = f"{host}:{os.getpid()}:{generation}"
            started = time.monotonic()
            self.child = subprocess.Popen(
                [sys.executable, str(MANAGE_PY), "db_worker", "--worker-id", worker_id,
                 "--interval", str(interval), "--no-startup-delay"],
            )  # fmt: skip
            while self.child.poll() is None:
                if time.monotonic() - last_sweep >= SWEEP_EVERY:
                    self._guarded(jobs.sweep)
                    last_sweep = time.monotonic()
                time.sleep(0.5)
            if self.stopping:
                break
            lived = time.monotonic() - started
            self.stderr.write(f"worker {worker_id} exited ({self.child.returncode}); restarting")
            ended = self._guarded(lambda wid=worker_id: jobs.fail_tasks_of(wid))
            while ended is None and not self.stopping:  # the database is away: wait for it
                time.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                ended = self._guarded(lambda wid=worker_id: jobs.fail_tasks_of(wid))
            backoff = 1.0 if lived >= STABLE_AFTER else min(backoff * 2, MAX_BACKOFF)
            time.sleep(0 if lived >= STABLE_AFTER else backoff)

    def _stop(self, signum, frame) -> None:
        self.stopping = True
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signal.SIGTERM)  # db_worker finishes its task, then exits
            try:
                self.child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.child.kill()

    def _guarded(self, work):
        """Run a database chore; None when the database cannot be reached right now."""
        try:
            close_old_connections()
            return work()
        except DatabaseError as exc:
            self.stderr.write(f"database unavailable ({exc.__class__.__name__}); will retry")
            from django.db import connection

            connection.close()
            return None

    def _end_dead_local_workers(self, host: str) -> None:
        """Tasks left running by a supervisor of this machine that is no longer alive."""
        dead = set()
        for ids in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
            "worker_ids", flat=True
        ):
            name, _, rest = (ids[-1] if ids else "").partition(":")
            pid = rest.partition(":")[0]
            if name == host and pid.isdigit() and not _alive(int(pid)):
                dead.add(ids[-1])
        for worker_id in dead:
            jobs.fail_tasks_of(worker_id)
        jobs.sweep()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
