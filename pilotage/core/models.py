"""Organisations, people and their roles, and personal API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.core.access import AccessQuerySet, access_rule, declare_actions
from pilotage.core.audit import history_records
from pilotage.core.regions import Region
from pilotage.core.roles import OrganisationKind, Role


@access_rule(owner="pk", directory=True)
class Organisation(models.Model):
    """A body taking part in the plans: the ministry, RECTIM, a CTI, a federation, the CID, a partner."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    sector = models.CharField(_("sector"), max_length=255, blank=True)
    federations = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="member_ctis",
        limit_choices_to={"kind": OrganisationKind.FEDERATION},
        verbose_name=_("federations"),
        help_text=_(
            "For a CTI: the federation(s) or professional association(s) that co-manage it."
        ),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=2, choices=Region.choices, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AccessQuerySet.as_manager()
    history = history_records(m2m_fields=[federations])

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.acronym

    def get_absolute_url(self) -> str:
        return reverse("core:organisation_detail", args=[self.pk])


class UserManager(BaseUserManager.from_queryset(AccessQuerySet)):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=username)


@access_rule(
    owner="memberships__organisation",
    readers={Role.MINISTRY_ADMIN, Role.MINISTRY_OFFICER, Role.AUDITOR, Role.CTI_MANAGER},
    editors={Role.MINISTRY_ADMIN},
    personal="pk",
    personal_edit=True,
)
class User(AbstractBaseUser, PermissionsMixin):
    """A person, signing in with an e-mail address; what they may do comes from their memberships."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Kept here (the devices' secrets stay in django-otp's tables) so that turning two-factor
    # authentication on or off and issuing recovery codes show in the person's history.
    two_factor_since = models.DateTimeField(
        _("two-factor authentication since"), null=True, blank=True
    )
    recovery_codes_issued_at = models.DateTimeField(
        _("recovery codes issued on"), null=True, blank=True
    )

    objects = UserManager()
    history = history_records(excluded_fields=["password", "last_login"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_absolute_url(self) -> str:
        return reverse("core:user_detail", args=[self.pk])

    @property
    def is_staff(self) -> bool:
        # The Django admin is for ministry administrators only (core/admin.py applies the rules).
        from pilotage.core.access import has_role

        return self.is_active and has_role(self, Role.MINISTRY_ADMIN)


# An account is switched on or off by a ministry administrator only, never by its owner.
declare_actions(
    User,
    {
        "activate": (
            {Role.MINISTRY_ADMIN},
            _("Only a ministry administrator turns accounts on or off."),
        )
    },
)


@access_rule(
    owner="organisation",
    readers={Role.MINISTRY_ADMIN, Role.MINISTRY_OFFICER, Role.AUDITOR, Role.CTI_MANAGER},
    editors={Role.MINISTRY_ADMIN},
    personal="user",
)
class Membership(models.Model):
    """A user's role in an organisation (DESIGN §5): the only source of permissions."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AccessQuerySet.as_manager()
    history = history_records(indexed=("user",))  # a person's page reads their roles' history

    class Meta:
        ordering = ["organisation__acronym", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"


TOKEN_PREFIX = "pct"


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@access_rule(
    owner="user__memberships__organisation",
    readers={Role.AUDITOR},
    editors=set(),
    personal="user",
    personal_edit=True,
)
class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the key is shown once, at creation."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records(excluded_fields=["key_hash", "last_used_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def new_key() -> tuple[str, str]:
        """(prefix, full key): the prefix identifies the token in lists, the rest is the secret."""
        prefix = secrets.token_hex(4)
        return prefix, f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


def stored_file_path(document: "StoredDocument", filename: str) -> str:
    # The hash prefix keeps two uploads of the same name apart and ties the path to the content.
    return f"{document.storage_folder()}/{document.sha256[:12]}-{filename}"


class StoredDocument(models.Model):
    """A file kept as proof (signed contract, evidence of a value), with the SHA-256 that lets
    anyone check that the copy they hold is the one stored."""

    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to=stored_file_path, max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def storage_folder(self) -> str:
        raise NotImplementedError


class NotificationKind(models.TextChoices):
    VALUES_SUBMITTED = "values_submitted", _("Values submitted for validation")
    VALUES_RETURNED = "values_returned", _("Values returned for correction")
    VALUES_VALIDATED = "values_validated", _("Values validated")
    REQUEST_RECEIVED = "request_received", _("New service request")
    DECISION_TAKEN = "decision_taken", _("Committee decision concerning your organisation")


@access_rule(
    owner="recipient__memberships__organisation",
    readers=set(),
    editors=set(),
    personal="recipient",
    personal_edit=True,
)
class Notification(models.Model):
    """Something a person should know, in the platform and (if they wish) by e-mail. Unread
    notices of the same kind and subject are one notice with a count (thirty values submitted
    at once are one notice, one e-mail). The text is written when it is read, in the reader's
    language, from the kind and its parameters."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    subject = models.CharField(max_length=100)  # what unread notices are grouped by
    params = models.JSONField(default=dict)
    count = models.PositiveIntegerField(default=1)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = AccessQuerySet.as_manager()
    # No field history: a notice is itself a record of a change already in the history.

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        from pilotage.core.notifications import message

        return message(self)


@access_rule(
    owner="user__memberships__organisation",
    readers=set(),
    editors=set(),
    personal="user",
    personal_edit=True,
)
class NotificationPreference(models.Model):
    """A person's choice to get a kind of notice by e-mail or not (no row: by e-mail)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    by_email = models.BooleanField(_("by e-mail"), default=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.by_email}"
