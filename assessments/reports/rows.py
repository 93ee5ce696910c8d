"""The small typed rows a report is made of, shared by the HTML page, the PDF and the exports."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from iamm.models import GcmObjective, PracticeHeading, SdgDomain

from ..models import Agency, Answer
from ..scoring import lenses, rules
from ..vocabulary import level_label
from .texts import PrintedTexts


@dataclass(frozen=True)
class ItemRow:
    """One questionnaire item as reports print it: a Common Understanding (Part A) or a
    practice area (Part B), with its code, name, level wording and gap."""

    answer: Answer
    part: str  # "A" or "B"
    code: str  # "CU5" or "3.2"
    name: str  # the understanding's text or the area's name
    level_label: str  # "3 – Partially implemented"; "" when unanswered
    gap_levels: int | None  # target − current level, Part B scored items only
    heading: PracticeHeading | None
    # What the report prints of the item's words (`texts.bound_texts`); None outside reports.
    printed: PrintedTexts | None = None

    @classmethod
    def of(cls, answer: Answer) -> ItemRow:
        if answer.understanding_id:
            return cls(
                answer=answer,
                part="A",
                code=f"CU{answer.understanding.number}",
                name=answer.understanding.text,
                level_label=level_label(answer.level, part_a=True),
                gap_levels=None,
                heading=None,
            )
        return cls(
            answer=answer,
            part="B",
            code=answer.area.code,
            name=answer.area.name,
            level_label=level_label(answer.level, part_a=False),
            gap_levels=rules.gap(answer.level, answer.target),
            heading=answer.area.heading,
        )

    # What the scoring rules read (`rules.Scorable`).
    @property
    def level(self) -> str:
        return self.answer.level

    @property
    def target(self) -> int:
        return self.answer.target

    @property
    def priority(self) -> str:
        return self.answer.priority


@dataclass
class HeadingRow:
    """One heading. `score`, `target`, `previous` and `change` are the rounded figures people
    read (`rules.rounded`); `exact` is the unrounded score the practice index is the mean of."""

    heading: PracticeHeading
    items: list[ItemRow]
    exact: rules.Score | None
    score: rules.Shown | None
    target: rules.Shown | None
    band: str | None
    coverage: rules.Coverage
    previous: rules.Shown | None = None
    change: rules.Shown | None = None
    previous_band: str | None = None

    @property
    def number(self) -> int:
        return self.heading.number

    @property
    def band_label(self) -> str:
        return shown_band_label(self.band)


@dataclass
class UnderstandingRow:
    item: ItemRow
    linked: list[HeadingRow]
    flag: rules.CoherenceFlag | None

    @property
    def weak(self) -> list[HeadingRow]:
        if self.flag is None:
            return []
        return [row for row in self.linked if row.number in self.flag.weak_headings]


@dataclass(frozen=True)
class PlanItem:
    item: ItemRow
    gap: rules.Gap | None  # None for a planned action on an area already at its target
    overdue: bool  # its target date is before the report's date


@dataclass
class AgencyPlan:
    agency: Agency | None  # None: "No agency assigned yet"
    items: list[PlanItem]


def shown_band_label(band: str | None) -> str:
    """A band's label, or "Not scored" where there is no score to band."""
    return rules.band_label(band) or gettext("Not scored")


@dataclass
class ObjectiveRow:
    """A GCM objective read through the IAMM: its linked headings' rows and the lens result
    (`lens.status`: scored, no data yet, or not assessed by the IAMM when no primary link)."""

    objective: GcmObjective
    lens: lenses.ObjectiveLens
    primary: list[HeadingRow]
    secondary: list[HeadingRow]

    @property
    def number(self) -> int:
        return self.objective.number

    @property
    def assessed(self) -> bool:
        return self.lens.assessed


@dataclass
class DomainRow:
    """An SDG 10.7.2 domain: the indication derived from its linked IAMM headings and, when the
    assessment includes Part C, the result of the UN method beside it."""

    domain: SdgDomain
    indication: lenses.DomainIndication
    headings: list[HeadingRow]
    official: lenses.DomainResult | None

    @property
    def number(self) -> int:
        return self.domain.number

    @property
    def official_band_label(self) -> str:
        return rules.band_label(self.official.band) if self.official else ""
