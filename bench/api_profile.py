"""Where an API request's time goes: the whole app profiled in one thread, in this process.

FastAPI runs sync endpoints (all of livekg's) and their dependencies in a thread pool, where a
sampling profiler started on the main thread sees nothing. For the profile only, the thread
pool is replaced by a direct call, so routing, the backend's question, response validation and
JSON encoding all land in one call tree. Requests go through httpx's in-process ASGI
transport: no sockets, so the tree shows the app's own cost (plus httpx's, in its own branch).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import fastapi.dependencies.utils
import fastapi.routing
import httpx
from pyinstrument import Profiler

from bench.profiling import time_by_layer, top_of
from livekg.api.app import create_app
from livekg.core.config import Settings
from livekg.graph.backend import GraphBackend


@contextmanager
def inline_threadpool() -> Iterator[None]:
    """Run FastAPI's thread-pool work inline, on the caller's thread, while inside."""

    async def inline(func: Any, *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    modules = (fastapi.routing, fastapi.dependencies.utils)
    saved = [module.run_in_threadpool for module in modules]
    for module in modules:
        module.run_in_threadpool = inline  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module, original in zip(modules, saved, strict=True):
            module.run_in_threadpool = original  # type: ignore[attr-defined]


def profile_requests(backend: GraphBackend, path: str, requests: int) -> str:
    """The top of the call tree of `requests` GETs of `path` against `backend`."""
    with inline_threadpool():
        app = create_app(Settings(), backend)
        app.state.backend = backend  # the lifespan, which would set it, does not run here

        async def issue(count: int) -> None:
            transport = httpx.ASGITransport(app=app)
            # a host the app trusts (TrustedHostMiddleware answers 400 to any other)
            async with httpx.AsyncClient(transport=transport,
                                         base_url="http://127.0.0.1") as client:
                for _ in range(count):
                    response = await client.get(path)
                    response.raise_for_status()

        asyncio.run(issue(20))  # warm caches and query plans outside the profile
        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
        try:
            asyncio.run(issue(requests))
        finally:
            profiler.stop()
    tree = top_of(profiler.output_text(unicode=True, color=False, time="percent_of_total",
                                       processor_options={"filter_threshold": 0.02}))
    return (f"{tree}\n\nown time by layer (httpx, httpcore: the in-process test client; "
            f"bench/: the harness):\n{time_by_layer(profiler)}")
