"""Validation requests: the steps in their order, by the right role, dated consistently; the
request is its delivery; fast-track requests come first and are measured against their deadline."""

import contextlib
import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotage.certification import services
from pilotage.certification.models import Decision, RequestStage, ValidationRequest, Verdict
from pilotage.certification.tests.factories import (
    CampaignFactory,
    LaboratoryFactory,
    TestResultFactory,
    ValidationRequestFactory,
    request_at,
)
from pilotage.core.errors import ServiceError
from pilotage.prestations.models import ServiceDelivery
from pilotage.prestations.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db
REQUESTS = "/api/v1/validation-requests"


def _pdf(name="rapport.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 signed report", content_type="application/pdf")


def _new_request(api, cast, **changes):
    laboratory = LaboratoryFactory(cti=cast.cti_a)
    body = {
        "cti": cast.cti_a.pk, "reference": "VAL-2024-001", "company_ice": CompanyFactory().ice,
        "purpose": "product_validation", "product": "Masque FFP2 M-20",
        "product_category": "Masques de protection", "referential": "NM EN 149",
        "received_on": str(timezone.localdate()), "laboratory": laboratory.pk,
        "amount_invoiced": "4800", **changes,
    }  # fmt: skip
    return api("post", REQUESTS, body)


def test_a_request_is_its_delivery_and_goes_through_every_step(cast, api_as):
    staff, manager = api_as(cast.cti_a_staff), api_as(cast.cti_a_manager)
    created = _new_request(staff, cast)
    assert created.status_code == 201, created.content
    row = created.json()
    delivery = ServiceDelivery.objects.get(pk=row["delivery_id"])
    assert (delivery.reference, delivery.category, delivery.cti) == (
        "VAL-2024-001", "product_validation", cast.cti_a,
    )  # fmt: skip
    one = f"{REQUESTS}/{row['id']}"

    assert staff("post", f"{one}/sample", {}).json()["stage"] == "sample_received"
    assert staff("post", f"{one}/testing", {}).json()["stage"] == "testing"
    test = {
        "method": "NM EN 149 §8.3", "characteristic": "Filtration", "measured_value": "96,5",
        "unit": "%", "limit": "≥ 94", "verdict": "pass", "tested_on": str(timezone.localdate()),
    }  # fmt: skip
    added = staff("post", f"{one}/tests", test)
    assert added.status_code == 201 and Decimal(added.json()["measured_value"]) == Decimal("96.5")
    stored = staff("post", f"{one}/report-file", files={"file": _pdf(), "title": "Rapport signé"})
    assert stored.status_code == 201 and len(stored.json()["sha256"]) == 64
    assert staff("post", f"{one}/report", {}).json()["stage"] == "report_issued"

    refused = staff("post", f"{one}/decision", {"decision": "conforming"})
    assert refused.status_code == 403  # a staff member does not decide
    decided = manager("post", f"{one}/decision", {"decision": "conforming", "note": "OK"})
    assert decided.status_code == 200, decided.content
    answer = decided.json()
    assert answer["stage"] == "decided" and answer["decision"] == "conforming"
    dates = [answer[f] for f in ("sample_received_at", "testing_started_at",
                                 "report_issued_at", "decided_at")]  # fmt: skip
    assert dates == sorted(dates)
    delivery.refresh_from_db()
    assert delivery.ended_on == timezone.localdate()
    history = staff("get", f"{one}/history").json()
    assert len(history) == 5 and history[0]["user"]  # created + four steps, each with its author


def test_a_step_out_of_order_is_refused_with_a_message_naming_the_stage(cast, client_for):
    request = ValidationRequestFactory(delivery__cti=cast.cti_a)
    cast.cti_a_staff.preferred_language = "en"
    cast.cti_a_staff.save()
    client = client_for(cast.cti_a_staff)
    url = reverse("certification:testing_start", args=[request.pk])
    page = client.post(url, {"laboratory": LaboratoryFactory(cti=cast.cti_a).pk}, follow=True)
    said = [str(message) for message in page.context["messages"]]
    assert said == ["The request is at “Request received”: “Testing” cannot be recorded now."]
    request.refresh_from_db()
    assert request.stage == RequestStage.RECEIVED and request.testing_started_at is None


def test_a_product_with_a_failed_test_cannot_be_declared_conforming(cast):
    request = request_at("report_issued", delivery__cti=cast.cti_a)
    TestResultFactory(request=request, verdict=Verdict.FAIL)
    with pytest.raises(ServiceError) as refused:
        services.request_decide(actor=cast.cti_a_manager, request=request, decision="conforming")
    assert "decision" in refused.value.field_errors
    request.refresh_from_db()
    assert request.stage == RequestStage.REPORT_ISSUED and request.decision == ""
    services.request_decide(actor=cast.cti_a_manager, request=request, decision="not_conforming")
    request.refresh_from_db()
    assert request.decision == Decision.NOT_CONFORMING


def test_no_test_is_dated_before_the_sample_arrived(cast):
    request = request_at("testing", delivery__cti=cast.cti_a)  # sample on 2 March 2024
    with pytest.raises(ServiceError) as refused:
        services.test_record(
            actor=cast.cti_a_staff, request=request, method="M", characteristic="C",
            measured_value=1, limit="≤ 2", verdict="pass", tested_on=datetime.date(2024, 3, 1),
        )  # fmt: skip
    assert "tested_on" in refused.value.field_errors
    assert not request.tests.exists()


def test_a_step_is_never_dated_before_the_previous_one(cast):
    laboratory = LaboratoryFactory(cti=cast.cti_a)
    request = request_at("sample_received", delivery__cti=cast.cti_a, laboratory=laboratory)
    too_early = request.sample_received_at - datetime.timedelta(hours=1)
    with pytest.raises(ServiceError) as refused:
        services.testing_start(actor=cast.cti_a_staff, request=request, at=too_early)
    assert "testing_started_at" in refused.value.field_errors


def test_the_report_needs_its_tests_and_its_signed_file(cast):
    request = request_at("testing", delivery__cti=cast.cti_a)
    with pytest.raises(ServiceError, match="at least one test"):
        services.report_issue(actor=cast.cti_a_staff, request=request)
    TestResultFactory(request=request)
    with pytest.raises(ServiceError) as refused:
        services.report_issue(actor=cast.cti_a_staff, request=request)
    assert "file" in refused.value.field_errors
    services.report_issue(actor=cast.cti_a_staff, request=request, upload=_pdf())
    request.refresh_from_db()
    assert request.stage == RequestStage.REPORT_ISSUED and request.reports.count() == 1


def test_a_decided_request_keeps_what_was_tested_but_its_invoice_may_change(cast, api_as):
    request = request_at("decided", delivery__cti=cast.cti_a)
    api = api_as(cast.cti_a_manager)
    refused = api("patch", f"{REQUESTS}/{request.pk}", {"product": "Autre produit"})
    assert refused.status_code == 409 and "product" in refused.json()["errors"]
    changed = api("patch", f"{REQUESTS}/{request.pk}", {"amount_invoiced": "9000"})
    assert changed.status_code == 200, changed.content
    request.delivery.refresh_from_db()
    assert request.delivery.amount_invoiced == 9000
    assert request.delivery.reference == changed.json()["reference"]  # kept, not blanked


def test_fast_track_requests_still_open_come_first_in_the_inbox(cast, client_for):
    campaign = CampaignFactory()
    ordinary = ValidationRequestFactory(
        delivery__cti=cast.cti_a, received_on=datetime.date(2024, 5, 1)
    )
    urgent = ValidationRequestFactory(delivery__cti=cast.cti_a, campaign=campaign)
    done = request_at("decided", delivery__cti=cast.cti_a, campaign=campaign)
    page = client_for(cast.cti_a_staff).get(reverse("certification:validationrequest_list"))
    html = page.content.decode()
    positions = [html.index(r.get_absolute_url() + '"') for r in (urgent, ordinary, done)]
    assert positions == sorted(positions)


def test_a_campaign_takes_only_its_categories_while_it_is_open(cast, api_as):
    campaign = CampaignFactory(closes_on=datetime.date(2020, 12, 31))
    api = api_as(cast.cti_a_staff)
    late = _new_request(api, cast, campaign=campaign.pk)
    assert late.status_code == 422 and "campaign" in late.json()["errors"]
    campaign.closes_on = None
    campaign.save()
    other = _new_request(api, cast, campaign=campaign.pk, product_category="Lits d'hôpital")
    assert other.status_code == 422 and "product_category" in other.json()["errors"]
    assert not ServiceDelivery.objects.exists()  # nothing half-saved
    assert _new_request(api, cast, campaign=campaign.pk).json()["is_fast_track"]


def test_the_campaign_page_counts_and_times_decisions_against_the_deadline(cast, client_for):
    campaign = CampaignFactory(decision_hours=72)
    quick = request_at("decided", delivery__cti=cast.cti_a, campaign=campaign)  # 3 h
    slow = request_at("report_issued", delivery__cti=cast.cti_a, campaign=campaign)
    ValidationRequest.objects.filter(pk=slow.pk).update(
        stage="decided", decision="not_conforming",
        decided_at=slow.sample_received_at + datetime.timedelta(hours=100),
    )  # fmt: skip
    request_at("testing", delivery__cti=cast.cti_a, campaign=campaign)  # open, sample of 2024
    page = client_for(cast.officer).get(campaign.get_absolute_url())
    figures = page.context["figures"]
    assert (figures["total"], figures["decided"], figures["within_deadline"]) == (3, 2, 1)
    assert (figures["conforming"], figures["not_conforming"], figures["late_open"]) == (1, 1, 1)
    assert figures["median_hours"] == round((3 + 100) / 2, 1)
    assert quick.is_late is False and ValidationRequest.objects.get(pk=slow.pk).is_late


def test_the_inbox_runs_a_constant_number_of_queries(cast, client_for):
    client = client_for(cast.officer)
    url = reverse("certification:validationrequest_list")
    request_at("testing", delivery__cti=cast.cti_a, campaign=CampaignFactory())
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(6):
        TestResultFactory(request=request_at("testing", delivery__cti=cast.cti_b,
                                             campaign=CampaignFactory()))  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# --- any sequence of steps, by anyone, keeps the request consistent --------------------------

STEPS = ["sample", "testing", "test_pass", "test_fail", "report", "conforming", "not_conforming"]
PEOPLE = ["cti_a_staff", "cti_a_manager", "officer", "cti_b_manager"]


def _take(cast, step: str, person: str, request: ValidationRequest) -> None:
    actor = getattr(cast, person)
    if step == "sample":
        services.sample_receive(actor=actor, request=request)
    elif step == "testing":
        services.testing_start(actor=actor, request=request)
    elif step.startswith("test_"):
        services.test_record(
            actor=actor, request=request, method="M", characteristic="C", measured_value=1,
            limit="≤ 2", verdict=step.removeprefix("test_"), tested_on=timezone.localdate(),
        )  # fmt: skip
    elif step == "report":
        services.report_issue(actor=actor, request=request, upload=_pdf())
    else:
        services.request_decide(actor=actor, request=request, decision=step)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.sampled_from(STEPS), st.sampled_from(PEOPLE)), max_size=9))
def test_no_sequence_of_steps_reaches_an_inconsistent_request(cast, sequence):
    request = ValidationRequestFactory(
        delivery__cti=cast.cti_a, laboratory=LaboratoryFactory(cti=cast.cti_a),
        received_on=timezone.localdate(),
    )  # fmt: skip
    for step, person in sequence:
        with contextlib.suppress(ServiceError):
            _take(cast, step, person, request)
    request.refresh_from_db()
    order = list(RequestStage)
    reached = order.index(RequestStage(request.stage))
    dates = [d for _stage, d in request.step_dates()[1 : reached + 1]]
    assert all(d is not None for d in dates) and dates == sorted(dates)
    assert all(d is None for _stage, d in request.step_dates()[reached + 1 :])
    tests = list(request.tests.all())
    if reached >= order.index(RequestStage.REPORT_ISSUED):
        assert tests and request.reports.exists()
    if request.decision == Decision.CONFORMING:
        assert all(t.verdict == Verdict.PASS for t in tests)
    assert (request.stage == RequestStage.DECIDED) == bool(request.decision)
    if request.stage == RequestStage.DECIDED:
        assert request.history.first().history_user == cast.cti_a_manager
    # Nobody outside CTI A's people moved it, and only CTI A's people added tests.
    authors = {h.history_user_id for h in request.history.all()[: len(sequence)]}
    assert authors <= {None, cast.cti_a_staff.pk, cast.cti_a_manager.pk}
