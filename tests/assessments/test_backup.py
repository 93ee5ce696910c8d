"""A backup restores every assessment, answer, history entry, comment and user, unchanged."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import (
    Agency,
    Answer,
    AnswerChange,
    Assessment,
    Comment,
    Section,
    SecurityEvent,
    User,
)
from assessments.questionnaire import services
from iamm.models import CommonUnderstanding, Membership, RegionalProcess
from tests.helpers import make_agency, make_assessment, make_user

pytestmark = pytest.mark.django_db

TABLES = (
    (User, ("username", "country", "role", "agency__name", "password", "is_active")),
    (Agency, ("country", "name", "is_active")),
    (Assessment, ("pk", "country", "cycle", "status", "title", "revision", "created_by__username")),
    (Section, ("assessment_id", "order", "status", "agency__name")),
    (
        Answer,
        (
            "pk",
            "level",
            "target",
            "priority",
            "evidence",
            "planned_action",
            "target_date",
            "version",
            "updated_by__username",
            "responsible_agency__name",
            "area__code",
            "understanding__number",
        ),
    ),
    (AnswerChange, ("answer_id", "changed_by__username", "changes", "changed_at")),
    (Comment, ("answer_id", "author__username", "text", "created_at")),
    (SecurityEvent, ("kind", "username", "detail")),
    (CommonUnderstanding, ("version__code", "number", "text_en", "text_fr", "text_es")),
    (RegionalProcess, ("slug", "name_en")),
    (Membership, ("process__slug", "country", "note")),
)


def state() -> dict:
    return {
        model.__name__: sorted(map(repr, model.objects.values_list(*fields)))
        for model, fields in TABLES
    }


@pytest.mark.django_db(transaction=True)  # flush needs a real transaction on PostgreSQL
def test_backup_and_restore_round_trip_everything(tmp_path):
    call_command("loaddata", "regional_processes", verbosity=0)
    agency = make_agency()
    alice = make_user("alice", role=User.Role.COORDINATOR, agency=agency)
    bob = make_user("bob", role=User.Role.CONTRIBUTOR)
    assessment = make_assessment(created_by=alice)
    answers = list(assessment.answers.filter(area__isnull=False)[:3])
    services.answers_save(
        assessment=assessment,
        updates=[
            (a, 0, {"level": "2", "evidence": f"Décret nº {n}", "responsible_agency": agency})
            for n, a in enumerate(answers)
        ],
        user=bob,
    )
    services.comment_add(answer=answers[0], author=alice, text="À vérifier — ¿correcto?")
    bob.role = User.Role.VIEWER
    bob.save()  # an audit-log entry
    before = state()
    assert before["AnswerChange"] and before["Comment"] and before["SecurityEvent"]

    backup = tmp_path / "backup.xml.gz"
    call_command("backup", str(backup), verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    assert not Assessment.objects.exists() and not User.objects.exists()
    call_command("restore", str(backup), verbosity=0)

    assert state() == before


def test_restore_refuses_to_mix_with_existing_assessments(tmp_path):
    make_assessment()
    backup = tmp_path / "b.xml"
    call_command("backup", str(backup), verbosity=0)
    with pytest.raises(CommandError, match="already holds assessments"):
        call_command("restore", str(backup), verbosity=0)
