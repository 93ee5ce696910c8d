"""The regional report: its data (shared by the secretariat's page, the HTML and PDF report,
the JSON and each State's "Regional context"), the strip plot and the renderings.

Figures are withheld below the minimum group (settings.REGIONAL_MIN_SHARES, never below 3), as
a whole and per heading: a heading with fewer scored States than the minimum shows no figures.
No list anywhere orders States by score; anonymous shares are counted, never named.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from assessments import vocabulary
from assessments.models import RegionalExercise, RegionalShare
from assessments.reports.html import _static_text
from assessments.reports.pdf import html_to_pdf_in_time
from assessments.scoring import rules as scoring

from . import selectors, stats

PLACE_LABELS = {
    stats.Place.LOWEST_QUARTER: _("In the lowest quarter of the region"),
    stats.Place.SECOND_QUARTER: _("Between the lower quartile and the median"),
    stats.Place.THIRD_QUARTER: _("Between the median and the upper quartile"),
    stats.Place.HIGHEST_QUARTER: _("In the highest quarter of the region"),
}

# Words too general to match a heading to a process's main areas of discussion.
GENERAL_WORDS = {
    "migration", "migrants", "international", "national", "other", "policy", "measures",
    "accompanying", "linkages", "and", "of", "the",
}  # fmt: skip


def minimum_group() -> int:
    return stats.minimum_group(getattr(settings, "REGIONAL_MIN_SHARES", 3))


def fmt(value: float) -> str:
    """A number for SVG and attributes: never localized, at most one decimal."""
    return f"{value:.1f}".removesuffix(".0")


@dataclass
class Plot:
    """One heading's strip: a dot per State (no names), the box from Q1 to Q3, the median."""

    dots: list[tuple[str, str]]  # (x, y) as unlocalized strings
    box_x: str = ""
    box_width: str = ""
    median_x: str = ""
    min_x: str = ""
    max_x: str = ""


@dataclass
class HeadingDistribution:
    number: int
    title: str
    values: list[float]  # the shown scores of the States with a score, sorted
    figures: stats.Summary | None
    shared_gap: bool
    on_agenda: bool  # the heading matches the process's main areas
    position: int = 0  # the row of the strip plot
    plot: Plot | None = None

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def plot_y(self) -> int:
        return PLOT_TOP + self.position * PLOT_HEIGHT


@dataclass
class UnderstandingDistribution:
    number: int
    text: str
    counts: list[tuple[str, int]]  # (level label, number of States)
    flagged: int  # States with a commitment–practice flag on it


@dataclass
class RegionalReport:
    exercise: RegionalExercise
    language: str
    generated_at: datetime
    members_count: int
    named: list[str]  # the named participants, alphabetical
    anonymous_count: int
    minimum: int
    floor: int
    headings: list[HeadingDistribution]
    understandings: list[UnderstandingDistribution] = field(default_factory=list)
    scores: list[selectors.SharedScores] = field(default_factory=list, repr=False)

    @property
    def participants_count(self) -> int:
        return len(self.named) + self.anonymous_count

    @property
    def has_figures(self) -> bool:
        return self.participants_count >= self.minimum

    @property
    def is_draft(self) -> bool:
        return not self.exercise.is_released

    @property
    def shared_gaps(self) -> list[HeadingDistribution]:
        return [h for h in self.headings if h.shared_gap]

    @property
    def common_flags(self) -> list[UnderstandingDistribution]:
        return [u for u in self.understandings if u.flagged]

    @property
    def plot_ticks(self) -> list[tuple[str, int]]:
        return [(fmt(PLOT_X + v * PLOT_SCALE), v) for v in range(0, 101, 20)]

    @property
    def plot_floor_x(self) -> str:
        return fmt(PLOT_X + self.floor * PLOT_SCALE)

    @property
    def strip_axis(self) -> int:
        return PLOT_TOP + len(self.headings) * PLOT_HEIGHT + 2

    @property
    def strip_ticks_y(self) -> int:
        return self.strip_axis + 13

    @property
    def strip_height(self) -> int:
        return self.strip_axis + 18

    quartile_method = stats.QUARTILE_METHOD


# Rows as tall as the report chart's, so the HTML heading labels beside the SVG line up.
PLOT_X, PLOT_WIDTH, PLOT_HEIGHT, PLOT_TOP = 10, 300, 22, 10
PLOT_SCALE = PLOT_WIDTH / 100


def build_regional_report(exercise: RegionalExercise, *, thresholds=None) -> RegionalReport:
    """Everything the regional pages show, in a constant number of queries (7) whatever the
    number of States. Call it inside `translation.override(language)`."""
    thresholds = list(thresholds or scoring.default_thresholds())
    floor = scoring.coherence_floor(thresholds)
    minimum = minimum_group()
    content = selectors.exercise_content(exercise)
    shared = selectors.shared_scores(exercise, content, thresholds)
    enough = len(shared) >= minimum
    agenda = _agenda_words(exercise.process.main_areas_en or exercise.process.main_areas or "")
    headings = []
    for position, heading in enumerate(content.headings):
        values = sorted(
            s.headings[heading.number] for s in shared if s.headings[heading.number] is not None
        )
        shown = enough and len(values) >= minimum
        headings.append(
            HeadingDistribution(
                number=heading.number,
                title=heading.title,
                values=values if shown else [],
                figures=stats.summary(values) if shown else None,
                shared_gap=shown and stats.is_shared_gap(values, floor),
                on_agenda=_matches(heading.title_en or heading.title, agenda),
                position=position,
            )
        )
        if shown:
            headings[-1].plot = _plot(headings[-1])
    understandings = []
    if enough:
        # Column heads: the level digits, then "Don't know" and "Not answered".
        labels = {key: key for key, _label in vocabulary.PART_A_LEVELS if key.isdigit()}
        labels |= {"dk": _("Don't know"), "": _("Not answered")}
        for cu in content.understandings:
            counts = stats.level_counts(
                (s.understandings.get(cu.number, "") for s in shared), list(labels)
            )
            understandings.append(
                UnderstandingDistribution(
                    number=cu.number,
                    text=cu.text,
                    counts=[(str(label), counts[key]) for key, label in labels.items()],
                    flagged=sum(cu.number in s.flags for s in shared),
                )
            )
    return RegionalReport(
        exercise=exercise,
        language=get_language(),
        generated_at=timezone.now(),
        members_count=selectors.members_count(exercise),
        named=sorted(
            (str(s.share.country.name) for s in shared if not s.share.is_anonymous),
            key=str.casefold,
        ),
        anonymous_count=sum(s.share.is_anonymous for s in shared),
        minimum=minimum,
        floor=floor,
        headings=headings,
        understandings=understandings,
        scores=shared,
    )


def _agenda_words(main_areas: str) -> set[str]:
    return set(re.findall(r"\w+", main_areas.casefold()))


def _matches(title: str, agenda: set[str]) -> bool:
    """A heading matches the process's main areas when a specific word of its English title
    (not "migration", "policy"…) is among the words of the process's English main areas."""
    words = set(re.findall(r"\w+", title.casefold())) - GENERAL_WORDS
    return bool(words & agenda)


def _plot(row: HeadingDistribution) -> Plot:
    def x(value) -> str:
        return fmt(PLOT_X + float(value) * PLOT_SCALE)

    # States with the same score are stacked a little apart so that each dot stays visible.
    seen: dict[float, int] = {}
    dots = []
    for value in row.values:
        k = seen.get(value, 0)
        seen[value] = k + 1
        dots.append((x(value), fmt(PLOT_HEIGHT / 2 + (-1) ** k * 4 * ((k + 1) // 2))))
    figures = row.figures
    return Plot(
        dots=dots,
        box_x=x(figures.q1),
        box_width=fmt((figures.q3 - figures.q1) * PLOT_SCALE),
        median_x=x(figures.median),
        min_x=x(figures.min),
        max_x=x(figures.max),
    )


# A State's own place ---------------------------------------------------------------------------


@dataclass
class OwnPlace:
    number: int
    title: str
    score: float | None
    figures: stats.Summary | None
    place: stats.Place | None

    @property
    def place_label(self) -> str:
        return str(PLACE_LABELS[self.place]) if self.place else ""


def own_places(report: RegionalReport, country: str) -> list[OwnPlace]:
    """The country's heading scores beside the region's figures (empty below the minimum)."""
    mine = next((s for s in report.scores if s.share.country == country), None)
    if mine is None or not report.has_figures:
        return []
    return [
        OwnPlace(
            number=row.number,
            title=row.title,
            score=mine.headings.get(row.number),
            figures=row.figures,
            place=stats.place(mine.headings.get(row.number), row.figures),
        )
        for row in report.headings
    ]


# Renderings ------------------------------------------------------------------------------------


def report_json(report: RegionalReport) -> dict:
    """The keys of issue 17, exactly; figures are null where they are withheld."""
    return {
        "participants_count": report.participants_count,
        "headings": [
            {
                "number": row.number,
                "title": str(row.title),
                "n": row.n if report.has_figures else None,
                **{
                    key: getattr(row.figures, key) if row.figures else None
                    for key in ("min", "q1", "median", "q3", "max")
                },
            }
            for row in report.headings
        ],
        "shared_gaps": [
            {"number": row.number, "title": str(row.title)} for row in report.shared_gaps
        ],
    }


def render_json(report: RegionalReport) -> bytes:
    return json.dumps(report_json(report), ensure_ascii=False, indent=2).encode()


def render_document(report: RegionalReport, *, inline_css: bool = False) -> str:
    """The report as a standalone HTML document (the PDF's source; `--format html`)."""
    with override(report.language):
        return render_to_string(
            "regional/report.html",
            {
                "report": report,
                "inline_css": _static_text("reports/report.css") if inline_css else "",
            },
        )


def render_pdf(report: RegionalReport) -> bytes:
    return html_to_pdf_in_time(render_document(report))


def report_filename(exercise: RegionalExercise, extension: str) -> str:
    status = "" if exercise.is_released else "-draft"
    return f"iamm-regional-{exercise.process.slug}-{exercise.pk}{status}.{extension}"


@dataclass
class RegionalContext:
    """One exercise a State shares in, with its own place (empty below the minimum group)."""

    report: RegionalReport
    places: list[OwnPlace]

    @property
    def lowest_quarter(self) -> list[OwnPlace]:
        return [p for p in self.places if p.place == stats.Place.LOWEST_QUARTER]

    @property
    def highest_quarter(self) -> list[OwnPlace]:
        return [p for p in self.places if p.place == stats.Place.HIGHEST_QUARTER]


def regional_contexts(country: str, *, assessment_id: int | None = None) -> list[RegionalContext]:
    """The exercises the country shares in (only those sharing `assessment_id` if given), with
    its place in each. One query, then the report data of each exercise."""
    if not country:
        return []
    shares = RegionalShare.objects.active().filter(country=country)
    if assessment_id is not None:
        shares = shares.filter(assessment_id=assessment_id)
    contexts = []
    for share in shares.select_related("exercise__process", "exercise__framework_version"):
        report = build_regional_report(share.exercise)
        contexts.append(RegionalContext(report=report, places=own_places(report, country)))
    return contexts
