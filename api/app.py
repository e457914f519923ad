"""The HTTP API: `create_app()` builds it, so tests and `livekg serve` each build their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from livekg.api.problems import PROBLEM_RESPONSES, document_problems, install_problem_handlers
from livekg.api.routes import cypher, documents, entities, explore, health, home, tasks, units, viz
from livekg.core.backends import memory_backend, neo4j_backend
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
            elif settings.backend == "neo4j":
                app.state.backend = stack.enter_context(neo4j_backend(verify=False))
            else:
                app.state.backend = memory_backend(settings.store)
            yield

    # /docs serves Swagger UI from the installed fastapi-offline package, not from a CDN, so it
    # works without internet access; /redoc (same files) comes from the home router.
    app = FastAPIOffline(title="livekg", version="1", description=DESCRIPTION, lifespan=lifespan,
                         responses={k: PROBLEM_RESPONSES[k] for k in (404, 409, 422, 503)},
                         static_url=home.DOCS_ASSETS, redoc_url=None)
    app.state.settings = settings
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["*"])
    install_problem_handlers(app)
    document_problems(app)
    for module in (home, health, documents, tasks, units, entities, explore, cypher, viz):
        app.include_router(module.router)
    return app
