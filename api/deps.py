"""Dependencies the routers share: the graph backend and the settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from livekg.core.config import Settings
from livekg.graph.backend import GraphBackend


def get_backend(request: Request) -> GraphBackend:
    return request.app.state.backend


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


BackendDep = Annotated[GraphBackend, Depends(get_backend)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
