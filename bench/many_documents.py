"""Many plans: `livekg load DIR` of a folder of synthetic plans, embedded and into Neo4j.

The bench corpus (`bench.corpus.many_plans`) is written as a folder (text plus sidecar YAML per
plan) and loaded by the CLI in a fresh process, exactly as a user would: its wall time, and its
peak resident memory (the child's ru_maxrss, from wait4) are its own. Each sink loads the full
folder and a small one (its first 100 plans) in the same run; a one-plan folder
measures what every `livekg load` costs regardless of size (start-up, registry), which is
taken off both before dividing by the number of plans. If loading were linear the two per-plan
times would be equal; their ratio shows how far it is not.

    python -m bench.many_documents --count 10000 --neo4j-count 1000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.corpus import SyntheticPlan, many_plans
from bench.results import Goal, Section, si, times
from bench.servers import ROOT, server_env
from livekg.loaders.registry import load_registry

COUNTS = {False: 1000, True: 100}
# Neo4j loads a plan several times slower than the embedded store: its largest folder is
# smaller, so that a run ends in reasonable time on a small machine.
NEO4J_COUNTS = {False: 1000, True: 100}
SMALL = 100  # plans in the small folder each full one is compared with


def small_size(full: int) -> int:
    """The small folder: 100 plans, or a tenth of a full folder of 100 or fewer."""
    return SMALL if full > SMALL else max(full // 10, 1)


@dataclass(frozen=True)
class CliLoad:
    """One `livekg load` subprocess."""

    sink: str
    documents: int
    wall_s: float
    cpu_s: float  # the child's user + system time: what the load cost the CLI's process
    peak_rss_kib: int

    def per_document_s(self, fixed_s: float) -> float:
        return max(self.wall_s - fixed_s, 0.0) / self.documents


def write_folder(plans: Sequence[SyntheticPlan], folder: Path) -> int:
    """The plans as files (text and sidecar YAML), as a user's folder holds them; their
    total characters."""
    folder.mkdir(parents=True, exist_ok=True)
    for plan in plans:
        stem = plan.metadata["id"]
        (folder / f"{stem}.txt").write_text(plan.text, encoding="utf-8")
        (folder / f"{stem}.yaml").write_text(
            yaml.safe_dump(plan.metadata, allow_unicode=True), encoding="utf-8")
    return sum(plan.chars for plan in plans)


def cli_load(folder: Path, documents: int, sink: str, store: Path) -> CliLoad:
    """`livekg load FOLDER --quiet` into `store` (embedded) or `--neo4j`; wall time and the
    child's peak RSS."""
    command = [sys.executable, "-m", "livekg.cli", "load", str(folder), "--quiet"]
    command += ["--neo4j"] if sink == "neo4j" else ["--store", str(store)]
    began = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=server_env(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()  # read to the end, so a chatty child never blocks on a pipe
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"livekg load {folder} ({sink}) failed: "
                           f"{errors.decode(errors='replace')[-2000:]}")
    return CliLoad(sink, documents, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def wipe_neo4j() -> bool:
    """Empty the local Neo4j's database (constraints stay); False when none answers."""
    from bench.neo4j_load import wipe
    from livekg.core.config import Settings
    from livekg.graph.neo4j_connect import open_driver

    connection = Settings().neo4j_connection()
    try:
        with open_driver(connection.uri, connection.user, connection.password) as driver:
            wipe(driver, connection.database)
    except Exception as error:
        print(f"  Neo4j not reachable ({error}); embedded only", file=sys.stderr)
        return False
    return True


def measure(count: int, neo4j_count: int, folder_root: Path
            ) -> tuple[list[CliLoad], dict[int, int]]:
    """Every load of one run: per sink a one-plan, a small and a full folder; and the
    characters of each folder, by its number of plans."""
    registry = load_registry()
    largest = max(count, neo4j_count)
    plans = many_plans(largest, registry=registry)
    folders: dict[int, tuple[Path, int]] = {}
    sizes = sorted({size for full in (count, neo4j_count) if full
                    for size in (1, small_size(full), full)})
    for size in sizes:
        folder = folder_root / f"plans-{size}"
        folders[size] = (folder, write_folder(plans[:size], folder))
    del plans
    loads: list[CliLoad] = []
    runs = [(sink, full) for sink, full in (("embedded", count), ("neo4j", neo4j_count)) if full]
    for sink, full in runs:
        for size in (1, small_size(full), full):
            if sink == "neo4j" and not wipe_neo4j():
                break
            print(f"  livekg load of {size} plans ({sink})", file=sys.stderr)
            store = folder_root / f"graph-{sink}-{size}.json"
            loads.append(cli_load(folders[size][0], size, sink, store))
    if neo4j_count:
        wipe_neo4j()
    return loads, {size: chars for size, (_, chars) in folders.items()}


def run(quick: bool, count: int | None = None, neo4j_count: int | None = None) -> Section:
    section = Section("many plans")
    count = COUNTS[quick] if count is None else count
    neo4j_count = NEO4J_COUNTS[quick] if neo4j_count is None else neo4j_count
    with tempfile.TemporaryDirectory() as tmp:
        loads, chars = measure(count, neo4j_count, Path(tmp))
    for sink in ("embedded", "neo4j"):
        mine = [load for load in loads if load.sink == sink]
        if len(mine) < 3 or mine[1].documents == mine[2].documents:
            continue  # not measured, or too few plans to compare two sizes
        one, small, full = mine
        fixed = one.wall_s
        if small.per_document_s(fixed) == 0:
            # the small folder loaded no slower than one plan: its plans cost less than the
            # noise in a process's start-up, so there is no per-plan time to compare with
            section.notes.append(
                f"{sink}: {small.documents} plans loaded in {small.wall_s:.2f} s, one plan in "
                f"{one.wall_s:.2f} s: too few plans to measure a per-plan time; no ratio")
            continue
        ratio = full.per_document_s(fixed) / small.per_document_s(fixed)
        cpu_ratio = ((full.cpu_s - one.cpu_s) / full.documents) / (
            (small.cpu_s - one.cpu_s) / small.documents)
        section.goals.append(Goal(
            f"per-plan time at {full.documents} plans within 1.3× of that at "
            f"{small.documents} ({sink})", met=ratio <= 1.3, measured=times(ratio),
            shortfall="" if ratio <= 1.3 else f"{ratio / 1.3:.3g}× over"))
        if sink == "embedded":
            section.goals.append(Goal(
                f"peak RSS of `livekg load` of {full.documents} plans (embedded) under 4 GiB",
                met=full.peak_rss_kib < 4 * 2**20,
                measured=f"{full.peak_rss_kib / 2**20:.2f} GiB"))
        for load in (small, full):
            section.row(
                f"`livekg load` {load.documents} plans ({si(chars[load.documents])} chars), "
                f"{sink}",
                f"{load.wall_s:.1f} s wall ({load.cpu_s:.1f} s CPU in the CLI); "
                f"{load.per_document_s(fixed) * 1000:.1f} ms/plan after the {fixed:.1f} s any "
                f"load costs; peak RSS {load.peak_rss_kib / 1024:.0f} MiB",
                "" if load is small else
                f"per-plan time at {full.documents}: {times(ratio)} that at "
                f"{small.documents} (CLI CPU per plan: {times(cpu_ratio)})")
    section.notes.append(
        "Each figure is one `livekg load FOLDER --quiet` subprocess (Neo4j: into the wiped "
        "local database); peak RSS is the child's ru_maxrss. Plan 0 is the city plan the "
        "others implement, so the loads also derive IMPLEMENTS and CARRIES_OUT links; the "
        "others spread over Shanghai's 16 districts, 0.5×–1.5× the Changning plan each. "
        "The fixed cost is a one-plan folder's load in the same run.")
    return section


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=COUNTS[False],
                        help="plans in the embedded store's full folder (0: none)")
    parser.add_argument("--neo4j-count", type=int, default=NEO4J_COUNTS[False],
                        help="plans in Neo4j's full folder (0: no Neo4j loads)")
    args = parser.parse_args(argv)
    section = run(False, args.count, args.neo4j_count)
    for row in section.rows:
        print(f"| {row.case} | {row.figure} | {row.ratio} |")
    for goal in section.goals:
        print(f"| goal | {goal.name} | {goal.measured} | {'met' if goal.met else 'MISSED'} |")
    for note in section.notes:
        print(note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
