"""A CID–CTI specific contract's modalities: deliverables the CTI hands over and the CID accepts,
payment tranches released by accepted deliverables and only then paid, within the ceiling; the
contract's page shows what is due, delivered and paid."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pilotage.core.errors import ServiceError
from pilotage.programmes import services
from pilotage.programmes.models import AgreementKind, Deliverable, PartyRole, PaymentTranche
from pilotage.programmes.tests.factories import agreement_with, deliverable_of

pytestmark = pytest.mark.usefixtures("_in_english")


@pytest.fixture
def contract(cast):
    """The CID's specific contract with CTI A, 600,000 MAD at most."""
    contract = agreement_with(cast.cid, kind=AgreementKind.CONTRAT_SPECIFIQUE,
                              reference="CS-CID-CTPC-2025", ceiling=Decimal(600000))  # fmt: skip
    contract.parties.create(organisation=cast.cti_a, role=PartyRole.BENEFICIARY)
    return contract


def _schedule(cast, contract):
    """Two deliverables, each releasing one tranche, the second tranche needing both."""
    today = timezone.localdate()
    study = services.deliverable_create(actor=cast.cid_manager, agreement=contract,
                                        title="Diagnostic énergétique", due_on=today)  # fmt: skip
    pilot = services.deliverable_create(actor=cast.cid_manager, agreement=contract,
                                        title="Pilote de récupération de chaleur",
                                        due_on=timezone.localdate())  # fmt: skip
    first = services.tranche_create(actor=cast.cid_manager, agreement=contract,
                                    amount=Decimal(200000), deliverables=[study])  # fmt: skip
    second = services.tranche_create(actor=cast.cid_manager, agreement=contract,
                                     amount=Decimal(400000), deliverables=[study, pilot])  # fmt: skip
    return study, pilot, first, second


def test_accepted_deliverables_release_their_tranches_which_are_then_paid(cast, contract):
    study, _pilot, first, second = _schedule(cast, contract)
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(ServiceError) as not_released:
        services.tranche_pay(actor=cast.cid_manager, tranche=first, payment_reference="VIR-1")
    assert "not released" in not_released.value.field_errors["payment_reference"][0]

    services.deliverable_deliver(actor=cast.cti_a_staff, deliverable=study)
    services.deliverable_review(actor=cast.cid_manager, deliverable=study, outcome="accepted")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_released and not second.is_released

    services.tranche_pay(actor=cast.cid_manager, tranche=first, payment_reference="VIR-1")
    first.refresh_from_db()
    assert first.paid_on == timezone.localdate()
    with pytest.raises(ServiceError):  # never twice
        services.tranche_pay(actor=cast.cid_manager, tranche=first, payment_reference="VIR-2")
    assert [h.paid_on for h in first.history.order_by("history_date")] == [None, first.paid_on]


def test_a_rejected_deliverable_needs_a_reason_and_goes_back_to_the_cti(cast, contract):
    study, *_ = _schedule(cast, contract)
    services.deliverable_deliver(actor=cast.cti_a_staff, deliverable=study)
    with pytest.raises(ServiceError) as no_reason:
        services.deliverable_review(actor=cast.cid_manager, deliverable=study, outcome="rejected")
    assert "note" in no_reason.value.field_errors
    services.deliverable_review(actor=cast.cid_manager, deliverable=study, outcome="rejected",
                                note="Les mesures de mars manquent.")  # fmt: skip
    services.deliverable_deliver(actor=cast.cti_a_staff, deliverable=study)
    study.refresh_from_db()
    assert study.status == "delivered"
    assert [h.status for h in study.history.order_by("history_date")] == [
        "due", "delivered", "rejected", "delivered"
    ]  # fmt: skip


def test_only_the_cid_or_the_ministry_accepts_and_pays_and_only_a_party_delivers(cast, contract):
    study, _pilot, first, _second = _schedule(cast, contract)
    with pytest.raises(ServiceError):  # CTI B is no party: the deliverable is not even visible
        services.deliverable_deliver(actor=cast.cti_b_staff, deliverable=study)
    services.deliverable_deliver(actor=cast.cti_a_staff, deliverable=study)
    for someone in (cast.cti_a_manager, cast.cti_a_staff):
        with pytest.raises(ServiceError) as refused:
            services.deliverable_review(actor=someone, deliverable=study, outcome="accepted")
        assert refused.value.code == "forbidden"
    services.deliverable_review(actor=cast.officer, deliverable=study, outcome="accepted")
    with pytest.raises(ServiceError) as refused:
        services.tranche_pay(actor=cast.cti_a_manager, tranche=first, payment_reference="X")
    assert refused.value.code == "forbidden"
    first.refresh_from_db()
    assert first.paid_on is None


def test_the_schedule_stays_within_the_ceiling_and_names_its_own_deliverables(cast, contract):
    study, *_ = _schedule(cast, contract)  # 600,000 of 600,000 scheduled
    with pytest.raises(ServiceError) as above:
        services.tranche_create(actor=cast.cid_manager, agreement=contract, amount=Decimal(1),
                                deliverables=[study])  # fmt: skip
    assert "ceiling" in above.value.field_errors["amount"][0]
    other = agreement_with(cast.cid, cast.cti_a, kind=AgreementKind.CONTRAT_SPECIFIQUE)
    with pytest.raises(ServiceError) as foreign:
        services.tranche_create(actor=cast.cid_manager, agreement=other, amount=Decimal(1),
                                deliverables=[study])  # fmt: skip
    assert "deliverables" in foreign.value.field_errors
    with pytest.raises(ServiceError) as none:
        services.tranche_create(actor=cast.cid_manager, agreement=other, amount=Decimal(1),
                                deliverables=[])  # fmt: skip
    assert "deliverables" in none.value.field_errors
    assert PaymentTranche.objects.filter(agreement=other).count() == 0


def test_steps_are_dated_in_order_and_never_in_the_future(cast, contract):
    study, *_ = _schedule(cast, contract)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ServiceError):
        services.deliverable_deliver(actor=cast.cti_a_staff, deliverable=study, on=tomorrow)
    delivered = timezone.localdate() - datetime.timedelta(days=3)
    services.deliverable_deliver(actor=cast.cti_a_staff, deliverable=study, on=delivered)
    with pytest.raises(ServiceError) as before:
        services.deliverable_review(actor=cast.cid_manager, deliverable=study, outcome="accepted",
                                    on=delivered - datetime.timedelta(days=1))  # fmt: skip
    assert "on" in before.value.field_errors


def test_the_contract_page_shows_what_is_due_delivered_and_paid(cast, client_for, contract):
    study, pilot, first, _second = _schedule(cast, contract)
    deliverable_of(contract, title="Rapport final", due_on=datetime.date(2024, 1, 31))  # overdue
    services.deliverable_deliver(actor=cast.cti_a_staff, deliverable=study)
    services.deliverable_review(actor=cast.cid_manager, deliverable=study, outcome="accepted")
    services.tranche_pay(actor=cast.cid_manager, tranche=first, payment_reference="VIR-1")
    services.deliverable_deliver(actor=cast.cti_a_staff, deliverable=pilot)
    page = client_for(cast.cti_a_manager).get(contract.get_absolute_url())
    schedule = page.context["schedule"]
    assert (schedule.due, schedule.overdue, schedule.delivered, schedule.accepted) == (2, 1, 1, 1)
    assert (schedule.scheduled, schedule.released, schedule.paid) == (600000, 200000, 200000)
    html = page.content.decode()
    assert 'data-state="paid"' in html and 'data-state="waiting"' in html


def test_the_cti_delivers_and_the_cid_accepts_through_the_pages_and_the_api(
    cast, client_for, api_as, contract
):
    study, *_ = _schedule(cast, contract)
    page = client_for(cast.cti_a_staff).get(study.get_absolute_url())
    assert page.context["deliver_form"] is not None and page.context["review_form"] is None
    answer = client_for(cast.cti_a_staff).post(reverse("programmes:deliverable_deliver",
                                                       args=[study.pk]), {"note": "v1"})  # fmt: skip
    assert answer.status_code == 302
    refused = api_as(cast.cti_a_manager)("post", f"/api/v1/deliverables/{study.pk}/review",
                                         {"outcome": "accepted"})  # fmt: skip
    assert refused.status_code == 403
    accepted = api_as(cast.cid_manager)("post", f"/api/v1/deliverables/{study.pk}/review",
                                        {"outcome": "accepted"})  # fmt: skip
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    tranche = api_as(cast.cid_manager)("get", "/api/v1/payment-tranches").json()["items"][0]
    assert tranche["is_released"] is True
    assert Deliverable.objects.get(pk=study.pk).status == "accepted"


def test_the_cid_writes_modalities_only_on_contracts_it_is_party_to(cast, api_as, contract):
    """Deliverables and tranches are the CID's or the ministry's to write (a CTI delivers), and
    the CID's only on its own contracts."""
    ministry_contract = agreement_with(cast.ministry, cast.cti_a)
    body = {"agreement": ministry_contract.pk, "title": "Rapport", "due_on": "2025-03-31"}
    # Not a choice the CID is offered: refused as a field error, nothing written.
    assert api_as(cast.cid_manager)("post", "/api/v1/deliverables", body).status_code == 422
    assert not Deliverable.objects.filter(agreement=ministry_contract).exists()
    assert api_as(cast.cti_a_manager)("post", "/api/v1/deliverables",
                                      {**body, "agreement": contract.pk}).status_code == 403  # fmt: skip
    made = api_as(cast.cid_manager)(
        "post", "/api/v1/deliverables", {**body, "agreement": contract.pk}
    )
    assert made.status_code == 201, made.content
    tranche = {"agreement": contract.pk, "amount": "100000", "deliverables": [made.json()["id"]]}
    answer = api_as(cast.cid_manager)("post", "/api/v1/payment-tranches", tranche)
    assert answer.status_code == 201 and answer.json()["number"] == 1, answer.content


def test_the_to_do_lists_say_what_the_cti_owes_and_what_the_cid_must_review(cast, contract):
    from pilotage.core.todo import todo_for

    study, *_ = _schedule(cast, contract)
    assert "2 contract deliverables due" in " ".join(i.label for i in todo_for(cast.cti_a_staff))
    assert not any("deliverable" in i.label for i in todo_for(cast.cti_b_staff))
    services.deliverable_deliver(actor=cast.cti_a_staff, deliverable=study)
    labels = [i.label for i in todo_for(cast.cid_manager)]
    assert "1 deliverable to accept or reject" in labels
