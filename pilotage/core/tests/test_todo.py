"""The home page says what waits for each person, oldest first, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilotage.governance.tests.factories import DecisionFactory
from pilotage.prestations.tests.factories import RequestFactory
from pilotage.results.models import Measurement
from pilotage.results.tests.test_bulk_review import draft_values, review, submit_ready

pytestmark = pytest.mark.django_db


def todo_of(client) -> str:
    page = client.get("/").content.decode()
    start = page.index('id="todo-title"')
    return page[start : page.index("</section>", start)]


def test_the_officer_sees_the_values_to_validate_and_the_ctis_people_their_returns(
    cast, client_for
):
    agreement, period, *_ = draft_values(cast, client_for)
    assert "2 valeurs prêtes à soumettre" in todo_of(client_for(cast.cti_a_manager))
    submit_ready(client_for(cast.cti_a_manager), agreement, period)
    officer = todo_of(client_for(cast.officer))
    assert "2 valeurs à valider" in officer and "?status=submitted" in officer

    values = list(Measurement.objects.all())
    review(client_for(cast.officer), agreement, period, values[:1], action="return", reason="x")
    for person in (cast.cti_a_manager, cast.cti_a_staff):
        assert "1 valeur renvoyée pour correction" in todo_of(client_for(person))
    assert "renvoyée" not in todo_of(client_for(cast.cti_b_manager))
    assert 'id="todo-empty"' not in officer


def test_requests_in_the_inbox_and_decisions_due_are_listed_for_whom_they_concern(cast, client_for):
    RequestFactory(offering__cti=cast.cti_a)
    RequestFactory(offering__cti=cast.cti_a)
    DecisionFactory(owner=cast.cti_a, due_on=datetime.date(2024, 8, 1))  # late
    staff = todo_of(client_for(cast.cti_a_staff))
    assert "2 demandes de prestation en attente de réponse" in staff
    assert "1 décision à suivre avant le 01/08/2024" in staff and "text-bg-danger" in staff
    other = todo_of(client_for(cast.cti_b_staff))
    assert "demande" not in other and "décision" not in other
    assert 'id="todo-empty"' in todo_of(client_for(cast.auditor))


def test_the_to_do_list_costs_the_same_queries_whatever_the_volume(cast, client_for):
    def queries() -> int:
        client = client_for(cast.officer)
        with CaptureQueriesContext(connection) as captured:
            client.get("/")
        return len(captured)

    RequestFactory(offering__cti=cast.cti_a)
    DecisionFactory(owner=cast.cti_a, due_on=datetime.date(2024, 8, 1))
    few = queries()
    for _n in range(5):
        RequestFactory(offering__cti=cast.cti_a)
        DecisionFactory(owner=cast.cti_b, due_on=datetime.date(2024, 9, 1))
    assert queries() == few


def test_the_ctis_reporters_see_the_values_still_to_enter_in_an_open_window(cast, client_for):
    from django.utils import timezone

    from pilotage.results.tests.test_reporting_pages import setup_contract, sheet_url

    agreement, kpi, _rate, period = setup_contract(cast)
    today = timezone.localdate()
    period.opens_on, period.closes_on = (
        today - datetime.timedelta(days=5),
        today + datetime.timedelta(days=20),
    )
    period.save()
    due = period.closes_on.strftime("%d/%m/%Y")
    assert f"2 valeurs à saisir avant le {due}" in todo_of(client_for(cast.cti_a_staff))

    client_for(cast.cti_a_staff).post(sheet_url(agreement, period), {f"value-{kpi.pk}": "12"})
    assert f"1 valeur à saisir avant le {due}" in todo_of(client_for(cast.cti_a_manager))
    assert "à saisir" not in todo_of(client_for(cast.cti_b_staff))
    assert "à saisir" not in todo_of(client_for(cast.officer))
