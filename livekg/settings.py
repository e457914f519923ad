"""Settings from the environment (or a .env file): one place for every configurable value."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from loaders.paths import DATA_DIR

DEFAULT_STORE = DATA_DIR / "store" / "graph.json"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LIVEKG_", env_file=".env", extra="ignore")

    store: Path = Field(DEFAULT_STORE, description="the embedded graph's snapshot file")
