from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pilotage.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from pilotage.core import checks, lookups  # noqa: F401  (register checks, `__any`)

        self.record_sign_ins_outside_the_history()
        self.register_menu()

    @staticmethod
    def record_sign_ins_outside_the_history() -> None:
        """Django saves the whole user at each sign-in, which would add an empty "changed" record
        to the person's history every time; the sign-in time is stored with a plain UPDATE."""
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in
        from django.utils import timezone

        def record_last_login(sender, user, **kwargs) -> None:
            type(user)._base_manager.filter(pk=user.pk).update(last_login=timezone.now())

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(
            record_last_login, dispatch_uid="pilotage_record_last_login", weak=False
        )

    @staticmethod
    def register_menu() -> None:
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
                section="directory",
            )
        )
        register_menu(
            MenuItem(
                _("People"),
                "core:user_list",
                "people",
                reads_people,
                _("Accounts and their roles; ministry administrators invite people."),
                section="directory",
            )
        )
        register_menu(
            MenuItem(
                _("API"),
                "api:openapi-view",
                "braces",
                lambda user: True,
                _("Interactive documentation of the HTTP API; personal tokens for scripts."),
                section="platform",
            )
        )
        register_menu(
            MenuItem(
                _("Administration"),
                "admin:index",
                "gear",
                administers,
                _("The Django administration, under the same access rules."),
                section="platform",
            )
        )
