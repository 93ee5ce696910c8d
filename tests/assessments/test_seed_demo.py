"""`manage.py seed_demo`: Demoland's team and its two cycles, on the real IAMM content."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Agency, Answer, AnswerChange, Assessment, Comment, Section, User
from assessments.questionnaire.part_c import part_c_result
from tests.helpers import load_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True
    load_framework()


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (User, Agency, Assessment, Section, Answer, AnswerChange, Comment)
    return {model.__name__: model.objects.count() for model in models}


def test_it_refuses_to_run_without_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_it_asks_for_the_framework_first(settings):
    settings.DEMO_MODE = True
    with pytest.raises(CommandError, match="loaddata iamm"):
        call_command("seed_demo")


def test_it_creates_the_team_and_prints_each_password_once(demo_mode):
    output = seed()
    for username in ("coordinator", "contributor", "viewer", "admin"):
        user = User.objects.get(username=username)
        password = next(line.split()[1] for line in output.splitlines() if username in line)
        assert user.check_password(password)
    coordinator = User.objects.get(username="coordinator")
    assert (coordinator.country, coordinator.role) == ("QZ", User.Role.COORDINATOR)
    assert User.objects.get(username="contributor").agency.name == "Ministry of Labour"
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and not admin.country
    assert Agency.objects.filter(country="QZ").count() == 4

    again = seed()
    assert "already there" in again
    assert "changepassword" in again
    for line in output.splitlines():
        if line.startswith("  "):
            assert line.split()[1] not in again


def test_running_it_twice_changes_nothing(demo_mode):
    seed()
    first = counts()
    seed()
    assert counts() == first


def test_the_2024_cycle_is_validated_and_fully_answered(demo_mode):
    seed()
    previous = Assessment.objects.get(country="QZ", cycle=2024)
    assert previous.is_validated
    assert previous.validated_by.username == "coordinator"
    assert not previous.answers.filter(level="").exists()
    assert previous.answers.count() == 63
    assert not previous.sections.exclude(status=Section.Status.COMPLETED).exists()
    assert previous.sections.exclude(agency=None).count() == 3
    levels = set(previous.answers.values_list("level", flat=True))
    assert {"na", "dk"} <= levels and len(levels) >= 6
    for answer in previous.answers.filter(level="na"):
        assert answer.na_justification


def test_the_2026_draft_is_a_partly_changed_copy(demo_mode):
    seed()
    previous = Assessment.objects.get(country="QZ", cycle=2024)
    draft = Assessment.objects.get(country="QZ", cycle=2026)
    assert draft.is_draft
    assert draft.previous == previous
    statuses = set(draft.sections.values_list("status", flat=True))
    assert statuses == {"completed", "in_progress", "not_started"}
    assert AnswerChange.objects.filter(answer__assessment=draft).exists()
    assert Comment.objects.filter(answer__assessment=draft).exists()
    assert draft.answers.exclude(planned_action="").filter(target_date__year__gte=2027).exists()
    assert draft.answers.exclude(evidence="").filter(evidence__contains="Demoland").exists()
    assert draft.sections.exclude(agency=None).count() == 3


def test_it_is_deterministic(demo_mode):
    seed()
    first = list(Answer.objects.order_by("assessment__cycle", "pk").values_list("level", "target"))
    Assessment.objects.all().delete()
    seed()
    again = list(Answer.objects.order_by("assessment__cycle", "pk").values_list("level", "target"))
    assert again == first


def test_with_the_lenses_loaded_the_draft_includes_part_c_with_one_domain_incomplete(demo_mode):
    call_command("loaddata", "lenses", verbosity=0)
    seed()
    draft = Assessment.objects.get(country="QZ", cycle=2026)
    answered = draft.sdg_answers.exclude(value="")
    assert draft.sdg_answers.count() == 30 and answered.count() == 28
    result = part_c_result(assessment=draft)
    assert [d.complete for d in result.domains] == [True] * 5 + [False]
    assert not result.complete
    # The validated cycle was not given Part C: it is the coordinator's choice, cycle by cycle.
    assert not Assessment.objects.get(country="QZ", cycle=2024).sdg_answers.exists()
