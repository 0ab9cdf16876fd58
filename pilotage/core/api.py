"""API of the core app: who am I, the organisations directory and its history."""

from datetime import datetime
from typing import Any

from django.forms.models import model_to_dict
from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilotage.api.pagination import BoundedPagination
from pilotage.core import access, services
from pilotage.core.audit import history_of
from pilotage.core.filters import OrganisationFilter
from pilotage.core.forms import OrganisationForm, validated
from pilotage.core.models import Organisation

router = Router(tags=["core"])


class MembershipOut(Schema):
    organisation_id: int
    organisation: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    preferred_language: str
    memberships: list[MembershipOut]


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


class OrganisationIn(Schema):
    name: str = Field("", description="In the request's language (name_fr etc. set one language).")
    name_fr: str | None = None
    name_ar: str | None = None
    name_en: str | None = None
    acronym: str
    kind: str
    sector: str = ""
    federations: list[int] = []
    city: str = ""
    region: str = ""
    website: str = ""
    email: str = ""
    description: str = ""
    is_active: bool = True
    reason: str = Field("", max_length=500, description="Why: kept in the history.")


class OrganisationPatch(Schema):
    name: str | None = None
    name_fr: str | None = None
    name_ar: str | None = None
    name_en: str | None = None
    acronym: str | None = None
    kind: str | None = None
    sector: str | None = None
    federations: list[int] | None = None
    city: str | None = None
    region: str | None = None
    website: str | None = None
    email: str | None = None
    description: str | None = None
    is_active: bool | None = None
    reason: str = Field("", max_length=500, description="Why: kept in the history.")


class OrganisationQuery(FilterSchema):
    q: str | None = None
    kind: str | None = None
    region: str | None = None
    federations: int | None = None
    is_active: bool | None = None


class FieldChangeOut(Schema):
    field: str
    old: Any
    new: Any


class HistoryOut(Schema):
    date: datetime
    user: str | None
    kind: str
    reason: str | None
    changes: list[FieldChangeOut]


@router.get("/me", response=MeOut, summary="The signed-in user and their roles")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    memberships = user.memberships.select_related("organisation")
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "memberships": [
            {
                "organisation_id": m.organisation_id,
                "organisation": str(m.organisation),
                "role": m.role,
            }
            for m in memberships
        ],
    }


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations directory")
@paginate(BoundedPagination)
def organisation_list(request: HttpRequest, filters: Query[OrganisationQuery]):
    queryset = Organisation.objects.visible_to(request.user).prefetch_related("federations")
    # The same filters as the page, so the API and the screen agree on what a filter means.
    data = {k: v for k, v in filters.dict().items() if v is not None}
    filterset = OrganisationFilter(data, queryset=queryset, request=request)
    validated(filterset.form)  # a bad filter is a 422 with its field, as on the page
    return filterset.qs


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def organisation_detail(request: HttpRequest, organisation_id: int) -> Organisation:
    return access.get_visible(Organisation, request.user, organisation_id)


@router.post("/organisations", response={201: OrganisationOut})
def organisation_create(request: HttpRequest, payload: OrganisationIn):
    access.ensure_can_create(request.user, Organisation)  # 403 before any validation detail
    form = validated(OrganisationForm(data=payload.dict(), user=request.user))
    organisation = services.organisation_create(
        actor=request.user, reason=payload.reason, **form.service_fields()
    )
    return Status(201, organisation)


def _update(request: HttpRequest, organisation_id: int, changes: dict[str, Any], reason: str):
    organisation = access.get_editable(Organisation, request.user, organisation_id)
    current = model_to_dict(organisation, fields=OrganisationForm._meta.fields)
    current["federations"] = [f.pk for f in current.get("federations", [])]
    form = validated(
        OrganisationForm(data={**current, **changes}, instance=organisation, user=request.user)
    )
    return services.organisation_update(
        actor=request.user, organisation=organisation, reason=reason, **form.service_fields()
    )


@router.put("/organisations/{organisation_id}", response=OrganisationOut)
def organisation_replace(request: HttpRequest, organisation_id: int, payload: OrganisationIn):
    data = payload.dict()
    return _update(request, organisation_id, data, data.pop("reason"))


@router.patch("/organisations/{organisation_id}", response=OrganisationOut)
def organisation_patch(request: HttpRequest, organisation_id: int, payload: OrganisationPatch):
    data = payload.dict(exclude_none=True)
    return _update(request, organisation_id, data, data.pop("reason", ""))


@router.get("/organisations/{organisation_id}/history", response=list[HistoryOut])
def organisation_history(request: HttpRequest, organisation_id: int) -> list[dict[str, Any]]:
    organisation = access.get_visible(Organisation, request.user, organisation_id)
    return [
        {
            "date": entry.record.history_date,
            "user": entry.author if entry.record.history_user_id else None,
            "kind": entry.record.history_type,
            "reason": entry.reason,
            "changes": [
                {"field": c.field, "old": _json(c.old), "new": _json(c.new)} for c in entry.changes
            ],
        }
        for entry in history_of(organisation, request.user)
    ]


def _json(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)
