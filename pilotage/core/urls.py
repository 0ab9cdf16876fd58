from django.urls import path

from pilotage.core import resources, views
from pilotage.core.registry import page_urls

app_name = "core"

urlpatterns = [
    *page_urls(resources.RESOURCES),
    path("people/", views.UserList.as_view(), name="user_list"),
    path("people/invite/", views.UserInvite.as_view(), name="user_invite"),
    path("people/<int:pk>/", views.UserDetail.as_view(), name="user_detail"),
    path("people/<int:pk>/edit/", views.UserEdit.as_view(), name="user_edit"),
    path("people/<int:pk>/history/", views.UserHistory.as_view(), name="user_history"),
    path("people/<int:pk>/memberships/", views.MembershipAdd.as_view(), name="membership_add"),
    path(
        "memberships/<int:pk>/remove/", views.MembershipRemove.as_view(), name="membership_remove"
    ),
    path(
        "people/<int:pk>/two-factor/reset/",
        views.UserTwoFactorReset.as_view(),
        name="user_two_factor_reset",
    ),
    path("account/two-factor/", views.TwoFactorManage.as_view(), name="two_factor"),
    path("account/two-factor/setup/", views.TwoFactorSetup.as_view(), name="two_factor_setup"),
    path("account/two-factor/verify/", views.TwoFactorVerify.as_view(), name="two_factor_verify"),
    path(
        "account/two-factor/recovery-codes/",
        views.RecoveryCodesRegenerate.as_view(),
        name="two_factor_codes",
    ),
    path(
        "account/two-factor/disable/", views.TwoFactorDisable.as_view(), name="two_factor_disable"
    ),
    path("notifications/", views.NotificationList.as_view(), name="notification_list"),
    path(
        "notifications/<int:pk>/open/", views.NotificationOpen.as_view(), name="notification_open"
    ),
    path(
        "notifications/read-all/", views.NotificationReadAll.as_view(), name="notification_read_all"
    ),
    path(
        "notifications/preferences/",
        views.NotificationPreferences.as_view(),
        name="notification_preferences",
    ),
    path("tokens/", views.TokenList.as_view(), name="token_list"),
    path("tokens/<int:pk>/revoke/", views.TokenRevoke.as_view(), name="token_revoke"),
]
