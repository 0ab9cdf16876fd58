"""Every state change of plans, axes and agreements, with the rules that guard them."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from pilotage.core import access
from pilotage.core.audit import stamp
from pilotage.core.errors import ErrorCode, ServiceError, refusal
from pilotage.core.files import store_upload
from pilotage.core.models import Organisation, User
from pilotage.core.money import format_mad
from pilotage.core.services import KEEP, change_fields, persist, save_audited, step_date
from pilotage.programmes.models import (
    TRANSITIONS,
    Agreement,
    AgreementDocument,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Amendment,
    Deliverable,
    DeliverableStatus,
    PaymentTranche,
    Programme,
    StrategicAxis,
)

# The CID runs its own contracts and protocols; conventions-cadres and contrats-objectifs are the
# ministry's to write.
CID_KINDS = frozenset({AgreementKind.CONTRAT_SPECIFIQUE, AgreementKind.PROTOCOLE})


# --- plans and axes --------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    actor: User,
    code: str,
    start_year: int,
    end_year: int,
    envelope: Decimal,
    title_fr: str = "",
    title_ar: str = "",
    title_en: str = "",
    title: str = KEEP,  # the active language's title (older clients)
    predecessor: Programme | None = None,
    description: str = "",
    reason: str = "",
) -> Programme:
    access.ensure_can_create(actor, Programme)
    programme = Programme(
        code=code, start_year=start_year, end_year=end_year, envelope=envelope,
        title_fr=title_fr, title_ar=title_ar, title_en=title_en, predecessor=predecessor,
        description=description,
    )  # fmt: skip
    change_fields(programme, title=title)
    return persist(programme, actor=actor, reason=reason)


@transaction.atomic
def programme_update(
    *,
    actor: User,
    programme: Programme,
    code: str = KEEP,
    start_year: int = KEEP,
    end_year: int = KEEP,
    envelope: Decimal = KEEP,
    title_fr: str = KEEP,
    title_ar: str = KEEP,
    title_en: str = KEEP,
    title: str = KEEP,
    predecessor: Programme | None = KEEP,
    description: str = KEEP,
    reason: str = "",
) -> Programme:
    access.get_editable(Programme, actor, programme.pk)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    change_fields(
        programme, code=code, start_year=start_year, end_year=end_year, envelope=envelope,
        title_fr=title_fr, title_ar=title_ar, title_en=title_en, title=title,
        predecessor=predecessor, description=description,
    )  # fmt: skip
    allocated = programme.axes.aggregate(total=Sum("envelope"))["total"] or Decimal(0)
    if programme.envelope < allocated:
        raise ServiceError(
            ErrorCode.CONFLICT,
            field_errors={
                "envelope": [
                    _("The axes already share %(allocated)s: the envelope cannot be smaller.")
                    % {"allocated": format_mad(allocated)}
                ]
            },
        )
    return persist(programme, actor=actor, reason=reason)


def _check_axes_fit(programme: Programme, axis: StrategicAxis) -> None:
    """Σ axis envelopes ≤ plan envelope; says by how much a change would exceed it."""
    others = programme.axes.exclude(pk=axis.pk).aggregate(total=Sum("envelope"))[
        "total"
    ] or Decimal(0)
    excess = others + axis.envelope - programme.envelope
    if excess > 0:
        raise ServiceError(
            ErrorCode.CONFLICT,
            field_errors={
                "envelope": [
                    _("The axes would exceed the plan's envelope of %(envelope)s by %(excess)s.")
                    % {"envelope": format_mad(programme.envelope), "excess": format_mad(excess)}
                ]
            },
        )


@transaction.atomic
def axis_create(
    *,
    actor: User,
    programme: Programme,
    number: int,
    envelope: Decimal,
    title_fr: str = "",
    title_ar: str = "",
    title_en: str = "",
    title: str = KEEP,  # the active language's title (older clients)
    description: str = "",
    reason: str = "",
) -> StrategicAxis:
    access.ensure_can_create(actor, StrategicAxis)
    # The plan row is the lock: two axes added at once cannot both squeeze under the envelope.
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    axis = StrategicAxis(
        programme=programme, number=number, envelope=envelope, title_fr=title_fr,
        title_ar=title_ar, title_en=title_en, description=description,
    )  # fmt: skip
    change_fields(axis, title=title)
    if axis.envelope is not None:
        _check_axes_fit(programme, axis)
    return persist(axis, actor=actor, reason=reason)


@transaction.atomic
def axis_update(
    *,
    actor: User,
    axis: StrategicAxis,
    number: int = KEEP,
    envelope: Decimal = KEEP,
    title_fr: str = KEEP,
    title_ar: str = KEEP,
    title_en: str = KEEP,
    title: str = KEEP,
    description: str = KEEP,
    reason: str = "",
) -> StrategicAxis:
    axis = access.get_editable(StrategicAxis, actor, axis.pk)
    programme = Programme.objects.select_for_update().get(pk=axis.programme_id)
    change_fields(
        axis, number=number, envelope=envelope, title_fr=title_fr, title_ar=title_ar,
        title_en=title_en, title=title, description=description,
    )  # fmt: skip
    if axis.envelope is not None:
        _check_axes_fit(programme, axis)
        _check_axis_covers_allocations(axis)
    return persist(axis, actor=actor, reason=reason)


def _check_axis_covers_allocations(axis: StrategicAxis) -> None:
    """The fund allocates under the axis envelope (under the same plan-row lock): the envelope
    cannot shrink below what is already allocated on it."""
    allocated = axis.allocations.aggregate(total=Sum("allocated"))["total"] or Decimal(0)
    if axis.envelope < allocated:
        raise ServiceError(
            ErrorCode.CONFLICT,
            field_errors={
                "envelope": [
                    _("The fund has already allocated %(allocated)s on this axis.")
                    % {"allocated": format_mad(allocated)}
                ]
            },
        )


# --- agreements ------------------------------------------------------------------------------


def _check_kind_allowed(actor: User, kind: str) -> None:
    if kind not in CID_KINDS:
        access.ensure_can(actor, "write_ministry_kinds", Agreement, field="kind")


def _check_parent(agreement: Agreement) -> None:
    parent = agreement.parent
    while parent is not None:
        if parent.pk == agreement.pk:
            raise ServiceError(
                ErrorCode.INVALID,
                field_errors={"parent": [_("An agreement cannot be its own ancestor.")]},
            )
        parent = parent.parent


@transaction.atomic
def agreement_create(
    *,
    actor: User,
    parties: list[tuple[Organisation, str]],
    kind: str,
    reference: str,
    title: str,
    programme: Programme | None = None,
    parent: Agreement | None = None,
    signed_on: date | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    ceiling: Decimal | None = None,
    description: str = "",
    reason: str = "",
) -> Agreement:
    """A new agreement (draft) with its parties; the actor's own organisation must be reachable:
    the re-check refuses a CID manager creating an agreement the CID is not party to."""
    access.ensure_can_create(actor, Agreement)
    agreement = Agreement(
        status=AgreementStatus.DRAFT, kind=kind, reference=reference, title=title,
        programme=programme, parent=parent, signed_on=signed_on, starts_on=starts_on,
        ends_on=ends_on, ceiling=ceiling, description=description,
    )  # fmt: skip
    _check_kind_allowed(actor, agreement.kind)
    if not parties:
        raise ServiceError(
            ErrorCode.INVALID,
            field_errors={"parties": [_("An agreement needs at least one party.")]},
        )
    save_audited(agreement, actor=actor, reason=reason)
    for organisation, role in parties:
        party = AgreementParty(agreement=agreement, organisation=organisation, role=role)
        save_audited(party, actor=actor, reason=reason)
    # Only now does the agreement belong to its parties' organisations: check it is the actor's.
    access.ensure_editable(actor, agreement)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor: User,
    agreement: Agreement,
    kind: str = KEEP,
    reference: str = KEEP,
    title: str = KEEP,
    programme: Programme | None = KEEP,
    parent: Agreement | None = KEEP,
    signed_on: date | None = KEEP,
    starts_on: date | None = KEEP,
    ends_on: date | None = KEEP,
    ceiling: Decimal | None = KEEP,
    description: str = KEEP,
    reason: str = "",
) -> Agreement:
    access.get_editable(Agreement, actor, agreement.pk)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _check_kind_allowed(actor, agreement.kind if kind is KEEP else kind)
    _check_kind_allowed(actor, agreement.kind)
    if agreement.status == AgreementStatus.CLOSED:
        raise ServiceError(ErrorCode.CONFLICT, _("A closed agreement cannot be changed."))
    change_fields(
        agreement, kind=kind, reference=reference, title=title, programme=programme,
        parent=parent, signed_on=signed_on, starts_on=starts_on, ends_on=ends_on,
        ceiling=ceiling, description=description,
    )  # fmt: skip
    _check_parent(agreement)
    return persist(agreement, actor=actor, reason=reason)


@transaction.atomic
def agreement_transition(
    *, actor: User, agreement: Agreement, status: str, reason: str = ""
) -> Agreement:
    """Move an agreement along its lifecycle: draft → signed → in force → closed; suspended."""
    access.get_editable(Agreement, actor, agreement.pk)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _check_kind_allowed(actor, agreement.kind)
    if status not in TRANSITIONS[agreement.status]:
        raise ServiceError(
            ErrorCode.CONFLICT,
            _("An agreement cannot go from “%(old)s” to “%(new)s”.")
            % {
                "old": AgreementStatus(agreement.status).label,
                "new": AgreementStatus(status).label
                if status in AgreementStatus.values
                else status,
            },
        )
    if status == AgreementStatus.SIGNED and agreement.signed_on is None:
        raise ServiceError(
            ErrorCode.INVALID, field_errors={"signed_on": [_("Give the signature date first.")]}
        )
    if status == AgreementStatus.SUSPENDED and not reason.strip():
        raise ServiceError(
            ErrorCode.INVALID, field_errors={"reason": [_("Say why the agreement is suspended.")]}
        )
    agreement.status = status
    return persist(agreement, actor=actor, reason=reason)


@transaction.atomic
def party_add(
    *, actor: User, agreement: Agreement, organisation: Organisation, role: str, reason: str = ""
) -> AgreementParty:
    agreement = access.get_editable(Agreement, actor, agreement.pk)
    _check_kind_allowed(actor, agreement.kind)
    if agreement.parties.filter(organisation=organisation, role=role).exists():
        raise ServiceError(
            ErrorCode.CONFLICT,
            field_errors={"organisation": [_("This organisation already has this role here.")]},
        )
    return persist(
        AgreementParty(agreement=agreement, organisation=organisation, role=role),
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def party_remove(*, actor: User, party: AgreementParty, reason: str = "") -> None:
    party = access.get_editable(AgreementParty, actor, party.pk)
    _check_kind_allowed(actor, party.agreement.kind)
    if party.agreement.status != AgreementStatus.DRAFT:
        raise ServiceError(
            ErrorCode.CONFLICT, _("Parties of a signed agreement change only by an amendment.")
        )
    if party.agreement.parties.count() == 1:
        raise ServiceError(ErrorCode.CONFLICT, _("An agreement needs at least one party."))
    stamp(party, actor=actor, reason=reason)
    party.delete()


@transaction.atomic
def amendment_create(
    *,
    actor: User,
    agreement: Agreement,
    kind: str,
    signed_on: date,
    reason: str,
    new_ceiling: Decimal | None = None,
    new_ends_on: date | None = None,
) -> Amendment:
    """Number the next amendment and apply what it changes to the agreement, in one transaction."""
    access.get_editable(Agreement, actor, agreement.pk)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _check_kind_allowed(actor, agreement.kind)
    if agreement.status in (AgreementStatus.DRAFT, AgreementStatus.CLOSED):
        raise ServiceError(
            ErrorCode.CONFLICT, _("Only a signed agreement, not yet closed, can be amended.")
        )
    number = (agreement.amendments.aggregate(last=Max("number"))["last"] or 0) + 1
    amendment = Amendment(
        agreement=agreement,
        number=number,
        kind=kind,
        signed_on=signed_on,
        reason=reason,
        new_ceiling=new_ceiling,
        new_ends_on=new_ends_on,
    )
    persist(amendment, actor=actor, reason=reason)
    if new_ceiling is not None or new_ends_on is not None:
        if new_ceiling is not None:
            agreement.ceiling = new_ceiling
        if new_ends_on is not None:
            agreement.ends_on = new_ends_on
        persist(agreement, actor=actor, reason=str(amendment))
    return amendment


@transaction.atomic
def document_attach(
    *,
    actor: User,
    agreement: Agreement,
    title: str,
    upload: UploadedFile,
    amendment: Amendment | None = None,
) -> AgreementDocument:
    agreement = access.get_editable(Agreement, actor, agreement.pk)
    if amendment is not None and amendment.agreement_id != agreement.pk:
        raise ServiceError(
            ErrorCode.INVALID,
            field_errors={"amendment": [_("This amendment belongs to another agreement.")]},
        )
    document = AgreementDocument(agreement=agreement, amendment=amendment, title=title)
    store_upload(document, upload)
    persist(document, actor=actor)
    return document


# --- a contract's modalities: deliverables and payment tranches -------------------------------


def _open_contract(agreement: Agreement, field: str = "agreement") -> None:
    if agreement.status == AgreementStatus.CLOSED:
        raise refusal(_("A closed agreement cannot be changed."), field, ErrorCode.CONFLICT)


@transaction.atomic
def deliverable_create(
    *,
    actor: User,
    agreement: Agreement,
    title: str,
    due_on: date,
    description: str = "",
    reason: str = "",
) -> Deliverable:
    access.ensure_can_create(actor, Deliverable)
    agreement = access.get_editable(Agreement, actor, agreement.pk)
    _open_contract(agreement)
    deliverable = Deliverable(agreement=agreement, title=title, due_on=due_on,
                              description=description)  # fmt: skip
    return persist(deliverable, actor=actor, reason=reason)


@transaction.atomic
def deliverable_update(
    *,
    actor: User,
    deliverable: Deliverable,
    agreement: Agreement = KEEP,
    title: str = KEEP,
    due_on: date = KEEP,
    description: str = KEEP,
    reason: str = "",
) -> Deliverable:
    access.get_editable(Deliverable, actor, deliverable.pk)
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if agreement is not KEEP and agreement != deliverable.agreement:
        raise refusal(_("A deliverable stays with its agreement."), "agreement")
    if deliverable.status == DeliverableStatus.ACCEPTED:
        raise refusal(_("An accepted deliverable cannot be changed."), "title", ErrorCode.CONFLICT)
    _open_contract(deliverable.agreement, "title")
    change_fields(deliverable, title=title, due_on=due_on, description=description)
    return persist(deliverable, actor=actor, reason=reason)


@transaction.atomic
def deliverable_deliver(
    *, actor: User, deliverable: Deliverable, on: date | None = None, note: str = ""
) -> Deliverable:
    """The contractor hands the deliverable over (again, after a rejection)."""
    deliverable = access.get_visible(Deliverable, actor, deliverable.pk)
    access.ensure_can(actor, "deliver", deliverable, field="on")
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if deliverable.status not in (DeliverableStatus.DUE, DeliverableStatus.REJECTED):
        raise refusal(_("This deliverable is already delivered."), "on", ErrorCode.CONFLICT)
    _open_contract(deliverable.agreement, "on")
    deliverable.delivered_on = step_date(on, deliverable.reviewed_on)
    deliverable.status = DeliverableStatus.DELIVERED
    return save_audited(deliverable, actor=actor, reason=note)


@transaction.atomic
def deliverable_review(
    *,
    actor: User,
    deliverable: Deliverable,
    outcome: str,
    on: date | None = None,
    note: str = "",
) -> Deliverable:
    """Accept a delivered deliverable (releasing the tranches it completes) or reject it with
    the reason, for the contractor to deliver again."""
    deliverable = access.get_visible(Deliverable, actor, deliverable.pk)
    access.ensure_can(actor, "review", deliverable, field="outcome")
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if deliverable.status != DeliverableStatus.DELIVERED:
        raise refusal(_("Only a delivered deliverable is accepted or rejected."), "outcome",
                      ErrorCode.CONFLICT)  # fmt: skip
    if outcome not in (DeliverableStatus.ACCEPTED, DeliverableStatus.REJECTED):
        raise refusal(_("Accept or reject the deliverable."), "outcome", ErrorCode.INVALID)
    if outcome == DeliverableStatus.REJECTED and not note.strip():
        raise refusal(_("Say why the deliverable is rejected."), "note", ErrorCode.INVALID)
    deliverable.reviewed_on = step_date(on, deliverable.delivered_on)
    deliverable.status, deliverable.review_note = outcome, note.strip()
    return save_audited(deliverable, actor=actor, reason=note)


def _check_tranche(tranche: PaymentTranche, deliverables: list[Deliverable]) -> None:
    """A tranche names at least one deliverable of its own contract, and the schedule stays
    within the contract's ceiling (checked on the contract's row, locked by the caller)."""
    if not deliverables:
        raise refusal(_("Name the deliverables whose acceptance releases this tranche."),
                      "deliverables", ErrorCode.INVALID)  # fmt: skip
    if any(d.agreement_id != tranche.agreement_id for d in deliverables):
        raise refusal(_("A tranche is released by deliverables of its own contract."),
                      "deliverables", ErrorCode.INVALID)  # fmt: skip
    ceiling = tranche.agreement.ceiling
    if ceiling is None:
        return
    others = PaymentTranche.objects.filter(agreement=tranche.agreement).exclude(pk=tranche.pk)
    scheduled = (others.aggregate(total=Sum("amount"))["total"] or 0) + tranche.amount
    if scheduled > ceiling:
        raise refusal(
            _("The payment schedule would reach %(scheduled)s, above the contract's ceiling of "
              "%(ceiling)s.") % {"scheduled": format_mad(scheduled), "ceiling": format_mad(ceiling)},
            "amount", ErrorCode.CONFLICT,
        )  # fmt: skip


@transaction.atomic
def tranche_create(
    *,
    actor: User,
    agreement: Agreement,
    amount: Decimal,
    deliverables: list[Deliverable],
    number: int | None = None,
    planned_on: date | None = None,
    reason: str = "",
) -> PaymentTranche:
    access.ensure_can_create(actor, PaymentTranche)
    access.get_editable(Agreement, actor, agreement.pk)
    # The contract's row is the lock: two tranches added at once cannot pass its ceiling together.
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _open_contract(agreement)
    if number is None:
        number = (agreement.tranches.aggregate(last=Max("number"))["last"] or 0) + 1
    tranche = PaymentTranche(agreement=agreement, number=number, amount=amount,
                             planned_on=planned_on)  # fmt: skip
    deliverables = list(deliverables)
    _check_tranche(tranche, deliverables)
    return persist(tranche, actor=actor, reason=reason, m2m={"deliverables": deliverables})


@transaction.atomic
def tranche_update(
    *,
    actor: User,
    tranche: PaymentTranche,
    agreement: Agreement = KEEP,
    amount: Decimal = KEEP,
    deliverables: list[Deliverable] = KEEP,
    number: int = KEEP,
    planned_on: date | None = KEEP,
    reason: str = "",
) -> PaymentTranche:
    access.get_editable(PaymentTranche, actor, tranche.pk)
    if agreement is not KEEP and agreement.pk != tranche.agreement_id:
        raise refusal(_("A tranche stays with its contract."), "agreement")
    Agreement.objects.select_for_update().get(pk=tranche.agreement_id)
    tranche = PaymentTranche.objects.select_for_update().get(pk=tranche.pk)
    if tranche.paid_on:
        raise refusal(_("A paid tranche cannot be changed."), "amount", ErrorCode.CONFLICT)
    _open_contract(tranche.agreement, "amount")
    change_fields(tranche, amount=amount, number=number, planned_on=planned_on)
    named = list(tranche.deliverables.all()) if deliverables is KEEP else list(deliverables)
    _check_tranche(tranche, named)
    m2m: dict[str, Any] = {} if deliverables is KEEP else {"deliverables": named}
    return persist(tranche, actor=actor, reason=reason, m2m=m2m)


@transaction.atomic
def tranche_pay(
    *,
    actor: User,
    tranche: PaymentTranche,
    payment_reference: str,
    on: date | None = None,
    reason: str = "",
) -> PaymentTranche:
    """Record a released tranche as paid, on or after the acceptance that released it."""
    tranche = access.get_visible(PaymentTranche, actor, tranche.pk)
    access.ensure_can(actor, "pay", tranche, field="payment_reference")
    tranche = PaymentTranche.objects.select_for_update().get(pk=tranche.pk)
    if tranche.paid_on:
        raise refusal(_("This tranche is already paid."), "payment_reference", ErrorCode.CONFLICT)
    if not tranche.is_released:
        raise refusal(
            _("This tranche is not released: its deliverables are not all accepted."),
            "payment_reference", ErrorCode.CONFLICT,
        )  # fmt: skip
    if not payment_reference.strip():
        raise refusal(_("Give the payment's reference."), "payment_reference", ErrorCode.INVALID)
    released_on = max(d.reviewed_on for d in tranche.deliverables.all() if d.reviewed_on)
    tranche.paid_on = step_date(on, released_on)
    tranche.payment_reference = payment_reference.strip()
    return save_audited(tranche, actor=actor, reason=reason)
