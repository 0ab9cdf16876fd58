"""Every state change of organisations, people and tokens; the shared save path other apps use too."""

import datetime
from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pilotage.core import access, two_factor
from pilotage.core.audit import save_as_one_change, stamp
from pilotage.core.errors import ErrorCode, ServiceError, refusal
from pilotage.core.models import (
    TOKEN_PREFIX,
    ApiToken,
    Membership,
    Notification,
    NotificationKind,
    NotificationPreference,
    Organisation,
    User,
    hash_token,
)
from pilotage.core.roles import ROLE_ORGANISATION_KINDS, OrganisationKind, Role
from pilotage.core.tasks import send_invitation

M = TypeVar("M", bound=models.Model)

# --- the shared save path --------------------------------------------------------------------


def invalid(exc: ValidationError) -> ServiceError:
    """A model ValidationError as the application error, field by field."""
    if hasattr(exc, "error_dict"):
        errors = {
            ("__all__" if field == NON_FIELD_ERRORS else field): [str(m) for m in messages]
            for field, messages in exc.message_dict.items()
        }
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    return ServiceError(ErrorCode.INVALID, field_errors=errors)


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


# The default of every field an update service takes: "leave it as it is". Typed as Any so that
# `code: str = KEEP` still declares the field's own type.
KEEP: Any = _Keep()


def change_fields(obj: models.Model, **values: Any) -> None:
    """Set on the row the fields a service was given (those not left at KEEP).

    A translated field may come both as `name` (the active language's text, as the API reads it)
    and as `name_fr`/`name_ar`/`name_en`: the per-language values are set first, then `name` only
    if it differs from what it read before, so a body read, edited and sent back keeps its edit.
    """
    given = {name: value for name, value in values.items() if value is not KEEP}
    columns = {field.name for field in obj._meta.fields}
    translated = {
        name: getattr(obj, name)
        for name in given
        if f"{name}_fr" in columns and f"{name}_ar" in columns
    }
    for name, value in given.items():
        if name not in translated:
            setattr(obj, name, value)
    for name, before in translated.items():
        if given[name] != before:
            setattr(obj, name, given[name])


def save_audited(
    obj: M,
    *,
    actor: Any,
    reason: str = "",
    m2m: dict[str, Iterable[Any]] | None = None,
) -> M:
    """Validate, then save with who and why for the history (many-to-many fields included, as one
    history record). Services that build several rows re-check access once all exist."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise invalid(exc) from None
    stamp(obj, actor=actor, reason=reason)
    try:
        # A savepoint, so that a row saved by a concurrent request in the meantime (the same
        # reference posted twice at once passes `full_clean` in both) is told, not a 500.
        with transaction.atomic():
            if m2m:
                save_as_one_change(obj, m2m)
            else:
                obj.save()
    except IntegrityError:
        try:
            obj.validate_unique()
        except ValidationError as exc:
            raise ServiceError(ErrorCode.CONFLICT, field_errors=invalid(exc).field_errors) from None
        raise
    return obj


def persist(
    obj: M,
    *,
    actor: Any,
    reason: str = "",
    m2m: dict[str, Iterable[Any]] | None = None,
) -> M:
    """`save_audited`, then re-check that the saved row is one the actor may change: outside
    their reach, the whole transaction rolls back. Call inside `transaction.atomic()`."""
    save_audited(obj, actor=actor, reason=reason, m2m=m2m)
    access.ensure_editable(actor, obj)
    return obj


# --- organisations ---------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    actor: User,
    acronym: str,
    kind: str,
    name_fr: str = "",
    name_ar: str = "",
    name_en: str = "",
    name: str = KEEP,  # the active language's name (older clients)
    sector: str = "",
    city: str = "",
    region: str = "",
    website: str = "",
    email: str = "",
    description: str = "",
    is_active: bool = True,
    federations: Iterable[Organisation] = (),
    reason: str = "",
) -> Organisation:
    access.ensure_can_create(actor, Organisation)
    organisation = Organisation(
        acronym=acronym, kind=kind, name_fr=name_fr, name_ar=name_ar, name_en=name_en,
        sector=sector, city=city, region=region, website=website, email=email,
        description=description, is_active=is_active,
    )  # fmt: skip
    change_fields(organisation, name=name)
    _check_federations(organisation, federations)
    return persist(organisation, actor=actor, reason=reason, m2m={"federations": federations})


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    acronym: str = KEEP,
    kind: str = KEEP,
    name_fr: str = KEEP,
    name_ar: str = KEEP,
    name_en: str = KEEP,
    name: str = KEEP,
    sector: str = KEEP,
    city: str = KEEP,
    region: str = KEEP,
    website: str = KEEP,
    email: str = KEEP,
    description: str = KEEP,
    is_active: bool = KEEP,
    federations: Iterable[Organisation] | None = None,  # None: as they are
    reason: str = "",
) -> Organisation:
    organisation = access.get_editable(Organisation, actor, organisation.pk)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if kind is not KEEP and kind != organisation.kind:
        _check_kind_change(organisation, kind, federations)
    change_fields(
        organisation, acronym=acronym, kind=kind, name_fr=name_fr, name_ar=name_ar,
        name_en=name_en, name=name, sector=sector, city=city, region=region, website=website,
        email=email, description=description, is_active=is_active,
    )  # fmt: skip
    m2m = {}
    if federations is not None:
        _check_federations(organisation, federations)
        m2m["federations"] = federations
    return persist(organisation, actor=actor, reason=reason, m2m=m2m)


def _check_kind_change(organisation: Organisation, kind: str, federations) -> None:
    """A new kind must still fit what hangs on the organisation: its members' roles, the CTIs it
    co-manages (a federation), the federations it has (a CTI)."""
    problems = []
    if kind != OrganisationKind.FEDERATION and organisation.member_ctis.exists():
        problems.append(_("It co-manages CTIs: detach them first."))
    keeps_federations = organisation.federations.exists() if federations is None else federations
    if kind != OrganisationKind.CTI and keeps_federations:
        problems.append(_("It is attached to federations: detach them first."))
    for role in organisation.memberships.values_list("role", flat=True).distinct():
        kinds = ROLE_ORGANISATION_KINDS[Role(role)]
        if kinds is not None and kind not in kinds:
            problems.append(
                _("Some of its members hold the role “%(role)s”, which does not fit this kind.")
                % {"role": Role(role).label}
            )
    if problems:
        raise ServiceError(ErrorCode.CONFLICT, field_errors={"kind": problems})


def _check_federations(organisation: Organisation, federations: Iterable[Organisation]) -> None:
    federations = list(federations)
    if federations and organisation.kind != OrganisationKind.CTI:
        raise ServiceError(
            ErrorCode.INVALID,
            field_errors={"federations": [_("Only a CTI can be attached to federations.")]},
        )
    if any(f.kind != OrganisationKind.FEDERATION for f in federations):
        raise ServiceError(
            ErrorCode.INVALID,
            field_errors={"federations": [_("Choose federations only.")]},
        )


# --- people ----------------------------------------------------------------------------------


def _check_role_fits(organisation: Organisation, role: str) -> None:
    kinds = ROLE_ORGANISATION_KINDS[Role(role)]
    if kinds is not None and organisation.kind not in kinds:
        raise ServiceError(
            ErrorCode.INVALID,
            field_errors={
                "role": [
                    _("The role “%(role)s” cannot be held in an organisation of kind “%(kind)s”.")
                    % {"role": Role(role).label, "kind": organisation.get_kind_display()}
                ]
            },
        )


def _forget_cached_grants(user: User) -> None:
    user.__dict__.pop("_access_grants", None)


@transaction.atomic
def membership_create(
    *, actor: User, user: User, organisation: Organisation, role: str, reason: str = ""
) -> Membership:
    access.ensure_can_create(actor, Membership)
    _check_role_fits(organisation, role)
    if Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
        raise ServiceError(
            ErrorCode.CONFLICT,
            field_errors={"role": [_("This person already holds this role there.")]},
        )
    membership = persist(
        Membership(user=user, organisation=organisation, role=role), actor=actor, reason=reason
    )
    _forget_cached_grants(user)
    return membership


@transaction.atomic
def membership_delete(*, actor: User, membership: Membership, reason: str = "") -> None:
    membership = access.get_editable(Membership, actor, membership.pk)
    if membership.user_id == actor.pk and membership.role == Role.MINISTRY_ADMIN:
        # Nobody locks themselves (and possibly everyone) out of administration by accident.
        raise ServiceError(ErrorCode.CONFLICT, _("You cannot remove your own administrator role."))
    stamp(membership, actor=actor, reason=reason)
    membership.delete()
    _forget_cached_grants(membership.user)


@transaction.atomic
def user_invite(
    *,
    actor: User,
    email: str,
    full_name: str,
    organisation: Organisation,
    role: str,
    preferred_language: str = "fr",
    reason: str = "",
) -> User:
    """Create an account without a password and e-mail a link to choose one (sent after commit)."""
    access.ensure_can_create(actor, User)
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ServiceError(
            ErrorCode.CONFLICT,
            field_errors={"email": [_("A user with this e-mail already exists.")]},
        )
    user = User(email=email, full_name=full_name, preferred_language=preferred_language)
    user.set_unusable_password()
    _check_role_fits(organisation, role)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise invalid(exc) from None
    stamp(user, actor=actor, reason=reason)
    user.save()
    membership_create(actor=actor, user=user, organisation=organisation, role=role, reason=reason)
    access.ensure_editable(actor, user)
    transaction.on_commit(lambda: send_invitation.enqueue(user_id=user.pk, invited_by=actor.pk))
    return user


def invitation_link(user: User) -> str:
    from django.conf import settings

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    full_name: str = KEEP,
    preferred_language: str = KEEP,
    is_active: bool = KEEP,  # a ministry administrator's to change
    reason: str = "",
) -> User:
    user = access.get_editable(User, actor, user.pk)
    if is_active is not KEEP:
        access.ensure_can(actor, "activate", user, field="is_active")
    change_fields(
        user, full_name=full_name, preferred_language=preferred_language, is_active=is_active
    )
    if user.pk == actor.pk and is_active is False:
        raise ServiceError(ErrorCode.CONFLICT, _("You cannot deactivate your own account."))
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise invalid(exc) from None
    stamp(user, actor=actor, reason=reason)
    user.save()
    access.ensure_editable(actor, user)
    return user


def user_set_language(*, actor: User, language: str) -> None:
    """Remember the interface language the signed-in user chose (it follows them across devices)."""
    if language not in dict(settings.LANGUAGES):
        raise ServiceError(ErrorCode.INVALID, field_errors={"language": [_("Unknown language.")]})
    if actor.preferred_language != language:
        user_update(actor=actor, user=actor, preferred_language=language)


# --- API tokens ------------------------------------------------------------------------------


TOKEN_NEEDS_TWO_FACTOR = gettext_lazy(
    "Issuing an API token needs two-factor authentication: set it up, or type a code from your "
    "app, first."
)


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor; returns it with its key, which is never shown again."""
    if not actor.is_authenticated:
        raise ServiceError(ErrorCode.FORBIDDEN)
    if not two_factor.is_satisfied(actor):
        # A token opens the API without a second factor: it is issued only by a session that
        # gave one.
        raise ServiceError(ErrorCode.FORBIDDEN, TOKEN_NEEDS_TWO_FACTOR)
    prefix, key = ApiToken.new_key()
    token = ApiToken(user=actor, name=name.strip(), prefix=prefix, key_hash=hash_token(key))
    persist(token, actor=actor)
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    token = access.get_editable(ApiToken, actor, token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        persist(token, actor=actor)
    return token


def api_token_authenticate(key: str) -> User | None:
    """The active user behind a token key, or None. Bumps `last_used_at` at most once a minute."""
    if not key or not key.startswith(f"{TOKEN_PREFIX}_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- two-factor authentication ---------------------------------------------------------------


def _needs_second_factor(actor: User) -> None:
    if not two_factor.is_satisfied(actor):
        raise ServiceError(ErrorCode.FORBIDDEN, _("Type a code from your authenticator app first."))


@transaction.atomic
def two_factor_begin(*, actor: User) -> TOTPDevice:
    """The authenticator waiting to be confirmed: the one from an earlier visit, else a new key.
    Replacing a confirmed one needs a code from it in this session."""
    if not actor.is_authenticated:
        raise ServiceError(ErrorCode.FORBIDDEN)
    if two_factor.is_enrolled(actor):
        _needs_second_factor(actor)
    device = two_factor.pending_device(actor)
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(*, actor: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """The first code from the app proves it holds the key: the authenticator replaces any
    earlier one and ten new recovery codes are issued (returned once, never shown again)."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    if two_factor.is_enrolled(user):
        _needs_second_factor(actor)
    device = two_factor.pending_device(user)
    if device is None:
        raise ServiceError(ErrorCode.CONFLICT, _("Start the set-up again."))
    if not two_factor.check_code_on(device, code):
        message = _(
            "This is not the code the app shows now. Check that the phone's clock is right and "
            "type the six digits again."
        )
        raise ServiceError(ErrorCode.INVALID, field_errors={"code": [message]})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _issue_recovery_codes(user)
    user.two_factor_since = timezone.now()
    stamp(user, actor=actor, reason=_("Authenticator app set up"))
    user.save()
    return device, codes


@transaction.atomic
def recovery_codes_regenerate(*, actor: User) -> list[str]:
    """Ten new recovery codes; the earlier ones stop working."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    if not two_factor.is_enrolled(user):
        raise ServiceError(ErrorCode.CONFLICT, _("Set up two-factor authentication first."))
    _needs_second_factor(actor)
    codes = _issue_recovery_codes(user)
    stamp(user, actor=actor, reason=_("New recovery codes"))
    user.save()
    return codes


def _issue_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(two_factor.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    user.recovery_codes_issued_at = timezone.now()
    return [two_factor.display_code(code) for code in codes]


@transaction.atomic
def two_factor_disable(*, actor: User, user: User, reason: str = "") -> User:
    """Remove a person's authenticator and recovery codes: themselves when their role does not
    require it, or a ministry administrator (with a reason) for someone who lost their phone,
    who then sets it up again at the next sign-in."""
    user = access.get_editable(User, actor, user.pk)
    _needs_second_factor(actor)
    if user.pk == actor.pk and two_factor.is_required(user):
        raise ServiceError(
            ErrorCode.CONFLICT,
            _("Your role requires two-factor authentication: replace the app instead."),
        )
    if user.pk != actor.pk and not reason.strip():
        raise ServiceError(
            ErrorCode.INVALID, field_errors={"reason": [_("Say why (e.g. phone lost).")]}
        )
    if user.two_factor_since is None and not two_factor.is_enrolled(user):
        raise ServiceError(ErrorCode.CONFLICT, _("Two-factor authentication is not set up."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.two_factor_since = None
    user.recovery_codes_issued_at = None
    stamp(user, actor=actor, reason=reason.strip() or _("Two-factor authentication turned off"))
    user.save()
    access.ensure_editable(actor, user)
    return user


# --- notifications ---------------------------------------------------------------------------


def notification_open(*, actor: User, notification_id: Any) -> Notification:
    """Mark one of the actor's notices read (opening it); someone else's answers 404."""
    notice = access.get_editable(Notification, actor, notification_id)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notifications_read_all(*, actor: User) -> int:
    return (
        Notification.objects.editable_by(actor).filter(read_at=None).update(read_at=timezone.now())
    )


@transaction.atomic
def notification_preferences_set(*, actor: User, by_email: dict[str, bool]) -> None:
    """Which kinds of notice the actor gets by e-mail (in the platform, always)."""
    for kind in NotificationKind.values:
        wanted = bool(by_email.get(kind, False))
        preference = NotificationPreference.objects.filter(user=actor, kind=kind).first()
        if preference is None:
            if wanted:
                continue  # no row means "by e-mail": nothing changes
            preference = NotificationPreference(user=actor, kind=kind)
        elif preference.by_email == wanted:
            continue
        preference.by_email = wanted
        persist(preference, actor=actor)


def step_date(
    on: datetime.date | None, after: datetime.date | None = None, field: str = "on"
) -> datetime.date:
    """A workflow step's date: today when not given, never in the future nor before the step it
    follows (`after`); a refusal names `field`."""
    from pilotage.core.errors import ErrorCode

    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise refusal(_("A step cannot be dated in the future."), field, ErrorCode.INVALID)
    if after and on < after:
        raise refusal(_("This step cannot be dated before the previous one (%(date)s).")
                      % {"date": after.strftime("%d/%m/%Y")}, field,
                      ErrorCode.INVALID)  # fmt: skip
    return on
