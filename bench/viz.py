"""The visualization figures, from `bench.bench_viz` (another engineer's benchmark), in the table.

`bench_viz.run` needs Playwright and Debian's Chromium; where either is missing the section says
so instead of failing the whole run.
"""

from __future__ import annotations

import sys

from bench.results import Section

SIZES = {False: [1000, 5000], True: [1000]}
RUNS = {False: 3, True: 1}


def run(quick: bool) -> Section:
    section = Section("visualization")
    try:
        from bench import bench_viz

        print(f"  visualization: {SIZES[quick]} nodes", file=sys.stderr)
        rows = bench_viz.run(SIZES[quick], RUNS[quick])
    except Exception as error:  # a missing browser must not cost the other figures
        section.row("skipped", f"{type(error).__name__}: {str(error).splitlines()[0][:160]}")
        return section
    for row in rows:
        section.row(f"{row['graph']} ({row['nodes']} nodes, {row['edges']} edges; "
                    f"{row['layout']})",
                    f"HTML {row['html_kib']:.0f} KiB, render {row['render_ms']:.0f} ms, "
                    f"drawn {row['ready_ms']:.0f} ms after navigation")
    section.notes.append(
        f"`bench.bench_viz.run(sizes={SIZES[quick]}, runs={RUNS[quick]})`: headless Chromium, "
        "time from navigation start until the page is drawn and still (best of the runs).")
    return section
