"""The regional report's data and renderings: the minimum group, anonymity, withdrawal,
figures against hand-computed values."""

from __future__ import annotations

import io
import json

import pytest
from django.utils.translation import override
from pypdf import PdfReader

from assessments.regional import report as regional
from assessments.regional import services
from tests.helpers import make_framework

from .helpers import coordinator_of, make_exercise, make_process, share, validated_assessment

pytestmark = pytest.mark.django_db

# Part B levels per State: heading 1 and heading 2 (two areas each, both at the level).
LEVELS = {"FR": ("0", "4"), "DE": ("1", "3"), "IT": ("2", "1"), "ES": ("4", "0")}


@pytest.fixture
def version():
    return make_framework("test-1", understandings=3, headings=2, areas=2)


@pytest.fixture
def exercise(version):
    process = make_process(["FR", "DE", "IT", "ES", "PT"], main_areas="Return; irregular flows")
    return make_exercise(process, version)


def share_states(exercise, version, countries, anonymous=()):
    shares = {}
    for country in countries:
        h1, h2 = LEVELS[country]
        assessment = validated_assessment(
            country, version=version, levels={1: h1, 2: h2}, understanding="3"
        )
        shares[country] = share(exercise, assessment, anonymous=country in anonymous)
    return shares


def build(exercise, language="en"):
    with override(language):
        return regional.build_regional_report(exercise)


def test_two_sharing_states_show_participation_only(exercise, version):
    share_states(exercise, version, ["FR", "DE"])
    report = build(exercise)
    assert report.participants_count == 2 and not report.has_figures
    assert all(row.figures is None and row.values == [] for row in report.headings)
    assert report.shared_gaps == [] and report.understandings == []
    data = regional.report_json(report)
    assert data["participants_count"] == 2
    assert all(
        row[key] is None for row in data["headings"] for key in ("n", "min", "median", "max")
    )
    html = regional.render_document(report)
    assert "participation only" in html and "<circle" not in html


def test_figures_match_hand_computed_values(exercise, version):
    share_states(exercise, version, ["FR", "DE", "IT", "ES"])
    data = regional.report_json(build(exercise))
    assert set(data) == {"participants_count", "headings", "shared_gaps"}
    assert data["participants_count"] == 4
    # Heading 1 scores 0, 25, 50, 100: Q1 at 0.75 → 18.75 → 18.8; median 37.5; Q3 at 2.25 →
    # 50 + 0.25·50 = 62.5.
    assert data["headings"][0] == {
        "number": 1, "title": "Heading 1", "n": 4,
        "min": 0, "q1": 18.8, "median": 37.5, "q3": 62.5, "max": 100,
    }  # fmt: skip
    # Heading 2 scores 100, 75, 25, 0: Q1 18.75, median 50, Q3 81.25.
    assert (data["headings"][1]["q1"], data["headings"][1]["median"]) == (18.8, 50)
    assert data["headings"][1]["q3"] == 81.3
    # Heading 1: 0 and 25 are below 40 (2 of 4): a shared gap; heading 2: 25 and 0 too.
    assert [gap["number"] for gap in data["shared_gaps"]] == [1, 2]


def test_common_flags_and_understanding_counts(exercise, version):
    share_states(exercise, version, ["FR", "DE", "IT", "ES"])
    report = build(exercise)
    # Every State answered CU 1 at 3, and CU 1 links to both headings: each State with a
    # heading below 40 is flagged (all four: 0, 25, 25, 0).
    cu1 = report.understandings[0]
    assert cu1.flagged == 4
    assert cu1.counts == [
        ("0", 0), ("1", 0), ("2", 0), ("3", 4), ("4", 0), ("Don't know", 0), ("Not answered", 0)
    ]  # fmt: skip


def test_a_withdrawn_share_leaves_the_figures(exercise, version):
    shares = share_states(exercise, version, ["FR", "DE", "IT"])
    assert build(exercise).has_figures
    services.share_withdraw(share=shares["IT"], user=coordinator_of("IT"))
    report = build(exercise)
    assert report.participants_count == 2 and not report.has_figures


def test_the_minimum_follows_the_setting_but_never_below_three(exercise, version, settings):
    share_states(exercise, version, ["FR", "DE", "IT"])
    settings.REGIONAL_MIN_SHARES = 4
    assert not build(exercise).has_figures
    settings.REGIONAL_MIN_SHARES = 1
    assert build(exercise).minimum == 3


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_an_anonymous_state_is_named_nowhere(exercise, version, language):
    share_states(exercise, version, ["FR", "DE", "IT", "ES"], anonymous=("ES",))
    report = build(exercise, language)
    html = regional.render_document(report)
    text = html + regional.render_json(report).decode()
    pdf = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(regional.render_pdf(report))).pages
    )
    with override(language):
        names = {str(report.scores[3].share.country.name), "Spain", "España", "Espagne"}
    assert "France" in pdf or "Francia" in pdf  # named States are, so the text is read
    for haystack in (text, pdf):
        for name in names:
            assert name not in haystack
        assert '"ES"' not in haystack and ">ES<" not in haystack
    assert report.named == sorted(report.named)
    assert report.anonymous_count == 1


def test_svg_numbers_are_never_localized(exercise, version):
    share_states(exercise, version, ["FR", "DE", "IT", "ES"])
    html = regional.render_document(build(exercise, "fr"))
    svg = html[html.index("<svg") : html.index("</svg>")]
    import re

    assert not re.search(r'="[^"]*\d,\d', svg)


def test_headings_matching_the_process_main_areas_are_marked(exercise, version):
    share_states(exercise, version, ["FR", "DE", "IT"])
    assert not any(row.on_agenda for row in build(exercise).headings)
    assert regional._matches("Return", regional._agenda_words("Return; irregular flows"))
    assert regional._matches("Irregular Migration", regional._agenda_words("irregular flows"))
    assert not regional._matches("Labour Migration", regional._agenda_words("migration policy"))


def test_a_sharing_state_sees_its_own_place(exercise, version):
    share_states(exercise, version, ["FR", "DE", "IT", "ES"])
    report = build(exercise)
    places = regional.own_places(report, "FR")
    assert [(p.number, p.score, p.place) for p in places] == [
        (1, 0, "lowest_quarter"),
        (2, 100, "highest_quarter"),
    ]
    assert regional.own_places(report, "PT") == []


def test_the_report_data_takes_a_constant_number_of_queries(
    exercise, version, django_assert_max_num_queries
):
    share_states(exercise, version, ["FR", "DE", "IT", "ES"])
    exercise = type(exercise).objects.select_related("process", "framework_version").get()
    with django_assert_max_num_queries(7):
        build(exercise)
    json.dumps(regional.report_json(build(exercise)))
