"""The user overlay registry: a reviewer's decisions on discovered names, kept as YAML outside
the package data, and honoured by every later load.

```yaml
accepted:                      # names that are entities: registered from now on
  - name: 平潭龙王头海滨浴场
    label: Venue
    jurisdiction: china        # optional; local labels (Venue, Base) keep their place
rejected:                      # names that are not entities: never discovered again
  - 文化出海
```

A bad file is refused with the file, the line and what was expected; writing keeps the file's
other decisions and replaces it atomically, so a failed write loses nothing.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from livekg.loaders.discovery import discovered_id, normalised_name
from livekg.loaders.errors import RegistryError
from livekg.loaders.models import ENTITY_LABELS, EntityRecord
from livekg.loaders.name_words import Candidate, TextSpan

HEADER = ("# livekg review decisions (written by `livekg review`; safe to edit by hand).\n"
          "# accepted: names that are entities; rejected: names that never are.\n")


class OverlayError(RegistryError):
    """An overlay file that cannot be used: names the file and the line."""


@dataclass(frozen=True)
class Accepted:
    name: str
    label: str
    jurisdiction: str | None = None

    def entity(self, source: str) -> EntityRecord:
        """The registered entity; same id as when it was discovered, so the node stays put."""
        place = self.jurisdiction or "china"
        probe = Candidate(self.name, self.label, "review", 1.0, TextSpan(0, 0))
        return EntityRecord(
            id=discovered_id(probe, place), label=self.label, name=self.name,
            status="registered", method="review",
            jurisdiction=self.jurisdiction, source=source, verified=False,
            note="accepted in review")


@dataclass
class Overlay:
    path: Path
    accepted: list[Accepted] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def rejected_names(self) -> frozenset[str]:
        return frozenset(normalised_name(name) for name in self.rejected)

    def entities(self) -> list[EntityRecord]:
        return [a.entity(f"user overlay {self.path}") for a in self.accepted]


def read_overlay(path: str | Path) -> Overlay:
    """The overlay at `path`; an absent file is an empty overlay."""
    path = Path(path)
    if not path.exists():
        return Overlay(path)
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except UnicodeDecodeError as error:
        raise OverlayError(f"{path}: not UTF-8 text ({error})") from error
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else "?"
        raise OverlayError(f"{path}:{line}: not valid YAML: {error.problem}") from error
    overlay = Overlay(path)
    if root is None:
        return overlay
    if not isinstance(root, yaml.MappingNode):
        _fail(path, root, "a mapping with 'accepted' and 'rejected' lists")
    for key_node, value_node in root.value:
        key = key_node.value
        if key not in ("accepted", "rejected"):
            _fail(path, key_node, f"'accepted' or 'rejected', not {key!r}")
        if isinstance(value_node, yaml.ScalarNode) and value_node.value in ("", "null", "~"):
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            _fail(path, value_node, f"a list under '{key}'")
        for item in value_node.value:
            if key == "accepted":
                overlay.accepted.append(_accepted(path, item))
            else:
                overlay.rejected.append(_name(path, item, "a name (text) to reject"))
    return overlay


def _accepted(path: Path, node: yaml.Node) -> Accepted:
    expected = "an entry with 'name' and 'label' (and optionally 'jurisdiction')"
    if not isinstance(node, yaml.MappingNode):
        _fail(path, node, expected)
    fields: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if key_node.value not in ("name", "label", "jurisdiction"):
            _fail(path, key_node, f"{expected}, not {key_node.value!r}")
        fields[key_node.value] = _name(path, value_node, f"text for '{key_node.value}'")
    if "name" not in fields or "label" not in fields:
        _fail(path, node, expected)
    if fields["label"] not in ENTITY_LABELS:
        _fail(path, node, f"a label from {', '.join(ENTITY_LABELS)}, not {fields['label']!r}")
    return Accepted(fields["name"], fields["label"], fields.get("jurisdiction"))


def _name(path: Path, node: yaml.Node, expected: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        _fail(path, node, expected)
    return str(node.value).strip()


def _fail(path: Path, node: yaml.Node, expected: str) -> None:
    raise OverlayError(f"{path}:{node.start_mark.line + 1}: expected {expected}")


def accept(path: str | Path, name: str, label: str, jurisdiction: str | None = None) -> Overlay:
    """Record that `name` is an entity of `label`; a rejection of it is withdrawn."""
    if label not in ENTITY_LABELS:
        raise OverlayError(f"{path}: label {label!r} is not one of {', '.join(ENTITY_LABELS)}")
    overlay = read_overlay(path)
    key = normalised_name(name)
    overlay.rejected = [n for n in overlay.rejected if normalised_name(n) != key]
    overlay.accepted = [a for a in overlay.accepted if normalised_name(a.name) != key]
    overlay.accepted.append(Accepted(key, label, jurisdiction))
    write_overlay(overlay)
    return overlay


def reject(path: str | Path, name: str) -> Overlay:
    """Record that `name` is not an entity; an acceptance of it is withdrawn."""
    overlay = read_overlay(path)
    key = normalised_name(name)
    overlay.accepted = [a for a in overlay.accepted if normalised_name(a.name) != key]
    if key not in overlay.rejected_names():
        overlay.rejected.append(key)
    write_overlay(overlay)
    return overlay


def write_overlay(overlay: Overlay) -> None:
    content = {
        "accepted": [{k: v for k, v in (("name", a.name), ("label", a.label),
                                        ("jurisdiction", a.jurisdiction)) if v}
                     for a in overlay.accepted],
        "rejected": list(overlay.rejected),
    }
    overlay.path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=overlay.path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(HEADER)
            yaml.safe_dump(content, out, allow_unicode=True, sort_keys=False)
        os.replace(temporary, overlay.path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
