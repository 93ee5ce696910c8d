"""Writes that touch several models: creating assessments, saving answers with their history,
section status, the workflow. Plain keyword-only functions, each one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from iamm.diff import questionnaire_changes
from iamm.models import FrameworkVersion

from ..models import Agency, Answer, AnswerChange, Assessment, Comment, Section, User
from .history import FRAMEWORK_VERSION, ITEM_TEXT, stored_value


class WorkflowError(ValidationError):
    """An action that the assessment's status does not allow."""


@dataclass
class Conflict:
    """Someone else saved this answer since the user opened it."""

    answer: Answer  # as stored now
    submitted: dict[str, Any]  # what the user tried to save


class ConflictError(Exception):
    def __init__(self, conflicts: list[Conflict]) -> None:
        super().__init__(f"{len(conflicts)} conflicting answer(s)")
        self.conflicts = conflicts


# Assessments ---------------------------------------------------------------------------------


@transaction.atomic
def assessment_create(
    *,
    country: str,
    framework_version: FrameworkVersion,
    cycle: int,
    created_by: User,
    title: str = "",
    previous: Assessment | None = None,
    copy_answers: bool = False,
    agencies: list[Agency] | tuple[Agency, ...] = (),
) -> Assessment:
    """Create an assessment with its sections and one empty answer per item.

    With `copy_answers`, answers and agency assignments start as a copy of `previous` (matched
    by understanding number and area code, so a previous cycle on another framework version
    still carries over what it can).
    """
    if not framework_version.is_published:
        raise ValidationError(_("Assessments can only be made on a published framework version."))
    if previous is not None and previous.country != country:
        raise ValidationError(_("The previous cycle must belong to the same country."))
    assessment = Assessment(
        country=country,
        framework_version=framework_version,
        cycle=cycle,
        created_by=created_by,
        previous=previous,
        title=title or _("IAMM self-assessment %(cycle)s") % {"cycle": cycle},
    )
    assessment.full_clean()
    assessment.save()
    if agencies:
        assessment.agencies.set(agencies)

    headings = list(framework_version.headings.prefetch_related("areas"))
    sections = Section.objects.bulk_create(
        [Section(assessment=assessment, order=0)]
        + [Section(assessment=assessment, heading=h, order=h.number) for h in headings]
    )
    part_a, by_heading = sections[0], {s.heading_id: s for s in sections[1:]}
    answers = [
        Answer(assessment=assessment, section=part_a, understanding=u)
        for u in framework_version.understandings.all()
    ]
    for heading in headings:
        answers += [
            Answer(assessment=assessment, section=by_heading[heading.pk], area=area)
            for area in heading.areas.all()
        ]
    Answer.objects.bulk_create(answers)
    if previous is not None and copy_answers:
        _copy_from_previous(assessment, previous)
    return assessment


COPIED_FIELDS = (
    "level",
    "na_justification",
    "target",
    "priority",
    "responsible_agency_id",
    "evidence",
    "planned_action",
    "target_date",
)


def _copy_from_previous(assessment: Assessment, previous: Assessment) -> None:
    old = {_item_key(a): a for a in previous.answers.select_related("understanding", "area")}
    changed_sections: set[int] = set()
    answers = list(assessment.answers.select_related("understanding", "area"))
    for answer in answers:
        source = old.get(_item_key(answer))
        if source is None or not source.is_answered:
            continue
        for field in COPIED_FIELDS:
            setattr(answer, field, getattr(source, field))
        changed_sections.add(answer.section_id)
    Answer.objects.bulk_update(answers, COPIED_FIELDS)
    if previous.framework_version_id != assessment.framework_version_id:
        _record_version_move(assessment, previous, answers, old)
    assessment.sections.filter(pk__in=changed_sections).update(status=Section.Status.IN_PROGRESS)
    # Part A's section has order 0 and a heading's section the heading's number, in every
    # cycle, so the order names the same section in both.
    assignments = dict(
        previous.sections.filter(agency__isnull=False).values_list("order", "agency_id")
    )
    sections = list(assessment.sections.filter(order__in=assignments))
    for section in sections:
        section.agency_id = assignments[section.order]
    Section.objects.bulk_update(sections, ["agency"])
    assessment.agencies.add(*previous.agencies.all())


def _record_version_move(
    assessment: Assessment, previous: Assessment, answers: list[Answer], old: dict
) -> None:
    """Each item's history says the assessment moved to another framework version: carried
    over from the old one (and whether its text changed there), or new in this version."""
    before, after = previous.framework_version, assessment.framework_version
    changed = set(questionnaire_changes(old=before, new=after).changed)
    history = []
    for answer in answers:
        key = _item_key(answer)
        move = {FRAMEWORK_VERSION: [before.code if key in old else "", after.code]}
        if key in changed:
            move[ITEM_TEXT] = [before.code, after.code]
        history.append(AnswerChange(answer=answer, changed_by=assessment.created_by, changes=move))
    AnswerChange.objects.bulk_create(history)


def _item_key(answer: Answer) -> tuple[str, str]:
    if answer.understanding_id:
        return ("cu", str(answer.understanding.number))
    return ("area", answer.area.code)


# Answers -------------------------------------------------------------------------------------


@transaction.atomic
def answers_save(
    *,
    assessment: Assessment,
    updates: list[tuple[Answer, int, dict[str, Any]]],
    user: User,
    source: str = "",
) -> int:
    """Save several answers at once: each (answer, version it was edited from, new values).

    Either every answer is saved or none is: if any was changed by someone else since its
    version, ConflictError lists them all and nothing is written. Returns how many answers
    changed. `source` is recorded with each history entry: the offline workbook's file name,
    or empty for the section pages.
    """
    status = Assessment.objects.select_for_update().values_list("status", flat=True)
    if status.get(pk=assessment.pk) != Assessment.Status.DRAFT:
        raise WorkflowError(_("This assessment is no longer open for editing."))
    pks = [answer.pk for answer, _version, _data in updates]
    locked = {
        a.pk: a
        for a in Answer.objects.select_for_update(of=("self",))
        .filter(pk__in=pks, assessment=assessment)
        .select_related("responsible_agency")
    }
    conflicts = []
    for answer, version, data in updates:
        current = locked[answer.pk]
        if current.version != version and _differs(current, data):
            conflicts.append(Conflict(answer=current, submitted=data))
    if conflicts:
        raise ConflictError(conflicts)

    now = timezone.now()
    changed_sections: set[int] = set()
    history = []
    for answer, _version, data in updates:
        current = locked[answer.pk]
        before = {f: stored_value(current, f) for f in Answer.TRACKED_FIELDS}
        for field, value in data.items():
            setattr(current, field, value)
        after = {f: stored_value(current, f) for f in Answer.TRACKED_FIELDS}
        diff = {f: [before[f], after[f]] for f in Answer.TRACKED_FIELDS if before[f] != after[f]}
        if not diff:
            continue
        current.version = F("version") + 1
        current.updated_at = now
        current.updated_by = user
        current.save(update_fields=[*data.keys(), "version", "updated_at", "updated_by"])
        history.append(
            AnswerChange(answer=current, changed_by=user, changes=diff, source=source[:255])
        )
        changed_sections.add(current.section_id)
    if history:
        AnswerChange.objects.bulk_create(history)
        Section.objects.filter(pk__in=changed_sections, status=Section.Status.NOT_STARTED).update(
            status=Section.Status.IN_PROGRESS
        )
        Assessment.objects.filter(pk=assessment.pk).update(
            revision=F("revision") + 1, updated_at=now
        )
    return len(history)


def _differs(current: Answer, data: dict[str, Any]) -> bool:
    """Whether saving `data` over `current` would change anything: re-saving the value someone
    else already saved is not a conflict."""
    return any(getattr(current, field) != value for field, value in data.items())


# A second identical comment by the same person on the same item within this time is the same
# comment sent twice (a double click, a resubmitted form), not a new one.
REPEAT_WINDOW = timedelta(minutes=10)


@transaction.atomic
def comment_add(*, answer: Answer, author: User, text: str) -> Comment:
    """Add a comment, or return the same one if the author just posted it (idempotent)."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Enter a comment."))
    comment = Comment(answer=answer, author=author, text=text)
    comment.full_clean()  # the text rule (assessments.text) for callers without a form
    # Two requests at once wait for each other here (PostgreSQL), so the second sees the first.
    Answer.objects.select_for_update().filter(pk=answer.pk).exists()
    repeated = Comment.objects.filter(
        answer=answer,
        author=author,
        text=comment.text,
        created_at__gte=timezone.now() - REPEAT_WINDOW,
    ).last()
    if repeated is not None:
        return repeated
    comment.save()
    Assessment.objects.filter(pk=answer.assessment_id).reports_changed()  # a new report PDF
    return comment


# Sections and workflow -----------------------------------------------------------------------


def section_mark(*, section: Section, completed: bool) -> None:
    if not section.assessment.accepts_answers:
        raise WorkflowError(_("This assessment is no longer open for editing."))
    section.status = Section.Status.COMPLETED if completed else Section.Status.IN_PROGRESS
    section.save(update_fields=["status"])


def section_assign(*, section: Section, agency: Agency | None) -> None:
    if agency is not None and agency.country != section.assessment.country:
        raise ValidationError(_("Choose an agency of this country."))
    if section.assessment.is_validated:
        raise WorkflowError(_("A validated assessment cannot be changed."))
    section.agency = agency
    section.save(update_fields=["agency"])


@transaction.atomic
def assessment_submit(*, assessment: Assessment) -> None:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_draft:
        raise WorkflowError(_("Only a draft can be submitted for review."))
    if assessment.sections.exclude(status=Section.Status.COMPLETED).exists():
        raise WorkflowError(_("Complete every section before you submit the assessment."))
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.IN_REVIEW, submitted_at=timezone.now()
    )


@transaction.atomic
def assessment_send_back(*, assessment: Assessment) -> None:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_in_review:
        raise WorkflowError(_("Only an assessment in review can be sent back to draft."))
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.DRAFT)


@transaction.atomic
def assessment_validate(*, assessment: Assessment, user: User) -> None:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_in_review:
        raise WorkflowError(_("Only an assessment in review can be validated."))
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.VALIDATED,
        validated_at=timezone.now(),
        validated_by=user,
        revision=F("revision") + 1,
    )
