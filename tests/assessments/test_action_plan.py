"""The action plan: every gap exactly once, the ones no agency has taken on first, overdue
dates flagged, in every report (the HTML page and the document the PDF is made from).

Counted on Demoland's demo data (`seed_demo`: two cycles on the real IAMM content, gaps with and
without a responsible agency, target dates before and after the report's date) and on a small
hand-made case.
"""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import Answer, Assessment, User
from tests.assessments.test_report_numbers import report_document, report_page, section, text
from tests.assessments.test_reports import answer_all
from tests.helpers import load_framework, make_agency, make_assessment, make_framework, make_user

pytestmark = pytest.mark.django_db

PLAN_ITEM = re.compile(r'<li class="plan-item( overdue)?" data-item="([^"]+)"')


def expected_gaps(assessment: Assessment) -> dict[str, Answer]:
    """The gaps worked out from the stored answers, without the report's code."""
    return {
        a.area.code: a
        for a in assessment.answers.filter(area__isnull=False).select_related("area")
        if a.level.isdigit() and a.target > int(a.level)
    }


def plan_items(html: str) -> list[tuple[str, bool]]:
    return [
        (code, bool(overdue)) for overdue, code in PLAN_ITEM.findall(section(html, "action-plan"))
    ]


def ranked_gap_codes(html: str) -> list[str]:
    rows = re.findall(
        r'<tr class="gap-row">.*?<th scope="row">(.*?)</th>', section(html, "gaps"), re.S
    )
    return [text(row).split()[0] for row in rows]


def check_plan(html: str, assessment: Assessment, as_of: datetime.date) -> None:
    gaps = expected_gaps(assessment)
    items = plan_items(html)
    codes = [code for code, _overdue in items]
    assert sorted(ranked_gap_codes(html)) == sorted(gaps)
    for code in gaps:
        assert codes.count(code) == 1, f"gap {code} is in the action plan {codes.count(code)} times"
    assert len(codes) == len(set(codes))
    answers = {
        a.area.code: a for a in assessment.answers.filter(area__isnull=False).select_related("area")
    }
    for code, overdue in items:
        date = answers[code].target_date
        assert overdue == (date is not None and date < as_of), (code, date, as_of)
    unassigned = [c for c in gaps if gaps[c].responsible_agency_id is None]
    headings = re.findall(r"<h3>(.*?)</h3>", section(html, "action-plan"), re.S)
    if unassigned:
        assert text(headings[0]) == "No agency assigned yet"
        first_group = section(html, "action-plan").split("<h3>")[1].split("</ul>")[0]
        assert {c for _o, c in PLAN_ITEM.findall(first_group)} >= set(unassigned)


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    load_framework()
    call_command("seed_demo", stdout=StringIO())
    return User.objects.get(username="coordinator")


def test_the_demo_action_plan_holds_every_gap_once_unassigned_first_overdue_flagged(demo, tmp_path):
    for assessment in Assessment.objects.filter(country="QZ"):
        assert expected_gaps(assessment), "the demo should have gaps to plan"
        as_of = (assessment.validated_at or assessment.updated_at).date()
        check_plan(report_page(demo, assessment, "en"), assessment, as_of)
        check_plan(report_document(assessment, "en", tmp_path), assessment, as_of)


def test_a_gap_with_no_agency_and_no_action_is_still_in_the_plan_unassigned_first(tmp_path):
    alice = make_user("alice", role=User.Role.COORDINATOR)
    labour = make_agency("QZ", "Ministry of Labour")
    assessment = make_assessment(framework_version=make_framework("plan"), created_by=alice)
    answer_all(
        assessment,
        alice,
        {
            "1.1": {"level": "0", "priority": "high"},  # the top gap: no agency, no action, no date
            "1.2": {
                "level": "2",
                "responsible_agency": labour,
                "target_date": datetime.date(2001, 1, 1),
            },
            "2.1": {
                "level": "4",
                "planned_action": "Keep it up",
                "target_date": datetime.date(2099, 1, 1),
            },
            "2.2": {"level": "3", "responsible_agency": labour, "planned_action": "Review"},
        },
    )
    assessment.refresh_from_db()
    html = report_page(alice, assessment, "en")
    check_plan(html, assessment, assessment.updated_at.date())
    assert plan_items(html) == [("2.1", False), ("1.1", False), ("1.2", True), ("2.2", False)]
    assert "1 action is overdue." in text(section(html, "action-plan"))
    french = text(section(report_page(alice, assessment, "fr"), "action-plan"))
    assert "en retard" in french
