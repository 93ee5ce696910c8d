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

import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import override

from assessments.access import can_edit_section
from assessments.exchange.exports import FORMULA_START
from assessments.models import Agency, Answer, Assessment, Section, User
from assessments.questionnaire import services
from assessments.questionnaire.forms import AnswerForm

from .workbook import (
    ANSWERS,
    CODE,
    ESCAPED_CHARACTER,
    FIELD_COLUMNS,
    FORMAT,
    META,
    META_KEYS,
    META_TABLE,
    PART_A_FIELDS,
    TEXT_FIELDS,
    agency_label,
    item_code,
    level_choices,
    priority_choices,
)

MAX_PROBLEMS = 50
MAX_COLUMNS = 40  # the Answers sheet has 11; people may add a few of their own, never read


def limit(name: str) -> int:
    """One of the WORKBOOK_MAX_* limits of the settings."""
    return getattr(settings, name)


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: sheet, row and column as the spreadsheet shows them (the sheet
    is empty for the file as a whole)."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        if not self.sheet:
            return self.message
        where = _("Sheet %(sheet)s") % {"sheet": self.sheet}
        if self.row is not None:
            where += ", " + _("row %(row)s") % {"row": self.row}
        if self.column:
            where += ", " + _("column “%(column)s”") % {"column": self.column}
        return f"{where}: {self.message}"


class WorkbookInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:3]))
        self.problems = problems


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
    book = _open(content)
    try:
        versions = _read_meta(book, assessment)
        rows = _read_answers(book)
    finally:
        book.close()
    return _validate(rows, versions, assessment, user)


def _open(content: bytes):
    from openpyxl import load_workbook

    not_xlsx = WorkbookInvalid(
        [
            Problem(
                _(
                    "The file is not an Excel workbook (.xlsx). Save it as an Excel workbook "
                    "and upload it again."
                )
            )
        ]
    )
    if len(content) > limit("WORKBOOK_MAX_UPLOAD_BYTES"):
        raise WorkbookInvalid([too_big_problem()])
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_xlsx from None
    # The sizes come from the archive's directory. zipfile never inflates an entry beyond its
    # declared size (a lying entry fails its CRC check), so these sums bound the real work.
    if len(entries) > limit("WORKBOOK_MAX_ZIP_ENTRIES") or sum(
        e.file_size for e in entries
    ) > limit("WORKBOOK_MAX_UNCOMPRESSED_BYTES"):
        raise WorkbookInvalid(
            [Problem(_("The file is too large once uncompressed. Upload the workbook itself."))]
        )
    names = {e.filename for e in entries}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names or any(
        e.flag_bits & 0x1 for e in entries
    ):
        raise not_xlsx
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds for a damaged file; all mean the same here
        raise not_xlsx from None


def tampered_message() -> str:
    return _("The hidden data of this item has been changed. Download a new workbook.")


def too_big_problem() -> Problem:
    megabytes = limit("WORKBOOK_MAX_UPLOAD_BYTES") // (1024 * 1024)
    return Problem(
        _("The file is larger than %(size)s MB. Upload the workbook without added content.")
        % {"size": megabytes}
    )


def _sheet(book, name: str):
    if name not in book.sheetnames:
        raise WorkbookInvalid(
            [
                Problem(
                    _(
                        "The sheet %(sheet)s is missing: this is not an IAMM workbook, or a "
                        "sheet was renamed. Download the workbook again."
                    )
                    % {"sheet": name}
                )
            ]
        )
    return book[name]


def _rows(sheet, *, max_col: int) -> Iterator[tuple[int, tuple]]:
    """(row number, cells) of the non-empty rows, refusing sheets beyond the limits."""
    max_rows, max_cells = limit("WORKBOOK_MAX_ROWS"), limit("WORKBOOK_MAX_CELLS")
    cells = 0
    for number, row in enumerate(sheet.iter_rows(max_row=max_rows + 1, max_col=max_col), 1):
        filled = sum(cell.value is not None for cell in row)
        if not filled:
            continue
        cells += filled
        if number > max_rows or cells > max_cells:
            raise WorkbookInvalid(
                [
                    Problem(
                        _(
                            "The sheet has more than %(rows)s rows or %(cells)s filled cells. "
                            "Upload the workbook as it was downloaded, with your answers."
                        )
                        % {"rows": max_rows, "cells": max_cells},
                        sheet.title,
                        number,
                    )
                ]
            )
        yield number, row


def _read_meta(book, assessment: Assessment) -> dict[str, tuple[int, int, int]]:
    """Checks that the workbook is this assessment's; returns item code → (answer id, version,
    row in Meta)."""
    sheet = _sheet(book, META)
    keys: dict[str, tuple[int, Any]] = {}
    table: dict[str, tuple[int, int, int]] = {}
    problems: list[Problem] = []
    in_table = False
    for number, row in _rows(sheet, max_col=3):
        values = [_plain(cell) for cell in row]
        if in_table:
            code, answer_id, version = (str(v if v is not None else "") for v in values[:3])
            if not (answer_id.isdigit() and version.isdigit()) or code in table:
                problems.append(
                    Problem(
                        tampered_message(),
                        META,
                        number,
                        META_TABLE[1],
                    )
                )
                continue
            table[code] = (int(answer_id), int(version), number)
        elif tuple(values[:3]) == META_TABLE:
            in_table = True
        elif values[0] in META_KEYS:
            keys[values[0]] = (number, values[1])
    problems = _check_keys(keys, assessment) + problems
    if problems:
        raise WorkbookInvalid(problems[:MAX_PROBLEMS])
    return table


def _check_keys(keys: dict[str, tuple[int, Any]], assessment: Assessment) -> list[Problem]:
    def problem(key: str, message: str) -> list[Problem]:
        return [Problem(message, META, keys.get(key, (None,))[0], "Value")]

    def value(key: str) -> str:
        raw = keys.get(key, (0, None))[1]
        return "" if raw is None else str(raw)

    if value("format") != FORMAT:
        return problem(
            "format", _("This is not an IAMM workbook. Download the workbook from the app.")
        )
    if not value("assessment_id"):
        return problem(
            "assessment_id",
            _(
                "This is a blank workbook for training; it belongs to no assessment. Download "
                "the workbook of this assessment and fill it in."
            ),
        )
    if value("country") != assessment.country.code:
        return problem(
            "country",
            _("This workbook belongs to another country. Download this assessment's workbook."),
        )
    if value("framework_version") != assessment.framework_version.code:
        return problem(
            "framework_version",
            _(
                "This workbook was made for framework version %(file)s, but this assessment "
                "uses %(ours)s. Download this assessment's workbook."
            )
            % {"file": value("framework_version"), "ours": assessment.framework_version.code},
        )
    if value("assessment_id") != str(assessment.pk):
        return problem(
            "assessment_id",
            _(
                "This workbook belongs to another assessment of your country. Upload it to "
                "that assessment, or download this one's workbook."
            ),
        )
    return []


def _read_answers(book) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {column: cell value}) of each filled row of the Answers sheet."""
    sheet = _sheet(book, ANSWERS)
    wanted = (CODE, *FIELD_COLUMNS.values())
    rows = _rows(sheet, max_col=MAX_COLUMNS)
    header = next(rows, (1, ()))[1]
    position = {str(c.value).strip(): i for i, c in enumerate(header) if c.value is not None}
    missing = [name for name in wanted if name not in position]
    if missing:
        raise WorkbookInvalid(
            [
                Problem(
                    _("The column is missing or was renamed. Download the workbook again."),
                    ANSWERS,
                    1,
                    name,
                )
                for name in missing
            ]
        )
    problems, result = [], []
    for number, row in rows:
        values = {}
        for name in wanted:
            index = position[name]
            cell = row[index] if index < len(row) else None
            if cell is None or cell.value is None:
                values[name] = None
            elif cell.data_type == "f":
                problems.append(
                    Problem(
                        _("The cell holds a formula. Type the value itself instead."),
                        ANSWERS,
                        number,
                        name,
                    )
                )
            elif cell.data_type == "e":
                problems.append(
                    Problem(
                        _("The cell holds a spreadsheet error (%(error)s). Type the value itself.")
                        % {"error": cell.value},
                        ANSWERS,
                        number,
                        name,
                    )
                )
            else:
                values[name] = cell.value
        result.append((number, values))
    if problems:
        raise WorkbookInvalid(problems[:MAX_PROBLEMS])
    return result


def _plain(cell) -> Any:
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        return int(value)  # LibreOffice and Excel store whole numbers as floats
    return value.strip() if isinstance(value, str) else value


# Validating ----------------------------------------------------------------------------------


def _validate(
    rows: list[tuple[int, dict[str, Any]]],
    versions: dict[str, tuple[int, int, int]],
    assessment: Assessment,
    user: User,
) -> list[ParsedRow]:
    answers = {
        a.pk: a
        for a in assessment.answers.select_related("understanding", "area", "responsible_agency")
    }
    sections = list(assessment.sections.all())
    for section in sections:
        section.assessment = assessment
    editable = {s.pk for s in sections if can_edit_section(user, s, sections=sections)}
    agencies = list(Agency.objects.filter(country=assessment.country))
    vocabulary = _Vocabulary(agencies)
    problems: list[Problem] = []
    parsed: list[ParsedRow] = []
    seen: set[str] = set()
    for number, values in rows:
        if len(problems) >= MAX_PROBLEMS:
            break
        code = str(values[CODE] or "").strip()
        answer, row_problems = _match(code, number, versions, answers, seen)
        if answer is None:
            problems += row_problems
            continue
        version = versions[code][1]
        form, row_problems = _bind(answer, values, number, vocabulary, agencies)
        if form is not None and not form.is_valid():
            row_problems += [
                Problem(str(message), ANSWERS, number, FIELD_COLUMNS.get(name, CODE))
                for name, messages in form.errors.items()
                for message in messages
            ]
        if row_problems:
            problems += row_problems
            continue
        cleaned = form.changes()
        if not any(_differs(answer, f, v) for f, v in cleaned.items()):
            continue
        if answer.section_id not in editable:
            problems.append(
                Problem(
                    _("You may not change answers in this section; leave this row unchanged."),
                    ANSWERS,
                    number,
                    CODE,
                )
            )
            continue
        parsed.append(ParsedRow(answer.pk, version, number, _to_json(cleaned)))
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
    values: dict[str, Any],
    number: int,
    vocabulary: _Vocabulary,
    agencies: list[Agency],
) -> tuple[AnswerForm | None, list[Problem]]:
    """The section page's form for the row, bound to the row's values."""
    is_area = answer.area_id is not None
    problems: list[Problem] = []
    data = {"version": answer.version}
    for name, column in FIELD_COLUMNS.items():
        raw = _plain_value(values[column])
        if not is_area and name not in PART_A_FIELDS:
            if raw not in (None, ""):
                problems.append(
                    Problem(
                        _("Common Understandings have a level and evidence only: leave it empty."),
                        ANSWERS,
                        number,
                        column,
                    )
                )
            continue
        value, problem = _form_value(name, raw, is_area, vocabulary)
        if problem:
            problems.append(Problem(problem, ANSWERS, number, column))
        data[name] = value
    if problems:
        return None, problems
    choices = [a for a in agencies if a.is_active or a.pk == answer.responsible_agency_id]
    prefix = f"w{answer.pk}"
    bound = {f"{prefix}-{name}": value for name, value in data.items()}
    return AnswerForm(bound, prefix=prefix, answer=answer, agencies=choices), []


def _plain_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        # As a spreadsheet reads it, so that control characters are seen (and refused).
        value = ESCAPED_CHARACTER.sub(lambda m: chr(int(m.group(1), 16)), value).strip()
        # Undo the apostrophe the export puts before formula-like text, and only that one.
        if value.startswith("'") and value[1:].startswith(FORMULA_START):
            value = value[1:]
    return value


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


def _differs(answer: Answer, name: str, value: Any) -> bool:
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
    sections = list(assessment.sections.all())
    for section in sections:
        section.assessment = assessment
    editable = {s.pk for s in sections if can_edit_section(user, s, sections=sections)}
    changes = []
    for answer in answers:
        row = by_id[answer.pk]
        data = {
            name: value
            for name, value in _from_json(row.values, agencies).items()
            if _differs(answer, name, value)
        }
        if not data:
            continue
        proposed = Answer(**{f: getattr(answer, f) for f in Answer.TRACKED_FIELDS} | data)
        fields = [
            FieldChange(
                name,
                str(Answer._meta.get_field(name).verbose_name),
                services.display_value(answer, name),
                services.display_value(proposed, name),
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
    for section in sections:
        section.assessment = assessment
    return [s.order for s in sections if can_edit_section(user, s, sections=sections)]
