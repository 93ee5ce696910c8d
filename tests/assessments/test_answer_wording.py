"""Levels are read with their wording beside the number ("3 – Partially implemented") wherever
an answer is shown: the check-answers pages, an item's history and the report's answers annex,
which also gives each Common Understanding in full.
"""

from __future__ import annotations

import re
from datetime import date
from importlib import import_module

import pytest
from django.urls import reverse
from django.utils.translation import override

from assessments.models import Answer
from assessments.questionnaire import services
from tests.assessments.test_report_numbers import report_document, section, text
from tests.site_walk import client_in, country_team, filled_assessment

pytestmark = pytest.mark.django_db

# From tests.site_walk.FILLED: CU1 at 4, 1.1 at 1, 2.1 at 3.
WORDED = {
    "CU1": "4 – Fully reflected and applied",
    "1.1": "1 – Under consideration (being discussed or drafted)",
    "2.1": "3 – Partially implemented",
}
WORDED_ES = {"2.1": "3 – Aplicado parcialmente"}


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


def test_the_history_is_in_the_reader_s_language_whoever_saved(team, assessment):
    # Saved in French, read in Spanish: "Sans objet" and "Élevée" showed on the Spanish page.
    answer = Answer.objects.get(assessment=assessment, area__code="2.1")
    changes = {
        "level": "na",
        "na_justification": "Couvert ailleurs",
        "priority": "high",
        "target_date": date(2029, 1, 15),
    }
    with override("fr"):
        services.answers_save(
            assessment=assessment, user=team["alice"], updates=[(answer, answer.version, changes)]
        )
    url = reverse("assessments:answer", args=[assessment.pk, answer.pk])
    spanish = page_text(team, url, "es").split("Historial", 1)[1]
    assert "No aplicable" in spanish and "Alta" in spanish and "15 de enero de 2029" in spanish
    assert "Sans objet" not in spanish and "Élevée" not in spanish
    assert f"Nivel actual {WORDED_ES['2.1']} No aplicable" in spanish


def test_history_recorded_in_words_gets_its_codes_back():
    migration = import_module("assessments.migrations.0012_history_records_codes")
    recorded = {
        "level": ["3", "Sans objet"],
        "priority": ["Baja", "Élevée"],
        "framework_version": ["reporté de v1", "v2"],
        "item_text": ["v1", "révisé"],
        "evidence": ["Élevée", "Sans objet"],  # text typed by people stays as typed
    }
    assert migration.recorded_as_codes(recorded, migration._words_to_codes()) == {
        "level": ["3", "na"],
        "priority": ["low", "high"],
        "framework_version": ["v1", "v2"],
        "item_text": ["v1", "v2"],
        "evidence": ["Élevée", "Sans objet"],
    }


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
