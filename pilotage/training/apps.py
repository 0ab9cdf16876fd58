from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "pilotage.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from pilotage.core.navigation import MenuItem, register_menu
        from pilotage.results.computations import register_provider
        from pilotage.training.selectors import COMPUTATIONS, computed_actuals

        register_provider(computed_actuals, computations=COMPUTATIONS)
        register_menu(
            MenuItem(
                _("Training"), "training:programme_list", "mortarboard", lambda user: True,
                _("Training programmes, cohorts, sessions, attendance and certificates."),
                section="results",
            )
        )  # fmt: skip
