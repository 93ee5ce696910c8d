"""A form saved untouched changes nothing, on every page, in every language.

Alice coordinates Demoland; Bob contributes for the Ministry of the Interior, which has heading 1;
heading 2 belongs to the Ministry of Labour. Every field of every answer is filled in, with
accents, several lines and an action date. Each of them walks every page they can open, in
English, French and Spanish, and saves every form on it as a browser would send it untouched
(`tests.html_forms`): nothing stored may change and the history must stay as it was. A form whose
required fields all show a value must accept it (a page that cannot take back its own values
is the same bug seen from the other side).
"""

from __future__ import annotations

import pytest
from django.conf import settings

from assessments.models import Answer, Assessment, User
from tests.site_walk import (
    ACTION_DATE,
    changes_between,
    client_in,
    country_team,
    filled_assessment,
    snapshot,
    walk,
)

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def team():
    return country_team()


def save_every_form_untouched(user: User, language: str) -> list[str]:
    """Walk every page `user` can open and save each form on it untouched; the problems found."""
    client = client_in(user, language)
    problems = []
    for path, page in walk(client).items():
        for form in page.post_forms():
            if not form.data_fields():
                continue  # an action button (submit, validate, sign out), not a form of data
            for button in form.buttons or [None]:
                before = snapshot()
                response = client.post(form.action, form.submission(button))
                where = f"{language} {path} -> {form.action} [{button.name if button else ''}]"
                problems += [f"{where}: {change}" for change in changes_between(before, snapshot())]
                accepted = response.status_code == 302
                if response.status_code >= 500 or (form.required_fields_filled() and not accepted):
                    problems.append(f"{where}: answered {response.status_code}")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_coordinator_saves_every_form_untouched_and_nothing_changes(team, language):
    assessment = filled_assessment(team)
    stored = {a.pk: a.target_date for a in assessment.answers.all()}
    problems = save_every_form_untouched(team["alice"], language)
    assert problems == [], "\n".join(problems)
    assert {a.pk: a.target_date for a in Answer.objects.all()} == stored
    assert Answer.objects.filter(target_date=ACTION_DATE).count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_contributor_saves_every_form_untouched_and_nothing_changes(team, language):
    filled_assessment(team)
    assert save_every_form_untouched(team["bob"], language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_forms_of_a_validated_assessment_save_back_unchanged(team, language):
    filled_assessment(team, status=Assessment.Status.VALIDATED)
    assert save_every_form_untouched(team["alice"], language) == []


def test_the_walk_reaches_the_editable_pages(team):
    """The walk itself: if it stopped reaching the forms, the tests above would pass vacuously."""
    assessment = filled_assessment(team)
    pages = walk(client_in(team["alice"], "en"))
    base = f"/assessments/{assessment.pk}/"
    for path in (
        f"{base}sections/0/",
        f"{base}sections/1/",
        f"{base}assign/",
        "/assessments/new/",
        f"/assessments/team/users/{team['bob'].pk}/",
        f"/assessments/team/agencies/{team['interior'].pk}/",
    ):
        assert path in pages, path
        assert any(form.data_fields() for form in pages[path].post_forms()), path


def test_a_date_input_carries_an_iso_date_in_every_language(team):
    assessment = filled_assessment(team)
    answer = assessment.answers.get(area__code="1.1")
    for language in LANGUAGES:
        page = client_in(team["alice"], language).get(f"/assessments/{assessment.pk}/sections/1/")
        assert f'name="a{answer.pk}-target_date" value="2028-06-30"' in page.content.decode()
