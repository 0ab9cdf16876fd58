"""One click for many values: the manager submits every ready value of a period, the officer
validates or returns several, with one reason or one each; each value is still recorded on
its own in the history, and a batch saves all of its values or none."""

from decimal import Decimal

from django.contrib.messages import get_messages
from django.urls import reverse

from pilotage.results.models import Measurement, MeasurementEvent
from pilotage.results.tests.factories import contract_indicator, period_for
from pilotage.results.tests.test_reporting_pages import setup_contract, sheet_url


def draft_values(cast, client_for):
    agreement, kpi, rate, period = setup_contract(cast)
    third = contract_indicator(cast.cti_a, code="CER", name="Certificats")
    third.objective.agreement, third.objective.programme = agreement, kpi.objective.programme
    third.objective.save()
    client_for(cast.cti_a_staff).post(
        sheet_url(agreement, period),
        {f"value-{kpi.pk}": "12", f"numerator-{rate.pk}": "3", f"denominator-{rate.pk}": "10"},
    )
    return agreement, period, kpi, rate, third


def submit_ready(client, agreement, period):
    return client.post(
        reverse("results:contract_submit_ready", args=[agreement.pk]), {"period": period.pk}
    )


def told(response) -> str:
    return " | ".join(str(m) for m in get_messages(response.wsgi_request))


def test_the_manager_submits_every_ready_value_at_once_and_hears_what_was_not_ready(
    cast, client_for
):
    agreement, period, *_values = draft_values(cast, client_for)
    response = submit_ready(client_for(cast.cti_a_manager), agreement, period)

    assert response.status_code == 302
    statuses = {m.indicator.code: m.status for m in Measurement.objects.all()}
    assert statuses == {"ENT": "submitted", "ENC": "submitted"}
    message = told(response)
    assert "2 valeurs soumises" in message and "CER" in message
    events = MeasurementEvent.objects.filter(kind="submitted")
    assert events.count() == 2 and {e.actor for e in events} == {cast.cti_a_manager}
    assert all(m.history.filter(status="submitted").count() == 1 for m in Measurement.objects.all())


def test_staff_and_another_cti_cannot_submit_a_period_at_once(cast, client_for):
    agreement, period, *_ = draft_values(cast, client_for)
    assert submit_ready(client_for(cast.cti_a_staff), agreement, period).status_code == 403
    assert submit_ready(client_for(cast.cti_b_manager), agreement, period).status_code == 404
    assert not Measurement.objects.filter(status="submitted").exists()


def submitted(cast, client_for):
    agreement, period, *_values = draft_values(cast, client_for)
    submit_ready(client_for(cast.cti_a_manager), agreement, period)
    return agreement, period, list(Measurement.objects.order_by("indicator__code"))


def review(client, agreement, period, ids, **fields):
    return client.post(
        reverse("results:contract_review", args=[agreement.pk]),
        {"period": period.pk, "measurement": [m.pk for m in ids], **fields},
    )


def test_the_officer_validates_several_values_at_once(cast, client_for):
    agreement, period, values = submitted(cast, client_for)
    response = review(client_for(cast.officer), agreement, period, values, action="validate")
    assert "2 valeurs validées" in told(response)
    assert {m.status for m in Measurement.objects.all()} == {"validated"}
    assert MeasurementEvent.objects.filter(kind="validated", actor=cast.officer).count() == 2


def test_the_officer_returns_several_with_one_reason_or_one_each(cast, client_for):
    agreement, period, values = submitted(cast, client_for)
    ent = values[1]
    review(
        client_for(cast.officer), agreement, period, values, action="return",
        reason="Joindre le justificatif", **{f"reason-{ent.pk}": "Chiffre à vérifier"},
    )  # fmt: skip
    reasons = {m.indicator.code: (m.status, m.return_reason, m.returned_by) for m in
               Measurement.objects.all()}  # fmt: skip
    assert reasons == {
        "ENC": ("returned", "Joindre le justificatif", cast.officer),
        "ENT": ("returned", "Chiffre à vérifier", cast.officer),
    }
    page = client_for(cast.cti_a_staff).get(sheet_url(agreement, period)).content.decode()
    assert f"Renvoyé par {cast.officer}" in page


def test_a_value_that_cannot_be_returned_stops_the_batch_and_nothing_is_saved(cast, client_for):
    agreement, period, values = submitted(cast, client_for)
    response = review(client_for(cast.officer), agreement, period, values, action="return")
    assert "Rien n’a été enregistré" in told(response) and "ENT" in told(response)
    assert {m.status for m in Measurement.objects.all()} == {"submitted"}
    assert not MeasurementEvent.objects.filter(kind="returned").exists()


def test_who_submitted_a_value_cannot_validate_it_within_a_batch(cast, client_for):
    from pilotage.core.roles import Role
    from pilotage.core.tests.factories import MembershipFactory

    agreement, period, values = submitted(cast, client_for)
    # The same person holds both roles: separation of duties still refuses, for the whole batch.
    MembershipFactory(
        user=cast.cti_a_manager, organisation=cast.ministry, role=Role.MINISTRY_OFFICER
    )
    response = review(client_for(cast.cti_a_manager), agreement, period, values, action="validate")
    assert "Rien n’a été enregistré" in told(response)
    assert not Measurement.objects.filter(status="validated").exists()


def test_another_ctis_value_in_a_batch_is_404_and_nothing_is_saved(cast, client_for):
    _agreement, _period, values = submitted(cast, client_for)
    other = contract_indicator(cast.cti_b, code="B1")
    theirs = Measurement.objects.create(
        indicator=other, period=period_for(other), organisation=cast.cti_b, value=Decimal(1),
        status="submitted",
    )  # fmt: skip
    response = client_for(cast.cti_a_manager).post(
        "/api/v1/measurement-batches/validate",
        {"ids": [theirs.pk]},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    theirs.refresh_from_db()
    assert theirs.status == "submitted"
    # A value that does not exist (or that the reviewer may not see) in the batch: 404, none saved.
    response = client_for(cast.officer).post(
        "/api/v1/measurement-batches/validate",
        {"ids": [values[0].pk, 987654]}, content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404
    assert not Measurement.objects.filter(status="validated").exists()


def test_the_api_returns_several_all_or_none(cast, client_for):
    _agreement, _period, values = submitted(cast, client_for)
    client = client_for(cast.officer)
    refused = client.post(
        "/api/v1/measurement-batches/return", {"ids": [m.pk for m in values]},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 422 and not Measurement.objects.filter(status="returned").exists()
    done = client.post(
        "/api/v1/measurement-batches/return",
        {"ids": [m.pk for m in values], "reason": "À revoir"}, content_type="application/json",
    )  # fmt: skip
    assert done.status_code == 200
    assert {(m["status"], m["returned_by_id"]) for m in done.json()} == {
        ("returned", cast.officer.pk)
    }
