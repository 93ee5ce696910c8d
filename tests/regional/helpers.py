"""Regional test data: a process, member States with validated assessments, a secretariat."""

from __future__ import annotations

import datetime

from django.utils import timezone

from assessments.models import Answer, Assessment, RegionalExercise, User
from assessments.regional import services
from iamm.models import FrameworkVersion, RegionalProcess
from tests.helpers import make_assessment, make_regional_process, make_user


def validated_assessment(
    country: str,
    *,
    version: FrameworkVersion,
    levels: dict[int, str] | None = None,
    default: str = "2",
    understanding: str = "2",
    cycle: int = 2025,
    coordinator: User | None = None,
) -> Assessment:
    """A validated assessment whose Part B areas are at `default`, except the headings named
    in `levels` ({heading number: level}); every Part A item at `understanding`."""
    coordinator = coordinator or coordinator_of(country)
    assessment = make_assessment(
        country=country, cycle=cycle, framework_version=version, created_by=coordinator
    )
    answers = Answer.objects.filter(assessment=assessment)
    answers.filter(area__isnull=False).update(level=default)
    for heading, level in (levels or {}).items():
        answers.filter(area__heading__number=heading).update(level=level)
    answers.filter(understanding__isnull=False).update(level=understanding)
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.VALIDATED, validated_at=timezone.now()
    )
    assessment.refresh_from_db()
    return assessment


def coordinator_of(country: str) -> User:
    return User.objects.filter(country=country, role=User.Role.COORDINATOR).first() or make_user(
        f"coordinator-{country.lower()}", country=country, role=User.Role.COORDINATOR
    )


def make_process(countries: list[str], slug: str = "test-rcp", **fields) -> RegionalProcess:
    return make_regional_process(slug, members={c: f"State {c}" for c in countries}, **fields)


def make_exercise(
    process: RegionalProcess, version: FrameworkVersion, **fields
) -> RegionalExercise:
    today = timezone.localdate()
    fields.setdefault("title", f"{process.short_name} regional exercise")
    fields.setdefault("opens_on", today - datetime.timedelta(days=10))
    fields.setdefault("closes_on", today + datetime.timedelta(days=30))
    return RegionalExercise.objects.create(process=process, framework_version=version, **fields)


def make_secretariat(process: RegionalProcess, username: str = "secretariat") -> User:
    user = make_user(username, country="", role=User.Role.VIEWER)
    services.secretariat_appoint(user=user, process=process)
    user.refresh_from_db()
    return user


def share(exercise: RegionalExercise, assessment: Assessment, *, anonymous: bool = False):
    return services.share_create(
        exercise=exercise,
        assessment=assessment,
        user=coordinator_of(assessment.country.code),
        anonymous=anonymous,
    )
