"""Settings from the environment (or a .env file): one place for every configurable value.

Nothing else in livekg reads the environment for a setting: the CLI, the API, the local Neo4j
runner, the notebooks, the tests and the benchmarks all take a `Settings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from platformdirs import user_cache_path, user_config_path, user_data_path
from pydantic import AliasChoices, Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from livekg.loaders.paths import DATA_DIR, REGISTRY_DIR

DEFAULT_NEO4J_PORT = 7687
DEFAULT_NEO4J_USER = "neo4j"
DEFAULT_NEO4J_DATABASE = "neo4j"
#: Documented default for a local development server only (Neo4j requires >= 8 characters).
DEFAULT_LOCAL_PASSWORD = "livekg-local-dev"


def checkout_root() -> Path | None:
    """The repository folder when livekg runs from a checkout (editable install), else None."""
    root = DATA_DIR.parent
    return root if (root / "pyproject.toml").is_file() and (root / "graph").is_dir() else None


def default_store() -> Path:
    """The checkout's data/store/ when run from a checkout, else the user's data directory."""
    root = checkout_root()
    base = root / "data" / "store" if root is not None else user_data_path("livekg")
    return base / "graph.json"


def default_neo4j_home() -> Path:
    """The local server's home: the checkout's .neo4j/, else the user's data directory."""
    root = checkout_root()
    return root / ".neo4j" if root is not None else user_data_path("livekg") / "neo4j"


def default_neo4j_cache() -> Path:
    """Where Neo4j's jars are kept: the checkout's .cache/neo4j, else the user's cache."""
    root = checkout_root()
    return root / ".cache" / "neo4j" if root is not None else user_cache_path("livekg") / "neo4j"


DEFAULT_STORE = default_store()


@dataclass(frozen=True)
class Neo4jConnection:
    """What a client needs to reach a Neo4j server (local or external)."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str


def _env(*names: str) -> AliasChoices:
    """Read a field from exactly these variables (or its own name, for keyword arguments)."""
    return AliasChoices(*names)


def default_overlay() -> Path:
    """Review decisions: the checkout's data/store/overlay.yaml (git-ignored, next to the graph)
    when run from a checkout, else the user's config directory — never the package data."""
    root = checkout_root()
    base = root / "data" / "store" if root is not None else user_config_path("livekg")
    return base / "overlay.yaml"


class Settings(BaseSettings):
    """livekg's settings. Each is read from LIVEKG_<NAME> (LIVEKG_STORE, LIVEKG_NEO4J_PORT…),
    except the external Neo4j server's, which use the names Neo4j's own tools use:
    NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE."""

    model_config = SettingsConfigDict(env_prefix="LIVEKG_", env_file=".env", extra="ignore",
                                      populate_by_name=True)

    # -- the embedded graph and the registry --
    store: Path = Field(DEFAULT_STORE, description="the embedded graph's snapshot file")
    registry: Path = Field(REGISTRY_DIR, description="folder of the registry's YAML files")

    # -- the API --
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

    # -- an external Neo4j server: when its URI is set, every command uses it --
    neo4j_uri: str = Field("", validation_alias=_env("NEO4J_URI", "neo4j_uri"),
                           description="an external Neo4j (bolt://, neo4j://, neo4j+s://…)")
    neo4j_user: str = Field(DEFAULT_NEO4J_USER,
                            validation_alias=_env("NEO4J_USER", "neo4j_user"))
    neo4j_password: str = Field("", validation_alias=_env("NEO4J_PASSWORD", "neo4j_password"),
                                repr=False)
    neo4j_database: str = Field(DEFAULT_NEO4J_DATABASE,
                                validation_alias=_env("NEO4J_DATABASE", "neo4j_database"))

    # -- the local server of `livekg neo4j start` (used when NEO4J_URI is not set) --
    local_neo4j_port: int = Field(
        DEFAULT_NEO4J_PORT, ge=1, le=65535,
        validation_alias=_env("LIVEKG_NEO4J_PORT", "local_neo4j_port"),
        description="Bolt port of the local server")
    local_neo4j_password: str = Field(
        DEFAULT_LOCAL_PASSWORD, repr=False,
        validation_alias=_env("LIVEKG_NEO4J_PASSWORD", "local_neo4j_password"),
        description="password of the local server's neo4j user (Neo4j needs 8 characters)")
    neo4j_home: Path = Field(default_factory=default_neo4j_home,
                             description="the local server's conf, data, logs and pid file")
    neo4j_cache: Path = Field(default_factory=default_neo4j_cache,
                              description="where the local server's jars are kept")

    # -- serving speed --
    api_cache_entries: int = Field(
        4096, ge=0, le=1_000_000,
        description="GET answers the API keeps for the current graph version (0: none)")
    neo4j_pool_size: int = Field(
        64, ge=1, le=1000,
        description="connections the Neo4j driver keeps open; at least the API's concurrency")

    @field_validator("neo4j_uri", mode="after")
    @classmethod
    def _strip_uri(cls, value: str) -> str:
        return value.strip()

    @field_validator("neo4j_user", "neo4j_database", "local_neo4j_password", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object, info: ValidationInfo) -> object:
        # An exported but empty variable (NEO4J_USER=) means the default, not an empty name.
        if isinstance(value, str) and not value.strip() and info.field_name is not None:
            return cls.model_fields[info.field_name].default
        return value

    @field_validator("neo4j_home", "neo4j_cache", mode="after")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    overlay: Path = Field(default_factory=default_overlay,
                          description="the user overlay registry: review decisions (YAML)")

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

    @property
    def external_neo4j(self) -> Neo4jConnection | None:
        """The server NEO4J_URI names, or None when it is not set."""
        if not self.neo4j_uri:
            return None
        return Neo4jConnection(self.neo4j_uri, self.neo4j_user, self.neo4j_password,
                               self.neo4j_database)

    @property
    def local_neo4j(self) -> Neo4jConnection:
        """The local server of `livekg neo4j start`."""
        return Neo4jConnection(f"bolt://127.0.0.1:{self.local_neo4j_port}", DEFAULT_NEO4J_USER,
                               self.local_neo4j_password, DEFAULT_NEO4J_DATABASE)

    def neo4j_connection(self) -> Neo4jConnection:
        """The server every Neo4j command uses: NEO4J_URI's when set, else the local one."""
        return self.external_neo4j or self.local_neo4j
