"""Report, export and blank-questionnaire views: thin, each fetching its assessment through
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

from . import audit, exports, reports, scoring
from .access import Action, get_assessment
from .models import Assessment, SecurityEvent


def _language(request: HttpRequest) -> str:
    return reports.report_language(request.GET.get("lang"))


@require_GET
@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk, Action.VIEW)
    language = _language(request)
    with override(language):
        data = reports.build_report(assessment)
    return render(
        request, "reports/report_page.html", {"report": data, "languages": settings.LANGUAGES}
    )


@require_GET
@login_required
def report_pdf(request: HttpRequest, pk: int) -> FileResponse:
    assessment = get_assessment(request.user, pk, Action.VIEW)
    language = _language(request)
    filename = reports.report_filename(assessment, "pdf")
    response = _stored_pdf(lambda: reports.report_pdf(assessment, language), filename)
    _record_download(request, assessment, "pdf", language)
    return response


@require_GET
def workbook_pdf(request: HttpRequest, code: str) -> FileResponse:
    """The blank questionnaire of a published framework version: public, like the IAMM pages;
    it holds no country's data."""
    version = get_object_or_404(FrameworkVersion.objects.published(), code=code)
    language = _language(request)
    filename = f"iamm-questionnaire-{version.code}-{language}.pdf"
    return _stored_pdf(lambda: reports.workbook_pdf(version, language), filename)


def _stored_pdf(make, filename: str) -> FileResponse:
    # A newer PDF can replace the stored one between naming and opening it: render again.
    for _attempt in range(2):
        name = make()
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
@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    assessment = get_assessment(request.user, pk, Action.VIEW)
    if fmt not in exports.FORMATS:
        raise Http404
    language = _language(request)
    content, content_type = exports.export(assessment, fmt, language)
    _record_download(request, assessment, fmt, language)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.export_filename(assessment, fmt)}"'
    )
    response["Cache-Control"] = "private, no-cache"
    return response


def _record_download(request: HttpRequest, assessment: Assessment, fmt: str, language: str) -> None:
    detail = (
        f"assessment {assessment.pk} ({assessment.country} {assessment.cycle}): {fmt}, {language}"
    )
    audit.record(SecurityEvent.Kind.EXPORT, request=request, detail=detail)


@require_GET
def scoring_method(request: HttpRequest) -> HttpResponse:
    thresholds = scoring.default_thresholds()
    ctx = {
        "bands": reports.band_table(thresholds),
        "floor": scoring.coherence_floor(thresholds),
        "part_a_levels": reports.PART_A_LEVELS,
        "part_b_levels": reports.PART_B_LEVELS,
        "versions": FrameworkVersion.objects.published(),
    }
    return render(request, "reports/scoring.html", ctx)
