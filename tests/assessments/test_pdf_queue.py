"""PDFs on the task queue: a request queues a render once, however many ask; the person sees
how far it has got on a page that refreshes itself; a failed render is reported, and can be
tried again; a PDF that is ready is served without rendering anything.

Alice coordinates Demoland's assessment; Carol only reads it; Dave coordinates France.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import default_task_backend
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from assessments.accounts import services as accounts
from assessments.models import Assessment, PdfRender, User
from assessments.questionnaire import services
from assessments.reports import pdf, queue
from iamm.models import FrameworkVersion
from tests.helpers import make_agency, make_assessment, make_framework, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def queue_only(settings):
    """A backend that records tasks without running them, like a queue with no worker yet."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


@pytest.fixture
def team() -> dict[str, User]:
    return {
        "alice": make_user("alice", role=User.Role.COORDINATOR),
        "carol": make_user("carol", role=User.Role.VIEWER),
        "dave": make_user("dave", country="FR", role=User.Role.COORDINATOR),
    }


@pytest.fixture
def assessment(team) -> Assessment:
    version = make_framework("queue-1", understandings=1, headings=1, areas=2)
    made = make_assessment(framework_version=version, created_by=team["alice"])
    return Assessment.objects.select_related("framework_version").get(pk=made.pk)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_url(assessment: Assessment) -> str:
    return reverse("assessments:report_pdf", args=[assessment.pk])


def test_a_pdf_request_queues_one_render_and_shows_its_progress(team, assessment, queue_only):
    response = client_for(team["carol"]).get(pdf_url(assessment), {"lang": "fr"})
    render = PdfRender.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("assessments:report_pdf_status", args=[assessment.pk, render.pk])
    assert len(queue_only.results) == 1
    assert queue_only.results[0].args == [render.pk]
    assert (render.state, render.language, render.revision) == ("queued", "fr", 0)

    page = client_for(team["carol"]).get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-pdf-state="queued"' in html
    assert '<meta http-equiv="refresh" content="2">' in html  # refreshes itself, no JavaScript
    assert '<progress id="pdf-progress-' in html and 'value="0"' in html
    assert "Download the PDF" not in html


def test_a_second_request_for_the_same_pdf_queues_nothing(team, assessment, queue_only):
    client_for(team["carol"]).get(pdf_url(assessment))
    client_for(team["alice"]).get(pdf_url(assessment))
    client_for(team["carol"]).get(pdf_url(assessment))
    assert len(queue_only.results) == 1
    assert PdfRender.objects.count() == 1

    client_for(team["carol"]).get(pdf_url(assessment), {"lang": "es"})  # another PDF
    assert len(queue_only.results) == 2


def save_a_level(team, assessment, level: str) -> None:
    answer = assessment.answers.filter(area__isnull=False).first()
    services.answers_save(
        assessment=assessment,
        updates=[(answer, answer.version, {"level": level})],
        user=team["alice"],
    )


def test_a_new_revision_is_a_new_pdf(team, assessment, queue_only):
    client_for(team["carol"]).get(pdf_url(assessment))
    PdfRender.objects.update(state=PdfRender.State.RENDERING)  # a worker has started it
    save_a_level(team, assessment, "3")
    client_for(team["carol"]).get(pdf_url(assessment))
    assert len(queue_only.results) == 2
    assert sorted(PdfRender.objects.values_list("revision", flat=True)) == [0, 1]


def test_the_previous_cycle_changing_is_a_new_pdf_read_without_a_query_of_its_own(
    team, assessment, queue_only
):
    """The report compares with the previous cycle, so its revision is part of the PDF's key;
    it comes with the assessment, in the same query."""
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.VALIDATED)
    current = make_assessment(
        cycle=2027,
        framework_version=assessment.framework_version,
        created_by=team["alice"],
        previous=assessment,
    )
    client = client_for(team["carol"])
    with CaptureQueriesContext(connection) as queries:
        client.get(pdf_url(current))
    reads = [
        q["sql"] for q in queries.captured_queries if 'FROM "assessments_assessment"' in q["sql"]
    ]
    assert len(reads) == 1, reads
    PdfRender.objects.update(state=PdfRender.State.RENDERING)  # a worker has started it
    Assessment.objects.filter(pk=assessment.pk).update(revision=7)  # e.g. corrected by an admin
    client.get(pdf_url(current))
    assert len(queue_only.results) == 2
    keys = PdfRender.objects.filter(assessment=current).values_list("key", flat=True)
    assert sorted("p7" in key for key in keys) == [False, True]


def test_a_render_nobody_has_started_moves_on_to_the_newest_revision(team, assessment, queue_only):
    """However fast a team saves, one render per report waits in the queue; whoever waited
    for an earlier revision keeps their place and gets the newer answers too."""
    first = client_for(team["carol"]).get(pdf_url(assessment)).url
    render = PdfRender.objects.get()
    for level in "234":
        save_a_level(team, assessment, level)
        client_for(team["alice"]).get(pdf_url(assessment), {"lang": "en"})
    assert len(queue_only.results) == 1
    render.refresh_from_db()
    assert render.revision == Assessment.objects.get(pk=assessment.pk).revision == 3
    # The first person's status page is the same render, now of revision 3.
    assert first == reverse("assessments:report_pdf_status", args=[assessment.pk, render.pk])
    # Another language or the summary is another PDF.
    client_for(team["alice"]).get(pdf_url(assessment), {"lang": "fr"})
    assert PdfRender.objects.count() == 2 and len(queue_only.results) == 2


def test_a_comment_is_a_new_revision_of_the_report(team, assessment):
    answer = assessment.answers.first()
    services.comment_add(answer=answer, author=team["alice"], text="Check with the ministry.")
    assessment.refresh_from_db()
    assert assessment.revision == 1


def test_the_worker_renders_it_and_the_person_downloads_it(team, assessment, queue_only):
    client = client_for(team["carol"])
    client.get(pdf_url(assessment))
    render = PdfRender.objects.get()
    queue.render_pdf.call(render.pk)  # what the worker does with the queued task
    render.refresh_from_db()
    assert (render.state, render.progress) == ("ready", 100)
    assert render.started_at and render.finished_at

    status = client.get(reverse("assessments:report_pdf_status", args=[assessment.pk, render.pk]))
    html = status.content.decode()
    assert 'data-pdf-state="ready"' in html and "http-equiv" not in html
    download = reverse("assessments:report_pdf_download", args=[assessment.pk, render.pk])
    assert f'data-pdf-download href="{download}"' in html
    response = client.get(download)
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages) >= 1


def test_a_pdf_that_is_ready_is_served_without_rendering_anything(team, assessment, monkeypatch):
    client = client_for(team["carol"])
    assert client.get(pdf_url(assessment)).status_code == 200  # rendered (immediate backend)

    def no_rendering(*args, **kwargs):
        raise AssertionError("a cache hit must not build or render the report")

    monkeypatch.setattr(queue, "build_report", no_rendering)
    monkeypatch.setattr(queue, "render_report_document", no_rendering)
    monkeypatch.setattr(pdf, "html_to_pdf", no_rendering)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(pdf_url(assessment))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # Session, user, device check, assessment, render record, audit record: no answer read.
    assert not any("assessments_answer" in q["sql"] for q in queries.captured_queries)
    assert len(queries) <= 10


def test_a_failed_render_is_reported_and_can_be_tried_again(team, assessment, monkeypatch):
    real = pdf.html_to_pdf

    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    client = client_for(team["carol"])
    response = client.get(pdf_url(assessment))
    render = PdfRender.objects.get()
    assert render.state == "failed" and "out of memory" in render.error
    page = client.get(response.url)
    html = page.content.decode()
    assert 'data-pdf-state="failed"' in html
    assert "The PDF could not be prepared" in html
    assert "out of memory" not in html  # the details are for the logs, not the page
    assert "http-equiv" not in html  # nothing to wait for
    retry = reverse("assessments:report_pdf_retry", args=[assessment.pk, render.pk])
    assert f'action="{retry}"' in html

    # A later request does not queue it again by itself: the person chooses to try again.
    client.get(pdf_url(assessment))
    assert PdfRender.objects.get().state == "failed"

    monkeypatch.setattr(pdf, "html_to_pdf", real)
    client.post(retry)
    render.refresh_from_db()
    assert render.state == "ready" and render.error == ""


def test_the_report_page_shows_the_state_of_the_pdf(team, assessment, queue_only):
    client = client_for(team["carol"])
    report_url = reverse("assessments:report", args=[assessment.pk])
    html = client.get(report_url).content.decode()
    assert "Download the report (PDF)" in html and "data-pdf-state" not in html
    client.get(pdf_url(assessment))
    html = client.get(report_url).content.decode()
    assert 'data-pdf-state="queued"' in html
    assert '<meta http-equiv="refresh" content="3">' in html


def test_another_countrys_pdf_records_answer_404(team, assessment, queue_only):
    client_for(team["carol"]).get(pdf_url(assessment))
    render = PdfRender.objects.get()
    dave = client_for(team["dave"])
    for name in ("report_pdf_status", "report_pdf_download"):
        url = reverse(f"assessments:{name}", args=[assessment.pk, render.pk])
        assert dave.get(url).status_code == 404
    retry = reverse("assessments:report_pdf_retry", args=[assessment.pk, render.pk])
    assert dave.post(retry).status_code == 404


def test_a_lost_render_is_queued_again(team, assessment, queue_only):
    client_for(team["carol"]).get(pdf_url(assessment))
    PdfRender.objects.update(
        state="rendering", started_at=PdfRender.objects.get().created_at - stale_age()
    )
    client_for(team["carol"]).get(pdf_url(assessment))
    assert len(queue_only.results) == 2
    assert PdfRender.objects.get().state == "queued"


def stale_age():
    from assessments.models import STALE_AFTER

    return STALE_AFTER * 2


# The blank questionnaire ----------------------------------------------------------------------


def test_a_missing_blank_questionnaire_is_queued_never_rendered_on_a_public_request(
    queue_only, monkeypatch
):
    version = make_framework("blank-q", understandings=1, headings=1, areas=1)
    monkeypatch.setattr(pdf, "html_to_pdf", lambda *a, **k: pytest.fail("rendered"))
    url = reverse("assessments:blank_pdf", args=[version.code])
    response = Client().get(url, {"lang": "es"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-pdf-state="queued"' in html and "http-equiv" in html
    Client().get(url, {"lang": "es"})
    assert len(queue_only.results) == 1


def test_publishing_a_version_queues_its_blank_questionnaires(queue_only):
    from iamm import services as content_services
    from tests.helpers import make_draft_framework

    version = make_draft_framework("draft-q")
    content_services.framework_version_publish(version=version)
    renders = PdfRender.objects.filter(kind="blank", framework_version=version)
    assert sorted(renders.values_list("language", flat=True)) == ["en", "es", "fr"]
    assert len(queue_only.results) == 3


def test_the_deploy_command_renders_every_blank_questionnaire(capsys):
    make_framework("blank-c", understandings=1, headings=1, areas=1)
    call_command("render_blank_questionnaires")
    published = FrameworkVersion.objects.published().count()
    assert PdfRender.objects.filter(kind="blank", state="ready").count() == 3 * published
    call_command("render_blank_questionnaires")  # nothing left to do
    assert "0 rendered" in capsys.readouterr().out


def test_renaming_an_agency_or_a_person_renews_the_reports_and_an_untouched_save_does_not(
    team, assessment
):
    agency = make_agency(name="Ministry of Labour")
    revision = Assessment.objects.get(pk=assessment.pk).revision

    def revision_now() -> int:
        return Assessment.objects.get(pk=assessment.pk).revision

    accounts.agency_update(agency=agency, name="Ministry of Labour")
    assert revision_now() == revision
    accounts.agency_update(agency=agency, name="Ministry of Labour and Employment")
    assert revision_now() == revision + 1
    carol = team["carol"]
    same = {"email": carol.email, "role": carol.role, "agency": carol.agency}
    accounts.user_update(user=carol, first_name=carol.first_name, last_name=carol.last_name, **same)
    assert revision_now() == revision + 1
    accounts.user_update(user=carol, first_name="Carola", last_name=carol.last_name, **same)
    assert revision_now() == revision + 2
