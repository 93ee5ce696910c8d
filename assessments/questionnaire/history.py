"""An item's history as each person reads it, in their own language, whoever saved it.

A save records plain values (`stored_value`): a level or a priority by its code ("na",
"high"), a date as 2027-12-31, an agency by its short name, a framework version by its code.
Words in the language of the person who saved would show a colleague who reads in another
language "Sans objet" on a Spanish page; the words are chosen when the history is shown
(`shown_value`, `rows`).
"""

from __future__ import annotations

from datetime import date

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..models import Answer, AnswerChange
from ..vocabulary import Priority, level_label

# Entries that are not answer fields: the move to another framework version at a new cycle.
FRAMEWORK_VERSION, ITEM_TEXT = "framework_version", "item_text"


def stored_value(answer: Answer, field: str) -> str:
    """A field's value as the history records it."""
    value = getattr(answer, field)
    if value in (None, ""):
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def shown_value(field: str, value: str, *, part_a: bool) -> str:
    """A value the history recorded, in the reader's words ("3 – Partially implemented",
    "High", a date as the language writes it)."""
    if field == "level":
        return level_label(value, part_a=part_a) or value
    if field == "priority" and value in Priority.values:
        return str(Priority(value).label)
    if field == "target_date" and value:
        try:
            return formats.date_format(date.fromisoformat(value))
        except ValueError:  # not a date: shown as recorded
            return value
    return value


def display_value(answer: Answer, field: str, *, part_a: bool | None = None) -> str:
    """A field's value as people read it (the conflict pages, the workbook's preview). An
    unsaved answer built from submitted values does not know its part: `part_a` tells it."""
    if part_a is None:
        part_a = answer.area_id is None
    return shown_value(field, stored_value(answer, field), part_a=part_a)


def field_label(field: str) -> str:
    if field == FRAMEWORK_VERSION:
        return _("framework version")
    if field == ITEM_TEXT:
        return _("text of the item")
    return str(Answer._meta.get_field(field).verbose_name)


def rows(change: AnswerChange, *, part_a: bool) -> list[tuple[str, str, str]]:
    """(what changed, before, after) for each field of a history entry."""
    shown = []
    for field, (before, after) in change.changes.items():
        if field == FRAMEWORK_VERSION:
            before = _("carried over from %(code)s") % {"code": before} if before else ""
        elif field == ITEM_TEXT:
            after = _("revised")
        else:
            before = shown_value(field, before, part_a=part_a)
            after = shown_value(field, after, part_a=part_a)
        shown.append((capfirst(field_label(field)), before, after))
    return shown
