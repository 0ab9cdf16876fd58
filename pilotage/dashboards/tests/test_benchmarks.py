"""Benchmarking: each ratio against figures computed by hand, the network's quartiles, and who
sees which CTI's figures."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from pilotage.certification.tests.factories import StaffCountFactory
from pilotage.dashboards.benchmarks import benchmark, spread
from pilotage.dashboards.tests.test_watch import paid_on
from pilotage.fund.tests.factories import allocate, commit, ledger_axis
from pilotage.prestations.models import ServiceRequest
from pilotage.prestations.tests.factories import CompanyFactory, DeliveryFactory, RequestFactory

YEAR = 2024


def requested(cti, company, received: datetime.date, started: datetime.date, amount: str):
    request = RequestFactory(offering__cti=cti, cti=cti)
    ServiceRequest.objects.filter(pk=request.pk).update(
        received_at=timezone.make_aware(datetime.datetime.combine(received, datetime.time(9)))
    )
    return DeliveryFactory(cti=cti, company=company, request=request, started_on=started,
                           amount_invoiced=Decimal(amount))  # fmt: skip


def network(cast):
    """CTI A: 3 deliveries in 2024 to 2 companies (a PME and a GE), 6 000 DH invoiced, 2 engineers
    among 6 staff, 60 000 DH paid by FACET in 2024, requests answered in 10 and 20 days.
    CTI B: 1 delivery to a TPE, 500 DH, 1 engineer among 2 staff, no FACET payment."""
    pme, ge, tpe = (CompanyFactory(size_class=size) for size in ("PME", "GE", "TPE"))
    requested(cast.cti_a, pme, datetime.date(2024, 1, 1), datetime.date(2024, 1, 11), "1000.00")
    requested(cast.cti_a, ge, datetime.date(2024, 2, 1), datetime.date(2024, 2, 21), "2000.00")
    DeliveryFactory(cti=cast.cti_a, company=pme, started_on=datetime.date(2024, 6, 1),
                    amount_invoiced=Decimal("3000.00"))  # fmt: skip
    DeliveryFactory(cti=cast.cti_a, company=pme, started_on=datetime.date(2023, 6, 1))  # not 2024
    DeliveryFactory(cti=cast.cti_b, company=tpe, started_on=datetime.date(2024, 3, 1),
                    amount_invoiced=Decimal("500.00"))  # fmt: skip
    StaffCountFactory(cti=cast.cti_a, year=YEAR, graduates=2, technicians=3, administrative=1)
    StaffCountFactory(cti=cast.cti_b, year=YEAR, graduates=1, technicians=1, administrative=0)
    line = allocate(cast.cti_a, "100000", axis=ledger_axis("1000000"))
    commitment = commit(line, "100000")
    paid_on(commitment, "60000", datetime.date(2024, 5, 1))
    paid_on(commitment, "10000", datetime.date(2025, 1, 5))  # another year


def test_each_ratio_matches_the_hand_computed_figure(cast):
    network(cast)
    result = benchmark(cast.officer, YEAR)
    a, b = ({row.acronym: row for row in result.rows}[name].values for name in ("CTPC", "CETIEV"))
    assert a["facet_per_company"] == Decimal(30000)  # 60 000 / 2 companies
    assert a["revenue_per_staff"] == Decimal(1000)  # 6 000 / 6 staff
    assert a["services_per_engineer"] == Decimal("1.5")  # 3 / 2
    assert a["sme_share"] == Decimal("0.5")  # the PME, not the GE
    assert a["request_days"] == Decimal(15)  # median of 10 and 20 days
    assert b["facet_per_company"] is None  # no payment: no ratio, not zero
    assert (b["revenue_per_staff"], b["services_per_engineer"], b["sme_share"]) == (
        Decimal(250), Decimal(1), Decimal(1),
    )  # fmt: skip
    assert b["request_days"] is None


def test_the_network_quartiles_are_the_inclusive_ones(cast):
    network(cast)
    result = benchmark(cast.officer, YEAR)
    engineer = result.network["services_per_engineer"]
    assert (engineer.count, engineer.q1, engineer.median, engineer.q3) == (
        2, Decimal("1.125"), Decimal("1.25"), Decimal("1.375"),
    )  # fmt: skip
    assert result.network["facet_per_company"].median == Decimal(30000)  # one CTI has it
    assert spread([Decimal(v) for v in (1, 2, 3, 4, 5)]) == spread(
        [Decimal(v) for v in (5, 4, 3, 2, 1)]
    )
    five = spread([Decimal(v) for v in (1, 2, 3, 4, 5)])
    assert (five.q1, five.median, five.q3) == (Decimal(2), Decimal(3), Decimal(4))


def test_a_cti_sees_its_own_ratios_and_the_network_only_when_enough_ctis_have_them(cast, settings):
    network(cast)
    settings.BENCHMARK_MIN_CTIS = 3
    mine = benchmark(cast.cti_a_staff, YEAR)
    assert [row.acronym for row in mine.rows] == ["CTPC"]
    assert mine.network["services_per_engineer"].median is None  # 2 CTIs < 3
    settings.BENCHMARK_MIN_CTIS = 2
    mine = benchmark(cast.cti_a_staff, YEAR)
    assert mine.network["services_per_engineer"].median == Decimal("1.25")
    assert mine.network["facet_per_company"].median is None  # only CTI A has it: it would show
    federation = benchmark(cast.federation_viewer, YEAR)  # the federation of CTI B
    assert [row.acronym for row in federation.rows] == ["CETIEV"]
    assert benchmark(cast.cid_manager, YEAR).rows == []


def test_the_page_shows_definitions_and_exports_the_table(cast, client_for):
    network(cast)
    client = client_for(cast.officer)
    page = client.get(reverse("dashboards:benchmark"), {"year": YEAR})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="ratio-sme_share"' in html and 'data-cti="CTPC"' in html
    assert "divided by" in html or "divisé" in html  # the definitions are on the page
    export = client.get(reverse("dashboards:benchmark"), {"year": YEAR, "export": "csv"})
    assert export.status_code == 200
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "CTPC" in text and "CETIEV" in text and len(text.strip().splitlines()) == 6
    staff = client_for(cast.cti_b_staff).get(
        reverse("dashboards:benchmark"), {"year": YEAR, "export": "csv"}
    )
    assert "CTPC" not in b"".join(staff.streaming_content).decode("utf-8-sig")


def test_an_unknown_year_is_ignored_with_a_notice(cast, client_for):
    page = client_for(cast.officer).get(reverse("dashboards:benchmark"), {"year": "1900"})
    assert page.status_code == 200
    assert page.context["year"] == timezone.localdate().year - 1
    assert len(list(page.context["messages"])) == 1


def test_the_json_gives_the_same_figures(cast, api_as):
    network(cast)
    response = api_as(cast.cti_a_manager)("get", "/api/v1/dashboards/benchmarks", {"year": YEAR})
    assert response.status_code == 200
    body = response.json()
    assert [row["acronym"] for row in body["rows"]] == ["CTPC"]
    assert Decimal(body["rows"][0]["values"]["services_per_engineer"]) == Decimal("1.5")
    assert api_as(cast.cti_a_manager)("get", "/api/v1/dashboards/benchmarks").status_code == 422
