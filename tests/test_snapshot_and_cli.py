"""The stored graph: node-link round trips, reloading, replacing a document, the CLI."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from livekg.graph import knowledge_graph
from livekg.graph.backend import MemoryBackend
from livekg.graph.errors import NodeNotFound
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.snapshot import read_snapshot, write_snapshot

LIVEKG = Path(sys.executable).with_name("livekg")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI_PLAN = FIXTURES / "mini-plan.txt"

TASK_6_OWNERS = ["区商务委", "区人才局", "区人社局", "区市场监管局", "区委宣传部", "区委网信办",
                 "区数据局", "区委社会工作部", "区文旅局", "各街镇", "东虹办", "市直播电商联盟",
                 "市网购商会", "市网络视听协会"]
COMMERCE_TITLES = [
    "推动直播平台创新发展", "提升直播基地能级", "培育壮大MCN机构", "大力支持品牌直播发展",
    "加快直播经济模式创新", "优化直播经济综合服务", "推动直播经济与传统产业联动发展",
    "打造具有影响力的直播IP活动", "打造特色直播场景", "做好直播人才引进和服务保障",
    "加强直播人才培养和评价", "加大政策支持引导", "支持平台和MCN机构走出去",
    "做好直播经济走出去服务", "鼓励开展跨境电商直播业务", "扩大国际交流合作", "深化包容审慎监管",
    "加强行业自律",
]
TASK_14_LIST = "(责任单位:区委宣传部、区委网信办、区外办、区文旅局、区商务委)"
TASK_14_EDITED = "(责任单位:区委宣传部、区委网信办、区文旅局、区商务委)"


def livekg(store: Path, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed `livekg` console script against `store`, with wide output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEKG_")}
    env["COLUMNS"] = "400"
    return subprocess.run([str(LIVEKG), *map(str, args), "--store", str(store)],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


@pytest.fixture
def store(tmp_path: Path, changning_path: Path) -> Path:
    """A tmp store holding the Changning plan, loaded through the CLI."""
    path = tmp_path / "store" / "graph.json"
    result = livekg(path, "load", changning_path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return path


def _edited_copy(changning_path: Path, folder: Path) -> Path:
    """The plan under its own file name (plus sidecar) with 区外办 dropped from task 14."""
    folder.mkdir()
    text = changning_path.read_text(encoding="utf-8")
    assert text.count(TASK_14_LIST) == 1
    copy = folder / changning_path.name
    copy.write_text(text.replace(TASK_14_LIST, TASK_14_EDITED), encoding="utf-8")
    sidecar = changning_path.with_suffix(".yaml")
    shutil.copyfile(sidecar, folder / sidecar.name)
    return copy


def _owners(kg: KnowledgeGraph) -> dict[str, list[str]]:
    return {task["id"]: [o.name for o in MemoryBackend(kg).task_owners(task["id"])]
            for task in kg.nodes("Task")}


def _owned_by(kg: KnowledgeGraph, document_id: str) -> tuple[list[dict], list[dict]]:
    nodes = sorted((n for n in kg.nodes() if n.get("document") == document_id),
                   key=lambda n: n["id"])
    rels = sorted((r for r in kg.relationships() if r.get("document") == document_id),
                  key=lambda r: r["id"])
    return nodes, rels


# -- node-link JSON ----------------------------------------------------------------------------
def test_node_link_round_trip(changning_graph):
    data = json.loads(json.dumps(changning_graph.to_node_link(), ensure_ascii=False))
    again = KnowledgeGraph.from_node_link(data)
    assert again == changning_graph
    assert again.to_json_bytes() == changning_graph.to_json_bytes()
    assert len(again) == len(changning_graph)
    assert again.graph.number_of_edges() == changning_graph.graph.number_of_edges()


def test_snapshot_file_round_trip(changning_graph, tmp_path):
    path = tmp_path / "graph.json"
    write_snapshot(changning_graph, path)
    assert read_snapshot(path) == changning_graph
    assert path.read_bytes() == changning_graph.to_json_bytes()


@pytest.mark.parametrize("batch", [7, 4096])
def test_a_snapshot_written_in_pieces_is_the_canonical_json(changning_graph, tmp_path,
                                                            monkeypatch, batch):
    """The snapshot is streamed to disk; its bytes stay exactly json.dumps' canonical form,
    whatever the piece size (7 cuts inside keys, strings and indentation)."""
    monkeypatch.setattr(knowledge_graph, "JSON_BATCH", batch)
    path = tmp_path / "graph.json"
    write_snapshot(changning_graph, path)
    canonical = json.dumps(changning_graph.to_node_link(), ensure_ascii=False, sort_keys=True,
                           indent=1).encode("utf-8") + b"\n"
    assert path.read_bytes() == canonical


def test_cli_load_stores_the_same_graph_as_the_library(store, changning_graph):
    assert read_snapshot(store) == changning_graph


def test_cli_load_twice_gives_identical_bytes(store, changning_path, tmp_path):
    first = store.read_bytes()
    again = livekg(store, "load", changning_path, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "unchanged" in again.stdout
    assert store.read_bytes() == first


def test_cli_export_json_round_trips(store, tmp_path):
    result = livekg(store, "export", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    exported = KnowledgeGraph.from_node_link(json.loads(result.stdout))
    assert exported == read_snapshot(store)


def test_cli_export_json_to_file(store, tmp_path):
    out = tmp_path / "export.json"
    result = livekg(store, "export", "--format", "json", "--out", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert read_snapshot(out) == read_snapshot(store)


def test_export_json_fields(store, tmp_path):
    data = json.loads(livekg(store, "export", "--format", "json", cwd=tmp_path).stdout)
    assert data["nodes"] and data["links"]
    for node in data["nodes"]:
        assert isinstance(node["id"], str) and node["id"]
        assert isinstance(node["labels"], list) and node["labels"]
        assert isinstance(node["name"], str) and node["name"]
    node_ids = {node["id"] for node in data["nodes"]}
    for link in data["links"]:
        assert link["source"] in node_ids and link["target"] in node_ids
        assert isinstance(link["type"], str) and link["type"]
    responsible = [link for link in data["links"] if link["type"] == "RESPONSIBLE_FOR"]
    assert len(responsible) == 127
    assert all(isinstance(link["rank"], int) and link["rank"] >= 1 for link in responsible)
    names = {node["id"]: node["name"] for node in data["nodes"]}
    task_6 = next(n["id"] for n in data["nodes"] if "Task" in n["labels"] and n["number"] == 6)
    ranked = sorted((link["rank"], names[link["source"]]) for link in responsible
                    if link["target"] == task_6)
    assert ranked == list(enumerate(TASK_6_OWNERS, start=1))


def test_graphml_export_reads_back(store, tmp_path):
    out = tmp_path / "graph.graphml"
    result = livekg(store, "export", "--format", "graphml", "--out", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    kg = read_snapshot(store)
    back = nx.read_graphml(out)
    assert back.number_of_nodes() == len(kg)
    assert back.number_of_edges() == kg.graph.number_of_edges()
    chamber = next(n for n in kg.nodes() if n["name"] == "市网购商会")
    assert set(back.nodes[chamber["id"]]["labels"].split(":")) == {"Unit", "Association"}
    assert back.nodes[chamber["id"]]["name"] == "市网购商会"


def test_graphml_goes_to_standard_output_without_a_file(store, tmp_path):
    result = livekg(store, "export", "--format", "graphml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    back = nx.read_graphml(io.BytesIO(result.stdout.encode("utf-8")))
    assert back.number_of_nodes() == len(read_snapshot(store))


def test_a_csv_export_needs_a_folder(store, tmp_path):
    result = livekg(store, "export", "--format", "neo4j-csv", cwd=tmp_path)
    assert result.returncode == 1
    assert "--out" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["json", "graphml"])
def test_export_into_a_new_folder(store, tmp_path, fmt):
    out = tmp_path / "exports" / f"graph.{fmt}"
    result = livekg(store, "export", "--format", fmt, "--out", out, cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    kg = read_snapshot(store)
    if fmt == "json":
        assert read_snapshot(out) == kg
    else:
        assert nx.read_graphml(out).number_of_nodes() == len(kg)


@pytest.mark.parametrize("fmt", ["json", "graphml"])
def test_export_onto_a_folder_is_a_one_line_error(store, tmp_path, fmt):
    folder = tmp_path / "exports"
    folder.mkdir()
    result = livekg(store, "export", "--format", fmt, "--out", folder, cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert str(folder) in result.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("fmt", ["json", "graphml"])
def test_exported_file_has_ordinary_permissions(store, tmp_path, fmt):
    # An export is a file to share: it gets the permissions any new file gets (the umask),
    # not the owner-only mode of a private temporary file.
    ordinary = tmp_path / "ordinary.txt"
    ordinary.write_text("x")
    out = tmp_path / f"graph.{fmt}"
    result = livekg(store, "export", "--format", fmt, "--out", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert oct(out.stat().st_mode & 0o777) == oct(ordinary.stat().st_mode & 0o777)


def test_store_from_the_environment(tmp_path, changning_path):
    env_store = tmp_path / "env" / "graph.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEKG_")}
    env.update(COLUMNS="400", LIVEKG_STORE=str(env_store))
    loaded = subprocess.run([str(LIVEKG), "load", str(changning_path)], capture_output=True,
                            text=True, env=env, cwd=tmp_path, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    assert read_snapshot(env_store).document_ids() == [
        "changning-livestream-action-plan-2024-2026"]
    # --store wins over the environment.
    other = tmp_path / "other.json"
    shown = subprocess.run([str(LIVEKG), "show", "task", "6", "--store", str(other)],
                           capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert shown.returncode == 1
    assert str(other) in shown.stderr


# -- loading a folder, one file at a time ------------------------------------------------------
def _folder_with_a_bad_file(changning_path: Path, folder: Path) -> Path:
    """Changning, then a file in Latin-1 (line 2 is not UTF-8), then the mini plan: the bad
    file sorts between the two good ones."""
    folder.mkdir()
    for source in (changning_path, changning_path.with_suffix(".yaml"), MINI_PLAN,
                   MINI_PLAN.with_suffix(".yaml")):
        shutil.copyfile(source, folder / source.name)
    bad = folder / "m-latin1.txt"
    bad.write_bytes("An English note\nabout a café\n".encode("latin-1"))
    return bad


def test_a_bad_file_in_a_folder_is_named_and_the_files_around_it_still_load(
        tmp_path, changning_path):
    bad = _folder_with_a_bad_file(changning_path, tmp_path / "plans")
    store = tmp_path / "graph.json"
    result = livekg(store, "load", tmp_path / "plans", cwd=tmp_path)
    assert result.returncode == 1
    assert f"livekg: error: {bad}:2" in result.stderr
    assert "UTF-8" in result.stderr
    assert "1 of 3 files not loaded" in result.stderr
    # The plan read before the bad file and the one read after it are both stored.
    assert read_snapshot(store).document_ids() == [
        "changning-livestream-action-plan-2024-2026", "test-mini-plan"]


def test_a_folder_load_without_a_terminal_has_no_progress_bar_and_states_peak_memory(
        tmp_path, changning_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    for source in (changning_path, changning_path.with_suffix(".yaml"), MINI_PLAN,
                   MINI_PLAN.with_suffix(".yaml")):
        shutil.copyfile(source, folder / source.name)
    result = livekg(tmp_path / "graph.json", "load", folder, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "loading" not in result.stderr  # the bar's label: a log gets no bar drawings
    (closing,) = [line for line in result.stderr.splitlines() if "peak memory" in line]
    assert closing.startswith("2 of 2 files loaded in ")
    peak_mib = int(closing.split("peak memory ")[1].split(" MiB")[0])
    assert 50 < peak_mib < 4096
    quiet = livekg(tmp_path / "graph.json", "load", folder, "--quiet", cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert "peak memory" not in quiet.stderr


def test_a_folder_load_on_a_terminal_shows_a_progress_bar(tmp_path, changning_path):
    import pty

    folder = tmp_path / "plans"
    folder.mkdir()
    for source in (changning_path, changning_path.with_suffix(".yaml"), MINI_PLAN,
                   MINI_PLAN.with_suffix(".yaml")):
        shutil.copyfile(source, folder / source.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEKG_")}
    env["COLUMNS"] = "120"
    leader, follower = pty.openpty()
    with subprocess.Popen([str(LIVEKG), "load", str(folder), "--store",
                           str(tmp_path / "graph.json")], stdout=subprocess.DEVNULL,
                          stderr=follower, env=env, cwd=tmp_path) as child:
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        assert child.wait(timeout=300) == 0
    os.close(leader)
    shown = seen.decode("utf-8", errors="replace")
    assert "loading" in shown
    assert "2/2" in shown  # files done of files in the folder


# -- replacing a document ----------------------------------------------------------------------
def test_changed_document_replaces_only_its_own_facts(store, changning_path, tmp_path):
    assert livekg(store, "load", MINI_PLAN, cwd=tmp_path).returncode == 0
    before = read_snapshot(store)
    assert before.document_ids() == ["changning-livestream-action-plan-2024-2026",
                                     "test-mini-plan"]

    edited = _edited_copy(changning_path, tmp_path / "edited")
    result = livekg(store, "load", edited, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "changed" in result.stdout
    after = read_snapshot(store)

    assert after.document_ids() == before.document_ids()
    owners_before, owners_after = _owners(before), _owners(after)
    task_14 = "changning-livestream-action-plan-2024-2026:task:14"
    assert owners_after[task_14] == ["区委宣传部", "区委网信办", "区文旅局", "区商务委"]
    assert {k: v for k, v in owners_after.items() if k != task_14} == \
        {k: v for k, v in owners_before.items() if k != task_14}
    # The other document is untouched, and still reaches the units and venue it shares.
    assert _owned_by(after, "test-mini-plan") == _owned_by(before, "test-mini-plan")
    assert [t.id for t in MemoryBackend(after).unit_tasks("区外办")] == ["test-mini-plan:task:1"]
    assert [m.task.document for m in MemoryBackend(after).tasks_mentioning("愚园路")] == [
        "changning-livestream-action-plan-2024-2026", "test-mini-plan"]
    responsible = [r for r in after.relationships("RESPONSIBLE_FOR")]
    assert len(responsible) == 126 + 3
    assert after.node("changning-livestream-action-plan-2024-2026")["sha256"] != \
        before.node("changning-livestream-action-plan-2024-2026")["sha256"]


def test_unit_no_longer_named_leaves_the_graph(store, changning_path, tmp_path):
    # 区外办 owns only task 14; once the edited plan drops it, nothing refers to it.
    edited = _edited_copy(changning_path, tmp_path / "edited")
    assert livekg(store, "load", edited, cwd=tmp_path).returncode == 0
    kg = read_snapshot(store)
    with pytest.raises(NodeNotFound):
        MemoryBackend(kg).resolve("区外办")
    assert len(list(kg.relationships("RESPONSIBLE_FOR"))) == 126
    # Loading the original again restores it.
    assert livekg(store, "load", changning_path, cwd=tmp_path).returncode == 0
    restored = read_snapshot(store)
    assert [t.number for t in MemoryBackend(restored).unit_tasks("区外办")] == [14]


def test_reloading_the_original_restores_identical_bytes(store, changning_path, tmp_path):
    original = store.read_bytes()
    edited = _edited_copy(changning_path, tmp_path / "edited")
    assert livekg(store, "load", edited, cwd=tmp_path).returncode == 0
    assert store.read_bytes() != original
    assert livekg(store, "load", changning_path, cwd=tmp_path).returncode == 0
    assert store.read_bytes() == original


# -- show, stats ---------------------------------------------------------------------------------
def _in_order(text: str, names: list[str]) -> bool:
    positions = [text.find(name) for name in names]
    return all(p >= 0 for p in positions) and positions == sorted(positions)


def test_show_task_6(store, tmp_path):
    result = livekg(store, "show", "task", "6", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "优化直播经济综合服务" in result.stdout
    table = result.stdout.split("(责任单位:")[-1].split(")", 1)[-1]  # after the task text
    assert _in_order(table, TASK_6_OWNERS)


def test_show_unit_commerce_commission(store, tmp_path):
    result = livekg(store, "show", "unit", "区商务委", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _in_order(result.stdout, COMMERCE_TITLES)
    assert "加大算力等基础设施供给" not in result.stdout  # task 10: not a 区商务委 task
    (row,) = [line for line in result.stdout.splitlines() if "区委网信办" in line]
    assert "14" in row
    assert "1, 2, 3, 4, 5, 6, 8, 9, 14, 15, 16, 17, 18, 20" in row


def test_show_unit_by_english_name(store, tmp_path):
    result = livekg(store, "show", "unit", "Changning District Commission of Commerce",
                    cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _in_order(result.stdout, COMMERCE_TITLES)


def test_show_unknown_unit_suggests(store, tmp_path):
    result = livekg(store, "show", "unit", "区商务局", cwd=tmp_path)
    assert result.returncode == 1
    assert "区商务局" in result.stderr
    assert "区商务委" in result.stderr


def test_show_without_a_store(tmp_path):
    result = livekg(tmp_path / "nothing.json", "show", "task", "6", cwd=tmp_path)
    assert result.returncode == 1
    assert "livekg load" in result.stderr
    assert not (tmp_path / "nothing.json").exists()


def test_stats(store, tmp_path):
    result = livekg(store, "stats", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    counts = {}
    for line in result.stdout.splitlines():
        cells = [cell.strip() for cell in line.strip("│ ").split("│")]
        if len(cells) == 3 and cells[2].isdigit():
            counts[cells[1]] = int(cells[2])
    assert counts["Task"] == 23
    assert counts["Unit"] == 38  # 28 units in the lists + 10 members of 各街镇
    assert counts["RESPONSIBLE_FOR"] == 127
