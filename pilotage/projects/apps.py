from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "pilotage.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from pilotage.core.navigation import MenuItem, register_menu

        for item in (
            MenuItem(
                _("Projects"), "projects:project_list", "kanban", lambda user: True,
                _("Task-force assistance, new activities and platforms, joint CID projects."),
                section="results",
            ),
            MenuItem(
                _("Milestones"), "projects:milestone_list", "flag", lambda user: True,
                _("The projects' milestones: due, met, overdue."),
                section="results",
            ),
        ):  # fmt: skip
            register_menu(item)
