"""API of standards work: lists, reads, creation, updates and the steps (next stage, review) come
from the resource's declaration (`resources.py`)."""

from ninja import Router

from pilotage.core.registry import add_api_routes
from pilotage.standards import resources

router = Router(tags=["standards"])
add_api_routes(router, resources.RESOURCES)
