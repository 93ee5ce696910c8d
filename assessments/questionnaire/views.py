"""Questionnaire pages: dashboard, task list, section pages, check answers, an item's comments
and history. Thin, typed views, each fetching its assessment through `access`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from .. import access
from ..access import Action, can_edit_section, editable_sections, get_assessment, get_section
from ..accounts import audit
from ..models import Assessment, SecurityEvent
from ..regional.report import regional_contexts
from ..regional.selectors import exercises_for_user
from ..web import posted
from . import history, selectors, services
from .editing import SectionEdit, section_closed
from .forms import (
    AssessmentCreateForm,
    AssignForm,
    CommentForm,
    NextCycleForm,
    SectionCompleteForm,
)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if access.is_secretariat(request.user):
        return redirect("assessments:regional_list")
    ctx = {
        "assessments": selectors.dashboard_assessments(request.user),
        "manages_team": access.is_team_coordinator(request.user),
        "regional_contexts": regional_contexts(request.user.country.code),
        "has_exercises": exercises_for_user(request.user).exists(),
    }
    return render(request, "assessments/dashboard.html", ctx)


@login_required
def assessment_create(request: HttpRequest) -> HttpResponse:
    coordinator = access.require_team_coordinator(request.user)
    form = AssessmentCreateForm(posted(request), country=coordinator.country)
    if request.method == "POST" and form.is_valid():
        assessment = services.assessment_create(
            country=coordinator.country, created_by=coordinator, **form.cleaned_data
        )
        messages.success(request, _("The assessment has been created."))
        return redirect(assessment)
    return render(request, "assessments/create.html", {"form": form})


@login_required
def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    sections = selectors.sections_with_progress(assessment)
    editable = editable_sections(request.user, assessment, sections)
    for section in sections:
        section.editable = section.pk in editable
    can = access.permissions(request.user, assessment)
    part_c = selectors.part_c_progress(assessment)
    ctx = {
        "assessment": assessment,
        "sections": sections,
        "all_completed": all(s.is_completed for s in sections),
        "completed_count": sum(s.is_completed for s in sections),
        "can": can,
        "part_c": part_c,
        # Asked last: only someone who may add Part C needs to know if the version has it.
        "part_c_offered": (
            can.part_c and not part_c.included and selectors.part_c_available(assessment)
        ),
        # The offline workbook holds the sections the person may edit: none, no link.
        "can_edit_any": any(s.editable for s in sections),
    }
    if can.next_cycle:
        # Only then shown (a validated assessment); it looks up the current framework version.
        ctx["next_cycle_form"] = NextCycleForm(initial={"cycle": assessment.cycle + 1})
    return render(request, "assessments/task_list.html", ctx)


@login_required
def section_edit(request: HttpRequest, pk: int, order: int) -> HttpResponse:
    try:
        assessment, section = access.get_editable_section(request.user, pk, order)
    except access.AssessmentClosed as closed:
        return section_closed(request, closed.assessment, closed.section)
    edit = SectionEdit(request, assessment, section)
    if request.method == "POST":
        response = edit.save()
        if response is not None:
            return response
    return render(request, "assessments/section.html", edit.context(), status=edit.status)


@login_required
def section_check(request: HttpRequest, pk: int, order: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    section = get_section(assessment, order)
    editable = can_edit_section(request.user, section)
    initial = {"completed": "yes" if section.is_completed else None}
    form = SectionCompleteForm(posted(request), initial=initial)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(access.refusal(request.user, assessment, Action.ANSWER))
        if form.is_valid():
            completed = form.cleaned_data["completed"]
            services.section_mark(section=section, completed=completed)
            if completed:
                messages.success(request, _("The section is marked as completed."))
            else:
                messages.success(request, _("Your answers have been saved."))
            return redirect(assessment)
    ctx = {
        "assessment": assessment,
        "section": section,
        "answers": selectors.section_answers(section),
        "form": form,
        "editable": editable,
    }
    status = 400 if form.errors else 200
    return render(request, "assessments/section_check.html", ctx, status=status)


@login_required
def assessment_check(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    answers = selectors.assessment_answers(assessment)
    sections = selectors.sections_with_progress(assessment)
    # "Change" only where it leads somewhere: a refusal page is no way to review answers.
    editable = editable_sections(request.user, assessment, sections)
    for section in sections:
        section.items = [a for a in answers if a.section_id == section.pk]
        section.editable = section.pk in editable
    ctx = {
        "assessment": assessment,
        "sections": sections,
        "all_completed": all(s.is_completed for s in sections),
        "can": access.permissions(request.user, assessment),
        "part_c": selectors.part_c_or_none(assessment),
    }
    return render(request, "assessments/check_answers.html", ctx)


@login_required
def answer_detail(request: HttpRequest, pk: int, answer_id: int) -> HttpResponse:
    """An item's history and comments, visible to the country's team."""
    assessment = get_assessment(request.user, pk)
    answer = selectors.assessment_answer(assessment, answer_id)
    can_comment = access.can(request.user, assessment, Action.COMMENT)
    form = CommentForm(posted(request))
    if request.method == "POST":
        if not can_comment:
            raise PermissionDenied
        if form.is_valid():
            services.comment_add(answer=answer, author=request.user, text=form.cleaned_data["text"])
            messages.success(request, _("Your comment has been added."))
            return redirect("assessments:answer", pk=pk, answer_id=answer.pk)
    ctx = {
        "assessment": assessment,
        "answer": answer,
        "changes": [
            (change, history.rows(change, part_a=answer.area_id is None))
            for change in selectors.answer_history(answer)
        ],
        "comments": selectors.answer_comments(answer),
        "form": form,
        "can_comment": can_comment,
    }
    return render(request, "assessments/answer.html", ctx, status=400 if form.errors else 200)


# Workflow ------------------------------------------------------------------------------------


def _run_workflow(request: HttpRequest, assessment, run, success_message, name: str):
    try:
        run(assessment, request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        detail = f"{name} {assessment.country.code} {assessment.cycle} #{assessment.pk}"
        audit.record(SecurityEvent.Kind.WORKFLOW, request=request, detail=detail)
        messages.success(request, success_message)  # lazy: translated when shown
    return redirect(assessment)


def _workflow(run, success_message, name: str):
    """A coordinator's POST that moves the assessment along the workflow; `run(assessment,
    user)` raises ValidationError when the assessment's status does not allow it."""

    @require_POST
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        assessment = get_assessment(request.user, pk, Action.COORDINATE)
        return _run_workflow(request, assessment, run, success_message, name)

    return view


assessment_submit = _workflow(
    lambda assessment, user: services.assessment_submit(assessment=assessment),
    gettext_lazy("The assessment has been submitted for review."),
    "assessment_submit",
)
assessment_send_back = _workflow(
    lambda assessment, user: services.assessment_send_back(assessment=assessment),
    gettext_lazy("The assessment has been sent back to draft."),
    "assessment_send_back",
)


@require_http_methods(["GET", "POST"])
@login_required
def assessment_validate(request: HttpRequest, pk: int) -> HttpResponse:
    """Validation cannot be undone: GET asks for confirmation with a summary, POST validates."""
    assessment = get_assessment(request.user, pk, Action.COORDINATE)
    if request.method == "POST":
        return _run_workflow(
            request,
            assessment,
            lambda assessment, user: services.assessment_validate(assessment=assessment, user=user),
            gettext_lazy("The assessment has been validated."),
            "assessment_validate",
        )
    if assessment.status != Assessment.Status.IN_REVIEW:
        messages.error(request, _("Only an assessment in review can be validated."))
        return redirect(assessment)
    ctx = {
        "assessment": assessment,
        "sections": selectors.sections_with_progress(assessment),
        "counts": selectors.answer_counts(assessment),
    }
    return render(request, "assessments/validate_confirm.html", ctx)


@require_POST
@login_required
def next_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    previous = get_assessment(request.user, pk, Action.COORDINATE)
    if not access.can(request.user, previous, Action.NEXT_CYCLE):
        messages.error(request, _("Only a validated assessment can start the next cycle."))
        return redirect(previous)
    form = NextCycleForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect(previous)
    try:
        assessment = services.assessment_create(
            country=previous.country,
            framework_version=form.cleaned_data["framework_version"],
            cycle=form.cleaned_data["cycle"],
            created_by=request.user,
            previous=previous,
            copy_answers=True,
        )
    except ValidationError:
        messages.error(request, _("Your country already has an assessment for this cycle."))
        return redirect(previous)
    messages.success(request, _("The next cycle has started as a copy of this one."))
    if assessment.framework_version_id != previous.framework_version_id:
        summary = selectors.version_move_summary(previous=previous, following=assessment)
        messages.info(request, summary)
    return redirect(assessment)


@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk, Action.ASSIGN)
    sections = selectors.sections_with_progress(assessment)
    agencies = {a.pk: a for a in selectors.active_agencies(assessment.country)}
    form = AssignForm(posted(request), sections=sections, agencies=list(agencies.values()))
    if request.method == "POST" and form.is_valid():
        for section in sections:
            agency_id = form.cleaned_data[form.field_name(section)]
            if agency_id != section.agency_id:
                services.section_assign(section=section, agency=agencies.get(agency_id))
        messages.success(request, _("The sections have been assigned."))
        return redirect(assessment)
    ctx = {"assessment": assessment, "form": form}
    return render(request, "assessments/assign.html", ctx, status=400 if form.errors else 200)
