"""axe-core (from npm, served by nothing but these tests) on the main pages, in French (left to
right) and Arabic (right to left): no serious or critical violation (the officer's pages in the
walk of test_content_security_policy.py, a CTI's staff's here). The reporting sheet and the
scorecard fit a 375-pixel phone and 200 % zoom without cutting a value off."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from pilotage.certification.selectors import certificate_token
from pilotage.certification.tests.factories import (
    CampaignFactory,
    CertificateFactory,
    LaboratoryFactory,
    TestResultFactory,
    request_at,
)
from pilotage.fund import services as services_of_fund
from pilotage.fund.tests.factories import allocate, commit, ledger_axis, performance_tranche
from pilotage.governance.tests.factories import DecisionFactory
from pilotage.prestations.tests.factories import DeliveryFactory, OfferingFactory
from pilotage.programmes.models import PaymentTranche
from pilotage.programmes.tests.factories import agreement_with, deliverable_of
from pilotage.projects.tests.factories import ProjectFactory
from pilotage.reports import services
from pilotage.reports.models import ReportEdition
from pilotage.reports.selectors import edition_figures
from pilotage.results.models import Measurement
from pilotage.results.tests.test_reporting_pages import setup_contract
from pilotage.standards.tests.factories import at_stage
from pilotage.training.selectors import certificate_token as training_token
from pilotage.training.tests.factories import SessionFactory, TraineeFactory, cohort_of
from tests.browser.test_journey import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

AXE = (Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js").read_text()
SERIOUS = {"serious", "critical"}


@pytest.fixture
def main_pages(cast):
    """Enough of every kind of record that each main page draws its tables and charts."""
    agreement, kpi, rate, period = setup_contract(cast)
    period.closes_on = timezone.localdate() + datetime.timedelta(days=30)
    period.save()
    for indicator, fields in (
        (kpi, {"value": Decimal(80)}),
        (rate, {"numerator": 3, "denominator": 4}),
    ):
        Measurement.objects.create(
            indicator=indicator,
            period=period,
            organisation=cast.cti_a,
            status="validated",
            **fields,
        )
    line = allocate(cast.cti_a, "500000", axis=ledger_axis("1000000"))
    commit(line, "100000")
    offering = OfferingFactory(cti=cast.cti_a, is_public=True)
    DeliveryFactory(cti=cast.cti_a)
    DecisionFactory(owner=cast.cti_a)
    programme = kpi.objective.programme
    campaign = CampaignFactory()
    validation = request_at("testing", delivery__cti=cast.cti_a, campaign=campaign)
    TestResultFactory(request=validation)
    certificate = CertificateFactory(request=request_at("decided", delivery__cti=cast.cti_a))
    laboratory = LaboratoryFactory(cti=cast.cti_a, accreditation_number="L-1",
                                   accredited_until=timezone.localdate())  # fmt: skip
    contract = agreement_with(cast.cid, cast.cti_a, kind="contrat_specifique")
    deliverable = deliverable_of(contract)
    tranche = PaymentTranche.objects.create(agreement=contract, number=1, amount=100000)
    tranche.deliverables.set([deliverable])
    session = SessionFactory(cohort=cohort_of(cast.cti_a))
    trainee = TraineeFactory(cohort=session.cohort, organisation=cast.cti_a, status="completed",
                             score=15, assessed_on=datetime.date(2025, 6, 30))  # fmt: skip
    tranche = performance_tranche(cast.cti_a)
    computation = services_of_fund.tranche_compute(actor=cast.officer, tranche=tranche)
    edition = ReportEdition.objects.create(
        kind="cti_report", programme=programme, cti=cast.cti_a, as_of=timezone.localdate(),
        status="ready", requested_by=cast.officer, published_at=timezone.now(),
        published_by=cast.officer,
    )  # fmt: skip
    edition.figures = edition_figures(services.scope_of(edition))
    edition.figures_sha256 = services.figures_hash(edition.figures)
    edition.save()
    return {
        "home": "/",
        "organisations": "/organisations/",
        "organisation": cast.cti_a.get_absolute_url(),
        "plans": "/plans/",
        "agreements": "/agreements/",
        "agreement": agreement.get_absolute_url(),
        "indicators": "/indicators/",
        "indicator": kpi.get_absolute_url(),
        "values": "/values/",
        "reporting sheet": f"/agreements/{agreement.pk}/reporting/?period={period.pk}",
        "scorecard": f"/agreements/{agreement.pk}/scorecard/",
        "results matrix": f"/plans/{programme.pk}/results/?year=2024",
        "results heatmap (the whole plan)": f"/plans/{programme.pk}/results/?year=2024&axis=all",
        "fund overview": "/fund/",
        "journal": "/fund/journal/",
        "watch list": "/watch/",
        "map of the regions": "/map/?year=2024",
        "benchmarking": "/benchmarks/?year=2024",
        "performance-linked tranches": "/fund/tranches/",
        "performance-linked tranche": tranche.get_absolute_url(),
        "tranche computation": computation.get_absolute_url(),
        "companies": "/companies/",
        "deliveries": "/deliveries/",
        "requests": "/requests/",
        "decisions": "/decisions/",
        "meetings": "/meetings/",
        "notifications": "/notifications/",
        "two-factor authentication": "/account/two-factor/",
        "two-factor set-up": "/account/two-factor/setup/",
        "validation requests": "/validation-requests/",
        "validation request": validation.get_absolute_url(),
        "fast-track campaign": campaign.get_absolute_url(),
        "laboratory": laboratory.get_absolute_url(),
        "staff": "/staff/",
        "certificate": certificate.get_absolute_url(),
        "standard": at_stage("public_enquiry", cti=cast.cti_a).get_absolute_url(),
        "standards pipeline": "/standards/pipeline/",
        "projects": "/projects/",
        "project timeline": "/projects/timeline/",
        "new project (a choice of several boxes)": "/projects/new/",
        "project": ProjectFactory(lead=cast.cti_a).get_absolute_url(),
        "certificate verification": f"/verify/{certificate_token(certificate)}/",
        "specific contract": contract.get_absolute_url(),
        "deliverable": deliverable.get_absolute_url(),
        "payment tranche": tranche.get_absolute_url(),
        "training programmes": "/training-programmes/",
        "training programme": session.cohort.programme.get_absolute_url(),
        "cohort": session.cohort.get_absolute_url(),
        "training session": session.get_absolute_url(),
        "trainee": trainee.get_absolute_url(),
        "attendance verification": reverse("training:verify", args=[training_token(trainee)]),
        "report editions": "/report-editions/",
        "new report edition": "/report-editions/new/",
        "report edition (figures and charts)": edition.get_absolute_url(),
        "open data": "/open-data/",
        "public catalogue": "/catalogue/",
        "public request form": f"/catalogue/{offering.pk}/",
    }


def violations(page) -> list[str]:
    # Evaluated through the browser's debugging protocol: a <script> tag added to the page would
    # be refused by the Content-Security-Policy (no inline script).
    page.evaluate(AXE)
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .map(v => ({id: v.id, impact: v.impact,
                         targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(v['targets'])}"
        for v in found
        if v["impact"] in SERIOUS
    ]


# The officer's every main page, in both languages, is checked in the walk of
# test_content_security_policy.py. A CTI's staff sees its own version of many of them (its
# contract, its alerts), checked here right to left, where layouts break first.
@pytest.mark.parametrize(("who", "language"), [("cti_a_staff", "ar")])
def test_no_serious_accessibility_violation_on_the_main_pages(
    browser_page, cast, main_pages, language, who, settings
):
    settings.DEMO_BANNER = True  # as `make demo` shows the pages
    person = getattr(cast, who)
    page = browser_page
    page.goto("/accounts/login/")
    found = {"sign-in page": violations(page)}
    sign_in(page, person.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    type(person).objects.filter(pk=person.pk).update(preferred_language=language)
    for name, url in main_pages.items():
        if page.goto(url).status != 200:
            continue  # not a page this person may open
        assert page.locator("html").get_attribute("lang") == language, name
        found[name] = violations(page)
    problems = {name: v for name, v in found.items() if v}
    print(f"axe-core, {who}, {language}: {sum(map(len, problems.values()))} serious or critical "
          f"violation(s) over {len(found)} pages")  # fmt: skip
    assert not problems, "\n".join(f"{name}: {v}" for name, v in problems.items())


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize(
    "viewport",
    [{"width": 375, "height": 800}, {"width": 640, "height": 450}],
    ids=["phone", "zoom200"],
)
def test_the_reporting_sheet_and_scorecard_fit_a_phone(
    browser_page, cast, main_pages, language, viewport
):
    """No value is cut off: the page itself never scrolls sideways, and every figure lies inside
    its table's scrolling region (reachable by scrolling it, with the keyboard too)."""
    page = browser_page
    sign_in(page, cast.officer.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    type(cast.officer).objects.filter(pk=cast.officer.pk).update(preferred_language=language)
    page.set_viewport_size(viewport)
    for name in ("reporting sheet", "scorecard"):
        page.goto(main_pages[name])
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name}: the page scrolls sideways by {overflow} px"
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('table td, table th')].filter(cell => {
                 const region = cell.closest('.table-responsive');
                 if (!region || region.scrollWidth <= region.clientWidth)
                   return cell.scrollWidth > cell.clientWidth + 1;
                 return !(region.tabIndex >= 0 && region.getAttribute('aria-label'));
               }).map(cell => cell.textContent.trim().slice(0, 30))"""
        )
        assert not clipped, f"{name}: cut off or unreachable: {clipped[:5]}"


def test_no_main_page_scrolls_sideways_on_a_phone_in_arabic(browser_page, cast, main_pages):
    """At 375 pixels, right to left, wide tables scroll in their own box: the page never does."""
    page = browser_page
    sign_in(page, cast.officer.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    type(cast.officer).objects.filter(pk=cast.officer.pk).update(preferred_language="ar")
    page.set_viewport_size({"width": 375, "height": 800})
    wide = {}
    for name, url in main_pages.items():
        if page.goto(url).status != 200:
            continue
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            wide[name] = overflow
    assert not wide, f"pages wider than the screen (px): {wide}"
