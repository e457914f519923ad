"""The command line as a user meets it: version, mistyped commands, completion, a quick
--help, bad settings, and a second load waiting for the first."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import httpx
from filelock import FileLock

from livekg.graph.snapshot import read_snapshot

ROOT = Path(__file__).resolve().parent.parent
LIVEKG = Path(sys.executable).with_name("livekg")
CHANGNING = ROOT / "data" / "documents" / "changning-livestream-action-plan-2024-2026.txt"
# What a command must not load before it runs: the driver, the web stack, the graph library.
HEAVY = ("neo4j", "fastapi", "uvicorn", "networkx", "pydantic_settings")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LIVEKG_", "NEO4J_", "_LIVEKG_"))}
    return {**env, "COLUMNS": "400", **extra}


def livekg(*args: str | Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LIVEKG), *map(str, args)], capture_output=True, text=True,
                          env=_env(**env), cwd=cwd, timeout=300)


def test_version_is_the_packaged_one(tmp_path: Path) -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    result = livekg("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"livekg {declared}"


def test_a_mistyped_command_gets_a_suggestion(tmp_path: Path) -> None:
    result = livekg("lod", cwd=tmp_path)
    assert result.returncode == 2
    assert "No such command 'lod'. Did you mean 'load'?" in result.stderr


def test_shell_completion_offers_commands_and_choices(tmp_path: Path) -> None:
    commands = livekg(cwd=tmp_path, _LIVEKG_COMPLETE="complete_bash",
                      COMP_WORDS="livekg s", COMP_CWORD="1")
    assert commands.stdout.split() == ["stats", "show", "serve"]
    kinds = livekg(cwd=tmp_path, _LIVEKG_COMPLETE="complete_bash",
                   COMP_WORDS="livekg show ", COMP_CWORD="2")
    assert kinds.stdout.split() == ["task", "unit"]
    script = livekg("--show-completion", "bash", cwd=tmp_path)
    assert script.returncode == 0 and "_LIVEKG_COMPLETE=complete_bash" in script.stdout


def test_help_loads_no_heavy_module(tmp_path: Path) -> None:
    # Help (and completion) stay quick because nothing heavy is imported to print them.
    probe = ("import sys\nfrom livekg.cli import main\ncode = main(['--help'])\n"
             f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
             "print('HEAVY', heavy, code, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env=_env(), cwd=tmp_path, timeout=120)
    assert "load" in result.stdout and "cypher" in result.stdout
    assert "HEAVY [] 0" in result.stderr, result.stderr


def test_an_invalid_setting_is_one_line_naming_it(tmp_path: Path) -> None:
    result = livekg("stats", cwd=tmp_path, LIVEKG_PORT="eighty")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("livekg: error: setting LIVEKG_PORT:") and "'eighty'" in lines[0]


def test_a_second_load_waits_for_the_first(tmp_path: Path) -> None:
    store = tmp_path / "graph.json"
    lock_file = tmp_path / "graph.json.lock"
    lock = FileLock(lock_file)
    lock.acquire()  # another load into the same store is under way
    try:
        second = subprocess.Popen([str(LIVEKG), "load", str(CHANGNING), "--store", str(store)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=_env(), cwd=tmp_path)
        assert second.stderr is not None
        said = second.stderr.readline().strip()
        assert said == f"waiting for another load into {store} (lock {lock_file})"
        assert second.poll() is None and not store.exists()  # it waits, writing nothing
    finally:
        lock.release()
    stdout, stderr = second.communicate(timeout=300)
    assert second.returncode == 0, stderr
    assert f"Loaded into {store}" in stdout
    assert read_snapshot(store).document_ids() == ["changning-livestream-action-plan-2024-2026"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serve_prints_the_front_door_links_and_each_opens(tmp_path: Path) -> None:
    store = tmp_path / "graph.json"
    assert livekg("load", CHANGNING, "--store", store, cwd=tmp_path).returncode == 0
    port = _free_port()
    server = subprocess.Popen([str(LIVEKG), "serve", "--port", str(port), "--store", str(store)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=_env(), cwd=tmp_path)
    try:
        assert server.stdout is not None
        lines = []
        while (line := server.stdout.readline()) not in ("", "Ctrl+C stops it.\n"):
            lines.append(line)
        assert line, f"livekg serve ended: {lines} {server.stderr.read() if server.stderr else ''}"
        base = f"http://127.0.0.1:{port}"
        assert lines[0].startswith(f"livekg on {base}/ (memory backend)"), lines
        links = [line.split()[0] for line in lines[1:]]
        paths = [link.removeprefix(base) for link in links]
        assert paths[0] == "/" and paths[1] == "/viz"
        assert {"/viz/co-ownership", "/docs", "/redoc", "/cookbook"} <= set(paths)
        assert any(path.startswith("/viz/units/") for path in paths)
        deadline = time.monotonic() + 60
        while True:  # uvicorn starts after the links are printed
            try:
                httpx.get(f"{base}/health", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "livekg serve did not start"
                time.sleep(0.2)
        for link in links:
            assert httpx.get(link, timeout=30).status_code == 200, link
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_which_unit_leads_most_tasks_is_one_command(tmp_path: Path) -> None:
    # 区商务委 heads the lists of tasks 1-9, 15 and 16 of the 18 it is listed in.
    store = tmp_path / "graph.json"
    assert livekg("load", CHANGNING, "--store", store, cwd=tmp_path).returncode == 0
    result = livekg("units", "--top", "1", "--store", store, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (row,) = [line for line in result.stdout.splitlines() if "区商务委" in line]
    cells = [cell.strip() for cell in row.strip("│ ").split("│")]
    assert cells[:2] == ["1", "区商务委"]
    assert cells[3:6] == ["11", "7", "18"]  # led, co-owned, owned
    shown = livekg("show", "unit", "区外办", "--store", store, cwd=tmp_path)
    assert "leads 0 of its 1 tasks" in shown.stdout
    (task,) = [line for line in shown.stdout.splitlines() if "支持平台和MCN机构走出去" in line]
    assert [cell.strip() for cell in task.strip("│ ").split("│")][:2] == ["14.", "3"]
