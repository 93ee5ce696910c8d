"""How far a group's answers agree: pure functions over levels, checked against hand-computed
values in tests/training/test_stats.py.

Levels are the questionnaire's strings ("0"–"4", "na", "dk", "" for unanswered). Only the
numbered levels take part in the median and the spread; "Not applicable" and "Don't know" are
counted in the distribution, since a room split between "2" and "Don't know" is worth discussing.

Quartiles use the inclusive method (linear interpolation between the closest ranks, as
spreadsheets' QUARTILE.INC), which a facilitator can check by hand: for 0, 1, 2, 4 the quartiles
are 0.75 and 2.5 and the IQR is 1.75.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LEVEL_KEYS = ("0", "1", "2", "3", "4", "na", "dk")


def numeric(levels: Iterable[str]) -> list[int]:
    return sorted(int(level) for level in levels if level.isdigit())


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None if empty."""
    return statistics.median(values) if values else None


def quartiles(values: Sequence[float]) -> tuple[float, float] | None:
    """The first and third quartiles; a single value is its own quartiles; None if empty."""
    if not values:
        return None
    if len(values) == 1:
        return (values[0], values[0])
    q1, _q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return (q1, q3)


def iqr(values: Sequence[float]) -> float | None:
    bounds = quartiles(values)
    return None if bounds is None else bounds[1] - bounds[0]


def value_range(values: Sequence[float]) -> float | None:
    return max(values) - min(values) if values else None


def distribution(levels: Iterable[str]) -> dict[str, int]:
    """How many answered each level, every level present (0 where nobody chose it)."""
    counts = dict.fromkeys(LEVEL_KEYS, 0)
    for level in levels:
        if level in counts:
            counts[level] += 1
    return counts


@dataclass(frozen=True)
class Spread:
    """The spread of one item's answered levels."""

    n: int  # answered (any level, including not applicable and don't know)
    scored: int  # answered with a numbered level
    median: float | None
    iqr: float | None
    range: float | None

    @property
    def disagreement_key(self) -> tuple[float, float]:
        """Sorts most disagreement first: by IQR, then by range (items with no numbered
        answer last)."""
        return (-(self.iqr if self.iqr is not None else -1), -(self.range or 0))

    @property
    def agreed(self) -> bool:
        """At least two numbered answers, all the same level."""
        return self.range == 0 and self.scored >= 2


def spread(levels: Iterable[str]) -> Spread:
    levels = [level for level in levels if level]
    values = numeric(levels)
    return Spread(
        n=len(levels),
        scored=len(values),
        median=median(values),
        iqr=iqr(values),
        range=value_range(values),
    )


def plain_number(value: float | None) -> str:
    """A number for JSON-like display and SVG attributes, never localized: 2, 2.5, 0.75."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")
