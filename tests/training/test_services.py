"""Workshops, joining, saving practice answers, and the group's figures."""

from __future__ import annotations

import datetime

import pytest

from assessments.models import Participant, PracticeAnswer, Workshop
from assessments.training import selectors, services

from .workshop import answer, join, make_workshop

pytestmark = pytest.mark.django_db


def test_a_workshop_gets_an_unambiguous_code_and_its_sections():
    workshop = make_workshop(headings=(2,))
    assert len(workshop.code) == 8
    assert not set(workshop.code) & set("01OIL")
    assert [s.order for s in workshop.sections.all()] == [0, 2]


def test_codes_are_read_whatever_the_case_and_dashes():
    assert Workshop.normalize_code(" abcd-2345 ") == "ABCD2345"


def test_a_participant_token_is_stored_only_as_a_digest():
    workshop = make_workshop()
    participant, token = join(workshop, "Ana")
    assert token not in participant.token_digest
    assert participant.holds(token)
    assert not participant.holds("guess") and not participant.holds(None)


def test_nobody_joins_a_closed_workshop():
    workshop = make_workshop()
    workshop.close()
    with pytest.raises(services.WorkshopClosed):
        join(workshop, "Late")
    assert not Participant.objects.exists()


def test_saving_a_section_writes_only_the_participants_own_rows_and_again_updates_them():
    workshop = make_workshop()
    ana, _ = join(workshop, "Ana")
    ben, _ = join(workshop, "Ben")
    answer(ana, 1, {"1.1": {"level": "2"}, "1.2": {"level": "na", "justification": "No coast"}})
    answer(ben, 1, {"1.1": {"level": "4"}})
    answer(ana, 1, {"1.1": {"level": "3"}})
    assert PracticeAnswer.objects.filter(participant=ana).count() == 2
    levels = dict(ana.answers.values_list("area__code", "level"))
    assert levels == {"1.1": "3", "1.2": "na"}
    assert ben.answers.get().level == "4"


def test_a_closed_workshop_takes_no_more_answers():
    workshop = make_workshop()
    ana, _ = join(workshop, "Ana")
    workshop.close()
    with pytest.raises(services.WorkshopClosed):
        answer(ana, 1, {"1.1": {"level": "2"}})
    assert not PracticeAnswer.objects.exists()


def test_item_stats_give_the_groups_spread_and_keep_evidence_anonymous_unless_shown():
    workshop = make_workshop()
    people = [join(workshop, name, show_name=name == "Ana")[0] for name in ("Ana", "Ben", "Cy")]
    for person, level in zip(people, ["0", "2", "4"], strict=True):
        answer(person, 1, {"1.1": {"level": level, "evidence": f"Said by {person}"}})
    row = next(r for r in selectors.item_stats(workshop=workshop) if r.item.code == "1.1")
    assert (row.spread.n, row.spread.median, row.spread.iqr, row.spread.range) == (3, 2, 2, 4)
    assert row.distribution["0"] == row.distribution["2"] == row.distribution["4"] == 1
    assert sorted(r.author for r in row.remarks) == [
        "Ana",
        "Anonymous participant",
        "Anonymous participant",
    ]
    # Gaps use the scoring rules: target 4 − level.
    assert sorted(row.gaps) == [0, 2, 4] and row.median_gap == 2


def test_the_most_disagreed_item_comes_first():
    workshop = make_workshop()
    people = [join(workshop, f"P{n}")[0] for n in range(4)]
    for person, (a, b) in zip(
        people, [("2", "0"), ("2", "4"), ("2", "0"), ("2", "4")], strict=True
    ):
        answer(person, 1, {"1.1": {"level": a}, "1.2": {"level": b}})
    ranked = selectors.by_disagreement(selectors.item_stats(workshop=workshop))
    assert ranked[0].item.code == "1.2"
    assert ranked[0].spread.iqr == 4


def test_the_purge_deletes_expired_workshops_with_their_practice_data(settings):
    settings.WORKSHOP_RETENTION_DAYS = 30
    old = make_workshop(ends_on=datetime.date(2026, 1, 1))
    recent = make_workshop(
        ends_on=datetime.date(2026, 11, 1),
        version=old.framework_version,
        facilitator=old.facilitator,
    )
    ana, _ = join(old, "Ana")
    answer(ana, 1, {"1.1": {"level": "1"}})
    dry = services.workshops_purge_expired(today=datetime.date(2026, 12, 1), dry_run=True)
    assert len(dry) == 1 and Workshop.objects.count() == 2
    services.workshops_purge_expired(today=datetime.date(2026, 12, 1))
    assert list(Workshop.objects.all()) == [recent]
    assert not Participant.objects.exists() and not PracticeAnswer.objects.exists()


def test_the_demo_has_a_workshop_with_a_case_and_eight_or_more_participants(settings):
    from io import StringIO

    from django.core.management import call_command

    from tests.helpers import load_framework

    settings.DEMO_MODE = True
    load_framework()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "facilitator " in out.getvalue()  # printed with the other demo accounts
    workshop = Workshop.objects.get()
    assert all(section.case_text for section in workshop.sections.all())
    answered = Participant.objects.filter(workshop=workshop, answers__level__gt="").distinct()
    assert answered.count() >= 8
    rows = selectors.item_stats(workshop=workshop)
    assert any(row.spread.iqr for row in rows) and any(row.spread.n >= 8 for row in rows)
    call_command("seed_demo", stdout=StringIO())
    assert Workshop.objects.count() == 1 and Participant.objects.count() == 12


def test_an_item_left_blank_stores_nothing():
    workshop = make_workshop()
    ana, _ = join(workshop, "Ana")
    answer(ana, 1, {"1.1": {"level": "", "evidence": "", "justification": ""}})
    assert not PracticeAnswer.objects.exists()
