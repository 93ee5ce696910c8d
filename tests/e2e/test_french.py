"""The whole cycle once in French: the coordinator picks French in the header, and the team
works through the same steps as in English, reading the app's French words."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment, Section
from assessments.questionnaire import services

from . import demoland, flow

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_whole_cycle_in_french(open_browser, team, en):
    fr = flow.words("fr")
    # The French words are really French, so the test cannot pass on English pages.
    assert (fr.start_new, fr.save_continue, fr.draft) != (en.start_new, en.save_continue, en.draft)
    assert fr.irregular != en.irregular

    visitor = open_browser()
    visitor.goto("/")
    visitor.switch_language("fr")
    visitor.sign_in("amina")
    flow.start_next_cycle(visitor, fr)
    visitor.sign_out()
    expect(visitor.page.locator("html")).to_have_attribute("lang", "fr")

    visitor.sign_in("bruno")
    flow.fill_in_the_agencys_headings(visitor, fr, two_visits=False)
    visitor.sign_out()

    # Meanwhile the other agencies finish their sections (the 2024 answers were copied).
    assessment = Assessment.objects.get(cycle=2026)
    for section in assessment.sections.exclude(status=Section.Status.COMPLETED):
        section.assessment = assessment
        services.section_mark(section=section, completed=True)

    visitor.sign_in("amina")
    visitor.link(demoland.TITLE_2026)
    text = flow.submit_validate_and_download(visitor, fr)
    assert fr.country in text
    assert fr.draft not in text and en.draft not in text
    assert "Coopération internationale" in text  # heading 1, in the report's language
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.VALIDATED
