"""The GCM and SDG 10.7.2 lenses as plain functions: nothing here touches the database.

Three readings of one assessment, kept apart because they mean different things:

- `gcm_lens`: per GCM objective, the scores of the IAMM headings linked to it. Only primary
  links carry a score into the objective (`indication`); an objective with no primary link is
  "not assessed by the IAMM" and gets no score, whatever its secondary headings score.
- `sdg_indications`: per SDG 10.7.2 domain, the mean score of its linked IAMM headings. It is
  derived from the IAMM answers (`source == "iamm"`), not the UN's computation.
- `sdg_official`: the UN method on the 30 sub-category answers of the optional Part C
  (metadata of indicator 10.7.2, "Computation method"): Yes = 1, No = 0, and in domain 1
  "Yes, only for those with legal immigration status" = 0.5; a domain's value is the mean of its
  five sub-categories × 100, the overall value the mean of all 30 × 100; bands below 40, 40 to
  below 80, 80 to below 100, and 100.

Arithmetic is exact (Fraction) and a value is rounded once, half up, to one decimal for display.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Rational, Real

from . import rules

PRIMARY = "primary"
SECONDARY = "secondary"

# The source of each reading, for labels in reports and exports.
FROM_IAMM = "iamm"
UN_METHOD = "un_method"

# Objective statuses.
SCORED = "scored"
NO_DATA = "no_data"  # primary headings linked, none of them scored yet
NOT_ASSESSED = "not_assessed"  # no primary link: the IAMM does not assess this objective

# SDG 10.7.2 answers (Part C) and their coding.
YES = "yes"
NO = "no"
LEGAL_ONLY = "legal_only"  # "Yes, only for those with legal immigration status" (domain 1)
UNANSWERED = ""
ANSWER_CODES = {YES: Fraction(1), LEGAL_ONLY: Fraction(1, 2), NO: Fraction(0)}
MIDDLE_OPTION_DOMAINS = frozenset({1})
DOMAINS = range(1, 7)
LETTERS = "abcde"

# The bands of indicator 10.7.2, lower bound first; the keys are those of
# `assessments.vocabulary.BAND_LABELS`, with the UN's category codes 1 to 4.
SDG_BANDS = (
    (Fraction(100), "fully_meets", 4),
    (Fraction(80), "meets", 3),
    (Fraction(40), "partially_meets", 2),
    (Fraction(0), "requires_progress", 1),
)

Score = Real | Decimal  # a heading score on the 0–100 scale, as the reports compute it


# Numbers ---------------------------------------------------------------------------------------


def exact(value: Score) -> Fraction:
    """A score as an exact fraction.

    Heading scores are 100 × (sum of levels) / (4 × number of scored items), fractions with
    small denominators; a float is turned back into that fraction, not into its binary value
    (100 × 7/12 arrives as 58.333333333333336 and is read as 175/3).
    """
    if isinstance(value, Rational | Decimal):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(value).limit_denominator(10_000)
    raise TypeError(f"Not a score: {value!r}")


def round_half_up(value: Fraction) -> Decimal:
    """One decimal, half up (from the exact value: 63.75 shows as 63.8, 175/3 as 58.3): the
    report's one rounding, so a lens figure reads like every other score."""
    return rules.rounded(value)


def exact_mean(values: Iterable[Fraction]) -> Fraction | None:
    values = list(values)
    return sum(values, Fraction(0)) / len(values) if values else None


def shown(value: Fraction | None) -> Decimal | None:
    return None if value is None else round_half_up(value)


# Headings seen through a lens ------------------------------------------------------------------


@dataclass(frozen=True)
class HeadingScore:
    heading: int  # the heading's number
    score: Fraction | None  # None: nothing scored under this heading

    @property
    def shown(self) -> Decimal | None:
        return shown(self.score)


def _heading_scores(numbers: Iterable[int], scores: Mapping[int, Score | None]) -> tuple:
    result = []
    for number in sorted(set(numbers)):
        score = scores.get(number)
        result.append(HeadingScore(number, None if score is None else exact(score)))
    return tuple(result)


def _mean_of_scored(headings: Iterable[HeadingScore]) -> Fraction | None:
    """Each linked heading weighs the same; headings with nothing scored are left out."""
    return exact_mean(h.score for h in headings if h.score is not None)


# GCM -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveLens:
    objective: int
    primary: tuple[HeadingScore, ...]
    secondary: tuple[HeadingScore, ...]

    @property
    def assessed(self) -> bool:
        """False when no heading is linked as primary: the IAMM does not assess the objective."""
        return bool(self.primary)

    @property
    def indication(self) -> Fraction | None:
        """The mean score of the scored primary headings; never drawn from secondary links."""
        return _mean_of_scored(self.primary)

    @property
    def shown(self) -> Decimal | None:
        return shown(self.indication)

    @property
    def status(self) -> str:
        if not self.assessed:
            return NOT_ASSESSED
        return NO_DATA if self.indication is None else SCORED

    @property
    def source(self) -> str:
        return FROM_IAMM


def gcm_lens(
    *,
    objectives: Iterable[int],
    links: Iterable[tuple[int, int, str]],
    heading_scores: Mapping[int, Score | None],
) -> list[ObjectiveLens]:
    """Every objective, in number order, with its linked headings' scores.

    `links` are (heading number, objective number, strength); `heading_scores` maps heading
    numbers to their scores (None, or absent, when nothing under the heading is scored).
    """
    by_objective: dict[int, dict[str, list[int]]] = {
        number: {PRIMARY: [], SECONDARY: []} for number in objectives
    }
    for heading, objective, strength in links:
        if strength not in (PRIMARY, SECONDARY):
            raise ValueError(f"Unknown link strength: {strength!r}")
        if objective in by_objective:
            by_objective[objective][strength].append(heading)
    return [
        ObjectiveLens(
            objective=number,
            primary=_heading_scores(linked[PRIMARY], heading_scores),
            secondary=_heading_scores(linked[SECONDARY], heading_scores),
        )
        for number, linked in sorted(by_objective.items())
    ]


# SDG 10.7.2: the indication derived from the IAMM ----------------------------------------------


@dataclass(frozen=True)
class DomainIndication:
    """A 10.7.2 domain read through the IAMM headings linked to it: an indication derived from
    the IAMM answers, not the UN's computation (see `sdg_official`)."""

    domain: int
    headings: tuple[HeadingScore, ...]

    @property
    def value(self) -> Fraction | None:
        return _mean_of_scored(self.headings)

    @property
    def shown(self) -> Decimal | None:
        return shown(self.value)

    @property
    def source(self) -> str:
        return FROM_IAMM


def sdg_indications(
    *,
    domains: Iterable[int],
    links: Iterable[tuple[int, int]],
    heading_scores: Mapping[int, Score | None],
) -> list[DomainIndication]:
    """Every domain, in number order; `links` are (heading number, domain number)."""
    by_domain: dict[int, list[int]] = {number: [] for number in domains}
    for heading, domain in links:
        if domain in by_domain:
            by_domain[domain].append(heading)
    return [
        DomainIndication(domain=number, headings=_heading_scores(headings, heading_scores))
        for number, headings in sorted(by_domain.items())
    ]


# SDG 10.7.2: the UN method on Part C -----------------------------------------------------------


def sdg_band(value: Score) -> str:
    """The 10.7.2 band of a value from 0 to 100, applied to the exact value.

    The UN's cut-offs fall on attainable values (domain values are multiples of 10, the overall
    value multiples of 5/3), so rounding never moves a real result across a band.
    """
    return _sdg_band_row(exact(value))[1]


def sdg_band_code(value: Score) -> int:
    """The UN's category code (1 = Requires further progress … 4 = Fully meets)."""
    return _sdg_band_row(exact(value))[2]


def _sdg_band_row(value: Fraction) -> tuple[Fraction, str, int]:
    if not 0 <= value <= 100:
        raise ValueError(f"A 10.7.2 value runs from 0 to 100, not {value}.")
    return next(row for row in SDG_BANDS if value >= row[0])


def subcategory_code(answer: str, *, domain: int) -> Fraction | None:
    """An answer's coded value; None when unanswered.

    The middle option exists only in domain 1; elsewhere it is refused rather than guessed.
    """
    if answer == UNANSWERED:
        return None
    if answer == LEGAL_ONLY and domain not in MIDDLE_OPTION_DOMAINS:
        raise ValueError(f"Domain {domain} has no middle answer option.")
    if answer not in ANSWER_CODES:
        raise ValueError(f"Unknown 10.7.2 answer: {answer!r}")
    return ANSWER_CODES[answer]


class _UnMethodValue:
    """Display, band and source of a value computed by the UN method (None: incomplete)."""

    value: Fraction | None

    @property
    def shown(self) -> Decimal | None:
        return shown(self.value)

    @property
    def band(self) -> str | None:
        """None while incomplete: an incomplete result is shown as such, not banded."""
        return None if self.value is None else sdg_band(self.value)

    @property
    def source(self) -> str:
        return UN_METHOD


@dataclass(frozen=True)
class DomainResult(_UnMethodValue):
    domain: int
    value: Fraction | None  # None while a sub-category is unanswered
    missing: tuple[str, ...]  # the unanswered sub-categories' letters

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class OfficialResult(_UnMethodValue):
    domains: tuple[DomainResult, ...]
    value: Fraction | None  # the mean of the 30 sub-categories × 100; None if any is missing

    @property
    def complete(self) -> bool:
        return all(domain.complete for domain in self.domains)


def sdg_official(answers: Mapping[tuple[int, str], str]) -> OfficialResult:
    """The UN method on the Part C answers, keyed by (domain number, sub-category letter).

    A sub-category missing from `answers` counts as unanswered. The overall value is the mean of
    the 30 sub-category codes (not of the domain values or bands), so it is computed only when
    all 30 are answered.
    """
    unknown = set(answers) - {(d, letter) for d in DOMAINS for letter in LETTERS}
    if unknown:
        raise ValueError(f"Not 10.7.2 sub-categories: {sorted(unknown)}")
    domains = []
    all_codes = []
    for domain in DOMAINS:
        codes = {
            letter: subcategory_code(answers.get((domain, letter), UNANSWERED), domain=domain)
            for letter in LETTERS
        }
        missing = tuple(letter for letter, code in codes.items() if code is None)
        value = None if missing else 100 * exact_mean(codes.values())
        domains.append(DomainResult(domain=domain, value=value, missing=missing))
        all_codes.extend(codes.values())
    overall = None if None in all_codes else 100 * exact_mean(all_codes)
    return OfficialResult(domains=tuple(domains), value=overall)
