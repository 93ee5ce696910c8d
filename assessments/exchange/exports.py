"""Exports of an assessment's answers: CSV and XLSX (one row per item, every field, stable
column names) and JSON (the whole assessment with its framework version).

Column names and coded values (levels, priorities, statuses) are stable and never translated,
so that a spreadsheet built on one export keeps working on the next; the item names and the
level wording follow the language asked for.

Spreadsheet programs run a cell that starts with =, +, -, @ (or a tab or carriage return
before one) as a formula: such text cells get a leading apostrophe in CSV and XLSX.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import override

from ..models import Assessment
from ..questionnaire.selectors import part_c_or_none
from ..reports.data import Report, build_report, item_rows
from ..reports.rows import ItemRow, PlanItem
from ..scoring import rules

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
JSON_FORMAT = "iamm-assessment/1"

COLUMNS = (
    "assessment_id",
    "country",
    "cycle",
    "framework_version",
    "part",
    "heading_number",
    "heading_title",
    "item_code",
    "item",
    "level",
    "level_label",
    "score",
    "na_justification",
    "target",
    "gap",
    "priority",
    "responsible_agency",
    "evidence",
    "planned_action",
    "target_date",
    "comment_count",
    "version",
    "updated_at",
    "updated_by",
)

# Text a spreadsheet would run as a formula, after any apostrophes: text that already starts
# with an apostrophe before such a character ("'=note", as someone typed it) gets one more too,
# so that taking off exactly one (`restore`, on import) gives back what was typed.
FORMULA_LIKE = re.compile(r"'*[=+\-@\t\r]")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made literal with an apostrophe."""
    if isinstance(value, str) and FORMULA_LIKE.match(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The text as it was before `neutralise`: a cell's one apostrophe before formula-like text
    is taken off, and only that one."""
    if value.startswith("'") and FORMULA_LIKE.match(value, 1):
        return value[1:]
    return value


def answer_row(assessment: Assessment, item: ItemRow) -> dict[str, Any]:
    answer, heading = item.answer, item.heading
    return {
        "assessment_id": assessment.pk,
        "country": assessment.country.code,
        "cycle": assessment.cycle,
        "framework_version": assessment.framework_version.code,
        "part": item.part,
        "heading_number": heading.number if heading else None,
        "heading_title": heading.title if heading else "",
        "item_code": item.code,
        "item": item.name,
        "level": answer.level,
        "level_label": item.level_label,
        "score": rules.item_score(answer.level),
        "na_justification": answer.na_justification,
        "target": answer.target if answer.area_id else None,
        "gap": item.gap_levels,
        "priority": answer.priority,
        "responsible_agency": answer.responsible_agency.name if answer.responsible_agency else "",
        "evidence": answer.evidence,
        "planned_action": answer.planned_action,
        "target_date": answer.target_date,
        "comment_count": len(answer.comments.all()),
        "version": answer.version,
        "updated_at": answer.updated_at,
        "updated_by": answer.updated_by.username if answer.updated_by else "",
    }


def rows(assessment: Assessment) -> list[dict[str, Any]]:
    return [answer_row(assessment, item) for item in item_rows(assessment)]


def to_csv(assessment: Assessment) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(assessment):
        writer.writerow({k: _csv_value(v) for k, v in row.items()})
    # The byte-order mark makes Excel read the file as UTF-8.
    return out.getvalue().encode("utf-8-sig")


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(value)


def to_xlsx(assessment: Assessment) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    sheet.title = "answers"
    sheet.append(COLUMNS)
    for row in rows(assessment):
        values = []
        for value in row.values():
            if isinstance(value, datetime):
                value = value.replace(tzinfo=None)  # Excel has no time zones; stored in UTC.
            elif isinstance(value, str):
                value = neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
            values.append(value)
        sheet.append(values)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json(assessment: Assessment) -> bytes:
    """The whole assessment: its facts, framework version, sections, answers with comments,
    and the scores."""
    report = build_report(assessment)
    version = assessment.framework_version
    answers = []
    for row in report.understandings:
        answers.append(_json_answer(assessment, row.item))
    for heading in report.headings:
        answers += [_json_answer(assessment, item) for item in heading.items]
    data = {
        "format": JSON_FORMAT,
        "framework_version": {
            "code": version.code,
            "title": version.title,
            "status": version.status,
            "published_at": version.published_at,
        },
        "assessment": {
            "id": assessment.pk,
            "country": assessment.country.code,
            "country_name": str(assessment.country.name),
            "cycle": assessment.cycle,
            "title": assessment.title,
            "status": assessment.status,
            "revision": assessment.revision,
            "created_at": assessment.created_at,
            "updated_at": assessment.updated_at,
            "submitted_at": assessment.submitted_at,
            "validated_at": assessment.validated_at,
            "previous_id": assessment.previous_id,
            "agencies": [{"name": a.name, "short_name": a.short_name} for a in report.agencies],
        },
        "scores": _json_scores(report),
        "action_plan": [
            {
                "agency": plan.agency.name if plan.agency else None,
                "items": [_json_plan_item(entry) for entry in plan.items],
            }
            for plan in report.action_plan
        ],
        "lenses": _json_lenses(report),
        "part_c": _json_part_c(assessment),
        "answers": answers,
    }
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _number(value: Decimal | None) -> float | None:
    """A rounded score as a JSON number (63.8, not the string "63.8")."""
    return None if value is None else float(value)


def _json_scores(report: Report) -> dict[str, Any]:
    return {
        "practice_index": _number(report.practice_index),
        "practice_band": report.practice_band,
        "understanding_index": _number(report.understanding_index),
        "understanding_band": report.understanding_band,
        "coverage": {
            "scored": report.coverage.scored,
            "applicable": report.coverage.applicable,
        },
        "headings": [
            {
                "number": row.number,
                "title": row.heading.title,
                "score": _number(row.score),
                "target": _number(row.target),
                "band": row.band,
            }
            for row in report.headings
        ],
        "gaps": [
            {"item_code": g.item.code, "priority": g.priority, "levels": g.levels}
            for g in report.gaps
        ],
        "coherence_flags": [
            {"understanding": u.flag.number, "weak_headings": list(u.flag.weak_headings)}
            for u in report.coherence
        ],
        "thresholds": [{"lower": bound, "band": key} for bound, key in report.thresholds],
    }


def _json_plan_item(entry: PlanItem) -> dict[str, Any]:
    """An action-plan entry: every gap once, and areas at their target with a planned action."""
    answer = entry.item.answer
    return {
        "item_code": entry.item.code,
        "gap": entry.gap is not None,
        "priority": answer.priority,
        "target_date": answer.target_date,
        "overdue": entry.overdue,
    }


def _json_lenses(report: Report) -> dict[str, Any]:
    """The GCM objectives with their linked headings, and the SDG 10.7.2 domains: the indication
    derived from the IAMM headings, and the UN-method result only when Part C is included."""
    return {
        "gcm": [
            {
                "objective": row.number,
                "title": row.objective.title,
                "primary_headings": [h.number for h in row.primary],
                "secondary_headings": [h.number for h in row.secondary],
                "score": _number(row.lens.shown),
                "status": row.lens.status,
            }
            for row in report.gcm
        ],
        "sdg_10_7_2": [
            {
                "domain": row.number,
                "title": row.domain.name,
                "headings": [h.number for h in row.headings],
                "indication": {
                    "value": _number(row.indication.shown),
                    "derived_from": "iamm_headings",
                },
                "official": None
                if row.official is None
                else {
                    "value": _number(row.official.shown),
                    "band": row.official.band,
                    "complete": row.official.complete,
                    "missing": list(row.official.missing),
                    "method": "un_method",
                },
            }
            for row in report.sdg
        ],
    }


def _json_part_c(assessment: Assessment) -> dict[str, Any] | None:
    """Part C's answers as stored codes by sub-category ("1a": "yes", null when unanswered) and
    its overall UN-method result, so that every figure can be recomputed from the file; None
    when the assessment does not include Part C."""
    part_c = part_c_or_none(assessment)
    if part_c is None:
        return None
    return {
        "answers": {a.subcategory.code: a.value or None for a in part_c.answers},
        "value": _number(part_c.result.shown),
        "band": part_c.result.band,
        "complete": part_c.result.complete,
        "method": "un_method",
    }


def _json_answer(assessment: Assessment, item: ItemRow) -> dict[str, Any]:
    row = answer_row(assessment, item)
    for key in ("assessment_id", "country", "cycle", "framework_version", "comment_count"):
        del row[key]
    row["comments"] = [
        {"author": c.author.username, "created_at": c.created_at, "text": c.text}
        for c in item.answer.comments.all()
    ]
    return row


EXPORTERS = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}


def export(assessment: Assessment, fmt: str, language: str) -> tuple[bytes, str]:
    """(content, content type) of an export; item names in `language`."""
    with override(language):
        return EXPORTERS[fmt](assessment), FORMATS[fmt]


def export_filename(assessment: Assessment, fmt: str) -> str:
    return f"iamm-answers-{assessment.country}-{assessment.cycle}.{fmt}"
