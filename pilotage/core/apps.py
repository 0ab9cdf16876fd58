from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pilotage.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from pilotage.core import access
        from pilotage.core.models import User
        from pilotage.core.navigation import MenuItem, register_menu
        from pilotage.core.roles import Role

        def reads_people(user) -> bool:
            return user.is_superuser or access.has_role(user, *access.rule_for(User).readers)

        def administers(user) -> bool:
            return user.is_superuser or access.has_role(user, Role.MINISTRY_ADMIN)

        register_menu(
            MenuItem(
                _("Organisations"),
                "core:organisation_list",
                "building",
                lambda user: True,
                _("The ministry, RECTIM, the CTIs, federations, the CID and partners."),
            )
        )
        register_menu(
            MenuItem(
                _("People"),
                "core:user_list",
                "people",
                reads_people,
                _("Accounts and their roles; ministry administrators invite people."),
            )
        )
        register_menu(
            MenuItem(
                _("API"),
                "api:openapi-view",
                "braces",
                lambda user: True,
                _("Interactive documentation of the HTTP API; personal tokens for scripts."),
            )
        )
        register_menu(
            MenuItem(
                _("Administration"),
                "admin:index",
                "gear",
                administers,
                _("The Django administration, under the same access rules."),
            )
        )
