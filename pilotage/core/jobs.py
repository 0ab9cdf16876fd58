"""Background jobs whose worker died: how they end instead of staying "running" forever.

A task that runs long (an import) writes a heartbeat as it goes. Two things end an abandoned job:
the supervisor (`manage.py run_worker`) when it sees its worker process die, at once, for the
tasks that worker held; and a sweep, for jobs whose heartbeat is older than the lease, whatever
ran them (a supervisor killed too, an RQ worker): the supervisor sweeps every minute and a page
that shows a job's progress sweeps that job. Each app says how its jobs end (`on_abandoned`).
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# task path -> what ends that task's domain job when its worker died (called with its kwargs)
_ABANDON_HANDLERS: dict[str, Callable[..., None]] = {}
# functions that end every job of an app whose heartbeat is older than a cutoff
_SWEEPERS: list[Callable[..., int]] = []


class WorkerDied(Exception):
    """Recorded as the failure of a task whose worker process died while running it."""


def lease() -> timedelta:
    """How long a running job may go without a heartbeat before it is held abandoned."""
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


def on_abandoned(task) -> Callable:
    """Register how the domain job of `task` ends when the worker running it died."""

    def register(handler: Callable[..., None]) -> Callable[..., None]:
        _ABANDON_HANDLERS[task.module_path] = handler
        return handler

    return register


def sweeper(func: Callable[..., int]) -> Callable[..., int]:
    """Register a function `func(*, cutoff)` ending an app's jobs silent since `cutoff`."""
    _SWEEPERS.append(func)
    return func


def end_silent(running: Any, *, cutoff: Any, end: Callable[[int], bool], pk: Any = None) -> int:
    """End with `end(pk)` each job of `running` (a queryset of an app's running jobs) whose
    heartbeat is older than `cutoff` — all of them, or the one a page shows; how many ended."""
    stale = running.filter(heartbeat_at__lt=cutoff)
    if pk is not None:
        stale = stale.filter(pk=pk)
    return sum(end(job) for job in stale.values_list("pk", flat=True))


def _discover() -> None:
    """Each app declares its jobs' endings in its tasks module."""
    autodiscover_modules("tasks")


def sweep() -> int:
    """End every job whose heartbeat is older than the lease; how many were ended."""
    _discover()
    cutoff = timezone.now() - lease()
    return sum(func(cutoff=cutoff) for func in _SWEEPERS)


def fail_tasks_of(worker_id: str) -> int:
    """End as failed the tasks a dead worker held, and their domain jobs."""
    _discover()
    ended = 0
    held = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for result in held:
        if not result.worker_ids or result.worker_ids[-1] != worker_id:
            continue
        result.set_failed(WorkerDied(f"the worker {worker_id} died while running this task"))
        handler = _ABANDON_HANDLERS.get(result.task_path)
        if handler is not None:
            try:
                handler(**result.args_kwargs.get("kwargs", {}))
            except Exception:  # one job's ending must not stop the others'
                logger.exception("could not end the job of task %s", result.pk)
        ended += 1
    return ended
