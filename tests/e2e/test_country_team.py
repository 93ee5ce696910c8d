"""A country team's cycle, as its people do it with the mouse and keyboard in a real browser.

Amina coordinates Demoland; Bruno contributes for its Ministry of the Interior; Dave
coordinates France. See demoland.py for what each test starts from.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Answer, Assessment, Section

from . import demoland, flow
from .demoland import TITLE_2026

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_starts_the_new_cycle_from_the_last_one_and_assigns_two_headings(
    open_browser, team, en
):
    amina = open_browser()
    amina.sign_in("amina")
    flow.start_next_cycle(amina, en)
    amina.sign_out()

    created = Assessment.objects.get(cycle=2026)
    assert created.previous == team.previous
    assert created.title == TITLE_2026
    assert not created.answers.filter(level="").exists()  # the 2024 answers were copied
    assigned = created.sections.filter(agency=team.interior)
    assert sorted(s.heading.number for s in assigned) == [6, 8]


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_contributor_fills_in_the_agencys_headings_over_two_visits(
    open_browser, team, en, javascript
):
    assessment = demoland.cycle_2026(team)
    bruno = open_browser(javascript=javascript)
    bruno.sign_in("bruno")
    flow.fill_in_the_agencys_headings(bruno, en)
    bruno.sign_out()

    sections = assessment.sections.filter(heading__number__in=[6, 8])
    assert {s.status for s in sections} == {Section.Status.COMPLETED}
    answers = {a.area.code: a for a in Answer.objects.filter(section__in=sections)}
    assert (answers["6.1"].level, answers["6.1"].priority) == ("3", "high")
    assert (answers["6.1"].evidence, answers["6.1"].planned_action) == (flow.EVIDENCE, flow.PLANNED)
    assert answers["6.2"].level == Answer.Level.NOT_APPLICABLE
    assert answers["6.2"].na_justification == flow.WHY_NOT
    assert answers["8.1"].level == "4"
    assert {a.updated_by for a in answers.values()} == {team.bruno}


def test_the_coordinator_submits_validates_and_downloads_the_report(open_browser, team, en):
    assessment = demoland.cycle_2026(team)
    demoland.answer_everything(assessment, team.bruno, level="3")
    amina = open_browser()
    amina.sign_in("amina")

    # While it is a draft, the report says so.
    amina.link(TITLE_2026)
    amina.link(en.report)
    assert en.draft in flow.report_text(amina, en)
    amina.link(en.back)
    expect(amina.page.get_by_role("heading", level=1)).to_have_text(TITLE_2026)

    text = flow.submit_validate_and_download(amina, en)
    assert en.country in text
    assert "2026" in text
    assert en.draft not in text
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.VALIDATED
    assert assessment.validated_by == team.amina


def test_a_user_of_another_country_gets_not_found_for_every_url(open_browser, team):
    assessment = demoland.cycle_2026(team)
    pk, answer = assessment.pk, assessment.answers.first()
    dave = open_browser()
    dave.sign_in("dave")
    expect(dave.page.locator("main")).not_to_contain_text("Demoland")

    pages = [
        reverse("assessments:task_list", args=[pk]),
        reverse("assessments:section", args=[pk, 6]),
        reverse("assessments:section_check", args=[pk, 6]),
        reverse("assessments:check", args=[pk]),
        reverse("assessments:assign", args=[pk]),
        reverse("assessments:answer", args=[pk, answer.pk]),
        reverse("assessments:report", args=[pk]),
        reverse("assessments:report_pdf", args=[pk]),
        reverse("assessments:export", args=[pk, "csv"]),
        reverse("assessments:task_list", args=[team.previous.pk]),
    ]
    for url in pages:
        dave.goto(url, status=404)
        expect(dave.page.locator("body")).not_to_contain_text("Demoland")

    # The workflow buttons post forms; forged posts with Dave's own CSRF token fare no better.
    dave.goto(reverse("assessments:dashboard"))
    token = dave.page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    for name in ("submit", "send_back", "validate", "next_cycle"):
        response = dave.page.request.post(
            dave.base_url + reverse(f"assessments:{name}", args=[pk]),
            form={"csrfmiddlewaretoken": token, "cycle": "2027"},
            headers={"Referer": dave.page.url},
        )
        assert response.status == 404, name
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    assert Assessment.objects.filter(country="QZ").count() == 2
