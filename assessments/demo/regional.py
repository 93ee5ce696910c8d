"""The demo regional exercise: a fictional process of five fictional countries (Demoland and
four neighbours with user-assigned ISO codes), four of which share a validated assessment (one
anonymously), and a secretariat account. Demoland has not shared yet, so a trainer can show
sharing live with Demoland's coordinator.

Levels come from `random.Random` seeded per country, with a few headings low across the
region, so the figures, the shared gaps and each State's place are the same on every run.
"""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Callable

from django.utils import timezone

from iamm.models import FrameworkVersion, Membership, RegionalProcess

from ..models import Answer, Assessment, RegionalExercise, User
from ..questionnaire import services as questionnaire
from ..regional import services

PROCESS = "demo-rcp"
HOME = "QZ"
# code: (name in settings.COUNTRIES_OVERRIDE, shares?, anonymous?)
NEIGHBOURS = {
    "XA": ("Northland", True, False),
    "XB": ("Eastmarch", True, False),
    "XC": ("Southport", True, True),
    "XD": ("Westland", True, False),
}
# Headings most of the region has barely started on: they come out as shared gaps.
REGIONAL_GAPS = (16, 19)
SECRETARIAT_USER = "secretariat"

Say = Callable[[str, str], None]


def seed_regional(
    *, version: FrameworkVersion, say: Say, passwords: list, existing: list
) -> RegionalExercise:
    process = _process()
    for code in NEIGHBOURS:
        coordinator = _coordinator(code, passwords, existing)
        _validated_assessment(code, version, coordinator, say)
    exercise, created = _exercise(process, version, say)
    # Shares are made with the exercise only: one a trainer has withdrawn stays withdrawn.
    for code, (_name, shares, anonymous) in NEIGHBOURS.items():
        if created and shares:
            assessment = Assessment.objects.get(country=code, framework_version=version)
            services.share_create(
                exercise=exercise,
                assessment=assessment,
                user=User.objects.get(username=f"coordinator-{code.lower()}"),
                anonymous=anonymous,
            )
    _secretariat(process, passwords, existing)
    return exercise


def _process() -> RegionalProcess:
    process, _created = RegionalProcess.objects.get_or_create(
        slug=PROCESS,
        defaults={
            "is_major": False,
            "name": "Demo Regional Consultative Process (fictional)",
            "short_name": "Demo RCP",
            "year": 2020,
            "region": "Fictional region",
            "secretariat": "Demo RCP Secretariat (fictional)",
            "main_areas": "Labour migration; return and reintegration; border management; "
            "research and data; migration and health.",
            "description": "A fictional process for demonstrations and training.",
        },
    )
    for code in (HOME, *NEIGHBOURS):
        Membership.objects.get_or_create(
            process=process, country=code, defaults={"name_in_source": code}
        )
    return process


def _coordinator(code: str, passwords: list, existing: list) -> User:
    return _account(
        f"coordinator-{code.lower()}",
        passwords,
        existing,
        f"coordinator, {NEIGHBOURS[code][0]}",
        country=code,
        role=User.Role.COORDINATOR,
    )


def _account(username: str, passwords: list, existing: list, what: str, **fields) -> User:
    """The account, created with a random password (kept in `passwords` to be printed once)
    unless it exists."""
    user = User.objects.filter(username=username).first()
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=username, password=password, email=f"{username}@demo.example", **fields
        )
        passwords.append((username, password, what))
    else:
        existing.append(username)
    return user


def _validated_assessment(
    code: str, version: FrameworkVersion, coordinator: User, say: Say
) -> Assessment:
    existing = Assessment.objects.filter(country=code, framework_version=version).first()
    if existing is not None:
        return existing
    name = NEIGHBOURS[code][0]
    assessment = questionnaire.assessment_create(
        country=code,
        framework_version=version,
        cycle=2025,
        created_by=coordinator,
        title=f"{name} – IAMM self-assessment 2025",
    )
    rng = random.Random(f"regional-{code}")
    answers = list(assessment.answers.select_related("area__heading"))
    updates = [(a, a.version, {"level": _level(a, rng)}) for a in answers]
    questionnaire.answers_save(assessment=assessment, updates=updates, user=coordinator)
    for section in assessment.sections.all():
        questionnaire.section_mark(section=section, completed=True)
    questionnaire.assessment_submit(assessment=assessment)
    questionnaire.assessment_validate(assessment=assessment, user=coordinator)
    say(f"Created {assessment.title} (validated).", "SUCCESS")
    return Assessment.objects.get(pk=assessment.pk)


def _level(answer: Answer, rng: random.Random) -> str:
    if answer.area_id and answer.area.heading.number in REGIONAL_GAPS:
        return rng.choices("0123", weights=[3, 3, 2, 1])[0]
    return rng.choices("01234", weights=[1, 2, 3, 3, 2])[0]


def _exercise(
    process: RegionalProcess, version: FrameworkVersion, say: Say
) -> tuple[RegionalExercise, bool]:
    existing = RegionalExercise.objects.filter(process=process).first()
    if existing is not None:
        say(f"Regional exercise {existing} already there: left as it is.", "")
        return existing, False
    today = timezone.localdate()
    exercise = RegionalExercise.objects.create(
        process=process,
        framework_version=version,
        title="Demo RCP – regional exercise 2026",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=90),
    )
    say(f"Created {exercise.title} (draft report, four States sharing).", "SUCCESS")
    return exercise, True


def _secretariat(process: RegionalProcess, passwords: list, existing: list) -> User:
    user = _account(
        SECRETARIAT_USER,
        passwords,
        existing,
        "secretariat of the Demo RCP",
        first_name="Demo RCP",
        last_name="Secretariat",
    )
    if not hasattr(user, "secretariat"):
        services.secretariat_appoint(user=user, process=process)
    return user
