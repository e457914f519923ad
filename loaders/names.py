"""Honest names: the form of a unit's name that is matched and kept, whatever hides in the text.

Two strings that look the same must be the same name (区商务委 with a zero-width space inside
is 区商务委), and what cannot be seen is not part of a name. Unicode NFKC folds compatibility
forms (full-width letters and digits, compatibility ideographs); zero-width, format and
control characters are removed; spaces are dropped, as the genre puts none inside names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from livekg.loaders.models import UnitRole

# Longer than any real unit name in the corpus (the longest is 16 characters); a longer
# "unit" is a sentence caught in a list and goes to review instead.
MAX_UNIT_NAME = 30
# Brackets and punctuation whose width NFKC changes: a difference only in these is not
# worth a notice (区投促办（金融办） and 区投促办(金融办) read the same).
_WIDTH_ONLY = str.maketrans("（）［］｛｝：；，．／　", "()[]{}:;,./ ")
ROLE_WORDS: dict[str, UnitRole] = {
    "牵头": "lead", "牵头单位": "lead", "牵头部门": "lead", "主责": "lead",
    "配合": "support", "配合单位": "support", "配合部门": "support", "参与": "support",
    "协助": "support",
}
# 区商务委(牵头), 区科委（配合）: a role word in brackets at the end of a list item.
ROLE_IN_ITEM = re.compile(
    r"^(?P<name>.+?)\s*[(（]\s*(?P<role>" + "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
    + r")\s*[)）]$")


@dataclass(frozen=True)
class CleanName:
    name: str  # as written, without invisible characters and spaces
    key: str   # what is matched: `name` in NFKC (区投促办（金融办） and 区投促办(金融办) agree)
    changed: bool = False

    @property
    def too_long(self) -> bool:
        return len(self.name) > MAX_UNIT_NAME


# The same few hundred unit names recur in every task of every plan; a CleanName is immutable.
@lru_cache(maxsize=65536)
def clean_name(surface: str) -> CleanName:
    """The name to keep and the key to match; `changed` when invisible characters were
    removed or NFKC changed more than the width of brackets and punctuation."""
    name = "".join("".join(c for c in surface if not _invisible(c)).split())
    key = unicodedata.normalize("NFKC", name)
    plain = "".join(surface.split())
    return CleanName(name, key, changed=name != plain or key != name.translate(_WIDTH_ONLY))


def split_role(name: str) -> tuple[str, UnitRole | None]:
    """区商务委(牵头) -> (区商务委, lead); a name without a role word is returned as it is."""
    match = ROLE_IN_ITEM.match(name)
    if match is None:
        return name, None
    return match.group("name"), ROLE_WORDS[match.group("role")]


def _invisible(char: str) -> bool:
    """Zero-width and other format characters (Cf), and control characters (Cc)."""
    return unicodedata.category(char) in ("Cf", "Cc")


def strip_controls(text: str) -> tuple[str, int]:
    """`text` without control characters other than tab and newline (a NUL after the first
    kilobytes, a form feed), and how many were removed; offsets are computed afterwards."""
    kept = _CONTROLS.sub("", text)
    return kept, len(text) - len(kept)


# The control characters (Unicode category Cc: C0 and C1, a set the standard never changes) but
# tab and newline, as one character class: a regex pass, not a category lookup per character
# (a tenth of a real plan's load went to that loop).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
