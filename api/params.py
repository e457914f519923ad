"""Query parameters shared by list endpoints."""

from typing import Annotated

from fastapi import Query

MAX_LIMIT = 500

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="items to skip")]
