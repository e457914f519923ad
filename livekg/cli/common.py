"""What the command modules share: the two consoles, the options several commands take, and
the settings a command runs with. Kept free of heavy imports so `livekg --help` stays quick."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:  # pydantic-settings takes a third of a second to import: load on use
    from livekg.core.config import Settings

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class CommandError(Exception):
    """A failure to report as one line, with exit status 1."""


StoreOption = Annotated[Path | None, typer.Option(
    "--store", metavar="PATH", show_default=False,
    help="snapshot file of the embedded graph (env LIVEKG_STORE; default data/store/graph.json "
         "in a checkout, else the user data directory)")]
Neo4jFlag = Annotated[bool, typer.Option(
    "--neo4j", help="use Neo4j (NEO4J_URI, else the local server) instead of the embedded graph")]


def settings_with(**overrides: Any) -> Settings:
    """The settings from the environment, with the options the user gave on the command line."""
    from livekg.core.config import Settings

    return Settings(**{name: value for name, value in overrides.items() if value is not None})
