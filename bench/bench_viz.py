"""Benchmark (not a test): how big the view pages get and how long Chromium needs to draw them.

Synthetic graphs shaped like the real one (documents → sections → tasks; units own tasks,
tasks mention entities, in roughly the real graph's label mix) of 1,000 and 5,000 nodes, plus
the real Changning graph and a graph just under the physics threshold, for comparison. For
each: HTML size, Python render time, and the time from navigation start until the page says
`livekgReady` (drawn, physics off, still) in headless Debian Chromium, best of a few runs.

    python -m bench.bench_viz [--sizes 1000 5000] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python bench/bench_viz.py` as well as `python -m bench.…`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from livekg.graph import viz
from livekg.graph.backend import MemoryBackend
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.schema import ENTITY_LABELS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# Shares of the real graph (124 nodes): 23 tasks, 38 units, 8 sections, ~50 entities.
SHARES = {"Task": 0.19, "Unit": 0.31, "Section": 0.065}
SEED = 20240101


def synthetic_graph(size: int, seed: int = SEED) -> KnowledgeGraph:
    """A schema-valid graph of `size` nodes, the same for the same seed."""
    rng = random.Random(seed)
    documents = max(1, round(size / 124))
    tasks = round(size * SHARES["Task"])
    units = round(size * SHARES["Unit"])
    sections = round(size * SHARES["Section"])
    entities = size - documents - tasks - units - sections
    nodes: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []

    def link(kind: str, source: str, target: str, **props: Any) -> None:
        links.append({"id": f"{source}|{kind}|{target}|{len(links)}", "type": kind,
                      "source": source, "target": target, **props})

    for d in range(documents):
        nodes.append({"id": f"doc{d}", "labels": ["Document"], "name": f"行动计划{d}",
                      "title": f"行动计划{d}", "jurisdiction": "x", "sha256": "0",
                      "source_file": f"doc{d}.txt", "document": f"doc{d}"})
    for s in range(sections):
        doc = f"doc{s % documents}"
        nodes.append({"id": f"sec{s}", "labels": ["Section"], "name": f"章节{s}",
                      "title": f"章节{s}", "marker": "(一)", "number": s, "level": 2,
                      "document": doc})
        link("PART_OF", f"sec{s}", doc, document=doc)
    for u in range(units):
        nodes.append({"id": f"unit{u}", "labels": ["Unit"], "name": f"区单位{u}",
                      "short_name": f"区单位{u}", "kind": "district_office",
                      "jurisdiction": "x", "verified": False})
    labels = [label.value for label in ENTITY_LABELS if label.value != "Association"]
    for e in range(entities):
        nodes.append({"id": f"ent{e}", "labels": [labels[e % len(labels)]],
                      "name": f"实体{e}", "verified": False})
    for t in range(tasks):
        section = f"sec{t % sections}" if sections else None
        doc = f"doc{(t % sections) % documents}" if sections else f"doc{t % documents}"
        nodes.append({"id": f"task{t}", "labels": ["Task"], "name": f"任务{t}",
                      "title": f"任务{t}", "marker": f"{t}.", "number": t + 1,
                      "text": f"任务{t}的正文。", "span": [0, 1], "document": doc})
        link("PART_OF", f"task{t}", doc, document=doc)
        if section:
            link("IN_SECTION", f"task{t}", section, document=doc)
        for rank, u in enumerate(rng.sample(range(units), k=min(units, rng.randint(1, 8))), 1):
            link("RESPONSIBLE_FOR", f"unit{u}", f"task{t}", document=doc, rank=rank,
                 surface=f"区单位{u}", span=[0, 1])
        for e in rng.sample(range(entities), k=min(entities, rng.randint(0, 6))):
            link("MENTIONS", f"task{t}", f"ent{e}", document=doc, surface=f"实体{e}",
                 sentence=f"依托实体{e}开展工作。", sentence_index=0, span=[0, 1])
    return KnowledgeGraph.from_node_link({"nodes": nodes, "links": links})


def changning_graph() -> KnowledgeGraph:
    from livekg.graph.ingest import with_documents
    from livekg.loaders.paths import DOCUMENTS_DIR
    from livekg.loaders.pipeline import parse_file
    from livekg.loaders.registry import load_registry

    path = DOCUMENTS_DIR / "changning-livestream-action-plan-2024-2026.txt"
    kg, _ = with_documents(KnowledgeGraph(), [parse_file(path, load_registry())])
    return kg


def time_to_ready(browser: Any, page_file: Path) -> float:
    """Milliseconds from navigation start until the page set livekgReady."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    blocked: list[str] = []
    def only_local(route: Any) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    try:
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready='true']", state="attached", timeout=600_000)
        if blocked:
            raise RuntimeError(f"the page tried to fetch {blocked}")
        return float(page.evaluate("window.livekgReadyAt"))
    finally:
        page.close()


def run(sizes: Sequence[int], runs: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    graphs: list[tuple[str, KnowledgeGraph]] = [("changning (real)", changning_graph())]
    graphs.append((f"synthetic {viz.LARGE_VIEW_NODES - 20}",
                   synthetic_graph(viz.LARGE_VIEW_NODES - 20)))
    graphs += [(f"synthetic {size}", synthetic_graph(size)) for size in sizes]
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, kg in graphs:
            started = time.perf_counter()
            view = viz.whole_graph(MemoryBackend(kg))
            html = viz.render_html(view)
            render_ms = (time.perf_counter() - started) * 1000
            page_file = Path(tmp) / f"{len(kg)}.html"
            page_file.write_text(html, encoding="utf-8")
            ready = min(time_to_ready(browser, page_file) for _ in range(runs))
            rows.append({"graph": name, "nodes": view.node_count,
                         "edges": sum(1 for _ in kg.relationships()),
                         "layout": "physics, frozen" if view.node_count <=
                         viz.LARGE_VIEW_NODES else "radial (Python)",
                         "html_kib": len(html.encode("utf-8")) / 1024,
                         "render_ms": render_ms, "ready_ms": ready})
        browser.close()
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3, help="browser runs per graph (best)")
    args = parser.parse_args(argv)
    rows = run(args.sizes, args.runs)
    header = (f"{'graph':<18} {'nodes':>6} {'edges':>6} {'layout':<16} {'HTML KiB':>9} "
              f"{'render ms':>10} {'ready ms':>9}")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row['graph']:<18} {row['nodes']:>6} {row['edges']:>6} {row['layout']:<16} "
              f"{row['html_kib']:>9.0f} {row['render_ms']:>10.0f} {row['ready_ms']:>9.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
