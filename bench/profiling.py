"""The top of a pyinstrument profile, to paste under a missed goal: what dominates the cost."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from pyinstrument import Profiler
from pyinstrument.frame import Frame

TOP_LINES = 45
HARNESS_FRAMES = ("bench/", "<lambda>", "asyncio/", "[4 frames hidden]  asyncio")
TREE_CHARS = " │├└─"
ROOT = Path(__file__).resolve().parent.parent
STDLIB = Path(sys.base_prefix) / "lib"


def profile_call(call: Callable[[], object], repeats: int = 1, interval: float = 0.001) -> str:
    """Profile `repeats` calls of `call`; return the call tree's top lines as plain text."""
    profiler = Profiler(interval=interval)
    profiler.start()
    try:
        for _ in range(repeats):
            call()
    finally:
        profiler.stop()
    return top_of(profiler.output_text(unicode=True, color=False, time="percent_of_total",
                                       processor_options={"filter_threshold": 0.02}))


def top_of(text: str, lines: int = TOP_LINES) -> str:
    """The profile without pyinstrument's banner and the harness's own frames, dedented, cut
    to its first `lines` lines."""
    kept = [line.rstrip() for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(kept) if line.lstrip().startswith("100")), 0)
    # Frames of the benchmark harness and of asyncio's loop say nothing about the cost.
    body = [line for line in kept[start:] if not any(
        noise in line for noise in HARNESS_FRAMES)]
    if not body:
        return ""
    indent = min(len(line) - len(line.lstrip(TREE_CHARS)) for line in body)
    body = [line[indent:] for line in body]
    if len(body) > lines:
        body = [*body[:lines], f"… ({len(body) - lines} more lines)"]
    return "\n".join(body)


def time_by_layer(profiler: Profiler, top: int = 8) -> str:
    """Own time summed by where the code lives (a project folder, an installed package, the
    standard library): the call tree hides library frames, this line does not."""
    session = profiler.last_session
    root = session.root_frame() if session else None
    if session is None or root is None:
        return ""
    totals: Counter[str] = Counter()

    def walk(frame: Frame, inherited: str) -> None:
        layer = _layer(frame.file_path) or inherited
        totals[layer] += frame.time - sum(child.time for child in frame.children)  # type: ignore[assignment]
        for child in frame.children:
            walk(child, layer)

    walk(root, "other")
    whole = sum(totals.values()) or 1.0
    shares = " · ".join(f"{layer} {seconds / whole:.0%}"
                        for layer, seconds in totals.most_common(top))
    # Wall time spent waiting (on a socket, a server) counts for the frame that waits.
    return (f"{shares}\n(wall {session.duration:.2f} s, of which this process was on the CPU "
            f"{session.cpu_time:.2f} s)")


def _layer(file_path: str | None) -> str | None:
    """`graph/`, `pydantic`, `stdlib`…; None for built-ins, which count for their caller."""
    if not file_path or file_path.startswith("<"):
        return None
    path = Path(file_path)
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1].split(".")[0]
    if path.is_relative_to(ROOT):
        return f"{path.relative_to(ROOT).parts[0]}/"
    if path.is_relative_to(STDLIB):
        return "stdlib"
    return None
