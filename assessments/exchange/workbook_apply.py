"""Comparing a validated workbook with the stored answers (old → new, conflicts with what
changed online since the download) and applying it through the section pages' own service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from assessments.access import editable_sections
from assessments.models import Agency, Answer, Assessment, Section, User
from assessments.questionnaire import history, services

from .workbook import (
    ANSWERS,
    CODE,
    item_code,
)
from .workbook_file import (
    Problem,
    WorkbookInvalid,
)
from .workbook_import import ParsedRow, differs


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class ItemChange:
    """One item the workbook changes, compared with the answer as stored now."""

    answer: Answer
    row: ParsedRow
    data: dict[str, Any]  # model values of the fields that differ
    fields: list[FieldChange] = field(default_factory=list)
    conflict: bool = False  # changed online since the download, to something else
    editable: bool = True

    @property
    def code(self) -> str:
        return item_code(self.answer)

    @property
    def decision_field(self) -> str:
        """The name of the form field that holds the person's decision on this conflict."""
        return f"decision-{self.answer.pk}"


def workbook_changes(
    *, assessment: Assessment, user: User, rows: list[ParsedRow]
) -> list[ItemChange]:
    """What applying `rows` would change now, item by item, in questionnaire order."""
    by_id = {row.answer_id: row for row in rows}
    answers = (
        assessment.answers.filter(pk__in=by_id)
        .select_related("understanding", "area", "responsible_agency", "updated_by", "section")
        .order_by("section__order", "understanding__number", "area__order")
    )
    agencies = {a.pk: a for a in Agency.objects.filter(country=assessment.country)}
    editable = editable_sections(user, assessment, list(assessment.sections.all()))
    changes = []
    for answer in answers:
        row = by_id[answer.pk]
        data = {
            name: value
            for name, value in _from_json(row.values, agencies).items()
            if differs(answer, name, value)
        }
        if not data:
            continue
        proposed = Answer(**{f: getattr(answer, f) for f in Answer.TRACKED_FIELDS} | data)
        fields = [
            FieldChange(
                name,
                history.field_label(name),
                history.display_value(answer, name),
                history.display_value(proposed, name, part_a=answer.area_id is None),
            )
            for name in data
        ]
        changes.append(
            ItemChange(
                answer,
                row,
                data,
                fields,
                conflict=row.version < answer.version,
                editable=answer.section_id in editable,
            )
        )
    return changes


def _from_json(values: dict[str, Any], agencies: dict[int, Agency]) -> dict[str, Any]:
    result = dict(values)
    if "responsible_agency" in result:
        result["responsible_agency"] = agencies.get(result["responsible_agency"])
    if result.get("target_date"):
        result["target_date"] = date.fromisoformat(result["target_date"])
    return result


class DecisionMissing(Exception):
    """A conflict the person has not decided."""


def workbook_apply(
    *,
    assessment: Assessment,
    user: User,
    rows: list[ParsedRow],
    decisions: dict[int, str],
    seen: dict[int, int],
    source: str,
) -> int:
    """Apply the workbook in one transaction through the section pages' service. For each
    conflict, `decisions` says "online" (keep) or "workbook" (take the file's values);
    `seen` is the stored version the person saw beside it, so that an answer changed again
    since the preview is a new conflict rather than silently overwritten. Returns how many
    answers changed; raises ConflictError, WorkflowError, DecisionMissing or WorkbookInvalid."""
    changes = workbook_changes(assessment=assessment, user=user, rows=rows)
    refused = [c for c in changes if not c.editable]
    if refused:
        message = _("You may no longer change answers in this section.")
        raise WorkbookInvalid([Problem(message, ANSWERS, c.row.row, CODE) for c in refused])
    updates = []
    for change in changes:
        version = change.row.version
        if change.conflict:
            decision = decisions.get(change.answer.pk)
            if decision not in ("online", "workbook"):
                raise DecisionMissing(change.code)
            if decision == "online":
                continue
            version = seen.get(change.answer.pk, change.row.version)
        updates.append((change.answer, version, change.data))
    if not updates:
        return 0
    return services.answers_save(assessment=assessment, updates=updates, user=user, source=source)


def editable_orders(*, assessment: Assessment, user: User) -> list[int]:
    sections: list[Section] = list(assessment.sections.all())
    editable = editable_sections(user, assessment, sections)
    return [s.order for s in sections if s.pk in editable]
