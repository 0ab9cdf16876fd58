"""API of the services register: companies, catalogue, requests and deliveries you may see, and
their writes; the published catalogue is read without authentication."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilotage.api.pagination import BoundedPagination
from pilotage.core import access
from pilotage.core.filters import YEAR_MAX, YEAR_MIN
from pilotage.core.forms import validated
from pilotage.prestations import selectors, services
from pilotage.prestations.forms import CompanyForm, ConvertForm, DeliveryForm, OfferingForm
from pilotage.prestations.models import Company, ServiceDelivery, ServiceOffering, ServiceRequest

router = Router(tags=["services to companies"])


class CompanyOut(Schema):
    id: int
    ice: str
    ice_override_reason: str
    name: str
    name_ar: str
    legal_form: str
    size_class: str
    sector: str
    region: str
    city: str


class CompanyIn(Schema):
    ice: str
    ice_override_reason: str = Field("", max_length=500)
    name: str
    name_ar: str = ""
    legal_form: str = ""
    size_class: str
    sector: str = ""
    region: str
    city: str = ""
    reason: str = Field("", max_length=500)


class OfferingOut(Schema):
    id: int
    cti_id: int
    cti_acronym: str = Field(alias="cti.acronym")
    code: str
    category: str
    sector: str
    title: str
    title_ar: str
    title_en: str
    description: str
    description_ar: str
    description_en: str
    pricing: str
    lead_time: str
    accreditation: str
    contact_email: str
    contact_phone: str
    is_public: bool
    is_active: bool


class PublicOfferingOut(Schema):
    id: int
    cti_acronym: str = Field(alias="cti.acronym")
    code: str
    category: str
    sector: str
    title: str
    title_ar: str
    title_en: str
    description: str
    description_ar: str
    description_en: str


class OfferingIn(Schema):
    cti: int
    code: str
    category: str
    sector: str = ""
    title: str
    title_ar: str = ""
    title_en: str = ""
    description: str = ""
    description_ar: str = ""
    description_en: str = ""
    pricing: str = ""
    lead_time: str = ""
    accreditation: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    is_public: bool = False
    is_active: bool = True
    reason: str = Field("", max_length=500)


class DeliveryOut(Schema):
    id: int
    cti_id: int
    reference: str
    company_id: int
    company_ice: str = Field(alias="company.ice")
    offering_id: int | None
    category: str
    title: str
    started_on: date
    ended_on: date | None
    amount_invoiced: Decimal
    funding: str
    task_force_project: str
    satisfaction: int | None
    request_id: int | None


class DeliveryIn(Schema):
    cti: int
    reference: str
    company_ice: str
    offering: int | None = None
    category: str = ""
    title: str = ""
    started_on: date
    ended_on: date | None = None
    amount_invoiced: str = "0"
    funding: str = "paid"
    task_force_project: str = ""
    satisfaction: int | None = None
    reason: str = Field("", max_length=500)


class DeliveryQuery(FilterSchema):
    cti: Annotated[int | None, FilterLookup("cti_id")] = None
    company: Annotated[int | None, FilterLookup("company_id")] = None
    category: str | None = None
    year: Annotated[
        int | None, FilterLookup("started_on__year"), Field(ge=YEAR_MIN, le=YEAR_MAX)
    ] = None


class RequestOut(Schema):
    id: int
    offering_id: int
    cti_id: int
    company_name: str
    ice: str
    contact_name: str
    email: str
    phone: str
    message: str
    status: str
    decision_reason: str
    decided_by_id: int | None
    decided_at: datetime | None
    received_at: datetime


class DeclineIn(Schema):
    reason: str = Field(..., max_length=2000)


class ConvertIn(Schema):
    company_ice: str
    reference: str = Field(..., max_length=50)
    started_on: str = Field(..., description="YYYY-MM-DD")
    amount_invoiced: str = "0"


# --- companies ---------------------------------------------------------------------------------


@router.get("/companies", response=list[CompanyOut])
@paginate(BoundedPagination)
def company_list(request: HttpRequest, ice: str | None = None):
    companies = Company.objects.visible_to(request.user)
    return companies.filter(ice=ice) if ice else companies


@router.get("/companies/{company_id}", response=CompanyOut)
def company_detail(request: HttpRequest, company_id: int) -> Company:
    return access.get_visible(Company, request.user, company_id)


@router.post("/companies", response={201: CompanyOut}, summary="Register a company by its ICE")
def company_create(request: HttpRequest, payload: CompanyIn):
    access.ensure_can_create(request.user, Company)
    form = validated(CompanyForm(data=payload.dict(), user=request.user))
    company = services.company_register(
        actor=request.user, reason=payload.reason, **form.service_fields()
    )
    return Status(201, company)


@router.put("/companies/{company_id}", response=CompanyOut)
def company_update(request: HttpRequest, company_id: int, payload: CompanyIn) -> Company:
    company = access.get_editable(Company, request.user, company_id)
    form = validated(CompanyForm(data=payload.dict(), instance=company, user=request.user))
    return services.company_update(
        actor=request.user, company=company, reason=payload.reason, **form.service_fields()
    )


# --- catalogue ---------------------------------------------------------------------------------


@router.get("/catalogue", response=list[PublicOfferingOut], auth=None, summary="Public catalogue")
@paginate(BoundedPagination)
def catalogue(
    request: HttpRequest,
    q: str = "",
    sector: str = "",
    category: str = "",
    cti: int | None = None,
):
    return selectors.catalogue_search(text=q[:200], sector=sector, category=category, cti=cti)


@router.get("/catalogue/{serviceoffering_id}", response=PublicOfferingOut, auth=None)
def catalogue_entry(request: HttpRequest, serviceoffering_id: int) -> ServiceOffering:
    return access.get_visible(ServiceOffering, None, serviceoffering_id)


@router.get("/offerings", response=list[OfferingOut])
@paginate(BoundedPagination)
def offering_list(request: HttpRequest):
    return ServiceOffering.objects.visible_to(request.user).select_related("cti")


@router.get("/offerings/{serviceoffering_id}", response=OfferingOut)
def offering_detail(request: HttpRequest, serviceoffering_id: int) -> ServiceOffering:
    return access.get_visible(ServiceOffering, request.user, serviceoffering_id)


@router.post("/offerings", response={201: OfferingOut}, summary="Add a catalogue service")
def offering_create(request: HttpRequest, payload: OfferingIn):
    access.ensure_can_create(request.user, ServiceOffering)
    form = validated(OfferingForm(data=payload.dict(), user=request.user))
    offering = services.offering_save(
        actor=request.user, reason=payload.reason, **form.service_fields()
    )
    return Status(201, offering)


@router.put("/offerings/{serviceoffering_id}", response=OfferingOut)
def offering_update(request: HttpRequest, serviceoffering_id: int, payload: OfferingIn):
    offering = access.get_editable(ServiceOffering, request.user, serviceoffering_id)
    form = validated(OfferingForm(data=payload.dict(), instance=offering, user=request.user))
    return services.offering_save(
        actor=request.user, offering=offering, reason=payload.reason, **form.service_fields()
    )


# --- deliveries --------------------------------------------------------------------------------


@router.get("/deliveries", response=list[DeliveryOut])
@paginate(BoundedPagination)
def delivery_list(request: HttpRequest, filters: Query[DeliveryQuery]):
    deliveries = ServiceDelivery.objects.visible_to(request.user).select_related("company")
    return filters.filter(deliveries)


@router.get("/deliveries/{servicedelivery_id}", response=DeliveryOut)
def delivery_detail(request: HttpRequest, servicedelivery_id: int) -> ServiceDelivery:
    return access.get_visible(ServiceDelivery, request.user, servicedelivery_id)


@router.post("/deliveries", response={201: DeliveryOut}, summary="Record a delivery")
def delivery_create(request: HttpRequest, payload: DeliveryIn):
    access.ensure_can_create(request.user, ServiceDelivery)
    form = validated(DeliveryForm(data=payload.dict(), user=request.user))
    delivery = services.delivery_create(
        actor=request.user, reason=payload.reason, **form.service_fields()
    )
    return Status(201, delivery)


@router.put("/deliveries/{servicedelivery_id}", response=DeliveryOut)
def delivery_update(request: HttpRequest, servicedelivery_id: int, payload: DeliveryIn):
    delivery = access.get_editable(ServiceDelivery, request.user, servicedelivery_id)
    form = validated(DeliveryForm(data=payload.dict(), instance=delivery, user=request.user))
    return services.delivery_update(
        actor=request.user, delivery=delivery, reason=payload.reason, **form.service_fields()
    )


# --- requests ----------------------------------------------------------------------------------


@router.get("/requests", response=list[RequestOut])
@paginate(BoundedPagination)
def request_list(request: HttpRequest, status: str | None = None):
    requests = ServiceRequest.objects.visible_to(request.user)
    return requests.filter(status=status) if status else requests


@router.get("/requests/{servicerequest_id}", response=RequestOut)
def request_detail(request: HttpRequest, servicerequest_id: int) -> ServiceRequest:
    return access.get_visible(ServiceRequest, request.user, servicerequest_id)


@router.post("/requests/{servicerequest_id}/accept", response=RequestOut)
def request_accept(request: HttpRequest, servicerequest_id: int) -> ServiceRequest:
    request_obj = access.get_visible(ServiceRequest, request.user, servicerequest_id)
    return services.service_request_accept(actor=request.user, request=request_obj)


@router.post("/requests/{servicerequest_id}/decline", response=RequestOut)
def request_decline(request: HttpRequest, servicerequest_id: int, payload: DeclineIn):
    request_obj = access.get_visible(ServiceRequest, request.user, servicerequest_id)
    return services.service_request_decline(
        actor=request.user, request=request_obj, reason=payload.reason
    )


@router.post("/requests/{servicerequest_id}/convert", response={201: DeliveryOut})
def request_convert(request: HttpRequest, servicerequest_id: int, payload: ConvertIn):
    request_obj = access.get_editable(ServiceRequest, request.user, servicerequest_id)
    data = validated(ConvertForm(data=payload.dict(), user=request.user)).cleaned_data
    company = data.pop("company_ice")
    delivery = services.service_request_convert(
        actor=request.user, request=request_obj, company=company, **data
    )
    return Status(201, delivery)
