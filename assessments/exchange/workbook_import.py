"""Reading a filled-in workbook back: open it safely, validate every row with the section
page's own form, compare it with the stored answers, and apply the changes through the same
service as the section pages.

A file is refused as a whole, with every problem named by sheet, row and column: nothing is
saved unless every row is valid. The checks, in order: the upload's size; that it is a ZIP
archive of reasonable size and entry count (checked before openpyxl inflates anything, so that
a zip bomb is refused from its directory alone); that it is an IAMM workbook of this
assessment, country and framework version; then each row. Cells holding formulas are refused
and never evaluated (the workbook is opened with `data_only=False`, so a formula is seen as a
formula, not as the value some spreadsheet last computed for it).

What passes is kept as plain JSON-safe rows (`ParsedRow`), so that the preview and the
confirmation work on the validated data and never read the file or trust the browser again.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import override

from assessments.access import editable_sections
from assessments.exchange.exports import restore
from assessments.models import Agency, Answer, Assessment, User
from assessments.questionnaire.forms import AnswerForm

from .workbook import (
    ANSWERS,
    CODE,
    COLUMNS,
    ESCAPED_CHARACTER,
    FIELD_COLUMNS,
    META,
    META_TABLE,
    PART_A_FIELDS,
    TEXT_FIELDS,
    agency_label,
    item_code,
    level_choices,
    priority_choices,
)
from .workbook_file import (
    MAX_PROBLEMS,
    AnswerRow,
    Problem,
    WorkbookInvalid,
    open_workbook,
    read_answers,
    read_meta,
    tampered_message,
)


@dataclass(frozen=True)
class ParsedRow:
    """A validated row that differs from the stored answer when it was read. `values` are the
    form's cleaned values, JSON-safe: the agency as its id, the date as ISO text."""

    answer_id: int
    version: int
    row: int
    values: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"answer": self.answer_id, "version": self.version, "row": self.row, **self.values}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParsedRow:
        data = dict(data)
        return cls(data.pop("answer"), data.pop("version"), data.pop("row"), data)


# Reading -------------------------------------------------------------------------------------


def workbook_read(*, content: bytes, assessment: Assessment, user: User) -> list[ParsedRow]:
    """The rows of the workbook that would change an answer, each validated as the section
    page validates it. Raises WorkbookInvalid listing every problem."""
    book = open_workbook(content)
    try:
        versions = read_meta(book, assessment)
        rows = read_answers(book)
    finally:
        book.close()
    return _validate(rows, versions, assessment, user)


def _validate(
    rows: list[AnswerRow],
    versions: dict[str, tuple[int, int, int]],
    assessment: Assessment,
    user: User,
) -> list[ParsedRow]:
    answers = {
        a.pk: a
        for a in assessment.answers.select_related("understanding", "area", "responsible_agency")
    }
    editable = editable_sections(user, assessment, list(assessment.sections.all()))
    agencies = list(Agency.objects.filter(country=assessment.country))
    vocabulary = _Vocabulary(agencies)
    problems: list[Problem] = []
    parsed: list[ParsedRow] = []
    seen: set[str] = set()
    for row in rows:
        if len(problems) >= MAX_PROBLEMS:
            break
        if any(p.column == CODE for p in row.problems):
            problems += row.problems  # which item the row is cannot be known
            continue
        code = str(row.values[CODE] or "").strip()
        answer, match_problems = _match(code, row.number, versions, answers, seen)
        if answer is None:
            problems += match_problems + row.problems
            continue
        form, row_problems = _bind(answer, row, vocabulary, agencies)
        if row_problems:
            problems += row_problems
            continue
        cleaned = form.changes()
        if not any(differs(answer, f, v) for f, v in cleaned.items()):
            continue
        if answer.section_id not in editable:
            problems.append(
                Problem(
                    _("You may not change answers in this section; leave this row unchanged."),
                    ANSWERS,
                    row.number,
                    CODE,
                )
            )
            continue
        parsed.append(ParsedRow(answer.pk, versions[code][1], row.number, _to_json(cleaned)))
    if problems:
        raise WorkbookInvalid(problems[:MAX_PROBLEMS])
    return parsed


def _match(
    code: str,
    number: int,
    versions: dict[str, tuple[int, int, int]],
    answers: dict[int, Answer],
    seen: set[str],
) -> tuple[Answer | None, list[Problem]]:
    """The stored answer a row names, or the problems that prevent knowing it."""
    if code not in versions:
        message = _("This item code is not in the workbook's hidden data. Do not change codes.")
        return None, [Problem(message, ANSWERS, number, CODE)]
    if code in seen:
        return None, [Problem(_("This item appears twice."), ANSWERS, number, CODE)]
    seen.add(code)
    answer_id, version, meta_row = versions[code]
    answer = answers.get(answer_id)
    if answer is None or item_code(answer) != code:
        return None, [Problem(tampered_message(), META, meta_row, META_TABLE[1])]
    if version > answer.version:
        message = _("The version of this item has been changed. Download a new workbook.")
        return None, [Problem(message, META, meta_row, META_TABLE[2])]
    return answer, []


class _Vocabulary:
    """The labels the import reads back, in every language of the app."""

    def __init__(self, agencies: list[Agency]) -> None:
        self.levels = {False: self._choices(False), True: self._choices(True)}
        self.priorities = self._lookup(priority_choices)
        self.agencies: dict[str, int] = {}
        short = [_norm(a.short_name) for a in agencies if a.short_name]
        for agency in agencies:
            if agency.short_name and short.count(_norm(agency.short_name)) == 1:
                self.agencies[_norm(agency.short_name)] = agency.pk
        for agency in agencies:
            self.agencies[_norm(agency_label(agency))] = agency.pk

    def _choices(self, is_area: bool) -> dict[str, str]:
        return self._lookup(lambda: level_choices(is_area=is_area))

    @staticmethod
    def _lookup(choices) -> dict[str, str]:
        lookup = {}
        for language, _name in settings.LANGUAGES:
            with override(language):
                for code, label in choices():
                    lookup[_norm(label)] = code
                    lookup[_norm(code)] = code
        return lookup


def _norm(text: Any) -> str:
    """Compare labels as people type them: any case, dash or apostrophe, spacing."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    for dash in "–—‐-":
        text = text.replace(dash, "-")
    text = text.replace("’", "'")
    return " ".join(text.split())


def _bind(
    answer: Answer,
    row: AnswerRow,
    vocabulary: _Vocabulary,
    agencies: list[Agency],
) -> tuple[AnswerForm, list[Problem]]:
    """The section page's form for the row, bound to the row's values, and every problem of
    the row, in the order of the columns. A cell with a problem of its own is given to the form
    as empty, and the form's message about it left out, so that the form checks the others."""
    is_area = answer.area_id is not None
    problems = list(row.problems)
    data = {"version": answer.version}
    for name, column in FIELD_COLUMNS.items():
        raw = _plain_value(row.values[column], text=name in TEXT_FIELDS)
        if not is_area and name not in PART_A_FIELDS:
            if raw not in (None, ""):
                problems.append(
                    Problem(
                        _("Common Understandings have a level and evidence only: leave it empty."),
                        ANSWERS,
                        row.number,
                        column,
                    )
                )
            continue
        value, problem = _form_value(name, raw, is_area, vocabulary)
        if problem:
            problems.append(Problem(problem, ANSWERS, row.number, column))
        data[name] = value
    choices = [a for a in agencies if a.is_active or a.pk == answer.responsible_agency_id]
    prefix = f"w{answer.pk}"
    bound = {f"{prefix}-{name}": value for name, value in data.items()}
    form = AnswerForm(bound, prefix=prefix, answer=answer, agencies=choices)
    if not form.is_valid():
        known = {p.column for p in problems}
        problems += [
            Problem(str(message), ANSWERS, row.number, column)
            for name, messages in form.errors.items()
            if (column := FIELD_COLUMNS.get(name, CODE)) not in known
            for message in messages
        ]
    return form, sorted(problems, key=lambda p: COLUMNS.index(p.column))


def _plain_value(value: Any, *, text: bool) -> Any:
    if text and isinstance(value, int | float) and not isinstance(value, bool):
        return _as_shown(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        # As a spreadsheet reads it, so that control characters are seen (and refused).
        value = ESCAPED_CHARACTER.sub(lambda m: chr(int(m.group(1), 16)), value).strip()
        value = restore(value)  # the apostrophe the export put before formula-like text
    return value


def _as_shown(number: int | float) -> str:
    """A number typed in a text cell, as a spreadsheet's General format shows it: to 15
    significant digits, very large and very small ones in scientific notation (12.5, 3,
    1E+308; not 1e308 as an integer of 309 digits)."""
    try:
        return f"{number:.15G}"
    except OverflowError:  # an integer beyond floats, which no spreadsheet writes
        return str(number)


def _form_value(
    name: str, raw: Any, is_area: bool, vocabulary: _Vocabulary
) -> tuple[str, str | None]:
    """(value as the form would receive it, or a problem)."""
    if raw is None or raw == "":
        return "", None
    if isinstance(raw, bool):
        return "", _("Type a value, not TRUE or FALSE.")
    if name == "target_date":
        if isinstance(raw, datetime):
            return raw.date().isoformat(), None
        if isinstance(raw, date):
            return raw.isoformat(), None
        if not isinstance(raw, str):
            return "", _("Enter the date as year-month-day, for example 2027-12-31.")
        return raw, None
    if isinstance(raw, datetime | date):
        raw = raw.isoformat()[:10]
    text = str(raw)
    if name in TEXT_FIELDS or name == "target":
        return text, None
    lookup = {
        "level": vocabulary.levels[is_area],
        "priority": vocabulary.priorities,
        "responsible_agency": vocabulary.agencies,
    }[name]
    code = lookup.get(_norm(text))
    if code is None:
        return "", _("“%(value)s” is not one of the choices. Choose from the drop-down list.") % {
            "value": text[:80]
        }
    return str(code), None


def differs(answer: Answer, name: str, value: Any) -> bool:
    current = getattr(answer, name)
    if isinstance(value, str) and isinstance(current, str):
        return _text(value) != _text(current)
    if isinstance(current, Model) or isinstance(value, Model):
        return getattr(current, "pk", None) != getattr(value, "pk", None)
    return current != value


def _text(value: str) -> str:
    # Spreadsheets and browsers disagree on line endings and trailing spaces; neither is a change.
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _to_json(values: dict[str, Any]) -> dict[str, Any]:
    result = {}
    for name, value in values.items():
        if isinstance(value, Model):
            value = value.pk
        elif isinstance(value, date):
            value = value.isoformat()
        result[name] = value
    return result


# Preview and apply ---------------------------------------------------------------------------
