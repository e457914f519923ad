"""Dependencies the routers share: the graph backend, its optional capabilities, the settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

from livekg.core.config import Settings
from livekg.graph.backend import GraphBackend, ReadOnlyCypher


def get_backend(request: Request) -> GraphBackend:
    backend: GraphBackend = request.app.state.backend
    return backend


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


BackendDep = Annotated[GraphBackend, Depends(get_backend)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_cypher(backend: BackendDep) -> ReadOnlyCypher:
    """The backend's read-only Cypher; 409 saying how to get one when it has none."""
    if backend.cypher is None:
        raise HTTPException(409, (
            "POST /v1/cypher needs the Neo4j backend, and this server reads the embedded "
            "graph: run `livekg neo4j start` and `livekg load --neo4j`, then "
            "`livekg serve --backend neo4j`"))
    return backend.cypher


CypherDep = Annotated[ReadOnlyCypher, Depends(get_cypher)]
