"""A section page being edited: one form per item, saved together, with conflicts shown side by
side. Kept apart from the view so that the view stays a few lines and the rules about what a
save keeps (everything typed, on every kind of failure) read in one place."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..models import Answer, Assessment, Section
from ..web import posted
from . import history, selectors, services
from .forms import AnswerForm


class SectionEdit:
    def __init__(self, request: HttpRequest, assessment: Assessment, section: Section) -> None:
        self.request = request
        self.assessment = assessment
        self.section = section
        self.continuing = "continue" in request.POST
        self.agencies = selectors.active_agencies(assessment.country)
        self.answers = selectors.section_answers(section)
        self.forms = self._forms(posted(request))
        self.conflicts: list[dict[str, Any]] = []
        self.status = 200

    def _forms(self, data) -> list[AnswerForm]:
        return [
            AnswerForm(data, answer=a, agencies=self.agencies, require_level=self.continuing)
            for a in self.answers
        ]

    def save(self) -> HttpResponse | None:
        """Save every item or none; a redirect on success, None to show the page again."""
        if not all(form.is_valid() for form in self.forms):
            self.status = 400
            return None
        updates = [(f.answer, f.cleaned_data["version"], f.changes()) for f in self.forms]
        try:
            services.answers_save(
                assessment=self.assessment, updates=updates, user=self.request.user
            )
        except services.ConflictError as error:
            self.conflicts = _conflict_rows(error, self.forms)
            self.forms = self._forms(_data_for_retry(self.request, self.forms, error))
            self.status = 409
            return None
        except services.WorkflowError:
            # Submitted between the page's check and this save.
            return section_closed(self.request, self.assessment, self.section)
        if self.continuing:
            return redirect(
                "assessments:section_check", pk=self.assessment.pk, order=self.section.order
            )
        messages.success(self.request, _("Your answers have been saved."))
        return redirect(self.assessment)

    def context(self) -> dict[str, Any]:
        heading = self.section.heading
        guidance = Guidance(self.answers)
        return {
            "assessment": self.assessment,
            "section": self.section,
            "items": [_item(form, guidance) for form in self.forms],
            "understandings": heading.understandings.all() if heading else [],
            "errors": [
                (f, field, e) for f in self.forms for field, errs in f.errors.items() for e in errs
            ],
            "conflicts": self.conflicts,
        }


def section_closed(request: HttpRequest, assessment: Assessment, section: Section) -> HttpResponse:
    """The section of an assessment that no longer takes answers. Asked for, its answers are
    shown read only. Saved (the assessment was submitted while the person was typing), the
    page says nothing was saved and gives back everything they changed, to copy."""
    if request.method != "POST":
        messages.info(request, _("This assessment is no longer open for editing."))
        return redirect("assessments:section_check", pk=assessment.pk, order=section.order)
    agencies = selectors.active_agencies(assessment.country)
    changed = []
    for answer in selectors.section_answers(section):
        form = AnswerForm(request.POST, answer=answer, agencies=agencies)
        fields = [
            (form[name].label, typed)
            for name in form.changed_data
            if name != "version" and (typed := _as_typed(form, name))
        ]
        if fields:
            changed.append((answer, fields))
    ctx = {"assessment": assessment, "section": section, "changed": changed}
    return render(request, "assessments/section_closed.html", ctx, status=409)


def _as_typed(form: AnswerForm, name: str) -> str:
    """A submitted value as the page showed it: a choice by its words, a text as typed."""
    value = str(form[name].value() or "").strip()
    choices = getattr(form.fields[name], "choices", None)
    return str(dict((str(k), v) for k, v in choices).get(value, value)) if choices else value


def _item(form: AnswerForm, guidance: Guidance) -> dict[str, Any]:
    answer = form.answer
    return {
        "form": form,
        "answer": answer,
        # Called by the template only where it draws them (not when the fragment is cached).
        "guidance": partial(guidance.practices, answer),
        "headings": partial(guidance.headings, answer),
    }


class Guidance:
    """What the section page shows beside each item: a practice area's practices, a Common
    Understanding's headings. Loaded for every item at once (two queries) the first time the
    page draws any of it; a page whose items' framework content is in the fragment cache never
    asks, and neither does a save that succeeds."""

    def __init__(self, answers: list[Answer]) -> None:
        self.answers = answers
        self.loaded = False

    def _load(self) -> None:
        if not self.loaded:
            selectors.answers_with_guidance(self.answers)
            self.loaded = True

    def practices(self, answer: Answer) -> list:
        self._load()
        return list(answer.area.practices.all()) if answer.area_id else []

    def headings(self, answer: Answer) -> list:
        self._load()
        if answer.area_id:
            return []
        return [link.heading for link in answer.understanding.crosswalk_links.all()]


def _conflict_rows(error: services.ConflictError, forms_: list[AnswerForm]) -> list[dict]:
    by_pk = {f.answer.pk: f for f in forms_}
    rows = []
    for conflict in error.conflicts:
        form = by_pk[conflict.answer.pk]
        mine = Answer(**conflict.submitted)
        part_a = conflict.answer.area_id is None
        fields = []
        for field in conflict.submitted:
            theirs = history.display_value(conflict.answer, field)
            ours = history.display_value(mine, field, part_a=part_a)
            if theirs != ours:
                fields.append({"label": form.fields[field].label, "theirs": theirs, "mine": ours})
        rows.append(
            {"answer": conflict.answer, "who": conflict.answer.updated_by, "fields": fields}
        )
    return rows


def _data_for_retry(request: HttpRequest, forms_: list[AnswerForm], error: services.ConflictError):
    """Keep what the user typed, but name the stored versions, so that saving again is a
    deliberate choice to replace the other person's answer."""
    current = {c.answer.pk: c.answer.version for c in error.conflicts}
    data = request.POST.copy()
    for form in forms_:
        if form.answer.pk in current:
            data[form.add_prefix("version")] = str(current[form.answer.pk])
    return data
