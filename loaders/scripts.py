"""Traditional characters to simplified, one character at a time so offsets never move."""

from __future__ import annotations

import re
from functools import cache

import opencc

_CONVERTER = opencc.OpenCC("t2s")


@cache
def _simplified(char: str) -> str:
    converted = _CONVERTER.convert(char)
    return converted if len(converted) == 1 else char


def to_simplified(text: str) -> str:
    """The same text in simplified characters, with exactly the same length and offsets."""
    changed = {c: s for c in set(text) if c >= "\u3400" and (s := _simplified(c)) != c}
    if not changed:   # most plans are written in simplified characters
        return text
    # One regex pass over the changed characters, not str.translate: translating a non-ASCII
    # text looks up every character in a dict, ten times slower.
    pattern = re.compile(f"[{re.escape(''.join(sorted(changed)))}]")
    return pattern.sub(lambda match: changed[match.group(0)], text)
