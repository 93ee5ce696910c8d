"""Regional exercise views: thin, each fetching its exercise through `access.get_exercise`.
The report's language comes from `?lang=`, as for a country's report."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_GET, require_POST

from assessments.access import RegionalAction, get_exercise, is_secretariat
from assessments.accounts import audit
from assessments.models import Assessment, RegionalExercise, SecurityEvent
from assessments.reports.html import report_language
from assessments.web import attachment, pdf_attachment

from . import report as regional
from . import selectors, services
from .forms import ShareForm


def _report(request: HttpRequest, exercise: RegionalExercise) -> regional.RegionalReport:
    with override(report_language(request.GET.get("lang"))):
        return regional.build_regional_report(exercise)


def _report_page(request: HttpRequest, exercise: RegionalExercise, template: str) -> HttpResponse:
    ctx = {"report": _report(request, exercise), "languages": settings.LANGUAGES}
    return render(request, template, ctx)


@require_GET
@login_required
def exercise_list(request: HttpRequest) -> HttpResponse:
    ctx = {
        "exercises": selectors.exercises_for_user(request.user),
        "secretariat": is_secretariat(request.user),
    }
    return render(request, "regional/list.html", ctx)


@require_GET
@login_required
def exercise_detail(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """The secretariat's page: participation, the figures, the release."""
    exercise = get_exercise(request.user, exercise_id, RegionalAction.OVERSEE)
    return _report_page(request, exercise, "regional/exercise.html")


@login_required
def share(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = get_exercise(request.user, exercise_id, RegionalAction.SHARE)
    country = request.user.country.code
    current = selectors.active_share(exercise, country)
    form = ShareForm(
        request.POST if request.method == "POST" else None,
        assessments=selectors.shareable_assessments(exercise, country),
    )
    if request.method == "POST" and current is None and form.is_valid():
        assessment = get_object_or_404(
            Assessment.objects.for_user(request.user), pk=form.cleaned_data["assessment"]
        )
        try:
            services.share_create(
                exercise=exercise,
                assessment=assessment,
                user=request.user,
                anonymous=form.anonymous,
                request=request,
            )
        except services.ShareRefused as refusal:
            return _share_page(request, exercise, None, form, refusal.args[0], status=403)
        messages.success(request, _("Your country's assessment is now shared with the exercise."))
        return redirect("assessments:regional_share", exercise.pk)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return _share_page(request, exercise, current, form, status=status)


def _share_page(request, exercise, current, form, refusal: str = "", status: int = 200):
    report = _report(request, exercise) if current else None
    ctx = {
        "exercise": exercise,
        "current": current,
        "form": form,
        "refusal": refusal,
        "report": report,
        "places": regional.own_places(report, current.country) if report else [],
    }
    return render(request, "regional/share.html", ctx, status=status)


@require_POST
@login_required
def withdraw(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = get_exercise(request.user, exercise_id, RegionalAction.SHARE)
    current = selectors.active_share(exercise, request.user.country.code)
    if current is None:
        raise Http404
    try:
        services.share_withdraw(share=current, user=request.user, request=request)
    except services.ShareRefused as refusal:  # released meanwhile: say so where it shows
        messages.error(request, refusal.args[0])
    else:
        messages.success(request, _("Your country's share has been withdrawn."))
    return redirect("assessments:regional_share", exercise.pk)


@require_POST
@login_required
def release(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = get_exercise(request.user, exercise_id, RegionalAction.RELEASE)
    try:
        services.report_release(exercise=exercise, user=request.user, request=request)
    except services.ShareRefused as refusal:  # released already (a second click)
        messages.error(request, refusal.args[0])
    else:
        messages.success(request, _("The regional report has been released."))
    return redirect(exercise)


@require_GET
@login_required
def report_page(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = get_exercise(request.user, exercise_id, RegionalAction.READ_REPORT)
    return _report_page(request, exercise, "regional/report_page.html")


@require_GET
@login_required
def report_download(request: HttpRequest, exercise_id: int, report_format: str) -> HttpResponse:
    fmt = report_format
    exercise = get_exercise(request.user, exercise_id, RegionalAction.READ_REPORT)
    if fmt not in ("pdf", "json"):
        raise Http404
    report = _report(request, exercise)
    filename = regional.report_filename(exercise, fmt)
    if fmt == "pdf":
        response = pdf_attachment(request, lambda: regional.render_pdf(report), filename)
    else:
        response = attachment(regional.render_json(report), "application/json", filename)
    if response.status_code == 200:
        detail = f"regional exercise {exercise.pk} ({exercise.process.slug}): {fmt}, "
        audit.record(SecurityEvent.Kind.EXPORT, request=request, detail=detail + report.language)
    return response
