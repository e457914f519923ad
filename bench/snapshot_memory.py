"""What writing the embedded snapshot costs in memory: one json.dumps of the whole graph (the
text built as a str, then encoded) against `KnowledgeGraph.json_chunks` streamed to the file.

A folder of bench plans is loaded once with `livekg load --store`; then each side, in its own
fresh process, reads that snapshot, resets the peak-RSS counter (/proc/self/clear_refs) and
writes the graph again. Both sides run in the same run, alternately, twice; the files they
write are compared byte for byte.

    python -m bench.snapshot_memory --count 500
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.corpus import many_plans
from bench.many_documents import write_folder
from bench.servers import ROOT, server_env

SIDES = ("json.dumps", "streamed")
# Runs in the child: prints graph RSS, peak RSS while writing (KiB) and seconds as JSON.
CHILD = """
import gc, json, sys, time
from pathlib import Path
from livekg.graph.snapshot import read_snapshot, write_atomically, write_snapshot

def status():
    return {line.split(":")[0]: int(line.split()[1]) for line in open("/proc/self/status")
            if line.startswith(("VmHWM", "VmRSS"))}

side, source, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
kg = read_snapshot(source)
gc.collect()
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # the peak (VmHWM) starts again from the current RSS
before = status()
started = time.perf_counter()
if side == "json.dumps":
    write_atomically(out, json.dumps(kg.to_node_link(), ensure_ascii=False, sort_keys=True,
                                     indent=1).encode("utf-8") + b"\\n")
else:
    write_snapshot(kg, out)
seconds = time.perf_counter() - started
print(json.dumps({"graph_kib": before["VmRSS"], "peak_kib": status()["VmHWM"],
                  "seconds": seconds}))
"""


def write_once(side: str, source: Path, out: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", CHILD, side, str(source), str(out)], cwd=ROOT,
                          env=server_env(), check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500, help="plans in the folder")
    count = parser.parse_args(argv).count
    with tempfile.TemporaryDirectory() as tmp:
        folder, store = Path(tmp) / "plans", Path(tmp) / "graph.json"
        write_folder(many_plans(count), folder)
        subprocess.run([sys.executable, "-m", "livekg.cli", "load", str(folder), "--quiet",
                        "--store", str(store)], cwd=ROOT, env=server_env(), check=True,
                       stdout=subprocess.DEVNULL)
        print(f"{count} plans, snapshot {store.stat().st_size / 2**20:.0f} MiB")
        outputs = {side: Path(tmp) / f"{side}.json" for side in SIDES}
        for _ in range(2):
            for side in SIDES:
                run = write_once(side, store, outputs[side])
                extra = (run["peak_kib"] - run["graph_kib"]) / 1024
                print(f"{side:>10}: graph {run['graph_kib'] / 1024:.0f} MiB, peak while writing "
                      f"{run['peak_kib'] / 1024:.0f} MiB (+{extra:.0f} MiB), "
                      f"{run['seconds']:.2f} s")
        same = outputs[SIDES[0]].read_bytes() == outputs[SIDES[1]].read_bytes()
        print("the two files are", "identical" if same else "DIFFERENT")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
