"""The home page of each role: what it shows, that each figure is the count of the list it links
to, and that nobody's home counts another CTI's records."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse

from pilotage.dashboards.tests.test_watch import half_paid, indicator_of_the_ledger_plan, validated
from pilotage.prestations.tests.factories import DeliveryFactory
from pilotage.results.models import Target


def home(client_for, user):
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response


def deliveries(cast):
    for cti, count, size in ((cast.cti_a, 3, "PME"), (cast.cti_b, 2, "GE")):
        for _n in range(count):
            DeliveryFactory(cti=cti, company__size_class=size, started_on=datetime.date(2024, 5, 2),
                            amount_invoiced=Decimal("1000.00"))  # fmt: skip


def test_the_officer_sees_the_plan_its_money_and_kpi_bands(cast, client_for):
    half_paid(cast.cti_a)
    indicator = indicator_of_the_ledger_plan(cast.cti_a)
    Target.objects.create(indicator=indicator, year=2024, value=Decimal(100))
    validated(indicator, cast.cti_a, 2024, "50", (2025, 3, 1))
    page = home(client_for, cast.officer)
    glance = page.context["glance"]
    assert glance.money.figures.disbursed == Decimal("500000")
    assert glance.kpi_year == 2024
    [row] = glance.bands_by_cti
    assert (row.label, row.counts["off_track"]) == ("CTPC", 1)
    html = page.content.decode()
    assert 'id="plan-glance"' in html and 'data-rule="facet_lag"' in html


def test_each_service_figure_is_the_count_of_the_list_it_links_to(cast, client_for):
    deliveries(cast)
    half_paid(cast.cti_a)  # a plan to show
    for user in (cast.officer, cast.committee):
        deliveries_figure = home(client_for, user).context["glance"].services[0]
        listed = client_for(user).get(deliveries_figure.url)
        assert listed.status_code == 200
        assert deliveries_figure.value == listed.context["page"].paginator.count == 5


def test_the_sme_figure_links_to_the_smes_deliveries(cast, client_for):
    deliveries(cast)
    half_paid(cast.cti_a)
    page = home(client_for, cast.officer)
    [smes] = [f for f in page.context["glance"].services if "sme=true" in f.url]
    listed = client_for(cast.officer).get(smes.url)
    assert smes.value == 3  # companies; each delivery here has its own company
    assert listed.context["page"].paginator.count == 3


def test_a_cti_manager_sees_their_contract_not_the_plans_rows_nor_another_cti(cast, client_for):
    half_paid(cast.cti_a)
    half_paid(cast.cti_b)
    indicator = indicator_of_the_ledger_plan(cast.cti_a)
    Target.objects.create(indicator=indicator, year=2024, value=Decimal(100))
    validated(indicator, cast.cti_a, 2024, "95", (2025, 3, 1))
    page = home(client_for, cast.cti_a_manager)
    assert page.context["glance"] is None
    [contract] = page.context["contracts"]
    assert contract.agreement == indicator.objective.agreement and contract.year == 2024
    assert [row.status for row in contract.rows] == ["on_track"]
    html = page.content.decode()
    assert "CETIEV" not in html
    assert {alert.subject for alert in page.context["alerts"]} == {"CTPC"}


def test_the_cid_sees_its_joint_projects_and_training(cast, client_for):
    page = home(client_for, cast.cid_manager)
    assert page.context["glance"] is None and page.context["contracts"] == []
    assert [f.label for f in page.context["partnership"]]
    assert 'id="partnership"' in page.content.decode()


def test_every_link_of_every_home_opens_for_its_user(cast, client_for):
    deliveries(cast)
    half_paid(cast.cti_a)
    for name in ("officer", "cti_a_manager", "federation_viewer", "cid_manager"):
        user = getattr(cast, name)
        html = home(client_for, user).content.decode()
        # The dashboard's own figures and alerts (the menu below links the app's usual pages).
        main = html[html.index("<main") : html.index('id="todo-title"')]
        for url in set(re.findall(r'href="(/[^"#]*)"', main)):
            url = url.replace("&amp;", "&")
            if url.startswith(("/admin/", "/logout", "/api/")):
                continue
            assert client_for(user).get(url).status_code == 200, (name, url)


def test_the_plan_at_a_glance_does_not_depend_on_the_databases_row_order(cast):
    from pilotage.dashboards.selectors import current_programme
    from pilotage.programmes.tests.factories import ProgrammeFactory

    today = datetime.date(2024, 6, 1)
    shorter = ProgrammeFactory(code="PLAN-A", start_year=2022, end_year=2024)
    longer = ProgrammeFactory(code="PLAN-B", start_year=2022, end_year=2025)
    later = ProgrammeFactory(code="PLAN-C", start_year=2022, end_year=2025)
    assert current_programme(cast.officer, today) == later
    assert shorter.pk < longer.pk < later.pk
