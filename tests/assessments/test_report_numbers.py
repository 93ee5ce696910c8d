"""The numbers of the report, in every language: the chart's geometry, one rounding, the bands.

The chart is read as an SVG reader reads it (an XML parser, each geometric attribute a number),
in the HTML report page and in the report document the PDF is made from. Scores whose exact
value ends in 5 at the second decimal (63.75, 51.25) are the ones a binary float gets wrong:
rounded once, half up, from the exact value, they show as 63.8 and 51.3, are banded as shown,
and a change is the difference of the shown scores.

The framework here has 20 Common Understandings and one heading of 20 areas, so every score is
a multiple of 1.25: 11 areas at level 3 and 9 at level 2 score exactly 63.75.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from PIL import ImageFont

from assessments.models import Assessment, User
from assessments.reports.chart import score_chart
from assessments.scoring import rules
from tests.assessments.test_reports import answer_all
from tests.helpers import make_assessment, make_framework, make_user
from tests.site_walk import client_in, walk

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SVG = "{http://www.w3.org/2000/svg}"
# Attributes that hold one number (SVG presentation and geometry, HTML sizes).
NUMBER_ATTRIBUTES = {
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height",
    "stroke-width", "font-size", "opacity", "fill-opacity", "stroke-opacity",
}  # fmt: skip
PATH_ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
LOCALIZED = re.compile(r"\d,\d|\d\u00a0\d|\d\u202f\d")


def levels(threes: int, twos: int) -> list[str]:
    return ["3"] * threes + ["2"] * twos


def scored_assessment(
    alice: User, *, part_a: list[str], part_b: list[str], cycle: int = 2026, **kwargs
) -> Assessment:
    version = kwargs.pop("framework_version", None) or make_framework(
        f"numbers-{cycle}", understandings=20, headings=1, areas=20
    )
    assessment = make_assessment(framework_version=version, created_by=alice, cycle=cycle, **kwargs)
    values = {f"CU{n}": {"level": level} for n, level in enumerate(part_a, start=1)}
    values |= {f"1.{n}": {"level": level} for n, level in enumerate(part_b, start=1)}
    answer_all(assessment, alice, values)
    return assessment


@pytest.fixture
def alice():
    return make_user("alice", role=User.Role.COORDINATOR)


@pytest.fixture
def assessment(alice):
    """Practice index 63.75 (heading 1), understanding index 51.25 (one 3, nineteen 2s)."""
    return scored_assessment(alice, part_a=levels(1, 19), part_b=levels(11, 9))


def report_page(user: User, assessment: Assessment, language: str) -> str:
    client = client_in(user, "en")
    url = reverse("assessments:report", args=[assessment.pk])
    response = client.get(url, {"lang": language})
    assert response.status_code == 200
    return response.content.decode()


def report_document(assessment: Assessment, language: str, tmp_path: Path) -> str:
    """The HTML the PDF is made from."""
    out = tmp_path / f"report-{language}.html"
    call_command(
        "export_report", str(assessment.pk), "--format", "html", "--lang", language, "-o", str(out)
    )
    return out.read_text(encoding="utf-8")


def section(html: str, name: str) -> str:
    match = re.search(rf'<section[^>]*\bid="{name}".*?</section>', html, re.S)
    assert match, f"no section {name}"
    return match.group(0)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


# The chart -------------------------------------------------------------------------------------


def check_path(d: str) -> None:
    """Every command of a path has whole groups of numbers (a decimal comma would split one
    number in two and shift every point after it)."""
    tokens = re.findall(rf"[a-zA-Z]|{NUMBER}|[^\s,]", d)
    command, count = None, 0
    for token in [*tokens, "z"]:
        if token.isalpha():
            if command is not None:
                arity = PATH_ARITY[command.lower()]
                assert (count == 0) if arity == 0 else (count and count % arity == 0), d
            command, count = token, 0
        else:
            assert re.fullmatch(NUMBER, token), f"{token!r} in path {d!r}"
            count += 1


def chart_of(html: str) -> ET.Element:
    match = re.search(r"<svg\b.*?</svg>", section(html, "chart"), re.S)
    assert match, "the report has no chart"
    return ET.fromstring(match.group(0))  # raises on anything that is not well-formed XML


def check_svg_numbers(svg: ET.Element) -> None:
    for element in svg.iter():
        for name, value in element.attrib.items():
            if name in NUMBER_ATTRIBUTES:
                assert re.fullmatch(NUMBER, value.strip()), f"{element.tag} {name}={value!r}"
                assert math.isfinite(float(value))
            elif name == "viewBox":
                parts = value.split()
                assert len(parts) == 4 and all(re.fullmatch(NUMBER, p) for p in parts), value
            elif name == "d":
                check_path(value)
            elif name == "stroke-dasharray":
                assert all(re.fullmatch(NUMBER, p) for p in value.split()), value


def bars(svg: ET.Element) -> list[float]:
    """The score each hatched bar draws, from its width and the plot's width (0 to 100)."""
    plot = max(
        float(line.get("x2")) - float(line.get("x1"))
        for line in svg.iter(f"{SVG}line")
        if line.get("y1") == line.get("y2")
    )
    return [
        100 * float(rect.get("width")) / plot
        for rect in svg.iter(f"{SVG}rect")
        if rect.get("fill", "").startswith("url(")
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("source", ["page", "document"])
def test_the_chart_is_valid_svg_with_plain_numbers_in_every_language(
    alice, assessment, language, source, tmp_path
):
    if source == "page":
        html = report_page(alice, assessment, language)
    else:
        html = report_document(assessment, language, tmp_path)
    svg = chart_of(html)
    check_svg_numbers(svg)
    assert bars(svg) == [pytest.approx(63.8, abs=0.05)]  # the bar draws the shown score
    thresholds = sorted(
        float(line.get("x1")) for line in svg.iter(f"{SVG}line") if line.get("stroke-dasharray")
    )
    plot = 360
    assert [round(100 * x / plot) for x in thresholds] == sorted(
        bound for bound, _key in settings.SCORE_BANDS if 0 < bound < 100
    )


# (score, target): equal, close on either side, at the ends of the scale, one or both missing.
LABEL_CASES = [
    (75, 75), (74.9, 75), (75, 74.9), (73.6, 75), (50, 60), (100, 100), (99.9, 100),
    (0, 0), (0, 100), (100, None), (None, 100), (None, None), (40, 41.5),
]  # fmt: skip
# At 80 dpi a diamond 3 px from a number reads as touching it.
CLEARANCE = 4


def x_extent(d: str) -> tuple[float, float]:
    """Leftmost and rightmost x of a path of absolute M and relative l commands."""
    x, xs = 0.0, []
    for command, dx, _dy in re.findall(rf"([Ml])\s*({NUMBER}),({NUMBER})", d):
        x = float(dx) if command == "M" else x + float(dx)
        xs.append(x)
    return min(xs), max(xs)


def chart_svg(cases: list, language: str) -> ET.Element:
    rows = [
        SimpleNamespace(
            heading=SimpleNamespace(number=n, title="Heading"),
            score=None if score is None else rules.rounded(Decimal(str(score))),
            target=None if target is None else rules.rounded(Decimal(str(target))),
        )
        for n, (score, target) in enumerate(cases, start=1)
    ]
    with translation.override(language):
        html = render_to_string(
            "reports/_chart.html", {"chart": score_chart(rows, settings.SCORE_BANDS)}
        )
    return chart_of(html)


def backing_of(svg: ET.Element, baseline: float) -> tuple[float, float] | None:
    """The x extent of the white rectangle behind the label written on `baseline`."""
    for rect in svg.findall(f"{SVG}rect[@fill='#ffffff']"):
        top, x = float(rect.get("y")), float(rect.get("x"))
        if top <= baseline - 9 and top + float(rect.get("height")) >= baseline + 2:
            return x, x + float(rect.get("width"))
    return None


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_score_label_is_clear_of_its_target_diamond_and_of_the_threshold_lines(language):
    svg = chart_svg(LABEL_CASES, language)
    check_svg_numbers(svg)
    width = float(svg.get("width"))
    font = ImageFont.truetype(finders.find("reports/fonts/NotoSans-Regular.ttf"), 11)
    thresholds = [float(e.get("x1")) for e in svg.findall(f"{SVG}line[@stroke-dasharray]")]
    diamonds = {  # the target's diamond by its top, 13 px above its row's label baseline
        float(re.match(rf"M{NUMBER},({NUMBER})", path.get("d")).group(1)): path.get("d")
        for path in svg.findall(f"{SVG}path")
    }
    labels = [e for e in svg.findall(f"{SVG}text") if e.get("text-anchor") is None]  # no ticks
    for (score, target), label in zip(LABEL_CASES, labels, strict=True):
        case = f"score {score}, target {target} ({language})"
        with translation.override(language):
            shown = "–" if score is None else formats.number_format(Decimal(str(score)), 1)
        assert label.text == shown, case
        left, baseline = float(label.get("x")), float(label.get("y"))
        right = left + font.getlength(label.text)
        assert right <= width, f"{case}: the label runs off the chart"
        backing = backing_of(svg, baseline)
        diamond = diamonds.get(baseline - 13)
        assert (diamond is None) == (target is None), case
        if diamond:
            d_left, d_right = x_extent(diamond)
            assert d_right + CLEARANCE <= left or right + CLEARANCE <= d_left, (
                f"{case}: label {left:.1f}–{right:.1f}, diamond {d_left:.1f}–{d_right:.1f}"
            )
            if backing:
                assert d_right <= backing[0] or backing[1] <= d_left, f"{case}: diamond hidden"
        for x in thresholds:  # a dashed line under the number is hidden by the white backing
            if left - 1 <= x <= right + 1:
                assert backing and backing[0] <= left - 1 and backing[1] >= right + 1, (
                    f"{case}: the threshold line at {x} crosses the label"
                )


def test_the_path_check_catches_a_decimal_comma():
    check_path("M288.5,12 l5,8.5 l-5,8.5 l-5,-8.5 z")
    with pytest.raises(AssertionError):
        check_path("M288,5,12 l5,8,5 l-5,8,5 l-5,-8,5 z")


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self.kinds: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        kind = dict(attrs).get("type", "")
        for name, value in attrs:
            if value is None:
                continue
            numeric = name in NUMBER_ATTRIBUTES or name in ("viewbox", "style", "min", "max")
            numeric |= name.startswith("data-")
            numeric |= name == "value" and kind in ("number", "range", "date", "hidden")
            if numeric:
                self.found.append((tag, name, value))


def localized_attributes(html: str) -> list[str]:
    parser = _Attributes()
    parser.feed(html)
    return [f"<{t} {n}={v!r}>" for t, n, v in parser.found if LOCALIZED.search(v)]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_no_number_written_into_an_attribute_is_localized_on_any_page(
    alice, assessment, language, tmp_path
):
    client = client_in(alice, language)
    found = []
    for path, _page in walk(client).items():
        html = client.get(path).content.decode()
        found += [f"{path}: {attribute}" for attribute in localized_attributes(html)]
    for html in (
        report_page(alice, assessment, language),
        report_document(assessment, language, tmp_path),
    ):
        found += localized_attributes(html)
    assert found == []


# One rounding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "practice", "understanding"),
    [("en", "63.8", "51.3"), ("fr", "63,8", "51,3"), ("es", "63,8", "51,3")],
)
def test_scores_ending_in_5_are_rounded_half_up_everywhere_they_are_shown(
    alice, assessment, language, practice, understanding, tmp_path
):
    for html in (
        report_page(alice, assessment, language),
        report_document(assessment, language, tmp_path),
    ):
        summary = text(section(html, "summary"))
        assert practice in summary and understanding in summary
        assert "63,7" not in summary and "63.7" not in summary
        headings = text(section(html, "headings"))
        assert headings.count(practice) == 2  # heading 1 and the practice index


BAND_CASES = {  # heading score: (levels of its 20 areas, band of SDG indicator 10.7.2)
    100.0: (["4"] * 20, "Fully meets"),
    98.75: (["4"] * 19 + ["3"], "Meets"),
    80.0: (["4"] * 16 + ["0"] * 4, "Meets"),
    78.75: (["4"] * 15 + ["3"] + ["0"] * 4, "Partially meets"),
    40.0: (["4"] * 8 + ["0"] * 12, "Partially meets"),
    38.75: (["4"] * 7 + ["3"] + ["0"] * 12, "Requires further progress"),
}


def test_bands_are_those_of_sdg_indicator_10_7_2(alice):
    """Below 40, 40 to below 80, 80 to below 100, and exactly 100."""
    version = make_framework("numbers-bands", understandings=1, headings=len(BAND_CASES), areas=20)
    assessment = make_assessment(framework_version=version, created_by=alice)
    values = {}
    for heading, (area_levels, _band) in enumerate(BAND_CASES.values(), start=1):
        values |= {f"{heading}.{n}": {"level": lv} for n, lv in enumerate(area_levels, start=1)}
    answer_all(assessment, alice, values)
    table = section(report_page(alice, assessment, "en"), "headings")
    for heading, (score, (_levels, band)) in enumerate(BAND_CASES.items(), start=1):
        row = re.search(rf'<th scope="row">{heading}\. Heading {heading}</th>.*?</tr>', table, re.S)
        shown_row = text(row.group(0))
        assert shown_row.startswith(f"{heading}. Heading {heading} {score:.1f} {band} "), shown_row


def test_the_scoring_page_gives_the_sdg_10_7_2_thresholds(client):
    page = text(client.get(reverse("assessments:scoring")).content.decode())
    for row in (
        "Fully meets exactly 100",
        "Meets 80 to below 100",
        "Partially meets 40 to below 80",
        "Requires further progress below 40",
    ):
        assert row in page
    assert "63.75 is shown as 63.8" in page


def shown(value: str) -> float:
    return float(value.replace(",", ".").replace("+", "").replace("−", "-"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_change_is_the_difference_of_the_shown_scores(alice, language):
    """62.5 then exactly 63.75: the change is 63.8 − 62.5 = +1.3, not 63.7 beside +1.3."""
    version = make_framework("numbers-change", understandings=20, headings=1, areas=20)
    previous = scored_assessment(
        alice, part_a=levels(10, 10), part_b=levels(10, 10), cycle=2025, framework_version=version
    )
    Assessment.objects.filter(pk=previous.pk).update(status=Assessment.Status.VALIDATED)
    current = scored_assessment(
        alice,
        part_a=levels(1, 19),
        part_b=levels(11, 9),
        framework_version=version,
        previous=previous,
    )
    table = section(report_page(alice, current, language), "change")
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    assert len(rows) == 3  # the two indices and heading 1
    for _name, cells in rows:
        before, now, change = (text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S))
        assert round(shown(now) - shown(before), 1) == shown(change), (before, now, change)
    practice = [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", rows[0][1], re.S)]
    decimal = "." if language == "en" else ","
    assert practice == [f"62{decimal}5", f"63{decimal}8", f"+1{decimal}3"]


@pytest.mark.parametrize(
    ("language", "column", "edit"),
    [("fr", "Évolution", "Modifier"), ("es", "Variación", "Modificar")],
)
def test_the_change_column_reads_as_a_change_not_as_an_edit_link(alice, language, column, edit):
    version = make_framework("numbers-column", understandings=1, headings=1, areas=1)
    previous = scored_assessment(
        alice, part_a=["2"], part_b=["2"], cycle=2025, framework_version=version
    )
    current = scored_assessment(
        alice, part_a=["3"], part_b=["3"], framework_version=version, previous=previous
    )
    table = text(section(report_page(alice, current, language), "change"))
    assert column in table
    assert edit not in table


def test_report_templates_never_round_a_score_again():
    """Scores reach the templates rounded (`scoring.rounded`); another rounding would show
    63.8 as 64 beside a band computed from 63.8."""
    found = []
    for path in (Path(settings.BASE_DIR) / "templates" / "reports").glob("*.html"):
        for match in re.finditer(r"\{\{\s*([\w.]+)\|floatformat(?::(\w+))?", path.read_text()):
            value, places = match.groups()
            if places != "1" and not value.endswith("coverage.percent"):
                found.append(f"{path.name}: {match.group(0)}")
    assert found == []


def test_the_summary_says_how_many_heading_scores_the_index_is_the_mean_of(alice):
    version = make_framework("numbers-partial", understandings=2, headings=3, areas=1)
    assessment = make_assessment(framework_version=version, created_by=alice)
    answer_all(assessment, alice, {"1.1": {"level": "2"}, "2.1": {"level": "4"}})
    summary = text(section(report_page(alice, assessment, "en"), "summary"))
    assert "mean of the 2 scored heading scores" in summary
    assert "mean of the 3 heading scores" not in summary
