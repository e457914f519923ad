"""Finding registry names in text: one Aho–Corasick pass, longest match wins.

Quotation marks and title brackets are not part of names, so matching runs over the text with
them removed and maps each match back to its span in the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import ahocorasick

from livekg.loaders.models import Span

QUOTE_CHARS = frozenset("“”‘’《》「」『』\"")
# Regex passes, not str.translate or a loop per character: translating a non-ASCII text looks
# up every character in a dict (ten times slower on task texts).
_QUOTE_MARK = re.compile(f"[{re.escape(''.join(sorted(QUOTE_CHARS)))}]")
_UNQUOTED_RUN = re.compile(f"[^{re.escape(''.join(sorted(QUOTE_CHARS)))}]+")


class NameMatch(NamedTuple):
    """A registry name found in a text. (The internal records of the loaders' loops are named
    tuples: a frozen dataclass costs three times as much to build.)"""

    target_id: str
    surface: str
    span: Span


def strip_quotes(text: str) -> tuple[str, Sequence[int]]:
    """The text without quote characters, and each kept character's index in `text`."""
    stripped = _QUOTE_MARK.sub("", text)
    if len(stripped) == len(text):  # most task texts quote nothing: every index is kept
        return text, range(len(text))
    kept: list[int] = []
    for run in _UNQUOTED_RUN.finditer(text):
        kept.extend(range(run.start(), run.end()))
    return stripped, kept


PAIRS = {"”": "“", "’": "‘", "》": "《", "」": "「", "』": "『"}


def _include_opening_quote(text: str, start: int, end: int) -> int:
    """“最虹桥”嘉年华: a name quoted in part starts at its opening quote, so the span is whole."""
    inner = text[start:end]
    for closing, opening in PAIRS.items():
        if closing in inner and opening not in inner and start > 0 and text[start - 1] == opening:
            return start - 1
    return start


class NameMatcher:
    """Multi-pattern matcher from names to ids; build once, scan many texts."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        self._automaton = ahocorasick.Automaton()
        for name, target_id in names:
            key, _ = strip_quotes(name.strip())
            if key:
                self._automaton.add_word(key, (len(key), target_id))
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str, offset: int = 0) -> list[NameMatch]:
        """Non-overlapping longest matches in `text`, spans shifted by `offset`."""
        if self._empty:
            return []
        stripped, positions = strip_quotes(text)
        quoted = stripped is not text   # most task texts quote nothing: no quote to include
        matches = []
        for end_index, (length, target_id) in self._automaton.iter_long(stripped):
            start = positions[end_index - length + 1]
            end = positions[end_index] + 1
            if quoted:
                start = _include_opening_quote(text, start, end)
            matches.append(NameMatch(target_id, text[start:end], Span(start=offset + start,
                                                                      end=offset + end)))
        return matches
