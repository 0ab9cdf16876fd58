"""Deliveries, companies, the catalogue and the request inbox as resources: their pages, API routes,
exports and steps come from these declarations (core/registry.py). The public catalogue and the
imports are plain views (views.py)."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, ModelSchema

from pilotage.core import access
from pilotage.core.money import format_mad
from pilotage.core.registry import Resource, Step, register
from pilotage.core.tables import Column
from pilotage.prestations import selectors, services
from pilotage.prestations.filters import (
    CompanyFilter,
    DeliveryFilter,
    OfferingFilter,
    RequestFilter,
)
from pilotage.prestations.forms import (
    CompanyForm,
    ConvertForm,
    DeclineForm,
    DeliveryForm,
    FixIceForm,
    OfferingForm,
)
from pilotage.prestations.models import (
    Company,
    RequestStatus,
    ServiceDelivery,
    ServiceOffering,
    ServiceRequest,
)

# --- schemas: what the API answers for one row --------------------------------------------------


class CompanyOut(ModelSchema):
    class Meta:
        model = Company
        fields = [
            "id", "ice", "ice_override_reason", "name", "name_ar", "legal_form", "size_class",
            "sector", "region", "city",
        ]  # fmt: skip


class OfferingOut(ModelSchema):
    cti_id: int
    cti_acronym: str = Field(alias="cti.acronym")

    class Meta:
        model = ServiceOffering
        fields = [
            "id", "code", "category", "sector", "title", "title_ar", "title_en", "description",
            "description_ar", "description_en", "pricing", "lead_time", "accreditation",
            "contact_email", "contact_phone", "is_public", "is_active",
        ]  # fmt: skip


class DeliveryOut(ModelSchema):
    cti_id: int
    company_id: int
    company_ice: str = Field(alias="company.ice")
    offering_id: int | None
    request_id: int | None

    class Meta:
        model = ServiceDelivery
        fields = [
            "id", "reference", "category", "title", "started_on", "ended_on", "amount_invoiced",
            "funding", "task_force_project", "satisfaction",
        ]  # fmt: skip


class RequestOut(ModelSchema):
    offering_id: int
    cti_id: int
    decided_by_id: int | None

    class Meta:
        model = ServiceRequest
        fields = [
            "id", "company_name", "ice", "contact_name", "email", "phone", "message", "status",
            "decision_reason", "decided_at", "received_at",
        ]  # fmt: skip


# --- declarations ----------------------------------------------------------------------------


class Deliveries(Resource):
    model = ServiceDelivery
    path = "deliveries"
    name = "delivery"
    form = DeliveryForm
    filterset = DeliveryFilter
    title = gettext_lazy("Deliveries")
    title_create = gettext_lazy("New delivery")
    title_edit = gettext_lazy("Edit delivery")
    related = ("cti", "company", "offering")
    columns = [
        Column("reference", gettext_lazy("Reference"), sort="reference", link=True),
        Column("cti", gettext_lazy("CTI"), accessor="cti.acronym", sort="cti__acronym"),
        Column("company", gettext_lazy("Company"), accessor="company.name", sort="company__name"),
        Column("ice", gettext_lazy("ICE"), accessor="company.ice"),
        Column("size", gettext_lazy("Size"), accessor="company.size_class"),
        Column("region", gettext_lazy("Region"), accessor="company.region"),
        Column("category", gettext_lazy("Category"), sort="category"),
        Column("started_on", gettext_lazy("Start date"), sort="started_on"),
        Column("funding", gettext_lazy("Funding"), sort="funding"),
        Column("amount_invoiced", gettext_lazy("Amount (MAD)"), sort="amount_invoiced"),
        Column("satisfaction", gettext_lazy("Satisfaction"), sort="satisfaction"),
    ]
    default_sort = "-started_on"
    create_service = staticmethod(services.delivery_create)
    update_service = staticmethod(services.delivery_update)
    schema = DeliveryOut
    api_summary = "Deliveries you may see"
    detail_template = "services/delivery_detail.html"

    def totals(self, queryset: Any) -> dict[str, Any]:
        totals = selectors.delivery_totals(queryset)
        return {
            "reference": _("Total: %(count)s deliveries") % {"count": totals["deliveries"]},
            "company": _("%(count)s companies") % {"count": totals["companies"]},
            "amount_invoiced": format_mad(totals["amount"]),
        }


class Companies(Resource):
    model = Company
    path = "companies"
    form = CompanyForm
    filterset = CompanyFilter
    title = gettext_lazy("Companies")
    title_create = gettext_lazy("New company")
    title_edit = gettext_lazy("Edit company")
    columns = [
        Column("name", gettext_lazy("Name"), sort="name", link=True),
        Column("name_ar", gettext_lazy("Name in Arabic")),
        Column("ice", gettext_lazy("ICE"), sort="ice"),
        Column("size_class", gettext_lazy("Size"), sort="size_class"),
        Column("sector", gettext_lazy("Sector"), sort="sector"),
        Column("region", gettext_lazy("Region"), sort="region"),
        Column("city", gettext_lazy("City"), sort="city"),
    ]
    default_sort = "name"
    create_service = staticmethod(services.company_register)
    update_service = staticmethod(services.company_update)
    prefill = ("ice", "name")  # a company to register from a service request
    schema = CompanyOut
    api_summary = "Companies you may see (`ice`: the one with this ICE)"
    detail_template = "services/company_detail.html"

    def detail_context(self, request: HttpRequest, obj: Company) -> dict[str, Any]:
        """Every service the company received from the CTIs the viewer may see."""
        deliveries = (
            ServiceDelivery.objects.visible_to(request.user)
            .filter(company=obj)
            .select_related("cti", "offering")
            .order_by("-started_on")
        )
        return {"deliveries": deliveries, "totals": selectors.delivery_totals(deliveries)}


class Offerings(Resource):
    model = ServiceOffering
    path = "offerings"
    name = "offering"
    export_name = "catalogue"
    form = OfferingForm
    filterset = OfferingFilter
    title = gettext_lazy("Service catalogue")
    title_create = gettext_lazy("New catalogue service")
    title_edit = gettext_lazy("Edit catalogue service")
    related = ("cti",)
    columns = [
        Column("code", gettext_lazy("Code"), sort="code", link=True),
        Column("cti", gettext_lazy("CTI"), accessor="cti.acronym", sort="cti__acronym"),
        Column("title", gettext_lazy("Title"), sort="title"),
        Column("category", gettext_lazy("Category"), sort="category"),
        Column("sector", gettext_lazy("Sector"), sort="sector"),
        Column("pricing", gettext_lazy("Price")),
        Column("lead_time", gettext_lazy("Lead time")),
        Column("is_public", gettext_lazy("Public"), sort="is_public"),
        Column("is_active", gettext_lazy("Active"), sort="is_active"),
    ]
    default_sort = "code"
    create_service = staticmethod(services.offering_create)
    update_service = staticmethod(services.offering_update)
    schema = OfferingOut
    api_summary = "Catalogue services you may see"
    detail_template = "services/offering_detail.html"


def _convert(actor: Any, request: ServiceRequest, data: dict[str, Any]) -> ServiceDelivery:
    data = dict(data)
    company = data.pop("company_ice")  # the form found the company by its ICE
    return services.service_request_convert(actor=actor, request=request, company=company, **data)


class Requests(Resource):
    """The CTI's inbox of requests sent from the public catalogue: answered by steps, never
    created or edited here."""

    model = ServiceRequest
    path = "requests"
    name = "request"
    filterset = RequestFilter
    title = gettext_lazy("Service requests")
    related = ("cti", "offering")
    columns = [
        Column("received_at", gettext_lazy("Received"), sort="received_at", link=True),
        Column("cti", gettext_lazy("CTI"), accessor="cti.acronym", sort="cti__acronym"),
        Column("offering", gettext_lazy("Service"), accessor="offering.title"),
        Column("company_name", gettext_lazy("Company"), sort="company_name"),
        Column("contact_name", gettext_lazy("Contact")),
        Column("email", gettext_lazy("E-mail")),
        Column("status", gettext_lazy("Status"), sort="status"),
    ]
    default_sort = "-received_at"
    steps = (
        Step("accept", "request_accept", action="answer", done_message=gettext_lazy("Request accepted."),
             take=lambda actor, request, data: services.service_request_accept(
                 actor=actor, request=request)),
        Step("decline", "request_decline", form=DeclineForm, action="answer",
             done_message=gettext_lazy("Request declined."),
             take=lambda actor, request, data: services.service_request_decline(
                 actor=actor, request=request, **data)),
        Step("ice", "request_fix_ice", form=FixIceForm, action="answer",
             done_message=gettext_lazy("ICE corrected."),
             take=lambda actor, request, data: services.service_request_fix_ice(
                 actor=actor, request=request, **data)),
        Step("convert", "request_convert", form=ConvertForm, action="answer", take=_convert,
             answer=DeliveryOut, creates=True,
             done_message=gettext_lazy("Delivery recorded from the request.")),
    )  # fmt: skip
    schema = RequestOut
    api_summary = "Requests from the public catalogue (`status`: new, accepted…)"
    detail_template = "services/request_detail.html"

    def detail_context(self, request: HttpRequest, obj: ServiceRequest) -> dict[str, Any]:
        # Named only if this user may see it: anyone can type another CTI's client's ICE here.
        company = services.company_by_ice(obj.ice) if obj.ice else None
        if company is not None and not access.can_view(request.user, company):
            company = None
        return {
            "open": obj.status in (RequestStatus.NEW, RequestStatus.ACCEPTED),
            "decline_form": DeclineForm(),
            "convert_form": ConvertForm(
                initial={"company_ice": obj.ice, "reference": f"DEM-{obj.pk}"}
            ),
            "known_company": company,
            "fix_ice_form": FixIceForm(initial={"ice": obj.ice}),
            # The company to register, pre-filled from what the visitor wrote.
            "register_url": reverse("services:company_create")
            + "?"
            + urlencode({"ice": obj.ice, "name": obj.company_name}),
        }


RESOURCES = register(Deliveries, Companies, Offerings, Requests)
