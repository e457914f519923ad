"""Loads into one embedded store serialise: two at once never lose a document, and files a
killed load left behind are removed. Each load runs in a process of its own, as two
`livekg load` commands would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from livekg.graph.snapshot import read_snapshot
from livekg.graph.writer import EmbeddedWriter

LIVEKG = Path(sys.executable).with_name("livekg")
TRIALS = 10
# One process: parse the files named on the command line once, then for each trial wait for its
# start signal (a file) and write them into that trial's store through the embedded writer.
LOADER = """
import sys, time
from pathlib import Path
from livekg.graph.writer import EmbeddedWriter
from livekg.loaders.pipeline import parse_file
from livekg.loaders.registry import load_registry
folder, trials, *files = sys.argv[1:]
registry = load_registry()
documents = [parse_file(f, registry) for f in files]
for trial in range(int(trials)):
    while not Path(folder, f"go-{trial}").exists():
        time.sleep(0.001)
    waited = []
    EmbeddedWriter(Path(folder, f"trial-{trial}", "graph.json"), on_wait=waited.append
                   ).write(documents)
    print("waited" if waited else "first", flush=True)
"""


def plan_copies(changning_path: Path, folder: Path, names: list[str]) -> list[Path]:
    """The Changning plan under other file names: documents with ids of their own."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for name in names:
        copy = folder / f"{name}.txt"
        copy.write_text(changning_path.read_text(encoding="utf-8"), encoding="utf-8")
        copies.append(copy)
    return copies


def document_ids(store: Path) -> set[str]:
    return set(read_snapshot(store).document_ids())


def test_two_loads_at_once_keep_every_document(changning_path: Path, tmp_path: Path) -> None:
    first = plan_copies(changning_path, tmp_path / "a", ["plan-a1", "plan-a2"])
    second = plan_copies(changning_path, tmp_path / "b", ["plan-b1", "plan-b2"])
    loads = [subprocess.Popen([sys.executable, "-c", LOADER, str(tmp_path), str(TRIALS),
                               *map(str, files)], stdout=subprocess.PIPE, text=True)
             for files in (first, second)]
    waits = 0
    try:
        for trial in range(TRIALS):
            (tmp_path / f"go-{trial}").touch()  # both write at the same moment
            outcomes = [load.stdout.readline().strip() for load in loads if load.stdout]
            assert sorted(outcomes) in (["first", "waited"], ["first", "first"]), outcomes
            assert document_ids(tmp_path / f"trial-{trial}" / "graph.json") == {
                "plan-a1", "plan-a2", "plan-b1", "plan-b2"}, f"trial {trial}"
            waits += outcomes.count("waited")
    finally:
        for load in loads:
            load.communicate(timeout=60)
    assert [load.returncode for load in loads] == [0, 0]
    # The loads did overlap: in some trials one had to wait for the other's lock.
    assert waits > 0


def test_a_killed_loads_temporary_file_is_removed_by_the_next(changning, tmp_path: Path
                                                              ) -> None:
    store = tmp_path / "graph.json"
    EmbeddedWriter(store).write([changning])
    # What `kill -9` during write_snapshot leaves: a temporary beside the store, never renamed.
    leftover = tmp_path / ".graph.json.k9x2v1.tmp"
    leftover.write_bytes(b"{" * 1_000_000)
    EmbeddedWriter(store).write([changning])
    assert not leftover.exists()
    assert read_snapshot(store).document_ids() == [changning.document.id]


def test_two_livekg_load_commands_keep_every_document(changning_path: Path,
                                                      tmp_path: Path) -> None:
    first = plan_copies(changning_path, tmp_path / "a", ["plan-a1", "plan-a2", "plan-a3"])
    second = plan_copies(changning_path, tmp_path / "b", ["plan-b1", "plan-b2", "plan-b3"])
    for trial in range(TRIALS):
        store = tmp_path / f"trial-{trial}" / "graph.json"
        loads = [subprocess.Popen([str(LIVEKG), "load", *map(str, files), "--store", str(store)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                  env=os.environ.copy())
                 for files in (first, second)]
        errors = [load.communicate(timeout=300)[1] for load in loads]
        assert [load.returncode for load in loads] == [0, 0], errors
        assert document_ids(store) == {f.stem for f in first + second}, f"trial {trial}"
