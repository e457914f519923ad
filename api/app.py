"""The HTTP API: `create_app()` builds it, so tests and `livekg serve` each build their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline
from starlette.datastructures import MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from livekg.api.cache import CacheMiddleware
from livekg.api.problems import PROBLEM_RESPONSES, document_problems, install_problem_handlers
from livekg.api.routes import (
    cypher,
    documents,
    entities,
    explore,
    health,
    home,
    neighbours,
    tasks,
    units,
    viz,
)
from livekg.api.routes.cypher import query_slots
from livekg.core.backends import open_backend
from livekg.core.config import Settings
from livekg.graph.backend import GraphBackend

DESCRIPTION = """
Look things up in the livestream-economy policy graph: who owns a task, which departments
co-own tasks, what a unit is responsible for, where a venue appears. Names in paths accept a
stable id or any exact name or alias. Errors are JSON problem details.
"""


def create_app(settings: Settings | None = None, backend: GraphBackend | None = None) -> FastAPI:
    """The app reading `backend`, or the one `settings.backend` names, opened at startup."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with ExitStack() as stack:
            if backend is not None:
                app.state.backend = backend
            else:  # verify=False: the API starts while Neo4j is down and answers 503 until then
                app.state.backend = stack.enter_context(
                    open_backend(settings, verify=False, fail_fast=True))
            yield

    # /docs serves Swagger UI from the installed fastapi-offline package, not from a CDN, so it
    # works without internet access; /redoc (same files) comes from the home router.
    app = FastAPIOffline(title="livekg", version="1", description=DESCRIPTION, lifespan=lifespan,
                         responses={k: PROBLEM_RESPONSES[k] for k in (404, 409, 422, 503)},
                         static_url=home.DOCS_ASSETS, redoc_url=None)
    app.state.settings = settings
    app.state.cypher_slots = query_slots(settings)
    if settings.api_cache_entries:  # inside CORS: its headers depend on the request's Origin
        app.add_middleware(CacheMiddleware, capacity=settings.api_cache_entries)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["*"])
    app.add_middleware(FrameProtection)
    # Added last, so it runs first: a request naming another host (DNS rebinding) gets 400.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=trusted_hosts(settings))
    install_problem_handlers(app)
    app.add_exception_handler(404, home.not_found)  # HTML for browsers; before HTTPException's
    document_problems(app)
    for module in (home, health, documents, tasks, units, entities, explore, neighbours, cypher,
                   viz):
        app.include_router(module.router)
    return app


def trusted_hosts(settings: Settings) -> list[str]:
    """LIVEKG_TRUSTED_HOSTS, plus the address `livekg serve` listens on when it names one."""
    hosts = list(settings.trusted_hosts)
    if settings.host not in ("0.0.0.0", "::", "") and settings.host not in hosts:
        hosts.append(settings.host)
    return hosts


class FrameProtection:
    """HTML pages (the views, /docs) may not be framed by another site (clickjacking).

    `frame-ancestors` only works as a header — the views' own policy is a meta tag — and
    X-Frame-Options covers browsers without CSP level 2."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    headers["X-Frame-Options"] = "DENY"
                    # Add to a page's own policy (ReDoc's blocks its outside logo), never drop it.
                    policy = headers.get("content-security-policy", "")
                    if "frame-ancestors" not in policy:
                        headers["Content-Security-Policy"] = "; ".join(
                            part for part in (policy.rstrip("; "), "frame-ancestors 'none'")
                            if part)
            await send(message)

        await self.app(scope, receive, send_with_headers)
