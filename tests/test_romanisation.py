"""Pinyin read word by word (loaders/romanisation.py) is pypinyin's lazy_pinyin, reading for
reading, on the real plans' own lines: search by pinyin finds what it found before."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypinyin import lazy_pinyin

from livekg.loaders.romanisation import readings
from livekg.loaders.units import pinyin_slug

ROOT = Path(__file__).resolve().parent.parent
PLAN_LINES = [line for folder in ("tests/corpus", "tests/heldout", "data/documents")
              for path in sorted((ROOT / folder).glob("*.txt"))
              for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_line_of_the_real_plans_reads_as_lazy_pinyin_reads_it():
    assert len(PLAN_LINES) > 2000
    differing = [line for line in PLAN_LINES if readings(line) != lazy_pinyin(line)]
    assert differing == []


@pytest.mark.parametrize(("text", "expected"), [
    # 行 and 长 by the word they are in (the cut, not the character, decides)
    ("区商务委、区市场监管局按职责分工负责", None),
    ("银行", ["yin", "hang"]),
    ("发行", ["fa", "xing"]),
    ("行长", ["hang", "zhang"]),
    # characters without a reading are kept as written, between the readings
    ("打造5G+直播基地（一）", None),
])
def test_polyphones_and_characters_without_a_reading(text, expected):
    assert readings(text) == lazy_pinyin(text)
    if expected is not None:
        assert readings(text) == expected


def test_an_errors_callable_is_applied_as_lazy_pinyin_applies_it():
    # unit ids keep letters and digits of names such as 区5G办 (loaders/units.py)
    def kept(chars: str) -> str:
        return "".join(c for c in chars if c.isalnum())
    for text in ("区5G办", "区“双创”办", "OPC社区服务中心"):
        assert readings(text, errors=kept) == lazy_pinyin(text, errors=kept)
    assert pinyin_slug("区商务委") == "qu-shang-wu-wei"
