"""Timing on a noisy two-core machine: both sides of a comparison in the same loop, best of N.

Other work on the machine only ever adds time, so the minimum over repeats is the figure least
disturbed by it; rotating the order of the sides each round keeps a slow spell from landing on
one side only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TypeVar

T = TypeVar("T")


def interleaved(cases: Mapping[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Seconds per call of each case, best of `repeats`, with the order rotated each round."""
    names = list(cases)
    best = {name: float("inf") for name in names}
    for round_ in range(max(1, repeats)):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            started = time.perf_counter()
            cases[name]()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def timed(call: Callable[[], T]) -> tuple[float, T]:
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result
