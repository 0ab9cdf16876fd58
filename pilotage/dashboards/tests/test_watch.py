"""The watch list's rules: each fires from its threshold on, not the day before, says since when,
and shows a user only what they may read."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pilotage.certification.tests.factories import LaboratoryFactory
from pilotage.dashboards import views, watch
from pilotage.dashboards.watch import Rule, watch_list
from pilotage.fund import services as fund_services
from pilotage.fund.tests.factories import allocate, commit, ledger_axis, ledger_clerk, ref
from pilotage.governance.tests.factories import RecommendationFactory
from pilotage.programmes.models import Amendment
from pilotage.projects.tests.factories import MilestoneFactory, ProjectFactory
from pilotage.results import services as results_services
from pilotage.results.models import Measurement, Target
from pilotage.results.tests.factories import contract_indicator, period_for


def alerts_of(user, today, rule):
    return [alert for alert in watch_list(user, today) if alert.rule == rule]


def paid_on(commitment, amount, day):
    fund_services.disbursement_record(
        actor=ledger_clerk(), commitment=commitment, amount=Decimal(amount), paid_on=day,
        payment_reference=ref("OP"),
    )  # fmt: skip


# --- FACET against time: a 2022-2025 plan has 1,461 days; half paid lags by 25 points from the
# 1,096th day (31/12/2024: 1,096 / 1,461 = 75.02 %), not on the 1,095th (74.95 %).


def allocated_million(cti):
    return allocate(cti, amount="1000000", axis=ledger_axis(envelope="10000000"))


def half_paid(cti):
    line = allocated_million(cti)
    commitment = commit(line, amount="1000000")
    paid_on(commitment, "500000", datetime.date(2024, 3, 1))
    return commitment


def test_facet_lag_fires_the_day_time_elapsed_passes_the_paid_share_by_the_threshold(cast):
    half_paid(cast.cti_a)
    assert alerts_of(cast.officer, datetime.date(2024, 12, 30), Rule.FACET_LAG) == []
    [alert] = alerts_of(cast.officer, datetime.date(2024, 12, 31), Rule.FACET_LAG)
    assert (alert.subject, alert.since) == ("CTPC", datetime.date(2024, 12, 31))
    assert "50" in alert.reason and "75" in alert.reason
    assert alert.url.startswith(reverse("fund:journal")) and f"cti={cast.cti_a.pk}" in alert.url
    # Still the same stretch months later: since when it holds does not move.
    [later] = alerts_of(cast.officer, datetime.date(2025, 3, 1), Rule.FACET_LAG)
    assert later.since == datetime.date(2024, 12, 31)


def test_a_payment_that_closes_the_gap_ends_the_facet_lag(cast):
    commitment = half_paid(cast.cti_a)
    paid_on(commitment, "100000", datetime.date(2025, 1, 10))  # 60 % paid, 75.8 % elapsed
    assert alerts_of(cast.officer, datetime.date(2025, 1, 10), Rule.FACET_LAG) == []
    # ...until time catches up again: 85 % elapsed on the 1,242nd day (26/05/2025).
    assert alerts_of(cast.officer, datetime.date(2025, 5, 25), Rule.FACET_LAG) == []
    [alert] = alerts_of(cast.officer, datetime.date(2025, 5, 26), Rule.FACET_LAG)
    assert alert.since == datetime.date(2025, 5, 26)


def test_a_cti_sees_its_own_facet_alert_not_another_ctis(cast):
    half_paid(cast.cti_a)
    half_paid(cast.cti_b)
    day = datetime.date(2025, 1, 1)
    assert {a.subject for a in alerts_of(cast.officer, day, Rule.FACET_LAG)} == {"CTPC", "CETIEV"}
    assert {a.subject for a in alerts_of(cast.cti_a_staff, day, Rule.FACET_LAG)} == {"CTPC"}
    assert {a.subject for a in alerts_of(cast.federation_viewer, day, Rule.FACET_LAG)} == {"CETIEV"}
    assert alerts_of(cast.cid_manager, day, Rule.FACET_LAG) == []


# --- FACET against results -------------------------------------------------------------------


def validated(indicator, cti, year, value, on, part=0):
    closes = datetime.date(year + 1, 3, 31) if part == 0 else datetime.date(year, 3 * part, 28)
    period = period_for(indicator, year=year, part=part, opens_on=closes - datetime.timedelta(90),
                        closes_on=closes)  # fmt: skip
    return Measurement.objects.create(
        indicator=indicator, period=period, organisation=cti, status="validated",
        value=Decimal(value), validated_at=timezone.make_aware(datetime.datetime(*on, 10)),
    )  # fmt: skip


def indicator_of_the_ledger_plan(cti, code="ENT", aggregation="sum"):
    indicator = contract_indicator(cti, code=code, aggregation=aggregation)
    programme = ledger_axis().programme
    own_plan = indicator.objective.agreement.programme
    indicator.objective.programme = programme
    indicator.objective.save()
    indicator.objective.agreement.programme = programme
    indicator.objective.agreement.save()
    own_plan.delete()  # the factory's plan, now empty: one plan is followed, as in production
    return indicator


def paid_share(cti, share: str):
    line = allocated_million(cti)
    paid_on(commit(line, amount="1000000"), str(Decimal(1000000) * Decimal(share)),
            datetime.date(2024, 3, 1))  # fmt: skip


def test_facet_ahead_fires_when_paid_share_exceeds_achievement_by_the_threshold(cast):
    paid_share(cast.cti_a, "0.5")
    indicator = indicator_of_the_ledger_plan(cast.cti_a)
    Target.objects.create(indicator=indicator, year=2023, value=Decimal(100))
    validated(indicator, cast.cti_a, 2023, "25", (2024, 4, 2))  # 50 - 25 = 25 points: fires
    [alert] = alerts_of(cast.officer, datetime.date(2024, 5, 1), Rule.FACET_AHEAD)
    assert alert.since == datetime.date(2024, 4, 2)  # the results it compares to became known
    assert "25" in alert.reason


def test_facet_ahead_does_not_fire_below_the_threshold(cast):
    paid_share(cast.cti_a, "0.5")
    indicator = indicator_of_the_ledger_plan(cast.cti_a)
    Target.objects.create(indicator=indicator, year=2023, value=Decimal(100))
    validated(indicator, cast.cti_a, 2023, "26", (2024, 4, 2))  # 24 points
    assert alerts_of(cast.officer, datetime.date(2024, 5, 1), Rule.FACET_AHEAD) == []


# --- indicators off track --------------------------------------------------------------------


def test_an_indicator_below_the_at_risk_band_fires_from_its_validation(cast):
    indicator = indicator_of_the_ledger_plan(cast.cti_a)
    Target.objects.create(indicator=indicator, year=2023, value=Decimal(100))
    validated(indicator, cast.cti_a, 2023, "69", (2024, 3, 20))
    [alert] = alerts_of(cast.officer, datetime.date(2024, 5, 1), Rule.KPI_OFF_TRACK)
    assert (alert.subject, alert.since) == ("CTPC", datetime.date(2024, 3, 20))
    assert "ENT" in alert.reason and "2023" in alert.reason
    assert (
        alert.url
        == reverse("results:contract_scorecard", args=[indicator.objective.agreement_id])
        + "?year=2023"
    )
    assert alerts_of(cast.cti_b_staff, datetime.date(2024, 5, 1), Rule.KPI_OFF_TRACK) == []


def test_an_indicator_at_the_at_risk_band_does_not_fire(cast):
    indicator = indicator_of_the_ledger_plan(cast.cti_a)
    Target.objects.create(indicator=indicator, year=2023, value=Decimal(100))
    validated(indicator, cast.cti_a, 2023, "70", (2024, 3, 20))
    assert alerts_of(cast.officer, datetime.date(2024, 5, 1), Rule.KPI_OFF_TRACK) == []


def test_at_mid_year_a_summed_indicator_is_measured_against_the_target_pro_rated(cast):
    indicator = indicator_of_the_ledger_plan(cast.cti_a)
    Target.objects.create(indicator=indicator, year=2024, value=Decimal(100))
    validated(indicator, cast.cti_a, 2024, "20", (2024, 4, 10), part=1)
    validated(indicator, cast.cti_a, 2024, "14", (2024, 6, 20), part=2)
    # Two quarters: 34 against half the target (50) is 68 %, below 70 %; not assessed before
    # mid-year, assessed from the 1st of July.
    assert alerts_of(cast.officer, datetime.date(2024, 6, 30), Rule.KPI_OFF_TRACK) == []
    [alert] = alerts_of(cast.officer, datetime.date(2024, 7, 1), Rule.KPI_OFF_TRACK)
    assert alert.since == datetime.date(2024, 7, 1) and "2024" in alert.reason


def test_at_mid_year_a_summed_indicator_on_pace_does_not_fire(cast):
    indicator = indicator_of_the_ledger_plan(cast.cti_a)
    Target.objects.create(indicator=indicator, year=2024, value=Decimal(100))
    validated(indicator, cast.cti_a, 2024, "20", (2024, 4, 10), part=1)
    validated(indicator, cast.cti_a, 2024, "15", (2024, 6, 20), part=2)  # 35 / 50 = 70 %
    assert alerts_of(cast.officer, datetime.date(2024, 7, 1), Rule.KPI_OFF_TRACK) == []


def test_only_the_latest_year_assessed_counts(cast):
    indicator = indicator_of_the_ledger_plan(cast.cti_a)
    for year in (2022, 2023):
        Target.objects.create(indicator=indicator, year=year, value=Decimal(100))
    validated(indicator, cast.cti_a, 2022, "10", (2023, 3, 20))  # off track, then made up for
    validated(indicator, cast.cti_a, 2023, "90", (2024, 3, 20))
    assert alerts_of(cast.officer, datetime.date(2024, 5, 1), Rule.KPI_OFF_TRACK) == []
    # The year in progress is not assessed before mid-year, even when its quarters are in.
    Target.objects.create(indicator=indicator, year=2024, value=Decimal(100))
    validated(indicator, cast.cti_a, 2024, "1", (2024, 4, 10), part=1)
    assert alerts_of(cast.officer, datetime.date(2024, 5, 1), Rule.KPI_OFF_TRACK) == []
    [alert] = alerts_of(cast.officer, datetime.date(2024, 7, 1), Rule.KPI_OFF_TRACK)
    assert "2024" in alert.reason


def test_assessments_kept_for_the_ministry_show_each_cti_only_its_own(cast, monkeypatch):
    day = datetime.date(2024, 5, 1)
    for cti in (cast.cti_a, cast.cti_b):
        indicator = indicator_of_the_ledger_plan(cti)
        Target.objects.create(indicator=indicator, year=2023, value=Decimal(100))
        validated(indicator, cti, 2023, "50", (2024, 3, 20))
    assert {a.subject for a in alerts_of(cast.officer, day, Rule.KPI_OFF_TRACK)} == {
        "CTPC", "CETIEV",
    }  # fmt: skip
    # Every CTI's assessments are kept now: the next readers get them from the cache...
    monkeypatch.setattr(watch, "_assessments", lambda *args: pytest.fail("computed again"))
    # ...and only what they may read.
    assert {a.subject for a in alerts_of(cast.cti_a_staff, day, Rule.KPI_OFF_TRACK)} == {"CTPC"}
    assert {a.subject for a in alerts_of(cast.cti_b_staff, day, Rule.KPI_OFF_TRACK)} == {"CETIEV"}
    assert alerts_of(cast.cid_manager, day, Rule.KPI_OFF_TRACK) == []


def test_a_value_validated_or_a_target_amended_after_the_list_was_read_counts_at_once(cast):
    indicator = indicator_of_the_ledger_plan(cast.cti_a)
    Target.objects.create(indicator=indicator, year=2023, value=Decimal(100))
    period = period_for(indicator, year=2023, opens_on=datetime.date(2024, 1, 1),
                        closes_on=datetime.date(2024, 3, 31))  # fmt: skip
    value = Measurement.objects.create(
        indicator=indicator, period=period, organisation=cast.cti_a, status="submitted",
        value=Decimal(50), submitted_by=cast.cti_a_manager,
    )  # fmt: skip
    day = datetime.date(2024, 5, 1)
    assert alerts_of(cast.officer, day, Rule.KPI_OFF_TRACK) == []  # nothing validated: kept so
    results_services.measurement_validate(actor=cast.officer, measurement=value)
    [alert] = alerts_of(cast.officer, day, Rule.KPI_OFF_TRACK)
    assert "ENT" in alert.reason
    amendment = Amendment.objects.create(
        agreement=indicator.objective.agreement,
        number=1,
        kind="targets",
        signed_on=datetime.date(2024, 4, 1),
        reason="Revue à mi-parcours",
    )
    results_services.target_set(actor=cast.officer, indicator=indicator, year=2023,
                                value=Decimal(60), amendment=amendment)  # fmt: skip
    assert alerts_of(cast.officer, day, Rule.KPI_OFF_TRACK) == []  # 50 of 60: 83 %


# --- reporting -------------------------------------------------------------------------------


def test_values_missing_after_the_window_closed_fire_the_day_after(cast):
    indicator = indicator_of_the_ledger_plan(cast.cti_a)
    period = period_for(indicator, year=2024, closes_on=datetime.date(2025, 3, 31))
    assert alerts_of(cast.officer, datetime.date(2025, 3, 31), Rule.REPORTING_OVERDUE) == []
    [alert] = alerts_of(cast.officer, datetime.date(2025, 4, 1), Rule.REPORTING_OVERDUE)
    assert (alert.subject, alert.since) == ("CTPC", datetime.date(2025, 4, 1))
    assert f"period={period.pk}" in alert.url and f"organisation={cast.cti_a.pk}" in alert.url
    assert alerts_of(cast.cti_b_manager, datetime.date(2025, 4, 1), Rule.REPORTING_OVERDUE) == []
    value = Measurement.objects.create(
        indicator=indicator, period=period, organisation=cast.cti_a, status="draft",
        value=Decimal(3),
    )  # fmt: skip
    [draft] = alerts_of(cast.officer, datetime.date(2025, 4, 1), Rule.REPORTING_OVERDUE)
    assert draft.reason.startswith("1 ")  # a draft is not reported yet
    Measurement.objects.filter(pk=value.pk).update(status="submitted")
    assert alerts_of(cast.officer, datetime.date(2025, 4, 1), Rule.REPORTING_OVERDUE) == []


# --- milestones, recommendations, accreditations ---------------------------------------------


def test_a_milestone_slips_the_day_after_it_was_due(cast):
    project = ProjectFactory(lead=cast.cti_a, code="PRJ-EXT")
    MilestoneFactory(project=project, due_on=datetime.date(2024, 6, 30))
    assert alerts_of(cast.officer, datetime.date(2024, 6, 30), Rule.MILESTONE_SLIPPING) == []
    [alert] = alerts_of(cast.cti_a_manager, datetime.date(2024, 7, 1), Rule.MILESTONE_SLIPPING)
    assert (alert.subject, alert.since) == ("PRJ-EXT", datetime.date(2024, 7, 1))
    assert f"project={project.pk}" in alert.url and "overdue=true" in alert.url
    assert alerts_of(cast.cti_b_manager, datetime.date(2024, 7, 1), Rule.MILESTONE_SLIPPING) == []


def test_a_met_milestone_does_not_slip(cast):
    project = ProjectFactory(lead=cast.cti_a)
    MilestoneFactory(project=project, due_on=datetime.date(2024, 6, 30), status="met",
                     reached_on=datetime.date(2024, 6, 28))  # fmt: skip
    assert alerts_of(cast.officer, datetime.date(2024, 9, 1), Rule.MILESTONE_SLIPPING) == []


def test_a_recommendation_past_due_fires_for_the_ministry_and_its_owner_only(cast):
    recommendation = RecommendationFactory(owner=cast.cti_a, due_on=datetime.date(2025, 6, 30))
    assert alerts_of(cast.officer, datetime.date(2025, 6, 30), Rule.RECOMMENDATION_OVERDUE) == []
    [alert] = alerts_of(cast.committee, datetime.date(2025, 7, 1), Rule.RECOMMENDATION_OVERDUE)
    assert alert.since == datetime.date(2025, 7, 1)
    assert alert.url == recommendation.get_absolute_url()
    day = datetime.date(2025, 7, 1)
    assert len(alerts_of(cast.cti_a_manager, day, Rule.RECOMMENDATION_OVERDUE)) == 1
    assert alerts_of(cast.cti_b_manager, day, Rule.RECOMMENDATION_OVERDUE) == []
    recommendation.status = "implemented"
    recommendation.save()
    assert alerts_of(cast.officer, day, Rule.RECOMMENDATION_OVERDUE) == []


def accredited_until(day):
    return {"accreditation_number": "MCI-17025-01", "accredited_until": day}


def test_an_accreditation_is_flagged_from_the_warning_window(cast, settings):
    settings.ACCREDITATION_WARNING_DAYS = 90
    LaboratoryFactory(cti=cast.cti_a, **accredited_until(datetime.date(2025, 3, 31)))
    assert alerts_of(cast.officer, datetime.date(2024, 12, 30), Rule.ACCREDITATION_EXPIRING) == []
    [alert] = alerts_of(cast.officer, datetime.date(2024, 12, 31), Rule.ACCREDITATION_EXPIRING)
    assert alert.since == datetime.date(2024, 12, 31) and "31/03/2025" in alert.reason
    [expired] = alerts_of(cast.officer, datetime.date(2025, 4, 1), Rule.ACCREDITATION_EXPIRING)
    assert expired.since == datetime.date(2024, 12, 31)
    day = datetime.date(2025, 4, 1)
    assert alerts_of(cast.cti_b_staff, day, Rule.ACCREDITATION_EXPIRING) == []


def test_a_laboratory_out_of_service_is_not_flagged(cast):
    LaboratoryFactory(
        cti=cast.cti_a, **accredited_until(datetime.date(2025, 3, 31)), is_active=False
    )
    assert alerts_of(cast.officer, datetime.date(2025, 4, 1), Rule.ACCREDITATION_EXPIRING) == []


# --- pages -----------------------------------------------------------------------------------


def test_the_watch_page_and_its_json_list_the_same_alerts(cast, client_for, api_as):
    half_paid(cast.cti_a)
    page = client_for(cast.officer).get(reverse("dashboards:watch"))
    assert page.status_code == 200
    assert [a.subject for a in page.context["alerts"]] == ["CTPC"]
    assert 'data-rule="facet_lag"' in page.content.decode()
    officer = api_as(cast.officer)("get", "/api/v1/dashboards/watch")
    assert officer.status_code == 200
    assert [(a["rule"], a["subject"]) for a in officer.json()["items"]] == [("facet_lag", "CTPC")]
    outsider = api_as(cast.cti_b_staff)("get", "/api/v1/dashboards/watch")
    assert outsider.status_code == 200 and outsider.json() == {"items": [], "count": 0}


def test_the_watch_list_comes_a_page_at_a_time(cast, client_for, api_as, monkeypatch):
    monkeypatch.setattr(views, "WATCH_PAGE", 2)
    for n in range(3):  # slipping since 1 July (PRJ-0), 2 June (PRJ-1), 3 June (PRJ-2)
        MilestoneFactory(project=ProjectFactory(lead=cast.cti_a, code=f"PRJ-{n}"),
                         due_on=datetime.date(2024, 6, 30 if n == 0 else n))  # fmt: skip
    url = reverse("dashboards:watch")
    first = client_for(cast.officer).get(url, {"rule": "milestone_slipping"})
    assert [a.subject for a in first.context["alerts"]] == ["PRJ-1", "PRJ-2"]
    assert (
        "page=2" in first.content.decode() and "rule=milestone_slipping" in first.content.decode()
    )
    second = client_for(cast.officer).get(url, {"rule": "milestone_slipping", "page": "2"})
    assert [a.subject for a in second.context["alerts"]] == ["PRJ-0"]
    api = api_as(cast.officer)
    page = api("get", "/api/v1/dashboards/watch?rule=milestone_slipping&limit=2&offset=2")
    assert page.status_code == 200
    assert page.json()["count"] == 3 and [a["subject"] for a in page.json()["items"]] == ["PRJ-0"]
    assert api("get", "/api/v1/dashboards/watch?limit=100000").status_code == 422


def test_an_unknown_rule_is_ignored_with_a_notice(cast, client_for):
    half_paid(cast.cti_a)
    page = client_for(cast.officer).get(reverse("dashboards:watch"), {"rule": "<script>"})
    assert page.status_code == 200 and len(page.context["alerts"]) == 1
    assert "&lt;script&gt;" in page.content.decode()
    only = client_for(cast.officer).get(reverse("dashboards:watch"), {"rule": "milestone_slipping"})
    assert only.context["alerts"] == []


def test_the_watch_list_needs_a_sign_in(client):
    assert client.get(reverse("dashboards:watch")).status_code == 302
    assert client.get("/api/v1/dashboards/watch").status_code == 401


def test_a_value_validated_without_a_recorded_time_counts_from_its_windows_close(cast):
    indicator = indicator_of_the_ledger_plan(cast.cti_a)
    Target.objects.create(indicator=indicator, year=2023, value=Decimal(100))
    period = period_for(indicator, year=2023, opens_on=datetime.date(2024, 1, 1),
                        closes_on=datetime.date(2024, 3, 31))  # fmt: skip
    Measurement.objects.create(
        indicator=indicator, period=period, organisation=cast.cti_a, status="validated",
        value=Decimal(10),
    )  # fmt: skip
    [alert] = alerts_of(cast.officer, datetime.date(2024, 5, 1), Rule.KPI_OFF_TRACK)
    assert alert.since == datetime.date(2024, 3, 31)
