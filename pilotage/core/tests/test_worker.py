"""The task worker as `make demo` and production run it (`manage.py run_worker`), for real: a
worker killed mid-import leaves nothing running and nothing saved, its sender is told, and the
work goes on; a worker whose database connections are cut picks up the next task."""

import datetime
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pilotage.core.tasks import send_invitation
from pilotage.prestations import services
from pilotage.prestations.models import ServiceDelivery, ServiceImport
from pilotage.prestations.tests.factories import CompanyFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PROJECT = Path(__file__).resolve().parents[3]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def wait_for(predicate, timeout: float, what: str) -> float:
    """Seconds until `predicate()` held; fails the test after `timeout`."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            pytest.fail(f"{what}: not within {timeout} s")
        time.sleep(0.05)
    return time.monotonic() - start


def database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry.name))
    return found


@contextmanager
def worker_process(tmp_path: Path, media_root: Path, command: list[str], **env_vars: str):
    """A worker command on the test database, its e-mails written to tmp_path/mail."""
    env = {
        **os.environ,
        "MEDIA_ROOT": str(media_root),
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        **env_vars,
    }
    log = (tmp_path / "worker.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "manage.py", *command],
        cwd=PROJECT, env=env, stdout=log, stderr=log, start_new_session=True,
    )  # fmt: skip
    try:
        yield process
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        end_orphan_backends()


def end_orphan_backends() -> None:
    """End the database sessions a killed worker left running: PostgreSQL carries on with a
    statement until it has something to send back, and one still inserting when the test's
    teardown empties the tables deadlocks with it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def supervised_worker(tmp_path: Path, media_root: Path):
    return worker_process(tmp_path, media_root, ["run_worker", "--interval", "0.2"])


def big_import_file(company) -> SimpleUploadedFile:
    """Deliveries enough for a worker to be caught in the middle of them."""
    lines = "".join(f"P-{n};{company.ice};01/01/2024;training;10;paid;\n" for n in range(150_000))
    header = "Référence;ICE;Date de début;Catégorie;Montant;Financement;Satisfaction"
    return SimpleUploadedFile("big.csv", f"{header}\n{lines}".encode())


def mails_in(folder: Path) -> str:
    return "".join(p.read_text() for p in folder.iterdir()) if folder.exists() else ""


def status_of(result_id) -> str:
    return DBTaskResult.objects.get(pk=result_id).status


def test_a_killed_worker_ends_its_import_failed_and_the_next_worker_takes_over(
    cast, settings, tmp_path
):
    settings.TASKS = DB_TASKS
    upload = big_import_file(CompanyFactory())
    sender = cast.cti_a_staff
    type(sender).objects.filter(pk=sender.pk).update(preferred_language="en")
    with supervised_worker(tmp_path, settings.MEDIA_ROOT) as supervisor:
        job = services.service_import_start(
            actor=sender, cti=cast.cti_a, kind="deliveries", upload=upload
        )
        wait_for(
            lambda: ServiceImport.objects.filter(pk=job.pk, status="running", rows_read__gt=0)
            .exists(),
            60, "the import starts",
        )  # fmt: skip
        (worker,) = children_of(supervisor.pid)
        os.kill(worker, signal.SIGKILL)

        ended_in = wait_for(
            lambda: ServiceImport.objects.get(pk=job.pk).status == "failed", 30,
            "the abandoned import ends failed",
        )  # fmt: skip
        print(f"killed import ended failed {ended_in:.1f} s after its worker died")
        job.refresh_from_db()
        assert "nothing was saved" in job.errors[0]["message"]
        assert not ServiceDelivery.objects.exists()
        assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
        wait_for(lambda: sender.email in mails_in(tmp_path / "mail"), 10, "the sender is told")

        # The supervisor started a new worker: the next task runs.
        invited = send_invitation.enqueue(user_id=sender.pk, invited_by=cast.admin.pk)
        wait_for(lambda: status_of(invited.id) == TaskResultStatus.SUCCESSFUL, 30,
                 "a task after the kill runs")  # fmt: skip
        assert supervisor.poll() is None


def test_a_worker_whose_database_connections_are_cut_runs_the_next_task(cast, settings, tmp_path):
    settings.TASKS = DB_TASKS
    with supervised_worker(tmp_path, settings.MEDIA_ROOT) as supervisor:
        first = send_invitation.enqueue(user_id=cast.cti_a_staff.pk, invited_by=cast.admin.pk)
        wait_for(lambda: status_of(first.id) == TaskResultStatus.SUCCESSFUL, 30, "first task")

        # What a database restart does to the worker's sessions.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        second = send_invitation.enqueue(user_id=cast.cti_a_staff.pk, invited_by=cast.admin.pk)
        took = wait_for(
            lambda: status_of(second.id) == TaskResultStatus.SUCCESSFUL, 60, "the task after"
        )
        print(f"task after the connections were cut ran in {took:.1f} s")
        assert supervisor.poll() is None


RQ_TEST_URL = "redis://127.0.0.1:6379/13"  # a Redis database of the suite's own


def rq_worker(tmp_path: Path, media_root: Path):
    return worker_process(
        tmp_path, media_root,
        ["rqworker", "default", "--job-class", "django_tasks_rq.Job", "--worker-ttl", "10"],
        TASKS_BACKEND="django_tasks_rq.RQBackend", RQ_URL=RQ_TEST_URL,
    )  # fmt: skip


@pytest.mark.xdist_group("redis")
def test_the_scaled_out_setup_runs_e_mails_and_imports_on_rq_and_survives_a_killed_worker(
    cast, settings, tmp_path, client_for
):
    """TASKS_BACKEND=django_tasks_rq.RQBackend with a real `rqworker` on Redis: an e-mail and
    an import run; a worker killed mid-import leaves the import failed (its heartbeat stops,
    the lease ends it), nothing saved, its sender told; a new worker takes the next job."""
    import redis
    from django.core import mail

    redis.Redis.from_url(RQ_TEST_URL).flushdb()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": RQ_TEST_URL}}
    settings.JOB_LEASE_SECONDS = 3
    sender = cast.cti_a_staff
    type(sender).objects.filter(pk=sender.pk).update(preferred_language="en")
    mailbox = tmp_path / "mail"

    with rq_worker(tmp_path, settings.MEDIA_ROOT) as worker:
        send_invitation.enqueue(user_id=cast.cti_b_staff.pk, invited_by=cast.admin.pk)
        wait_for(lambda: cast.cti_b_staff.email in mails_in(mailbox), 60, "an e-mail on RQ")

        job = services.service_import_start(
            actor=sender,
            cti=cast.cti_a,
            kind="deliveries",
            upload=big_import_file(CompanyFactory()),
        )
        wait_for(
            lambda: ServiceImport.objects.filter(pk=job.pk, status="running", rows_read__gt=0)
            .exists(),
            60, "the import starts on RQ",
        )  # fmt: skip
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its work-horse

    page = client_for(sender)
    took = wait_for(
        lambda: 'data-status="failed"'
        in page.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode(),
        30, "the abandoned import ends failed",
    )  # fmt: skip
    print(f"import abandoned on RQ ended failed {took:.1f} s after the kill")
    job.refresh_from_db()
    assert "nothing was saved" in job.errors[0]["message"]
    assert not ServiceDelivery.objects.exists()
    assert any(sender.email in m.to for m in mail.outbox)

    with rq_worker(tmp_path, settings.MEDIA_ROOT):
        send_invitation.enqueue(user_id=cast.cti_a_manager.pk, invited_by=cast.admin.pk)
        wait_for(lambda: cast.cti_a_manager.email in mails_in(mailbox), 60, "a new worker")


def test_sweep_jobs_ends_an_import_whose_heartbeat_stopped(cast, settings):
    from django.core.management import call_command
    from django.utils import timezone

    job = ServiceImport.objects.create(
        cti=cast.cti_a, kind="deliveries", created_by=cast.cti_a_staff, title="x.csv", size=1,
        status="running", heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )  # fmt: skip
    call_command("sweep_jobs")
    job.refresh_from_db()
    assert job.status == "failed"
