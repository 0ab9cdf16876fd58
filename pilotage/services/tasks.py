"""Background work of the services app (run by the tasks worker; immediately in tests)."""

from django_tasks import task


@task()
def run_service_import(*, import_id: int) -> None:
    """Check and save an uploaded import, then tell its sender by e-mail."""
    from pilotage.services.services import service_import_run

    service_import_run(import_id=import_id, notify=True)
