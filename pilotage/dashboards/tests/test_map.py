"""The map of the regions: each region's figures are those of the list it links to, counted from
the rows the user may read."""

import datetime
import json
from decimal import Decimal

from django.urls import reverse

from pilotage.dashboards.selectors import region_figures
from pilotage.prestations.tests.factories import CompanyFactory, DeliveryFactory
from pilotage.projects.tests.factories import ProjectFactory


def served(cast):
    casablanca = CompanyFactory(region="06")
    tanger = CompanyFactory(region="01")
    for cti, company, day, amount in (
        (cast.cti_a, casablanca, datetime.date(2024, 2, 1), "1000.00"),
        (cast.cti_a, casablanca, datetime.date(2024, 5, 1), "2500.50"),
        (cast.cti_a, tanger, datetime.date(2023, 5, 1), "700.00"),
        (cast.cti_b, tanger, datetime.date(2024, 9, 1), "400.00"),
    ):
        DeliveryFactory(cti=cti, company=company, started_on=day, amount_invoiced=Decimal(amount))
    ProjectFactory(lead=cast.cti_a, region="06")
    ProjectFactory(lead=cast.cti_b, region="01")


def by_code(user, year):
    return {region.code: region for region in region_figures(user, year)}


def test_the_regions_figures_are_counted_by_the_companys_region(cast):
    served(cast)
    figures = by_code(cast.officer, 2024)
    assert len(figures) == 12
    casablanca, tanger = figures["06"], figures["01"]
    assert (casablanca.deliveries, casablanca.companies, casablanca.revenue) == (
        2, 1, Decimal("3500.50"),
    )  # fmt: skip
    assert (tanger.deliveries, tanger.companies, tanger.revenue) == (1, 1, Decimal("400.00"))
    assert figures["12"].deliveries == 0 and figures["12"].revenue == 0
    every_year = by_code(cast.officer, None)
    assert (every_year["01"].deliveries, every_year["01"].companies) == (2, 1)


def test_a_cti_sees_its_own_rows_on_the_map_never_another_ctis(cast):
    served(cast)
    figures = by_code(cast.cti_b_staff, 2024)
    assert (figures["01"].deliveries, figures["06"].deliveries) == (1, 0)
    assert (figures["01"].projects, figures["06"].projects) == (1, 0)


def test_each_figure_is_the_count_of_the_list_it_links_to(cast, client_for):
    served(cast)
    for user in (cast.officer, cast.cti_a_manager, cast.cti_b_staff):
        client = client_for(user)
        for year in (2024, None):
            # The two regions with records and one without.
            for region in [r for r in region_figures(user, year) if r.code in ("01", "06", "12")]:
                listed = client.get(region.deliveries_url)
                assert listed.status_code == 200
                assert listed.context["page"].paginator.count == region.deliveries
                projects = client.get(region.projects_url)
                assert projects.context["page"].paginator.count == region.projects


def test_the_page_draws_the_map_from_the_apps_own_shapes_and_links_each_region(cast, client_for):
    served(cast)
    page = client_for(cast.officer).get(reverse("dashboards:region_map"), {"year": 2024})
    assert page.status_code == 200
    spec = json.loads(page.context["spec"])
    assert spec["data"]["url"].endswith("morocco-regions.topo.json")
    assert spec["encoding"]["href"] == {"field": "url"}
    values = {v["id"]: v for v in spec["transform"][0]["from"]["data"]["values"]}
    assert values["06"]["value"] == 1  # companies served, the default measure
    assert values["06"]["url"] == reverse("services:delivery_list") + "?region=06&year=2024"
    html = page.content.decode()
    assert 'data-region="06"' in html and "cdn" not in html.lower()


def test_revenue_is_drawn_in_millions(cast, client_for):
    served(cast)
    page = client_for(cast.officer).get(
        reverse("dashboards:region_map"), {"year": 2024, "measure": "revenue"}
    )
    values = {
        v["id"]: v
        for v in json.loads(page.context["spec"])["transform"][0]["from"]["data"]["values"]
    }
    assert values["06"]["value"] == 0.0035005


def test_unknown_filters_are_ignored_with_a_notice(cast, client_for):
    served(cast)
    page = client_for(cast.officer).get(
        reverse("dashboards:region_map"), {"year": "20x4", "measure": "<b>"}
    )
    assert page.status_code == 200
    assert page.context["year"] is None and page.context["measure"] == "companies"
    notices = [str(m) for m in page.context["messages"]]
    assert len(notices) == 2 and "&lt;b&gt;" in page.content.decode()


def test_the_json_gives_the_same_figures(cast, api_as):
    served(cast)
    response = api_as(cast.cti_a_manager)("get", "/api/v1/dashboards/regions", {"year": 2024})
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert (rows["06"]["deliveries"], rows["01"]["deliveries"]) == (2, 0)
    bad = api_as(cast.cti_a_manager)("get", "/api/v1/dashboards/regions", {"year": "x"})
    assert bad.status_code == 422
