"""What a gap-analysis report shows, gathered in a constant number of queries and scored with
`assessments.scoring.rules`. The HTML page, the PDF and the JSON export all read a `Report`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.utils.translation import get_language

from iamm import lens_selectors
from iamm.models import FrameworkVersion, PracticeHeading

from ..models import Agency, Assessment
from ..questionnaire.part_c import part_c_result
from ..scoring import lenses, rules, selectors
from ..vocabulary import PART_A_LEVELS, PART_B_LEVELS
from .chart import Chart, score_chart
from .rows import (
    AgencyPlan,
    DomainRow,
    HeadingRow,
    ItemRow,
    ObjectiveRow,
    PlanItem,
    UnderstandingRow,
    shown_band_label,
)
from .texts import bound_texts


@dataclass
class Report:
    assessment: Assessment
    language: str
    framework_version: FrameworkVersion
    agencies: list[Agency]
    understandings: list[UnderstandingRow]
    headings: list[HeadingRow]
    practice_index: rules.Shown | None  # rounded, as every index and score of the report
    understanding_index: rules.Shown | None
    coverage_a: rules.Coverage
    coverage_b: rules.Coverage
    gaps: list[rules.Gap]
    gap_counts: dict[str, int]
    action_plan: list[AgencyPlan]
    coherence: list[UnderstandingRow]
    data_gaps: list[ItemRow]
    unanswered: list[ItemRow]
    thresholds: list[tuple[int, str]]
    chart: Chart
    previous: Assessment | None = None
    previous_practice_index: rules.Shown | None = None
    previous_understanding_index: rules.Shown | None = None
    # The lenses: every GCM objective and SDG 10.7.2 domain of the framework version (empty when
    # the version has none), and the UN-method result when the assessment includes Part C.
    gcm: list[ObjectiveRow] = field(default_factory=list)
    sdg: list[DomainRow] = field(default_factory=list)
    sdg_official: lenses.OfficialResult | None = None

    @property
    def is_draft(self) -> bool:
        return self.assessment.is_draft

    @property
    def as_of(self) -> datetime:
        return self.assessment.validated_at or self.assessment.updated_at

    @property
    def overdue_count(self) -> int:
        return sum(entry.overdue for plan in self.action_plan for entry in plan.items)

    @property
    def coverage(self) -> rules.Coverage:
        return self.coverage_a + self.coverage_b

    @property
    def practice_band(self) -> str | None:
        return rules.band(self.practice_index, self.thresholds)

    @property
    def understanding_band(self) -> str | None:
        return rules.band(self.understanding_index, self.thresholds)

    @property
    def practice_band_label(self) -> str:
        return shown_band_label(self.practice_band)

    @property
    def understanding_band_label(self) -> str:
        return shown_band_label(self.understanding_band)

    @property
    def sdg_official_band_label(self) -> str:
        official = self.sdg_official
        return rules.band_label(official.band) if official else ""

    @property
    def practice_index_change(self) -> rules.Shown | None:
        return rules.change(self.practice_index, self.previous_practice_index)

    @property
    def understanding_index_change(self) -> rules.Shown | None:
        return rules.change(self.understanding_index, self.previous_understanding_index)

    @property
    def scored_headings(self) -> list[HeadingRow]:
        """Highest score first; ties in heading order."""
        scored = [row for row in self.headings if row.score is not None]
        return sorted(scored, key=lambda row: (-row.score, row.number))

    @property
    def strongest(self) -> list[HeadingRow]:
        return self.scored_headings[:3]

    @property
    def weakest(self) -> list[HeadingRow]:
        """Lowest score first, never repeating one of the strongest."""
        return list(reversed(self.scored_headings[3:]))[:3]

    @property
    def bands(self) -> list[dict[str, Any]]:
        return band_table(self.thresholds)

    @property
    def changed_headings(self) -> list[HeadingRow]:
        """Headings whose shown score differs from the previous cycle's (or only one has one)."""
        return [row for row in self.headings if not _same_score(row.score, row.previous)]

    @property
    def unchanged_headings(self) -> list[HeadingRow]:
        return [row for row in self.headings if _same_score(row.score, row.previous)]

    @property
    def coherence_floor(self) -> int:
        return rules.coherence_floor(self.thresholds)

    part_a_levels = PART_A_LEVELS
    part_b_levels = PART_B_LEVELS


def _same_score(current: rules.Shown | None, previous: rules.Shown | None) -> bool:
    if current is None or previous is None:
        return current is previous
    return current == previous


def band_table(thresholds: Iterable[tuple[int, str]]) -> list[dict[str, Any]]:
    """The bands highest first, each with its lower bound and the next band's bound above."""
    rows, upper = [], None
    for bound, key in sorted(thresholds, reverse=True):
        rows.append({"key": key, "label": rules.band_label(key), "lower": bound, "upper": upper})
        upper = bound
    return rows


def item_rows(assessment: Assessment) -> list[ItemRow]:
    """Every item of the assessment as a report row, Part A first, then heading by heading."""
    return [ItemRow.of(answer) for answer in selectors.scored_answers(assessment)]


def build_report(assessment: Assessment, *, thresholds=None) -> Report:
    """Everything a report shows, in a constant number of queries whatever the number of items
    (10, and 2 more for a previous cycle). Call it inside `translation.override(language)`."""
    thresholds = list(thresholds or rules.default_thresholds())
    version = assessment.framework_version
    agencies = list(assessment.agencies.all())
    items = item_rows(assessment)
    printed = bound_texts([item.answer for item in items])
    items = [replace(item, printed=printed[item.answer.pk]) for item in items]
    headings = selectors.headings(version)

    part_a = [item for item in items if item.part == "A"]
    by_heading: dict[int, list[ItemRow]] = {h.number: [] for h in headings}
    for item in items:
        if item.heading is not None:
            by_heading.setdefault(item.heading.number, []).append(item)
    rows = [_heading_row(h, by_heading.get(h.number, []), thresholds) for h in headings]
    scores = {row.number: row.exact for row in rows}
    understandings = _understanding_rows(part_a, rows, selectors.crosswalk(version), thresholds)
    part_b = [item for row in rows for item in row.items]
    gaps = rules.ranked_gaps((i.heading.number, i.answer.area.order, i) for i in part_b)
    report = Report(
        assessment=assessment,
        language=get_language(),
        framework_version=version,
        agencies=agencies,
        understandings=understandings,
        headings=rows,
        practice_index=rules.rounded(rules.practice_index(scores.values())),
        understanding_index=rules.rounded(rules.understanding_index(part_a)),
        coverage_a=rules.coverage(part_a),
        coverage_b=rules.coverage(part_b),
        gaps=gaps,
        gap_counts=rules.gaps_by_priority(gaps),
        action_plan=_action_plan(part_b, gaps, as_of=_as_of(assessment)),
        coherence=[u for u in understandings if u.flag],
        data_gaps=rules.data_gaps(items),
        unanswered=rules.unanswered(items),
        thresholds=thresholds,
        chart=score_chart(rows, thresholds),
    )
    _add_lenses(report)
    if assessment.previous_id:
        _add_previous(report, assessment.previous, thresholds)
    return report


def _understanding_rows(
    part_a: list[ItemRow], rows: list[HeadingRow], links: dict[int, list[int]], thresholds
) -> list[UnderstandingRow]:
    """Each Common Understanding beside its linked headings, flagged where they fall short."""
    row_by_number = {row.number: row for row in rows}
    linked = {
        i.code: [
            row_by_number[n]
            for n in sorted(links.get(i.answer.understanding_id, []))
            if n in row_by_number
        ]
        for i in part_a
    }
    flags = rules.coherence_flags(
        ((i.answer.understanding.number, i, [r.number for r in linked[i.code]]) for i in part_a),
        {row.number: row.exact for row in rows},
        thresholds,
    )
    flag_of = {flag.item.code: flag for flag in flags}
    return [
        UnderstandingRow(item=i, linked=linked[i.code], flag=flag_of.get(i.code)) for i in part_a
    ]


def _heading_row(heading: PracticeHeading, items: list[ItemRow], thresholds) -> HeadingRow:
    score = rules.heading_score(items)
    return HeadingRow(
        heading=heading,
        items=items,
        exact=score,
        score=rules.rounded(score),
        target=rules.rounded(rules.heading_target(items)),
        band=rules.band(score, thresholds),
        coverage=rules.coverage(items),
    )


def _as_of(assessment: Assessment) -> date:
    return (assessment.validated_at or assessment.updated_at).date()


def _action_plan(part_b: list[ItemRow], gaps: list[rules.Gap], *, as_of: date) -> list[AgencyPlan]:
    """Every gap exactly once, and every other area with a planned action or a target date,
    grouped by responsible agency: the gaps no agency has yet come first (someone must take
    them on), then agencies by name; in each group by target date, then in gap order. A
    target date before the report's date is overdue."""
    gap_of = {gap.item.code: gap for gap in gaps}
    rank = {gap.item.code: i for i, gap in enumerate(gaps)}
    groups: dict[int | None, AgencyPlan] = {}
    for item in part_b:
        answer, gap = item.answer, gap_of.get(item.code)
        if gap is None and not (answer.planned_action.strip() or answer.target_date):
            continue
        agency = answer.responsible_agency
        plan = groups.setdefault(agency.pk if agency else None, AgencyPlan(agency, []))
        overdue = answer.target_date is not None and answer.target_date < as_of
        plan.items.append(PlanItem(item=item, gap=gap, overdue=overdue))
    for plan in groups.values():
        plan.items.sort(
            key=lambda entry: (
                entry.item.answer.target_date is None,
                entry.item.answer.target_date or date.min,
                rank.get(entry.item.code, len(rank)),
                entry.item.heading.number,
                entry.item.answer.area.order,
            )
        )
    return sorted(
        groups.values(),
        key=lambda p: (p.agency is not None, p.agency.name.casefold() if p.agency else ""),
    )


def _add_lenses(report: Report) -> None:
    """The GCM and SDG 10.7.2 sections, from the headings' scores already computed (5 queries)."""
    version = report.framework_version
    rows = {row.number: row for row in report.headings}
    scores = {number: row.exact for number, row in rows.items()}
    objectives = {o.number: o for o in version.gcm_objectives.order_by("number")}
    report.gcm = [
        ObjectiveRow(
            objective=objectives[lens.objective],
            lens=lens,
            primary=[rows[h.heading] for h in lens.primary if h.heading in rows],
            secondary=[rows[h.heading] for h in lens.secondary if h.heading in rows],
        )
        for lens in lenses.gcm_lens(
            objectives=objectives,
            links=lens_selectors.gcm_link_rows(version=version),
            heading_scores=scores,
        )
    ]
    domains = {d.number: d for d in version.sdg_domains.order_by("number")}
    report.sdg_official = part_c_result(assessment=report.assessment)
    official = {d.domain: d for d in report.sdg_official.domains} if report.sdg_official else {}
    report.sdg = [
        DomainRow(
            domain=domains[indication.domain],
            indication=indication,
            headings=[rows[h.heading] for h in indication.headings if h.heading in rows],
            official=official.get(indication.domain),
        )
        for indication in lenses.sdg_indications(
            domains=domains,
            links=lens_selectors.sdg_link_rows(version=version),
            heading_scores=scores,
        )
    ]


def _add_previous(report: Report, previous: Assessment, thresholds) -> None:
    # `previous` comes with the assessment when access.get_report_assessment loaded it.
    part_a, by_heading = [], {}
    for heading_number, level, target, priority in selectors.levels_by_item(previous.pk):
        item = rules.Item(level=level, target=target, priority=priority)
        if heading_number is None:
            part_a.append(item)
        else:
            by_heading.setdefault(heading_number, []).append(item)
    previous_scores = {n: rules.heading_score(items) for n, items in by_heading.items()}
    for row in report.headings:
        row.previous = rules.rounded(previous_scores.get(row.number))
        row.previous_band = rules.band(row.previous, thresholds)
        row.change = rules.change(row.score, row.previous)
    report.previous = previous
    report.previous_practice_index = rules.rounded(rules.practice_index(previous_scores.values()))
    report.previous_understanding_index = rules.rounded(rules.understanding_index(part_a))
