"""Levels are read with their wording beside the number ("3 – Partially implemented") wherever
an answer is shown: the check-answers pages, an item's history and the report's answers annex,
which also gives each Common Understanding in full.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.models import Answer
from tests.assessments.test_report_numbers import report_document, section, text
from tests.site_walk import client_in, country_team, filled_assessment

pytestmark = pytest.mark.django_db

# From tests.site_walk.FILLED: CU1 at 4, 1.1 at 1, 2.1 at 3.
WORDED = {
    "CU1": "4 – Fully reflected and applied",
    "1.1": "1 – Under consideration (being discussed or drafted)",
    "2.1": "3 – Partially implemented",
}


@pytest.fixture
def team():
    return country_team()


@pytest.fixture
def assessment(team):
    return filled_assessment(team)


def page_text(team, url: str, language: str = "en") -> str:
    response = client_in(team["alice"], language).get(url)
    assert response.status_code == 200
    return text(response.content.decode())


def test_check_answers_pages_give_each_level_its_wording(team, assessment):
    pk = assessment.pk
    everything = page_text(team, reverse("assessments:check", args=[pk]))
    for wording in WORDED.values():
        assert f"Current level {wording}" in everything
    heading_2 = page_text(team, reverse("assessments:section_check", args=[pk, 2]))
    assert f"Current level {WORDED['2.1']}" in heading_2
    french = page_text(team, reverse("assessments:check", args=[pk]), "fr")
    assert re.search(r"Niveau actuel 3 – \w", french)


def test_the_history_gives_levels_their_wording(team, assessment):
    answer = Answer.objects.get(assessment=assessment, area__code="2.1")
    history = page_text(team, reverse("assessments:answer", args=[assessment.pk, answer.pk]))
    assert WORDED["2.1"] in history.split("History", 1)[1]


def test_the_answers_annex_gives_wording_and_the_full_common_understandings(
    team, assessment, tmp_path
):
    assessment.framework_version.understandings.filter(number=1).update(
        text_en="A long Common Understanding " + "that goes on " * 20 + "to its very last word."
    )
    annex = text(section(report_document(assessment, "en", tmp_path), "answers"))
    for wording in WORDED.values():
        assert f"Current level: {wording}" in annex
    assert "to its very last word." in annex
    assert "…" not in annex
