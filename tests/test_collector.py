"""The garbage collector is paused only while a document is parsed or turned into rows, and a
parse leaves it as it found it: on, or off if the caller turned it off."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from livekg.graph.build import document_rows
from livekg.loaders.collector import collector_paused
from livekg.loaders.errors import DocumentError
from livekg.loaders.pipeline import parse_file
from livekg.loaders.registry import load_registry

JINAN = Path(__file__).parent / "corpus" / "city-2021-jinan-digital-pioneer-city.txt"


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_a_parse_and_its_rows_leave_the_collector_on(collector_on: None) -> None:
    document_rows(parse_file(JINAN, load_registry()))
    assert gc.isenabled()


def test_a_parse_leaves_a_collector_the_caller_turned_off_off(collector_on: None) -> None:
    gc.disable()
    document_rows(parse_file(JINAN, load_registry()))
    assert not gc.isenabled()


def test_a_failed_parse_turns_the_collector_back_on(collector_on: None, tmp_path: Path) -> None:
    # refused inside the parse (strict: a plan naming no jurisdiction): the Jinan plan's first
    # task alone, without its title and issuer
    plan = tmp_path / "plan.txt"
    task = next(line for line in JINAN.read_text(encoding="utf-8").splitlines()
                if line.startswith("（1）"))
    plan.write_text(f"一、主要任务\n{task}\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="not a known division"):
        parse_file(plan, load_registry(), strict=True)
    assert gc.isenabled()


def test_the_collector_resumes_when_the_outermost_pause_ends(collector_on: None) -> None:
    with collector_paused():
        with collector_paused():   # a parse inside a load that already paused it
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_parse_leaves_its_records_in_the_oldest_generation(collector_on: None) -> None:
    # so the first young collection after it does not walk every record (loaders/collector.py)
    parsed = parse_file(JINAN, load_registry())
    task = parsed.tasks[0]
    assert any(record is task for record in gc.get_objects(generation=2))


def test_a_heap_frozen_before_a_parse_stays_frozen(collector_on: None) -> None:
    held = [[], "an object the server made before it froze its heap"]
    assert gc.is_tracked(held)
    gc.freeze()   # as a server does before forking its workers
    try:
        document_rows(parse_file(JINAN, load_registry()))
        # still in the permanent generation, which gc.get_objects() does not list (the frozen
        # count may fall: a frozen object whose last reference goes is freed, frozen or not)
        assert gc.get_freeze_count() > 0
        assert not any(obj is held for obj in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(obj is held for obj in gc.get_objects())
