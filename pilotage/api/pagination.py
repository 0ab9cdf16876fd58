"""The API's one pagination: ninja's limit/offset, with the offset bounded.

An offset past what a database integer holds (`?offset=10**30`) reached the query and failed
there (a 500); no list comes near a billion rows, so a larger offset is a 422 like any other
invalid parameter."""

from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination

MAX_OFFSET = 1_000_000_000


class BoundedPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.PAGINATION_PER_PAGE, ge=1, le=settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
