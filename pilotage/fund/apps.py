from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "pilotage.fund"
    label = "fund"
    verbose_name = _("FACET fund")

    def ready(self) -> None:
        from pilotage.core import access
        from pilotage.core.navigation import MenuItem, register_menu
        from pilotage.fund.models import Allocation, PerformanceTranche

        # Whoever has a line to read (the ministry, committees, auditors, CTIs with money) sees
        # the fund; the others would find empty pages.
        register_menu(
            MenuItem(
                _("FACET fund"), "fund:overview", "bank",
                lambda user: access.can_create(user, Allocation)
                or Allocation.objects.visible_to(user).exists(),
                _("Envelopes, allocations, commitments and payments of the fund, with headroom."),
                section="fund",
            )
        )  # fmt: skip
        register_menu(
            MenuItem(
                _("Performance-linked tranches"), "fund:tranche_list", "speedometer",
                lambda user: PerformanceTranche.objects.visible_to(user).exists()
                or access.can_create(user, PerformanceTranche),
                _("Tranches of the contrats-objectifs paid on the year's results, computed "
                  "line by line."),
                section="fund",
            )
        )  # fmt: skip
