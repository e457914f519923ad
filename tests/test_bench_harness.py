"""The benchmark harness's own tools: the request profile must reach the app it profiles (a
profile of 400 answers from the trusted-host check measured nothing, and stopped `make bench`),
and the scan ceiling's replayed parse must be the real one."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.api_profile import profile_requests
from bench.scan_ceiling import SCANS, ScanTape
from livekg.core.backends import open_backend
from livekg.core.config import Settings
from livekg.graph.build import document_rows
from livekg.loaders import pipeline
from livekg.loaders.pipeline import parse_file
from livekg.loaders.registry import load_registry
from livekg.loaders.review import discover_names


def test_the_request_profile_gets_answers_from_the_app(tmp_path: Path) -> None:
    with open_backend(Settings(store=tmp_path / "graph.json"), "memory") as backend:
        # raises on any answer but 2xx: the Changning plan's 区商务委 has co-owners
        report = profile_requests(backend, "/v1/units/区商务委/co-owners", 5)
    assert "own time by layer" in report


# The scan ceiling (bench/scan_ceiling.py) is a figure only if the replayed parse does the same
# work on the same answers: its rows must be the real parse's, on a real plan that repeats
# nothing (a unit list on a line of its own, quoted and suffixed names, a lead rule).
REAL_PLAN = Path(__file__).parent / "corpus" / "city-2021-jinan-digital-pioneer-city.txt"


def test_a_replayed_parse_gives_the_real_parses_rows() -> None:
    registry = load_registry()
    expected = document_rows(parse_file(REAL_PLAN, registry))
    tape = ScanTape(tuple(SCANS))
    with tape.recording():
        recorded = document_rows(parse_file(REAL_PLAN, registry))
    with tape.replaying():
        replayed = document_rows(parse_file(REAL_PLAN, registry))
    assert recorded == expected
    assert replayed == expected
    assert expected.relationships   # a plan with owners and mentions, not an empty parse


def test_a_replay_puts_the_real_scans_back_and_checks_every_answer_was_used() -> None:
    registry = load_registry()
    tape = ScanTape(("discovery",))
    with tape.recording():
        parse_file(REAL_PLAN, registry)
    assert pipeline.discover_names is discover_names
    with pytest.raises(AssertionError, match="fewer scans than recorded"), tape.replaying():
        pass   # no parse: every recorded answer left over
    assert pipeline.discover_names is discover_names
