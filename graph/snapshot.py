"""The embedded store: the graph as one node-link JSON file, replaced atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.schema import SchemaError


class SnapshotError(RuntimeError):
    """The snapshot file cannot be read as a livekg graph."""


def read_snapshot(path: str | Path) -> KnowledgeGraph:
    """The stored graph, or an empty one when nothing has been stored yet."""
    path = Path(path)
    if not path.exists():
        return KnowledgeGraph()
    try:
        return KnowledgeGraph.from_node_link(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError, SchemaError) as error:
        raise SnapshotError(
            f"{path}: not a livekg snapshot ({error}); delete it or load the documents again "
            f"with --store pointing elsewhere") from error


def write_snapshot(kg: KnowledgeGraph, path: str | Path) -> None:
    """Write through a temporary file and rename, so readers never see half a graph."""
    write_atomically(Path(path), kg.json_chunks())


def write_atomically(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write `data` (bytes, or bytes in pieces) to a temporary file beside `path`, then rename."""
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder, not a file", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            if isinstance(data, bytes):
                file.write(data)
            else:
                file.writelines(data)
            file.flush()
            os.fsync(file.fileno())
        # mkstemp makes the file private; give it the mode any new file would get.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files of `path` that a killed writer left behind.

    Call it only while holding the store's lock: then no live writer owns one of them.
    """
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        leftover.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
