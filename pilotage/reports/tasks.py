"""Background work of the reports app (run by the tasks worker; immediately in tests)."""

from django_tasks import task

from pilotage.core import jobs


@task()
def build_edition(*, edition_id: int) -> None:
    """Compute an edition's figures and make its files, then tell who asked for it."""
    from pilotage.reports.services import edition_build

    edition_build(edition_id=edition_id)


@task()
def compare_edition(*, edition_id: int) -> None:
    """Compare a published edition with the figures of its date as known now."""
    from pilotage.reports.services import edition_compare

    edition_compare(edition_id=edition_id)


@jobs.on_abandoned(build_edition)
def end_abandoned_edition(*, edition_id: int) -> None:
    from pilotage.reports.services import edition_abandon

    edition_abandon(edition_id=edition_id)


@jobs.sweeper
def sweep_editions(*, cutoff) -> int:
    from pilotage.reports.services import editions_sweep

    return editions_sweep(cutoff=cutoff)
