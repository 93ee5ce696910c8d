"""Report and blank-questionnaire views: thin, each fetching its assessment through
`access.get_assessment`. The report's language comes from `?lang=` (one of LANGUAGES), so a
French-speaking official can hand a Spanish report to a partner without switching the interface.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import override
from django.views.decorators.http import require_GET

from iamm.models import FrameworkVersion

from ..access import Action, get_assessment
from ..accounts import audit
from ..regional.report import regional_contexts
from ..scoring import rules
from ..vocabulary import PART_A_LEVELS, PART_B_LEVELS
from . import blank, data, html, storage
from .limits import RenderTimeout


def _language(request: HttpRequest) -> str:
    return html.report_language(request.GET.get("lang"))


@require_GET
@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk, Action.VIEW)
    with override(_language(request)):
        report = data.build_report(assessment)
    ctx = {
        "report": report,
        "languages": settings.LANGUAGES,
        # Only on the page: the report a State hands out is its own, not the region's.
        "regional_contexts": regional_contexts(assessment.country.code, assessment_id=pk),
    }
    return render(request, "reports/report_page.html", ctx)


@require_GET
@login_required
def report_pdf(request: HttpRequest, pk: int) -> FileResponse:
    assessment = get_assessment(request.user, pk, Action.VIEW)
    language = _language(request)
    filename = storage.report_filename(assessment, "pdf")
    response = _stored_pdf(request, lambda: storage.report_pdf(assessment, language), filename)
    if response.status_code == 200:
        audit.record_download(request, assessment, "pdf", language)
    return response


@require_GET
def blank_pdf(request: HttpRequest, code: str) -> FileResponse:
    """The blank questionnaire of a published framework version: public, like the IAMM pages;
    it holds no country's data."""
    version = get_object_or_404(FrameworkVersion.objects.published(), code=code)
    language = _language(request)
    filename = f"iamm-questionnaire-{version.code}-{language}.pdf"
    return _stored_pdf(request, lambda: blank.blank_pdf(version, language), filename)


def _stored_pdf(request: HttpRequest, make, filename: str) -> HttpResponse:
    # A newer PDF can replace the stored one between naming and opening it: render again.
    for _attempt in range(2):
        try:
            name = make()
        except RenderTimeout:
            # Stopped cleanly (reports.limits): say so rather than fail with a 500.
            response = render(request, "reports/pdf_unavailable.html", status=503)
            response["Retry-After"] = "120"
            return response
        try:
            pdf = default_storage.open(name, "rb")
        except FileNotFoundError:
            continue
        response = FileResponse(
            pdf, content_type="application/pdf", filename=filename, as_attachment=True
        )
        response["Cache-Control"] = "private, no-cache"
        return response
    raise Http404


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
