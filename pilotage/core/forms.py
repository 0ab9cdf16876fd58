"""Forms: parse and validate input (in the user's language); services do the saving."""

from typing import Any

from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pilotage.core import access
from pilotage.core.lockout import normalised_address
from pilotage.core.models import Organisation, User
from pilotage.core.numbers import parse_decimal
from pilotage.core.roles import OrganisationKind, Role
from pilotage.core.throttle import take_slot

# A date picker that round-trips ISO dates (what browsers' date inputs send and show).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledFormMixin:
    """Bootstrap classes on every widget, and choices that only list rows the user may see."""

    def style_fields(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def service_fields(self) -> dict[str, Any]:
        """Cleaned data for the service, without form-only fields (the reason goes separately)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}

    def restrict_choices(self, user: Any) -> None:
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(user)


class SearchableSelect(forms.Select):
    """A select too long to scroll (a hundred allocations): a search box above it asks the
    server for the matching options (htmx; `url_name` answers `?q=` with <option>s of rows the
    user may see). Without JavaScript it is the plain select."""

    template_name = "partials/searchable_select.html"

    def __init__(self, url_name: str, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = reverse(self.url_name)
        return context


class ReasonField(forms.CharField):
    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Reason for the change"))
        kwargs.setdefault("help_text", _("Kept in the history with your name."))
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)


class FrenchDecimalField(forms.DecimalField):
    """A number typed the French way or the plain way (`1 234,50`, `1234.50`); text is refused."""

    # A browser's number input refuses "1 234,50": a text box with a decimal keypad on phones.
    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            value = parse_decimal(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(str(value))


def cti_choices(form: "StyledForm | StyledModelForm", model: type) -> None:
    """Only the CTIs the user may record for: the form's uniqueness checks (reference, code)
    must never run against another CTI's rows."""
    writable = access.writable_organisations(form.user, model)
    form.fields["cti"].queryset = writable.filter(kind=OrganisationKind.CTI)


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.alias_translated_fields()
        self.restrict_choices(user)
        self.style_fields()

    def alias_translated_fields(self) -> None:
        """A form showing `name_fr`/`name_ar`/`name_en` also takes `name` (older API clients and
        pages): it is the active language's text, and wins when it changed."""
        if not self.is_bound:
            return
        language = (get_language() or "fr")[:2]
        data = None
        self.aliases = {}
        for field in self._meta.fields or ():
            base = field.removesuffix("_fr")
            if base == field or base not in self.data:
                continue
            value = self.data.get(base)
            target = f"{base}_{language}"
            self.aliases[field] = self.aliases[target] = base
            before = getattr(self.instance, base, None) if self.instance.pk else None
            if value and (not self.data.get(target) or value != before):
                data = data if data is not None else self.data.copy()
                data[target] = value
        if data is not None:
            self.data = data

    def full_clean(self) -> None:
        super().full_clean()
        # A caller who sent `name` reads its errors under `name` too.
        for field, base in getattr(self, "aliases", {}).items():
            if field in self._errors and base not in self._errors:
                self._errors[base] = self._errors[field]


class StyledForm(StyledFormMixin, forms.Form):
    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        self.user = user
        self.restrict_choices(user)
        self.style_fields()


class PasswordResetForm(StyledFormMixin, auth_forms.PasswordResetForm):
    """Also reaches invited people who never chose a password (their invitation may have expired);
    Django's form skips accounts without a usable password.

    At most RESETS_PER_HOUR messages go to one address, however it is spelt: the page answers
    the same either way, so it tells no one whether the address exists or the limit is reached."""

    RESETS_PER_HOUR = 3

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def get_users(self, email: str):
        users = User.objects.filter(email__iexact=email, is_active=True)
        if not take_slot("password-reset", normalised_address(email), self.RESETS_PER_HOUR, 3600):
            return users.none()
        return users


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Choosing a new password from a reset link lifts a sign-in lockout on the account: the
    link proves the mailbox, so someone who locked the account by guessing cannot keep its
    owner out."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit)
        axes_reset(username=user.email)
        return user


class OrganisationForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = Organisation
        fields = [
            "name_fr", "name_ar", "name_en", "acronym", "kind", "sector", "federations", "city",
            "region", "website",
            "email", "description", "is_active",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["federations"].queryset = self.fields["federations"].queryset.filter(
            kind=OrganisationKind.FEDERATION
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("federations") and data.get("kind") != OrganisationKind.CTI:
            self.add_error("federations", _("Only a CTI can be attached to federations."))
        return data


class InvitationForm(StyledForm):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    preferred_language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    reason = ReasonField()


class MembershipForm(StyledForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    reason = ReasonField()


class UserForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = User
        fields = ["full_name", "preferred_language", "is_active"]


class ApiTokenForm(StyledForm):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “monthly export script”."),
    )


class OneTimeCodeForm(StyledForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class TwoFactorResetForm(StyledForm):
    reason = forms.CharField(
        label=_("Reset two-factor authentication (lost phone): reason"), max_length=500
    )


def validated(form: Any) -> Any:
    """The form if valid; otherwise its field errors as the application error (API handlers)."""
    from pilotage.core.errors import form_errors

    if not form.is_valid():
        raise form_errors(form)
    return form
