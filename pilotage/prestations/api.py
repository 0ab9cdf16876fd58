"""API of the services register. Companies, the catalogue, deliveries and requests come from their
resources' declarations (`resources.py`); here, the published catalogue, read without
authentication."""

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from pilotage.api.pagination import BoundedPagination
from pilotage.core import access
from pilotage.core.registry import add_api_routes
from pilotage.prestations import resources, selectors
from pilotage.prestations.models import ServiceOffering

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
