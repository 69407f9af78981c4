"""The API's page-number pagination, shared by every list route."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# Far beyond any roster, and keeps (page - 1) × page size inside the database's integer range.
MAX_PAGE = 1_000_000


class Pagination(PageNumberPagination):
    """ninja's own, with an upper bound on `page`: ?page=99999999999999999999 is a 422, not an offset that
    overflows the database's 64-bit integer and answers 500."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)
