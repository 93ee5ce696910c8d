"""Gap-analysis reports: the data, the HTML page, the PDF read back, the renderer's safety.

Alice coordinates Demoland's assessment; Carol only reads it; Dave coordinates another country
and must not learn that Demoland's reports exist.

The scenario (a small framework: CU1–CU3; heading 1 with areas 1.1, 1.2; heading 2 with 2.1, 2.2;
CU1 linked to both headings), worked out by hand:
- 1.1 at level 1 (target 4, high priority), 1.2 not applicable: heading 1 scores 25.0.
- 2.1 at level 3 (target 4, no priority), 2.2 don't know: heading 2 scores 75.0.
- Practice index (25 + 75) / 2 = 50.0; CU1 = 4, CU2 = 2, CU3 don't know: understanding index
  100 × (1 + 0.5) / 2 = 75.0.
- Gaps: 1.1 (high, 3 levels) before 2.1 (no priority, 1 level).
- CU1 answered 4 but heading 1 scores 25 < 40: a commitment–practice gap.
- Data gaps: 2.2 and CU3. Coverage: 4 scored of 6 applicable items.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from decimal import Decimal
from html import unescape
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext, override
from pypdf import PdfReader

from assessments.models import Answer, Assessment, PdfRender, User
from assessments.questionnaire import services
from assessments.questionnaire.part_c import part_c_answers_save, part_c_include
from assessments.reports import data, html, pdf, queue
from assessments.reports.chart import LABEL_CHARS, heading_lines, label_x
from tests.helpers import make_agency, make_assessment, make_framework, make_user

pytestmark = pytest.mark.django_db

SCENARIO: dict[str, dict[str, Any]] = {
    "CU1": {"level": "4", "evidence": "National Migration Policy 2021"},
    "CU2": {"level": "2"},
    "CU3": {"level": "dk"},
    "1.1": {"level": "1", "target": 4, "priority": "high", "planned_action": "Draft a decree"},
    "1.2": {"level": "na", "na_justification": "No such movements."},
    "2.1": {"level": "3", "target": 4},
    "2.2": {"level": "dk"},
}

# The report's sections, in order; the annexes are titled "Annex 1: …" and "Annex 2: …" in the
# PDF's bookmarks.
SECTIONS = (
    "Executive summary",
    "Heading scores against their targets",
    "Scores by heading",
    "Ranked gaps",
    "Action plan by responsible agency",
    "Common Understandings alignment",
    "Data gaps",
    "Change since the previous cycle",
)
ANNEXES = ("How scores are calculated", "All answers")

HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    "<style>@import url(file:///etc/passwd)</style>",
    "url(http://127.0.0.1:9/x)",
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def answer_all(assessment: Assessment, user: User, values: dict[str, dict[str, Any]]) -> None:
    """Save answers through the service, keyed by item code ("CU1", "1.2")."""
    updates = []
    for answer in assessment.answers.select_related("area", "understanding"):
        code = f"CU{answer.understanding.number}" if answer.understanding_id else answer.area.code
        if code in values:
            updates.append((answer, answer.version, values[code]))
    services.answers_save(assessment=assessment, updates=updates, user=user)


def scenario_assessment(alice: User, *, cycle: int = 2026, **kwargs) -> Assessment:
    version = kwargs.pop("framework_version", None) or make_framework(f"test-{cycle}")
    assessment = make_assessment(framework_version=version, created_by=alice, cycle=cycle, **kwargs)
    answer_all(assessment, alice, SCENARIO)
    return Assessment.objects.select_related("framework_version").get(pk=assessment.pk)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def stored_pdf(assessment: Assessment, language: str = "en", kind: str = "report") -> bytes:
    name = queue.report_file(assessment=assessment, language=language, kind=kind)
    with default_storage.open(name, "rb") as pdf:
        return pdf.read()


_scenario_pdf: list[bytes] = []


def scenario_pdf(assessment: Assessment) -> bytes:
    """The untouched scenario's English PDF, rendered once for the tests that only read it."""
    if not _scenario_pdf:
        _scenario_pdf.append(stored_pdf(assessment))
    return _scenario_pdf[0]


def scenario_team() -> dict[str, User]:
    """Alice coordinates Demoland, Carol only reads it, Dave coordinates France."""
    return {
        "alice": make_user("alice", role=User.Role.COORDINATOR),
        "carol": make_user("carol", role=User.Role.VIEWER),
        "dave": make_user("dave", country="FR", role=User.Role.COORDINATOR),
    }


@pytest.fixture
def team():
    return scenario_team()


@pytest.fixture
def assessment(team):
    agency = make_agency("QZ", "Ministry of Labour")
    return scenario_assessment(team["alice"], agencies=[agency])


# The report's data -----------------------------------------------------------------------------


def test_the_report_data_matches_the_hand_computed_scenario(assessment):
    with override("en"):
        report = data.build_report(assessment)
    assert [row.score for row in report.headings] == [25.0, 75.0]
    assert [row.band for row in report.headings] == ["requires_progress", "partially_meets"]
    assert report.practice_index == 50.0
    assert report.practice_band == "partially_meets"
    assert report.understanding_band == "partially_meets"  # SDG 10.7.2: 40 to below 80
    assert report.understanding_index == 75.0
    assert (report.coverage.scored, report.coverage.applicable) == (4, 6)
    assert [(g.item.code, g.levels) for g in report.gaps] == [("1.1", 3), ("2.1", 1)]
    assert report.gap_counts == {"high": 1, "medium": 0, "low": 0, "none": 1}
    assert [(u.item.code, u.flag.weak_headings) for u in report.coherence] == [("CU1", (1,))]
    assert [a.code for a in report.data_gaps] == ["CU3", "2.2"]
    assert [(p.agency, [e.item.code for e in p.items]) for p in report.action_plan] == [
        (None, ["1.1", "2.1"])
    ]


def test_custom_thresholds_change_the_bands_and_the_coherence_flags(assessment):
    custom = [(90, "fully_meets"), (70, "meets"), (20, "partially_meets"), (0, "requires_progress")]
    with override("en"):
        report = data.build_report(assessment, thresholds=custom)
    assert [row.band for row in report.headings] == ["partially_meets", "meets"]
    assert report.coherence == []  # heading 1 (25) is above the custom floor of 20


def test_building_the_report_data_takes_the_same_number_of_queries_whatever_its_size(team):
    small = make_assessment(
        framework_version=make_framework("small", understandings=2, headings=1, areas=1),
        created_by=team["alice"],
        cycle=2030,
    )
    large = make_assessment(
        framework_version=make_framework("large", understandings=12, headings=8, areas=5),
        created_by=team["alice"],
        cycle=2031,
    )
    services.comment_add(answer=large.answers.first(), author=team["alice"], text="Checked.")
    counts = []
    for assessment in (small, large):
        assessment = Assessment.objects.select_related("framework_version").get(pk=assessment.pk)
        with CaptureQueriesContext(connection) as queries, override("en"):
            data.build_report(assessment)
        counts.append(len(queries))
    assert large.answers.count() == 12 + 8 * 5
    assert counts[0] == counts[1] <= 12


def test_the_lens_sections_take_the_same_number_of_queries_whatever_their_size(team):
    small = make_assessment(
        framework_version=make_framework("small-l", headings=2, areas=1, lenses=True),
        created_by=team["alice"],
        cycle=2030,
    )
    large = make_assessment(
        framework_version=make_framework("large-l", headings=8, areas=5, lenses=True),
        created_by=team["alice"],
        cycle=2031,
    )
    part_c_include(assessment=large)
    counts, sizes = [], []
    for assessment in (small, large):
        assessment = Assessment.objects.select_related("framework_version").get(pk=assessment.pk)
        with CaptureQueriesContext(connection) as queries, override("en"):
            report = data.build_report(assessment)
        counts.append(len(queries))
        sizes.append((len(report.gcm), len(report.sdg), report.sdg_official is not None))
    assert sizes == [(23, 6, False), (23, 6, True)]
    assert counts[0] == counts[1] <= 12


def test_the_change_since_the_previous_cycle_compares_heading_by_heading(team):
    version = make_framework("cycles")
    previous = scenario_assessment(team["alice"], cycle=2024, framework_version=version)
    current = make_assessment(
        framework_version=version,
        created_by=team["alice"],
        cycle=2026,
        previous=previous,
        copy_answers=True,
    )
    answer_all(current, team["alice"], {"1.1": {"level": "3"}})  # heading 1: 25 → 75
    current = Assessment.objects.select_related("framework_version").get(pk=current.pk)
    with override("en"):
        report = data.build_report(current)
    assert [(row.previous, row.score, row.change) for row in report.headings] == [
        (25.0, 75.0, 50.0),
        (75.0, 75.0, 0.0),
    ]
    assert report.practice_index_change == 25.0
    assert [row.number for row in report.changed_headings] == [1]


# The HTML page and who may see it --------------------------------------------------------------


def test_a_viewer_of_the_country_reads_the_report_page(team, assessment):
    response = client_for(team["carol"]).get(reverse("assessments:report", args=[assessment.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for section in SECTIONS + ANNEXES:
        assert section in html
    assert "<svg" in html and '<title id="chart-title">' in html
    assert " style=" not in html.split('<main id="main"', 1)[1]  # CSP: no inline styles
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("assessments:report", []),
        ("assessments:report_pdf", []),
        ("assessments:export", ["csv"]),
        ("assessments:export", ["xlsx"]),
        ("assessments:export", ["json"]),
    ],
)
def test_another_countrys_reports_and_exports_answer_404(team, assessment, name, args):
    url = reverse(name, args=[assessment.pk, *args])
    assert client_for(team["dave"]).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "args"),
    [("assessments:report", []), ("assessments:report_pdf", []), ("assessments:export", ["csv"])],
)
def test_anonymous_visitors_are_sent_to_sign_in(assessment, name, args):
    url = reverse(name, args=[assessment.pk, *args])
    response = Client().get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_report_language_is_chosen_independently_of_the_interface(team, assessment):
    client = client_for(team["carol"])
    url = reverse("assessments:report", args=[assessment.pk])
    html = client.get(url, {"lang": "fr"}).content.decode()
    assert '<div class="report report-page" lang="fr">' in html
    assert "50,0" in html  # French decimal comma for the practice index
    assert '<html lang="en">' in html  # the interface stays in English
    html = client.get(url, {"lang": "xx"}).content.decode()
    assert 'lang="en">' in html


def test_the_scoring_method_page_is_public_and_shows_the_configured_thresholds(settings):
    settings.SCORE_BANDS = [(75, "fully_meets"), (50, "meets"), (25, "partially_meets"), (0, "x")]
    response = Client().get(reverse("assessments:scoring"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "How scores are calculated" in html
    assert "75 and above" in html and "below 25" in html


# The PDF, read back ----------------------------------------------------------------------------


def test_the_pdf_has_the_country_the_indices_and_the_gaps_in_order(team, assessment):
    response = client_for(team["carol"]).get(
        reverse("assessments:report_pdf", args=[assessment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    text = flat(pdf_text(pdf))
    assert "Demoland (fictional demo country)" in text
    assert "Practice index 50.0 Partially meets" in text
    assert "Understanding index 75.0 Partially meets" in text
    gaps = text.split("Ranked gaps", 1)[1].split("Action plan by responsible agency", 1)[0]
    assert gaps.index("1.1 Area 1.1") < gaps.index("2.1 Area 2.1")
    assert "Commitment–practice gap" in text
    assert "DRAFT" in text
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert f"2 / {pages}" in text  # page numbers, from the page after the cover


def test_only_drafts_carry_the_draft_mark(team, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.VALIDATED)
    assessment.refresh_from_db()
    text = pdf_text(stored_pdf(assessment))
    assert "DRAFT" not in text
    assert "Validated" in text


def test_the_pdf_is_tagged_titled_in_its_language_and_bookmarked(assessment):
    reader = PdfReader(io.BytesIO(scenario_pdf(assessment)))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()
    assert reader.metadata.title == "Gap-analysis report – Demoland (fictional demo country) – 2026"

    def titles(outline) -> list[str]:
        found = []
        for item in outline:
            found += titles(item) if isinstance(item, list) else [item.title]
        return found

    bookmarks = titles(reader.outline)
    annexes = tuple(f"Annex {number}: {title}" for number, title in enumerate(ANNEXES, 1))
    for section in SECTIONS + annexes:
        assert section in bookmarks


def test_the_pdf_embeds_the_fonts_shipped_with_the_app(assessment):
    reader = PdfReader(io.BytesIO(scenario_pdf(assessment)))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[font["/BaseFont"].split("+", 1)[1]] = "/FontFile2" in descriptor.get_object()
    assert fonts and all(name.startswith("Noto-Sans") for name in fonts)
    assert all(fonts.values())  # embedded


def test_french_and_spanish_text_is_drawn_with_the_shipped_font(team, assessment):
    answer_all(assessment, team["alice"], {"2.1": {"evidence": "Décret n° 12 – año ¿señal? Œuvre"}})
    assessment.refresh_from_db()
    pdf = stored_pdf(assessment, "es")
    assert "Décret n° 12 – año ¿señal? Œuvre" in pdf_text(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "es"
    names = {
        font.get_object()["/BaseFont"].split("+", 1)[1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert all(name.startswith("Noto-Sans") for name in names)


# Rendered once per revision ---------------------------------------------------------------------


def test_a_pdf_is_rendered_once_and_served_from_storage_until_the_answers_change(
    team, assessment, monkeypatch
):
    renders = []
    real = queue.bytes_before  # the render runs in a child process: count in this one
    monkeypatch.setattr(
        queue, "bytes_before", lambda make, **kw: renders.append(1) or real(make, **kw)
    )
    first = queue.report_file(assessment=assessment, language="en")
    assert queue.report_file(assessment=assessment, language="en") == first
    assert len(renders) == 1
    assert f"assessment-{assessment.pk}/report-en-r{assessment.revision}-" in first

    answer_all(assessment, team["alice"], {"2.1": {"level": "4"}})
    assessment.refresh_from_db()
    second = queue.report_file(assessment=assessment, language="en")
    assert second != first
    assert len(renders) == 2
    assert not default_storage.exists(first)  # the stale one is gone
    assert "Practice index 62.5" in flat(pdf_text(stored_pdf(assessment)))


def test_a_status_change_without_new_answers_is_not_served_stale(team, assessment):
    draft = queue.report_file(assessment=assessment, language="en")
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.IN_REVIEW)
    assessment.refresh_from_db()
    in_review = queue.report_file(assessment=assessment, language="en")
    assert in_review != draft
    assert "DRAFT" not in pdf_text(stored_pdf(assessment))


# Safety of the renderer -------------------------------------------------------------------------


class RecordingFetcher(pdf.StaticFilesFetcher):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.urls: list[str] = []

    def fetch(self, url, headers=None):
        self.urls.append(url)
        return super().fetch(url, headers)


def test_hostile_user_text_comes_out_as_plain_text_and_fetches_nothing(team, assessment):
    evidence = "\n".join(HOSTILE)
    comment_answer = assessment.answers.get(area__code="2.1")
    answer_all(assessment, team["alice"], {"1.1": {"evidence": evidence}})
    services.comment_add(answer=comment_answer, author=team["alice"], text=HOSTILE[0])
    assessment.refresh_from_db()
    with override("en"):
        document = html.render_report_document(data.build_report(assessment))
    assert "<img" not in document and 'rel="attachment"' not in document
    assert "<style" not in document
    # Long runs without a space carry invisible break opportunities (report_tags.breakable).
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in document.replace("\u200b", "")

    pdf._thread.__dict__.clear()  # so the stylesheet's own fetches are recorded too
    fetcher = RecordingFetcher()
    rendered = pdf.html_to_pdf(document, url_fetcher=fetcher)
    assert fetcher.urls  # the stylesheet and its fonts
    assert all(url.startswith(pdf.BASE_URL + "static/reports/") for url in fetcher.urls)
    text = flat(pdf_text(rendered)).replace("\u200b", "")
    for payload in HOSTILE:
        assert payload in text
    assert_no_attachments(rendered)


def test_the_fetcher_refuses_everything_but_static_files_even_in_raw_html():
    # A second line of defence: HTML that escaped escaping still cannot read files or the network.
    raw = (
        '<html lang="en"><head><title>t</title>'
        "<style>@import url(file:///etc/passwd);"
        " p { background: url(http://127.0.0.1:9/x) }</style>"
        '<link rel="attachment" href="file:///etc/passwd"></head><body>'
        '<p>x</p><img src="file:///etc/passwd" alt="">'
        '<img src="https://example.org/static/reports/report.css" alt="">'
        '<a rel="attachment" href="/static/reports/report.css">a</a>'
        '<img src="data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22/%3E" alt="">'
        "</body></html>"
    )
    fetcher = RecordingFetcher()
    rendered = pdf.html_to_pdf(raw, url_fetcher=fetcher)
    assert "file:///etc/passwd" in fetcher.urls  # asked for, and refused
    assert "root:" not in pdf_text(rendered)
    assert b"root:x:0:0" not in rendered
    assert_no_attachments(rendered)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.org/static/reports/report.css",
        "data:text/css,p{}",
        "ftp://example.org/x.css",
        pdf.BASE_URL + "etc/passwd",
        pdf.BASE_URL + "static/../../../../etc/passwd",
        pdf.BASE_URL + "static/reports/%2e%2e/%2e%2e/%2e%2e/iamm/settings.py",
        pdf.BASE_URL + "static/reports/..%2f..%2fREADME.md",
        pdf.BASE_URL + "static/nothing-here.css",
        pdf.BASE_URL + "static/js/app.js",  # a static file, but not a type reports use
    ],
)
def test_the_fetcher_refuses_urls_outside_the_static_files(url):
    with pytest.raises(pdf.ResourceRefused):
        pdf.static_path(url)


def test_the_fetcher_serves_the_reports_own_static_files():
    path = pdf.static_path(pdf.BASE_URL + "static/reports/report.css")
    assert path.name == "report.css"
    response = pdf.StaticFilesFetcher()(pdf.BASE_URL + "static/reports/report.css")
    assert response.content_type == "text/css"


def test_the_fetcher_has_no_network_handlers_to_fall_back_on():
    # Even a caller going around `fetch` to urllib's own `open` finds no way out.
    fetcher = pdf.StaticFilesFetcher()
    assert fetcher.handlers == []
    with pytest.raises(pdf.ResourceRefused):
        fetcher.open("http://127.0.0.1:9/x")


def assert_no_attachments(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    names = reader.trailer["/Root"].get("/Names", {})
    assert "/EmbeddedFiles" not in names
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            assert annotation.get_object().get("/Subtype") != "/FileAttachment"
    assert b"/EmbeddedFile" not in pdf


# The blank questionnaire ----------------------------------------------------------------------


def test_the_blank_questionnaire_has_every_question_scale_guidance_and_space(client):
    version = make_framework("blank-1", understandings=2, headings=2, areas=2)
    response = client.get(reverse("assessments:blank_pdf", args=[version.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(b"".join(response.streaming_content)))
    for expected in (
        "Understanding 1",
        "Understanding 2",
        "1. Heading 1",
        "2.2 Area 2.2",
        "Guidance: Guidance 2.2",
        "0 – Not reflected",
        "4 – Fully implemented and periodically reviewed",
        "Not applicable",
        "Don't know",
        "Target level",
        "Responsible agency",
        "Evidence",
    ):
        assert expected in text


def test_draft_framework_versions_have_no_blank_questionnaire(client):
    from iamm.models import FrameworkVersion

    FrameworkVersion.objects.create(code="unpublished", title="Not yet")
    response = client.get(reverse("assessments:blank_pdf", args=["unpublished"]))
    assert response.status_code == 404


def test_every_answer_is_in_the_full_answers_annex(assessment):
    text = flat(pdf_text(scenario_pdf(assessment)))
    annex = text.split("Annex 2: All answers", 1)[1]
    for code in (
        "Common Understanding 1",
        "Common Understanding 3",
        "1.1 Area 1.1",
        "2.2 Area 2.2",
    ):
        assert code in annex
    assert "Why it does not apply: No such movements." in annex
    assert "Planned action: Draft a decree" in annex
    assert Answer.objects.filter(assessment=assessment).count() == 7


# The GCM and SDG 10.7.2 lens sections -----------------------------------------------------------

LENS_STRINGS = (
    "Global Compact for Migration: the IAMM results by objective",
    "SDG indicator 10.7.2: the six policy domains",
    "Not assessed by the IAMM",
    "UN method (Part C)",
)


@pytest.fixture
def lens_assessment(team):
    """The scenario (heading 1 scores 25, heading 2 scores 75) on a framework with lenses, with
    Part C answered as in test_part_c (domain 1: 60 by the UN method)."""
    from tests.assessments.test_part_c import EXAMPLE

    version = make_framework("lenses-r", lenses=True)
    assessment = scenario_assessment(team["alice"], framework_version=version)
    part_c_include(assessment=assessment)
    part_c_answers_save(assessment=assessment, values=EXAMPLE, user=team["alice"])
    return assessment


def translated(language: str) -> list[str]:
    with override(language):
        strings = [gettext(s) for s in LENS_STRINGS]
    if language != "en":
        assert not set(strings) & set(LENS_STRINGS), f"untranslated in {language}"
    return strings


def test_the_lens_data_is_read_through_the_headings_scores(lens_assessment):
    with override("en"):
        report = data.build_report(lens_assessment)
    assert [(r.number, r.lens.status, r.lens.shown) for r in report.gcm[:4]] == [
        (1, "scored", Decimal("25.0")),  # heading 1 primary; heading 2 only secondary
        (2, "scored", Decimal("75.0")),
        (3, "not_assessed", None),  # a secondary link alone gives no score
        (4, "not_assessed", None),
    ]
    assert [r.indication.shown for r in report.sdg[:3]] == [Decimal("50.0"), Decimal("75.0"), None]
    assert [r.official.shown for r in report.sdg] == [
        Decimal(v) for v in ("60.0", "100.0", "60.0", "80.0", "40.0", "0.0")
    ]
    assert report.sdg_official.shown == Decimal("56.7")


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_lens_sections_are_in_the_report_page_in_each_language(team, lens_assessment, language):
    url = reverse("assessments:report", args=[lens_assessment.pk])
    html = client_for(team["carol"]).get(url, {"lang": language}).content.decode()
    for text in translated(language):
        assert text in unescape(html)
    gcm = html.split('id="gcm"', 1)[1].split("</section>", 1)[0]
    assert gcm.count("<tr>") == 1 + 23
    assert "1 (25" in gcm and "2 (75" in gcm  # the linked headings with their scores
    sdg = html.split('id="sdg"', 1)[1].split("</section>", 1)[0]
    assert "60,0" in sdg if language != "en" else "60.0" in sdg


def test_a_report_without_part_c_shows_no_un_method_column(team, assessment):
    version = make_framework("lenses-n", lenses=True)
    plain = scenario_assessment(team["alice"], framework_version=version, cycle=2027)
    html = client_for(team["carol"]).get(reverse("assessments:report", args=[plain.pk]))
    html = html.content.decode()
    assert "Not assessed by the IAMM" in html
    assert "UN method (Part C)" not in html
    # The scenario framework has no lens content: no empty sections.
    html = client_for(team["carol"]).get(reverse("assessments:report", args=[assessment.pk]))
    assert 'id="gcm"' not in html.content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_lens_sections_are_in_the_pdf_in_each_language(lens_assessment, language):
    text = flat(pdf_text(stored_pdf(lens_assessment, language)))
    for expected in translated(language):
        assert flat(expected) in text


# Two editions: the summary for a minister, the full report for the team -----------------------


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_summary_pdf_is_a_few_pages_without_the_annexes(lens_assessment, language):
    summary = stored_pdf(lens_assessment, language, kind="summary")
    full = stored_pdf(lens_assessment, language)
    summary_text, full_text = flat(pdf_text(summary)), flat(pdf_text(full))
    with override(language):
        sections = [gettext("Executive summary"), gettext("Heading scores against their targets")]
        sections += [gettext("Scores by heading"), gettext("Top gaps")]
        annexes = [gettext("Annex 1: How scores are calculated"), gettext("Annex 2: All answers")]
        full_only = [gettext("Action plan by responsible agency"), gettext("Ranked gaps")]
    for title in sections + translated(language):
        assert flat(title) in summary_text, title
    for title in annexes + full_only:
        assert flat(title) not in summary_text and flat(title) in full_text, title
    summary_pages = len(PdfReader(io.BytesIO(summary)).pages)
    assert summary_pages < len(PdfReader(io.BytesIO(full)).pages)


def test_the_summary_lists_only_the_top_ten_gaps_and_says_so(team):
    version = make_framework("many-gaps", headings=4, areas=4)
    assessment = make_assessment(created_by=team["alice"], framework_version=version, cycle=2031)
    assessment.answers.filter(area__isnull=False).update(level="1", target=4, priority="high")
    with override("en"):
        report = data.build_report(assessment)
        summary = html.render_report_document(report, summary=True)
        full = html.render_report_document(report)
    assert len(report.gaps) == 16
    assert summary.count('class="gap-row"') == 10
    assert full.count('class="gap-row"') == 16
    assert "The 10 highest-ranked gaps of 16" in flat(summary)


def test_the_report_page_offers_both_pdfs_and_the_summary_downloads(team, assessment):
    client = client_for(team["carol"])
    page = client.get(reverse("assessments:report", args=[assessment.pk])).content.decode()
    summary_url = reverse("assessments:report_summary_pdf", args=[assessment.pk])
    assert summary_url in page and reverse("assessments:report_pdf", args=[assessment.pk]) in page
    response = client.get(summary_url, {"lang": "fr"})
    assert response.status_code == 200
    assert re.search(
        r'filename="iamm-report-summary-QZ-\d{4}-draft-fr\.pdf"', response["Content-Disposition"]
    )
    assert "Résumé analytique" in flat(pdf_text(b"".join(response.streaming_content)))
    kinds = set(PdfRender.objects.filter(assessment=assessment).values_list("kind", flat=True))
    assert kinds == {"summary"}  # asking for the summary renders nothing else


# Layout a reader notices ------------------------------------------------------------------------


def test_long_heading_names_are_wrapped_in_the_chart_never_cut():
    title = "Other Policy Linkages and Accompanying Measures of a very long kind indeed"
    heading = SimpleNamespace(number=20, title=title)
    lines = heading_lines(SimpleNamespace(heading=heading))
    assert " ".join(lines) == f"20. {title}"
    assert len(lines) > 1 and all(len(line) <= LABEL_CHARS for line in lines)
    # The score label sits at the end of its bar, or after the target's diamond when it is there.
    assert label_x(100.0, 300.0) == 105.0
    assert label_x(100.0, 110.0) == 120.0


@pytest.mark.parametrize(
    "language, expected",
    [("en", "1 December 2026"), ("fr", "1 décembre 2026"), ("es", "1 de diciembre de 2026")],
)
def test_report_dates_are_written_in_full_in_each_language(team, assessment, language, expected):
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.VALIDATED, validated_at=datetime(2026, 12, 1, 12, tzinfo=UTC)
    )
    url = reverse("assessments:report", args=[assessment.pk])
    page = client_for(team["carol"]).get(url, {"lang": language}).content.decode()
    cover = page.split('id="cover"', 1)[1].split("</section>", 1)[0]
    assert expected in cover
