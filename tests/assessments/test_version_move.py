"""A new cycle may move to the current framework version: answers carried over item by item
where the item's number or code is unchanged, the new, removed and changed items listed, and
the move recorded in each item's history."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, Section, User
from assessments.questionnaire import services
from assessments.questionnaire.forms import AssessmentCreateForm, NextCycleForm
from iamm.models import FrameworkVersion, PracticeArea
from iamm.services import (
    framework_version_clone,
    framework_version_make_current,
    framework_version_publish,
    framework_version_retire,
)
from tests.helpers import make_assessment, make_framework, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Alice coordinates QZ; its 2026 cycle on v1 is validated, every item answered "2".
    v2, the current version, revises CU 2's text, drops area 2.2 and adds area 2.3."""
    alice = make_user("alice", role=User.Role.COORDINATOR)
    v1 = make_framework("v1")
    assessment = make_assessment(framework_version=v1, created_by=alice)
    updates = [(a, a.version, {"level": "2"}) for a in assessment.answers.all()]
    services.answers_save(assessment=assessment, updates=updates, user=alice)
    assessment.sections.update(status=Section.Status.COMPLETED)
    services.assessment_submit(assessment=assessment)
    services.assessment_validate(assessment=assessment, user=alice)

    v2 = framework_version_clone(source=v1, code="v2")
    understanding = v2.understandings.get(number=2)
    understanding.text_en = "Understanding 2, revised"
    understanding.save()
    PracticeArea.objects.get(heading__version=v2, code="2.2").delete()
    heading = v2.headings.get(number=2)
    PracticeArea.objects.create(heading=heading, code="2.3", order=3, name="Area 2.3")
    framework_version_publish(version=v2, make_current=True)
    client = Client()
    client.force_login(alice)
    return {"alice": alice, "client": client, "v1": v1, "v2": v2, "assessment": assessment}


def test_the_next_cycle_offers_the_current_version(world):
    page = world["client"].get(world["assessment"].get_absolute_url())
    form = page.context["next_cycle_form"]
    assert form["framework_version"].value() == world["v2"].pk
    assert 'value="{}" selected'.format(world["v2"].pk) in page.text


def test_start_a_new_assessment_preselects_the_current_version(world):
    framework_version_make_current(version=world["v1"])
    form = AssessmentCreateForm(country="QZ")
    assert form["framework_version"].value() == world["v1"].pk


def test_a_retired_version_is_not_offered(world):
    framework_version_retire(version=world["v1"])
    assert list(NextCycleForm().fields["framework_version"].queryset) == [world["v2"]]
    assert list(AssessmentCreateForm(country="QZ").fields["framework_version"].queryset) == [
        world["v2"]
    ]


def test_the_next_cycle_moves_to_the_new_version_and_carries_answers_over(world):
    response = world["client"].post(
        reverse("assessments:next_cycle", args=[world["assessment"].pk]),
        {"cycle": 2028, "framework_version": world["v2"].pk},
        follow=True,
    )
    following = Assessment.objects.get(cycle=2028)
    assert following.framework_version == world["v2"]
    levels = {
        (a.understanding.number if a.understanding_id else a.area.code): a.level
        for a in following.answers.select_related("understanding", "area")
    }
    assert levels == {1: "2", 2: "2", 3: "2", "1.1": "2", "1.2": "2", "2.1": "2", "2.3": ""}
    text = response.content.decode()
    assert "This cycle uses the framework version v2 instead of v1." in text
    assert "New items, to answer: 2.3." in text
    assert "Items removed: 2.2." in text
    assert "Items whose text changed, to check: Common Understanding 2." in text


def test_the_move_is_in_each_items_history(world):
    world["client"].post(
        reverse("assessments:next_cycle", args=[world["assessment"].pk]),
        {"cycle": 2028, "framework_version": world["v2"].pk},
    )
    following = Assessment.objects.get(cycle=2028)
    revised = following.answers.get(understanding__number=2)
    [change] = revised.changes.all()
    assert change.changed_by == world["alice"]
    assert change.changes == {"framework_version": ["v1", "v2"], "item_text": ["v1", "v2"]}
    new = following.answers.get(area__code="2.3")
    assert new.changes.get().changes == {"framework_version": ["", "v2"]}
    page = (
        world["client"]
        .get(reverse("assessments:answer", args=[following.pk, revised.pk]))
        .content.decode()
    )
    assert "carried over from v1" in page and "revised" in page


def test_staying_on_the_same_version_records_no_move(world):
    world["client"].post(
        reverse("assessments:next_cycle", args=[world["assessment"].pk]),
        {"cycle": 2028, "framework_version": world["v1"].pk},
    )
    following = Assessment.objects.get(cycle=2028)
    assert following.framework_version == world["v1"]
    assert not following.answers.filter(changes__isnull=False).exists()
    assert FrameworkVersion.objects.current() == world["v2"]
