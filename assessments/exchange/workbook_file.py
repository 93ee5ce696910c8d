"""Opening an uploaded workbook safely and reading its sheets: the upload's limits, the ZIP
archive's size and entry count (checked from its directory before openpyxl inflates anything),
the hidden `Meta` sheet that names the assessment, and the rows of the `Answers` sheet. Every
problem is named by sheet, row and column (`Problem`); `workbook_import` validates what is read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.styles.numbers import is_date_format, is_timedelta_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from assessments.models import Assessment

from .workbook import (
    ANSWERS,
    CODE,
    FIELD_COLUMNS,
    FORMAT,
    META,
    META_KEYS,
    META_TABLE,
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


def open_workbook(content: bytes):
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
            raise WorkbookInvalid([Problem(_too_big_sheet(number > max_rows), sheet.title, number)])
        yield number, row


def _too_big_sheet(too_many_rows: bool) -> str:
    """Names the limit the sheet went past, the rows first."""
    if too_many_rows:
        count = limit("WORKBOOK_MAX_ROWS")
        message = ngettext(
            "The sheet has more than %(count)s row. "
            "Upload the workbook as it was downloaded, with your answers.",
            "The sheet has more than %(count)s rows. "
            "Upload the workbook as it was downloaded, with your answers.",
            count,
        )
    else:
        count = limit("WORKBOOK_MAX_CELLS")
        message = ngettext(
            "The sheet has more than %(count)s filled cell. "
            "Upload the workbook as it was downloaded, with your answers.",
            "The sheet has more than %(count)s filled cells. "
            "Upload the workbook as it was downloaded, with your answers.",
            count,
        )
    return message % {"count": count}


def read_meta(book, assessment: Assessment) -> dict[str, tuple[int, int, int]]:
    """Checks that the workbook is this assessment's; returns item code → (answer id, version,
    row in Meta)."""
    sheet = _sheet(book, META)
    keys: dict[str, tuple[int, Any]] = {}
    table: dict[str, tuple[int, int, int]] = {}
    problems: list[Problem] = []
    in_table = False
    for number, row in _rows(sheet, max_col=3):
        values = [plain_value_of(cell) for cell in row]
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
    problems = check_keys(keys, assessment) + problems
    if problems:
        raise WorkbookInvalid(problems[:MAX_PROBLEMS])
    return table


def check_keys(keys: dict[str, tuple[int, Any]], assessment: Assessment) -> list[Problem]:
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


@dataclass(frozen=True)
class AnswerRow:
    """A filled row of the Answers sheet: its cells' values by column, and the problems of the
    cells that cannot be read (formulas, errors), whose values are left out (None)."""

    number: int
    values: dict[str, Any]
    problems: list[Problem]


def read_answers(book) -> list[AnswerRow]:
    """Each filled row of the Answers sheet, below its header."""
    sheet = _sheet(book, ANSWERS)
    # openpyxl makes a date of a number in a cell formatted as a date, and of a number too
    # large for a date a "#VALUE!" error, as if the cell held one: read the numbers as they
    # are, and make the dates in `_answer_value`.
    book._date_formats = set()
    wanted = (CODE, *FIELD_COLUMNS.values())
    rows = _rows(sheet, max_col=MAX_COLUMNS)
    header = next(rows, (1, ()))[1]
    headings = [(str(c.value).strip(), i) for i, c in enumerate(header) if c.value is not None]
    _refuse_repeated_headings(headings, wanted)
    position = dict(headings)
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
    result = []
    for number, row in rows:
        values, problems = {}, []
        for name in wanted:
            index = position[name]
            cell = row[index] if index < len(row) else None
            values[name], problem = _answer_value(cell, book.epoch)
            if problem:
                problems.append(Problem(problem, ANSWERS, number, name))
        result.append(AnswerRow(number, values, problems))
    return result


def _refuse_repeated_headings(headings: list[tuple[str, int]], wanted: tuple[str, ...]) -> None:
    """A column the app reads must have one heading: with two, which one holds the answers
    cannot be known (a column someone added and headed "Evidence", say)."""
    problems = []
    for name in wanted:
        columns = [get_column_letter(i + 1) for heading, i in headings if heading == name]
        if len(columns) > 1:
            message = _(
                "The heading “%(heading)s” is in more than one column (%(columns)s). Keep it "
                "on the workbook's own column only: rename or delete the other, then upload "
                "the file again."
            ) % {"heading": name, "columns": ", ".join(columns)}
            problems.append(Problem(message, ANSWERS, 1))
    if problems:
        raise WorkbookInvalid(problems)


def _answer_value(cell, epoch: datetime) -> tuple[Any, str | None]:
    """(the cell's value, or the problem that keeps it from being read)."""
    if cell is None or cell.value is None:
        return None, None
    if cell.data_type == "n" and is_date_format(cell.number_format):
        timedelta = is_timedelta_format(cell.number_format)
        try:
            return from_excel(cell.value, epoch, timedelta=timedelta), None
        except (OverflowError, ValueError):
            return cell.value, None  # beyond the limits of dates: the number as typed
    if cell.data_type == "f":
        return None, _("The cell holds a formula. Type the value itself instead.")
    if cell.data_type == "e":
        message = _("The cell holds a spreadsheet error (%(error)s). Type the value itself.")
        return None, message % {"error": cell.value}
    return cell.value, None


def plain_value_of(cell) -> Any:
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        return int(value)  # LibreOffice and Excel store whole numbers as floats
    return value.strip() if isinstance(value, str) else value


# Validating ----------------------------------------------------------------------------------
