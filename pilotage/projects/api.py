"""API of projects and milestones: lists, reads, creation, updates and steps come from the
resources' declarations (`resources.py`)."""

from ninja import Router

from pilotage.core.registry import add_api_routes
from pilotage.projects import resources

router = Router(tags=["projects"])
add_api_routes(router, resources.RESOURCES)
