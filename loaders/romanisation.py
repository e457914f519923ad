"""Pinyin readings of names and titles: pypinyin's `lazy_pinyin`, read word by word.

`lazy_pinyin(text)` cuts the text into words (its own segmenter: runs of Han characters, each
cut by forward maximum matching against its phrase dictionary) and converts each word on its
own; the readings of the text are the words' readings in order. The conversion is most of its
cost (tone-marked readings restyled per syllable, a converter built per call) and words recur
across titles and plans (推进, 建设, 直播电商), so each word's readings are kept; the cut itself
is done for every text. The result is `lazy_pinyin`'s, reading for reading
(tests/test_romanisation.py holds them equal on every line of the corpus plans).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from pypinyin import Style
from pypinyin.converter import UltimateConverter
from pypinyin.core import Pinyin

# lazy_pinyin's own converter and segmenter, with its defaults (no ü, no tone sandhi).
_CONVERTER = UltimateConverter(v_to_u=False, neutral_tone_with_five=False, tone_sandhi=False)
_SEGMENTER = Pinyin(_CONVERTER)

Errors = str | Callable[[str], str]


def readings(text: str, errors: Errors = "default") -> list[str]:
    """`lazy_pinyin(text, errors=errors)`: one toneless reading per character with one, and
    what `errors` makes of the characters without (kept as written by default)."""
    return [reading for word in _SEGMENTER.seg(text) for reading in _word_readings(word, errors)]


@lru_cache(maxsize=65536)
def _word_readings(word: str, errors: Errors) -> tuple[str, ...]:
    converted = _CONVERTER.convert(word, Style.NORMAL, False, errors, strict=True)
    return tuple(reading for per_character in converted for reading in per_character)
