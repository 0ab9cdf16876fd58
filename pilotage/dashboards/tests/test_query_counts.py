"""Every dashboard page and its JSON runs the same number of SQL queries whatever the number of
rows behind it (DESIGN §9): measured with one CTI's records, then with many more records."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotage.certification.tests.factories import LaboratoryFactory, StaffCountFactory
from pilotage.dashboards.tests.test_watch import (
    half_paid,
    indicator_of_the_ledger_plan,
    paid_on,
    validated,
)
from pilotage.fund.tests.factories import allocate, commit
from pilotage.governance.tests.factories import RecommendationFactory
from pilotage.prestations.tests.factories import CompanyFactory, DeliveryFactory
from pilotage.programmes.tests.factories import AxisFactory
from pilotage.projects.tests.factories import MilestoneFactory, ProjectFactory
from pilotage.results.models import Target
from pilotage.results.tests.factories import contract_indicator

PAGES = [
    ("home", reverse, ("home",), {}),
    ("watch list", reverse, ("dashboards:watch",), {}),
    ("watch JSON", None, "/api/v1/dashboards/watch", {}),
    ("map", reverse, ("dashboards:region_map",), {"year": 2024}),
    ("map JSON", None, "/api/v1/dashboards/regions", {"year": 2024}),
    ("benchmarks", reverse, ("dashboards:benchmark",), {"year": 2024}),
    ("benchmarks JSON", None, "/api/v1/dashboards/benchmarks", {"year": 2024}),
]


def records_of(cti, many: int, code: str = "", staff_year: int = 2024):
    """`many` of each kind of record a dashboard counts, for one CTI (and its contract's
    indicator when `code` names one: a CTI has one contrat-objectifs per plan)."""
    half_paid(cti)
    for n in range(many):
        company = CompanyFactory(region=f"{1 + n % 12:02d}", size_class="PME")
        DeliveryFactory(cti=cti, company=company, started_on=datetime.date(2024, 3, 1),
                        amount_invoiced=Decimal(100))  # fmt: skip
        project = ProjectFactory(lead=cti, region="06")
        MilestoneFactory(project=project, due_on=datetime.date(2024, 6, 30))
        RecommendationFactory(owner=cti, due_on=datetime.date(2024, 6, 30))
        LaboratoryFactory(cti=cti, accreditation_number=f"L-{code}-{n}",
                          accredited_until=datetime.date(2024, 1, 1))  # fmt: skip
    StaffCountFactory(cti=cti, year=staff_year)
    if not code:
        return
    indicator = indicator_of_the_ledger_plan(cti, code=code)
    Target.objects.create(indicator=indicator, year=2024, value=Decimal(100))
    validated(indicator, cti, 2024, "50", (2025, 3, 1))


def another_plan_followed(cti):
    """A second plan the watch list follows, with the CTI's contract value and FACET money."""
    indicator = contract_indicator(cti, code="K-MORE")  # under a 2022-2025 plan of its own
    Target.objects.create(indicator=indicator, year=2024, value=Decimal(100))
    validated(indicator, cti, 2024, "40", (2025, 3, 1))
    axis = AxisFactory(programme=indicator.objective.agreement.programme, number=1,
                       envelope=Decimal("10000000"))  # fmt: skip
    paid_on(commit(allocate(cti, amount="1000000", axis=axis), amount="1000000"), "100000",
            datetime.date(2024, 3, 1))  # fmt: skip


def counts(client, api, pages=PAGES):
    found = {}
    for name, resolve, target, params in pages:
        # Once before counting: a session or a token writes when it is first used, not after.
        client.get(resolve(*target), params) if resolve else api("get", target, params)
        with CaptureQueriesContext(connection) as queries:
            response = (
                client.get(resolve(*target), params) if resolve else api("get", target, params)
            )
        assert response.status_code == 200, (name, response.status_code)
        found[name] = len(queries)
    return found


@pytest.mark.parametrize("who", ["officer", "cti_a_manager"])
def test_each_dashboard_runs_the_same_queries_for_few_and_many_rows(cast, client_for, api_as, who):
    user = getattr(cast, who)
    client, api = client_for(user), api_as(user)
    records_of(cast.cti_a, 1, "K-A")
    few = counts(client, api)
    records_of(cast.cti_b, 6, "K-B")
    records_of(cast.cti_a, 4, staff_year=2023)
    assert counts(client, api) == few


@pytest.mark.parametrize("who", ["officer", "cti_a_manager"])
def test_each_dashboard_runs_the_same_queries_whatever_the_number_of_plans(
    cast, client_for, api_as, who
):
    """The watch list's rules read every plan followed at once, and a CTI's home page reads the
    scorecards of all its contracts (one per plan) at once."""
    user = getattr(cast, who)
    client, api = client_for(user), api_as(user)
    records_of(cast.cti_a, 1, "K-A")
    few = counts(client, api)
    another_plan_followed(cast.cti_a)
    assert counts(client, api) == few
