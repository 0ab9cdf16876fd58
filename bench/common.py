"""What the dashboard benchmarks share: the officer who looks, and timing in turns."""

import statistics
import time


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
