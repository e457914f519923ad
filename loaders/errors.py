"""Errors a user can act on: each names the file, the line and what was expected."""

from __future__ import annotations

from pathlib import Path


class DocumentError(ValueError):
    """A document could not be read or parsed; nothing from it was loaded."""

    def __init__(
        self,
        path: str | Path | None,
        problem: str,
        *,
        line: int | None = None,
        expected: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else "<text>"
        self.problem = problem
        self.line = line
        self.expected = expected
        where = self.path if line is None else f"{self.path}:{line}"
        message = f"{where}: {problem}"
        if expected:
            message += f"; expected {expected}"
        super().__init__(message)


class RegistryError(ValueError):
    """The registry YAML under data/registry is inconsistent."""
