"""A backup restores every assessment, answer, history entry, comment and user, unchanged."""

from __future__ import annotations

import stat

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.management.commands import backup as backup_command
from assessments.management.commands.backup import backup_models
from assessments.models import (
    Agency,
    Answer,
    AnswerChange,
    Assessment,
    Comment,
    RegionalShare,
    SecretariatAppointment,
    Section,
    SecurityEvent,
    User,
)
from assessments.questionnaire import services
from assessments.questionnaire.part_c import part_c_include
from iamm.models import CommonUnderstanding, FrameworkVersion, Membership, RegionalProcess
from tests.helpers import fixture_files, make_agency, make_assessment, make_user
from tests.regional.helpers import make_exercise
from tests.training.workshop import answer, join, make_facilitator, make_workshop

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
    # The lens content can only come with its version: a published version takes no additions.
    call_command("loaddata", *fixture_files("iamm", "lenses", "regional_processes"), verbosity=0)
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

    backup = tmp_path / "backup.json.gz"
    call_command("backup", str(backup), verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    assert not Assessment.objects.exists() and not User.objects.exists()
    call_command("restore", str(backup), verbosity=0)

    assert state() == before


def test_restore_refuses_to_mix_with_existing_assessments(tmp_path):
    make_assessment()
    backup = tmp_path / "b.json"
    call_command("backup", str(backup), verbosity=0)
    with pytest.raises(CommandError, match="already holds assessments"):
        call_command("restore", str(backup), verbosity=0)


# Every kind of text that has broken a backup or changed in one: a non-character that XML
# cannot hold, a control character, a Windows line end, right-to-left marks, an emoji, NUL
# (which PostgreSQL itself refuses to store, so it is left out there).
HOSTILE = "\uffff\x01 a\r\nb \u202eRTL\u200f 😀 \x00"


def hostile_text() -> str:
    return HOSTILE if connection.vendor != "postgresql" else HOSTILE.replace("\x00", "")


def text_fields(model) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]


def every_text(models_backed_up) -> dict:
    return {
        model._meta.label: sorted(model._base_manager.values_list(*fields))
        for model in models_backed_up
        if (fields := text_fields(model))
    }


def _fill_lenses_regional_and_training(coordinator) -> None:
    """The GCM and 10.7.2 content with Part C answers, a regional exercise with a share and a
    secretariat, and a workshop with a participant's practice answer."""
    version = FrameworkVersion.objects.get(code="iamm-2005")
    validated = make_assessment(framework_version=version, cycle=2027, created_by=coordinator)
    part_c_include(assessment=validated)
    process = RegionalProcess.objects.order_by("pk").first()
    exercise = make_exercise(process, version)
    secretariat = make_user("secretariat", country="", role=User.Role.SECRETARIAT)
    SecretariatAppointment.objects.create(user=secretariat, process=process)
    RegionalShare.objects.create(exercise=exercise, assessment=validated, shared_by=coordinator)
    workshop = make_workshop(facilitator=make_facilitator(), version=version, headings=(1,))
    participant, _token = join(workshop, "Ana")
    answer(participant, 1, {"1.1": {"level": "2", "evidence": "Seen in the case."}})


def fill_every_model() -> None:
    """At least one row in every model a backup holds, with hostile text in every text field."""
    # The lens content can only come with its version: a published version takes no additions.
    call_command("loaddata", *fixture_files("iamm", "lenses", "regional_processes"), verbosity=0)
    agency = make_agency()
    alice = make_user("alice", role=User.Role.COORDINATOR, agency=agency)
    assessment = make_assessment(created_by=alice)
    answer = assessment.answers.filter(area__isnull=False).first()
    services.answers_save(
        assessment=assessment, updates=[(answer, 0, {"evidence": "one\r\ntwo"})], user=alice
    )
    services.comment_add(answer=answer, author=alice, text="first\r\nsecond")
    _fill_lenses_regional_and_training(alice)
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN_FAILED, username="x")
    Group.objects.create(name="reviewers").user_set.add(alice)
    TOTPDevice.objects.create(user=alice, name="phone")
    LogEntry.objects.create(
        user=alice,
        content_type=ContentType.objects.get_for_model(Agency),
        object_id=str(agency.pk),
        object_repr="Ministry",
        action_flag=1,
        change_message="[]",
    )
    for model in backup_models():
        assert model._base_manager.exists(), f"no {model._meta.label} to back up"
        fields = text_fields(model)
        for row in model._base_manager.values("pk", *fields):
            # Each row's own value first, so that unique values stay unique.
            model._base_manager.filter(pk=row["pk"]).update(
                **{
                    field: (row[field] + hostile_text())[: model._meta.get_field(field).max_length]
                    for field in fields
                }
            )


@pytest.mark.django_db(transaction=True)
def test_hostile_text_in_every_model_comes_back_byte_for_byte(tmp_path):
    fill_every_model()
    before = every_text(backup_models())
    texts = [value for rows in before.values() for row in rows for value in row]
    assert sum(hostile_text() in str(value) for value in texts) > 30
    backup = tmp_path / "backup.json.gz"
    call_command("backup", str(backup), verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    call_command("restore", str(backup), verbosity=0)
    assert every_text(backup_models()) == before
    # The history keeps what the field held, line ends included.
    assert AnswerChange.objects.get().changes == {"evidence": ["", "one\r\ntwo"]}
    assert Comment.objects.get().text.startswith("first\r\nsecond")


def test_the_backup_is_readable_by_its_owner_only(tmp_path):
    make_user("alice")
    backup = tmp_path / "backup.json"
    call_command("backup", str(backup), verbosity=0)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["backup.json"]


def test_a_failed_backup_leaves_no_file(tmp_path, monkeypatch):
    make_user("alice")
    (tmp_path / "old.json").write_text("[]")

    def fail(*args, **kwargs):
        raise CommandError("Unable to serialize database: disk full")

    monkeypatch.setattr("django.core.management.commands.dumpdata.serializers.serialize", fail)
    with pytest.raises(CommandError, match="disk full"):
        call_command("backup", str(tmp_path / "new.json"), verbosity=0)
    assert [p.name for p in tmp_path.iterdir()] == ["old.json"]


def test_a_backup_that_does_not_read_back_whole_is_not_reported(tmp_path, monkeypatch):
    make_user("alice")
    real = backup_command.verify

    def short(path, opener):
        path.write_text("[]")  # as if the disk had lost what was written
        return real(path, opener)

    monkeypatch.setattr(backup_command, "verify", short)
    with pytest.raises(CommandError, match="does not hold every row"):
        call_command("backup", str(tmp_path / "b.json"), verbosity=0)
    assert list(tmp_path.iterdir()) == []


def test_a_backup_needs_a_json_file_name(tmp_path):
    with pytest.raises(CommandError, match="Name the backup"):
        call_command("backup", str(tmp_path / "b.xml"), verbosity=0)
