"""The offline workbook: export, read back, preview, apply.

Amina coordinates Demoland (QZ) on the real IAMM framework; Bruno contributes for the Ministry
of the Interior, which is assigned heading 6; Dave coordinates France.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import zipfile
from datetime import date

import pytest
from django.utils.translation import override
from openpyxl import load_workbook

from assessments.exchange import workbook
from assessments.exchange.workbook_apply import DecisionMissing, workbook_apply, workbook_changes
from assessments.exchange.workbook_import import WorkbookInvalid, workbook_read
from assessments.models import Answer, AnswerChange, User
from assessments.questionnaire import services
from tests.helpers import load_framework, make_agency, make_assessment, make_user

pytestmark = pytest.mark.django_db

CHANGED = "The hidden data of this item has been changed. Download a new workbook."
NOT_XLSX = (
    "The file is not an Excel workbook (.xlsx). Save it as an Excel workbook and upload it again."
)
TRICKY = '=HYPERLINK("http://evil.example","x")'  # formula-like text, kept as text


@pytest.fixture
def team():
    load_framework()
    interior = make_agency("QZ", "Ministry of the Interior")
    labour = make_agency("QZ", "Ministry of Labour, Employment")  # a comma in a list value
    amina = make_user("amina", role=User.Role.COORDINATOR, agency=interior)
    bruno = make_user("bruno", agency=interior)
    dave = make_user("dave", country="FR", role=User.Role.COORDINATOR)
    assessment = make_assessment(created_by=amina, agencies=[interior, labour])
    answers = {
        workbook.item_code(a): a for a in assessment.answers.select_related("area", "understanding")
    }
    services.answers_save(
        assessment=assessment,
        user=amina,
        updates=[
            (answers["CU1"], 0, {"level": "3", "evidence": "Policy 2019\r\nsecond line"}),
            (
                answers["1.1"],
                0,
                {
                    "level": "2",
                    "target": 3,
                    "priority": "high",
                    "responsible_agency": labour,
                    "evidence": TRICKY,
                    "planned_action": "'quoted by the user",
                    "target_date": date(2027, 12, 31),
                },
            ),
            (answers["1.2"], 0, {"level": "na", "na_justification": "-no such border"}),
        ],
    )
    section = assessment.sections.get(order=6)
    services.section_assign(section=section, agency=interior)
    return {"amina": amina, "bruno": bruno, "dave": dave, "assessment": assessment}


def export(assessment, language: str = "en", orders=None) -> bytes:
    items = workbook.assessment_items(assessment, language=language, orders=orders)
    return workbook.workbook_build(
        version=assessment.framework_version,
        items=items,
        language=language,
        assessment=assessment,
        agencies=workbook.workbook_agencies(assessment),
    )


def edit(content: bytes, changes: dict[tuple[str, str], object], sheet: str = "Answers") -> bytes:
    """The workbook with cells changed as a person would, by item code and column name."""
    book = load_workbook(io.BytesIO(content))
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for (code, column), value in changes.items():
        ws.cell(row=rows[code], column=header.index(column) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(team, content: bytes, user: str = "amina"):
    return workbook_read(content=content, assessment=team["assessment"], user=team[user])


def snapshot(assessment) -> list[tuple]:
    return list(
        Answer.objects.filter(assessment=assessment)
        .order_by("pk")
        .values_list("pk", "version", *Answer.TRACKED_FIELDS)
    )


def problems(team, content: bytes, user: str = "amina") -> list[str]:
    before = snapshot(team["assessment"])
    with pytest.raises(WorkbookInvalid) as error:
        read(team, content, user)
    assert snapshot(team["assessment"]) == before
    return [str(p) for p in error.value.problems]


# Export ------------------------------------------------------------------------------------


def test_the_workbook_has_english_sheets_and_columns_and_translated_texts(team):
    content = export(team["assessment"], "fr")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Instructions", "Answers", "Lists", "Meta"]
    assert book["Meta"].sheet_state == "hidden" and book["Lists"].sheet_state == "hidden"
    answers = book["Answers"]
    assert [c.value for c in answers[1]] == list(workbook.COLUMNS)
    assert answers.max_row == 64  # the header and the 63 items of the IAMM
    cu1, area = answers[2], answers[22]
    assert cu1[0].value == "CU1"
    assert cu1[3].value == "3 – Largement pris en compte dans les politiques et la pratique"
    assert area[0].value == "1.1"
    assert area[3].value == "2 – Adopté dans la loi ou les politiques, pas encore mis en œuvre"
    assert area[4].value is None and area[5].value == 3
    assert area[6].value == "Élevée"
    assert area[7].value == "Ministry of Labour, Employment"  # data, never translated
    assert area[8].value == "'" + TRICKY  # made literal for spreadsheets
    assert area[10].value.date() == date(2027, 12, 31)
    # Only the answer cells are unlocked; codes and texts are protected.
    assert answers.protection.sheet
    assert area[0].protection.locked and area[2].protection.locked
    assert not area[3].protection.locked and not area[9].protection.locked
    assert cu1[5].protection.locked  # Part A has no target
    assert len(answers.data_validations.dataValidation) >= 4
    meta = {r[0]: r[1] for r in book["Meta"].iter_rows(min_row=2, max_row=7, values_only=True)}
    assert meta["assessment_id"] == team["assessment"].pk and meta["country"] == "QZ"
    assert meta["framework_version"] == "iamm-2005" and meta["language"] == "fr"


# Round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_an_unchanged_workbook_imports_as_no_change_in_each_language(team, language):
    rows = read(team, export(team["assessment"], language))
    assert rows == []


def test_a_workbook_exported_in_french_imports_into_an_english_session(team):
    content = edit(
        export(team["assessment"], "fr"),
        {("2.1", "Current level"): "4 – Pleinement mis en œuvre et réexaminé périodiquement"},
    )
    with override("en"):
        rows = read(team, content)
        changes = workbook_changes(assessment=team["assessment"], user=team["amina"], rows=rows)
    assert [(c.code, [(f.name, f.old, f.new) for f in c.fields]) for c in changes] == [
        ("2.1", [("level", "", "4 – Fully implemented and periodically reviewed")])
    ]


@pytest.mark.parametrize(
    "typed, stored",
    [
        (3, "3"),
        (3.0, "3"),
        ("3", "3"),
        ("3 - partially implemented", "3"),
        ("No aplicable", "na"),
        ("don’t know", "dk"),
    ],
)
def test_levels_are_read_from_numbers_or_labels_in_any_language(team, typed, stored):
    justification = {("2.1", "Not applicable justification"): "Handled elsewhere"}
    content = edit(export(team["assessment"]), {("2.1", "Current level"): typed, **justification})
    (row,) = read(team, content)
    assert row.values["level"] == stored


@pytest.mark.parametrize(
    "typed, stored",
    [
        (12.5, "12.5"),
        (3, "3"),
        (3.0, "3"),
        (1e308, "1E+308"),
        (-1.5e-7, "-1.5E-07"),
        (date(2020, 1, 1), "2020-01-01"),
    ],
)
def test_numbers_in_text_cells_are_kept_as_the_spreadsheet_shows_them(team, typed, stored):
    # 1e308 was stored as an integer of 309 digits.
    numbers = {("2.1", "Current level"): 2.0, ("2.1", "Target level"): 3.0}  # read as before
    content = edit(
        export(team["assessment"]),
        {("2.1", "Evidence"): typed, ("2.1", "Planned action"): typed, **numbers},
    )
    (row,) = read(team, content)
    assert (row.values["evidence"], row.values["planned_action"]) == (stored, stored)
    assert (row.values["level"], row.values["target"]) == ("2", 3)


def test_one_change_offline_makes_one_history_entry_naming_the_file(team):
    assessment = team["assessment"]
    content = edit(
        export(assessment), {("1.1", "Evidence"): "Act 2016", ("1.1", "Priority"): "Low"}
    )
    rows = read(team, content)
    changed = workbook_apply(
        assessment=assessment, user=team["amina"], rows=rows, decisions={}, seen={}, source="w.xlsx"
    )
    assert changed == 1
    answer = assessment.answers.get(area__code="1.1")
    assert (answer.evidence, answer.priority, answer.version) == ("Act 2016", "low", 2)
    (entry,) = AnswerChange.objects.filter(answer=answer).order_by("-pk")[:1]
    assert entry.changes == {"priority": ["high", "low"], "evidence": [TRICKY, "Act 2016"]}
    assert entry.source == "w.xlsx"
    assert AnswerChange.objects.filter(answer__assessment=assessment).count() == 4
    assert read(team, content) == []  # uploading it again changes nothing


def test_formula_like_text_survives_the_round_trip_and_apostrophes_typed_by_people_stay(team):
    content = edit(
        export(team["assessment"]),
        {("2.1", "Evidence"): "'=1+1", ("3.1", "Evidence"): "'tis so", ("3.2", "Evidence"): "'+"},
    )
    values = {r.answer_id: r.values["evidence"] for r in read(team, content)}
    assert sorted(values.values()) == ["'tis so", "+", "=1+1"]


def test_text_with_an_apostrophe_before_a_formula_character_comes_back_as_typed(team):
    # The import took off the person's own apostrophe too: "'=note" came back as "=note".
    assessment = team["assessment"]
    typed = {"2.1": "'=important note", "3.1": "''-5% budget cut", "3.2": "'@ home", "4.1": "'"}
    answers = {workbook.item_code(a): a for a in assessment.answers.select_related("area")}
    services.answers_save(
        assessment=assessment,
        user=team["amina"],
        updates=[(answers[code], 0, {"evidence": text}) for code, text in typed.items()],
    )
    assert read(team, export(assessment)) == []


def test_an_answer_changed_online_since_the_download_is_a_conflict(team):
    assessment, amina = team["assessment"], team["amina"]
    content = edit(export(assessment), {("1.1", "Current level"): 4, ("2.1", "Current level"): 1})
    online = assessment.answers.get(area__code="1.1")
    services.answers_save(assessment=assessment, user=amina, updates=[(online, 1, {"level": "3"})])
    rows = read(team, content)
    changes = {c.code: c for c in workbook_changes(assessment=assessment, user=amina, rows=rows)}
    assert changes["1.1"].conflict and not changes["2.1"].conflict
    assert [(f.old, f.new) for f in changes["1.1"].fields] == [
        ("3 – Partially implemented", "4 – Fully implemented and periodically reviewed")
    ]
    with pytest.raises(DecisionMissing):
        workbook_apply(
            assessment=assessment, user=amina, rows=rows, decisions={}, seen={}, source="w"
        )
    assert assessment.answers.get(area__code="2.1").level == ""  # nothing applied
    seen = {online.pk: 2}
    workbook_apply(
        assessment=assessment,
        user=amina,
        rows=rows,
        decisions={online.pk: "online"},
        seen=seen,
        source="w",
    )
    assert assessment.answers.get(area__code="1.1").level == "3"
    assert assessment.answers.get(area__code="2.1").level == "1"


def test_taking_the_workbook_after_a_second_online_change_is_a_new_conflict(team):
    assessment, amina = team["assessment"], team["amina"]
    content = edit(export(assessment), {("1.1", "Current level"): 4})
    online = assessment.answers.get(area__code="1.1")
    services.answers_save(assessment=assessment, user=amina, updates=[(online, 1, {"level": "3"})])
    rows = read(team, content)
    services.answers_save(assessment=assessment, user=amina, updates=[(online, 2, {"level": "0"})])

    def take_the_workbook(seen_version: int) -> int:
        return workbook_apply(
            assessment=assessment,
            user=amina,
            rows=rows,
            decisions={online.pk: "workbook"},
            seen={online.pk: seen_version},
            source="w",
        )

    with pytest.raises(services.ConflictError):
        take_the_workbook(2)  # the person saw version 2; it is 3 now
    assert assessment.answers.get(area__code="1.1").level == "0"
    take_the_workbook(3)
    assert assessment.answers.get(area__code="1.1").level == "4"


# Bad files -----------------------------------------------------------------------------------


def zip_of(entries: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_file_that_is_not_an_xlsx_is_refused(team):
    for content in (b"%PDF-1.7 not a workbook", b"", zip_of({"word/document.xml": b"<w/>"})):
        assert problems(team, content) == [NOT_XLSX]


def test_a_zip_bomb_is_refused_before_anything_is_inflated(team, settings):
    bomb = zip_of({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"\0" * 60_000_000})
    assert len(bomb) < 100_000
    assert problems(team, bomb) == [
        "The file is too large once uncompressed. Upload the workbook itself."
    ]
    many = zip_of({f"xl/{n}.xml": b"" for n in range(300)})
    assert "too large once uncompressed" in problems(team, many)[0]


def test_an_oversized_upload_is_refused(team, settings):
    settings.WORKBOOK_MAX_UPLOAD_BYTES = 1024
    assert problems(team, export(team["assessment"])) == [
        "The file is larger than 0 MB. Upload the workbook without added content."
    ]


def test_too_many_rows_are_refused(team, settings):
    settings.WORKBOOK_MAX_ROWS = 50
    assert "more than 50 rows" in problems(team, export(team["assessment"]))[0]


def test_too_many_filled_cells_are_refused_naming_that_limit(team, settings):
    settings.WORKBOOK_MAX_CELLS = 1
    assert problems(team, export(team["assessment"]))[0].startswith(
        "Sheet Meta, row 1: The sheet has more than 1 filled cell. Upload the workbook"
    )


def test_a_blank_workbook_or_another_assessment_country_or_version_is_refused(team):
    version = team["assessment"].framework_version
    blank = workbook.workbook_build(
        version=version, items=workbook.blank_items(version, language="en"), language="en"
    )
    assert problems(team, blank)[0].startswith("Sheet Meta, row 3, column “Value”: This is a blank")
    other = make_assessment(cycle=2030, created_by=team["amina"])
    assert "another assessment" in problems(team, export(other))[0]
    french = make_assessment(country="FR", created_by=team["dave"])
    assert "another country" in problems(team, export(french))[0]
    book = load_workbook(io.BytesIO(export(team["assessment"])))
    book["Meta"]["B5"] = "iamm-2031"
    out = io.BytesIO()
    book.save(out)
    assert "framework version iamm-2031" in problems(team, out.getvalue())[0]


def test_tampered_ids_and_versions_are_refused(team):
    assessment = team["assessment"]
    other = make_assessment(cycle=2030, created_by=team["amina"])
    book = load_workbook(io.BytesIO(export(assessment)))
    meta = book["Meta"]
    meta["B11"] = other.answers.first().pk  # CU1's row points at another assessment's answer
    meta["C12"] = 7  # CU2 claims a version never stored
    out = io.BytesIO()
    book.save(out)
    assert problems(team, out.getvalue()) == [
        f"Sheet Meta, row 11, column “Answer id”: {CHANGED}",
        "Sheet Meta, row 12, column “Version”: "
        "The version of this item has been changed. Download a new workbook.",
    ]


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("Current level", "7 – Perfect", "“7 – Perfect” is not one of the choices"),
        ("Priority", "Urgent", "“Urgent” is not one of the choices"),
        (
            "Responsible agency",
            "Ministry of Magic",
            "“Ministry of Magic” is not one of the choices",
        ),
        ("Target level", 9, "Select a target level from 0 to 4 for"),
        ("Target date", "31/12/2027", "Enter a real target date for"),
        ("Target date", "1999-01-01", "Enter a target date between 2000 and 2100"),
        ("Target date", 99999999, "Enter the date as year-month-day, for example 2027-12-31"),
        ("Evidence", "x" * 10_001, "Shorten the evidence for"),
        ("Evidence", "bell_x0007_", "Remove the control characters"),
        ("Evidence", "=1+1", "The cell holds a formula"),
        ("Current level", "=1+3", "The cell holds a formula"),
        ("Current level", "Not applicable", "Explain why"),
    ],
)
def test_bad_values_name_sheet_row_and_column_and_change_nothing(team, column, value, message):
    content = edit(export(team["assessment"]), {("2.1", column): value})
    (problem,) = problems(team, content)
    if message == "Explain why":  # the form puts this one on the justification
        column = "Not applicable justification"
    assert problem.startswith(f"Sheet Answers, row 24, column “{column}”: ")
    assert message in problem


def test_every_problem_of_every_row_is_listed_at_once(team):
    # Only a row's first problem was listed; the others appeared one upload after another.
    content = edit(
        export(team["assessment"]),
        {
            ("2.1", "Current level"): "7 – inventé",
            ("2.1", "Target level"): 9,
            ("2.1", "Evidence"): "=1+1",
            ("2.1", "Target date"): "31/02/2027",
            ("3.1", "Priority"): "Urgent",
            ("3.1", "Planned action"): "=A1",
        },
    )
    assert [p.split(": ")[0] for p in problems(team, content)] == [
        "Sheet Answers, row 24, column “Current level”",
        "Sheet Answers, row 24, column “Target level”",
        "Sheet Answers, row 24, column “Evidence”",
        "Sheet Answers, row 24, column “Target date”",
        "Sheet Answers, row 25, column “Priority”",
        "Sheet Answers, row 25, column “Planned action”",
    ]


def test_a_column_heading_that_appears_twice_is_refused(team):
    # The import read the person's own column L instead of the workbook's column I.
    book = load_workbook(io.BytesIO(edit(export(team["assessment"]), {("2.1", "Evidence"): "I"})))
    book["Answers"]["L1"] = "Evidence "
    book["Answers"]["L24"] = "L"
    out = io.BytesIO()
    book.save(out)
    assert problems(team, out.getvalue()) == [
        "Sheet Answers, row 1: The heading “Evidence” is in more than one column (I, L). "
        "Keep it on the workbook's own column only: rename or delete the other, then upload "
        "the file again."
    ]
    with override("fr"):
        (problem,) = problems(team, out.getvalue())
    assert "L'en-tête « Evidence » figure dans plusieurs colonnes (I, L)." in problem


def test_a_damaged_hidden_table_is_refused(team):
    book = load_workbook(io.BytesIO(export(team["assessment"])))
    book["Meta"]["B13"] = "x"
    out = io.BytesIO()
    book.save(out)
    assert problems(team, out.getvalue()) == [f"Sheet Meta, row 13, column “Answer id”: {CHANGED}"]


def test_escaped_text_survives_the_round_trip(team):
    assessment = team["assessment"]
    answer = assessment.answers.get(area__code="3.1")
    services.answers_save(
        assessment=assessment, user=team["amina"], updates=[(answer, 0, {"evidence": "a_x0041_b"})]
    )
    assert read(team, export(assessment)) == []


def test_part_a_rows_have_only_a_level_and_evidence(team):
    content = edit(export(team["assessment"]), {("CU2", "Target level"): 2})
    assert problems(team, content) == [
        "Sheet Answers, row 3, column “Target level”: "
        "Common Understandings have a level and evidence only: leave it empty."
    ]


def test_sections_the_person_may_not_edit_are_refused_when_changed(team):
    content = edit(
        export(team["assessment"]), {("1.1", "Current level"): 4, ("6.1", "Current level"): 4}
    )
    (problem,) = problems(team, content, "bruno")
    assert problem.startswith("Sheet Answers, row ")
    assert "You may not change answers in this section" in problem
    only_his = edit(export(team["assessment"]), {("6.1", "Current level"): 4})
    assert len(read(team, only_his, "bruno")) == 1


def test_a_full_workbook_imports_quickly(team):
    """All 63 items changed; the time is printed for the closing note."""
    assessment = team["assessment"]
    content = export(assessment)
    book = load_workbook(io.BytesIO(content))
    ws = book["Answers"]
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=4, value=2)
        ws.cell(row=row, column=9, value=f"Evidence {row}")
    out = io.BytesIO()
    book.save(out)
    start = time.perf_counter()
    rows = read(team, out.getvalue())
    changed = workbook_apply(
        assessment=assessment, user=team["amina"], rows=rows, decisions={}, seen={}, source="w"
    )
    elapsed = time.perf_counter() - start
    print(f"\nimport of a full 63-item workbook: {elapsed * 1000:.0f} ms")
    assert changed == 63
    assert elapsed < 5


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_workbook_saved_again_by_libreoffice_imports_unchanged(team, tmp_path):
    """LibreOffice rewrites the whole file (its own XML, numbers as floats, shared strings)."""
    assessment = team["assessment"]
    source = tmp_path / "in" / "workbook.xlsx"
    source.parent.mkdir()
    source.write_bytes(export(assessment, "fr"))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    resaved = (tmp_path / "workbook.xlsx").read_bytes()
    assert resaved != source.read_bytes()
    assert read(team, resaved) == []
    content = edit(resaved, {("1.1", "Current level"): "4", ("CU2", "Evidence"): "Décret 2020"})
    assert {r.values.get("level") or r.values["evidence"] for r in read(team, content)} == {
        "4",
        "Décret 2020",
    }
