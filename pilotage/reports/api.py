"""API of report editions: list, read, request and publish come from the resource's declaration
(`resources.py`); the files and the open data are plain downloads (urls.py)."""

from ninja import Router

from pilotage.core.registry import add_api_routes
from pilotage.reports import resources

router = Router(tags=["reports"])
add_api_routes(router, resources.RESOURCES)
