"""`python -m bench [--quick]`: run every benchmark, print one table, write BENCHMARKS.md.

Full mode writes BENCHMARKS.md (or `--out`) and the figures as bench/results/full.json; quick
mode (under two minutes, for `make bench-quick`) and a run of some areas (`--only`) print the
table and write only when `--out` is given, their figures under names of their own, so a quick
or partial look never replaces the committed full-run figures. `--render
bench/results/full.json` writes the report again from saved figures without measuring.

Neo4j: the local server of `livekg neo4j start` (`LIVEKG_NEO4J_HOME` / `LIVEKG_NEO4J_PORT`
choose another one). The benchmark wipes that server's database; it starts the server if it
is not running and then stops it again at the end; a server that was already running is left
running, holding the Changning plan. `NEO4J_URI` is never used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from neo4j import Driver

from bench import api_load, extraction, many_documents, memory, neo4j_load, report, viz
from bench.results import Section
from livekg import neo4j_local
from livekg.core.config import Settings
from livekg.graph.neo4j_connect import open_driver

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
AREAS = ("parse", "documents", "memory", "neo4j", "api", "viz", "corpus")


@contextmanager
def local_neo4j() -> Iterator[tuple[Driver, str, str]]:
    """(driver, database, server version) of the local server, started if need be."""
    settings = Settings()
    if settings.external_neo4j is not None:
        print("NEO4J_URI is set: ignored; the benchmarks wipe their database and use the "
              "local server only.", file=sys.stderr)
    was_running = neo4j_local.status(settings).running
    neo4j_local.start(settings=settings)
    connection = settings.local_neo4j
    try:
        with open_driver(connection.uri, connection.user, connection.password) as driver:
            records, _, _ = driver.execute_query(
                "CALL dbms.components() YIELD name, versions, edition "
                "RETURN name + ' ' + versions[0] + ' ' + edition AS v")
            yield driver, connection.database, f"{records[0]['v']} at {connection.uri}"
            if was_running:  # leave it as `make test` and the notebooks expect it
                api_load.changning_in_neo4j(driver, connection.database)
    finally:
        if not was_running:
            neo4j_local.stop(settings=settings)


def attempt(name: str, call: Callable[[], Section], failures: list[str]) -> Section:
    """Run one benchmark; a failure becomes a row (and a non-zero exit), not a lost run."""
    print(f"[{name}]", file=sys.stderr)
    began = time.perf_counter()
    try:
        return call()
    except Exception as error:
        traceback.print_exc(file=sys.stderr)
        failures.append(name)
        section = Section(name)
        section.row("FAILED", f"{type(error).__name__}: {str(error).splitlines()[0][:200]}")
        return section
    finally:
        print(f"[{name}] {time.perf_counter() - began:.0f} s", file=sys.stderr)


def destinations(quick: bool, areas: set[str], out: Path | None) -> tuple[Path | None, Path]:
    """(the report to write, or None, and the JSON its figures are saved to). Only a full run
    of every area writes BENCHMARKS.md and bench/results/full.json unasked; a run of some
    areas (`--only`) saves its figures under a name of its own, so it never replaces a whole
    run's figures (nor, without `--out`, the report's table)."""
    every_area = areas >= set(AREAS)
    name = "quick" if quick else "full"
    if not every_area:
        name += "-only-" + "-".join(area for area in AREAS if area in areas)
    if out is None and not quick and every_area:
        out = ROOT / "BENCHMARKS.md"
    return out, RESULTS / f"{name}.json"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs, under two minutes")
    parser.add_argument("--out", type=Path, help="Markdown report (full mode: BENCHMARKS.md)")
    parser.add_argument("--only", action="append", choices=AREAS,
                        help="run only these areas (repeatable)")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="measure nothing: write the report again from a saved run "
                             "(bench/results/full.json), e.g. after editing bench/findings.md")
    args = parser.parse_args(argv)
    if args.render:
        run = report.load(args.render)
        print(report.table(run.sections))
        report.write(args.out or ROOT / "BENCHMARKS.md", report.render(run))
        return 0
    arguments = list(sys.argv[1:] if argv is None else argv)
    areas = set(args.only or AREAS)
    out, saved = destinations(args.quick, areas, args.out)
    started, began = dt.datetime.now(dt.UTC), time.perf_counter()
    revision = report.revision()
    quick = args.quick
    failures: list[str] = []
    sections: list[Section] = []
    if "parse" in areas:
        sections.append(attempt("parse", lambda: extraction.run(quick), failures))
    if "documents" in areas:
        sections.append(attempt("documents", lambda: many_documents.run(quick), failures))
    if "memory" in areas:
        sections.append(attempt("memory", lambda: memory.run(quick), failures))
    server = "not used"
    if areas & {"neo4j", "api"}:
        try:
            with local_neo4j() as (driver, database, server):
                if "neo4j" in areas:
                    sections.append(attempt(
                        "neo4j", lambda: neo4j_load.run(quick, driver, database), failures))
                if "api" in areas:
                    sections.append(attempt(
                        "api", lambda: api_load.run(quick, driver, database), failures))
        except neo4j_local.Neo4jLocalError as error:
            failures.append("neo4j")
            failed = Section("Neo4j")
            failed.row("FAILED", f"the local Neo4j could not be started: {error}")
            sections.append(failed)
    if "viz" in areas:
        sections.append(attempt("viz", lambda: viz.run(quick), failures))
    corpus = ""
    if "corpus" in areas:  # owner accuracy on the real plans (tests/corpus), not a timing
        try:
            corpus = report.real_plan_corpus()
        except Exception:
            traceback.print_exc(file=sys.stderr)
            failures.append("corpus")
    seconds = time.perf_counter() - began
    print(report.table(sections))
    if corpus:
        print("\n" + corpus)
    if out is not None:
        run = report.RunRecord(sections, report.machine(server, revision),
                               report.command_line(arguments), started.isoformat(), seconds,
                               quick, corpus)
        report.write(out, report.render(run))
        report.save(saved, run)
        print(f"\nwrote {out} and {saved} ({seconds / 60:.1f} minutes)", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
