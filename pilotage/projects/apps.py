from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "pilotage.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from pilotage.core.navigation import MenuItem, register_menu
        from pilotage.core.reminders import register_reminder
        from pilotage.core.todo import register_todo
        from pilotage.projects.selectors import (
            COMPUTATIONS,
            computed_actuals,
            send_milestone_reminders,
            todo_items,
        )
        from pilotage.results.computations import register_provider

        register_provider(computed_actuals, computations=COMPUTATIONS)
        register_todo(todo_items)
        register_reminder(send_milestone_reminders)

        for item in (
            MenuItem(
                _("Projects"), "projects:project_list", "kanban", lambda user: True,
                _("Task-force assistance, new activities and platforms, joint CID projects."),
                section="results",
            ),
            MenuItem(
                _("Project timeline"), "projects:timeline", "bar-chart-steps", lambda user: True,
                _("The portfolio on a time axis, with its milestones; filter as the list."),
                section="results",
            ),
            MenuItem(
                _("Milestones"), "projects:milestone_list", "flag", lambda user: True,
                _("The projects' milestones: due, met, overdue."),
                section="results",
            ),
        ):  # fmt: skip
            register_menu(item)
