"""The Django admin: a read-only window for ministry administrators, under the same access rules."""

import base64
import hashlib
from typing import Any

from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pilotage.core import access, two_factor
from pilotage.core.models import ApiToken, Membership, Organisation, User
from pilotage.core.roles import Role

# The admin's one inline style: simple_history's history list writes `style="border-top: 0"`.
# The admin alone allows that exact attribute (by its hash), not inline styles in general.
_HISTORY_STYLE = base64.b64encode(hashlib.sha256(b"border-top: 0").digest()).decode()
ADMIN_STYLE_ATTRIBUTES = {"style-src-attr": ["'unsafe-hashes'", f"'sha256-{_HISTORY_STYLE}'"]}


class PilotageAdminSite(admin.AdminSite):
    site_header = _("Pilotage CTI — administration")
    site_title = _("Pilotage CTI")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        administrator = user.is_superuser or access.has_role(user, Role.MINISTRY_ADMIN)
        return user.is_active and administrator and two_factor.is_satisfied(user)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # One way in, with the lockout and the second factor: the platform's sign-in page.
        return redirect_to_login(request.GET.get("next", self.index_url()))

    def index_url(self) -> str:
        return reverse("admin:index", current_app=self.name)

    def admin_view(self, view, cacheable=False):
        return super().admin_view(csp_update(ADMIN_STYLE_ATTRIBUTES)(view), cacheable)


admin_site = PilotageAdminSite(name="admin")


class AccessModelAdmin(SimpleHistoryAdmin):
    """Rows come from `visible_to`. Every change goes through the application's pages, whose
    services enforce the business rules and write one history record per change; the admin's own
    save path would bypass both, so here nothing is added, changed or deleted."""

    def get_queryset(self, request: HttpRequest):
        return self.model._default_manager.visible_to(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or access.can_view(request.user, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return True


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(AccessModelAdmin):
    list_display = ["acronym", "name", "kind", "city", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["acronym", "name", "sector"]


@admin.register(User, site=admin_site)
class UserAdmin(AccessModelAdmin):
    list_display = ["email", "full_name", "is_active", "last_login"]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "preferred_language", "is_active", "last_login"]


@admin.register(Membership, site=admin_site)
class MembershipAdmin(AccessModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation"]


@admin.register(ApiToken, site=admin_site)
class ApiTokenAdmin(AccessModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
