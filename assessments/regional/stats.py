"""The regional figures, as pure functions over lists of heading scores.

Quartiles use one documented method everywhere (screen, PDF, JSON, method note): the
*inclusive* method of `statistics.quantiles(method="inclusive")`, also known as Tukey's hinges
interpolated, Excel's QUARTILE.INC and R's type 7. For sorted values x[0..n-1], the p-quantile
is x[k] + f·(x[k+1] − x[k]) with k + f = p·(n − 1). Example for 10, 20, 40, 80: Q1 = 17.5,
median = 30, Q3 = 50.

Scores going in are the shown heading scores (one decimal, as each State's own report shows
them); figures coming out are rounded the same way.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from assessments.scoring import rules as scoring

QUARTILE_METHOD = "inclusive"


@dataclass(frozen=True)
class Summary:
    """The five figures of a distribution, and how many values it has."""

    n: int
    min: float
    q1: float
    median: float
    q3: float
    max: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            "min": self.min,
            "q1": self.q1,
            "median": self.median,
            "q3": self.q3,
            "max": self.max,
        }


def rounded(value) -> float:
    """A figure as shown: the scoring rules' one rounding (half up, one decimal), as a plain
    number for JSON and SVG. A float here is a figure already shown (39.9): its decimal
    digits are what it means."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    return float(scoring.rounded(value))


def summary(values: Iterable[float]) -> Summary | None:
    """Minimum, quartiles (inclusive method), median and maximum; None for fewer than 2 values
    (a quartile of one value says nothing, and callers withhold small groups anyway)."""
    data = sorted(Fraction(v) for v in values)  # exact, so that the one rounding applies
    if len(data) < 2:
        return None
    q1, median, q3 = statistics.quantiles(data, n=4, method=QUARTILE_METHOD)
    return Summary(
        n=len(data),
        min=rounded(data[0]),
        q1=rounded(q1),
        median=rounded(median),
        q3=rounded(q3),
        max=rounded(data[-1]),
    )


def minimum_group(configured: int | None) -> int:
    """The smallest number of sharing States for which figures are shown: the setting, never
    below 3 (with 2, each State could work out the other's scores from its own)."""
    return max(3, configured or 3)


def is_shared_gap(values: Sequence[float], floor: float) -> bool:
    """At least half of the States with a score for the heading score below the floor."""
    if not values:
        return False
    below = sum(1 for v in values if rounded(v) < floor)
    return 2 * below >= len(values)


class Place(StrEnum):
    """Where one State's score sits in the regional distribution (its quarter, not a rank)."""

    LOWEST_QUARTER = "lowest_quarter"
    SECOND_QUARTER = "second_quarter"
    THIRD_QUARTER = "third_quarter"
    HIGHEST_QUARTER = "highest_quarter"


def place(score: float | None, figures: Summary | None) -> Place | None:
    """The quarter of the distribution a score falls in; a score on a boundary counts in the
    lower quarter."""
    if score is None or figures is None:
        return None
    shown = rounded(score)
    if shown <= figures.q1:
        return Place.LOWEST_QUARTER
    if shown <= figures.median:
        return Place.SECOND_QUARTER
    if shown <= figures.q3:
        return Place.THIRD_QUARTER
    return Place.HIGHEST_QUARTER


def level_counts(levels: Iterable[str], keys: Sequence[str]) -> dict[str, int]:
    """How many States answered each level; anything else (unanswered) counts under ""."""
    counts = dict.fromkeys(keys, 0)
    for level in levels:
        key = level if level in counts else ""
        counts[key] = counts.get(key, 0) + 1
    return counts
