from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "pilotage.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from pilotage.core.navigation import MenuItem, register_menu

        def signed_in(user) -> bool:
            return user.is_authenticated

        register_menu(
            MenuItem(
                _("Watch list"), "dashboards:watch", "exclamation-triangle", signed_in,
                _("Early warnings computed from the records: money, indicators, reporting, "
                  "milestones, recommendations, accreditations."),
                section="results",
            )
        )  # fmt: skip
        register_menu(
            MenuItem(
                _("Benchmarking"), "dashboards:benchmark", "bar-chart-steps", signed_in,
                _("Each CTI's ratios against the network's median and quartiles."),
                section="results",
            )
        )  # fmt: skip
        register_menu(
            MenuItem(
                _("Map of the regions"), "dashboards:region_map", "geo-alt", signed_in,
                _("Companies served, deliveries, revenue and projects in the twelve regions."),
                section="services",
            )
        )  # fmt: skip
