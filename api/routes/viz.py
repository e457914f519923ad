"""Interactive views as offline HTML pages (vis-network inlined): open them in a browser.

Paths take an id or any name, like the JSON routes; unknown names are 404 problem details.
The views are built by graph.viz, which the `livekg viz` command shares.
"""

from __future__ import annotations

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse

from livekg.api.deps import BackendDep
from livekg.graph import viz
from livekg.graph.viz import MAX_DEPTH, View

router = APIRouter(prefix="/viz", tags=["visualizations"])
_HTML = {200: {"content": {"text/html": {}}, "description": "a self-contained HTML page"}}
# The page carries its own Content-Security-Policy (a meta tag with script hashes); these
# headers only stop browsers guessing the type and leaking the view's URL to other sites.
_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def _page(view: View) -> HTMLResponse:
    return HTMLResponse(viz.render_html(view), headers=_HEADERS)


@router.get("", response_class=HTMLResponse, responses=_HTML, summary="The whole graph")
def whole(backend: BackendDep) -> HTMLResponse:
    return _page(viz.whole_graph(backend))


@router.get("/units/{unit_id}", response_class=HTMLResponse, responses=_HTML,
            summary="A unit and its neighbourhood")
def unit(backend: BackendDep,
         unit_id: str = Path(description="unit id, short name, full name, alias or English name",
                             examples=["区商务委"]),
         depth: int = Query(1, ge=1, le=MAX_DEPTH, description="hops from the unit")
         ) -> HTMLResponse:
    return _page(viz.unit_view(backend, unit_id, depth))


@router.get("/tasks/{task_id}", response_class=HTMLResponse, responses=_HTML,
            summary="A task with its owners, mentions, section and document")
def task(backend: BackendDep,
         task_id: str = Path(description="task id, title or number", examples=["9"])
         ) -> HTMLResponse:
    return _page(viz.task_view(backend, task_id))


@router.get("/co-ownership", response_class=HTMLResponse, responses=_HTML,
            summary="Units linked by shared tasks (edge width = shared tasks)")
def co_ownership(backend: BackendDep) -> HTMLResponse:
    return _page(viz.co_ownership_view(backend))


@router.get("/entities/{entity_type}", response_class=HTMLResponse, responses=_HTML,
            summary="All entities of one type and the tasks naming them")
def entities(backend: BackendDep,
             entity_type: str = Path(description="venue, base, association, enterprise, "
                                                 "event, program, policy or technology",
                                     examples=["venue"])
             ) -> HTMLResponse:
    return _page(viz.entity_type_view(backend, entity_type))
