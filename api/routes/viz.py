"""Interactive views as offline HTML pages (vis-network inlined): open them in a browser.

Paths take an id or any name, like the JSON routes. A browser is reading, so an unknown name
(404), an ambiguous one (409) or a bad parameter (422) is answered with an HTML page naming the
problem and linking the close matches, not with problem-details JSON.
The views are built by graph.viz, which the `livekg viz` command shares.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute

from livekg.api.deps import BackendDep
from livekg.api.routes.home import problem_page
from livekg.graph import viz
from livekg.graph.errors import AmbiguousReference, NodeNotFound
from livekg.graph.viz import MAX_DEPTH, View


class HtmlErrorRoute(APIRoute):
    """A view route whose lookup and parameter errors are HTML pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except NodeNotFound as error:
                return problem_page(request, 404, "Not found · 未找到", str(error),
                                    error.suggestions)
            except AmbiguousReference as error:
                return problem_page(request, 409, "Ambiguous name · 名称不唯一", str(error),
                                    error.candidates)
            except RequestValidationError as error:
                detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                   for e in error.errors())
                return problem_page(request, 422, "Invalid parameters · 参数无效", detail)

        return route


router = APIRouter(prefix="/viz", tags=["visualizations"], route_class=HtmlErrorRoute)
_PAGE: dict[str, Any] = {"content": {"text/html": {}},
                         "description": "an HTML page naming the problem"}
_HTML: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "a self-contained HTML page"},
    404: _PAGE, 409: _PAGE, 422: _PAGE}
# The page carries its own Content-Security-Policy (a meta tag with script hashes); these
# headers only stop browsers guessing the type and leaking the view's URL to other sites.
_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def _page(request: Request, view: View) -> HTMLResponse:
    """Served pages link to the explorer under this server's root path."""
    root = str(request.scope.get("root_path", "")).rstrip("/")
    return HTMLResponse(viz.render_html(view, links=root), headers=_HEADERS)


@router.get("", response_class=HTMLResponse, responses=_HTML, summary="The whole graph")
def whole(request: Request, backend: BackendDep) -> HTMLResponse:
    return _page(request, viz.whole_graph(backend))


@router.get("/explore/{node}", response_class=HTMLResponse, responses=_HTML,
            summary="Explore from one node: a click on a node adds its neighbours")
def explore(request: Request, backend: BackendDep,
            node: str = Path(description="any node's id or name", examples=["区商务委"])
            ) -> HTMLResponse:
    return _page(request, viz.explore_view(backend, node))


@router.get("/units/{unit_id}", response_class=HTMLResponse, responses=_HTML,
            summary="A unit and its neighbourhood")
def unit(request: Request, backend: BackendDep,
         unit_id: str = Path(description="unit id, short name, full name, alias or English name",
                             examples=["区商务委"]),
         depth: int = Query(1, ge=1, le=MAX_DEPTH,
                            description="hops from the unit, through tasks and units; at "
                                        f"most {viz.MAX_FOCUS_NODES} nodes are drawn")
         ) -> HTMLResponse:
    return _page(request, viz.unit_view(backend, unit_id, depth))


@router.get("/tasks/{task_id}", response_class=HTMLResponse, responses=_HTML,
            summary="A task with its owners, mentions, section and document")
def task(request: Request, backend: BackendDep,
         task_id: str = Path(description="task id, title or number", examples=["9"])
         ) -> HTMLResponse:
    return _page(request, viz.task_view(backend, task_id))


@router.get("/co-ownership", response_class=HTMLResponse, responses=_HTML,
            summary="Units linked by shared tasks (edge width = shared tasks), "
                    "coloured by community")
def co_ownership(request: Request, backend: BackendDep) -> HTMLResponse:
    return _page(request, viz.co_ownership_view(backend))


@router.get("/entities/{entity_type}", response_class=HTMLResponse, responses=_HTML,
            summary="All entities of one type and the tasks naming them")
def entities(request: Request, backend: BackendDep,
             entity_type: str = Path(description="venue, base, association, enterprise, "
                                                 "event, program, policy or technology",
                                     examples=["venue"])
             ) -> HTMLResponse:
    return _page(request, viz.entity_type_view(backend, entity_type))
