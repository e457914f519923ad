"""Finding registry names in text: one Aho–Corasick pass, longest match wins.

Quotation marks and title brackets are not part of names, so matching runs over the text with
them removed and maps each match back to its span in the original text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from loaders.models import Span

QUOTE_CHARS = frozenset("“”‘’《》「」『』\"")


@dataclass(frozen=True)
class NameMatch:
    target_id: str
    surface: str
    span: Span


def strip_quotes(text: str) -> tuple[str, list[int]]:
    """The text without quote characters, and each kept character's index in `text`."""
    kept = [index for index, char in enumerate(text) if char not in QUOTE_CHARS]
    return "".join(text[index] for index in kept), kept


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
        matches = []
        for end_index, (length, target_id) in self._automaton.iter_long(stripped):
            start = positions[end_index - length + 1]
            end = positions[end_index] + 1
            matches.append(NameMatch(target_id, text[start:end], Span(start=offset + start,
                                                                      end=offset + end)))
        return matches
