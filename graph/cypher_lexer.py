"""A Cypher lexer: enough of the language to tell code from strings, names and comments.

It follows Neo4j 5's lexical rules where they matter for safety: strings in '…' or "…" with
backslash escapes, names in backticks (a doubled backtick is one backtick), `/* … */` block
comments, and `//` comments that end at *any* line terminator — Neo4j ends them at `\\r` as
well as `\\n`, so a screen that only knows `\\n` reads code as comment. Ending a comment at more
terminators than Neo4j does is safe: more text is treated as code and screened.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Every character Python's str.splitlines() breaks at: a superset of Neo4j's (\n, \r).
LINE_TERMINATORS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_PUNCTUATION_PAIRS = ("<>", "<=", ">=", "=~", "->", "<-", "..", "+=", "!=")


class TokenKind(StrEnum):
    WORD = "word"  # a keyword or an unquoted name: the caller decides which
    NAME = "name"  # a backtick-quoted name: never a keyword
    STRING = "string"
    NUMBER = "number"
    PARAMETER = "parameter"
    SYMBOL = "symbol"


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str  # as written
    value: str  # a name without backticks, a string without quotes or escapes
    offset: int

    def is_word(self, *words: str) -> bool:
        """An unquoted word equal (ignoring case) to one of `words`."""
        return self.kind is TokenKind.WORD and self.value.upper() in words

    def is_symbol(self, *symbols: str) -> bool:
        return self.kind is TokenKind.SYMBOL and self.text in symbols


class CypherSyntaxError(ValueError):
    """The text cannot be read as Cypher tokens (an unclosed string, name or comment)."""


def tokens(query: str) -> list[Token]:
    """The query's tokens in order, comments and white space dropped."""
    found: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
        elif query.startswith("//", i):
            while i < n and query[i] not in LINE_TERMINATORS:
                i += 1
        elif query.startswith("/*", i):
            end = query.find("*/", i + 2)
            if end < 0:
                raise CypherSyntaxError(f"a /* comment opened at offset {i} is never closed")
            i = end + 2
        elif char in "'\"":
            end, value = _string(query, i)
            found.append(Token(TokenKind.STRING, query[i:end], value, i))
            i = end
        elif char == "`":
            end, value = _backticked(query, i)
            found.append(Token(TokenKind.NAME, query[i:end], value, i))
            i = end
        elif char == "$":
            end = i + 1
            if end < n and query[end] == "`":
                end, value = _backticked(query, end)
            else:
                end = _word_end(query, end)
                value = query[i + 1:end]
            found.append(Token(TokenKind.PARAMETER, query[i:end], value, i))
            i = end
        elif char.isdigit():
            end = _number_end(query, i)
            found.append(Token(TokenKind.NUMBER, query[i:end], query[i:end], i))
            i = end
        elif char.isalpha() or char == "_":
            end = _word_end(query, i)
            found.append(Token(TokenKind.WORD, query[i:end], query[i:end], i))
            i = end
        else:
            pair = query[i:i + 2]
            text = pair if pair in _PUNCTUATION_PAIRS else char
            found.append(Token(TokenKind.SYMBOL, text, text, i))
            i += len(text)
    return found


def _string(query: str, start: int) -> tuple[int, str]:
    quote, i, value = query[start], start + 1, []
    while i < len(query):
        char = query[i]
        if char == "\\" and i + 1 < len(query):
            value.append(query[i + 1])
            i += 2
        elif char == quote:
            return i + 1, "".join(value)
        else:
            value.append(char)
            i += 1
    raise CypherSyntaxError(f"a string opened at offset {start} is never closed")


def _backticked(query: str, start: int) -> tuple[int, str]:
    i, value = start + 1, []
    while i < len(query):
        if query[i] == "`":
            if query.startswith("``", i):
                value.append("`")
                i += 2
                continue
            return i + 1, "".join(value)
        value.append(query[i])
        i += 1
    raise CypherSyntaxError(f"a `name` opened at offset {start} is never closed")


def _word_end(query: str, i: int) -> int:
    while i < len(query) and (query[i].isalnum() or query[i] == "_"):
        i += 1
    return i


def _number_end(query: str, i: int) -> int:
    """Digits, hex/octal prefixes, a fraction and an exponent: 12, 0x1F, 1.5e3 (not 1..3)."""
    i = _word_end(query, i)  # 123, 0x1F, 1e3 and 1_000 are all word characters
    if query.startswith(".", i) and not query.startswith("..", i) and i + 1 < len(query) \
            and query[i + 1].isdigit():
        i = _word_end(query, i + 1)
    if i < len(query) and query[i] in "+-" and query[i - 1] in "eE":
        i = _word_end(query, i + 1)
    return i
