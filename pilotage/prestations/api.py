"""API of the services register: companies, catalogue, requests and deliveries you may see, and
their writes; the published catalogue is read without authentication."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from pilotage.api.pagination import BoundedPagination
from pilotage.core import access
from pilotage.core.forms import validated
from pilotage.core.registry import add_api_routes
from pilotage.prestations import resources, selectors, services
from pilotage.prestations.forms import ConvertForm
from pilotage.prestations.models import ServiceOffering, ServiceRequest
from pilotage.prestations.resources import DeliveryOut

router = Router(tags=["services to companies"])
add_api_routes(router, resources.RESOURCES)


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


# --- deliveries --------------------------------------------------------------------------------


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
