"""The 1,000-plan benchmark: parse the synthetic plans and put them into the embedded graph.

It runs in a fresh process (`python -m bench.many_documents --count N`) so that its peak
resident memory is its own, not what earlier benchmarks left behind. Cost per document is
reported at the full count and at a tenth of it, in the same run: if loading were linear the
two would be equal; their ratio shows how far it is not.

    python -m bench.many_documents --count 1000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.corpus import many_plans
from bench.profiling import profile_call
from bench.results import Section, si, times
from bench.servers import ROOT
from bench.timing import timed
from livekg.graph.ingest import with_documents
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.loaders.models import ParsedDocument
from livekg.loaders.pipeline import parse_source
from livekg.loaders.registry import load_registry

COUNTS = {False: 1000, True: 100}
PROFILE_DOCUMENTS = {False: 200, True: 40}


@dataclass(frozen=True)
class LoadRun:
    documents: int
    chars: int
    tasks: int
    parse_s: float
    ingest_s: float
    nodes: int
    relationships: int
    rss_before_kib: int
    peak_rss_kib: int

    @property
    def per_document_s(self) -> float:
        return (self.parse_s + self.ingest_s) / self.documents


def load(count: int) -> LoadRun:
    """Parse `count` plans and build the embedded graph from them, as `livekg load` does."""
    registry = load_registry()
    plans = many_plans(count, registry=registry)
    before = _status_kib("VmRSS")
    parse_s = 0.0

    def parsed() -> Iterator[ParsedDocument]:
        # One plan parsed at a time and dropped once in the graph, as `livekg load` can.
        nonlocal parse_s
        for plan in plans:
            began = time.perf_counter()
            document = parse_source(plan.source(), registry, plan.metadata)
            parse_s += time.perf_counter() - began
            yield document

    total_s, (kg, _) = timed(lambda: with_documents(KnowledgeGraph(), parsed()))  # type: ignore
    ingest_s = total_s - parse_s
    return LoadRun(count, sum(p.chars for p in plans), sum(p.tasks for p in plans), parse_s,
                   ingest_s, len(kg), sum(1 for _ in kg.relationships()), before,
                   _status_kib("VmHWM"))


def _status_kib(name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1])
    return 0


def load_in_subprocess(count: int) -> LoadRun:
    command = [sys.executable, "-m", "bench.many_documents", "--count", str(count)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return LoadRun(**json.loads(done.stdout.strip().splitlines()[-1]))


def run(quick: bool) -> Section:
    section = Section("1,000 plans")
    count = COUNTS[quick]
    print(f"  {count} plans (and {count // 10}) in subprocesses", file=sys.stderr)
    full = load_in_subprocess(count)
    tenth = load_in_subprocess(count // 10)
    for result in (full, tenth):
        growth = result.peak_rss_kib - result.rss_before_kib
        section.row(
            f"{result.documents} plans ({si(result.chars)} chars, {si(result.tasks)} tasks) → "
            f"{si(result.nodes)} nodes, {si(result.relationships)} rels",
            f"{result.documents / (result.parse_s + result.ingest_s):.3g} docs/s "
            f"(parse {result.documents / result.parse_s:.3g} docs/s, with_documents "
            f"{result.documents / result.ingest_s:.3g} docs/s); peak RSS "
            f"{result.peak_rss_kib / 1024:.0f} MiB, {growth / 1024:.0f} MiB of it for "
            "parsing and the graph",
            "" if result is full else
            f"per-document time at {full.documents}: "
            f"{times(full.per_document_s / tenth.per_document_s)} that at {tenth.documents}")
    section.notes.append(
        "Plan 0 is the city plan the others implement, so `with_documents` also derives "
        "IMPLEMENTS and CARRIES_OUT links; 999 district plans spread over Shanghai's 16 "
        "districts, 0.5×–1.5× the Changning plan each. Peak RSS is the subprocess's VmHWM.")
    if full.ingest_s / full.documents > 2 * tenth.ingest_s / tenth.documents:
        registry = load_registry()
        plans = many_plans(PROFILE_DOCUMENTS[quick], registry=registry)
        parsed = [parse_source(p.source(), registry, p.metadata) for p in plans]
        section.profiles[f"with_documents over {len(plans)} plans (its cost per document "
                         "grows with the graph)"] = profile_call(
            lambda: with_documents(KnowledgeGraph(), parsed), interval=0.005)
    return section


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args(argv)
    print(json.dumps(asdict(load(args.count))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
