"""Validating cannot be undone, so it takes a confirmation: "Validate the assessment" opens a
page (a link, no JavaScript needed) with a summary and a button that validates.

Alice coordinates Demoland; the assessment is in review with every item answered.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment
from tests.html_forms import read_page
from tests.site_walk import client_in, country_team, filled_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return country_team()


@pytest.fixture
def assessment(team):
    return filled_assessment(team, status=Assessment.Status.IN_REVIEW)


def test_the_task_list_leads_to_a_confirmation_page_not_straight_to_validation(team, assessment):
    client = client_in(team["alice"], "en")
    url = reverse("assessments:validate", args=[assessment.pk])
    task_list = read_page("/", client.get(assessment.get_absolute_url()).content.decode())
    assert url in task_list.local_links()
    assert all(form.action != url for form in task_list.post_forms())

    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Validate the assessment?</h1>" in html
    assert "cannot be undone" in html
    assert assessment.title in html and "7 of 7" in html  # every item answered
    confirm = [form for form in read_page(url, html).post_forms() if form.action == url]
    assert len(confirm) == 1
    assert [b.name for b in confirm[0].buttons] == [""]
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_REVIEW  # looking changes nothing

    response = client.post(url, confirm[0].submission(confirm[0].buttons[0]))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.VALIDATED


def test_a_draft_has_nothing_to_confirm(team):
    draft = filled_assessment(team)
    response = client_in(team["alice"], "en").get(reverse("assessments:validate", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_only_the_coordinator_sees_the_confirmation(team, assessment, who):
    url = reverse("assessments:validate", args=[assessment.pk])
    assert client_in(team[who], "en").get(url).status_code == 403
