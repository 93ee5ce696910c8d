"""Questionnaire views: thin, typed, each fetching its assessment through `access`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from iamm.models import CrosswalkLink, Practice

from . import audit, services
from .access import Action, can, can_edit_section, get_assessment, get_section
from .forms import (
    AnswerForm,
    AssessmentCreateForm,
    CommentForm,
    NextCycleForm,
    SectionCompleteForm,
)
from .models import Agency, Answer, Assessment, Section, SecurityEvent

ANSWERED = Count("answers", filter=~Q(answers__level=""))


def posted(request: HttpRequest):
    """The submitted data, or None on GET: an empty POST must still bind (and fail) the form."""
    return request.POST if request.method == "POST" else None


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    assessments = (
        Assessment.objects.for_user(request.user)
        .select_related("framework_version")
        .annotate(answered=ANSWERED, total=Count("answers"))
    )
    return render(request, "assessments/dashboard.html", {"assessments": assessments})


@login_required
def assessment_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_coordinator or not request.user.country:
        raise PermissionDenied
    form = AssessmentCreateForm(posted(request), country=request.user.country)
    if request.method == "POST" and form.is_valid():
        assessment = services.assessment_create(
            country=request.user.country, created_by=request.user, **form.cleaned_data
        )
        messages.success(request, _("The assessment has been created."))
        return redirect(assessment)
    return render(request, "assessments/create.html", {"form": form})


def _sections(assessment: Assessment) -> list[Section]:
    return list(
        assessment.sections.select_related("heading", "agency").annotate(
            answered=ANSWERED, total=Count("answers")
        )
    )


@login_required
def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    sections = _sections(assessment)
    for section in sections:
        section.assessment = assessment
        section.editable = can_edit_section(request.user, section, sections=sections)
    ctx = {
        "assessment": assessment,
        "sections": sections,
        "all_completed": all(s.status == Section.Status.COMPLETED for s in sections),
        "completed_count": sum(s.status == Section.Status.COMPLETED for s in sections),
        "is_coordinator": can(request.user, assessment, Action.COORDINATE),
        "next_cycle_form": NextCycleForm(initial={"cycle": assessment.cycle + 1}),
    }
    return render(request, "assessments/task_list.html", ctx)


def _section_answers(section: Section) -> list[Answer]:
    """The section's answers with everything the page shows, in a constant number of queries."""
    return list(
        section.answers.select_related("area", "understanding", "responsible_agency", "updated_by")
        .prefetch_related(
            Prefetch("area__practices", queryset=Practice.objects.order_by("order")),
            Prefetch(
                "understanding__crosswalk_links",
                queryset=CrosswalkLink.objects.select_related("heading"),
            ),
        )
        .annotate(comment_count=Count("comments"))
        .order_by("area__order", "understanding__number")
    )


def _editable_section(request: HttpRequest, pk: int, order: int) -> tuple[Assessment, Section]:
    assessment = get_assessment(request.user, pk, Action.ANSWER)
    section = get_section(request.user, assessment, order)
    section.assessment = assessment
    if not can_edit_section(request.user, section):
        raise PermissionDenied
    return assessment, section


@login_required
def section_edit(request: HttpRequest, pk: int, order: int) -> HttpResponse:
    assessment, section = _editable_section(request, pk, order)
    answers = _section_answers(section)
    agencies = list(Agency.objects.filter(country=assessment.country, is_active=True))
    continuing = "continue" in request.POST
    data = posted(request)
    forms_ = [
        AnswerForm(data, answer=a, agencies=agencies, require_level=continuing) for a in answers
    ]
    status = 200
    conflicts = []
    if request.method == "POST" and all(f.is_valid() for f in forms_):
        updates = [(f.answer, f.cleaned_data["version"], f.changes()) for f in forms_]
        try:
            services.answers_save(assessment=assessment, updates=updates, user=request.user)
        except services.ConflictError as error:
            conflicts = _conflict_rows(error, forms_)
            forms_ = _forms_for_retry(request, forms_, error, agencies, continuing)
            status = 409
        except services.WorkflowError as error:
            messages.error(request, error.messages[0])
            return redirect(assessment)
        else:
            if continuing:
                return redirect("assessments:section_check", pk=assessment.pk, order=order)
            messages.success(request, _("Your answers have been saved."))
            return redirect(assessment)
    elif request.method == "POST":
        status = 400
    ctx = {
        "assessment": assessment,
        "section": section,
        "items": _items(section, forms_),
        "understandings": section.heading.understandings.all() if section.heading_id else [],
        "errors": [(f, field, e) for f in forms_ for field, errs in f.errors.items() for e in errs],
        "conflicts": conflicts,
    }
    return render(request, "assessments/section.html", ctx, status=status)


def _items(section: Section, forms_: list[AnswerForm]) -> list[dict]:
    items = []
    for form in forms_:
        answer = form.answer
        if answer.area_id:
            guidance = list(answer.area.practices.all())
            links = []
        else:
            guidance = []
            links = [link.heading for link in answer.understanding.crosswalk_links.all()]
        items.append({"form": form, "answer": answer, "guidance": guidance, "headings": links})
    return items


def _conflict_rows(error: services.ConflictError, forms_: list[AnswerForm]) -> list[dict]:
    by_pk = {f.answer.pk: f for f in forms_}
    rows = []
    for conflict in error.conflicts:
        form = by_pk[conflict.answer.pk]
        mine = Answer(**conflict.submitted)
        fields = []
        for field in conflict.submitted:
            theirs = services.display_value(conflict.answer, field)
            ours = services.display_value(mine, field)
            if theirs != ours:
                fields.append({"label": form.fields[field].label, "theirs": theirs, "mine": ours})
        rows.append(
            {"answer": conflict.answer, "who": conflict.answer.updated_by, "fields": fields}
        )
    return rows


def _forms_for_retry(
    request: HttpRequest,
    forms_: list[AnswerForm],
    error: services.ConflictError,
    agencies: list[Agency],
    continuing: bool,
) -> list[AnswerForm]:
    """Keep what the user typed, but name the stored versions, so that saving again is a
    deliberate choice to replace the other person's answer."""
    current = {c.answer.pk: c.answer.version for c in error.conflicts}
    data = request.POST.copy()
    for form in forms_:
        if form.answer.pk in current:
            data[form.add_prefix("version")] = str(current[form.answer.pk])
    return [
        AnswerForm(data, answer=f.answer, agencies=agencies, require_level=continuing)
        for f in forms_
    ]


@login_required
def section_check(request: HttpRequest, pk: int, order: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    section = get_section(request.user, assessment, order)
    section.assessment = assessment
    editable = can_edit_section(request.user, section)
    form = SectionCompleteForm(
        posted(request),
        initial={"completed": "yes" if section.status == Section.Status.COMPLETED else None},
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            services.section_mark(section=section, completed=form.cleaned_data["completed"])
            if form.cleaned_data["completed"]:
                messages.success(request, _("The section is marked as completed."))
            else:
                messages.success(request, _("Your answers have been saved."))
            return redirect(assessment)
    ctx = {
        "assessment": assessment,
        "section": section,
        "answers": _section_answers(section),
        "form": form,
        "editable": editable,
    }
    return render(
        request, "assessments/section_check.html", ctx, status=400 if form.errors else 200
    )


@login_required
def assessment_check(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    answers = list(
        assessment.answers.select_related(
            "area", "understanding", "responsible_agency", "section"
        ).order_by("section__order", "area__order", "understanding__number")
    )
    sections = _sections(assessment)
    for section in sections:
        section.items = [a for a in answers if a.section_id == section.pk]
    ctx = {
        "assessment": assessment,
        "sections": sections,
        "all_completed": all(s.status == Section.Status.COMPLETED for s in sections),
        "is_coordinator": can(request.user, assessment, Action.COORDINATE),
    }
    return render(request, "assessments/check_answers.html", ctx)


def _workflow(action, success_message):  # lazy: translated when the message is shown
    @require_POST
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        assessment = get_assessment(request.user, pk, Action.COORDINATE)
        try:
            action(assessment=assessment, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            detail = f"{action.__name__} {assessment.country.code} {assessment.cycle} #{pk}"
            audit.record(SecurityEvent.Kind.WORKFLOW, request=request, detail=detail)
            messages.success(request, success_message)
        return redirect(assessment)

    return view


assessment_submit = _workflow(
    services.assessment_submit, gettext_lazy("The assessment has been submitted for review.")
)
assessment_send_back = _workflow(
    services.assessment_send_back, gettext_lazy("The assessment has been sent back to draft.")
)
assessment_validate = _workflow(
    services.assessment_validate, gettext_lazy("The assessment has been validated.")
)


@require_POST
@login_required
def next_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    previous = get_assessment(request.user, pk, Action.COORDINATE)
    if not previous.is_validated:
        messages.error(request, _("Only a validated assessment can start the next cycle."))
        return redirect(previous)
    form = NextCycleForm(request.POST)
    if form.is_valid():
        try:
            assessment = services.assessment_create(
                country=previous.country,
                framework_version=previous.framework_version,
                cycle=form.cleaned_data["cycle"],
                created_by=request.user,
                previous=previous,
                copy_answers=True,
            )
        except ValidationError:
            messages.error(request, _("Your country already has an assessment for this cycle."))
            return redirect(previous)
        messages.success(request, _("The next cycle has started as a copy of this one."))
        return redirect(assessment)
    messages.error(request, form.errors["cycle"][0])
    return redirect(previous)


class AssignForm(forms.Form):
    def __init__(self, *args, sections: list[Section], agencies: list[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Not assigned"))] + [(str(a.pk), str(a)) for a in agencies]
        for section in sections:
            self.fields[f"s{section.order}"] = forms.TypedChoiceField(
                label=str(section),
                choices=choices,
                required=False,
                coerce=int,
                empty_value=None,
                initial=section.agency_id,
                error_messages={
                    "invalid_choice": _("Select an agency of your country for %s") % section
                },
            )


@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk, Action.COORDINATE)
    if assessment.is_validated:
        raise PermissionDenied
    sections = _sections(assessment)
    agencies = {a.pk: a for a in Agency.objects.filter(country=assessment.country, is_active=True)}
    form = AssignForm(posted(request), sections=sections, agencies=list(agencies.values()))
    if request.method == "POST" and form.is_valid():
        for section in sections:
            agency_id = form.cleaned_data[f"s{section.order}"]
            if agency_id != section.agency_id:
                section.assessment = assessment
                services.section_assign(section=section, agency=agencies.get(agency_id))
        messages.success(request, _("The sections have been assigned."))
        return redirect(assessment)
    ctx = {"assessment": assessment, "form": form}
    return render(request, "assessments/assign.html", ctx, status=400 if form.errors else 200)


@login_required
def answer_detail(request: HttpRequest, pk: int, answer_id: int) -> HttpResponse:
    """An item's history and comments, visible to the country's team."""
    assessment = get_assessment(request.user, pk)
    answer = get_object_or_404(
        assessment.answers.select_related("area__heading", "understanding", "section"),
        pk=answer_id,
    )
    form = CommentForm(posted(request))
    if request.method == "POST":
        if not can(request.user, assessment, Action.COMMENT):
            raise PermissionDenied
        if form.is_valid():
            services.comment_add(answer=answer, author=request.user, text=form.cleaned_data["text"])
            messages.success(request, _("Your comment has been added."))
            return redirect("assessments:answer", pk=pk, answer_id=answer.pk)
    ctx = {
        "assessment": assessment,
        "answer": answer,
        "changes": answer.changes.select_related("changed_by"),
        "comments": answer.comments.select_related("author"),
        "form": form,
        "can_comment": can(request.user, assessment, Action.COMMENT),
        "field_labels": {f: Answer._meta.get_field(f).verbose_name for f in Answer.TRACKED_FIELDS},
    }
    return render(request, "assessments/answer.html", ctx, status=400 if form.errors else 200)
