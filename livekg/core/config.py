"""Settings from the environment (or a .env file): one place for every configurable value."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_path
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from livekg.loaders.paths import DATA_DIR


def checkout_root() -> Path | None:
    """The repository folder when livekg runs from a checkout (editable install), else None."""
    root = DATA_DIR.parent
    return root if (root / "pyproject.toml").is_file() and (root / "graph").is_dir() else None


def default_store() -> Path:
    """The checkout's data/store/ when run from a checkout, else the user's data directory."""
    root = checkout_root()
    base = root / "data" / "store" if root is not None else user_data_path("livekg")
    return base / "graph.json"


DEFAULT_STORE = default_store()


class Settings(BaseSettings):
    """Every setting is read from LIVEKG_<NAME> (e.g. LIVEKG_STORE, LIVEKG_BACKEND)."""

    model_config = SettingsConfigDict(env_prefix="LIVEKG_", env_file=".env", extra="ignore")

    store: Path = Field(DEFAULT_STORE, description="the embedded graph's snapshot file")
    backend: Literal["memory", "neo4j"] = Field(
        "memory", description="where the API reads: the embedded graph or Neo4j")
    host: str = Field("127.0.0.1", description="address `livekg serve` listens on")
    port: int = Field(8000, ge=1, le=65535, description="port `livekg serve` listens on")
    cors_origins: list[str] = Field(
        default_factory=list,
        description='origins allowed to call the API from a browser, as JSON: ["https://a.b"]')
    cypher_timeout: float = Field(10.0, gt=0, le=300,
                                  description="seconds a POST /v1/cypher query may run")
    cypher_max_rows: int = Field(1000, ge=1, le=100_000,
                                 description="rows a POST /v1/cypher answer holds at most")
    # Hardening (issue 16): who may run Cypher, how much an answer and a document may hold.
    api_tokens: list[str] = Field(
        default_factory=list,
        description='bearer tokens POST /v1/cypher accepts, as JSON: ["…"]; required whenever '
                    "the server listens on a non-loopback address")
    cypher_max_bytes: int = Field(
        4_000_000, ge=1_000, le=100_000_000,
        description="bytes of JSON a POST /v1/cypher answer holds at most")
    cypher_max_concurrent: int = Field(
        4, ge=1, le=64, description="analyst queries running at once; more are answered 429")
    max_document_bytes: int = Field(
        5_000_000, ge=1_000, description="the largest document file `livekg load` reads")
    trusted_hosts: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "localhost", "::1", "[::1]"],
        description='Host headers the API answers, as JSON: ["api.example.org"]; "*" for any')
