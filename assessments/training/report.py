"""The workshop debrief (HTML, PDF, JSON) and a participant's own debrief.

Both are drawn from `selectors.item_stats`, the same rows as the facilitator's live view, and
rendered to PDF by the reports' `html_to_pdf` with its static-files-only fetcher. Every page of
either document is marked as practice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from assessments.models import Participant, Workshop
from assessments.reports.html import _static_text, report_language
from assessments.reports.pdf import html_to_pdf_in_time

from . import selectors, stats
from .selectors import ItemStats

# Items shown as "most disagreement" in the debrief: enough for an afternoon's discussion.
DISAGREED_SHOWN = 10

# The SVG plot: one column per level, dots stacked up to this many, then a number.
PLOT_LEVELS = stats.LEVEL_KEYS
DOT = 8
MAX_DOTS = 10


@dataclass
class Debrief:
    workshop: Workshop
    language: str
    participants_count: int
    rows: list[ItemStats]  # questionnaire order
    sections: list[selectors.SectionItems]
    generated_at: Any = field(default_factory=timezone.now)

    @property
    def disagreed(self) -> list[ItemStats]:
        ranked = selectors.by_disagreement(self.rows)
        return [r for r in ranked if r.spread.iqr or r.spread.range][:DISAGREED_SHOWN]

    @property
    def agreed(self) -> list[ItemStats]:
        return [r for r in self.rows if r.spread.agreed]

    @property
    def answered_rows(self) -> list[ItemStats]:
        return [r for r in self.rows if r.spread.n]

    @property
    def part_b_rows(self) -> list[ItemStats]:
        return [r for r in self.rows if not r.item.is_part_a]

    @property
    def participation(self) -> list[dict[str, Any]]:
        """Per section: its number of items and the answers given to them."""
        return [
            {
                "section": entry.section,
                "items": len(entry.items),
                "answers": sum(r.spread.n for r in self.rows if r.item.section == entry.section),
            }
            for entry in self.sections
        ]

    @property
    def plots(self) -> dict[str, Plot]:
        return {row.item.key: dot_plot(row.distribution) for row in self.rows}

    @property
    def iamm_practices(self) -> list[tuple[ItemStats, list]]:
        """The quoted IAMM practices of the items in scope, as discussion material."""
        pairs = []
        for row in self.rows:
            quoted = [p for p in row.item.practices if p.kind == "iamm"]
            if quoted:
                pairs.append((row, quoted))
        return pairs


def build_debrief(workshop: Workshop, *, language: str | None = None) -> Debrief:
    language = report_language(language or workshop.language)
    with override(language):
        sections = selectors.workshop_sections(workshop=workshop)
        return Debrief(
            workshop=workshop,
            language=language,
            participants_count=workshop.participants.count(),
            rows=selectors.item_stats(workshop=workshop, sections=sections),
            sections=sections,
        )


def debrief_json(debrief: Debrief) -> str:
    """The debrief's figures. Numbers are JSON numbers, never localized text."""
    workshop = debrief.workshop
    data = {
        "practice": True,
        "workshop": {
            "id": workshop.pk,
            "title": workshop.title,
            "starts_on": workshop.starts_on.isoformat(),
            "ends_on": workshop.ends_on.isoformat(),
            "framework_version": workshop.framework_version.code,
            "regional_process": workshop.regional_process.slug
            if workshop.regional_process
            else None,
        },
        "language": debrief.language,
        "participants_count": debrief.participants_count,
        "items": [
            {
                "code": row.item.code,
                "n": row.spread.n,
                "distribution": row.distribution,
                "median": row.spread.median,
                "spread": {"iqr": row.spread.iqr, "range": row.spread.range},
            }
            for row in debrief.rows
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def render_debrief_document(debrief: Debrief, *, inline_css: bool = False) -> str:
    with override(debrief.language):
        return render_to_string(
            "training/debrief_document.html",
            {
                "debrief": debrief,
                "inline_css": _static_text("reports/report.css") if inline_css else "",
            },
        )


def debrief_pdf(debrief: Debrief) -> bytes:
    return html_to_pdf_in_time(render_debrief_document(debrief))


def own_debrief_pdf(debrief: OwnDebrief) -> bytes:
    return html_to_pdf_in_time(render_own_document(debrief))


def debrief_filename(debrief: Debrief, extension: str) -> str:
    """Ends with the language, so that editions saved side by side keep their own names."""
    workshop = debrief.workshop
    name = f"iamm-practice-debrief-{workshop.pk}-{workshop.starts_on.isoformat()}"
    return f"{name}-{debrief.language}.{extension}"


# A participant's own debrief -------------------------------------------------------------------


@dataclass(frozen=True)
class OwnRow:
    group: ItemStats
    level: str  # the participant's answer ("" when not answered)
    target: int | None


@dataclass
class OwnDebrief:
    participant: Participant
    language: str
    rows: list[OwnRow]
    generated_at: Any = field(default_factory=timezone.now)

    @property
    def workshop(self) -> Workshop:
        return self.participant.workshop


def build_own_debrief(participant: Participant, *, language: str | None = None) -> OwnDebrief:
    language = report_language(language)
    with override(language):
        mine = selectors.participant_answers(participant=participant)
        rows = []
        for group in selectors.item_stats(workshop=participant.workshop):
            answer = mine.get(group.item.key)
            rows.append(
                OwnRow(
                    group=group,
                    level=answer.level if answer else "",
                    target=answer.target if answer and not group.item.is_part_a else None,
                )
            )
        return OwnDebrief(participant=participant, language=language, rows=rows)


def render_own_document(debrief: OwnDebrief) -> str:
    with override(debrief.language):
        return render_to_string("training/own_debrief_document.html", {"debrief": debrief})


# The dot plot ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dot:
    x: int
    y: int


@dataclass(frozen=True)
class PlotColumn:
    level: str
    count: int
    x: int  # the column's centre
    dots: list[Dot]
    overflow: bool  # more answers than dots drawn; the count is written above


@dataclass(frozen=True)
class Plot:
    width: int
    height: int
    base: int  # y of the axis
    columns: list[PlotColumn]


def dot_plot(distribution: dict[str, int]) -> Plot:
    """Coordinates for a small SVG dot plot: a column of dots per level, written out as
    integers (never localized), with the count under each column."""
    column_width = 30
    base = MAX_DOTS * (DOT + 2) + 4
    columns = []
    for index, level in enumerate(PLOT_LEVELS):
        count = distribution.get(level, 0)
        x = index * column_width + column_width // 2
        dots = [Dot(x=x, y=base - (DOT // 2) - i * (DOT + 2)) for i in range(min(count, MAX_DOTS))]
        columns.append(
            PlotColumn(level=level, count=count, x=x, dots=dots, overflow=count > MAX_DOTS)
        )
    return Plot(width=column_width * len(PLOT_LEVELS), height=base + 30, base=base, columns=columns)
