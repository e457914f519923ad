"""Reading a document file: bytes to text, with the checks that make bad input fail clearly."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from livekg.loaders.errors import DocumentError
from livekg.loaders.names import strip_controls

# Tried in order after UTF-8; GB18030 is the usual legacy encoding of mainland government pages.
FALLBACK_ENCODINGS = ("gb18030", "big5")
MIN_CJK_SHARE = 0.2
# Plans run to tens of kilobytes; a file far larger is not one plan, and parsing it would hold
# the whole graph build in memory. Settings.max_document_bytes (LIVEKG_MAX_DOCUMENT_BYTES).
MAX_DOCUMENT_BYTES = 5_000_000


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    sha256: str
    encoding: str
    notices: tuple[str, ...]


def read_source(path: str | Path, max_bytes: int = MAX_DOCUMENT_BYTES) -> SourceText:
    """Read a plan from disk, decoding UTF-8 or (with a notice) a legacy Chinese encoding."""
    path = Path(path)
    if not path.exists():
        raise DocumentError(path, "file not found", expected="a path to an action plan text file")
    if path.is_dir():
        raise DocumentError(path, "is a folder", expected="a text file")
    size = path.stat().st_size
    if size > max_bytes:
        raise DocumentError(path, f"is {size:,} bytes, over the limit of {max_bytes:,} bytes",
                            expected="one plan (raise LIVEKG_MAX_DOCUMENT_BYTES to load it)")
    data = path.read_bytes()
    if not data.strip():
        raise DocumentError(path, "file is empty", expected="the text of an action plan")
    if b"\x00" in data[:8192]:
        raise DocumentError(path, "looks like a binary file (it contains NUL bytes)",
                            expected="UTF-8 text")
    text, encoding = _decode(path, data)
    notices: tuple[str, ...] = ()
    if encoding != "utf-8":
        notices = (f"{path}: not UTF-8; decoded as {encoding.upper()}",)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text, removed = strip_controls(text)
    if removed:
        notices = (*notices, f"{path}: removed {removed} control character(s) (NUL, form feed "
                             f"…) that are not text")
    return SourceText(path, text, hashlib.sha256(data).hexdigest(), encoding, notices)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    for encoding in FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_chinese_text(text):
            return text, encoding
    line = data[: utf8_error.start].count(b"\n") + 1
    raise DocumentError(
        path,
        f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) "
        f"and not GB18030 or Big5 Chinese text",
        line=line,
        expected="a UTF-8 text file (convert with: iconv -f <encoding> -t UTF-8)",
    )


def _looks_like_chinese_text(text: str) -> bool:
    """Legacy codecs decode almost any bytes; accept only output that reads as Chinese prose."""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return False
    controls = sum(1 for c in visible if unicodedata.category(c).startswith("C"))
    cjk = sum(1 for c in visible if "\u4e00" <= c <= "\u9fff")
    return controls == 0 and cjk / len(visible) >= MIN_CJK_SHARE
