"""A refusal or a missing page is a page of the site: its layout, its navigation, in the person's
language, saying what they can do instead.

Bob contributes for the Ministry of the Interior (heading 1); heading 2 is the Ministry of
Labour's. Carol only reads.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.site_walk import NOT_PAGES, client_in, country_team, filled_assessment, walk

pytestmark = pytest.mark.django_db

LAYOUT = ('skip-link" href="#main"', 'id="main"', 'aria-label="Main"')


@pytest.fixture
def team():
    return country_team()


@pytest.fixture
def assessment(team):
    return filled_assessment(team)


def test_a_refused_page_explains_and_leads_back_to_the_assessment(team, assessment):
    response = client_in(team["bob"], "en").get(
        reverse("assessments:section", args=[assessment.pk, 2])
    )
    assert response.status_code == 403
    html = response.content.decode()
    for marker in LAYOUT:
        assert marker in html
    assert "<h1>You cannot open this page</h1>" in html
    assert "ask your national coordinator" in html
    assert f'href="{reverse("assessments:task_list", args=[assessment.pk])}"' in html
    assert f'href="{reverse("assessments:check", args=[assessment.pk])}"' in html
    assert f'href="{reverse("assessments:dashboard")}"' in html


def test_a_refused_team_page_leads_to_the_dashboard(team):
    response = client_in(team["carol"], "en").get(reverse("assessments:team"))
    assert response.status_code == 403
    assert f'href="{reverse("assessments:dashboard")}"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Vous ne pouvez pas ouvrir cette page"), ("es", "No puede")]
)
def test_the_refusal_is_in_the_persons_language(team, assessment, language, title):
    response = client_in(team["bob"], language).get(
        reverse("assessments:section", args=[assessment.pk, 2])
    )
    assert response.status_code == 403
    assert title in response.content.decode()


def test_another_countrys_assessment_is_a_page_not_found_inside_the_site(team, assessment):
    from tests.helpers import make_user

    dave = make_user("dave", country="FR")
    response = client_in(dave, "en").get(reverse("assessments:task_list", args=[assessment.pk]))
    assert response.status_code == 404
    html = response.content.decode()
    for marker in LAYOUT:
        assert marker in html
    assert "<h1>Page not found</h1>" in html
    assert f'href="{reverse("assessments:dashboard")}"' in html
    assert assessment.title not in html


def test_a_visitor_on_a_missing_page_is_offered_to_sign_in():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert f'href="{reverse("login")}"' in html


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_no_link_a_person_is_shown_leads_to_a_refusal(team, assessment, who):
    """A "Change" link to another agency's heading is a dead end: links are shown only where
    they lead somewhere."""
    client = client_in(team[who], "en")
    links = {
        link
        for page in walk(client).values()
        for link in page.local_links()
        if link.startswith("/assessments/") and not link.endswith(NOT_PAGES)
    }
    refused = [link for link in sorted(links) if client.get(link).status_code in (403, 404)]
    assert refused == []
