from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "pilotage.standards"
    label = "standards"
    verbose_name = _("Standards development")

    def ready(self) -> None:
        from pilotage.core.navigation import MenuItem, register_menu
        from pilotage.results.computations import register_provider
        from pilotage.standards.models import StandardComputation
        from pilotage.standards.selectors import computed_actuals

        register_provider(computed_actuals, computations=StandardComputation.choices)
        for item in (
            MenuItem(
                _("Standards"), "standards:standardwork_list", "journal-text", lambda user: True,
                _("NM standards the CTIs draft or review with IMANOR, stage by stage."),
                section="certification",
            ),
            MenuItem(
                _("Standards pipeline"), "standards:pipeline", "funnel", lambda user: True,
                _("How many standards are at each stage, how long they stay, which are late."),
                section="certification",
            ),
        ):  # fmt: skip
            register_menu(item)
