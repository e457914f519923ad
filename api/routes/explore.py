from fastapi import APIRouter, Query

from livekg.api import services
from livekg.api.deps import BackendDep
from livekg.api.models import NodeLink, Page, SearchHit, Stats, Subgraph
from livekg.api.params import Limit, Offset
from livekg.graph.errors import NodeNotFound
from livekg.graph.schema import Label

router = APIRouter(prefix="/v1", tags=["explore"])


@router.get("/search", response_model=Page[SearchHit],
            summary="Search names, full names, aliases, English names and pinyin, best first")
def search(backend: BackendDep,
           q: str = Query(..., min_length=1, max_length=100, examples=["yuyuan", "商务委"]),
           limit: Limit = 10, offset: Offset = 0) -> Page[SearchHit]:
    return services.page(services.search(backend, q), limit, offset)


@router.get("/path", response_model=Subgraph, summary="A shortest path between two nodes")
def path(backend: BackendDep,
         source: str = Query(..., alias="from", max_length=200, examples=["区体育局"]),
         target: str = Query(..., alias="to", max_length=200, examples=["区外办"])) -> Subgraph:
    found = backend.shortest_path(source, target)
    if found is None:
        raise NodeNotFound(f"{source} → {target}", "path", [])
    return found


@router.get("/graph", response_model=NodeLink, summary="The graph as node-link JSON")
def graph(backend: BackendDep,
          label: list[Label] | None = Query(None, description="keep nodes with these labels")
          ) -> NodeLink:
    return NodeLink.model_validate(backend.node_link(labels=label))


@router.get("/stats", response_model=Stats, summary="Counts by label and relationship type")
def stats(backend: BackendDep) -> Stats:
    return backend.stats()
