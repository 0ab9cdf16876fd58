from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "pilotage.certification"
    label = "certification"
    verbose_name = _("Certification and product validation")

    def ready(self) -> None:
        from pilotage.certification.models import CertificationComputation
        from pilotage.certification.selectors import computed_actuals
        from pilotage.core.navigation import MenuItem, register_menu
        from pilotage.results.computations import register_provider

        register_provider(computed_actuals, computations=CertificationComputation.choices)

        for item in (
            MenuItem(
                _("Validation requests"), "certification:validationrequest_list", "clipboard-check",
                lambda user: True,
                _("Products tested and validated against a standard, step by step; fast-track first."),
                section="certification",
            ),
            MenuItem(
                _("Certificates"), "certification:certificate_list", "patch-check",
                lambda user: True,
                _("Certificates issued, their status, and the signed code anyone can verify."),
                section="certification",
            ),
            MenuItem(
                _("Fast-track campaigns"), "certification:fasttrackcampaign_list", "lightning",
                lambda user: True,
                _("Emergency campaigns with their own deadline, and how the CTIs keep it."),
                section="certification",
            ),
            MenuItem(
                _("Laboratories"), "certification:laboratory_list", "eyedropper", lambda user: True,
                _("The CTIs' laboratories and their SEMAC accreditations; expiring ones flagged."),
                section="certification",
            ),
            MenuItem(
                _("Staff"), "certification:staffcount_list", "people",
                lambda user: True,
                _("Headcount by year and category, and the taux d'encadrement computed from it."),
                section="certification",
            ),
        ):  # fmt: skip
            register_menu(item)
