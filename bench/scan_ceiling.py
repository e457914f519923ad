"""How fast extraction could get if its text scans cost nothing: the most a faster scanner (a
better algorithm, or compiled code) can buy, by Amdahl's law.

Each scan the parser calls (SCANS: the functions `loaders/pipeline.py` imports, and the
registry's name matcher) is recorded in one run and its answers replayed, call by call, in
the next. The replayed parse does everything else a parse does (ranks and resolves units,
builds the records and the rows) on the same answers, with the scans' own time removed.
A replay is faithful only if it reproduces the real rows; `tests/test_bench_harness.py`
holds it to that.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench.corpus import SyntheticPlan
from bench.timing import timed
from livekg.graph.build import document_rows
from livekg.loaders import mentions, pipeline
from livekg.loaders.registry import Registry

# The parser's text scans, by what they read, as the names it calls them by.
SCANS: dict[str, tuple[str, ...]] = {
    "discovery": ("discover_names",),
    "unit lists": ("find_unit_lists",),
    "registry names": ("NameMatcher.find",),
    "outline, sentences, tables, targets": (
        "to_simplified", "find_flat_tables", "outline", "_lead_rule", "_sentence_spans",
        "_blank", "find_targets"),
}


def _owner(name: str) -> tuple[Any, str]:
    """The object whose attribute the parser calls, and the attribute's name."""
    if name == "NameMatcher.find":
        return mentions.NameMatcher, "find"
    return pipeline, name


class ScanTape:
    """Records the answers of the chosen scans in one parse, and replays them in the next."""

    def __init__(self, groups: tuple[str, ...]) -> None:
        self.names = tuple(name for group in groups for name in SCANS[group])
        self._answers: dict[str, list[object]] = {}
        self._positions: dict[str, int] = {}

    @contextmanager
    def recording(self) -> Iterator[None]:
        self._answers = {name: [] for name in self.names}
        with self._installed(replaying=False):
            yield

    @contextmanager
    def replaying(self) -> Iterator[None]:
        """Each answer once, as recorded: the parse may change what it was handed (it extends
        lists, folds outline items), so a second replay would not see the first's input."""
        self._positions = dict.fromkeys(self._answers, 0)
        with self._installed(replaying=True):
            yield
        unused = {name: len(answers) - self._positions[name]
                  for name, answers in self._answers.items()
                  if self._positions[name] != len(answers)}
        self._answers = {}
        if unused:
            raise AssertionError(f"the replayed parse asked fewer scans than recorded: {unused}")

    @contextmanager
    def _installed(self, replaying: bool) -> Iterator[None]:
        originals = {name: getattr(*_owner(name)) for name in self.names}
        for name, scan in originals.items():
            setattr(*_owner(name), self._replayer(name) if replaying
                    else self._recorder(name, scan))
        try:
            yield
        finally:
            for name, scan in originals.items():
                setattr(*_owner(name), scan)

    def _recorder(self, name: str, scan: Callable[..., object]) -> Callable[..., object]:
        answers = self._answers[name]
        def record(*args: object, **kwargs: object) -> object:
            result = scan(*args, **kwargs)
            if isinstance(result, Iterator):
                result = list(result)
            # a copy, kept apart from what this parse goes on to change
            answers.append(copy.deepcopy(result))
            return result
        return record

    def _replayer(self, name: str) -> Callable[..., object]:
        answers, positions = self._answers[name], self._positions
        def replay(*args: object, **kwargs: object) -> object:
            position = positions[name]
            positions[name] = position + 1
            return answers[position]
        return replay


def ceiling(plan: SyntheticPlan, registry: Registry, repeats: int,
            forget: Callable[[], None]) -> dict[str, float]:
    """Seconds per extraction of `plan` (parse and rows, as bench/extraction.py times it):
    whole, with every scan replayed, with each group of SCANS alone replayed, and jieba.lcut
    of the same text, all in the same loop, best of `repeats`. `forget` empties the loaders'
    memos before each timed round, as the extraction bench does."""
    import jieba

    source = plan.source()
    def extraction() -> None:
        document_rows(pipeline.parse_source(source, registry, plan.metadata))
    cases: dict[str, tuple[str, ...]] = {"every scan": tuple(SCANS),
                                         **{group: (group,) for group in SCANS}}
    best = dict.fromkeys(["whole", "jieba", *cases], float("inf"))
    for _ in range(max(1, repeats)):
        forget()
        best["whole"] = min(best["whole"], timed(extraction)[0])
        best["jieba"] = min(best["jieba"], timed(lambda: jieba.lcut(plan.text))[0])
        for case, groups in cases.items():
            tape = ScanTape(groups)
            forget()
            with tape.recording():
                extraction()
            forget()
            with tape.replaying():
                best[case] = min(best[case], timed(extraction)[0])
    return best
