"""Pages of the core app: home, organisations directory, people, API tokens, two-factor
authentication, language."""

from contextlib import suppress
from typing import Any

import django_otp
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from pilotage.core import access, selectors, services, two_factor
from pilotage.core.errors import ServiceError
from pilotage.core.filters import UserFilter
from pilotage.core.forms import (
    ApiTokenForm,
    InvitationForm,
    MembershipForm,
    OneTimeCodeForm,
    TwoFactorResetForm,
    UserForm,
)
from pilotage.core.generic_views import (
    ACCESS_CODES,
    AccessMixin,
    ObjectDetailView,
    ObjectFormView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    ObjectRemoveView,
    ObjectStepView,
    add_service_errors,
)
from pilotage.core.models import (
    ApiToken,
    Membership,
    Notification,
    NotificationKind,
    NotificationPreference,
    User,
)
from pilotage.core.tables import Column


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Switch language; a signed-in user's choice is also saved on their account."""
    code = request.POST.get("language", "")
    if request.user.is_authenticated:
        # Django's view below ignores an unknown language the same way.
        with suppress(ServiceError):
            services.user_set_language(actor=request.user, language=code)
    return set_language(request)


# --- organisations ---------------------------------------------------------------------------


# --- people ----------------------------------------------------------------------------------


class UserList(ObjectListView):
    model = User
    filterset_class = UserFilter
    title = gettext_lazy("People")
    columns = [
        Column("full_name", gettext_lazy("Name"), sort="full_name", link=True),
        Column("email", gettext_lazy("E-mail"), sort="email"),
        Column(
            "memberships",
            gettext_lazy("Roles"),
            accessor=lambda u: "; ".join(
                f"{m.get_role_display()} ({m.organisation})" for m in u.memberships.all()
            ),
        ),
        Column("is_active", gettext_lazy("Active"), sort="is_active"),
        Column("last_login", gettext_lazy("Last sign-in"), sort="last_login"),
    ]
    default_sort = "full_name"
    create_url_name = "core:user_invite"

    def get_queryset(self):
        # Only the roles the viewer may see: a CTI manager does not learn a person's other roles.
        memberships = Membership.objects.visible_to(self.request.user).select_related(
            "organisation"
        )
        return (
            super().get_queryset().prefetch_related(Prefetch("memberships", queryset=memberships))
        )

    export_name = "people"


class UserDetail(ObjectDetailView):
    model = User
    template_name = "core/user_detail.html"

    def get_context(self, obj: User) -> dict[str, Any]:
        user = self.request.user
        return {
            "memberships": Membership.objects.visible_to(user)
            .filter(user=obj)
            .select_related("organisation"),
            "can_manage_memberships": access.can_create(user, Membership),
            "membership_form": MembershipForm(user=user),
            "can_reset_two_factor": obj.pk != user.pk and access.can_edit(user, obj),
        }


class UserEdit(ObjectFormView):
    model = User
    form_class = UserForm
    title_edit = gettext_lazy("Edit person")
    update_service = staticmethod(services.user_update)
    object_kwarg = "user"

    def get_form(self, obj: User | None, data: Any = None, files: Any = None) -> UserForm:
        form = super().get_form(obj, data, files)
        if obj is None or not access.can(self.request.user, "activate", obj):
            del form.fields["is_active"]  # people do not (de)activate accounts, their own included
        return form


class UserInvite(ObjectFormView):
    model = User
    form_class = InvitationForm
    title_create = gettext_lazy("Invite a person")
    create_service = staticmethod(services.user_invite)


class UserHistory(ObjectHistoryView):
    model = User
    template_name = "core/user_history.html"

    def get_context(self, obj: User) -> dict[str, Any]:
        return {"roles": selectors.membership_timeline(self.request.user, obj)}


class MembershipAdd(ObjectMixin, View):
    """POST a new membership for the user in the URL (ministry administrators)."""

    model = User

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = access.get_editable(User, request.user, pk)
        form = MembershipForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.membership_create(actor=request.user, user=person, **form.cleaned_data)
            except ServiceError as exc:
                if exc.code in ACCESS_CODES:
                    raise
                add_service_errors(form, exc)
        if form.errors:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            messages.success(request, _("Role added."))
        return redirect(person.get_absolute_url())


class MembershipRemove(ObjectRemoveView):
    model = Membership
    done_message = gettext_lazy("Role removed.")

    def back(self, membership: Membership) -> str:
        return membership.user.get_absolute_url()

    def remove(self, membership: Membership, reason: str) -> None:
        services.membership_delete(actor=self.request.user, membership=membership, reason=reason)


# --- two-factor authentication ---------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else reverse("home")


def _show_recovery_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    # Shown once, never stored in a form the browser could resubmit or cache.
    response = render(
        request, "core/two_factor_codes.html", {"codes": codes, "next": _next_url(request)}
    )
    response["Cache-Control"] = "no-store"
    return response


class TwoFactorManage(AccessMixin, View):
    """The account's "Two-factor authentication" page: state, replace the app, new codes, off."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        context = {
            "enrolled": two_factor.is_enrolled(user),
            "required": two_factor.is_required(user),
            "exempt": two_factor.is_exempt(user),
            "codes_left": two_factor.recovery_codes_left(user),
        }
        return render(request, "core/two_factor.html", context)


class TwoFactorSetup(LoginRequiredMixin, View):
    template_name = "core/two_factor_setup.html"

    def render_page(self, form: OneTimeCodeForm, status: int = 200) -> HttpResponse:
        device = services.two_factor_begin(actor=self.request.user)
        context = {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
            # "Your role requires it" is not said to a demo account that may skip it.
            "required": two_factor.step_owed(self.request.user) == "setup",
            "next": _next_url(self.request),
        }
        response = render(self.request, self.template_name, context, status=status)
        response["Cache-Control"] = "no-store"  # the page shows the secret key
        return response

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # A session that has not given its code cannot swap the authenticator it must answer.
        if request.user.is_authenticated and two_factor.step_owed(request.user) == "verify":
            return redirect(reverse("core:two_factor_verify") + "?" + request.GET.urlencode())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(OneTimeCodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OneTimeCodeForm(request.POST)
        if not form.is_valid():
            return self.render_page(form, status=422)
        try:
            device, codes = services.two_factor_confirm(
                actor=request.user, code=form.cleaned_data["code"]
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
            return self.render_page(form, status=422)
        django_otp.login(request, device)
        messages.success(request, _("Two-factor authentication is on."))
        return _show_recovery_codes(request, codes)


class TwoFactorVerify(LoginRequiredMixin, View):
    """The second step of signing in: a code from the app, or one of the recovery codes."""

    template_name = "core/two_factor_verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and two_factor.step_owed(request.user) != "verify":
            return redirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, form: OneTimeCodeForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "next": _next_url(self.request)}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(OneTimeCodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OneTimeCodeForm(request.POST)
        if not form.is_valid():
            return self.render_page(form, status=422)
        check = two_factor.check_code(request.user, form.cleaned_data["code"])
        if check.device is None:
            wait = two_factor.wait_seconds(check)
            if wait:
                message = _("Too many wrong codes: wait %(seconds)s seconds, then try again.") % {
                    "seconds": wait
                }
            else:
                message = _("This code is not valid. Type the six digits the app shows now.")
            form.add_error("code", message)
            return self.render_page(form, status=429 if wait else 422)
        django_otp.login(request, check.device)
        if check.recovery:
            left = two_factor.recovery_codes_left(request.user)
            messages.warning(
                request,
                _("You used a recovery code; %(left)s left. Make new ones if you are running out.")
                % {"left": left},
            )
        return redirect(_next_url(request))


class RecoveryCodesRegenerate(AccessMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            codes = services.recovery_codes_regenerate(actor=request.user)
        except ServiceError as exc:
            if exc.code in ACCESS_CODES:
                raise
            messages.error(request, exc.message)
            return redirect("core:two_factor")
        return _show_recovery_codes(request, codes)


class TwoFactorDisable(AccessMixin, View):
    """Turning it off oneself (the service refuses it to the roles that require it)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            services.two_factor_disable(actor=request.user, user=request.user)
        except ServiceError as exc:
            if exc.code in ACCESS_CODES:
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Two-factor authentication turned off."))
        return redirect("core:two_factor")


class UserTwoFactorReset(ObjectStepView):
    """A ministry administrator resets someone's second factor (lost phone), with a reason."""

    model = User
    form_class = TwoFactorResetForm
    done_message = gettext_lazy("Two-factor authentication turned off.")

    def apply(self, obj: User, data: dict[str, Any]) -> None:
        services.two_factor_disable(actor=self.request.user, user=obj, reason=data["reason"])


# --- API tokens ------------------------------------------------------------------------------


class TokenList(AccessMixin, View):
    template_name = "core/token_list.html"

    def render_page(self, form: ApiTokenForm, new_key: str = "", status: int = 200):
        user = self.request.user
        tokens = ApiToken.objects.visible_to(user).filter(user=user)
        context = {
            "form": form,
            "tokens": tokens,
            "new_key": new_key,
            "may_issue": two_factor.is_satisfied(user),
            "two_factor_enrolled": two_factor.is_enrolled(user),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(ApiTokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            return self.render_page(form, status=422)
        try:
            _token, key = services.api_token_create(
                actor=request.user, name=form.cleaned_data["name"]
            )
        except ServiceError as exc:
            if exc.code in ACCESS_CODES:
                raise
            add_service_errors(form, exc)
            return self.render_page(form, status=422)
        return self.render_page(ApiTokenForm(), new_key=key)


class TokenRevoke(AccessMixin, View):
    model = ApiToken

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = access.get_editable(ApiToken, request.user, pk)
        services.api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("Token revoked."))
        return HttpResponseRedirect(reverse("core:token_list"))


# --- notifications ---------------------------------------------------------------------------


class NotificationList(AccessMixin, View):
    """The person's notices, newest first; unread ones stand out."""

    def get(self, request: HttpRequest) -> HttpResponse:
        notices = Notification.objects.visible_to(request.user)[:200]
        return render(request, "core/notification_list.html", {"notices": notices})


class NotificationOpen(AccessMixin, View):
    """Opening a notice marks it read and leads to what it is about."""

    model = Notification

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notice = services.notification_open(actor=request.user, notification_id=pk)
        return redirect(notice.link if url_has_allowed_host_and_scheme(
            notice.link, allowed_hosts=None) else "core:notification_list")  # fmt: skip


class NotificationReadAll(AccessMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        services.notifications_read_all(actor=request.user)
        return redirect("core:notification_list")


class NotificationPreferences(AccessMixin, View):
    """Which notices the person also gets by e-mail."""

    def choices(self, request: HttpRequest) -> list[tuple[str, str, bool]]:
        off = set(
            NotificationPreference.objects.visible_to(request.user)
            .filter(user=request.user, by_email=False)
            .values_list("kind", flat=True)
        )
        return [(kind, label, kind not in off) for kind, label in NotificationKind.choices]

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {"choices": self.choices(request)}
        return render(request, "core/notification_preferences.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        wanted = set(request.POST.getlist("by_email"))
        services.notification_preferences_set(
            actor=request.user, by_email={kind: kind in wanted for kind in NotificationKind.values}
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("core:notification_preferences")
