"""Exports of an assessment's answers: CSV, XLSX and JSON.

Carol, a viewer in Demoland, downloads them; Dave, from another country, gets 404.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments.exchange import exports
from assessments.models import User
from assessments.questionnaire import services
from assessments.questionnaire.part_c import part_c_answers_save, part_c_include
from assessments.reports.data import build_report
from tests.assessments.test_part_c import EXAMPLE
from tests.assessments.test_reports import (
    answer_all,
    client_for,
    scenario_assessment,
    scenario_team,
)
from tests.helpers import make_assessment, make_framework

pytestmark = pytest.mark.django_db

FORMULAS = {
    '=HYPERLINK("http://evil.example","x")': '\'=HYPERLINK("http://evil.example","x")',
    "+1+2": "'+1+2",
    "-2+3": "'-2+3",
    "@SUM(A1:A2)": "'@SUM(A1:A2)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "'=1+1": "''=1+1",  # the person's own apostrophe stays, so one more is needed
}


@pytest.fixture
def team():
    return scenario_team()


@pytest.fixture
def assessment(team):
    return scenario_assessment(team["alice"])


def download(user: User, assessment, fmt: str, **params):
    return client_for(user).get(reverse("assessments:export", args=[assessment.pk, fmt]), params)


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_has_one_row_per_item_with_stable_columns(team, assessment):
    response = download(team["carol"], assessment, "csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="iamm-answers-QZ-2026.csv"'
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # so Excel reads UTF-8
    header = content.decode("utf-8-sig").splitlines()[0].split(",")
    assert tuple(header) == exports.COLUMNS
    rows = csv_rows(content)
    assert [r["item_code"] for r in rows] == ["CU1", "CU2", "CU3", "1.1", "1.2", "2.1", "2.2"]
    one = rows[3]
    assert one["part"] == "B"
    assert one["heading_number"] == "1"
    assert one["level"] == "1"
    assert one["score"] == "0.25"
    assert one["target"] == "4"
    assert one["gap"] == "3"
    assert one["priority"] == "high"
    assert one["planned_action"] == "Draft a decree"
    assert one["updated_by"] == "alice"
    assert rows[4]["na_justification"] == "No such movements."
    assert rows[0]["target"] == ""  # Part A has no target


def test_the_xlsx_has_the_same_rows_and_columns(team, assessment):
    response = download(team["carol"], assessment, "xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == exports.COLUMNS
    assert len(rows) == 1 + 7
    by_code = {row[exports.COLUMNS.index("item_code")]: row for row in rows[1:]}
    assert by_code["1.1"][exports.COLUMNS.index("gap")] == 3
    assert by_code["2.1"][exports.COLUMNS.index("score")] == 0.75


@pytest.mark.parametrize(("typed", "exported"), list(FORMULAS.items()))
def test_text_a_spreadsheet_would_run_as_a_formula_is_made_literal(team, typed, exported):
    assessment = scenario_assessment(team["alice"])
    answer_all(assessment, team["alice"], {"1.1": {"evidence": typed, "planned_action": typed}})

    rows = csv_rows(download(team["carol"], assessment, "csv").content)
    row = next(r for r in rows if r["item_code"] == "1.1")
    assert row["evidence"] == exported
    assert row["planned_action"] == exported

    book = load_workbook(io.BytesIO(download(team["carol"], assessment, "xlsx").content))
    cells = {row[7].value: row for row in book.active.iter_rows(min_row=2)}
    evidence = cells["1.1"][exports.COLUMNS.index("evidence")]
    assert evidence.data_type == "s"
    assert evidence.value == exported.replace("\r", "\n")  # XML keeps no carriage returns


def test_numbers_are_not_mistaken_for_formulas():
    assert exports.neutralise(-2) == -2
    assert exports.neutralise("Law 12/2004") == "Law 12/2004"


def test_the_json_holds_the_whole_assessment_with_its_framework_version(team, assessment):
    services.comment_add(
        answer=assessment.answers.get(area__code="2.1"), author=team["alice"], text="Checked."
    )
    response = download(team["carol"], assessment, "json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["format"] == "iamm-assessment/1"
    assert data["framework_version"]["code"] == assessment.framework_version.code
    assert data["assessment"]["country"] == "QZ"
    assert data["assessment"]["status"] == "draft"
    assert data["scores"]["practice_index"] == 50.0
    assert [g["item_code"] for g in data["scores"]["gaps"]] == ["1.1", "2.1"]
    answers = {a["item_code"]: a for a in data["answers"]}
    assert len(answers) == 7
    assert answers["2.1"]["comments"][0]["text"] == "Checked."
    assert answers["1.2"]["level"] == "na"


# In the scenario, 1.1 is at level 1 and CU2 at level 2.
FRENCH = {
    "1.1": "1 – À l'étude (en discussion ou en cours de rédaction)",
    "CU2": "2 – Partiellement pris en compte dans les politiques",
}
ENGLISH = {
    "1.1": "1 – Under consideration (being discussed or drafted)",
    "CU2": "2 – Partly reflected in policy",
}


def test_a_french_export_carries_french_labels_and_plain_numbers(team, assessment):
    rows = {
        r["item_code"]: r
        for r in csv_rows(download(team["carol"], assessment, "csv", lang="fr").content)
    }
    assert tuple(next(iter(rows.values())).keys()) == exports.COLUMNS  # never translated
    for code, label in FRENCH.items():
        assert rows[code]["level_label"] == label
    assert rows["1.1"]["score"] == "0.25"  # numbers are never written the French way
    assert rows["1.1"]["level"] == "1" and rows["1.1"]["priority"] == "high"  # codes stay codes

    book = load_workbook(io.BytesIO(download(team["carol"], assessment, "xlsx", lang="fr").content))
    sheet = list(book.active.iter_rows(values_only=True))
    code, label = exports.COLUMNS.index("item_code"), exports.COLUMNS.index("level_label")
    by_code = {row[code]: row for row in sheet[1:]}
    assert {c: by_code[c][label] for c in FRENCH} == FRENCH
    assert by_code["1.1"][exports.COLUMNS.index("score")] == 0.25

    data = json.loads(download(team["carol"], assessment, "json", lang="fr").content)
    answers = {a["item_code"]: a for a in data["answers"]}
    assert {c: answers[c]["level_label"] for c in FRENCH} == FRENCH
    assert data["scores"]["practice_index"] == 50.0


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_english_export_stays_english_whatever_the_interface_language(team, assessment, fmt):
    client = client_for(team["carol"])
    client.cookies["django_language"] = "fr"
    url = reverse("assessments:export", args=[assessment.pk, fmt])
    content = client.get(url, {"lang": "en"}).content.decode("utf-8-sig")
    for label in ENGLISH.values():
        assert label in content
    assert FRENCH["1.1"] not in content


def lens_assessment(team):
    """The scenario (heading 1 scores 25, heading 2 scores 75) on a framework with lenses."""
    version = make_framework("lenses-1", lenses=True)
    return scenario_assessment(team["alice"], framework_version=version)


def test_the_json_action_plan_is_the_reports_groups_of_item_codes(team, assessment):
    data = json.loads(download(team["carol"], assessment, "json").content)
    report = build_report(assessment)
    expected = [
        {"agency": p.agency.name if p.agency else None, "codes": [e.item.code for e in p.items]}
        for p in report.action_plan
    ]
    groups = [
        {"agency": g["agency"], "codes": [e["item_code"] for e in g["items"]]}
        for g in data["action_plan"]
    ]
    assert groups == expected
    assert data["action_plan"][0]["agency"] is None
    first = {e["item_code"]: e for e in data["action_plan"][0]["items"]}
    assert first["1.1"]["gap"] is True and first["1.1"]["priority"] == "high"
    # Every gap exactly once.
    codes = [e["item_code"] for g in data["action_plan"] for e in g["items"] if e["gap"]]
    assert sorted(codes) == sorted(g["item_code"] for g in data["scores"]["gaps"])


def test_the_json_lenses_have_23_objectives_and_6_domains_computed_by_hand(team):
    assessment = lens_assessment(team)
    data = json.loads(download(team["carol"], assessment, "json").content)
    gcm, sdg = data["lenses"]["gcm"], data["lenses"]["sdg_10_7_2"]
    assert [o["objective"] for o in gcm] == list(range(1, 24))
    assert [d["domain"] for d in sdg] == list(range(1, 7))
    # Objective 1: primary heading 1 (25); heading 2 is secondary and adds nothing to the score.
    assert gcm[0] == {
        "objective": 1,
        "title": "Objective 1",
        "primary_headings": [1],
        "secondary_headings": [2],
        "score": 25.0,
        "status": "scored",
    }
    assert (gcm[1]["score"], gcm[1]["status"]) == (75.0, "scored")
    # Objective 3 is reached only through a secondary link: not assessed, no score invented.
    assert (gcm[2]["secondary_headings"], gcm[2]["score"], gcm[2]["status"]) == (
        [1],
        None,
        "not_assessed",
    )
    assert {o["status"] for o in gcm[3:]} == {"not_assessed"}
    # Domain 1: mean of headings 1 and 2 = (25 + 75) / 2; domain 2: heading 2 alone.
    assert [d["indication"]["value"] for d in sdg] == [50.0, 75.0, None, None, None, None]
    assert {d["indication"]["derived_from"] for d in sdg} == {"iamm_headings"}
    assert [d["official"] for d in sdg] == [None] * 6  # no Part C
    assert data["part_c"] is None
    assert isinstance(gcm[0]["score"], float)  # a number, not a string


def test_the_json_shows_the_un_method_result_when_part_c_is_included(team):
    assessment = lens_assessment(team)
    part_c_include(assessment=assessment)
    part_c_answers_save(assessment=assessment, values=EXAMPLE, user=team["alice"])
    content = download(team["carol"], assessment, "json", lang="fr").content
    sdg = json.loads(content)["lenses"]["sdg_10_7_2"]
    assert [d["official"]["value"] for d in sdg] == [60.0, 100.0, 60.0, 80.0, 40.0, 0.0]
    assert sdg[0]["official"] == {
        "value": 60.0,
        "band": "partially_meets",
        "complete": True,
        "missing": [],
        "method": "un_method",
    }
    assert b'"value": 60.0' in content  # never "60,0" in French
    # The answers travel with the result, so that it can be recomputed from the file alone.
    part_c = json.loads(content)["part_c"]
    assert part_c["answers"] == EXAMPLE and len(EXAMPLE) == 30
    codes = {"yes": 1, "legal_only": 0.5, "no": 0}
    domain_1 = [codes[part_c["answers"][f"1{letter}"]] for letter in "abcde"]
    assert sdg[0]["official"]["value"] == 100 * sum(domain_1) / 5
    assert (part_c["value"], part_c["complete"]) == (56.7, True)


def test_item_names_follow_the_language_asked_for(team, assessment):
    rows = csv_rows(download(team["carol"], assessment, "csv", lang="fr").content)
    assert rows[3]["level_label"] != ""
    assert tuple(rows[0].keys()) == exports.COLUMNS  # column names never translated


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_another_country_cannot_download_the_exports(team, assessment, fmt):
    assert download(team["dave"], assessment, fmt).status_code == 404


def test_an_unknown_format_is_not_found(team, assessment):
    assert download(team["carol"], assessment, "exe").status_code == 404


def test_exports_take_the_same_number_of_queries_whatever_the_size(team):
    counts = []
    for code, cycle, size in (("exp-small", 2030, 1), ("exp-large", 2031, 6)):
        version = make_framework(code, understandings=size, headings=size, areas=size)
        assessment = make_assessment(
            framework_version=version, created_by=team["alice"], cycle=cycle
        )
        with CaptureQueriesContext(connection) as queries:
            exports.export(assessment, "csv", "en")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_every_download_is_recorded_in_the_security_log(team, assessment):
    from assessments.models import SecurityEvent

    download(team["carol"], assessment, "json", lang="es")
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.EXPORT)
    assert event.user == team["carol"]
    assert event.detail == f"assessment {assessment.pk} (QZ 2026): json, es"
