from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "pilotage.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from pilotage.core.access import has_role
        from pilotage.core.navigation import MenuItem, register_menu
        from pilotage.reports.models import EDITION_READERS

        register_menu(
            MenuItem(
                _("Reports"), "reports:edition_list", "file-earmark-bar-graph",
                lambda user: has_role(user, *EDITION_READERS),
                _("The plan's bilan, CTI reports and the committee's follow-up, as of a date."),
                section="results",
            )
        )  # fmt: skip
        register_menu(
            MenuItem(
                _("Open data"), "reports:open_data", "database", lambda user: True,
                _("The published figures, as CSV and JSON with their data package."),
                section="results",
            )
        )  # fmt: skip
