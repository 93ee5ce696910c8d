"""Gap-analysis reports and the blank questionnaire: the data, the HTML and the PDF.

`build_report` gathers everything a report shows in a constant number of queries and scores it
with `assessments.scoring`; the HTML page and the PDF are drawn from the same templates
(`templates/reports/`). PDFs are rendered by WeasyPrint with a URL fetcher that serves the app's
own static files and nothing else, and are kept in the default storage under `reports/`, named
by the assessment's revision, the language and a digest of the HTML they were made from, so a
stored PDF is served until anything it shows changes and a stale one never is.
"""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from iamm.models import CrosswalkLink, FrameworkVersion, Practice, PracticeArea, PracticeHeading

from . import scoring
from .forms import PART_A_LEVELS, PART_B_LEVELS
from .models import Agency, Answer, Assessment, Comment

# Bump when the report's layout changes in a way the HTML digest would not see (e.g. CSS only).
REPORT_FORMAT = 1
STORAGE_DIR = "reports"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

PART_A_LABELS = dict(PART_A_LEVELS)
PART_B_LABELS = dict(PART_B_LEVELS)


def report_language(requested: str | None) -> str:
    """One of the app's languages: the requested one if we have it, else the active one."""
    codes = [code for code, _name in settings.LANGUAGES]
    for candidate in (requested, get_language(), settings.LANGUAGE_CODE):
        if candidate:
            base = candidate.split("-")[0].lower()
            if base in codes:
                return base
    return codes[0]


# Report data -----------------------------------------------------------------------------------


@dataclass
class HeadingRow:
    heading: PracticeHeading
    answers: list[Answer]
    score: float | None
    target: float | None
    band: str | None
    coverage: scoring.Coverage
    previous: float | None = None
    change: float | None = None
    previous_band: str | None = None

    @property
    def number(self) -> int:
        return self.heading.number

    @property
    def band_label(self) -> str:
        return shown_band_label(self.band)


@dataclass
class UnderstandingRow:
    answer: Answer
    linked: list[HeadingRow]
    flag: scoring.CoherenceFlag | None

    @property
    def weak(self) -> list[HeadingRow]:
        if self.flag is None:
            return []
        return [row for row in self.linked if row.number in self.flag.weak_headings]


@dataclass
class AgencyPlan:
    agency: Agency | None
    items: list[Answer]


@dataclass
class ChartRow:
    row: HeadingRow
    y: float
    bar_width: float
    target_x: float | None
    label_x: float


@dataclass
class Chart:
    width: int
    height: int
    plot_x: int
    plot_width: int
    row_height: int
    rows: list[ChartRow]
    ticks: list[tuple[float, int]]
    thresholds: list[tuple[float, int]]
    axis_y: float


@dataclass
class Report:
    assessment: Assessment
    language: str
    framework_version: FrameworkVersion
    agencies: list[Agency]
    understandings: list[UnderstandingRow]
    headings: list[HeadingRow]
    practice_index: float | None
    understanding_index: float | None
    coverage_a: scoring.Coverage
    coverage_b: scoring.Coverage
    gaps: list[scoring.Gap]
    gap_counts: dict[str, int]
    action_plan: list[AgencyPlan]
    coherence: list[UnderstandingRow]
    data_gaps: list[Answer]
    unanswered: list[Answer]
    thresholds: list[tuple[int, str]]
    chart: Chart
    previous: Assessment | None = None
    previous_practice_index: float | None = None
    previous_understanding_index: float | None = None

    @property
    def is_draft(self) -> bool:
        return self.assessment.is_draft

    @property
    def as_of(self) -> datetime:
        return self.assessment.validated_at or self.assessment.updated_at

    @property
    def coverage(self) -> scoring.Coverage:
        return self.coverage_a + self.coverage_b

    @property
    def practice_band(self) -> str | None:
        return scoring.band(self.practice_index, self.thresholds)

    @property
    def understanding_band(self) -> str | None:
        return scoring.band(self.understanding_index, self.thresholds)

    @property
    def practice_band_label(self) -> str:
        return shown_band_label(self.practice_band)

    @property
    def understanding_band_label(self) -> str:
        return shown_band_label(self.understanding_band)

    @property
    def practice_index_change(self) -> float | None:
        return scoring.change(self.practice_index, self.previous_practice_index)

    @property
    def understanding_index_change(self) -> float | None:
        return scoring.change(self.understanding_index, self.previous_understanding_index)

    @property
    def scored_headings(self) -> list[HeadingRow]:
        """Highest score first; ties in heading order."""
        scored = [row for row in self.headings if row.score is not None]
        return sorted(scored, key=lambda row: (-scoring.display_score(row.score), row.number))

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
        return scoring.coherence_floor(self.thresholds)

    part_a_levels = PART_A_LEVELS
    part_b_levels = PART_B_LEVELS


def _same_score(current: float | None, previous: float | None) -> bool:
    if current is None or previous is None:
        return current is previous
    return scoring.display_score(current) == scoring.display_score(previous)


def shown_band_label(band: str | None) -> str:
    """A band's label, or "Not scored" where there is no score to band."""
    return scoring.band_label(band) or _("Not scored")


def band_table(thresholds: Iterable[tuple[int, str]]) -> list[dict[str, Any]]:
    """The bands highest first, each with its lower bound and the next band's bound above."""
    rows, upper = [], None
    for bound, key in sorted(thresholds, reverse=True):
        rows.append({"key": key, "label": scoring.band_label(key), "lower": bound, "upper": upper})
        upper = bound
    return rows


def report_answers(assessment: Assessment) -> list[Answer]:
    """Every answer of the assessment with what reports and exports show, in two queries,
    Part A first, then heading by heading."""
    answers = list(
        Answer.objects.filter(assessment=assessment)
        .select_related("area__heading", "understanding", "responsible_agency", "updated_by")
        .prefetch_related(Prefetch("comments", queryset=Comment.objects.select_related("author")))
        .order_by("section__order", "understanding__number", "area__order")
    )
    for answer in answers:
        label_item(answer)
    return answers


def label_item(answer: Answer) -> None:
    """Attach what templates and exports print for the item: code, name, level wording, gap."""
    if answer.understanding_id:
        answer.part = "A"
        answer.code = f"CU{answer.understanding.number}"
        answer.item_name = answer.understanding.text
        answer.level_label = PART_A_LABELS.get(answer.level, "")
        answer.gap_levels = None
    else:
        answer.part = "B"
        answer.code = answer.area.code
        answer.item_name = answer.area.name
        answer.level_label = PART_B_LABELS.get(answer.level, "")
        answer.gap_levels = scoring.gap(answer.level, answer.target)


def build_report(assessment: Assessment, *, thresholds=None) -> Report:
    """Everything a report shows, in a constant number of queries whatever the number of items
    (5, and 2 more for a previous cycle). Call it inside `translation.override(language)`."""
    thresholds = list(thresholds or scoring.default_thresholds())
    version = assessment.framework_version
    agencies = list(assessment.agencies.all())
    answers = report_answers(assessment)
    headings = list(PracticeHeading.objects.filter(version=version).order_by("number"))
    links: dict[int, list[int]] = {}
    for understanding_id, heading_number in CrosswalkLink.objects.filter(
        heading__version=version
    ).values_list("understanding_id", "heading__number"):
        links.setdefault(understanding_id, []).append(heading_number)

    part_a = [a for a in answers if a.understanding_id]
    by_heading: dict[int, list[Answer]] = {h.number: [] for h in headings}
    for answer in answers:
        if answer.area_id:
            by_heading.setdefault(answer.area.heading.number, []).append(answer)
    rows = [_heading_row(h, by_heading.get(h.number, []), thresholds) for h in headings]
    row_by_number = {row.number: row for row in rows}
    scores = {row.number: row.score for row in rows}

    flags = {
        flag.answer.pk: flag
        for flag in scoring.coherence_flags(
            ((a.understanding.number, a, links.get(a.understanding_id, [])) for a in part_a),
            scores,
            thresholds,
        )
    }
    understandings = [
        UnderstandingRow(
            answer=a,
            linked=[
                row_by_number[n]
                for n in sorted(links.get(a.understanding_id, []))
                if n in row_by_number
            ],
            flag=flags.get(a.pk),
        )
        for a in part_a
    ]
    part_b = [a for row in rows for a in row.answers]
    gaps = scoring.ranked_gaps((a.area.heading.number, a.area.order, a) for a in part_b)
    report = Report(
        assessment=assessment,
        language=get_language(),
        framework_version=version,
        agencies=agencies,
        understandings=understandings,
        headings=rows,
        practice_index=scoring.practice_index(scores.values()),
        understanding_index=scoring.understanding_index(part_a),
        coverage_a=scoring.coverage(part_a),
        coverage_b=scoring.coverage(part_b),
        gaps=gaps,
        gap_counts=scoring.gaps_by_priority(gaps),
        action_plan=_action_plan(part_b, {g.answer.pk: g for g in gaps}),
        coherence=[u for u in understandings if u.flag],
        data_gaps=scoring.data_gaps(answers),
        unanswered=scoring.unanswered(answers),
        thresholds=thresholds,
        chart=score_chart(rows, thresholds),
    )
    if assessment.previous_id:
        _add_previous(report, thresholds)
    return report


def _heading_row(heading: PracticeHeading, answers: list[Answer], thresholds) -> HeadingRow:
    score = scoring.heading_score(answers)
    return HeadingRow(
        heading=heading,
        answers=answers,
        score=score,
        target=scoring.heading_target(answers),
        band=scoring.band(score, thresholds),
        coverage=scoring.coverage(answers),
    )


def _action_plan(part_b: list[Answer], gaps: dict[int, scoring.Gap]) -> list[AgencyPlan]:
    """Items with a planned action or a target date, grouped by responsible agency (agencies by
    name, then items without one), each group by target date, then gap order."""
    groups: dict[int | None, AgencyPlan] = {}
    for answer in part_b:
        if not (answer.planned_action.strip() or answer.target_date):
            continue
        agency = answer.responsible_agency
        plan = groups.setdefault(agency.pk if agency else None, AgencyPlan(agency, []))
        plan.items.append(answer)
    rank = {pk: i for i, pk in enumerate(gaps)}
    for plan in groups.values():
        plan.items.sort(
            key=lambda a: (
                a.target_date is None,
                a.target_date or datetime.min.date(),
                rank.get(a.pk, len(rank)),
                a.area.heading.number,
                a.area.order,
            )
        )
    return sorted(
        groups.values(),
        key=lambda p: (p.agency is None, p.agency.name.casefold() if p.agency else ""),
    )


def _add_previous(report: Report, thresholds) -> None:
    previous = Assessment.objects.filter(pk=report.assessment.previous_id).first()
    if previous is None:
        return
    levels = Answer.objects.filter(assessment=previous).values_list(
        "area__heading__number", "level", "target", "priority"
    )
    part_a, by_heading = [], {}
    for heading_number, level, target, priority in levels:
        item = scoring.Item(level=level, target=target, priority=priority)
        if heading_number is None:
            part_a.append(item)
        else:
            by_heading.setdefault(heading_number, []).append(item)
    previous_scores = {n: scoring.heading_score(items) for n, items in by_heading.items()}
    for row in report.headings:
        row.previous = previous_scores.get(row.number)
        row.previous_band = scoring.band(row.previous, thresholds)
        row.change = scoring.change(row.score, row.previous)
    report.previous = previous
    report.previous_practice_index = scoring.practice_index(previous_scores.values())
    report.previous_understanding_index = scoring.understanding_index(part_a)


# The chart -------------------------------------------------------------------------------------


def score_chart(rows: list[HeadingRow], thresholds) -> Chart:
    """Geometry of the heading chart: one hatched bar per heading (its score), a diamond for its
    target, dashed lines at the band thresholds. Drawn by `reports/_chart.html`.

    The heading names are HTML beside the SVG, one per row of `row_height` pixels: WeasyPrint
    lays out SVG text letter by letter, which made long labels the slowest part of the PDF.
    """
    plot_x, plot_width, row_height, top = 0, 360, 22, 10
    scale = plot_width / 100
    chart_rows = []
    for i, row in enumerate(rows):
        bar = (row.score or 0) * scale
        chart_rows.append(
            ChartRow(
                row=row,
                y=top + i * row_height,
                bar_width=round(bar, 1),
                target_x=None if row.target is None else round(plot_x + row.target * scale, 1),
                label_x=round(plot_x + max(bar, (row.target or 0) * scale) + 8, 1),
            )
        )
    axis_y = top + len(rows) * row_height + 2
    return Chart(
        width=plot_x + plot_width + 60,
        height=axis_y + 18,
        plot_x=plot_x,
        plot_width=plot_width,
        row_height=row_height,
        rows=chart_rows,
        ticks=[(plot_x + v * scale, v) for v in range(0, 101, 20)],
        thresholds=[(plot_x + b * scale, b) for b, _key in thresholds if 0 < b < 100],
        axis_y=axis_y,
    )


# HTML ------------------------------------------------------------------------------------------


def render_report_document(report: Report, *, inline_css: bool = False) -> str:
    """The report as a standalone HTML document (the PDF's source; `--format html`)."""
    with override(report.language):
        return render_to_string(
            "reports/report.html",
            {
                "report": report,
                "inline_css": _static_text("reports/report.css") if inline_css else "",
            },
        )


def _static_text(path: str) -> str:
    found = finders.find(path)
    return Path(found).read_text(encoding="utf-8") if found else ""


# PDF -------------------------------------------------------------------------------------------

# Relative and root-relative URLs in report HTML resolve against this private origin (.invalid
# never resolves); the fetcher maps it to static files without any network access.
BASE_URL = "https://report.iamm.invalid/"
ALLOWED_TYPES = {".css", ".ttf", ".otf", ".woff", ".woff2", ".svg", ".png", ".jpg", ".jpeg"}


class ResourceRefused(ValueError):
    pass


class StaticFilesFetcher(URLFetcher):
    """Serves the app's own static files to WeasyPrint and refuses everything else.

    Only `{BASE_URL}{STATIC_URL}…` is served, read from the static files finders (or
    STATIC_ROOT once collected). file:, data:, http(s): elsewhere and every other scheme raise,
    so nothing on the server's disk or network can end up in a PDF.
    """

    def __init__(self) -> None:
        # URLFetcher.__init__ installs urllib's network handlers (building an SSL context took 2 %
        # of each render); this fetcher never opens a URL, so it gets none of them.
        super(URLFetcher, self).__init__()
        self._fail_on_errors = False  # read by WeasyPrint's fetch(): refusals are warnings

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = static_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def static_prefix() -> str:
    """The path part of STATIC_URL ("/static/"), even when it names another host."""
    return "/" + urlsplit(settings.STATIC_URL).path.strip("/") + "/"


def static_path(url: str) -> Path:
    """The file a report URL names, or ResourceRefused."""
    base = urlsplit(BASE_URL)
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise ResourceRefused(f"Malformed URL: {url[:80]}") from exc
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise ResourceRefused(f"Only the app's static files can be used in reports: {url[:80]}")
    prefix = static_prefix()
    path = unquote(parts.path)
    if not path.startswith(prefix) or "\\" in path or "\x00" in path:
        raise ResourceRefused(f"Not a static file: {url[:80]}")
    relative = path[len(prefix) :]
    if posixpath.normpath(relative) != relative or relative.startswith(("/", "..")):
        raise ResourceRefused(f"Not a static file: {url[:80]}")
    if posixpath.splitext(relative)[1].lower() not in ALLOWED_TYPES:
        raise ResourceRefused(f"Not a file type reports use: {url[:80]}")
    try:
        found = finders.find(relative)
        if not found and settings.STATIC_ROOT:
            candidate = safe_join(str(settings.STATIC_ROOT), relative)
            found = candidate if Path(candidate).is_file() else None
    except SuspiciousFileOperation as exc:
        raise ResourceRefused(f"Not a static file: {url[:80]}") from exc
    if not found or not Path(found).is_file():
        raise ResourceRefused(f"No such static file: {url[:80]}")
    return Path(found)


STYLESHEET = "reports/report.css"
INTER_TAG_SPACE = re.compile(r">\s+<")
_thread = threading.local()


def _print_stylesheet(url_fetcher: URLFetcher) -> tuple[FontConfiguration, weasyprint.CSS]:
    """The report stylesheet, parsed once per thread with its fonts loaded.

    Parsing the CSS and loading its fonts took a tenth of each render; a font configuration
    must not be shared between threads, hence one per thread. Reloaded when the file changes.
    """
    path = Path(finders.find(STYLESHEET) or safe_join(str(settings.STATIC_ROOT), STYLESHEET))
    key = (str(path), path.stat().st_mtime_ns)
    cached = getattr(_thread, "stylesheet", None)
    if cached is None or cached[0] != key:
        font_config = FontConfiguration()
        css = weasyprint.CSS(
            url=urljoin(BASE_URL, static_prefix() + STYLESHEET),
            url_fetcher=url_fetcher,
            font_config=font_config,
        )
        cached = _thread.stylesheet = (key, font_config, css)
    return cached[1], cached[2]


def stylesheet_digest() -> str:
    path = finders.find(STYLESHEET)
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else ""


def html_to_pdf(html: str, *, url_fetcher: URLFetcher | None = None) -> bytes:
    """A tagged PDF (PDF/UA-1) of report HTML, styled by the report stylesheet, with no
    embedded attachments."""
    url_fetcher = url_fetcher or StaticFilesFetcher()
    font_config, css = _print_stylesheet(url_fetcher)
    # Template indentation is a tenth of the HTML and WeasyPrint's parser is pure Python; any
    # whitespace between two tags means the same as a single newline (user text is escaped, so
    # no "<" or ">" of its own can border the whitespace it keeps).
    html = INTER_TAG_SPACE.sub(">\n<", html)
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher).render(
        stylesheets=[css], font_config=font_config, **PDF_OPTIONS
    )
    # Attachments would copy files into the PDF; reports never have any, so drop whatever
    # <link rel=attachment> or <a rel=attachment> might have asked for.
    document.metadata.attachments = []
    for page in document.pages:
        page.links[:] = [link for link in page.links if link[0] != "attachment"]
    return document.write_pdf(**PDF_OPTIONS)


def stored_pdf(directory: str, language: str, html: str, *, revision: int | None = None) -> str:
    """The storage name of the PDF of `html`, rendering and storing it on first use.

    Named `<directory>/<language>[-r<revision>]-<digest of the HTML>.pdf`; older PDFs of the
    same directory and language are removed once the new one is stored.
    """
    source = f"{REPORT_FORMAT}\n{stylesheet_digest()}\n{html}"
    digest = hashlib.sha256(source.encode()).hexdigest()[:20]
    stem = language if revision is None else f"{language}-r{revision}"
    name = f"{directory}/{stem}-{digest}.pdf"
    if default_storage.exists(name):
        return name
    saved = default_storage.save(name, ContentFile(html_to_pdf(html)))
    if saved != name:
        # Another worker stored the same PDF meanwhile: keep theirs.
        default_storage.delete(saved)
    _remove_older(directory, language, keep=name)
    return name


def _remove_older(directory: str, language: str, *, keep: str) -> None:
    try:
        _dirs, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for filename in files:
        path = f"{directory}/{filename}"
        if path != keep and filename.startswith(f"{language}-") and filename.endswith(".pdf"):
            default_storage.delete(path)


def report_pdf(assessment: Assessment, language: str) -> str:
    """The storage name of the assessment's report PDF in `language`, rendered if needed."""
    with override(language):
        html = render_report_document(build_report(assessment))
    directory = f"{STORAGE_DIR}/assessment-{assessment.pk}"
    return stored_pdf(directory, language, html, revision=assessment.revision)


def report_filename(assessment: Assessment, extension: str) -> str:
    status = "" if assessment.is_validated else f"-{assessment.status}"
    return f"iamm-report-{assessment.country}-{assessment.cycle}{status}.{extension}"


# The blank questionnaire -----------------------------------------------------------------------


@dataclass
class Workbook:
    version: FrameworkVersion
    language: str
    understandings: list
    headings: list
    part_a_levels: list = field(default_factory=lambda: PART_A_LEVELS)
    part_b_levels: list = field(default_factory=lambda: PART_B_LEVELS)
    targets: list = field(default_factory=lambda: list(range(5)))
    priorities: list = field(default_factory=lambda: Answer.Priority.choices)


def build_workbook(version: FrameworkVersion) -> Workbook:
    """The questionnaire of a framework version, in four queries."""
    headings = list(
        version.headings.order_by("number").prefetch_related(
            Prefetch(
                "areas",
                queryset=PracticeArea.objects.order_by("order").prefetch_related(
                    Prefetch("practices", queryset=Practice.objects.order_by("order"))
                ),
            )
        )
    )
    return Workbook(
        version=version,
        language=get_language(),
        understandings=list(version.understandings.order_by("number")),
        headings=headings,
    )


def render_workbook_document(workbook: Workbook) -> str:
    with override(workbook.language):
        return render_to_string("reports/workbook.html", {"workbook": workbook})


def workbook_pdf(version: FrameworkVersion, language: str) -> str:
    with override(language):
        html = render_workbook_document(build_workbook(version))
    return stored_pdf(f"{STORAGE_DIR}/workbook-{version.code}", language, html)
