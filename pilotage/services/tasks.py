"""Background work of the services app (run by the tasks worker; immediately in tests)."""

from django_tasks import task

from pilotage.core import jobs


@task()
def run_service_import(*, import_id: int) -> None:
    """Check and save an uploaded import, then tell its sender by e-mail."""
    from pilotage.services.services import service_import_run

    service_import_run(import_id=import_id, notify=True)


@jobs.on_abandoned(run_service_import)
def end_abandoned_import(*, import_id: int) -> None:
    from pilotage.services.services import service_import_abandon

    service_import_abandon(import_id=import_id)


@jobs.sweeper
def sweep_imports(*, cutoff) -> int:
    from pilotage.services.services import service_imports_sweep

    return service_imports_sweep(cutoff=cutoff)
