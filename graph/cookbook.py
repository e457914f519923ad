"""The Cypher cookbook: analysts' ready-made read-only queries, one per file in graph/cypher/.

The queries live as plain .cypher files so an analyst can read, copy and run them with
`livekg cypher @graph/cypher/NN-name.cypher`; this module gives Python (tests, the API, notebooks)
the same files with their header — the question each answers and the parameters it takes —
parsed once, so documentation and code cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CYPHER_DIR = Path(__file__).resolve().parent / "cypher"
_PREFIX = re.compile(r"^\d+-")
_QUESTION = "Question:"
_PARAMETERS = "Parameters:"
_PARAMETER = re.compile(r"^\$([A-Za-z_]\w*)\b")


@dataclass(frozen=True)
class Recipe:
    """One cookbook query: its short name, the question it answers, its parameters, its text.

    `text` is the whole file, header comments included: Cypher ignores `//` comments, so the
    text can be passed to `run_read_only` as it is.
    """

    name: str
    question: str
    parameters: list[str]
    text: str
    path: Path


def recipes(directory: Path = CYPHER_DIR) -> list[Recipe]:
    """Every recipe in `directory`, sorted by file name (the NN- prefix sets the reading order)."""
    return [_parse(path) for path in sorted(directory.glob("*.cypher"))]


def recipe(name: str, directory: Path = CYPHER_DIR) -> Recipe:
    """The recipe called `name`: `task-owners` or the file stem `01-task-owners`.

    Raises KeyError listing the known names, so a typo is answered with the choices.
    """
    found = recipes(directory)
    for candidate in found:
        if name in (candidate.name, candidate.path.stem):
            return candidate
    known = ", ".join(candidate.name for candidate in found)
    raise KeyError(f"no Cypher recipe named {name!r}; known recipes: {known}")


def _parse(path: Path) -> Recipe:
    """Read the leading `//` lines: one Question line, then one Parameters line per parameter."""
    text = path.read_text(encoding="utf-8")
    question: str | None = None
    parameters: list[str] = []
    for line in _header(text):
        if line.startswith(_QUESTION):
            question = line.removeprefix(_QUESTION).strip()
        elif line.startswith(_PARAMETERS):
            declared = line.removeprefix(_PARAMETERS).strip()
            if declared.lower() == "none":
                continue
            match = _PARAMETER.match(declared)
            if match is None:
                raise ValueError(f"{path}: a Parameters line must start with $name or say "
                                 f"none, not {declared!r}")
            parameters.append(match.group(1))
    if not question:
        raise ValueError(f"{path}: the header lacks a '// Question: …' line")
    return Recipe(name=_PREFIX.sub("", path.stem), question=question, parameters=parameters,
                  text=text, path=path)


def _header(text: str) -> list[str]:
    """The comment lines before the first line of Cypher, without their `//`."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("//"):
            break
        lines.append(stripped.removeprefix("//").strip())
    return lines
