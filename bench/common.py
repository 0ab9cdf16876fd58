"""What the dashboard benchmarks share: the officer who looks, and timing in turns."""

import contextlib
import statistics
import time
from collections.abc import Callable, Iterator


def bench_officer():
    """A ministry officer (and the ministry) of the bench's own, who sees every line."""
    from pilotage.core.models import Membership, Organisation, User

    officer, _ = User.objects.get_or_create(email="bench-officer@ministere.example")
    ministry, _ = Organisation.objects.get_or_create(
        acronym="BENCH-MIC", defaults={"name": "Ministère (bench)", "kind": "ministry"}
    )
    Membership.objects.get_or_create(user=officer, organisation=ministry, role="ministry_officer")
    return officer, ministry


def medians(*fns, runs: int = 15) -> list[float]:
    """Median time of each function, run in turns so that all of them meet the same machine
    (PostgreSQL's buffers, other load) rather than one after the other."""
    for fn in fns:
        fn()  # warm the caches (PostgreSQL buffers, Django templates)
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, spent in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


def after_a_write(get: Callable[[], None], topic: str) -> Callable[[], None]:
    """`get`, as the request that follows a change to the records of a `core.figures` topic: the
    figures it keeps are computed again."""
    from pilotage.core import figures

    def request() -> None:
        figures.renew(topic)
        get()

    return request


def page_getter(user, url: str, params: dict) -> Callable[..., None]:
    """A function that GETs the page signed in as `user` (extra query parameters as keywords)."""
    from django.test import Client

    from pilotage.core.testing import sign_in

    client = sign_in(Client(), user)  # with the second factor an officer gives at sign-in

    def page(**extra) -> None:
        response = client.get(url, {**params, **extra})
        assert response.status_code == 200, response.status_code

    return page


@contextlib.contextmanager
def served_as_in_production() -> Iterator[None]:
    """Pages as in production, except static files (no collectstatic manifest here): the heap
    loaded and frozen as the WSGI entry point leaves it (`pilotage/core/heap.py`)."""
    from django.conf import settings
    from django.test import override_settings

    from pilotage.core.heap import settle

    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}):
        settle()
        yield


def ratio_row(name: str, rows: int, ours: float, reference: float, target: float | None) -> dict:
    """One line of results.json and of the printed table."""
    return {
        "name": name,
        "rows": rows,
        "ours_s": round(ours, 4),
        "reference_s": round(reference, 4),
        "ratio": round(ours / reference, 2),
        "target": target,
    }
