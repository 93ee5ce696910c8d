"""Part C pages (SDG indicator 10.7.2): the coordinator includes or removes it; the team answers
its 30 sub-categories like any other answer; everyone on the team reads it with its UN-method
result. Thin views: `access` decides who, `part_c` writes, `selectors` reads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import access
from ..access import Action, get_assessment
from ..models import Assessment
from ..web import add_service_errors, posted
from . import part_c as services
from . import selectors
from .forms import PartCForm, PartCRemoveForm


def _coordinated_draft(request: HttpRequest, pk: int) -> tuple[Assessment, HttpResponse | None]:
    """The assessment for its coordinator (else 404/403), and a way back when its status no
    longer lets Part C be added or removed."""
    assessment = get_assessment(request.user, pk, Action.COORDINATE)
    if access.can(request.user, assessment, Action.PART_C):
        return assessment, None
    messages.error(request, _("Part C can only change while the assessment is a draft."))
    return assessment, redirect(assessment)


@require_POST
@login_required
def part_c_include(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, refused = _coordinated_draft(request, pk)
    if refused:
        return refused
    try:
        added = services.part_c_include(assessment=assessment)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if added:
            messages.success(request, _("Part C has been added to the assessment."))
    return redirect(assessment)


@require_http_methods(["GET", "POST"])
@login_required
def part_c_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (and, when Part C has answers, for leave to delete them)."""
    assessment, refused = _coordinated_draft(request, pk)
    if refused:
        return refused
    progress = selectors.part_c_progress(assessment)
    if not progress.included:
        return redirect(assessment)
    form = PartCRemoveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        discard = form.cleaned_data["discard_answers"]
        try:
            services.part_c_remove(assessment=assessment, discard_answers=discard)
        except services.WorkflowError as error:
            messages.error(request, error.messages[0])
            return redirect(assessment)
        except ValidationError as error:
            form.add_error("discard_answers", error)
        else:
            messages.success(request, _("Part C has been removed from the assessment."))
            return redirect(assessment)
    ctx = {"assessment": assessment, "progress": progress, "form": form}
    status = 400 if form.errors else 200
    return render(request, "assessments/part_c_remove.html", ctx, status=status)


@login_required
def part_c_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer page. Who may answer follows `Action.ANSWER`; others read Part C instead."""
    assessment = get_assessment(request.user, pk)
    part_c = selectors.get_part_c(assessment)
    if not access.can(request.user, assessment, Action.ANSWER):
        if request.method == "POST":
            raise PermissionDenied
        return redirect("assessments:part_c_check", pk=assessment.pk)
    continuing = "continue" in request.POST
    form = PartCForm(posted(request), answers=part_c.answers, require_all=continuing)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.part_c_answers_save(
                assessment=assessment, values=form.values(), user=request.user, seen=form.seen()
            )
        except services.WorkflowError as error:
            messages.error(request, error.messages[0])
            return redirect(assessment)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.PartCConflict as conflict:
            form = _conflict_form(form, conflict, part_c.answers, continuing)
            status = 409
        else:
            if continuing:
                return redirect("assessments:part_c_check", pk=assessment.pk)
            messages.success(request, _("Your answers have been saved."))
            return redirect(assessment)
    errors = form.error_list()
    status = 400 if errors and status == 200 else status
    ctx = {"assessment": assessment, "form": form, "errors": errors}
    return render(request, "assessments/part_c.html", ctx, status=status)


def _conflict_form(form: PartCForm, conflict, answers, continuing: bool) -> PartCForm:
    """The person's choices again, each answer someone else changed meanwhile marked with what
    they chose; the page now stands for the answers saved, so saving again keeps the person's."""
    again = PartCForm(form.shown_again(conflict.saved), answers=answers, require_all=continuing)
    again.is_valid()
    for code, theirs in conflict.theirs.items():
        field = again.fields[code]
        words = dict(field.choices).get(theirs, theirs)
        again.add_error(
            code,
            _(
                "Someone else changed the answer to %(item)s to “%(theirs)s” while you were "
                "editing. Your answer is still selected: save again to replace theirs, or "
                "choose another."
            )
            % {"item": f"{code}. {field.label}", "theirs": words},
        )
    return again


@require_GET
@login_required
def part_c_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Part C's answers and their UN-method result, for everyone on the team, in any status."""
    assessment = get_assessment(request.user, pk)
    ctx = {
        "assessment": assessment,
        "part_c": selectors.get_part_c(assessment),
        "can": access.permissions(request.user, assessment),
    }
    return render(request, "assessments/part_c_check.html", ctx)
