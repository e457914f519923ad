"""The cyclic garbage collector paused while one document is parsed or turned into rows.

Why: a parse builds hundreds of thousands of small records that all survive until the parse
ends, and CPython's collector walks the whole heap (registry, earlier documents, every record
built so far) each time enough survivors pile up: on the 100× bench plan three full collections
took 0.42 s of a 2.4 s parse, and more as a document grows. Nothing a parse makes is garbage in
a cycle worth freeing early: after a 100× parse with the collector off, a collection finds
about 6,000 unreachable objects against a 54 MB document. Reference counting frees everything
else as usual; the collector resumes when the outermost pause ends, and finds the cycles then.

Process-wide, so it counts its users: parses in several threads (the API's loads) pause it
once, and it resumes, as the first of them found it, when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

_lock = threading.Lock()
_pauses = 0
_was_enabled = False

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def collector_paused() -> Iterator[None]:
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()


def with_collector_paused(function: Callable[P, R]) -> Callable[P, R]:
    """`function`, run inside collector_paused()."""
    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return function(*args, **kwargs)
    return paused
