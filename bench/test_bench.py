"""Checks of the benchmark machinery itself (no timings are asserted anywhere).

The corpus must be deterministic and must parse into exactly what it wrote, or the figures
measure the wrong thing; the CSV side of the Neo4j comparison must carry the same properties
with their types; the report must show every goal with its verdict.

    .venv/bin/python -m pytest bench/test_bench.py
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import corpus, loadgen, report
from bench.csv_import import _cast, _encode, _kind, write_csv_files
from bench.results import Goal, Section
from livekg.graph.build import document_rows
from livekg.loaders.pipeline import parse_source
from livekg.loaders.registry import Registry, load_registry
from livekg.loaders.structure import chinese_number


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def test_the_same_seed_gives_the_same_plan(registry: Registry) -> None:
    first = corpus.scaled_plan(1, registry=registry)
    again = corpus.scaled_plan(1, registry=registry)
    other = corpus.scaled_plan(1, seed=corpus.SEED + 1, registry=registry)
    assert first.text == again.text
    assert first.text != other.text


@pytest.mark.parametrize("factor", [1, 10])
def test_a_scaled_plan_is_about_factor_times_the_real_one(registry: Registry,
                                                          factor: int) -> None:
    plan = corpus.scaled_plan(factor, registry=registry)
    assert 0.85 < plan.chars / (factor * corpus.changning_chars()) < 1.15


@pytest.mark.parametrize("factor", [1, 10])
def test_a_scaled_plan_parses_into_what_was_written(registry: Registry, factor: int) -> None:
    plan = corpus.scaled_plan(factor, registry=registry)
    parsed = parse_source(plan.source(), registry, plan.metadata)
    assert len(parsed.tasks) == plan.tasks
    assert sum(len(task.owners) for task in parsed.tasks) == plan.owners
    assert sum(len(task.mentions) for task in parsed.tasks) > plan.tasks
    assert {unit.short_name for unit in parsed.units} >= plan.unit_names - {"各相关部门"}
    assert parsed.targets and parsed.implements
    assert any(unit.resolved for unit in parsed.units)
    assert any(not unit.resolved for unit in parsed.units)  # the unknown names, for review


def test_many_plans_are_district_plans_implementing_the_city_plan(registry: Registry) -> None:
    plans = corpus.many_plans(40, registry=registry)
    districts = set(corpus.district_ids(registry))
    assert len(districts) == 16
    assert plans[0].metadata["jurisdiction"] == "shanghai"
    assert plans[0].metadata["title"] == corpus.CITY_PLAN_TITLE
    assert {p.metadata["jurisdiction"] for p in plans[1:]} <= districts
    assert len({p.metadata["id"] for p in plans}) == len(plans)
    for plan in plans[:5]:
        parsed = parse_source(plan.source(), registry, plan.metadata)
        assert len(parsed.tasks) == plan.tasks
        assert parsed.document.jurisdiction == plan.metadata["jurisdiction"]


def test_chinese_numerals_read_back_as_written() -> None:
    for number in range(1, 1000):
        assert chinese_number(corpus.chinese_numeral(number)) == number


def test_csv_values_get_their_types_back_in_cypher() -> None:
    assert _kind([3, 9]) == "list:int" and _kind(True) == "bool" and _kind(2.5) == "float"
    assert _encode([3, 9]) == "3\u001f9" and _encode(False) == "false" and _encode(None) is None
    assert _cast("row.span", "list:int") == "[x IN split(row.span, '\\u001f') | toInteger(x)]"
    assert _cast("row.aliases", "list:str") == "split(row.aliases, '\\u001f')"
    assert _cast("row.name", "str") == "row.name"


def test_csv_files_hold_every_row_once(registry: Registry, tmp_path: Path) -> None:
    plan = corpus.scaled_plan(1, registry=registry)
    rows = document_rows(parse_source(plan.source(), registry, plan.metadata))
    files = write_csv_files(rows, tmp_path, "file:///")
    nodes = sum(f.rows for f in files if "nodes" in f.path.name)
    rels = sum(f.rows for f in files if "rels" in f.path.name)
    assert (nodes, rels) == (len(rows.nodes), len(rows.relationships))
    for file in files:
        assert f"'file:///{file.path.name}'" in file.statement
        assert file.statement.count("MERGE") == 1


def test_the_table_shows_each_goal_with_its_verdict() -> None:
    section = Section("area")
    section.row("case", "1 k/s", "×2")
    section.goals += [Goal("fast", met=True, measured="×2"),
                      Goal("faster", met=False, measured="×0.5", shortfall="2× too slow")]
    text = report.table([section])
    assert "| area | case | 1 k/s | ×2 |" in text
    assert "| goal | fast | ×2 | **met** |" in text
    assert "**MISSED** — 2× too slow" in text


@pytest.fixture
def tiny_server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # the name http.server calls
            body = b'{"status":"ok"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/health"
    server.shutdown()
    server.server_close()


def test_the_fallback_load_generator_counts_answers(tiny_server: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert loadgen.main([tiny_server, "--connections", "2", "--duration", "0.3"]) == 0
    load = loadgen._report(capsys.readouterr().out)
    assert load.requests > 0 and load.non_2xx == 0 and load.p50_ms <= load.p99_ms


def test_load_goes_to_the_loopback_only() -> None:
    with pytest.raises(ValueError):
        loadgen.hammer("http://192.0.2.1:80/", 1, 0.1)


def test_a_saved_run_renders_the_same_report(tmp_path: Path) -> None:
    section = Section("HTTP API")
    section.row("memory: /health", "1 k req/s")
    section.goals.append(Goal("fast", met=False, measured="×0.5", shortfall="2×"))
    section.profiles["a profile"] = "100% somewhere"
    section.notes.append("how")
    run = report.RunRecord([section], report.machine("none", report.revision()), "python -m bench",
                           "2026-01-01T00:00:00+00:00", 60.0, quick=False)
    report.save(tmp_path / "run.json", run)
    text = report.render(report.load(tmp_path / "run.json"))
    assert text == report.render(run)
    assert report.findings()["HTTP API"] in text and "100% somewhere" in text


def test_every_finding_belongs_to_a_results_area() -> None:
    areas = {"parse & extract", "1,000 plans", "memory", "Neo4j load", "HTTP API",
             "visualization"}
    assert set(report.findings()) <= areas


def test_writing_the_report_keeps_the_sections_it_does_not_own(tmp_path: Path) -> None:
    old = ("# Benchmarks\n\nold run\n\n## Issue 14 (branch `perf`): before and after\n\nhand "
           "table\n\n## Machine\n\nold machine\n\n## Real-plan corpus\n\nold figures\n\n"
           "## Entity discovery (real corpus)\n\nentity table\n")
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(old, encoding="utf-8")
    new = "# Benchmarks\n\nnew run\n\n## Machine\n\nnew machine\n\n## Real-plan corpus\n\nnew\n"
    report.write(path, new)
    assert path.read_text(encoding="utf-8") == (
        "# Benchmarks\n\nnew run\n\n## Issue 14 (branch `perf`): before and after\n\nhand "
        "table\n\n## Machine\n\nnew machine\n\n## Real-plan corpus\n\nnew\n\n"
        "## Entity discovery (real corpus)\n\nentity table\n")


def test_the_report_writes_the_real_plan_corpus_figures() -> None:
    from livekg.evaluation import evaluate_folder, render

    section = report.real_plan_corpus()
    assert section.startswith("## Real-plan corpus\n")
    overall = render(evaluate_folder(report.CORPUS, load_registry())).splitlines()[-1]
    assert overall.startswith("overall: ") and overall in section
    run = report.RunRecord([], report.machine("none", "x"), "python -m bench",
                           "2026-01-01T00:00:00+00:00", 1.0, quick=True, corpus=section)
    assert section.strip() in report.render(run)


def test_only_a_full_run_of_every_area_replaces_the_saved_figures() -> None:
    from bench.__main__ import AREAS, RESULTS, ROOT, destinations

    assert destinations(False, set(AREAS), None) == (ROOT / "BENCHMARKS.md",
                                                     RESULTS / "full.json")
    # `--only parse` measured the parse area alone: its table is not the whole report's
    out, saved = destinations(False, {"parse"}, None)
    assert out is None and saved == RESULTS / "full-only-parse.json"
    out, saved = destinations(False, {"parse", "api"}, Path("/tmp/parse.md"))
    assert out == Path("/tmp/parse.md") and saved == RESULTS / "full-only-parse-api.json"
    assert destinations(True, set(AREAS), None) == (None, RESULTS / "quick.json")
