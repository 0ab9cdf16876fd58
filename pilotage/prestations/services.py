"""Every state change of the services register: companies (ICE checked), catalogue offerings,
service requests from the public catalogue (accept / decline with a reason / turn into a
delivery) and deliveries."""

import datetime
import logging
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.ma import ice as stdnum_ice

from pilotage.core import access
from pilotage.core.errors import ErrorCode, ServiceError, refusal
from pilotage.core.files import check_upload, sha256_of
from pilotage.core.models import NotificationKind, Organisation, User
from pilotage.core.notifications import notify, people_of
from pilotage.core.roles import CTI_ROLES, OrganisationKind
from pilotage.core.services import KEEP, change_fields, persist, save_audited
from pilotage.core.tabular import TABULAR_EXTENSIONS
from pilotage.prestations.ice import IceProblem, ice_check, ice_message
from pilotage.prestations.imports import service_import_run
from pilotage.prestations.models import (
    Company,
    Funding,
    ImportKind,
    RequestStatus,
    ServiceDelivery,
    ServiceImport,
    ServiceOffering,
    ServiceRequest,
)

logger = logging.getLogger(__name__)

# --- ICE ---------------------------------------------------------------------------------------


def _checked_ice(actor: Any, number: str, override_reason: str) -> tuple[str, str]:
    """The ICE to store and the override reason to keep (empty unless the checksum failed)."""
    ice, problem = ice_check(number)
    if problem == IceProblem.FORMAT:
        raise refusal(ice_message(problem), "ice", code=ErrorCode.INVALID)
    if problem == IceProblem.CHECKSUM:
        if not override_reason.strip():
            raise refusal(ice_message(problem), "ice", code=ErrorCode.INVALID)
        access.ensure_can(actor, "override_ice", Company, field="ice_override_reason")
        return ice, override_reason.strip()
    return ice, ""


# --- companies ---------------------------------------------------------------------------------


def company_by_ice(ice: str) -> Company | None:
    """The company registered under this ICE, whoever registered it: a CTI serving a company
    another CTI registered attaches its delivery to the same row (one company, one ICE)."""
    compact, _problem = ice_check(ice)
    return Company.objects.filter(ice=compact).first()


def _cti_of(actor: Any) -> Organisation | None:
    """The actor's own CTI (the one a CTI user registers companies for)."""
    grants = [g for g in access.grants_of(actor) if g.role in CTI_ROLES]
    return Organisation.objects.filter(pk=grants[0].organisation_id).first() if grants else None


@transaction.atomic
def company_register(
    *,
    actor: User,
    ice: str,
    ice_override_reason: str = "",
    name: str,
    size_class: str,
    region: str,
    name_ar: str = "",
    legal_form: str = "",
    sector: str = "",
    city: str = "",
    registered_by: Organisation | None = None,
    reason: str = "",
) -> Company:
    """Register a company by its ICE; an ICE already registered is a duplicate (409)."""
    access.ensure_can_create(actor, Company)
    number, override = _checked_ice(actor, ice, ice_override_reason)
    if Company.objects.filter(ice=number).exists():
        raise refusal(
            _("A company with this ICE is already registered: record the service for it."),
            "ice",
            ErrorCode.CONFLICT,
        )
    company = Company(
        ice=number,
        ice_override_reason=override,
        registered_by=registered_by or _cti_of(actor),
        name=name, size_class=size_class, region=region, name_ar=name_ar,
        legal_form=legal_form, sector=sector, city=city,
    )  # fmt: skip
    return persist(company, actor=actor, reason=override or reason)


@transaction.atomic
def company_update(
    *,
    actor: User,
    company: Company,
    ice: str = KEEP,
    ice_override_reason: str = "",
    name: str = KEEP,
    size_class: str = KEEP,
    region: str = KEEP,
    name_ar: str = KEEP,
    legal_form: str = KEEP,
    sector: str = KEEP,
    city: str = KEEP,
    reason: str = "",
) -> Company:
    company = access.get_editable(Company, actor, company.pk)
    company = Company.objects.select_for_update().get(pk=company.pk)
    if ice is not KEEP and stdnum_ice.compact(ice) != company.ice:
        number, override = _checked_ice(actor, ice, ice_override_reason)
        if Company.objects.filter(ice=number).exclude(pk=company.pk).exists():
            raise refusal(
                _("A company with this ICE is already registered."),
                "ice",
                ErrorCode.CONFLICT,
            )
        company.ice, company.ice_override_reason = number, override
        reason = override or reason
    change_fields(
        company, name=name, size_class=size_class, region=region, name_ar=name_ar,
        legal_form=legal_form, sector=sector, city=city,
    )  # fmt: skip
    return persist(company, actor=actor, reason=reason)


# --- catalogue ---------------------------------------------------------------------------------


def _check_cti(organisation: Organisation | None, field: str = "cti") -> None:
    if organisation is None or organisation.kind != OrganisationKind.CTI:
        raise refusal(_("Choose a CTI."), field, code=ErrorCode.INVALID)


@transaction.atomic
def offering_create(
    *,
    actor: User,
    cti: Organisation,
    code: str,
    category: str,
    title: str,
    sector: str = "",
    title_ar: str = "",
    title_en: str = "",
    description: str = "",
    description_ar: str = "",
    description_en: str = "",
    pricing: str = "",
    lead_time: str = "",
    accreditation: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    is_public: bool = False,
    is_active: bool = True,
    reason: str = "",
) -> ServiceOffering:
    """Add an entry to a CTI's catalogue (its own CTI for CTI staff: re-checked)."""
    access.ensure_can_create(actor, ServiceOffering)
    _check_cti(cti)
    offering = ServiceOffering(
        cti=cti, code=code, category=category, title=title, sector=sector, title_ar=title_ar,
        title_en=title_en, description=description, description_ar=description_ar,
        description_en=description_en, pricing=pricing, lead_time=lead_time,
        accreditation=accreditation, contact_email=contact_email, contact_phone=contact_phone,
        is_public=is_public, is_active=is_active,
    )  # fmt: skip
    return persist(offering, actor=actor, reason=reason)


@transaction.atomic
def offering_update(
    *,
    actor: User,
    offering: ServiceOffering,
    cti: Organisation = KEEP,
    code: str = KEEP,
    category: str = KEEP,
    title: str = KEEP,
    sector: str = KEEP,
    title_ar: str = KEEP,
    title_en: str = KEEP,
    description: str = KEEP,
    description_ar: str = KEEP,
    description_en: str = KEEP,
    pricing: str = KEEP,
    lead_time: str = KEEP,
    accreditation: str = KEEP,
    contact_email: str = KEEP,
    contact_phone: str = KEEP,
    is_public: bool = KEEP,
    is_active: bool = KEEP,
    reason: str = "",
) -> ServiceOffering:
    offering = access.get_editable(ServiceOffering, actor, offering.pk)
    change_fields(
        offering, cti=cti, code=code, category=category, title=title, sector=sector,
        title_ar=title_ar, title_en=title_en, description=description,
        description_ar=description_ar, description_en=description_en, pricing=pricing,
        lead_time=lead_time, accreditation=accreditation, contact_email=contact_email,
        contact_phone=contact_phone, is_public=is_public, is_active=is_active,
    )  # fmt: skip
    _check_cti(offering.cti if offering.cti_id else None)
    return persist(offering, actor=actor, reason=reason)


# --- deliveries --------------------------------------------------------------------------------


def _check_delivery(delivery: ServiceDelivery) -> None:
    _check_cti(delivery.cti if delivery.cti_id else None)
    offering = delivery.offering
    if offering is not None:
        if offering.cti_id != delivery.cti_id:
            raise refusal(
                _("This service belongs to another CTI's catalogue."),
                "offering",
                code=ErrorCode.INVALID,
            )
        delivery.category = offering.category  # the catalogue entry decides
    if not delivery.category:
        raise refusal(
            _("Choose a catalogue service or a category."), "category", code=ErrorCode.INVALID
        )
    duplicate = ServiceDelivery.objects.filter(cti=delivery.cti_id, reference=delivery.reference)
    if duplicate.exclude(pk=delivery.pk).exists():
        raise refusal(
            _("This CTI already recorded a delivery with this reference."),
            "reference",
            ErrorCode.CONFLICT,
        )


@transaction.atomic
def delivery_create(
    *,
    actor: User,
    cti: Organisation,
    reference: str,
    company: Company,
    started_on: datetime.date,
    category: str = "",
    offering: ServiceOffering | None = None,
    title: str = "",
    ended_on: datetime.date | None = None,
    amount_invoiced: Decimal = Decimal(0),
    funding: str = Funding.PAID,
    task_force_project: str = "",
    satisfaction: int | None = None,
    request: ServiceRequest | None = None,
    reason: str = "",
) -> ServiceDelivery:
    """Record a delivery (`request`: the catalogue request it answers, set by the conversion)."""
    access.ensure_can_create(actor, ServiceDelivery)
    delivery = ServiceDelivery(
        cti=cti, reference=reference, company=company, started_on=started_on, category=category,
        offering=offering, title=title, ended_on=ended_on, amount_invoiced=amount_invoiced,
        funding=funding, task_force_project=task_force_project, satisfaction=satisfaction,
        request=request,
    )  # fmt: skip
    _check_delivery(delivery)
    return persist(delivery, actor=actor, reason=reason)


@transaction.atomic
def delivery_update(
    *,
    actor: User,
    delivery: ServiceDelivery,
    cti: Organisation = KEEP,
    reference: str = KEEP,
    company: Company = KEEP,
    started_on: datetime.date = KEEP,
    category: str = KEEP,
    offering: ServiceOffering | None = KEEP,
    title: str = KEEP,
    ended_on: datetime.date | None = KEEP,
    amount_invoiced: Decimal = KEEP,
    funding: str = KEEP,
    task_force_project: str = KEEP,
    satisfaction: int | None = KEEP,
    reason: str = "",
) -> ServiceDelivery:
    delivery = access.get_editable(ServiceDelivery, actor, delivery.pk)
    delivery = ServiceDelivery.objects.select_for_update().get(pk=delivery.pk)
    change_fields(
        delivery, cti=cti, reference=reference, company=company, started_on=started_on,
        category=category, offering=offering, title=title, ended_on=ended_on,
        amount_invoiced=amount_invoiced, funding=funding, task_force_project=task_force_project,
        satisfaction=satisfaction,
    )  # fmt: skip
    _check_delivery(delivery)
    return persist(delivery, actor=actor, reason=reason)


# --- requests from the public catalogue --------------------------------------------------------


@transaction.atomic
def service_request_send(
    *,
    offering: ServiceOffering,
    company_name: str,
    contact_name: str,
    email: str,
    message: str,
    ice: str = "",
    phone: str = "",
    language: str = "fr",
) -> ServiceRequest:
    """A visitor (no account) asks a CTI for a published service. The anti-spam checks (honeypot,
    rate limit per address) happen before, in the public view; here only the data is checked."""
    published = ServiceOffering.objects.visible_to(None).filter(pk=offering.pk).first()
    if published is None:
        raise ServiceError(ErrorCode.NOT_FOUND)
    offering = published
    request = ServiceRequest(
        offering=offering,
        cti_id=offering.cti_id,
        language=language[:5],
        company_name=company_name.strip(), contact_name=contact_name.strip(),
        email=email.strip(), message=message.strip(), ice=(ice or "").strip(),
        phone=(phone or "").strip(),
    )  # fmt: skip
    if request.ice:
        request.ice, problem = ice_check(request.ice)
        # Checked before anything is sent: a CTI cannot serve a company it cannot identify, and
        # nobody on a public page may wave a wrong number through.
        if problem == IceProblem.FORMAT:
            raise refusal(ice_message(problem), "ice", code=ErrorCode.INVALID)
        if problem == IceProblem.CHECKSUM:
            raise refusal(
                _("This ICE is not valid: check its 15 digits, or leave the field empty."),
                "ice", code=ErrorCode.INVALID,
            )  # fmt: skip
    # Nobody is signed in: the history records no user, and there is nothing to re-check.
    # Sent from a public page: nobody is its author, even if the sender happens to be signed in
    # (simple-history takes an explicit None over the request's user).
    request._history_user = None  # type: ignore[attr-defined]
    save_audited(request, actor=None, reason=_("Sent from the public catalogue"))
    notify(
        recipients=people_of([request.cti_id], CTI_ROLES), kind=NotificationKind.REQUEST_RECEIVED,
        subject=f"requests:{request.cti_id}", link=request.get_absolute_url(),
        params={"company": request.company_name, "title": offering.title},
    )  # fmt: skip
    from pilotage.prestations.tasks import send_request_receipt

    transaction.on_commit(lambda: send_request_receipt.enqueue(request_id=request.pk))
    return request


FOLLOW_SALT = "pilotage.prestations.request-follow"


def request_follow_token(request: ServiceRequest) -> str:
    """What the company's link carries: the request's id, signed (no guessing another's)."""
    return signing.dumps(request.pk, salt=FOLLOW_SALT)


def request_from_follow_token(token: str) -> ServiceRequest | None:
    try:
        pk = signing.loads(token, salt=FOLLOW_SALT)
    except signing.BadSignature:
        return None
    return ServiceRequest.objects.select_related("offering", "cti").filter(pk=pk).first()


def _open_request(actor: User, request: ServiceRequest) -> ServiceRequest:
    request = access.get_editable(ServiceRequest, actor, request.pk)
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status in (RequestStatus.DECLINED, RequestStatus.CONVERTED):
        raise refusal(_("This request was already answered."), code=ErrorCode.CONFLICT)
    return request


def _decide(request: ServiceRequest, actor: User, status: str, reason: str = "") -> None:
    request.status = status
    request.decision_reason = reason
    request.decided_by, request.decided_at = actor, timezone.now()
    persist(request, actor=actor, reason=reason)


@transaction.atomic
def service_request_fix_ice(*, actor: User, request: ServiceRequest, ice: str) -> ServiceRequest:
    """Correct the ICE a visitor typed (the CTI checked it with the company): the request then
    points at the registered company, or pre-fills the company to register."""
    request = _open_request(actor, request)
    compact, problem = ice_check(ice)
    if problem:
        raise refusal(ice_message(problem), "ice", code=ErrorCode.INVALID)
    before = request.ice
    request.ice = compact
    persist(
        request, actor=actor, reason=_("ICE corrected (was %(before)s)") % {"before": before or "—"}
    )
    return request


@transaction.atomic
def service_request_accept(*, actor: User, request: ServiceRequest) -> ServiceRequest:
    request = _open_request(actor, request)
    if request.status != RequestStatus.NEW:
        raise refusal(_("This request was already accepted."), code=ErrorCode.CONFLICT)
    _decide(request, actor, RequestStatus.ACCEPTED)
    return request


@transaction.atomic
def service_request_decline(*, actor: User, request: ServiceRequest, reason: str) -> ServiceRequest:
    request = _open_request(actor, request)
    if not reason.strip():
        raise refusal(_("Say why the request is declined."), "reason", code=ErrorCode.INVALID)
    _decide(request, actor, RequestStatus.DECLINED, reason.strip())
    return request


@transaction.atomic
def service_request_convert(
    *,
    actor: User,
    request: ServiceRequest,
    company: Company,
    reference: str,
    started_on: datetime.date,
    amount_invoiced: Decimal = Decimal(0),
    reason: str = "",
) -> ServiceDelivery:
    """Turn a request into a delivery of the requested service to a registered company."""
    request = _open_request(actor, request)
    delivery = delivery_create(
        actor=actor,
        cti=request.cti,
        offering=request.offering,
        category=request.offering.category,
        title=request.offering.title,
        company=company,
        reference=reference,
        started_on=started_on,
        amount_invoiced=amount_invoiced,
        reason=reason,
        request=request,
    )
    _decide(request, actor, RequestStatus.CONVERTED, reason)
    return delivery


# --- imports -----------------------------------------------------------------------------------

# Files up to this size are checked and saved during the request; larger ones in the background.
INLINE_IMPORT_BYTES = 256 * 1024


@transaction.atomic
def service_import_start(*, actor: User, cti: Organisation, kind: str, upload) -> ServiceImport:
    """Keep the file and run the import: at once for a small file, in the background otherwise
    (the page then shows its progress and the sender gets an e-mail when it is done)."""
    access.ensure_can_create(actor, ServiceImport)
    _check_cti(cti)
    target = ServiceDelivery if kind == ImportKind.DELIVERIES else Company
    if not access.can_write_for(actor, target, cti):
        raise ServiceError(ErrorCode.FORBIDDEN)
    if upload is None:
        raise refusal(_("Choose the file to send."), "file", code=ErrorCode.INVALID)
    check_upload(upload, extensions=TABULAR_EXTENSIONS)
    job = ServiceImport(cti=cti, kind=kind, created_by=actor, title=upload.name[:255])
    job.sha256, job.size, job.file = sha256_of(upload), upload.size, upload
    persist(job, actor=actor)
    if upload.size <= INLINE_IMPORT_BYTES:
        try:
            service_import_run(import_id=job.pk)
        except ServiceError:
            # The row is rolled back with the request; the stored copy must go with it.
            job.file.delete(save=False)
            raise
        job.refresh_from_db()
    else:
        from pilotage.prestations.tasks import run_service_import

        transaction.on_commit(lambda: run_service_import.enqueue(import_id=job.pk))
    return job
