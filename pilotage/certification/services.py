"""Every state change of laboratories, staff counts, fast-track campaigns and validation requests.

A validation request moves through its stages in one order only (received → sample received →
testing → report issued → decided); each step is dated when taken, never before the step it
follows nor in the future, and is taken under a row lock so that two people cannot take it twice.
Creating a request creates its delivery in the services register in the same transaction."""

import datetime
import secrets
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotage.certification.models import (
    SHORT_CODE_ALPHABET,
    STAGE_DATE,
    Certificate,
    CertificateStatus,
    Decision,
    FastTrackCampaign,
    Laboratory,
    Purpose,
    RequestStage,
    StaffCount,
    TestResult,
    ValidationReport,
    ValidationRequest,
    Verdict,
)
from pilotage.core import access
from pilotage.core.audit import stamp
from pilotage.core.errors import ErrorCode, refusal
from pilotage.core.files import store_upload
from pilotage.core.models import Organisation, User
from pilotage.core.services import KEEP, change_fields, persist
from pilotage.prestations import services as prestations
from pilotage.prestations.models import Company, Funding

STAGE_ORDER = list(RequestStage)


# --- laboratories and staff ------------------------------------------------------------------


@transaction.atomic
def laboratory_create(
    *,
    actor: User,
    cti: Organisation,
    name: str,
    site: str,
    region: str,
    domain: str,
    opened_on: datetime.date | None = None,
    accreditation_number: str = "",
    accreditation_scope: str = "",
    accredited_until: datetime.date | None = None,
    equipment: str = "",
    is_active: bool = True,
    reason: str = "",
) -> Laboratory:
    access.ensure_can_create(actor, Laboratory)
    laboratory = Laboratory(
        cti=cti, name=name, site=site, region=region, domain=domain, opened_on=opened_on,
        accreditation_number=accreditation_number.strip(), accreditation_scope=accreditation_scope,
        accredited_until=accredited_until, equipment=equipment, is_active=is_active,
    )  # fmt: skip
    return persist(laboratory, actor=actor, reason=reason)


@transaction.atomic
def laboratory_update(
    *,
    actor: User,
    laboratory: Laboratory,
    cti: Organisation = KEEP,
    name: str = KEEP,
    site: str = KEEP,
    region: str = KEEP,
    domain: str = KEEP,
    opened_on: datetime.date | None = KEEP,
    accreditation_number: str = KEEP,
    accreditation_scope: str = KEEP,
    accredited_until: datetime.date | None = KEEP,
    equipment: str = KEEP,
    is_active: bool = KEEP,
    reason: str = "",
) -> Laboratory:
    access.get_editable(Laboratory, actor, laboratory.pk)
    laboratory = Laboratory.objects.select_for_update().get(pk=laboratory.pk)
    change_fields(
        laboratory, cti=cti, name=name, site=site, region=region, domain=domain,
        opened_on=opened_on, accreditation_number=accreditation_number,
        accreditation_scope=accreditation_scope, accredited_until=accredited_until,
        equipment=equipment, is_active=is_active,
    )  # fmt: skip
    return persist(laboratory, actor=actor, reason=reason)


@transaction.atomic
def staffcount_create(
    *,
    actor: User,
    cti: Organisation,
    year: int,
    graduates: int,
    technicians: int,
    administrative: int,
    note: str = "",
    reason: str = "",
) -> StaffCount:
    access.ensure_can_create(actor, StaffCount)
    count = StaffCount(
        cti=cti, year=year, graduates=graduates, technicians=technicians,
        administrative=administrative, note=note,
    )  # fmt: skip
    return persist(count, actor=actor, reason=reason)


@transaction.atomic
def staffcount_update(
    *,
    actor: User,
    staffcount: StaffCount,
    cti: Organisation = KEEP,
    year: int = KEEP,
    graduates: int = KEEP,
    technicians: int = KEEP,
    administrative: int = KEEP,
    note: str = KEEP,
    reason: str = "",
) -> StaffCount:
    access.get_editable(StaffCount, actor, staffcount.pk)
    count = StaffCount.objects.select_for_update().get(pk=staffcount.pk)
    change_fields(
        count, cti=cti, year=year, graduates=graduates, technicians=technicians,
        administrative=administrative, note=note,
    )  # fmt: skip
    return persist(count, actor=actor, reason=reason)


# --- fast-track campaigns --------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    code: str,
    title: str,
    product_categories: str,
    opened_on: datetime.date,
    closes_on: datetime.date | None = None,
    decision_hours: int = 72,
    description: str = "",
    reason: str = "",
) -> FastTrackCampaign:
    access.ensure_can_create(actor, FastTrackCampaign)
    campaign = FastTrackCampaign(
        code=code, title=title, product_categories=product_categories, opened_on=opened_on,
        closes_on=closes_on, decision_hours=decision_hours, description=description,
    )  # fmt: skip
    _check_campaign(campaign)
    return persist(campaign, actor=actor, reason=reason)


@transaction.atomic
def campaign_update(
    *,
    actor: User,
    campaign: FastTrackCampaign,
    code: str = KEEP,
    title: str = KEEP,
    product_categories: str = KEEP,
    opened_on: datetime.date = KEEP,
    closes_on: datetime.date | None = KEEP,
    decision_hours: int = KEEP,
    description: str = KEEP,
    reason: str = "",
) -> FastTrackCampaign:
    access.get_editable(FastTrackCampaign, actor, campaign.pk)
    campaign = FastTrackCampaign.objects.select_for_update().get(pk=campaign.pk)
    changes_deadline = decision_hours not in (KEEP, campaign.decision_hours)
    if changes_deadline and campaign.requests.exists():
        # Its requests were measured against the deadline they were received under.
        raise refusal(
            _("Requests were received under this deadline: it can no longer change."),
            "decision_hours",
        )
    change_fields(
        campaign, code=code, title=title, product_categories=product_categories,
        opened_on=opened_on, closes_on=closes_on, decision_hours=decision_hours,
        description=description,
    )  # fmt: skip
    _check_campaign(campaign)
    return persist(campaign, actor=actor, reason=reason)


def _check_campaign(campaign: FastTrackCampaign) -> None:
    if not campaign.categories:
        raise refusal(_("Name at least one product category."), "product_categories",
                      ErrorCode.INVALID)  # fmt: skip


# --- validation requests ---------------------------------------------------------------------


@transaction.atomic
def validation_request_create(
    *,
    actor: User,
    cti: Organisation,
    reference: str,
    company: Company,
    purpose: str,
    product: str,
    product_category: str,
    referential: str,
    received_on: datetime.date,
    referential_kind: str = "standard",
    laboratory: Laboratory | None = None,
    campaign: FastTrackCampaign | None = None,
    amount_invoiced: Decimal = Decimal(0),
    funding: str = Funding.PAID,
    reason: str = "",
) -> ValidationRequest:
    """Record a company's request; its delivery in the services register is created with it."""
    access.ensure_can_create(actor, ValidationRequest)
    delivery = prestations.delivery_create(
        actor=actor, cti=cti, reference=reference, company=company, started_on=received_on,
        category=purpose, title=product, amount_invoiced=amount_invoiced, funding=funding,
        reason=reason,
    )  # fmt: skip
    request = ValidationRequest(
        delivery=delivery, purpose=purpose, product=product, product_category=product_category,
        referential_kind=referential_kind, referential=referential, laboratory=laboratory,
        campaign=campaign, received_on=received_on,
    )  # fmt: skip
    _check_request(request)
    return persist(request, actor=actor, reason=reason)


@transaction.atomic
def validation_request_update(
    *,
    actor: User,
    validationrequest: ValidationRequest,
    reference: str = KEEP,
    company: Company = KEEP,
    purpose: str = KEEP,
    product: str = KEEP,
    product_category: str = KEEP,
    referential_kind: str = KEEP,
    referential: str = KEEP,
    received_on: datetime.date = KEEP,
    laboratory: Laboratory | None = KEEP,
    campaign: FastTrackCampaign | None = KEEP,
    amount_invoiced: Decimal = KEEP,
    funding: str = KEEP,
    reason: str = "",
) -> ValidationRequest:
    """Correct a request. Once decided, what was tested (product, referential, purpose,
    campaign, dates) is what the decision was about: only the invoice may still change."""
    access.get_editable(ValidationRequest, actor, validationrequest.pk)
    request = _locked(validationrequest)
    if request.stage == RequestStage.DECIDED:
        tested = {
            "purpose": purpose, "product": product, "product_category": product_category,
            "referential_kind": referential_kind, "referential": referential,
            "received_on": received_on, "campaign": campaign,
        }  # fmt: skip
        changed = [f for f, value in tested.items() if value not in (KEEP, getattr(request, f))]
        if company is not KEEP and company != request.delivery.company:
            changed.append("company")
        if changed:
            raise refusal(
                _("The request is decided: what was tested can no longer change."), changed[0]
            )
    change_fields(
        request, purpose=purpose, product=product, product_category=product_category,
        referential_kind=referential_kind, referential=referential, received_on=received_on,
        laboratory=laboratory, campaign=campaign,
    )  # fmt: skip
    _check_request(request)
    request = persist(request, actor=actor, reason=reason)
    prestations.delivery_update(
        actor=actor, delivery=request.delivery, reference=reference, company=company,
        category=purpose, title=product, started_on=received_on,
        amount_invoiced=amount_invoiced, funding=funding, reason=reason,
    )  # fmt: skip
    return request


def _check_request(request: ValidationRequest) -> None:
    cti_id = request.delivery.cti_id
    if request.laboratory is not None and request.laboratory.cti_id != cti_id:
        raise refusal(_("Choose one of the CTI's own laboratories."), "laboratory",
                      ErrorCode.INVALID)  # fmt: skip
    if request.purpose not in Purpose.values:
        raise refusal(_("Choose what the company asks for."), "purpose", ErrorCode.INVALID)
    if request.sample_received_at is not None and (
        timezone.localtime(request.sample_received_at).date() < request.received_on
    ):
        raise refusal(_("The request cannot be received after its sample."), "received_on",
                      ErrorCode.INVALID)  # fmt: skip
    campaign = request.campaign
    if campaign is None:
        return
    if not campaign.is_open_on(request.received_on):
        raise refusal(
            _("The campaign %(code)s was not open on the day the request was received.")
            % {"code": campaign.code}, "campaign", ErrorCode.INVALID,
        )  # fmt: skip
    categories = {category.casefold() for category in campaign.categories}
    if request.product_category.strip().casefold() not in categories:
        raise refusal(
            _("The campaign %(code)s covers: %(categories)s.")
            % {"code": campaign.code, "categories": ", ".join(campaign.categories)},
            "product_category", ErrorCode.INVALID,
        )  # fmt: skip


def _locked(request: ValidationRequest) -> ValidationRequest:
    return (
        ValidationRequest.objects.select_for_update(of=("self",))
        .select_related("delivery__company", "campaign")
        .get(pk=request.pk)
    )


def _advance(
    request: ValidationRequest, to: RequestStage, at: datetime.datetime | None
) -> datetime.datetime:
    """Check that `to` is the request's next stage and that `at` dates it after the step before
    (and not in the future); set the stage and its date."""
    expected = STAGE_ORDER[STAGE_ORDER.index(RequestStage(request.stage)) + 1 :][:1]
    if expected != [to]:
        raise refusal(
            _("The request is at “%(stage)s”: “%(step)s” cannot be recorded now.")
            % {"stage": RequestStage(request.stage).label, "step": to.label},
            "stage",
        )  # fmt: skip
    at = at or timezone.now()
    field = STAGE_DATE[to]
    if at > timezone.now() + datetime.timedelta(minutes=5):
        raise refusal(_("A step cannot be dated in the future."), field, ErrorCode.INVALID)
    previous = STAGE_DATE.get(RequestStage(request.stage))
    earliest = getattr(request, previous) if previous else None
    if earliest is not None and at < earliest:
        raise refusal(
            _("This step cannot be dated before the previous one (%(date)s).")
            % {"date": timezone.localtime(earliest).strftime("%d/%m/%Y %H:%M")},
            field, ErrorCode.INVALID,
        )  # fmt: skip
    if to == RequestStage.SAMPLE_RECEIVED and timezone.localtime(at).date() < request.received_on:
        raise refusal(_("The sample cannot arrive before the request was received."), field,
                      ErrorCode.INVALID)  # fmt: skip
    request.stage = to
    setattr(request, field, at)
    return at


@transaction.atomic
def sample_receive(
    *,
    actor: User,
    request: ValidationRequest,
    at: datetime.datetime | None = None,
    reason: str = "",
) -> ValidationRequest:
    """The company's sample has arrived: a fast-track request's clock starts now."""
    request = _locked(access.get_visible(ValidationRequest, actor, request.pk))
    access.ensure_can(actor, "record", request)
    _advance(request, RequestStage.SAMPLE_RECEIVED, at)
    return persist(request, actor=actor, reason=reason)


@transaction.atomic
def testing_start(
    *,
    actor: User,
    request: ValidationRequest,
    at: datetime.datetime | None = None,
    laboratory: Laboratory | None = None,
    reason: str = "",
) -> ValidationRequest:
    request = _locked(access.get_visible(ValidationRequest, actor, request.pk))
    access.ensure_can(actor, "record", request)
    if laboratory is not None:
        request.laboratory = laboratory
    if request.laboratory is None:
        raise refusal(_("Choose the laboratory that tests the sample."), "laboratory",
                      ErrorCode.INVALID)  # fmt: skip
    _advance(request, RequestStage.TESTING, at)
    _check_request(request)
    return persist(request, actor=actor, reason=reason)


@transaction.atomic
def test_record(
    *,
    actor: User,
    request: ValidationRequest,
    method: str,
    characteristic: str,
    measured_value: Decimal,
    limit: str,
    verdict: str,
    tested_on: datetime.date,
    unit: str = "",
    reason: str = "",
) -> TestResult:
    """Add one test to the report being written (only while the sample is being tested)."""
    request = _locked(access.get_visible(ValidationRequest, actor, request.pk))
    access.ensure_can(actor, "record", request)
    if request.stage != RequestStage.TESTING:
        raise refusal(_("Tests are recorded while the sample is being tested."), "stage")
    assert request.sample_received_at is not None  # the stage says so (and the database)
    if tested_on < timezone.localtime(request.sample_received_at).date():
        raise refusal(_("No test can come before the sample arrived."), "tested_on",
                      ErrorCode.INVALID)  # fmt: skip
    if tested_on > timezone.localdate():
        raise refusal(_("A test cannot be dated in the future."), "tested_on", ErrorCode.INVALID)
    if verdict not in Verdict.values:
        raise refusal(_("Give the test's verdict."), "verdict", ErrorCode.INVALID)
    test = TestResult(
        request=request, method=method, characteristic=characteristic,
        measured_value=measured_value, unit=unit, limit=limit, verdict=verdict,
        tested_on=tested_on,
    )  # fmt: skip
    return persist(test, actor=actor, reason=reason)


@transaction.atomic
def report_attach(
    *, actor: User, request: ValidationRequest, upload: UploadedFile | None, title: str = ""
) -> ValidationReport:
    """Store the signed report file, with its SHA-256 (before or when the report is issued)."""
    request = _locked(access.get_visible(ValidationRequest, actor, request.pk))
    access.ensure_can(actor, "record", request)
    if upload is None:
        raise refusal(_("Choose the file to send."), "file", ErrorCode.INVALID)
    if request.stage not in (RequestStage.TESTING, RequestStage.REPORT_ISSUED):
        raise refusal(_("The report is stored once testing has started."), "file")
    report = ValidationReport(request=request, title=title.strip() or upload.name or "")
    store_upload(report, upload)
    return persist(report, actor=actor)


@transaction.atomic
def report_issue(
    *,
    actor: User,
    request: ValidationRequest,
    at: datetime.datetime | None = None,
    upload: UploadedFile | None = None,
    reason: str = "",
) -> ValidationRequest:
    """Issue the test report: it lists at least one test and its signed file is stored."""
    if upload is not None:
        report_attach(actor=actor, request=request, upload=upload)
    request = _locked(access.get_visible(ValidationRequest, actor, request.pk))
    access.ensure_can(actor, "record", request)
    if request.stage == RequestStage.TESTING:
        if not request.tests.exists():
            raise refusal(_("Record at least one test before issuing the report."), "stage")
        if not request.reports.exists():
            raise refusal(_("Attach the signed report file."), "file", ErrorCode.INVALID)
    _advance(request, RequestStage.REPORT_ISSUED, at)
    return persist(request, actor=actor, reason=reason)


@transaction.atomic
def request_decide(
    *,
    actor: User,
    request: ValidationRequest,
    decision: str,
    at: datetime.datetime | None = None,
    note: str = "",
) -> ValidationRequest:
    """Decide on the report: a product with a failed test cannot be declared conforming. The
    delivery ends on the day of the decision."""
    request = _locked(access.get_visible(ValidationRequest, actor, request.pk))
    access.ensure_can(actor, "decide", request, field="decision")
    if decision not in Decision.values:
        raise refusal(_("Choose the decision."), "decision", ErrorCode.INVALID)
    decided_at = _advance(request, RequestStage.DECIDED, at)
    failed = request.tests.filter(verdict=Verdict.FAIL).count()
    if decision == Decision.CONFORMING and failed:
        raise refusal(
            _("%(count)s test(s) failed: the product cannot be declared conforming.")
            % {"count": failed}, "decision",
        )  # fmt: skip
    request.decision = decision
    request.decision_note = note
    request = persist(request, actor=actor, reason=note)
    prestations.delivery_update(
        actor=actor, delivery=request.delivery, ended_on=timezone.localtime(decided_at).date(),
        reason=note,
    )  # fmt: skip
    return request


# --- certificates ----------------------------------------------------------------------------

# What a certificate's status may become: once suspended or withdrawn, it is never valid again
# by a change of status (a new decision issues a new certificate); expiry is the calendar's.
CERTIFICATE_TRANSITIONS: dict[str, frozenset[str]] = {
    CertificateStatus.VALID: frozenset({CertificateStatus.SUSPENDED, CertificateStatus.WITHDRAWN,
                                        CertificateStatus.EXPIRED}),
    CertificateStatus.SUSPENDED: frozenset({CertificateStatus.WITHDRAWN}),
    CertificateStatus.WITHDRAWN: frozenset(),
    CertificateStatus.EXPIRED: frozenset(),
}  # fmt: skip


@transaction.atomic
def certificate_issue(
    *,
    actor: User,
    request: ValidationRequest,
    valid_until: datetime.date,
    number: str = "",
    scope: str = "",
    issued_on: datetime.date | None = None,
    reason: str = "",
) -> Certificate:
    """Issue the certificate of a conforming decision. Without a number, the CTI's next one
    (`<CTI>-<year>-<0001>`), drawn under a lock on the CTI so that two issues never share it."""
    request = _locked(access.get_visible(ValidationRequest, actor, request.pk))
    access.ensure_can(actor, "certify", request)
    if request.decision != Decision.CONFORMING:
        raise refusal(_("Only a conforming decision gives a certificate."), "decision")
    if Certificate.objects.filter(request=request).exists():
        raise refusal(_("This request already has its certificate."), "request")
    cti = Organisation.objects.select_for_update().get(pk=request.delivery.cti_id)
    issued_on = issued_on or timezone.localdate()
    if issued_on > timezone.localdate():
        raise refusal(_("A certificate cannot be issued in the future."), "issued_on",
                      ErrorCode.INVALID)  # fmt: skip
    number = number.strip() or _next_number(cti, issued_on.year)
    if Certificate.objects.filter(cti=cti, number=number).exists():
        raise refusal(_("The CTI already issued a certificate with this number."), "number")
    certificate = Certificate(
        cti=cti, number=number, request=request, holder=request.delivery.company,
        product=request.product, referential=request.referential, scope=scope,
        issued_on=issued_on, valid_until=valid_until, status=CertificateStatus.VALID,
        short_code="".join(secrets.choice(SHORT_CODE_ALPHABET) for _n in range(8)),
    )  # fmt: skip
    return persist(certificate, actor=actor, reason=reason)


def _next_number(cti: Organisation, year: int) -> str:
    prefix = f"{cti.acronym}-{year}-"
    taken = Certificate.objects.filter(cti=cti, number__startswith=prefix).values_list(
        "number", flat=True
    )
    last = max((int(n.removeprefix(prefix)) for n in taken if n.removeprefix(prefix).isdigit()),
               default=0)  # fmt: skip
    return f"{prefix}{last + 1:04d}"


@transaction.atomic
def certificate_status_change(
    *,
    actor: User,
    certificate: Certificate,
    status: str,
    reason: str,
    on: datetime.date | None = None,
) -> Certificate:
    """Suspend or withdraw a certificate (with the reason, which the history keeps and the
    public page does not show)."""
    certificate = access.get_visible(Certificate, actor, certificate.pk)
    if status != CertificateStatus.EXPIRED:
        access.ensure_can(actor, "sanction", certificate, field="status")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not reason.strip():
        raise refusal(_("Say why the certificate's status changes."), "reason", ErrorCode.INVALID)
    current = certificate.current_status
    if status not in CERTIFICATE_TRANSITIONS[current]:
        raise refusal(
            _("A certificate cannot go from “%(old)s” to “%(new)s”: a new decision issues a new "
              "certificate.")
            % {"old": CertificateStatus(current).label,
               "new": CertificateStatus(status).label if status in CertificateStatus.values
               else status},
            "status",
        )  # fmt: skip
    certificate.status = status
    certificate.status_changed_on = on or timezone.localdate()
    certificate.status_reason = reason.strip()
    return persist(certificate, actor=actor, reason=reason)


def certificates_expire(*, actor: User | None, today: datetime.date) -> int:
    """Record the expiry of the certificates whose validity ended (the daily command): each in
    its history, dated the day after its last valid day."""
    expired = Certificate.objects.filter(status=CertificateStatus.VALID, valid_until__lt=today)
    count = 0
    for certificate in expired.iterator():
        with transaction.atomic():
            row = Certificate.objects.select_for_update().get(pk=certificate.pk)
            if row.status != CertificateStatus.VALID:
                continue
            row.status = CertificateStatus.EXPIRED
            row.status_changed_on = row.valid_until + datetime.timedelta(days=1)
            row.status_reason = _("Validity ended on %(date)s.") % {
                "date": row.valid_until.strftime("%d/%m/%Y")
            }
            stamp(row, actor=actor, reason=row.status_reason)
            row.save()
            count += 1
    return count
