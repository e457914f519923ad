"""Traditional characters to simplified, one character at a time so offsets never move."""

from __future__ import annotations

from functools import cache

import opencc

_CONVERTER = opencc.OpenCC("t2s")


@cache
def _simplified(char: str) -> str:
    converted = _CONVERTER.convert(char)
    return converted if len(converted) == 1 else char


def to_simplified(text: str) -> str:
    """The same text in simplified characters, with exactly the same length and offsets."""
    table = {ord(c): _simplified(c) for c in set(text) if c >= "\u3400"}
    return text.translate({k: v for k, v in table.items() if v != chr(k)})
