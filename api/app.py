"""The HTTP API: `create_app()` builds it, so tests and `livekg serve` each build their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from livekg.api.cache import CacheMiddleware
from livekg.api.problems import PROBLEM_RESPONSES, document_problems, install_problem_handlers
from livekg.api.routes import cypher, documents, entities, explore, health, tasks, units, viz
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
                app.state.backend = stack.enter_context(open_backend(settings, verify=False))
            yield

    app = FastAPI(title="livekg", version="1", description=DESCRIPTION, lifespan=lifespan,
                  responses={k: PROBLEM_RESPONSES[k] for k in (404, 409, 422, 503)})
    app.state.settings = settings
    if settings.api_cache_entries:  # inside CORS: its headers depend on the request's Origin
        app.add_middleware(CacheMiddleware, capacity=settings.api_cache_entries)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["*"])
    install_problem_handlers(app)
    document_problems(app)
    for module in (health, documents, tasks, units, entities, explore, cypher, viz):
        app.include_router(module.router)
    return app
