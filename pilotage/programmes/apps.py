from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "pilotage.programmes"
    label = "programmes"
    verbose_name = _("Plans and agreements")

    def ready(self) -> None:
        from pilotage.core.navigation import MenuItem, register_menu
        from pilotage.core.todo import register_todo
        from pilotage.programmes.selectors import todo_items

        register_todo(todo_items)

        register_menu(
            MenuItem(
                _("Plans"),
                "programmes:programme_list",
                "diagram-3",
                lambda user: True,
                _("The CTI development plans, their strategic axes and envelopes."),
                section="results",
            )
        )
        register_menu(
            MenuItem(
                _("Agreements"),
                "programmes:agreement_list",
                "file-earmark-text",
                lambda user: True,
                _("Conventions-cadres, contrats-objectifs, contrats spécifiques and protocols."),
                section="results",
            )
        )
