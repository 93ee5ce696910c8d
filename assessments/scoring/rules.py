"""The scoring rules of DESIGN.md, as plain functions.

Nothing here touches the database: callers hand in answers (anything with `level`, `target` and
`priority`, such as `Answer`) and get numbers back, so every rule can be checked against a
hand-computed example. `assessments.reports.data` gathers the answers and calls these functions; the
"How scores are calculated" page and every report's method annex explain the same rules.

Scores run from 0 to 100; None means "nothing to score" (every item not applicable, don't know
or unanswered), which is not the same as 0. They are computed exactly (fractions: a mean of
quarters is rarely a finite binary float, and 63.75 held as 63.74999… would show as 63.7) and
rounded once, by `rounded`, for everything people read: display, bands and changes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

from django.conf import settings

from ..vocabulary import DONT_KNOW, MAX_LEVEL, NOT_APPLICABLE, PRIORITY_ORDER, UNANSWERED
from ..vocabulary import band_label as band_label  # re-exported: bands are named with the rules

Thresholds = Sequence[tuple[int, str]]
# An exact score (0–100), or the rounded one people read (one decimal).
Score = Fraction
Shown = Decimal


class Scorable(Protocol):
    level: str
    target: int
    priority: str


@dataclass(frozen=True)
class Item:
    """A bare answer, for callers (and tests) that have no `Answer` at hand."""

    level: str
    target: int = MAX_LEVEL
    priority: str = ""


# Items -----------------------------------------------------------------------------------------


def item_score(level: str) -> float | None:
    """Level / 4; None for not applicable, don't know and unanswered items."""
    return int(level) / MAX_LEVEL if level.isdigit() else None


def is_scored(level: str) -> bool:
    return level.isdigit()


def is_applicable(level: str) -> bool:
    return level != NOT_APPLICABLE


def gap(level: str, target: int) -> int | None:
    """How many levels an item is below its target; None when the item is not scored."""
    if not is_scored(level):
        return None
    return max(0, target - int(level))


def gap_points(levels: int) -> int:
    """A gap in levels as points on the 0–100 scale (one level is 25 points)."""
    return levels * 100 // MAX_LEVEL


# Groups of items -------------------------------------------------------------------------------


def mean(values: Iterable[Fraction | int | None]) -> Fraction | None:
    """The exact mean of the values that are not None; None if there are none."""
    present = [Fraction(v) for v in values if v is not None]
    return sum(present, Fraction(0)) / len(present) if present else None


def heading_score(answers: Iterable[Scorable]) -> Score | None:
    """100 × the mean of the heading's scored item scores, exactly."""
    scores = mean(Fraction(int(a.level), MAX_LEVEL) for a in answers if is_scored(a.level))
    return None if scores is None else 100 * scores


def heading_target(answers: Iterable[Scorable]) -> Score | None:
    """100 × the mean of target / 4 over the heading's applicable items, drawn beside its score."""
    targets = mean(Fraction(a.target, MAX_LEVEL) for a in answers if is_applicable(a.level))
    return None if targets is None else 100 * targets


def practice_index(heading_scores: Iterable[Score | None]) -> Score | None:
    """The mean of the (exact) heading scores: each heading weighs the same whatever its number
    of areas; headings with nothing scored are left out."""
    return mean(heading_scores)


def understanding_index(answers: Iterable[Scorable]) -> Score | None:
    """100 × the mean of the Part A item scores."""
    return heading_score(answers)


@dataclass(frozen=True)
class Coverage:
    scored: int
    applicable: int

    @property
    def ratio(self) -> float | None:
        return self.scored / self.applicable if self.applicable else None

    @property
    def percent(self) -> float | None:
        return None if self.ratio is None else 100 * self.ratio

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(self.scored + other.scored, self.applicable + other.applicable)


def coverage(answers: Iterable[Scorable]) -> Coverage:
    """Scored items / applicable items: don't know and unanswered items count as applicable
    but not scored; not-applicable items count in neither."""
    levels = [a.level for a in answers]
    return Coverage(
        scored=sum(is_scored(level) for level in levels),
        applicable=sum(is_applicable(level) for level in levels),
    )


# Bands -----------------------------------------------------------------------------------------


def default_thresholds() -> Thresholds:
    return settings.SCORE_BANDS


def rounded(score: Score | Shown | int | None) -> Shown | None:
    """The one rounding of scores: to one decimal, half up, from the exact value (63.75 is
    63.8, 51.25 is 51.3). Display, bands and changes all use it, so a score printed as 80.0 is
    never banded below 80. Rounding a rounded score changes nothing."""
    if score is None:
        return None
    if isinstance(score, float):
        raise TypeError("Scores are exact (Fraction or Decimal), never binary floats.")
    tenths = math.floor(Fraction(score) * 10 + Fraction(1, 2))
    return Decimal(tenths).scaleb(-1)


def band(score: Score | Shown | None, thresholds: Thresholds | None = None) -> str | None:
    """The key of the band a score falls in, from its rounded value (None for no score).

    `thresholds` are (lower bound, key) pairs; the highest bound the score reaches wins.
    """
    if score is None:
        return None
    shown = rounded(score)
    for bound, key in sorted(thresholds or default_thresholds(), reverse=True):
        if shown >= bound:
            return key
    return None


def coherence_floor(thresholds: Thresholds | None = None) -> int:
    """The lowest band threshold above zero (40 by default): linked headings below it flag a
    commitment–practice gap."""
    bounds = [bound for bound, _key in thresholds or default_thresholds() if bound > 0]
    return min(bounds) if bounds else 0


# Gaps ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    item: Any  # what was ranked (anything Scorable)
    heading: int  # heading number
    order: int  # the area's order under its heading
    levels: int  # target − current level

    @property
    def points(self) -> int:
        return gap_points(self.levels)

    @property
    def priority(self) -> str:
        return self.item.priority or ""

    def sort_key(self) -> tuple[int, int, int, int]:
        return (
            PRIORITY_ORDER.get(self.priority, len(PRIORITY_ORDER)),
            -self.levels,
            *self.position,
        )

    @property
    def position(self) -> tuple[int, int]:
        return (self.heading, self.order)


def ranked_gaps(items: Iterable[tuple[int, int, Scorable]]) -> list[Gap]:
    """The Part B items below their target, most urgent first.

    `items` are (heading number, area order, answer). Ranked by priority (high, medium, low,
    none), then gap size (largest first), then heading order (and area order within a heading).
    """
    gaps = []
    for heading, order, answer in items:
        levels = gap(answer.level, answer.target)
        if levels:
            gaps.append(Gap(item=answer, heading=heading, order=order, levels=levels))
    return sorted(gaps, key=Gap.sort_key)


def gaps_by_priority(gaps: Iterable[Gap]) -> dict[str, int]:
    """How many gaps at each priority: high, medium, low and none (no priority set)."""
    counts = {"high": 0, "medium": 0, "low": 0, "none": 0}
    for item in gaps:
        key = item.priority or "none"
        counts[key] = counts.get(key, 0) + 1
    return counts


# Coherence and data gaps -----------------------------------------------------------------------


@dataclass(frozen=True)
class CoherenceFlag:
    item: Any  # the Part A item
    number: int  # the Common Understanding's number
    weak_headings: tuple[int, ...]  # linked heading numbers scoring below the floor


def coherence_flags(
    understandings: Iterable[tuple[int, Scorable, Iterable[int]]],
    heading_scores: Mapping[int, Score | Shown | None],
    thresholds: Thresholds | None = None,
) -> list[CoherenceFlag]:
    """Common Understandings answered 3 or 4 with a linked heading scoring below the floor.

    `understandings` are (number, answer, linked heading numbers). Headings with nothing
    scored raise no flag: there is no evidence either way (they show up as data gaps).
    """
    floor = coherence_floor(thresholds)
    flags = []
    for number, answer, headings in understandings:
        if answer.level not in ("3", "4"):
            continue
        weak = tuple(
            sorted(
                h
                for h in headings
                if heading_scores.get(h) is not None and rounded(heading_scores[h]) < floor
            )
        )
        if weak:
            flags.append(CoherenceFlag(item=answer, number=number, weak_headings=weak))
    return sorted(flags, key=lambda f: f.number)


def data_gaps(answers: Iterable[Scorable]) -> list[Any]:
    """The items answered "Don't know": the information the country still has to find."""
    return [a for a in answers if a.level == DONT_KNOW]


def unanswered(answers: Iterable[Scorable]) -> list[Any]:
    return [a for a in answers if a.level == UNANSWERED]


def change(current: Score | Shown | None, previous: Score | Shown | None) -> Shown | None:
    """Points gained (or lost) since the previous cycle: the difference of the two rounded
    scores, so that it is the difference a reader computes from the figures shown; None unless
    both are scored."""
    if current is None or previous is None:
        return None
    return rounded(current) - rounded(previous)
