"""The benchmark harness's own request profile: it must reach the app it profiles (a profile of
400 answers from the trusted-host check measured nothing, and stopped `make bench`)."""

from __future__ import annotations

from pathlib import Path

from bench.api_profile import profile_requests
from livekg.core.backends import open_backend
from livekg.core.config import Settings


def test_the_request_profile_gets_answers_from_the_app(tmp_path: Path) -> None:
    with open_backend(Settings(store=tmp_path / "graph.json"), "memory") as backend:
        # raises on any answer but 2xx: the Changning plan's 区商务委 has co-owners
        report = profile_requests(backend, "/v1/units/区商务委/co-owners", 5)
    assert "own time by layer" in report
