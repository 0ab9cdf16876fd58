"""Certificates: issued on a conforming decision by the CTI's manager, never re-validated by a
change of status, verified by anyone through the signed token of their QR code or by number and
printed code (throttled, revealing nothing on a miss)."""

import datetime
import io

import pytest
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from pilotage.certification import selectors, services
from pilotage.certification.models import Certificate, CertificateStatus
from pilotage.certification.tests.factories import CertificateFactory, request_at
from pilotage.core import signing
from pilotage.core.errors import ServiceError

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def certificate(cast):
    return CertificateFactory(request=request_at("decided", delivery__cti=cast.cti_a))


def _token_path(certificate) -> str:
    return reverse("certification:verify_token", args=[selectors.certificate_token(certificate)])


def test_the_manager_issues_a_conforming_requests_certificate_numbered_for_the_cti(cast, api_as):
    request = request_at("decided", delivery__cti=cast.cti_a)
    path = f"/api/v1/validation-requests/{request.pk}/certificate"
    body = {"valid_until": "2029-12-31", "scope": "Masques FFP2, lot 2026"}
    assert api_as(cast.cti_a_staff)("post", path, body).status_code == 403
    issued = api_as(cast.cti_a_manager)("post", path, body)
    assert issued.status_code == 201, issued.content
    answer = issued.json()
    assert answer["number"] == f"CTPC-{TODAY.year}-0001" and answer["current_status"] == "valid"
    assert answer["holder_id"] == request.delivery.company_id and len(answer["short_code"]) == 8
    again = api_as(cast.cti_a_manager)("post", path, body)
    assert again.status_code == 409 and Certificate.objects.count() == 1


def test_no_certificate_for_a_product_not_declared_conforming(cast):
    request = request_at("decided", delivery__cti=cast.cti_a, decision="not_conforming")
    with pytest.raises(ServiceError) as refused:
        services.certificate_issue(
            actor=cast.cti_a_manager, request=request, valid_until=datetime.date(2030, 1, 1)
        )
    assert "decision" in refused.value.field_errors and not Certificate.objects.exists()


def test_numbers_are_unique_per_cti_and_validity_follows_issue(cast, certificate):
    other = request_at("decided", delivery__cti=cast.cti_a)
    with pytest.raises(ServiceError) as taken:
        services.certificate_issue(
            actor=cast.cti_a_manager, request=other, number=certificate.number,
            valid_until=datetime.date(2030, 1, 1),
        )  # fmt: skip
    assert "number" in taken.value.field_errors
    with pytest.raises(ServiceError) as backwards:
        services.certificate_issue(
            actor=cast.cti_a_manager, request=other, valid_until=TODAY - datetime.timedelta(1)
        )
    assert "valid_until" in backwards.value.field_errors
    assert Certificate.objects.count() == 1


def test_a_suspended_or_withdrawn_certificate_is_never_valid_again_by_a_change(cast, certificate):
    manager = cast.cti_a_manager
    services.certificate_status_change(
        actor=manager, certificate=certificate, status="suspended", reason="Audit de suivi"
    )
    for status in ("valid", "suspended"):
        with pytest.raises(ServiceError):
            services.certificate_status_change(
                actor=manager, certificate=certificate, status=status, reason="Retour"
            )
    services.certificate_status_change(
        actor=cast.officer, certificate=certificate, status="withdrawn", reason="Surveillance"
    )
    certificate.refresh_from_db()
    assert certificate.status == "withdrawn" and certificate.status_reason == "Surveillance"
    changes = [h.status for h in certificate.history.order_by("history_date")]
    assert changes[-2:] == ["suspended", "withdrawn"]


def test_a_status_change_needs_its_reason_and_the_right_role(cast, certificate):
    with pytest.raises(ServiceError) as silent:
        services.certificate_status_change(
            actor=cast.cti_a_manager, certificate=certificate, status="suspended", reason=" "
        )
    assert "reason" in silent.value.field_errors
    with pytest.raises(ServiceError) as staff:
        services.certificate_status_change(
            actor=cast.cti_a_staff, certificate=certificate, status="suspended", reason="x"
        )
    assert staff.value.code == "forbidden"


def test_the_qr_token_opens_the_public_page_showing_the_current_status(cast, client, certificate):
    path = _token_path(certificate)
    page = client.get(path)
    assert page.status_code == 200 and 'data-status="valid"' in page.content.decode()
    assert certificate.holder.name in page.content.decode()
    services.certificate_status_change(
        actor=cast.cti_a_manager, certificate=certificate, status="suspended", reason="Audit"
    )
    again = client.get(path)
    assert 'data-status="suspended"' in again.content.decode()
    assert "Audit" not in again.content.decode()  # the reason stays inside


def test_an_expired_certificate_says_so_before_and_after_the_daily_command(
    cast, client, certificate
):
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=TODAY - datetime.timedelta(1))
    assert 'data-status="expired"' in client.get(_token_path(certificate)).content.decode()
    assert services.certificates_expire(actor=None, today=TODAY) == 1
    certificate.refresh_from_db()
    assert certificate.status == "expired" and certificate.status_changed_on == TODAY
    assert services.certificates_expire(actor=None, today=TODAY) == 0


@pytest.mark.parametrize("position", [2, 30, -3])
def test_a_token_altered_by_one_byte_shows_as_not_valid(client, certificate, position):
    token = selectors.certificate_token(certificate)
    index = position % len(token)
    altered = token[:index] + ("B" if token[index] == "A" else "A") + token[index + 1 :]
    page = client.get(reverse("certification:verify_token", args=[altered]))
    assert page.status_code == 404 and 'data-status="not-found"' in page.content.decode()
    assert certificate.number not in page.content.decode()


def test_a_token_signed_by_another_key_shows_as_not_valid(client, certificate):
    other = Ed25519PrivateKey.generate()
    body, _signature = selectors.certificate_token(certificate).split(".")
    forged = f"{body}.{signing._b64(other.sign(signing._unb64(body)))}"
    page = client.get(reverse("certification:verify_token", args=[forged]))
    assert page.status_code == 404 and certificate.holder.name not in page.content.decode()


def test_a_number_alone_shows_nothing_and_a_wrong_code_says_the_same(client, certificate):
    url = reverse("certification:verify")
    alone = client.get(url, {"number": certificate.number})
    wrong = client.get(url, {"number": certificate.number, "code": "ZZZZZZZZ"})
    unknown = client.get(url, {"number": "NO-SUCH-1", "code": "ZZZZZZZZ"})
    for page in (alone, wrong, unknown):
        assert certificate.holder.name not in page.content.decode()
    assert alone.status_code == 422 and 'id="verdict"' not in alone.content.decode()
    for page in (wrong, unknown):  # the same answer whether the number exists or not
        assert page.status_code == 404 and 'data-status="not-found"' in page.content.decode()
    right = client.get(url, {"number": certificate.number, "code": certificate.short_code.lower()})
    assert right.status_code == 200 and certificate.holder.name in right.content.decode()


def test_repeated_guesses_are_throttled(client, certificate):
    url = reverse("certification:verify")
    answers = [client.get(url, {"number": certificate.number, "code": f"GUESS{n:03d}"})
               for n in range(21)]  # fmt: skip
    assert [a.status_code for a in answers[:20]] == [404] * 20
    assert answers[20].status_code == 429
    right = client.get(url, {"number": certificate.number, "code": certificate.short_code})
    assert right.status_code == 429 and certificate.holder.name not in right.content.decode()


def test_the_public_key_checks_a_token_offline(client, certificate):
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    key = load_pem_public_key(client.get(reverse("certification:public_key")).content)
    payload = signing.verify(selectors.certificate_token(certificate), key)  # type: ignore[arg-type]
    assert payload == {"c": certificate.pk, "n": certificate.number}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_pdfs_qr_code_carries_the_verification_url(cast, client_for, certificate, language):
    pdf = client_for(cast.cti_a_staff).get(
        reverse("certification:certificate_pdf", args=[certificate.pk]), {"lang": language}
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = reader.pages[0].extract_text()
    assert certificate.number in text and certificate.short_code in text
    image = reader.pages[0].images[0]
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
    assert decoded and decoded[0].text == selectors.verification_url(certificate)


def test_another_ctis_people_get_no_pdf(cast, client_for, certificate):
    url = reverse("certification:certificate_pdf", args=[certificate.pk])
    assert client_for(cast.cti_b_staff).get(url).status_code == 404


def test_a_certificate_status_is_filtered_as_of_today(cast, client_for, certificate):
    lapsed = CertificateFactory(request=request_at("decided", delivery__cti=cast.cti_a),
                                valid_until=TODAY - datetime.timedelta(1),
                                issued_on=TODAY - datetime.timedelta(400))  # fmt: skip
    client = client_for(cast.officer)
    for status, expected in (("valid", [certificate]), ("expired", [lapsed])):
        page = client.get(reverse("certification:certificate_list"), {"status": status})
        assert list(page.context["page"].object_list) == expected
    assert lapsed.current_status == CertificateStatus.EXPIRED
