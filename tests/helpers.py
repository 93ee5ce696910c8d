"""Plain helpers for building test data (preferred over factories)."""

from __future__ import annotations

from django.core.management import call_command

from assessments.models import Agency, Assessment, User
from assessments.services import assessment_create
from iamm.models import (
    CommonUnderstanding,
    CrosswalkLink,
    FrameworkVersion,
    Practice,
    PracticeArea,
    PracticeHeading,
)

PASSWORD = "correct-horse-battery-staple"


def load_framework() -> FrameworkVersion:
    """The real IAMM content (fixtures/iamm.json), published as iamm-2005."""
    if not FrameworkVersion.objects.filter(code="iamm-2005").exists():
        call_command("loaddata", "iamm", verbosity=0)
    return FrameworkVersion.objects.get(code="iamm-2005")


def make_framework(
    code: str = "test-1", *, understandings: int = 3, headings: int = 2, areas: int = 2
) -> FrameworkVersion:
    """A small published framework: N understandings, headings of `areas` areas each, every
    heading linked to understanding 1, one guidance statement per area."""
    version = FrameworkVersion.objects.create(code=code, title=f"Test framework {code}")
    cus = [
        CommonUnderstanding.objects.create(version=version, number=n, text=f"Understanding {n}")
        for n in range(1, understandings + 1)
    ]
    for h in range(1, headings + 1):
        heading = PracticeHeading.objects.create(version=version, number=h, title=f"Heading {h}")
        CrosswalkLink.objects.create(heading=heading, understanding=cus[0])
        for a in range(1, areas + 1):
            area = PracticeArea.objects.create(
                heading=heading, code=f"{h}.{a}", order=a, name=f"Area {h}.{a}"
            )
            Practice.objects.create(
                area=area, order=1, kind=Practice.Kind.GUIDANCE, text=f"Guidance {h}.{a}"
            )
    version.publish()
    return version


def make_agency(country: str = "QZ", name: str = "Ministry of the Interior") -> Agency:
    return Agency.objects.get_or_create(country=country, name=name)[0]


def make_user(
    username: str,
    *,
    country: str = "QZ",
    role: str = User.Role.CONTRIBUTOR,
    agency: Agency | None = None,
    **extra,
) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        country=country,
        role=role,
        agency=agency,
        email=f"{username}@example.org",
        **extra,
    )


def make_assessment(
    *, country: str = "QZ", cycle: int = 2026, created_by: User | None = None, **kwargs
) -> Assessment:
    version = kwargs.pop("framework_version", None) or load_framework()
    if created_by is None:
        created_by = make_user(
            f"coordinator-{country.lower()}-{cycle}", country=country, role=User.Role.COORDINATOR
        )
    return assessment_create(
        country=country, framework_version=version, cycle=cycle, created_by=created_by, **kwargs
    )
