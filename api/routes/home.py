"""The front door: `/` says what is loaded and links to every view, the docs and the cookbook.

Server-rendered HTML with no script and no outside link, so it works offline and in any
browser; labels are in Chinese and English. `/cookbook` lists the analysts' Cypher recipes.
Views under `/viz` answer a bad name with an HTML page from here too (`problem_page`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException

from livekg.api import services
from livekg.api.deps import BackendDep, SettingsDep
from livekg.api.problems import problem
from livekg.graph import cookbook, viz
from livekg.graph.results import NodeRef
from livekg.graph.schema import ENTITY_LABELS, Label

router = APIRouter(tags=["front door"])
DOCS_ASSETS = "/docs-assets"  # where fastapi-offline serves Swagger UI's and ReDoc's files
SEARCH_SHOWN = 25
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_HTML: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "an HTML page"}}
# No script at all; styles are inline; forms post back to this server only.
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                               "img-src 'self'; form-action 'self'; base-uri 'none'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_REDOC_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; "
                               "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                               "font-src 'self' data:; worker-src 'self' blob:; "
                               "connect-src 'self'; object-src 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

# Names of the labels and relationship types: one list, shared with the views' keys.
LABEL_NAMES = viz.LABEL_NAMES
RELATIONSHIP_NAMES = viz.RELATIONSHIP_NAMES


@dataclass(frozen=True)
class Link:
    href: str
    zh: str
    en: str
    note: str = ""


@router.get("/", response_class=HTMLResponse, responses=_HTML,
            summary="The landing page: what is loaded, search, views, docs, cookbook")
def landing(request: Request, backend: BackendDep, settings: SettingsDep,
            q: str | None = Query(None, max_length=100, description="a name to search for")
            ) -> HTMLResponse:
    stats = backend.stats()
    hits = services.search(backend, q) if q and q.strip() else []
    tasks = backend.list_nodes(Label.TASK)
    return _render("home.html.j2", status=200, title="livekg", context={
        "backend": backend.name,
        "stats": stats,
        "documents": [(document, sum(1 for t in tasks if t["document"] == document.id))
                      for document in services.documents(backend)],
        "labels": [(label, LABEL_NAMES.get(label, ""), count)
                   for label, count in sorted(stats.nodes_by_label.items())],
        "relationships": [(kind, RELATIONSHIP_NAMES.get(kind, ""), count)
                          for kind, count in sorted(stats.relationships_by_type.items())],
        "query": q or "",
        "hits": [(hit, _hit_link(hit.node)) for hit in hits[:SEARCH_SHOWN]],
        "hit_total": len(hits),
        "views": _views(backend, stats.nodes_by_label, tasks),
        "docs": [
            Link("/docs", "接口文档", "API reference (Swagger UI): try every endpoint"),
            Link("/redoc", "接口说明", "API reference (ReDoc): read it"),
            Link("/openapi.json", "OpenAPI", "the machine-readable spec"),
            Link("/cookbook", "Cypher 查询手册", "Cypher cookbook: ready-made read-only queries",
                 "" if settings.backend == "neo4j" else
                 "POST /v1/cypher needs the Neo4j backend (livekg serve --backend neo4j)"),
        ],
    })


@router.get("/cookbook", response_class=HTMLResponse, responses=_HTML,
            summary="The Cypher cookbook: one read-only question per recipe")
def cookbook_page() -> HTMLResponse:
    return _render("cookbook.html.j2", status=200, title="Cypher cookbook",
                   context={"recipes": cookbook.recipes()})


@router.get("/redoc", include_in_schema=False)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc from the installed fastapi-offline files. Its bundle hard-codes one outside image
    (the Redocly logo); the policy below makes the browser refuse it, and ReDoc then hides it."""
    root = request.scope.get("root_path", "")
    page = get_redoc_html(openapi_url=f"{root}{request.app.openapi_url}",
                          title=f"{request.app.title} - ReDoc",
                          redoc_js_url=f"{root}{DOCS_ASSETS}/redoc.standalone.js",
                          redoc_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
                          with_google_fonts=False)
    page.headers.update(_REDOC_HEADERS)
    return page


def problem_page(request: Request, status: int, title: str, detail: str,
                 suggestions: list[str] | None = None) -> HTMLResponse:
    """An error as a page a browser shows; each suggestion links to the same view for it."""
    parent = request.url.path.rsplit("/", 1)[0]
    links = [(name, f"{parent}/{quote(name, safe='')}") for name in suggestions or []]
    return _render("problem.html.j2", status=status, title=title,
                   context={"status": status, "detail": detail, "suggestions": links})


# Paths a program reads: their 404 stays JSON problem details. Everything else is a browser's.
_JSON_PATHS = ("/v1", "/openapi.json", "/health", "/ready", DOCS_ASSETS)


async def not_found(request: Request, error: Exception) -> Response:
    """404 for a path no route matched (or a route's own 404): an HTML page under /viz and
    the other browser-facing paths, JSON problem details under /v1."""
    detail = str(error.detail) if isinstance(error, HTTPException) else str(error)
    path = request.url.path.removeprefix(str(request.scope.get("root_path", "")))
    if path.startswith(_JSON_PATHS):
        return problem(404, "Not Found", detail)
    if detail == "Not Found":
        detail = f"nothing at {path} · 没有此页面"
    return _render("problem.html.j2", status=404, title="Not found · 未找到",
                   context={"status": 404, "detail": detail, "suggestions": [
                       (link.zh + " " + link.en, link.href) for link in _fixed_views()]})


def _fixed_views() -> list[Link]:
    return [Link("/viz", "全图", "The whole graph"),
            Link("/viz/co-ownership", "共同负责网络",
                 "Co-ownership: units linked by the tasks they share")]


def _views(backend: BackendDep, counts: dict[str, int],
           tasks: list[dict[str, Any]]) -> list[Link]:
    views = [Link("/viz", "全图", "The whole graph", f"{sum(counts.values())} nodes"),
             Link("/viz/co-ownership", "共同负责网络",
                  "Co-ownership: units linked by the tasks they share, coloured by community")]
    units = backend.list_nodes(Label.UNIT)
    if units:
        views.append(Link(f"/viz/units/{quote(units[0]['id'], safe='')}", "单位视图",
                          f"One unit and its neighbourhood, e.g. {units[0]['name']}",
                          "any unit: /viz/units/{name or id}, ?depth=1–3"))
        views.append(Link(f"/viz/explore/{quote(units[0]['id'], safe='')}", "展开浏览",
                          f"Explorer: start at one node ({units[0]['name']}), click to add "
                          "its neighbours, see where each fact comes from",
                          "any node: /viz/explore/{name or id}; double click a node in any "
                          "view"))
    if tasks:
        first = min(tasks, key=lambda t: (t["document"], t["number"]))
        views.append(Link(f"/viz/tasks/{quote(first['id'], safe='')}", "任务视图",
                          f"One task with its owners and mentions, e.g. {first['title']}",
                          "any task: /viz/tasks/{id or number}"))
    for label in ENTITY_LABELS:
        views.append(Link(f"/viz/entities/{label.value.lower()}", f"{LABEL_NAMES[label]}视图",
                          f"Every {label.value.lower()} and the tasks naming it",
                          f"{counts.get(label, 0)} loaded"))
    return views


def _hit_link(node: NodeRef) -> str:
    """The view that shows a search hit best."""
    node_id = quote(node.id, safe="")
    if Label.UNIT in node.labels:
        return f"/viz/units/{node_id}"
    if Label.TASK in node.labels:
        return f"/viz/tasks/{node_id}"
    for label in ENTITY_LABELS:
        if label in node.labels:
            return f"/v1/entities/{label.value.lower()}/{node_id}"
    if Label.DOCUMENT in node.labels:
        return f"/v1/documents/{node_id}"
    if Label.SECTION in node.labels:
        return f"/v1/tasks?section={node_id}"
    return f"/v1/search?q={quote(node.name, safe='')}"


def _render(template: str, *, status: int, title: str, context: dict[str, Any]
            ) -> HTMLResponse:
    html = _environment().get_template(template).render(
        title=title, css=_css(), docs_assets=DOCS_ASSETS, **context)
    return HTMLResponse(html, status_code=status, headers=_HEADERS)


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(_TEMPLATES),
                       autoescape=select_autoescape(enabled_extensions=("j2", "html")))


@cache
def _css() -> str:
    return (_TEMPLATES / "home.css").read_text(encoding="utf-8")
