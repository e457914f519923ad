"""The `livekg` command line (Typer): `livekg.cli:main` is the console script."""

from livekg.cli.app import app, main

__all__ = ["app", "main"]
