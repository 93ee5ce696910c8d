"""Views of the offline workbook: download, upload, preview and confirm, and the blank workbook.

Between the upload and the confirmation the validated rows wait in the person's session (kept
on the server), under a random token that is bound to the person and the assessment: the
confirmation reads those rows, never the file or the browser's copy of them again.
"""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from assessments.access import Action, get_assessment
from assessments.accounts import audit
from assessments.models import Assessment, SecurityEvent
from assessments.questionnaire import services
from assessments.reports.html import report_language
from assessments.web import attachment
from iamm.models import FrameworkVersion

from . import workbook
from .forms import ConflictDecisionForm, WorkbookUploadForm
from .workbook_apply import DecisionMissing, editable_orders, workbook_apply, workbook_changes
from .workbook_import import ParsedRow, WorkbookInvalid, workbook_read

SESSION_KEY = "workbook_uploads"
KEPT_UPLOADS = 3  # per session; an abandoned preview must not grow the session for ever


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return attachment(content, workbook.CONTENT_TYPE, filename)


@require_GET
@login_required
def workbook_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The sections the person may edit, in the language asked for (`?lang=`)."""
    assessment = get_assessment(request.user, pk, Action.ANSWER)
    orders = editable_orders(assessment=assessment, user=request.user)
    if not orders:
        raise PermissionDenied
    language = report_language(request.GET.get("lang"))
    content = workbook.workbook_build(
        version=assessment.framework_version,
        items=workbook.assessment_items(assessment, orders=orders, language=language),
        language=language,
        assessment=assessment,
        agencies=workbook.workbook_agencies(assessment),
    )
    detail = f"assessment {pk} ({assessment.country} {assessment.cycle}): workbook, {language}"
    audit.record(SecurityEvent.Kind.EXPORT, request=request, detail=detail)
    name = workbook.workbook_filename(
        version=assessment.framework_version, language=language, assessment=assessment
    )
    return _xlsx(content, name)


@require_GET
def workbook_blank(request: HttpRequest, code: str) -> HttpResponse:
    """Public, like the blank questionnaire PDF: it holds no country's data."""
    version = get_object_or_404(FrameworkVersion.objects.published(), code=code)
    language = report_language(request.GET.get("lang"))
    items = workbook.blank_items(version, language=language)
    content = workbook.workbook_build(version=version, items=items, language=language)
    return _xlsx(content, workbook.workbook_filename(version=version, language=language))


@login_required
def workbook_upload(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk, Action.ANSWER)
    posted = request.method == "POST"
    form = WorkbookUploadForm(request.POST if posted else None, request.FILES if posted else None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = workbook_read(content=upload.read(), assessment=assessment, user=request.user)
        except WorkbookInvalid as error:
            problems = error.problems
        else:
            token = _keep(request, assessment, _file_name(upload.name), rows)
            return redirect("assessments:workbook_preview", pk=pk, token=token)
    ctx = {
        "assessment": assessment,
        "form": form,
        "problems": problems,
        "languages": _languages(),
    }
    status = 400 if problems or form.errors else 200
    return render(request, "exchange/workbook_upload.html", ctx, status=status)


@login_required
def workbook_preview(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The changes item by item; on POST, the person's decisions and the confirmation."""
    assessment = get_assessment(request.user, pk, Action.ANSWER)
    upload = _kept(request, assessment, token)
    rows = [ParsedRow.from_json(row) for row in upload["rows"]]
    changes = workbook_changes(assessment=assessment, user=request.user, rows=rows)
    conflicts = [c for c in changes if c.conflict]
    # An empty POST must still bind (and fail) the form when there are conflicts.
    posted = request.POST if request.method == "POST" else None
    form = ConflictDecisionForm(posted, conflicts=conflicts)
    if posted is not None and form.is_valid():
        return _confirm(request, assessment, token, upload, rows, form.decisions())
    # What the person sees now is what "take the workbook" may replace.
    _remember_seen(request, token, {str(c.answer.pk): c.answer.version for c in conflicts})
    ctx = {"assessment": assessment, "upload": upload, "changes": changes, "form": form}
    status = 400 if form.errors else 200
    return render(request, "exchange/workbook_preview.html", ctx, status=status)


def _confirm(
    request: HttpRequest,
    assessment: Assessment,
    token: str,
    upload: dict,
    rows: list[ParsedRow],
    decisions: dict[int, str],
) -> HttpResponse:
    try:
        changed = workbook_apply(
            assessment=assessment,
            user=request.user,
            rows=rows,
            decisions=decisions,
            seen={int(k): v for k, v in upload["seen"].items()},
            source=upload["file"],
        )
    except (services.ConflictError, DecisionMissing):
        messages.warning(request, _("Some answers changed online meanwhile: decide again."))
        return redirect("assessments:workbook_preview", pk=assessment.pk, token=token)
    except (services.WorkflowError, WorkbookInvalid) as error:
        messages.error(request, str(getattr(error, "messages", [error])[0]))
        return redirect(assessment)
    _forget(request, token)
    messages.success(request, _saved_message(changed, upload["file"]))
    return redirect(assessment)


def _saved_message(changed: int, file: str) -> str:
    return ngettext(
        "%(count)s answer changed from the workbook %(file)s.",
        "%(count)s answers changed from the workbook %(file)s.",
        changed,
    ) % {"count": changed, "file": file}


def _languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def _file_name(name: str) -> str:
    """The uploaded file's name as the history shows it: no folders, no control characters."""
    name = os.path.basename(name.replace("\\", "/"))
    return "".join(c for c in name if c.isprintable())[:200] or "workbook.xlsx"


def _keep(request: HttpRequest, assessment: Assessment, file: str, rows: list[ParsedRow]) -> str:
    uploads = request.session.get(SESSION_KEY, {})
    while len(uploads) >= KEPT_UPLOADS:
        uploads.pop(next(iter(uploads)))
    token = secrets.token_urlsafe(16)
    uploads[token] = {
        "user": request.user.pk,
        "assessment": assessment.pk,
        "file": file,
        "rows": [row.to_json() for row in rows],
        "seen": {},
    }
    request.session[SESSION_KEY] = uploads
    return token


def _kept(request: HttpRequest, assessment: Assessment, token: str) -> dict:
    upload = request.session.get(SESSION_KEY, {}).get(token)
    if upload is None or upload["user"] != request.user.pk or upload["assessment"] != assessment.pk:
        raise Http404
    return upload


def _remember_seen(request: HttpRequest, token: str, seen: dict[str, int]) -> None:
    uploads = request.session[SESSION_KEY]
    uploads[token]["seen"] = seen
    request.session.modified = True


def _forget(request: HttpRequest, token: str) -> None:
    request.session.get(SESSION_KEY, {}).pop(token, None)
    request.session.modified = True
