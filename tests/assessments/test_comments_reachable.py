"""Every item's comments and history are within reach of everyone who may read them, at every
stage of the workflow.

Carol only reads; Bob contributes for the Ministry of the Interior (heading 1), so heading 2, the
Ministry of Labour's, is one he may read but not edit. Each of them walks every page they can
open (from the dashboard, following links) with the assessment in draft, in review and
validated, and must find a link to each item's comments and history, and that page must open.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment
from tests.site_walk import client_in, country_team, filled_assessment, walk

pytestmark = pytest.mark.django_db

STAGES = [Assessment.Status.DRAFT, Assessment.Status.IN_REVIEW, Assessment.Status.VALIDATED]


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("who", ["carol", "bob"])
def test_every_item_has_its_comments_and_history_within_reach(stage, who):
    team = country_team()
    assessment = filled_assessment(team, status=stage)
    client = client_in(team[who], "en")
    pages = walk(client)
    linked = {link for page in pages.values() for link in page.local_links()}
    for answer in assessment.answers.select_related("area", "understanding"):
        url = reverse("assessments:answer", args=[assessment.pk, answer.pk])
        assert url in linked, f"{who} finds no link to the comments and history of {answer}"
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("stage", STAGES)
def test_the_check_pages_link_each_item_to_its_comments_and_history(stage):
    """Not only somewhere on the way: beside the answer, on the pages that list answers."""
    team = country_team()
    assessment = filled_assessment(team, status=stage)
    pages = walk(client_in(team["carol"], "en"))
    answers = list(assessment.answers.select_related("section"))
    check_all = pages[reverse("assessments:check", args=[assessment.pk])]
    for answer in answers:
        url = reverse("assessments:answer", args=[assessment.pk, answer.pk])
        assert url in check_all.local_links(), answer
        section_check = reverse(
            "assessments:section_check", args=[assessment.pk, answer.section.order]
        )
        assert url in pages[section_check].local_links(), answer
