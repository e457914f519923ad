"""Small helpers for the analyst notebooks: tables, summaries, figures, offline pages, fonts.

Tables are plain HTML built from lists of dicts (no pandas); every value is escaped. Figures are
rendered to PNG here so that a label drawn without its glyphs (empty boxes) is an error, not a
silent picture of tofu. `use_cjk_font()` picks a font with Chinese glyphs for matplotlib.
"""

from __future__ import annotations

import html
import importlib.util
import io
import json
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# A sample of the characters the charts draw; a font must have all of them to be chosen.
CJK_SAMPLE = "区商务委网信办文旅局各相关部门街镇东虹市网购商会"
# Python packages that ship a CJK font file (package, file inside it, family name).
PACKAGED_FONTS = (("zhplot", "fonts/NotoSansSC-Regular.ttf", "Noto Sans SC"),)
# System fonts, best first (Debian: fonts-noto-cjk, fonts-wqy-zenhei; macOS; Windows).
SYSTEM_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "PingFang SC", "Hiragino Sans GB",
    "Heiti SC", "STHeiti", "Microsoft YaHei", "SimHei", "Noto Sans CJK JP", "Arial Unicode MS",
)
INSTALL_HINT = (
    "install one into the project's environment with `.venv/bin/pip install zhplot` "
    "(it ships Noto Sans SC; `pip install -e '.[dev]'` includes it), or system-wide with "
    "`apt-get install fonts-noto-cjk`, then restart the kernel"
)
_GLYPH_MISSING = re.compile(r"Glyph \d+ .* missing from (current )?font")


class CjkFontNotFound(RuntimeError):
    """No font with Chinese glyphs is available to matplotlib."""


class MissingGlyphs(RuntimeError):
    """A figure drew characters its font lacks: they would show as empty boxes."""


@dataclass(frozen=True)
class CjkFont:
    family: str
    path: Path
    index: int = 0  # the face inside a .ttc collection


# -- tables ------------------------------------------------------------------------------------
class Table:
    """Rows (dicts or sequences) shown as an HTML table in Jupyter and as text elsewhere."""

    def __init__(self, rows: Iterable[Mapping[str, Any] | Sequence[Any]],
                 columns: Sequence[str] | None = None, caption: str | None = None,
                 max_rows: int | None = None) -> None:
        rows = list(rows)
        if columns is None:
            columns = list(dict.fromkeys(key for row in rows if isinstance(row, Mapping)
                                         for key in row))
        self.columns = list(columns)
        self.rows = [
            [row.get(column) for column in self.columns] if isinstance(row, Mapping)
            else list(row)
            for row in rows
        ]
        self.caption = caption
        self.max_rows = max_rows

    def __len__(self) -> int:
        return len(self.rows)

    def _shown(self) -> tuple[list[list[Any]], int]:
        if self.max_rows is None or len(self.rows) <= self.max_rows:
            return self.rows, 0
        return self.rows[:self.max_rows], len(self.rows) - self.max_rows

    def _repr_html_(self) -> str:
        shown, hidden = self._shown()
        parts = ['<table class="livekg-table">']
        if self.caption:
            parts.append(f"<caption>{html.escape(self.caption)}</caption>")
        parts.append("<thead><tr>" + "".join(f"<th>{html.escape(str(c))}</th>"
                                              for c in self.columns) + "</tr></thead><tbody>")
        for row in shown:
            parts.append("<tr>" + "".join(f"<td>{html.escape(cell_text(v))}</td>" for v in row)
                         + "</tr>")
        parts.append("</tbody></table>")
        if hidden:
            parts.append(f"<p>… {hidden} more rows ({len(self.rows)} in all)</p>")
        return "".join(parts)

    def __repr__(self) -> str:
        shown, hidden = self._shown()
        lines = [self.caption] if self.caption else []
        lines.append(" | ".join(map(str, self.columns)))
        lines += [" | ".join(cell_text(v) for v in row) for row in shown]
        if hidden:
            lines.append(f"… {hidden} more rows ({len(self.rows)} in all)")
        return "\n".join(lines)


def cell_text(value: Any) -> str:
    """A table cell: None empty, lists joined with 、, dicts as JSON, the rest as str."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "、".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def show_summary(values: Mapping[str, Any]) -> None:
    """Display the notebook's key numbers as JSON (the tests read them from this output)."""
    from IPython.display import display

    data = json.loads(json.dumps(values, ensure_ascii=False, default=str))
    display({"application/json": data,
             "text/plain": json.dumps(data, ensure_ascii=False, indent=1)}, raw=True)


# -- pages -------------------------------------------------------------------------------------
class Frame:
    """A whole HTML page inline in the notebook: an iframe whose srcdoc is the page.

    `sandbox="allow-scripts"` lets the page's own scripts run while keeping it apart from the
    notebook (no same-origin access); the page needs no network.
    """

    def __init__(self, page: str, height: int = 620, title: str = "livekg view") -> None:
        self.page = page
        self.height = height
        self.title = title

    def _repr_html_(self) -> str:
        return (f'<iframe class="livekg-view" title="{html.escape(self.title)}" '
                f'sandbox="allow-scripts" style="width: 100%; height: {self.height}px; '
                f'border: 1px solid #ddd;" srcdoc="{html.escape(self.page, quote=True)}">'
                f"</iframe>")

    def __repr__(self) -> str:
        return f"<{self.title}: an HTML page of {len(self.page):,} characters>"


# -- fonts and figures -------------------------------------------------------------------------
def find_cjk_font() -> CjkFont:
    """A font with Chinese glyphs: a packaged one first (the same everywhere), else a system one."""
    for package, relative, family in PACKAGED_FONTS:
        spec = importlib.util.find_spec(package)  # finds without importing (no side effects)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            path = Path(folder) / relative
            if path.is_file() and not missing_characters(CJK_SAMPLE, path):
                return CjkFont(family, path)
    from matplotlib import font_manager

    entries = {}
    for entry in font_manager.fontManager.ttflist:
        if entry.name in SYSTEM_FAMILIES and entry.style == "normal":
            entries.setdefault(entry.name, []).append(entry)
    for family in SYSTEM_FAMILIES:
        for entry in sorted(entries.get(family, []), key=lambda e: abs(_weight(e) - 400)):
            index = getattr(entry, "index", 0) or 0
            if not missing_characters(CJK_SAMPLE, Path(entry.fname), index):
                return CjkFont(family, Path(entry.fname), index)
    raise CjkFontNotFound(
        "matplotlib has no font with Chinese glyphs, so unit names would be drawn as empty "
        f"boxes; {INSTALL_HINT}. (After installing a system font, clear matplotlib's font "
        "cache: delete ~/.cache/matplotlib/fontlist-*.json.)")


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese: register the font, put it first; return its family."""
    import matplotlib
    from matplotlib import font_manager

    font = find_cjk_font()
    if font.family not in {entry.name for entry in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(font.path))
    matplotlib.rcParams["font.family"] = "sans-serif"
    rest = [f for f in matplotlib.rcParams["font.sans-serif"] if f != font.family]
    matplotlib.rcParams["font.sans-serif"] = [font.family, *rest]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return font.family


def missing_characters(text: str, path: str | Path, index: int = 0) -> list[str]:
    """The characters of `text` (whitespace aside) that the font file has no glyph for."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=index, lazy=True) as font:
        cmap = font.getBestCmap() or {}
    return sorted({char for char in text if not char.isspace() and ord(char) not in cmap})


def figure_png(fig: Any, dpi: int = 110) -> bytes:
    """The figure as PNG; raises MissingGlyphs if any label fell back to empty boxes."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    missing = sorted({str(w.message) for w in caught if _GLYPH_MISSING.search(str(w.message))})
    if missing:
        raise MissingGlyphs(f"{len(missing)} characters drawn without a glyph, e.g. "
                            f"{missing[0]} Call use_cjk_font() first; if it fails, "
                            f"{INSTALL_HINT}.")
    return buffer.getvalue()


def show_figure(fig: Any, dpi: int = 110) -> bytes:
    """Display the figure as a PNG (checked for missing glyphs), close it, return the PNG."""
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    png = figure_png(fig, dpi)
    plt.close(fig)
    display(Image(data=png, format="png"))
    return png


def _weight(entry: Any) -> int:
    weight = entry.weight
    if isinstance(weight, int):
        return weight
    return {"light": 300, "normal": 400, "regular": 400, "medium": 500,
            "bold": 700}.get(str(weight).lower(), 400)
