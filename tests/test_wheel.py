"""The package as a user gets it: build the wheel, install it into a fresh virtual environment,
and use it from an empty folder — no checkout, no editable install, no warnings.

Dependencies come from the package index through pip's cache, so the first run takes minutes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from document_facts import read_tasks

ROOT = Path(__file__).resolve().parent.parent
# What a build must not see: environments, caches, servers, stores, earlier build output.
NOT_SOURCE = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
              ".ruff_cache", ".cache", ".neo4j", "store", ".ipynb_checkpoints")
_, OWNERS, _ = read_tasks()


def _run(command: list[str | Path], cwd: Path, env: dict[str, str] | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, cwd=cwd,
                            env=env, timeout=timeout)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result


def _warnings(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines()
            if "warning" in line.lower()]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtual environment holding only the built wheel (+ deps)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", tmp / "dist",
                  source], cwd=tmp, timeout=600)
    assert _warnings(built) == []
    (wheel,) = (tmp / "dist").glob("livekg-*.whl")
    venv.create(tmp / "venv", with_pip=True)
    bin_dir = tmp / "venv" / "bin"
    install = _run([bin_dir / "python", "-m", "pip", "install", wheel], cwd=tmp, timeout=1200)
    assert _warnings(install) == []
    return bin_dir


@pytest.fixture(scope="module")
def user_env(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A user's environment: its own HOME, no livekg or Neo4j settings, wide output."""
    home = tmp_path_factory.mktemp("home")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LIVEKG_", "NEO4J_", "XDG_", "VIRTUAL_ENV", "PYTHON"))}
    return {**env, "HOME": str(home), "COLUMNS": "400", "PATH": f"{installed}:{env['PATH']}"}


def test_only_one_top_level_package_is_installed(installed: Path) -> None:
    site = next((installed.parent / "lib").glob("python3*/site-packages"))
    (dist_info,) = site.glob("livekg-*.dist-info")
    assert (dist_info / "top_level.txt").read_text().split() == ["livekg"]
    files = [line.split(",")[0] for line in (dist_info / "RECORD").read_text().splitlines()]
    tops = {path.split("/")[0] for path in files if not path.startswith("..")}
    assert tops == {"livekg", dist_info.name}


def test_load_and_show_from_an_empty_folder(installed: Path, user_env: dict[str, str],
                                            tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    store = Path(user_env["HOME"]) / ".local" / "share" / "livekg" / "graph.json"
    loaded = _run(["livekg", "load"], cwd=empty, env=user_env, timeout=300)
    assert f"Loaded into {store}" in loaded.stdout
    assert store.is_file()  # the user's data folder, not site-packages
    assert list(installed.parent.rglob("graph.json")) == []
    assert list(empty.iterdir()) == []

    shown = _run(["livekg", "show", "task", "6"], cwd=empty, env=user_env)
    owners = _table_column(shown.stdout, "Responsible units, in document order", column=1)
    assert owners == OWNERS[6]
    assert len(owners) == 14 and owners[0] == "区商务委"


def test_the_local_neo4j_lives_in_the_user_folders(user_env: dict[str, str],
                                                   tmp_path: Path) -> None:
    status = subprocess.run(["livekg", "neo4j", "status"], capture_output=True, text=True,
                            cwd=tmp_path, env=user_env, timeout=60)
    assert status.returncode == 3, status.stderr
    home = Path(user_env["HOME"]) / ".local" / "share" / "livekg" / "neo4j"
    assert f"Neo4j not running (home {home})" in status.stdout


def _table_column(output: str, title: str, column: int) -> list[str]:
    """The cells of one column of the rich table printed under `title`."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == title)
    cells = []
    for line in lines[start + 4:]:  # title, top border, header, rule
        if not line.startswith("│"):
            break
        cells.append(line.strip("│").split("│")[column].strip())
    return cells
