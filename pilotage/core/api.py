"""API of the core app: who am I; the organisations directory (and its history) comes from its
resource's declaration (`resources.py`)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from pilotage.core import resources
from pilotage.core.registry import add_api_routes

router = Router(tags=["core"])
add_api_routes(router, resources.RESOURCES)


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
