"""`/v1/neighbours/{node}`: one page of a node's neighbours, for the explorer and for scripts.

The answer carries the neighbours twice: as node-link data (`graph`, the API's usual shape)
and as the records the explorer page draws (`draw`, built by graph.viz like the pages), so a
node added by a click looks exactly like one the page was drawn with.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from livekg.api.deps import BackendDep
from livekg.api.models import NodeLink
from livekg.api.params import Offset
from livekg.graph import viz

router = APIRouter(prefix="/v1", tags=["explore"])


class Neighbours(BaseModel):
    node: str = Field(description="the node's id")
    name: str = Field(description="the node's name")
    total: int = Field(description="how many neighbours it has")
    offset: int
    limit: int
    shown: int = Field(description="neighbours in this answer")
    more: int = Field(description="neighbours after this page")
    graph: NodeLink = Field(description="the node, these neighbours and the links among them")
    draw: dict[str, Any] = Field(description="vis-network records and keys for the explorer")


@router.get("/neighbours/{node}", response_model=Neighbours,
            summary="A page of a node's neighbours, ordered by label then id")
def neighbours(backend: BackendDep,
               node: str = Path(description="any node's id or name", examples=["区商务委"]),
               limit: Annotated[int, Query(ge=1, le=viz.EXPAND_LIMIT,
                                           description="neighbours per page")] = viz.EXPAND_LIMIT,
               offset: Offset = 0) -> Neighbours:
    page = viz.neighbours(backend, node, limit, offset)
    name = next(str(n.get("name", n["id"])) for n in page.data["nodes"] if n["id"] == page.node)
    return Neighbours(node=page.node, name=name, total=page.total, offset=page.offset,
                      limit=limit, shown=page.shown, more=page.more,
                      graph=NodeLink.model_validate(page.data),
                      draw=viz.vis_records(page.data))
