"""Downloads of an assessment's answers as CSV, XLSX or JSON."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from ..access import get_report_assessment
from ..accounts import audit
from ..reports.html import report_language
from ..web import attachment
from . import exports


@require_GET
@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    assessment = get_report_assessment(request.user, pk)
    if fmt not in exports.FORMATS:
        raise Http404
    language = report_language(request.GET.get("lang"))
    content, content_type = exports.export(assessment, fmt, language)
    audit.record_download(request, assessment, fmt, language)
    return attachment(content, content_type, exports.export_filename(assessment, fmt))
