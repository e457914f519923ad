"""What every benchmark hands the runner: rows of the one table, goals with verdicts, profiles.

Kept separate from the measuring code so the runner and the report know one shape only.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    """One line of the results table; `ratio` compares two sides measured in the same run."""

    area: str
    case: str
    figure: str
    ratio: str = ""


@dataclass(frozen=True)
class Goal:
    """A target from the issues, with the measured value and whether it was reached."""

    name: str
    met: bool
    measured: str
    shortfall: str = ""


@dataclass
class Section:
    """One benchmark's results; `notes` say how it was measured, `profiles` why it was slow."""

    title: str
    rows: list[Row] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    profiles: dict[str, str] = field(default_factory=dict)

    def row(self, case: str, figure: str, ratio: str = "") -> None:
        self.rows.append(Row(self.title, case, figure, ratio))


def si(value: float, unit: str = "") -> str:
    """12_345 -> '12.3 k', 0.000_012 -> '12.0 µ': compact figures for the table."""
    for factor, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return f"{value / factor:.3g} {prefix}{unit}".rstrip()
    if value == 0 or abs(value) >= 1:
        return f"{value:.3g} {unit}".rstrip()
    for factor, prefix in ((1e-3, "m"), (1e-6, "µ"), (1e-9, "n")):
        if abs(value) >= factor:
            return f"{value / factor:.3g} {prefix}{unit}".rstrip()
    return f"{value:.3g} {unit}".rstrip()


def times(ratio: float) -> str:
    """A ratio as '×1.23' (three significant digits)."""
    return f"×{ratio:.3g}"
