"""Agreements: who sees them, the lifecycle, parties, amendments and signed documents."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilotage.core.errors import ServiceError
from pilotage.programmes import services
from pilotage.programmes.models import Agreement, AgreementKind, AgreementStatus
from pilotage.programmes.tests.factories import ProgrammeFactory, agreement_with


def test_a_cti_sees_the_agreements_it_is_party_to_and_no_others(cast, client_for):
    ours = agreement_with(cast.ministry, cast.cti_a, reference="CO-CTPC")
    theirs = agreement_with(cast.ministry, cast.cti_b, reference="CO-CETIEV")
    page = client_for(cast.cti_a_staff).get(reverse("programmes:agreement_list"))
    assert [obj for obj, _cells in page.context["rows"]] == [ours]
    assert client_for(cast.cti_a_staff).get(theirs.get_absolute_url()).status_code == 404


def test_a_federation_reads_the_contract_of_the_cti_it_co_manages(cast, client_for):
    contract = agreement_with(cast.ministry, cast.cti_b)
    assert client_for(cast.federation_viewer).get(contract.get_absolute_url()).status_code == 200


def test_the_list_is_the_same_in_the_api_and_runs_constant_queries(
    cast, client_for, django_assert_max_num_queries
):
    agreement_with(cast.ministry, cast.cti_a)
    client = client_for(cast.officer)
    with django_assert_max_num_queries(12) as baseline:
        client.get("/api/v1/agreements")
    for _ in range(5):
        agreement_with(cast.ministry, cast.cti_a, cast.cti_b)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        body = client.get("/api/v1/agreements").json()
    assert body["count"] == 6


def test_the_lifecycle_goes_draft_signed_in_force_closed(cast):
    agreement = agreement_with(
        cast.ministry, cast.cti_a, status=AgreementStatus.DRAFT, signed_on=None
    )
    with pytest.raises(ServiceError) as no_date:
        services.agreement_transition(actor=cast.officer, agreement=agreement, status="signed")
    assert "signed_on" in no_date.value.field_errors
    services.agreement_update(
        actor=cast.officer, agreement=agreement, signed_on=datetime.date(2023, 4, 11)
    )
    for status in ("signed", "in_force", "closed"):
        services.agreement_transition(actor=cast.officer, agreement=agreement, status=status)
    agreement.refresh_from_db()
    statuses = [r.status for r in agreement.history.order_by("history_date")]
    assert statuses[-3:] == ["signed", "in_force", "closed"]
    with pytest.raises(ServiceError):
        services.agreement_transition(actor=cast.officer, agreement=agreement, status="in_force")


def test_suspending_needs_a_reason(cast):
    agreement = agreement_with(cast.ministry, cast.cti_a)
    with pytest.raises(ServiceError) as refused:
        services.agreement_transition(actor=cast.officer, agreement=agreement, status="suspended")
    assert "reason" in refused.value.field_errors
    services.agreement_transition(
        actor=cast.officer, agreement=agreement, status="suspended", reason="audit en cours"
    )
    assert agreement.history.latest().history_change_reason == "audit en cours"


def test_a_cti_cannot_change_its_own_contract_through_the_api(cast, client_for):
    agreement = agreement_with(cast.ministry, cast.cti_a)
    response = client_for(cast.cti_a_manager).post(
        f"/api/v1/agreements/{agreement.pk}/transition",
        {"status": "closed"},
        content_type="application/json",
    )
    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_FORCE


def test_an_officer_moves_the_status_from_the_page(cast, client_for):
    agreement = agreement_with(cast.ministry, cast.cti_a)
    client_for(cast.officer).post(
        reverse("programmes:agreement_transition", args=[agreement.pk]), {"status": "closed"}
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.CLOSED


def test_the_cid_writes_its_specific_contracts_but_not_contrats_objectifs(cast):
    contract = services.agreement_create(
        actor=cast.cid_manager,
        kind=AgreementKind.CONTRAT_SPECIFIQUE,
        reference="CS-CID-CTPC",
        title="Contrat spécifique CID–CTPC",
        parties=[(cast.cid, "signatory"), (cast.cti_a, "signatory")],
    )
    assert contract.status == AgreementStatus.DRAFT
    with pytest.raises(ServiceError) as refused:
        services.agreement_create(
            actor=cast.cid_manager,
            kind=AgreementKind.CONTRAT_OBJECTIFS,
            reference="CO-X",
            title="X",
            parties=[(cast.cid, "signatory")],
        )
    assert "kind" in refused.value.field_errors


def test_an_agreement_the_cid_is_not_party_to_is_rolled_back(cast):
    with pytest.raises(ServiceError):
        services.agreement_create(
            actor=cast.cid_manager,
            kind=AgreementKind.PROTOCOLE,
            reference="P-OTHER",
            title="Protocole d'autres",
            parties=[(cast.cti_b, "signatory")],
        )
    assert not Agreement.objects.filter(reference="P-OTHER").exists()


def test_an_amendment_is_numbered_and_versions_the_ceiling(cast):
    agreement = agreement_with(cast.ministry, cast.cti_a, ceiling=Decimal("10000000"))
    first = services.amendment_create(
        actor=cast.officer, agreement=agreement, kind="ceiling", signed_on=datetime.date(2024, 3, 1),
        reason="extension du laboratoire", new_ceiling=Decimal("12000000"),
    )  # fmt: skip
    second = services.amendment_create(
        actor=cast.officer, agreement=agreement, kind="duration", signed_on=datetime.date(2025, 1, 1),
        reason="prolongation", new_ends_on=datetime.date(2026, 12, 31),
    )  # fmt: skip
    agreement.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert agreement.ceiling == Decimal("12000000.00")
    assert agreement.ends_on == datetime.date(2026, 12, 31)
    ceilings = [r.ceiling for r in agreement.history.order_by("history_date")]
    assert Decimal("10000000.00") in ceilings and ceilings[-1] == Decimal("12000000.00")


def test_a_draft_cannot_be_amended(cast):
    agreement = agreement_with(cast.ministry, cast.cti_a, status=AgreementStatus.DRAFT)
    with pytest.raises(ServiceError):
        services.amendment_create(
            actor=cast.officer, agreement=agreement, kind="other", signed_on=datetime.date(2024, 1, 1),
            reason="x",
        )  # fmt: skip


def test_a_signed_document_is_stored_with_its_sha256_shown_on_the_page(cast, client_for):
    agreement = agreement_with(cast.ministry, cast.cti_a)
    content = b"%PDF-1.4 contrat signe"
    client = client_for(cast.officer)
    client.post(
        reverse("programmes:document_add", args=[agreement.pk]),
        {"title": "Contrat signé", "upload": SimpleUploadedFile("contrat.pdf", content)},
    )
    document = agreement.documents.get()
    digest = hashlib.sha256(content).hexdigest()
    assert document.sha256 == digest and document.size == len(content)
    assert digest in client_for(cast.cti_a_staff).get(agreement.get_absolute_url()).content.decode()
    download = client_for(cast.cti_a_staff).get(
        reverse("programmes:document_download", args=[document.pk])
    )
    assert b"".join(download.streaming_content) == content


def test_an_executable_is_refused_and_nothing_is_stored(cast, client_for):
    agreement = agreement_with(cast.ministry, cast.cti_a)
    response = client_for(cast.officer).post(
        reverse("programmes:document_add", args=[agreement.pk]),
        {"title": "virus", "upload": SimpleUploadedFile("x.exe", b"MZ")},
        follow=True,
    )
    assert not agreement.documents.exists()
    assert any("pdf" in str(m) for m in response.context["messages"])


def test_an_officer_creates_an_agreement_from_the_page(cast, client_for):
    plan = ProgrammeFactory()
    response = client_for(cast.officer).post(
        reverse("programmes:agreement_create"),
        {"kind": "contrat_objectifs", "reference": "CO-2023-CTPC", "title": "Contrat-objectifs CTPC",
         "programme": plan.pk, "signed_on": "2023-04-11", "party": cast.cti_a.pk,
         "party_role": "beneficiary"},
    )  # fmt: skip
    agreement = Agreement.objects.get(reference="CO-2023-CTPC")
    assert response.status_code == 302
    assert [(p.organisation, p.role) for p in agreement.parties.all()] == [
        (cast.cti_a, "beneficiary")
    ]


def test_bad_dates_are_refused_with_a_field_message(cast, client_for):
    response = client_for(cast.officer).post(
        reverse("programmes:agreement_create"),
        {"kind": "protocole", "reference": "P-1", "title": "P", "starts_on": "2025-01-01",
         "ends_on": "2024-01-01", "party": cast.cti_a.pk, "party_role": "signatory"},
    )  # fmt: skip
    assert response.status_code == 422
    assert not Agreement.objects.filter(reference="P-1").exists()


def test_an_officer_creates_an_agreement_through_the_api(cast, client_for):
    response = client_for(cast.officer).post(
        "/api/v1/agreements",
        {"kind": "protocole", "reference": "P-API", "title": "Protocole", "party": cast.cti_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["parties"] == [{"organisation_id": cast.cti_a.pk, "organisation": "CTPC",
                                            "role": "signatory"}]  # fmt: skip


def test_a_cti_cannot_create_agreements_through_the_api(cast, client_for):
    response = client_for(cast.cti_a_manager).post(
        "/api/v1/agreements",
        {"kind": "protocole", "reference": "P-X", "title": "X", "party": cast.cti_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 403 and not Agreement.objects.filter(reference="P-X").exists()
