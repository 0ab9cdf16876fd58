"""50 writers with their own database connections race for one allocation: the ceiling holds and
every refused writer is told why (DESIGN §9)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from pilotage.core.errors import ErrorCode, ServiceError
from pilotage.core.testing import sign_in
from pilotage.fund import services
from pilotage.fund.models import Allocation, Commitment, Entry, EntryKind
from pilotage.fund.tests.factories import DAY, allocate, facet_project, ledger_axis, ledger_clerk

WRITERS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_commitments_never_exceed_the_allocation(cast):
    assert connection.vendor == "postgresql"
    clerk = ledger_clerk()
    line = allocate(cast.cti_a, "1000000", actor=clerk)
    project = facet_project(cast.cti_a)
    start = threading.Barrier(WRITERS)
    outcomes: list[tuple[str, str]] = []
    lock = threading.Lock()

    def write(n: int) -> None:
        try:
            start.wait()
            services.commitment_record(
                actor=clerk, allocation=Allocation.objects.get(pk=line.pk),
                amount=Decimal("30000"), reference=f"ENG-RACE-{n}", committed_on=DAY,
                project=project,
            )  # fmt: skip
            outcome = ("ok", "")
        except ServiceError as exc:
            outcome = (exc.code, exc.message)
        finally:
            connection.close()  # each thread had its own connection
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    line.refresh_from_db()
    journal = Entry.objects.filter(kind=EntryKind.COMMITMENT).aggregate(s=Sum("amount"))["s"]
    assert len(outcomes) == WRITERS
    accepted = [o for o in outcomes if o[0] == "ok"]
    refusals = [o for o in outcomes if o[0] != "ok"]
    assert len(accepted) == 33  # 33 × 30 000 = 990 000 ≤ 1 000 000 < 34 × 30 000
    assert journal == line.committed == Decimal("990000") <= line.allocated
    assert Commitment.objects.count() == 33  # a refused writer left no commitment behind
    for code, message in refusals:
        assert code == ErrorCode.OVER_CEILING
        assert str(line) in message and "1\u00a0000\u00a0000,00" in message


@pytest.mark.django_db(transaction=True)
def test_the_same_commitment_reference_posted_at_once_is_one_201_and_clean_409s(cast):
    """Both requests pass the reference check before either has saved: the loser is told the
    reference is taken (409), never a server error, and nothing of it is kept. A poster that
    starts after the winner committed is told so by the form's check instead (422): the same
    message, on the same field."""
    from django.test import Client

    line = allocate(cast.cti_a, "1000000", actor=cast.officer)
    project = facet_project(cast.cti_a)
    posters = 6
    clients = []
    for _n in range(posters):
        client = Client(raise_request_exception=False)
        sign_in(client, cast.officer)
        clients.append(client)
    start = threading.Barrier(posters)
    statuses: list[int] = []
    refused_fields: list[set[str]] = []
    lock = threading.Lock()

    def post(client) -> None:
        try:
            start.wait()
            response = client.post(
                "/api/v1/fund/commitments",
                {"allocation": line.pk, "amount": "1000", "reference": "ENG-TWICE",
                 "committed_on": DAY.isoformat(), "project": project.pk},
                content_type="application/json",
            )  # fmt: skip
        finally:
            connection.close()
        with lock:
            statuses.append(response.status_code)
            if response.status_code != 201:
                refused_fields.append(set(response.json().get("errors") or {}))

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses.count(201) == 1 and set(statuses) <= {201, 409, 422}, statuses
    assert all("reference" in fields for fields in refused_fields), refused_fields
    assert Commitment.objects.filter(reference="ENG-TWICE").count() == 1
    assert Entry.objects.filter(reference="ENG-TWICE").count() == 1


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_commitments_never_exceed_the_projects_facet_budget(cast):
    """Fifty writers commit 30 000 on one project (FACET budget 1 000 000) from four allocation
    lines of 300 000: the lines could take 40, the project takes 33; the 17 others are told
    which ceiling they would cross, and nothing of them is kept."""
    clerk = ledger_clerk()
    project = facet_project(cast.cti_a, budget="1000000")
    axis = ledger_axis("5000000")
    lines = [
        allocate(cast.cti_a, "300000", axis=axis, year=2022 + n, actor=clerk) for n in range(4)
    ]
    start = threading.Barrier(WRITERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def write(n: int) -> None:
        try:
            start.wait()
            services.commitment_record(
                actor=clerk, allocation=Allocation.objects.get(pk=lines[n % 4].pk),
                amount=Decimal("30000"), reference=f"ENG-PRJ-{n}", committed_on=DAY,
                project=project,
            )  # fmt: skip
            outcome = "ok"
        except ServiceError as exc:
            outcome = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    committed = Commitment.objects.filter(project=project).aggregate(total=Sum("amount"))["total"]
    assert committed <= Decimal("1000000")
    assert outcomes.count("ok") == 33 and committed == Decimal("990000")
    assert set(outcomes) == {"ok", ErrorCode.OVER_CEILING}
    assert Entry.objects.filter(reference__startswith="ENG-PRJ-").count() == 33
