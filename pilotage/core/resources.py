"""The organisations directory as a resource: its pages, API routes and exports come from this
declaration (core/registry.py). People and memberships keep their own pages (views.py): an
invitation, roles and two-factor resets are not a form on one row."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Schema

from pilotage.core import selectors, services
from pilotage.core.filters import OrganisationFilter
from pilotage.core.forms import OrganisationForm
from pilotage.core.models import Organisation
from pilotage.core.registry import Resource, register
from pilotage.core.tables import Column
from pilotage.core.translation import translated_accessor


class OrganisationOut(Schema):
    id: int
    name: str = Field(description="In the request's language, French where not translated.")
    name_fr: str | None
    name_ar: str | None
    name_en: str | None
    acronym: str
    kind: str
    sector: str
    federations: list[int]
    city: str
    region: str
    website: str
    email: str
    description: str
    is_active: bool

    @staticmethod
    def resolve_federations(obj: Organisation) -> list[int]:
        return [f.pk for f in obj.federations.all()]


class Organisations(Resource):
    model = Organisation
    path = "organisations"
    form = OrganisationForm
    filterset = OrganisationFilter
    title = gettext_lazy("Organisations")
    title_create = gettext_lazy("New organisation")
    title_edit = gettext_lazy("Edit organisation")
    prefetch = ("federations",)
    columns = [
        Column("acronym", gettext_lazy("Acronym"), sort="acronym", link=True),
        Column("name", gettext_lazy("Name"), translated_accessor("name"), sort="name"),
        Column("kind", gettext_lazy("Kind"), sort="kind"),
        Column("sector", gettext_lazy("Sector"), sort="sector"),
        Column("federations", gettext_lazy("Federations")),
        Column("city", gettext_lazy("City"), sort="city"),
        Column("region", gettext_lazy("Region"), sort="region"),
        Column("is_active", gettext_lazy("Active"), sort="is_active"),
    ]
    default_sort = "acronym"
    create_service = staticmethod(services.organisation_create)
    update_service = staticmethod(services.organisation_update)
    schema = OrganisationOut
    api_summary = "Organisations directory"
    detail_template = "core/organisation_detail.html"

    def detail_context(self, request: HttpRequest, obj: Organisation) -> dict[str, Any]:
        return {
            "members": selectors.organisation_members(request.user, obj),
            "federations": obj.federations.all(),
            "member_ctis": obj.member_ctis.all(),
        }


RESOURCES = register(Organisations)
