from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pilotage.api.api import api
from pilotage.core import views as core_views
from pilotage.core.admin import admin_site
from pilotage.core.forms import PasswordResetForm, SetPasswordForm
from pilotage.dashboards import views as dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("language/", core_views.language, name="set_language"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm, extra_email_context={"site_url": settings.SITE_URL}
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin_site.urls),
    path("api/v1/", api.urls),
    path("", include("pilotage.core.urls")),
    path("", include("pilotage.programmes.urls")),
    path("", include("pilotage.results.urls")),
    path("", include("pilotage.governance.urls")),
    path("", include("pilotage.prestations.urls")),
    path("", include("pilotage.certification.urls")),
    path("", include("pilotage.standards.urls")),
    path("", include("pilotage.projects.urls")),
    path("", include("pilotage.training.urls")),
    path("", include("pilotage.reports.urls")),
    path("", include("pilotage.fund.urls")),
    path("", include("pilotage.dashboards.urls")),
]
