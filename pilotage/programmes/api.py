"""API of plans and agreements: lists, reads, creation, updates and the agreements' steps
(lifecycle, parties, amendments) come from the resources' declarations (`resources.py`)."""

from ninja import Router

from pilotage.core.registry import add_api_routes
from pilotage.programmes import resources

router = Router(tags=["plans and agreements"])
add_api_routes(router, resources.RESOURCES)
