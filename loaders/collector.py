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

When it resumes, what the pause left in the youngest generation moves to the oldest unwalked
(gc.freeze then gc.unfreeze: two list splices). Left young, the first allocation after
gc.enable() starts a young collection that walks every survivor of the pause, all of a
parse's records (0.09 s of a 1 s parse of the 100× bench plan, ~185,000 objects: a pydantic
record is its object, its field set and, holding a Span, its dict), and two collections later
the middle one walks them again; in the oldest they are walked only by the full collections
that walk the whole heap anyway, and their few cycles are found there (a 1× plan leaves 68
objects in cycles, its outline's items and their child lists: `livekg load` of 1,000 bench
plans took 4 % less CPU and peaked 0.7 % higher, 542 against 538 MB). Not when anything is
frozen already: a process that froze its heap (before forking workers) keeps it frozen.

The price, measured rather than hidden: on CPython 3.11 objects that gc.unfreeze() moves to the
oldest generation do not count towards the next full collection (a full one runs when the
objects promoted since the last exceed a quarter of those it kept), so full collections run
less often. Cycles a parse leaves wait longer for them; in a server that loads and drops many
documents that is more memory held between full collections (BENCHMARKS.md: peak RSS of
10,000 plans 3.75 against 3.73 GiB before), not a leak: every full collection still finds them.
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
                _age_survivors()
                gc.enable()


def _age_survivors() -> None:
    """Every tracked object into the oldest generation, unwalked (see the module's doc)."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def with_collector_paused(function: Callable[P, R]) -> Callable[P, R]:
    """`function`, run inside collector_paused()."""
    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return function(*args, **kwargs)
    return paused
