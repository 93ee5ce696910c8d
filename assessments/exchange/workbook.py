"""The offline workbook: the questionnaire as an XLSX file to fill in without a connection and
upload again (`workbook_import`).

Sheet names, column names and the hidden data stay English in every language, so that a file
downloaded in French can be filled in by a Spanish-speaking colleague and uploaded from an
English session; the instructions, the headers' help, the item texts and the drop-down labels
follow the language asked for. Levels are written as their labels ("3 – Partially
implemented"), which the import reads back in any of the app's languages, as it does the plain
numbers.

The `Meta` sheet (hidden and protected) names the assessment, its country and framework
version, and each item's answer id and version, so that the import can tell an offline change
from one made online since the download.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from assessments.exchange.exports import neutralise
from assessments.models import Agency, Answer, Assessment
from assessments.vocabulary import PART_A_LEVELS, PART_B_LEVELS
from iamm.models import FrameworkVersion

FORMAT = "iamm-workbook/1"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

INSTRUCTIONS, ANSWERS, LISTS, META = "Instructions", "Answers", "Lists", "Meta"

CODE, SECTION, ITEM = "Item code", "Section", "Item"
# The answer columns, by the form field each one fills.
FIELD_COLUMNS = {
    "level": "Current level",
    "na_justification": "Not applicable justification",
    "target": "Target level",
    "priority": "Priority",
    "responsible_agency": "Responsible agency",
    "evidence": "Evidence",
    "planned_action": "Planned action",
    "target_date": "Target date",
}
COLUMNS = (CODE, SECTION, ITEM, *FIELD_COLUMNS.values())
# Part A items (Common Understandings) have a level and evidence only, as on the section page.
PART_A_FIELDS = ("level", "evidence")
TEXT_FIELDS = ("na_justification", "evidence", "planned_action")
WIDTHS = {CODE: 10, SECTION: 28, ITEM: 60, "Evidence": 50, "Planned action": 40}

# Meta sheet: key/value rows, then one row per item from META_TABLE_ROW.
META_KEYS = ("format", "assessment_id", "country", "framework_version", "language", "exported_at")
META_TABLE = ("Item code", "Answer id", "Version")
META_TABLE_ROW = len(META_KEYS) + 3

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
UNLOCKED = Protection(locked=False)


@dataclass
class Item:
    """One row of the Answers sheet."""

    code: str
    section: str
    name: str
    is_area: bool
    answer: Answer  # unsaved, with default values, in a blank workbook


def level_choices(*, is_area: bool) -> list[tuple[str, str]]:
    """(code, label) of the current level, in the active language."""
    return [(code, str(label)) for code, label in (PART_B_LEVELS if is_area else PART_A_LEVELS)]


def priority_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in Answer.Priority.choices]


def item_code(answer: Answer) -> str:
    return f"CU{answer.understanding.number}" if answer.understanding_id else answer.area.code


def workbook_agencies(assessment: Assessment) -> list[Agency]:
    """The agencies the drop-down offers: as on the section page, the country's active ones."""
    return list(Agency.objects.filter(country=assessment.country, is_active=True))


def agency_label(agency: Agency) -> str:
    # The full name: short names need not be unique within a country.
    return agency.name


# Items ---------------------------------------------------------------------------------------


def assessment_items(
    assessment: Assessment, *, language: str, orders: Iterable[int] | None = None
) -> list[Item]:
    """The assessment's items in questionnaire order, limited to the sections `orders`, with
    their texts in `language`."""
    answers = (
        assessment.answers.select_related("understanding", "area__heading", "responsible_agency")
        .order_by("section__order", "understanding__number", "area__order")
        .defer("understanding__source_note")
    )
    if orders is not None:
        answers = answers.filter(section__order__in=list(orders))
    with override(language):
        return [_item(answer) for answer in answers]


def blank_items(version: FrameworkVersion, *, language: str) -> list[Item]:
    """Every item of a framework version, with the values of a new assessment."""
    with override(language):
        understandings = version.understandings.order_by("number")
        items = [_item(Answer(understanding=u)) for u in understandings]
        for heading in version.headings.prefetch_related("areas").order_by("number"):
            items += [_item(Answer(area=area)) for area in heading.areas.all()]
    return items


def _item(answer: Answer) -> Item:
    if answer.understanding_id:
        u = answer.understanding
        section = _("Part A – Common Understandings")
        return Item(f"CU{u.number}", str(section), u.text, False, answer)
    area = answer.area
    return Item(area.code, str(area.heading), area.name, True, answer)


# The workbook --------------------------------------------------------------------------------


def workbook_build(
    *,
    version: FrameworkVersion,
    items: Sequence[Item],
    language: str,
    assessment: Assessment | None = None,
    agencies: Sequence[Agency] = (),
) -> bytes:
    """The XLSX file of `items` in `language`; without an assessment, a blank workbook for
    training (the import refuses it)."""
    with override(language):
        book = Workbook()
        # The instructions sheet reads this module's names: imported here, not at the top.
        from .workbook_instructions import write_instructions

        write_instructions(book.active, version, assessment, language)
        answers = book.create_sheet(ANSWERS)
        lists = _lists(book.create_sheet(LISTS), agencies)
        _answers(answers, items, lists)
        _meta(book.create_sheet(META), version, assessment, items, language)
        book.active = 1  # open on the Answers sheet
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()


def workbook_filename(*, version: FrameworkVersion, language: str, assessment=None) -> str:
    if assessment is None:
        return f"iamm-workbook-{version.code}-blank-{language}.xlsx"
    return f"iamm-workbook-{assessment.country}-{assessment.cycle}-{language}.xlsx"


# How XLSX spells a character as text (_x0007_); spreadsheets decode it, openpyxl does not.
ESCAPED_CHARACTER = re.compile(r"_x([0-9A-Fa-f]{4})_")


def cell_text(value: str) -> str:
    """Text as a cell holds it: without the characters XLSX cannot store, an escape-like
    sequence kept literal, and made literal where a spreadsheet would run it as a formula (the
    import removes that apostrophe again)."""
    value = ESCAPED_CHARACTER.sub(r"_x005F_x\1_", ILLEGAL_CHARACTERS_RE.sub("", value))
    return neutralise(value)


def _lists(sheet: Worksheet, agencies: Sequence[Agency]) -> dict[str, str]:
    """The drop-down lists, one column each; returns each list's range by field."""
    columns = {
        "level_a": [label for _code, label in level_choices(is_area=False)],
        "level_b": [label for _code, label in level_choices(is_area=True)],
        "target": [str(n) for n in range(5)],
        "priority": [label for _code, label in priority_choices()],
        "responsible_agency": [cell_text(agency_label(a)) for a in agencies],
    }
    ranges = {}
    for index, (key, values) in enumerate(columns.items(), start=1):
        sheet.cell(row=1, column=index, value=key)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value)
        if values:
            letter = get_column_letter(index)
            ranges[key] = f"{quote_sheetname(sheet.title)}!${letter}$2:${letter}${len(values) + 1}"
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True
    return ranges


def _answers(sheet: Worksheet, items: Sequence[Item], lists: dict[str, str]) -> None:
    help_texts = _column_help()
    for col, name in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=col, value=name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if name in help_texts:
            cell.comment = Comment(help_texts[name], "IAMM", width=300, height=120)
        sheet.column_dimensions[get_column_letter(col)].width = WIDTHS.get(name, 18)
    position = {name: col for col, name in enumerate(COLUMNS, start=1)}
    cells: dict[str, list[str]] = {}
    for row, item in enumerate(items, start=2):
        values = _row_values(item)
        for name, col in position.items():
            field = _field_of(name)
            cell = sheet.cell(row=row, column=col, value=values.get(name))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if field is None or (not item.is_area and field not in PART_A_FIELDS):
                cell.fill = LOCKED_FILL
                continue
            cell.protection = UNLOCKED
            if field == "target_date":
                cell.number_format = "yyyy-mm-dd"
            key = ("level_b" if item.is_area else "level_a") if field == "level" else field
            cells.setdefault(key, []).append(cell.coordinate)
    for key, coordinates in cells.items():
        if key in lists:
            _drop_down(sheet, lists[key], coordinates)
    sheet.freeze_panes = "D2"
    # Only the answer cells are unlocked; people may still resize, filter and format.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.formatCells = False
    sheet.protection.autoFilter = False


def _field_of(column: str) -> str | None:
    for field, name in FIELD_COLUMNS.items():
        if name == column:
            return field
    return None


def _row_values(item: Item) -> dict[str, object]:
    answer = item.answer
    values: dict[str, object] = {
        CODE: item.code,
        SECTION: cell_text(item.section),
        ITEM: cell_text(item.name),
        FIELD_COLUMNS["level"]: dict(level_choices(is_area=item.is_area)).get(answer.level),
        FIELD_COLUMNS["evidence"]: cell_text(answer.evidence) or None,
    }
    if not item.is_area:
        return values
    agency = answer.responsible_agency if answer.responsible_agency_id else None
    values |= {
        FIELD_COLUMNS["na_justification"]: cell_text(answer.na_justification) or None,
        FIELD_COLUMNS["target"]: answer.target,
        FIELD_COLUMNS["priority"]: dict(priority_choices()).get(answer.priority),
        FIELD_COLUMNS["responsible_agency"]: cell_text(agency_label(agency)) if agency else None,
        FIELD_COLUMNS["planned_action"]: cell_text(answer.planned_action) or None,
        FIELD_COLUMNS["target_date"]: answer.target_date,
    }
    return values


def _drop_down(sheet: Worksheet, source: str, coordinates: list[str]) -> None:
    validation = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Choose from the list"),
        error=_("Choose a value from the drop-down list."),
    )
    sheet.add_data_validation(validation)
    for coordinate in coordinates:
        validation.add(coordinate)


def _column_help() -> dict[str, str]:
    return {
        CODE: _("The item's code. Do not change it."),
        ITEM: _("The Common Understanding or practice area. Do not change it."),
        FIELD_COLUMNS["level"]: _(
            "Choose from the list, or type a number from 0 to 4. Part B items may be Not "
            "applicable; every item may be Don't know."
        ),
        FIELD_COLUMNS["na_justification"]: _(
            "Required when the current level is Not applicable: explain why."
        ),
        FIELD_COLUMNS["target"]: _(
            "The level your country aims for, from 0 to 4. 4 unless you set your own ambition."
        ),
        FIELD_COLUMNS["priority"]: _("Optional: High, Medium or Low."),
        FIELD_COLUMNS["responsible_agency"]: _("Optional: one of your country's agencies."),
        FIELD_COLUMNS["evidence"]: _(
            "Optional: laws, policies, reports or links that support this answer."
        ),
        FIELD_COLUMNS["planned_action"]: _("Optional: what will be done to close the gap."),
        FIELD_COLUMNS["target_date"]: _("Optional: a date for the action, such as 2027-12-31."),
    }


def _meta(
    sheet: Worksheet,
    version: FrameworkVersion,
    assessment: Assessment | None,
    items: Sequence[Item],
    language: str,
) -> None:
    values = {
        "format": FORMAT,
        "assessment_id": assessment.pk if assessment else None,
        "country": assessment.country.code if assessment else None,
        "framework_version": version.code,
        "language": language,
        # Text, not a date cell: it is for people reading the file and is never parsed.
        "exported_at": timezone.now().replace(microsecond=0).isoformat(),
    }
    sheet.append(("Key", "Value"))
    for key in META_KEYS:
        sheet.append((key, values[key]))
    sheet.append(())
    sheet.append(META_TABLE)
    for item in items:
        answer = item.answer
        sheet.append((item.code, answer.pk, answer.version if answer.pk else None))
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True
