from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "pilotage.results"
    label = "results"
    verbose_name = _("Results framework")

    def ready(self) -> None:
        from pilotage.core.todo import register_todo
        from pilotage.results.selectors import todo_items

        register_todo(todo_items)
        self.register_figures()
        from pilotage.core import access
        from pilotage.core.navigation import MenuItem, register_menu
        from pilotage.results.models import ReportingPeriod

        register_menu(
            MenuItem(
                _("Indicators"), "results:indicator_list", "bullseye", lambda user: True,
                _("The KPIs of the contracts: definitions, targets, reported values."),
                section="results",
            )
        )  # fmt: skip
        register_menu(
            MenuItem(
                _("Values"), "results:measurement_list", "table", lambda user: True,
                _("Every reported value you may see, with its status; export to Excel."),
                section="results",
            )
        )  # fmt: skip
        register_menu(
            MenuItem(
                _("Periods"), "results:period_list", "calendar-range",
                lambda user: access.can_create(user, ReportingPeriod),
                _("Reporting periods and their submission windows."),
                section="results",
            )
        )  # fmt: skip

    @staticmethod
    def register_figures() -> None:
        """What a plan's matrix is computed from: a change to any of these rows computes it
        again (`core.figures`)."""
        from pilotage.core import figures
        from pilotage.programmes.models import Agreement, Amendment, StrategicAxis
        from pilotage.results.models import (
            Indicator,
            Measurement,
            Objective,
            ReportingPeriod,
            Target,
        )
        from pilotage.results.selectors import FIGURES

        figures.register(
            FIGURES, Measurement, Target, Indicator, Objective, ReportingPeriod, StrategicAxis,
            Agreement, Amendment,
        )  # fmt: skip
