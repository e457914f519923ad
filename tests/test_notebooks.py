"""The analyst notebooks run top to bottom and show the numbers the document itself gives.

Each notebook is executed with nbclient in a kernel of this very interpreter (a kernelspec made
for the run, so a user's own `python3` kernel is never picked up). A cell that raises fails the
test. Each notebook ends with a cell tagged `summary` that displays its key numbers as
`application/json`; the tests read them from that output and compare them with values read from
the document's text — split on `(责任单位:` — never with values computed by livekg's code.
01, 03 and 04 run on the embedded graph; 02 runs on the real Neo4j of tests/neo4j_fixtures.py.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import itertools
import json
import re
import sys
import warnings
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import numpy as np
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat import NotebookNode

from document_facts import read_tasks
from livekg.core.config import Neo4jConnection

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
NOTEBOOKS = ("01-getting-started.ipynb", "02-cypher.ipynb", "03-network-analysis.ipynb",
             "04-visualization.ipynb")
KERNEL = "livekg-notebook-tests"
CELL_TIMEOUT_S = 600
LABEL = "区商务委"



TASK_LINES, OWNERS, TITLES = read_tasks()
LOAD = Counter(unit for owners in OWNERS.values() for unit in owners)
SHARED_PAIRS = {pair for owners in OWNERS.values()
                for pair in itertools.combinations(sorted(owners), 2)}
SINGLE_OWNER = [{"task": n, "unit": owners[0]} for n, owners in OWNERS.items()
                if len(owners) == 1]


def test_the_document_facts_the_tests_rely_on() -> None:
    """The numbers the issue names, read from the text: a broken reading fails here first."""
    assert len(OWNERS) == 23
    assert LOAD.most_common(1) == [(LABEL, 18)]
    assert len(OWNERS[6]) == 14
    assert [n for n, line in TASK_LINES.items() if "愚园路" in line] == [9]
    assert [{"task": n, "unit": "各相关部门"} for n in (21, 22, 23)] == SINGLE_OWNER


# -- running notebooks -------------------------------------------------------------------------
def execute(path: Path, workdir: Path) -> NotebookNode:
    """Run every cell in order, in a kernel of this interpreter; raise on the first error."""
    notebook = nbformat.read(path, as_version=4)
    spec = workdir / "kernels" / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher",
                 "-f", "{connection_file}"],
        "display_name": "livekg (tests)", "language": "python",
    }), encoding="utf-8")
    manager = KernelManager(kernel_name=KERNEL, kernel_spec_manager=KernelSpecManager(
        kernel_dirs=[str(workdir / "kernels")]))
    NotebookClient(notebook, km=manager, kernel_name=KERNEL, timeout=CELL_TIMEOUT_S,
                   resources={"metadata": {"path": str(NOTEBOOKS_DIR)}}).execute()
    return notebook


def summary(notebook: NotebookNode) -> dict[str, Any]:
    """The JSON the cell tagged `summary` displayed."""
    cells = [c for c in notebook.cells if "summary" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "a notebook needs exactly one cell tagged 'summary'"
    found = [o["data"]["application/json"] for o in cells[0].outputs
             if "application/json" in o.get("data", {})]
    assert len(found) == 1, f"the summary cell displayed {len(found)} JSON outputs"
    return found[0]


def outputs_with(notebook: NotebookNode, mime: str) -> list[Any]:
    return [o["data"][mime] for cell in notebook.cells if cell.cell_type == "code"
            for o in cell.outputs if mime in o.get("data", {})]


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, NotebookNode]:
    """The embedded-graph notebooks, each run once for all the tests below."""
    workdir = tmp_path_factory.mktemp("notebooks")
    return {name: execute(NOTEBOOKS_DIR / name, workdir)
            for name in NOTEBOOKS if name != "02-cypher.ipynb"}


@functools.cache
def nbhelpers() -> ModuleType:
    """notebooks/nbhelpers.py, imported the way the notebooks import it."""
    if "nbhelpers" in sys.modules:
        return sys.modules["nbhelpers"]
    spec = importlib.util.spec_from_file_location("nbhelpers", NOTEBOOKS_DIR / "nbhelpers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["nbhelpers"] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


# -- committed form ----------------------------------------------------------------------------
def test_the_notebooks_are_the_four_documented_ones() -> None:
    assert sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb")) == list(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_has_no_outputs(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert [i for i, cell in enumerate(code) if cell.outputs] == [], "strip the outputs"
    assert [i for i, cell in enumerate(code) if cell.execution_count is not None] == []
    assert not {"widgets", "execution"} & set(notebook.metadata)
    assert all("execution" not in cell.metadata for cell in code)


def test_a_failing_cell_fails_the_run(tmp_path: Path) -> None:
    broken = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"),
                                             nbformat.v4.new_code_cell("1 / 0")])
    path = tmp_path / "broken.ipynb"
    nbformat.write(broken, path)
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        execute(path, tmp_path)


# -- 01 getting started ------------------------------------------------------------------------
def test_getting_started(executed: dict[str, NotebookNode]) -> None:
    shown = summary(executed["01-getting-started.ipynb"])
    assert shown["nodes_by_label"]["Task"] == len(OWNERS) == 23
    assert shown["nodes_by_label"]["Document"] == 1
    assert shown["relationships_by_type"]["RESPONSIBLE_FOR"] == sum(LOAD.values())
    assert shown["task_6_title"] == TITLES[6]
    assert shown["task_6_owners"] == OWNERS[6]
    assert len(shown["task_6_owners"]) == 14
    assert shown["commerce_task_numbers"] == [n for n, o in OWNERS.items() if LABEL in o]
    assert len(shown["commerce_task_numbers"]) == 18
    expected_co_owners = Counter(unit for owners in OWNERS.values() if LABEL in owners
                                 for unit in owners if unit != LABEL)
    assert dict(shown["commerce_co_owners"]) == dict(expected_co_owners)
    counts = [count for _, count in shown["commerce_co_owners"]]
    assert counts == sorted(counts, reverse=True)  # most shared first
    assert shown["yuyuan_tasks"] == [9]
    tables = outputs_with(executed["01-getting-started.ipynb"], "text/html")
    assert any("区人才局" in table and "<table" in table for table in tables)


# -- 02 Cypher on Neo4j ------------------------------------------------------------------------
def test_cypher_notebook_on_neo4j(neo4j_changning: object, neo4j_connection: Neo4jConnection,
                                  tmp_path: Path) -> None:
    notebook = execute(NOTEBOOKS_DIR / "02-cypher.ipynb", tmp_path)
    shown = summary(notebook)
    assert shown["uri"] == neo4j_connection.uri
    recipe_files = sorted(p.stem.split("-", 1)[1]
                          for p in (ROOT / "graph" / "cypher").glob("*.cypher"))
    assert sorted(shown["recipes"]) == recipe_files
    assert all(rows > 0 for rows in shown["recipes"].values()), shown["recipes"]
    assert shown["task_6_owners"] == OWNERS[6]
    assert shown["task_6_as_text_rows"] == 0
    assert shown["task_9_owners"] == OWNERS[9]
    assert shown["commerce_tasks"] == [n for n, o in OWNERS.items() if LABEL in o]
    assert shown["single_owner_tasks"] == [{"task": s["task"], "owner": s["unit"]}
                                           for s in SINGLE_OWNER]
    assert shown["recipes"]["co-owner-pairs"] == len(SHARED_PAIRS)
    assert (shown["top_unit"]["unit"], shown["top_unit"]["tasks"]) == (LABEL, 18)
    assert "not allowed" in shown["refused"]


# -- 03 network analysis -----------------------------------------------------------------------
def test_network_analysis(executed: dict[str, NotebookNode]) -> None:
    notebook = executed["03-network-analysis.ipynb"]
    shown = summary(notebook)
    assert shown["units"] == len(LOAD)
    assert shown["co_owning_pairs"] == len(SHARED_PAIRS)
    assert dict(shown["task_load"]) == dict(LOAD)
    counts = [count for _, count in shown["task_load"]]
    assert counts == sorted(counts, reverse=True)  # most tasks first
    assert shown["top_unit"] == {"name": LABEL, "tasks": 18}
    assert shown["single_unit_tasks"] == [{**s, "title": TITLES[s["task"]]}
                                          for s in SINGLE_OWNER]
    all_pairs = len(LOAD) * (len(LOAD) - 1) // 2
    assert (shown["never_sharing_pairs"], shown["all_pairs"]) == (
        all_pairs - len(SHARED_PAIRS), all_pairs)
    assert shown["isolated_units"] == ["各相关部门"]
    assert shown["degree"]["各相关部门"] == 0
    assert shown["degree"][LABEL] == len({u for o in OWNERS.values() if LABEL in o
                                          for u in o} - {LABEL})
    assert shown["weighted_degree"][LABEL] == sum(len(o) - 1 for o in OWNERS.values()
                                                  if LABEL in o)
    communities = shown["communities"]
    assert len(communities) >= 2 and ["各相关部门"] in communities
    assert sorted(u for c in communities for u in c) == sorted(LOAD)
    charts = outputs_with(notebook, "image/png")
    assert len(charts) == 2 and all(len(chart) > 10_000 for chart in charts)


def test_chart_font_has_every_label(executed: dict[str, NotebookNode]) -> None:
    shown = summary(executed["03-network-analysis.ipynb"])
    assert sorted(shown["chart_labels"]) == sorted(LOAD)
    missing = nbhelpers().missing_characters("".join(shown["chart_labels"]) + "任务数单位热力图",
                                             shown["font_file"], shown["font_index"])
    assert missing == [], f"{shown['font_family']} lacks {missing}"


def _draw(text: str, family: str) -> np.ndarray:
    figure = Figure(figsize=(2.4, 0.6), dpi=100)
    canvas = FigureCanvasAgg(figure)
    figure.text(0.5, 0.5, text, fontfamily=family, fontsize=20, ha="center", va="center")
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def test_chinese_labels_are_drawn_not_boxes(executed: dict[str, NotebookNode]) -> None:
    """DejaVu Sans draws every Chinese character as the same box; the chosen font must not."""
    import matplotlib

    with matplotlib.rc_context():
        family = nbhelpers().use_cjk_font()
        assert family == summary(executed["03-network-analysis.ipynb"])["font_family"]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cjk = _draw(LABEL, family)
            cjk_chars = [_draw(char, family) for char in LABEL]
        assert not [w for w in caught if "missing from font" in str(w.message)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tofu = _draw(LABEL, "DejaVu Sans")
            tofu_chars = [_draw(char, "DejaVu Sans") for char in LABEL]
    assert not np.array_equal(cjk, tofu)
    assert all(np.array_equal(tofu_chars[0], other) for other in tofu_chars[1:])  # boxes
    assert all(not np.array_equal(a, b) for a, b in itertools.combinations(cjk_chars, 2))
    assert all((image[..., :3] < 128).any() for image in cjk_chars)  # ink, not blank


def test_use_cjk_font_names_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    helpers = nbhelpers()
    monkeypatch.setattr(helpers, "PACKAGED_FONTS", ())
    monkeypatch.setattr(helpers, "SYSTEM_FAMILIES", ("No Such Font SC",))
    with pytest.raises(helpers.CjkFontNotFound, match="zhplot") as error:
        helpers.use_cjk_font()
    assert "fonts-noto-cjk" in str(error.value)


# -- 04 visualization --------------------------------------------------------------------------
def test_visualization_inline_and_offline(executed: dict[str, NotebookNode]) -> None:
    notebook = executed["04-visualization.ipynb"]
    shown = summary(notebook)
    assert set(shown) == {"co-ownership", "unit", "task", "entities", "whole"}
    co_owning_units = {u for owners in OWNERS.values() if len(owners) > 1 for u in owners}
    assert sorted(shown["co-ownership"]["names"]) == sorted(co_owning_units)
    assert shown["co-ownership"]["links"] == len(SHARED_PAIRS)
    assert set(OWNERS[9]) | {"愚园路", TITLES[9]} <= set(shown["task"]["names"])
    assert {TITLES[n] for n, o in OWNERS.items() if LABEL in o} | {LABEL} <= set(
        shown["unit"]["names"])
    assert "愚园路" in shown["entities"]["names"]
    assert shown["whole"]["nodes"] > shown["task"]["nodes"]

    frames = [out for out in outputs_with(notebook, "text/html") if "<iframe" in out]
    assert len(frames) == len(shown)
    for frame in frames:
        assert 'sandbox="allow-scripts"' in frame
        page = html.unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1))
        assert "vis-network" in page and "livekg-data" in page
        external = re.findall(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page)
        assert external == [], "the page must not load anything from the network"
