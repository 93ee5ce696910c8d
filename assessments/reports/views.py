"""Report and blank-questionnaire views: thin, each fetching its assessment through
`access.get_report_assessment`. The report's language comes from `?lang=` (one of LANGUAGES), so a
French-speaking official can hand a Spanish report to a partner without switching the interface.

PDFs are never rendered here: a request finds or queues the render (`queue`), then serves the
stored file or shows how far the render has got on a page that refreshes itself.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import override
from django.views.decorators.http import require_GET, require_POST

from iamm.models import FrameworkVersion

from ..access import get_report_assessment
from ..accounts import audit
from ..models import Assessment, PdfRender
from ..regional.report import regional_contexts
from ..scoring import rules
from ..vocabulary import PART_A_LEVELS, PART_B_LEVELS
from . import data, html, queue, storage


def _language(request: HttpRequest) -> str:
    return html.report_language(request.GET.get("lang"))


@require_GET
@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_report_assessment(request.user, pk)
    language = _language(request)
    with override(language):
        report = data.build_report(assessment)
    ctx = {
        "report": report,
        "languages": settings.LANGUAGES,
        "pdfs": queue.report_renders_find(assessment=assessment, language=language),
        # Only on the page: the report a State hands out is its own, not the region's.
        "regional_contexts": regional_contexts(assessment.country.code, assessment_id=pk),
    }
    return render(request, "reports/report_page.html", ctx)


@require_GET
@login_required
def report_pdf(request: HttpRequest, pk: int, kind: str = PdfRender.Kind.REPORT) -> HttpResponse:
    """The report PDF (full, or the summary) as the assessment is now: served when it is ready,
    else queued (once, however many ask) and the person is sent to a page that shows how far it
    has got."""
    assessment = get_report_assessment(request.user, pk)
    language = _language(request)
    render_ = queue.report_render_request(assessment=assessment, language=language, kind=kind)
    if render_.is_ready and (response := _download(request, assessment, render_)):
        return response
    return redirect("assessments:report_pdf_status", pk=pk, render_id=render_.pk)


def _report_render(request: HttpRequest, pk: int, render_id: int):
    assessment = get_report_assessment(request.user, pk)
    return assessment, PdfRender.objects.filter(pk=render_id, assessment=assessment).first()


def _current_pdf(pk: int, language: str, kind: str = PdfRender.Kind.REPORT) -> HttpResponse:
    # A newer PDF of the same report replaced this one: send the person to the current one.
    name = "report_summary_pdf" if kind == PdfRender.Kind.SUMMARY else "report_pdf"
    return redirect(f"{reverse(f'assessments:{name}', args=[pk])}?lang={language}")


@require_GET
@login_required
def report_pdf_status(request: HttpRequest, pk: int, render_id: int) -> HttpResponse:
    assessment, render_ = _report_render(request, pk, render_id)
    if render_ is None:
        return _current_pdf(pk, _language(request))
    ctx = {
        "assessment": assessment,
        "render": render_,
        "ahead": render_.queued_ahead(),
        "download_url": reverse("assessments:report_pdf_download", args=[pk, render_.pk]),
        "retry_url": reverse("assessments:report_pdf_retry", args=[pk, render_.pk]),
    }
    return _status_page(request, "reports/pdf_status.html", ctx)


@require_GET
@login_required
def report_pdf_download(request: HttpRequest, pk: int, render_id: int) -> HttpResponse:
    assessment, render_ = _report_render(request, pk, render_id)
    ready = render_ is not None and render_.is_ready
    if ready and (response := _download(request, assessment, render_)):
        return response
    if render_ is None:
        return _current_pdf(pk, _language(request))
    return _current_pdf(pk, render_.language, render_.kind)


@require_POST
@login_required
def report_pdf_retry(request: HttpRequest, pk: int, render_id: int) -> HttpResponse:
    _assessment, render_ = _report_render(request, pk, render_id)
    if render_ is None:
        raise Http404
    if render_.is_failed:
        queue.render_retry(render=render_)
    return redirect("assessments:report_pdf_status", pk=pk, render_id=render_.pk)


def _download(
    request: HttpRequest, assessment: Assessment, render_: PdfRender
) -> HttpResponse | None:
    response = _stored_file(
        render_, storage.report_filename(assessment, "pdf", render_.language, render_.kind)
    )
    if response:
        audit.record_download(request, assessment, "pdf", render_.language)
    return response


@require_GET
def blank_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The blank questionnaire of a published framework version: public, like the IAMM pages;
    it holds no country's data. Rendered when the version is published and at deploy
    (`render_blank_questionnaires`); a missing one is queued, never rendered here."""
    version = get_object_or_404(FrameworkVersion.objects.published(), code=code)
    language = _language(request)
    render_ = queue.blank_render_request(version=version, language=language)
    filename = f"iamm-questionnaire-{version.code}-{language}.pdf"
    if render_.is_ready:
        if response := _stored_file(render_, filename):
            return response
        render_ = queue.blank_render_request(version=version, language=language)
    ctx = {"version": version, "render": render_, "ahead": render_.queued_ahead()}
    return _status_page(request, "reports/blank_status.html", ctx)


def _stored_file(render_: PdfRender, filename: str) -> HttpResponse | None:
    try:
        pdf = default_storage.open(render_.file, "rb")
    except FileNotFoundError:
        # The file went missing (storage cleaned by hand): the next request renders it again.
        render_.delete()
        return None
    response = FileResponse(
        pdf, content_type="application/pdf", filename=filename, as_attachment=True
    )
    response["Cache-Control"] = "private, no-cache"
    return response


def _status_page(request: HttpRequest, template: str, ctx: dict) -> HttpResponse:
    response = render(request, template, ctx)
    response["Cache-Control"] = "no-store"  # the state changes while the page refreshes
    return response


@require_GET
def scoring_method(request: HttpRequest) -> HttpResponse:
    thresholds = rules.default_thresholds()
    ctx = {
        "bands": data.band_table(thresholds),
        "floor": rules.coherence_floor(thresholds),
        "part_a_levels": PART_A_LEVELS,
        "part_b_levels": PART_B_LEVELS,
        "versions": FrameworkVersion.objects.published(),
    }
    return render(request, "reports/scoring.html", ctx)
