"""Two people saving the same item: neither change is ever lost silently."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, AnswerChange, User
from assessments.questionnaire import services
from tests.helpers import make_assessment, make_framework, make_user


@pytest.fixture
def setup(db):
    alice = make_user("alice", role=User.Role.COORDINATOR)
    bob = make_user("bob", role=User.Role.CONTRIBUTOR)
    assessment = make_assessment(framework_version=make_framework(areas=1), created_by=alice)
    return alice, bob, assessment


def post_for(answer: Answer, version: int, level: str, action: str = "later") -> dict:
    prefix = f"a{answer.pk}"
    return {
        action: "1",
        f"{prefix}-version": version,
        f"{prefix}-level": level,
        f"{prefix}-target": "4",
        f"{prefix}-evidence": f"Evidence for level {level}",
    }


def test_the_later_save_sees_both_values_and_nothing_is_overwritten(setup):
    alice, bob, assessment = setup
    answer = assessment.answers.get(area__code="1.1")
    url = reverse("assessments:section", args=[assessment.pk, 1])
    bobs, alices = Client(), Client()
    bobs.force_login(bob)
    alices.force_login(alice)
    # Both opened the page at version 0.
    assert bobs.post(url, post_for(answer, 0, "3")).status_code == 302

    response = alices.post(url, post_for(answer, 0, "1"))
    assert response.status_code == 409
    assert "Someone else changed these answers" in response.text
    assert "Evidence for level 3" in response.text  # theirs
    assert "Evidence for level 1" in response.text  # mine, still in the form
    answer.refresh_from_db()
    assert (answer.level, answer.version, answer.updated_by) == ("3", 1, bob)

    # Saving again from the conflict page is a deliberate choice: it names version 1.
    assert f'name="a{answer.pk}-version" value="1"' in response.text
    assert alices.post(url, post_for(answer, 1, "1")).status_code == 302
    answer.refresh_from_db()
    assert (answer.level, answer.version) == ("1", 2)
    history = list(AnswerChange.objects.filter(answer=answer).order_by("pk"))
    assert [h.changed_by for h in history] == [bob, alice]
    assert history[0].changes["level"] == ["", "3"]
    assert history[1].changes["level"] == ["3", "1"]


def test_saving_the_same_value_someone_else_saved_is_not_a_conflict(setup):
    alice, bob, assessment = setup
    answer = assessment.answers.get(area__code="1.1")
    services.answers_save(assessment=assessment, updates=[(answer, 0, {"level": "2"})], user=bob)
    changed = services.answers_save(
        assessment=assessment, updates=[(answer, 0, {"level": "2"})], user=alice
    )
    assert changed == 0
    assert AnswerChange.objects.filter(answer=answer).count() == 1


def test_a_conflict_on_one_item_saves_nothing_of_the_page(setup):
    alice, bob, assessment = setup
    first = assessment.answers.get(area__code="1.1")
    other = assessment.answers.get(area__code="2.1")
    services.answers_save(assessment=assessment, updates=[(first, 0, {"level": "4"})], user=bob)
    with pytest.raises(services.ConflictError) as error:
        services.answers_save(
            assessment=assessment,
            updates=[(first, 0, {"level": "0"}), (other, 0, {"level": "1"})],
            user=alice,
        )
    assert [c.answer.pk for c in error.value.conflicts] == [first.pk]
    other.refresh_from_db()
    assert other.level == ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need a server database (CI runs one)"
)
def test_truly_concurrent_saves_on_postgresql_lose_nothing():
    alice = make_user("alice", role=User.Role.COORDINATOR)
    bob = make_user("bob", role=User.Role.CONTRIBUTOR)
    assessment = make_assessment(framework_version=make_framework(areas=1), created_by=alice)
    answer = assessment.answers.get(area__code="1.1")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(user: User, level: str) -> None:
        barrier.wait()
        try:
            services.answers_save(
                assessment=assessment, updates=[(answer, 0, {"level": level})], user=user
            )
            outcomes[user.username] = "saved"
        except services.ConflictError:
            outcomes[user.username] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(alice, "1")),
        threading.Thread(target=save, args=(bob, "4")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    answer.refresh_from_db()
    assert answer.level == {"alice": "1", "bob": "4"}[winner]
    assert answer.version == 1
    assert AnswerChange.objects.filter(answer=answer).count() == 1
