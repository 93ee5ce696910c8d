"""The `Instructions` sheet of the offline workbook, in the workbook's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from assessments.models import Assessment
from iamm.models import FrameworkVersion

from .workbook import INSTRUCTIONS, cell_text, level_choices


def write_instructions(
    sheet: Worksheet, version: FrameworkVersion, assessment: Assessment | None, language: str
) -> None:
    sheet.title = INSTRUCTIONS
    sheet.column_dimensions["A"].width = 110
    title = assessment.title if assessment else _("Blank questionnaire for training")
    lines = [
        (cell_text(title), "title"),
        (_("Framework version: %(version)s") % {"version": version.title}, ""),
    ]
    if assessment is not None:
        lines.append((_("Country: %(country)s") % {"country": assessment.country.name}, ""))
    lines += [
        ("", ""),
        (_("How to fill in this workbook"), "heading"),
        (_("Answer on the sheet named Answers, one row per item."), ""),
        (
            _(
                "Choose levels, target levels, priorities and agencies from the drop-down "
                "lists. You may also type a level as a number from 0 to 4."
            ),
            "",
        ),
        (
            _(
                "Common Understandings (Part A) have a level and evidence only. If you choose "
                "Not applicable, explain why in the justification column."
            ),
            "",
        ),
        (_("Write dates as year-month-day, for example 2027-12-31."), ""),
        (
            _(
                "Do not change the item codes or the item texts, do not rename the sheets and "
                "do not write formulas: the upload refuses them."
            ),
            "",
        ),
        (
            _(
                "The sheet and column names stay in English in every language, so that "
                "colleagues working in another language can exchange this file."
            ),
            "",
        ),
        ("", ""),
        (_("How to upload it"), "heading"),
    ]
    if assessment is None:
        lines.append(
            (
                _(
                    "This blank workbook is for training and belongs to no assessment: it "
                    "cannot be uploaded. Download the workbook of your assessment from its "
                    "list of sections."
                ),
                "",
            )
        )
    else:
        lines.append(
            (
                _(
                    "Open the assessment, choose “Fill in offline (Excel workbook)” and upload "
                    "this file. You will see every change before anything is saved. Answers "
                    "changed online since you downloaded the workbook are shown side by side, "
                    "for you to decide."
                ),
                "",
            )
        )
    for heading, choices in (
        (_("Levels of Part A (Common Understandings)"), level_choices(is_area=False)),
        (_("Levels of Part B (practice areas)"), level_choices(is_area=True)),
    ):
        lines += [("", ""), (heading, "heading"), *((label, "") for _code, label in choices)]
    for row, (text, style) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if style:
            cell.font = Font(bold=True, size=14 if style == "title" else 12)
    sheet.protection.sheet = True
