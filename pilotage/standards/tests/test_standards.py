"""Standards work with IMANOR: stages forward only, in order, dated; the public enquiry's window of
one to three months and the homologation order; the five-yearly review; the pipeline's counts,
times and late works; the computed KPIs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotage.core.errors import ServiceError
from pilotage.results.computations import computed_values
from pilotage.standards import services
from pilotage.standards.models import STAGE_DATE, Stage, StandardComputation, StandardWork
from pilotage.standards.tests.factories import StandardWorkFactory, at_stage

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_work_goes_through_every_stage_in_order_through_the_api(cast, api_as):
    api = api_as(cast.cti_a_staff)
    body = {"cti": cast.cti_a.pk, "reference": "NM 10.1.250", "title": "Tubes PE",
            "technical_committee": "CN 10", "cti_role": "secretariat",
            "proposed_on": str(TODAY - datetime.timedelta(days=200))}  # fmt: skip
    created = api("post", "/api/v1/standards", body)
    assert created.status_code == 201, created.content
    one = f"/api/v1/standards/{created.json()['id']}"
    day = TODAY - datetime.timedelta(days=150)
    for stage in ("programme", "drafting", "committee_draft"):
        day += datetime.timedelta(days=10)
        moved = api("post", f"{one}/advance", {"on": str(day)})
        assert moved.json()["stage"] == stage, moved.content
    short = api(
        "post",
        f"{one}/advance",
        {"on": str(day), "enquiry_closes_on": str(day + datetime.timedelta(days=10))},
    )
    assert short.status_code == 422 and "enquiry_closes_on" in short.json()["errors"]
    closes = day + datetime.timedelta(days=60)
    assert (
        api("post", f"{one}/advance", {"on": str(day), "enquiry_closes_on": str(closes)}).json()[
            "stage"
        ]
        == "public_enquiry"
    )
    no_order = api("post", f"{one}/advance", {"on": str(closes + datetime.timedelta(days=5))})
    assert no_order.status_code == 422 and "homologation_order" in no_order.json()["errors"]
    early = api("post", f"{one}/advance", {"on": str(closes - datetime.timedelta(days=5)),
                                           "homologation_order": "Arrêté 12-26"})  # fmt: skip
    assert early.status_code == 422 and "on" in early.json()["errors"]
    homologated = api("post", f"{one}/advance", {"on": str(closes + datetime.timedelta(days=5)),
                                                 "homologation_order": "Arrêté 12-26"})  # fmt: skip
    assert homologated.json()["stage"] == "homologation"
    published = api("post", f"{one}/advance", {})
    assert published.json()["stage"] == "published" and published.json()["published_on"] == str(
        TODAY
    )
    assert api("post", f"{one}/advance", {}).status_code == 409  # nothing after publication
    assert len(api("get", f"{one}/history").json()) == 7  # created + six steps


def test_a_stage_is_never_dated_before_the_previous_one_nor_in_the_future(cast):
    work = StandardWorkFactory(cti=cast.cti_a, proposed_on=datetime.date(2024, 5, 1))
    for on in (datetime.date(2024, 4, 30), TODAY + datetime.timedelta(days=1)):
        with pytest.raises(ServiceError) as refused:
            services.standard_advance(actor=cast.cti_a_staff, standardwork=work, on=on)
        assert "on" in refused.value.field_errors
    work.refresh_from_db()
    assert work.stage == Stage.PROPOSAL and work.programmed_on is None


def test_the_five_yearly_review_of_a_published_standard(cast):
    work = at_stage("published", cti=cast.cti_a, start=datetime.date(2018, 1, 10))
    assert (
        StandardWork.objects.filter(pk=work.pk).get().review_due_on.year
        == work.published_on.year + 5
    )
    with pytest.raises(ServiceError):
        services.standard_review(
            actor=cast.cti_a_staff,
            standardwork=StandardWorkFactory(cti=cast.cti_a),
            outcome="confirmed",
        )
    services.standard_review(actor=cast.cti_a_staff, standardwork=work, outcome="confirmed")
    work.refresh_from_db()
    assert (work.reviewed_on, work.review_outcome) == (TODAY, "confirmed")
    assert work.review_due_on == TODAY.replace(year=TODAY.year + 5)


def test_the_pipeline_counts_times_and_late_works_by_stage(cast, client_for):
    at_stage("drafting", cti=cast.cti_a, start=TODAY - datetime.timedelta(days=500))  # late
    at_stage("drafting", cti=cast.cti_a, start=TODAY - datetime.timedelta(days=70))
    at_stage("published", cti=cast.cti_a, start=datetime.date(2015, 1, 1))  # review overdue
    at_stage("public_enquiry", cti=cast.cti_b, start=TODAY - datetime.timedelta(days=200))
    page = client_for(cast.officer).get(reverse("standards:pipeline"))
    rows = {row["stage"]: row for row in page.context["stages"]}
    assert (rows[Stage.DRAFTING]["count"], rows[Stage.DRAFTING]["late"]) == (2, 1)
    assert (rows[Stage.PUBLISHED]["count"], rows[Stage.PUBLISHED]["late"]) == (1, 1)
    assert rows[Stage.PUBLIC_ENQUIRY]["late"] == 1  # its enquiry closed 16 days ago
    assert rows[Stage.PROPOSAL]["median_days"] == 31 and rows[Stage.PROPOSAL]["passed"] == 4
    mine = client_for(cast.cti_a_staff).get(reverse("standards:pipeline"))
    assert sum(row["count"] for row in mine.context["stages"]) == 3  # CTI B's is not theirs
    listed = client_for(cast.officer).get(reverse("standards:standardwork_list"),
                                          {"overdue": "true"})  # fmt: skip
    assert len(listed.context["page"].object_list) == 3


def test_the_pipeline_runs_a_constant_number_of_queries(cast, client_for):
    client = client_for(cast.officer)
    url = reverse("standards:pipeline")
    at_stage("drafting", cti=cast.cti_a)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for stage in Stage:
        at_stage(stage, cti=cast.cti_b)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_kpis_count_works_reaching_each_stage_in_the_period(cast):
    at_stage("published", cti=cast.cti_a, start=datetime.date(2024, 1, 10))
    at_stage("committee_draft", cti=cast.cti_a, start=datetime.date(2023, 11, 1))
    values = computed_values([cast.cti_a.pk], 2024)[cast.cti_a.pk]
    assert values[(StandardComputation.PROPOSED, "")] == 1
    assert values[(StandardComputation.COMMITTEE_DRAFT, "")] == 2
    assert values[(StandardComputation.PUBLISHED, "")] == 1


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.sampled_from(["advance", "review"]), st.integers(0, 400),
                          st.integers(0, 120)), max_size=10))  # fmt: skip
def test_no_sequence_of_steps_leaves_the_stages_out_of_order(cast, steps):
    work = StandardWorkFactory(cti=cast.cti_a, proposed_on=TODAY - datetime.timedelta(days=400))
    for step, days_ago, window in steps:
        on = TODAY - datetime.timedelta(days=days_ago)
        try:
            if step == "advance":
                services.standard_advance(
                    actor=cast.cti_a_staff, standardwork=work, on=on,
                    enquiry_closes_on=on + datetime.timedelta(days=window),
                    homologation_order="Arrêté 1",
                )  # fmt: skip
            else:
                services.standard_review(actor=cast.cti_a_staff, standardwork=work,
                                         outcome="confirmed", on=on)  # fmt: skip
        except ServiceError:
            pass
    work.refresh_from_db()
    reached = list(Stage).index(Stage(work.stage))
    dates = [getattr(work, STAGE_DATE[stage]) for stage in Stage]
    assert all(d is not None for d in dates[: reached + 1])
    assert all(d is None for d in dates[reached + 1 :])
    assert dates[: reached + 1] == sorted(dates[: reached + 1])
    if work.enquiry_closes_on:
        assert 28 <= (work.enquiry_closes_on - work.enquiry_opens_on).days <= 92
    if work.reviewed_on:
        assert work.stage == Stage.PUBLISHED and work.reviewed_on >= work.published_on
