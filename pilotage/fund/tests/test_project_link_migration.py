"""The migration that turns the ledger's free-text projects into project records (fund 0004):
each distinct text of a CTI becomes one proposed project of that CTI, its commitments point to it,
and the text is kept on the commitment and in its history — nothing lost."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("fund", "0003_history_indexes"), ("projects", "0002_themes")]
AFTER = [("fund", "0004_commitment_project_link")]


@pytest.mark.django_db(transaction=True)
def test_free_text_projects_become_linked_projects_and_the_text_stays():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    org = old.get_model("core", "Organisation")
    ctpc = org.objects.create(acronym="CTPC-M", name="CTPC", kind="cti")
    cetiev = org.objects.create(acronym="CETIEV-M", name="CETIEV", kind="cti")
    plan = old.get_model("programmes", "Programme").objects.create(
        code="PLAN-M", title="Plan", start_year=2022, end_year=2025, envelope=Decimal(10**9)
    )
    axis = old.get_model("programmes", "StrategicAxis").objects.create(
        programme=plan, number=1, title="Axe", envelope=Decimal(10**8)
    )
    allocation = old.get_model("fund", "Allocation")
    commitment = old.get_model("fund", "Commitment")
    lines = {cti: allocation.objects.create(programme=plan, axis=axis, cti=cti, year=2024,
                                            allocated=Decimal(10**6))
             for cti in (ctpc, cetiev)}  # fmt: skip
    texts = [(ctpc, "Banc d'essai", 3), (ctpc, "Banc d'essai ", 5), (ctpc, "Laboratoire", 7),
             (cetiev, "Banc d'essai", 9)]  # fmt: skip
    for n, (cti, text, day) in enumerate(texts):
        commitment.objects.create(
            allocation=lines[cti], reference=f"ENG-M-{n}", project=text,
            committed_on=datetime.date(2024, 3, day), amount=Decimal(1000),
        )  # fmt: skip

    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    projects = new.get_model("projects", "Project").objects.order_by("code")
    rows = new.get_model("fund", "Commitment").objects.order_by("reference")
    # Three projects: the same text of two CTIs is two projects; a trailing space is the same.
    assert [(p.lead_id, p.title, p.starts_on, p.status) for p in projects] == [
        (ctpc.pk, "Banc d'essai", datetime.date(2024, 3, 3), "proposed"),
        (ctpc.pk, "Laboratoire", datetime.date(2024, 3, 7), "proposed"),
        (cetiev.pk, "Banc d'essai", datetime.date(2024, 3, 9), "proposed"),
    ]
    assert [(c.project.title, c.project.lead_id, c.project_text) for c in rows] == [
        (t.strip(), cti.pk, t) for cti, t, _day in texts
    ]
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # leave the database as the suite expects
