"""Bad input through the CLI: each failure names the file (and line), and the stored graph
keeps exactly what it held before."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from livekg.graph.backend import MemoryBackend
from livekg.graph.snapshot import read_snapshot
from livekg.loaders.pipeline import load_documents
from livekg.loaders.registry import load_registry

LIVEKG = Path(sys.executable).with_name("livekg")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
UNIT_LIST_OPENER = "(责任单位:"


def livekg(store: Path, *args: str | Path, cwd: Path,
           columns: str | None = "400") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEKG_")}
    env.pop("COLUMNS", None)
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run([str(LIVEKG), *map(str, args), "--store", str(store)],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def good_snapshot(tmp_path_factory, changning_path) -> bytes:
    folder = tmp_path_factory.mktemp("good-store")
    store = folder / "graph.json"
    result = livekg(store, "load", changning_path, cwd=folder)
    assert result.returncode == 0, result.stderr
    return store.read_bytes()


@pytest.fixture
def store(tmp_path, good_snapshot) -> Path:
    """A tmp store that already holds the good Changning graph."""
    path = tmp_path / "store" / "graph.json"
    path.parent.mkdir()
    path.write_bytes(good_snapshot)
    return path


def _same_name_copy(changning_path: Path, folder: Path, text: str) -> Path:
    """`text` saved under the plan's own file name, with its sidecar, so it has the same id."""
    folder.mkdir(exist_ok=True)
    copy = folder / changning_path.name
    copy.write_text(text, encoding="utf-8")
    shutil.copyfile(changning_path.with_suffix(".yaml"), folder / f"{copy.stem}.yaml")
    return copy


def _line_of_task(text: str, number: int) -> int:
    lines = text.split("\n")
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(f"{number}."))


def _assert_failed_cleanly(result, store: Path, good_snapshot: bytes, file: Path, *words: str):
    assert result.returncode != 0
    assert str(file) in result.stderr
    for word in words:
        assert word in result.stderr, word
    assert store.read_bytes() == good_snapshot


# -- files that are not plans at all ----------------------------------------------------------
def test_missing_file(store, good_snapshot, tmp_path):
    missing = tmp_path / "no-such-plan.txt"
    result = livekg(store, "load", missing, cwd=tmp_path)
    _assert_failed_cleanly(result, store, good_snapshot, missing, "not found")


@pytest.mark.parametrize("content", [b"", b"\n   \n\t\n"], ids=["empty", "blank"])
def test_empty_file(store, good_snapshot, tmp_path, content):
    empty = tmp_path / "empty-plan.txt"
    empty.write_bytes(content)
    result = livekg(store, "load", empty, cwd=tmp_path)
    _assert_failed_cleanly(result, store, good_snapshot, empty, "empty")


def test_binary_file(store, good_snapshot, tmp_path):
    binary = tmp_path / "picture.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + b"IHDR" + bytes(range(256)))
    result = livekg(store, "load", binary, cwd=tmp_path)
    _assert_failed_cleanly(result, store, good_snapshot, binary, "binary")


def test_text_in_an_unknown_encoding(store, good_snapshot, tmp_path):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("An English note\nabout a café\n".encode("latin-1"))
    result = livekg(store, "load", latin1, cwd=tmp_path)
    _assert_failed_cleanly(result, store, good_snapshot, latin1, f"{latin1}:2", "UTF-8")


def test_utf8_with_a_broken_character(store, good_snapshot, changning_path, tmp_path):
    # One byte of a Chinese character on line 20 (task 11) is lost.
    lines = changning_path.read_bytes().split(b"\n")
    assert lines[19].startswith(b"11.")
    lines[19] = lines[19][:10] + lines[19][11:]
    copy = tmp_path / "broken" / changning_path.name
    copy.parent.mkdir()
    copy.write_bytes(b"\n".join(lines))
    shutil.copyfile(changning_path.with_suffix(".yaml"), copy.with_suffix(".yaml"))
    result = livekg(store, "load", copy, cwd=tmp_path)
    _assert_failed_cleanly(result, store, good_snapshot, copy, f"{copy}:20:", "UTF-8")


def test_corrupt_store_is_reported_and_left_alone(tmp_path, changning_path):
    store = tmp_path / "graph.json"
    store.write_bytes(b'{"nodes": [')
    result = livekg(store, "load", changning_path, cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert str(store) in result.stderr
    assert store.read_bytes() == b'{"nodes": ['


# -- a legacy encoding that is accepted ---------------------------------------------------------
def test_gb18030_copy_is_accepted_with_a_notice(store, good_snapshot, changning_path, tmp_path):
    folder = tmp_path / "gb"
    folder.mkdir()
    copy = folder / changning_path.name
    copy.write_bytes(changning_path.read_text(encoding="utf-8").encode("gb18030"))
    shutil.copyfile(changning_path.with_suffix(".yaml"), folder / f"{copy.stem}.yaml")

    result = livekg(store, "load", copy, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "GB18030" in result.stderr.upper()

    before, after = read_snapshot_bytes(good_snapshot, tmp_path), read_snapshot(store)
    doc_id = "changning-livestream-action-plan-2024-2026"
    assert after.document_ids() == [doc_id]
    assert after.node(doc_id)["encoding"].lower() == "gb18030"
    tasks = sorted(after.nodes("Task"), key=lambda t: t["number"])
    assert [t["number"] for t in tasks] == list(range(1, 24))
    assert [t["title"] for t in tasks] == [
        t["title"] for t in sorted(before.nodes("Task"), key=lambda t: t["number"])]
    for task in tasks:
        assert [o.name for o in MemoryBackend(after).task_owners(task["id"])] == \
            [o.name for o in MemoryBackend(before).task_owners(task["id"])]
    # Apart from the document's checksum and encoding, the graph is the same graph.
    assert _without_file_facts(after) == _without_file_facts(before)


def read_snapshot_bytes(data: bytes, folder: Path):
    path = folder / "before.json"
    path.write_bytes(data)
    return read_snapshot(path)


def _without_file_facts(kg) -> dict:
    data = kg.to_node_link()
    for node in data["nodes"]:
        if "Document" in node["labels"]:
            node.pop("sha256")
            node.pop("encoding")
            node.pop("rows_sha256")  # the fingerprint of the rows, which hold both of those
    return data


# -- plans with broken unit lists ----------------------------------------------------------------
def test_no_responsible_unit_lists(store, good_snapshot, changning_path, tmp_path):
    text = changning_path.read_text(encoding="utf-8")
    stripped = "\n".join(line.split(UNIT_LIST_OPENER)[0] for line in text.split("\n"))
    assert UNIT_LIST_OPENER not in stripped
    copy = _same_name_copy(changning_path, tmp_path / "no-lists", stripped)
    # Issue 12: such a plan loads (tasks without owners) with a notice ...
    result = livekg(store, "load", copy, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no responsible-unit list found" in result.stdout + result.stderr
    tasks = list(read_snapshot(store).nodes("Task"))
    assert len(tasks) == 23
    # ... and the strict switch keeps the refusal, naming the file and the first task's line.
    first_task_line = _line_of_task(stripped, 1)
    refused = load_documents([copy], load_registry(), strict=True)
    assert not refused.documents
    assert f"{copy}:{first_task_line}:" in str(refused.errors[0])
    assert "责任单位" in str(refused.errors[0])


def test_unclosed_unit_list(store, good_snapshot, changning_path, tmp_path):
    text = changning_path.read_text(encoding="utf-8")
    lines = text.split("\n")
    line_number = _line_of_task(text, 6)
    assert lines[line_number - 1].endswith("市网络视听协会)")
    lines[line_number - 1] = lines[line_number - 1][:-1]
    copy = _same_name_copy(changning_path, tmp_path / "unclosed", "\n".join(lines))
    result = livekg(store, "load", copy, cwd=tmp_path)
    column = lines[line_number - 1].index(UNIT_LIST_OPENER) + 1
    _assert_failed_cleanly(result, store, good_snapshot, copy,
                           f"{copy}:{line_number}:", "task 6", "never closed",
                           f"column {column}")


def test_unit_list_without_opening_parenthesis(store, good_snapshot, changning_path, tmp_path):
    text = changning_path.read_text(encoding="utf-8")
    lines = text.split("\n")
    line_number = _line_of_task(text, 16)
    lines[line_number - 1] = lines[line_number - 1].replace(UNIT_LIST_OPENER, "责任单位:")
    copy = _same_name_copy(changning_path, tmp_path / "unopened", "\n".join(lines))
    result = livekg(store, "load", copy, cwd=tmp_path)
    _assert_failed_cleanly(result, store, good_snapshot, copy,
                           f"{copy}:{line_number}:", "task 16", "parenthes")


def test_error_line_is_not_broken_in_a_narrow_terminal(store, good_snapshot, changning_path,
                                                      tmp_path):
    # Without COLUMNS (e.g. output piped to a log) the message must stay one intact line, so
    # that "path:line" can be found, copied and clicked.
    text = changning_path.read_text(encoding="utf-8")
    lines = text.split("\n")
    line_number = _line_of_task(text, 6)
    lines[line_number - 1] = lines[line_number - 1][:-1]
    copy = _same_name_copy(changning_path, tmp_path / "a-folder-with-a-rather-long-name",
                           "\n".join(lines))
    result = livekg(store, "load", copy, cwd=tmp_path, columns=None)
    assert result.returncode != 0
    error_lines = [line for line in result.stderr.splitlines() if "livekg: error:" in line]
    assert len(error_lines) == 1
    assert f"{copy}:{line_number}:" in error_lines[0]
    assert "never closed" in error_lines[0]
    assert store.read_bytes() == good_snapshot


# -- good and bad files together -------------------------------------------------------------
def test_a_bad_file_does_not_stop_the_good_ones(store, good_snapshot, tmp_path):
    missing = tmp_path / "no-such-plan.txt"
    result = livekg(store, "load", FIXTURES / "mini-plan.txt", missing, cwd=tmp_path)
    assert result.returncode != 0
    assert str(missing) in result.stderr
    kg = read_snapshot(store)
    assert kg.document_ids() == ["changning-livestream-action-plan-2024-2026", "test-mini-plan"]
    before = read_snapshot_bytes(good_snapshot, tmp_path)
    changning_id = "changning-livestream-action-plan-2024-2026"
    def owned(graph):
        return sorted((n for n in graph.nodes() if n.get("document") == changning_id),
                      key=lambda n: n["id"])

    assert owned(kg) == owned(before)
