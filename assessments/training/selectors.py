"""Reads for workshops: the items in scope, a participant's answers, the group's spread.

Everything is gathered in a constant number of queries whatever the number of participants, so
the facilitator's live view stays cheap while it refreshes every 30 seconds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from assessments.models import Participant, PracticeAnswer, Workshop, WorkshopSection
from assessments.scoring import rules as scoring
from iamm.models import CommonUnderstanding, Practice, PracticeArea

from . import stats


@dataclass
class PracticeItem:
    """One questionnaire item in a workshop's scope."""

    key: str  # "u<id>" or "a<id>" (see `item_key`)
    code: str  # "CU3" or the area's code, "5.1"
    name: str
    text: str  # the Common Understanding's text; empty for an area
    section: WorkshopSection
    understanding: CommonUnderstanding | None = None
    area: PracticeArea | None = None
    practices: list[Practice] = field(default_factory=list)

    @property
    def is_part_a(self) -> bool:
        return self.understanding is not None


@dataclass
class SectionItems:
    section: WorkshopSection
    items: list[PracticeItem]


def workshop_sections(*, workshop: Workshop) -> list[SectionItems]:
    """The sections in scope, in questionnaire order, each with its items and their IAMM
    practices and guidance."""
    sections = list(workshop.sections.select_related("heading"))
    version = workshop.framework_version
    understandings = []
    if any(s.is_part_a for s in sections):
        understandings = list(CommonUnderstanding.objects.filter(version=version))
    heading_ids = [s.heading_id for s in sections if s.heading_id]
    areas_by_heading: dict[int, list[PracticeArea]] = defaultdict(list)
    for area in PracticeArea.objects.filter(heading_id__in=heading_ids).prefetch_related(
        Prefetch("practices", queryset=Practice.objects.order_by("order"))
    ):
        areas_by_heading[area.heading_id].append(area)
    result = []
    for section in sections:
        if section.is_part_a:
            items = [_understanding_item(u, section) for u in understandings]
        else:
            items = [_area_item(a, section) for a in areas_by_heading[section.heading_id]]
        result.append(SectionItems(section=section, items=items))
    return result


def _understanding_item(understanding: CommonUnderstanding, section) -> PracticeItem:
    return PracticeItem(
        key=PracticeAnswer.key_for(understanding_id=understanding.pk),
        code=f"CU{understanding.number}",
        name=str(understanding),
        text=understanding.text,
        section=section,
        understanding=understanding,
    )


def _area_item(area: PracticeArea, section) -> PracticeItem:
    return PracticeItem(
        key=PracticeAnswer.key_for(area_id=area.pk),
        code=area.code,
        name=area.name,
        text="",
        section=section,
        area=area,
        practices=list(area.practices.all()),
    )


def section_in_scope(*, workshop: Workshop, order: int) -> SectionItems | None:
    for entry in workshop_sections(workshop=workshop):
        if entry.section.order == order:
            return entry
    return None


def participant_answers(*, participant: Participant) -> dict[str, PracticeAnswer]:
    return {answer.item_key: answer for answer in participant.answers.all()}


def answered_per_section(*, participant: Participant) -> list[tuple[SectionItems, int]]:
    """The sections in scope, each with how many of its items the participant answered."""
    answers = participant_answers(participant=participant)
    return [
        (entry, sum(1 for item in entry.items if item.key in answers and answers[item.key].level))
        for entry in workshop_sections(workshop=participant.workshop)
    ]


def participants(*, workshop: Workshop) -> list[Participant]:
    return list(workshop.participants.all())


# The group's answers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Remark:
    """Evidence or a justification a participant gave, under the name they chose to show."""

    author: str  # the display name, or "Anonymous participant"
    level: str
    evidence: str
    justification: str


@dataclass
class ItemStats:
    item: PracticeItem
    levels: list[str]
    targets: list[int]
    gaps: list[int]
    spread: stats.Spread
    distribution: dict[str, int]
    remarks: list[Remark]

    @property
    def median_target(self) -> float | None:
        return stats.median(sorted(self.targets))

    @property
    def median_gap(self) -> float | None:
        return stats.median(sorted(self.gaps))

    @property
    def dot_rows(self) -> list[tuple[str, int]]:
        """The distribution as (level, count) pairs, numbered levels first, for the plot."""
        return list(self.distribution.items())


def item_stats(
    *, workshop: Workshop, sections: list[SectionItems] | None = None
) -> list[ItemStats]:
    """Per item in scope, the group's answers and their spread, in questionnaire order."""
    answers: dict[str, list[PracticeAnswer]] = defaultdict(list)
    for answer in PracticeAnswer.objects.filter(participant__workshop=workshop).select_related(
        "participant"
    ):
        if answer.level:
            answers[answer.item_key].append(answer)
    result = []
    for entry in sections if sections is not None else workshop_sections(workshop=workshop):
        for item in entry.items:
            result.append(_stats(item, answers[item.key]))
    return result


def _stats(item: PracticeItem, answers: list[PracticeAnswer]) -> ItemStats:
    levels = [a.level for a in answers]
    scored = [a for a in answers if scoring.is_scored(a.level)]
    gaps = [] if item.is_part_a else [scoring.gap(a.level, a.target) for a in scored]
    remarks = [
        Remark(
            author=a.participant.public_name,
            level=a.level,
            evidence=a.evidence,
            justification=a.justification,
        )
        for a in answers
        if a.evidence or a.justification
    ]
    return ItemStats(
        item=item,
        levels=levels,
        targets=[] if item.is_part_a else [a.target for a in scored],
        gaps=gaps,
        spread=stats.spread(levels),
        distribution=stats.distribution(levels),
        remarks=remarks,
    )


def by_disagreement(rows: list[ItemStats]) -> list[ItemStats]:
    """Most disagreement first (IQR, then range); questionnaire order among equals."""
    return sorted(rows, key=lambda row: row.spread.disagreement_key)
