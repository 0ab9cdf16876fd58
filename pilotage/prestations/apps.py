from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrestationsConfig(AppConfig):
    name = "pilotage.prestations"
    # The app was `pilotage.services` (its services layer read `services/services.py`); the label
    # stays, so tables, migrations, content types and history rows are the same: nothing moves.
    label = "services"
    verbose_name = _("Services to companies")

    def ready(self) -> None:
        from pilotage.core.todo import register_todo
        from pilotage.prestations.selectors import todo_items

        register_todo(todo_items)
        from pilotage.core import access
        from pilotage.core.navigation import MenuItem, register_menu
        from pilotage.prestations.models import ServiceCategory, ServiceImport, ServiceRequest
        from pilotage.prestations.selectors import computed_actuals
        from pilotage.results.computations import Computation, register_provider

        register_provider(
            computed_actuals, computations=Computation.choices, categories=ServiceCategory.choices
        )
        register_menu(
            MenuItem(
                _("Deliveries"), "services:delivery_list", "briefcase", lambda user: True,
                _("The register of services delivered to companies, from which KPIs are computed."),
                section="services",
            )
        )  # fmt: skip
        register_menu(
            MenuItem(
                _("Companies"), "services:company_list", "buildings", lambda user: True,
                _("The companies served, by ICE, with every service they received."),
                section="services",
            )
        )  # fmt: skip
        register_menu(
            MenuItem(
                _("Catalogue"), "services:offering_list", "shop", lambda user: True,
                _("Each CTI's service offerings; published ones appear in the public catalogue."),
                section="services",
            )
        )  # fmt: skip
        register_menu(
            MenuItem(
                _("Requests"), "services:request_list", "inbox",
                lambda user: access.can_create(user, ServiceRequest),
                _("Service requests sent from the public catalogue to your CTI."),
                section="services",
            )
        )  # fmt: skip
        register_menu(
            MenuItem(
                _("Import"), "services:import_create", "upload",
                lambda user: access.can_create(user, ServiceImport),
                _("Import deliveries or companies from Excel or CSV: checked, then all or nothing."),
                section="services",
            )
        )  # fmt: skip
