"""The rightmost place in a stretch of text where one of a set of words ends, in one regex search.

Discovery asks this for every piece of a run of name characters between break words (where
does the last class word end in 按计划推进金井湾市民运动中心?) and for every listed item (after
which break word does the first item of a list start?). A Python loop over the positions from
the right, or over the words, costs a step per character or per word; searching the reversed
stretch with the reversed words costs one C call: the leftmost match there is the rightmost end
here, because at each position the regex engine tries every word before it moves on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


class WordEnds:
    """Where the last of `words` ends in a stretch of text. A closing may follow a word and
    belong to it (a qualifier in brackets after a class word: …创新中心（人工智能与机器人））:
    `reversed_closing` is its pattern as it reads in the reversed text (）…（)."""

    def __init__(self, words: Iterable[str], reversed_closing: str = "") -> None:
        alternatives = sorted({word[::-1] for word in words if word}, key=len, reverse=True)
        if not alternatives:
            self._pattern = re.compile("(?!)")
            return
        closing = f"(?:{reversed_closing})?" if reversed_closing else ""
        self._pattern = re.compile(closing + f"(?:{'|'.join(map(re.escape, alternatives))})")

    def last_end(self, text: str, start: int = 0, end: int | None = None) -> int | None:
        """The largest `e` in (start, end] such that a word (with its closing) lies wholly in
        text[start:e] and ends at e; None if no word lies wholly in text[start:end]."""
        end = len(text) if end is None else end
        match = self._pattern.search(text[start:end][::-1])
        return None if match is None else end - match.start()
