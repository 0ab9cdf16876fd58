from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "pilotage.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from pilotage.core.todo import register_todo
        from pilotage.governance.selectors import todo_items

        register_todo(todo_items)
        from pilotage.core.navigation import MenuItem, register_menu

        # One entry: the governance lists link to one another (templates/governance/object_list.html).
        register_menu(
            MenuItem(
                _("Governance"), "governance:committee_list", "people", lambda user: True,
                _("Committees and meetings, the decision register, evaluation recommendations."),
                section="governance",
            )
        )  # fmt: skip
