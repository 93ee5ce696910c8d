"""Plain helpers for building test data (preferred over factories)."""

from __future__ import annotations

from django.core.management import call_command

from assessments.models import Agency, Assessment, User
from assessments.questionnaire.services import assessment_create
from iamm.models import (
    CommonUnderstanding,
    CrosswalkLink,
    FrameworkVersion,
    GcmObjective,
    HeadingDomainLink,
    HeadingObjectiveLink,
    Membership,
    Practice,
    PracticeArea,
    PracticeHeading,
    RegionalProcess,
    SdgDomain,
    SdgSubcategory,
)

PASSWORD = "correct-horse-battery-staple"


def load_framework() -> FrameworkVersion:
    """The real IAMM content (fixtures/iamm.json), published as iamm-2005."""
    if not FrameworkVersion.objects.filter(code="iamm-2005").exists():
        call_command("loaddata", "iamm", verbosity=0)
    return FrameworkVersion.objects.get(code="iamm-2005")


def make_framework(
    code: str = "test-1",
    *,
    understandings: int = 3,
    headings: int = 2,
    areas: int = 2,
    lenses: bool = False,
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
    if lenses:
        add_lenses(version)
    version.publish()
    return version


def add_lenses(version: FrameworkVersion) -> None:
    """23 GCM objectives and 6 SDG 10.7.2 domains (5 sub-categories each) on a draft version with
    two headings. Objective 1: heading 1 primary, heading 2 secondary; objective 2: heading 2
    primary; objective 3: heading 1 secondary only; the others unlinked. Domain 1: headings 1
    and 2; domain 2: heading 2; the others unlinked."""
    h1, h2 = version.headings.order_by("number")[:2]
    objectives = [
        GcmObjective.objects.create(
            version=version, number=n, title=f"Objective {n}", short_label=f"O{n}"
        )
        for n in range(1, 24)
    ]
    for heading, objective, strength in (
        (h1, 1, "primary"),
        (h2, 1, "secondary"),
        (h2, 2, "primary"),
        (h1, 3, "secondary"),
    ):
        HeadingObjectiveLink.objects.create(
            heading=heading, objective=objectives[objective - 1], strength=strength, reason="Test"
        )
    domains = []
    for n in range(1, 7):
        domain = SdgDomain.objects.create(
            version=version,
            number=n,
            name=f"Domain {n}",
            proxy_measure="Proxy",
            question="Question?",
            middle_option="Yes, only for those with legal immigration status" if n == 1 else "",
        )
        for letter in "abcde":
            SdgSubcategory.objects.create(domain=domain, letter=letter, text=f"Sub {n}{letter}")
        domains.append(domain)
    for heading, domain in ((h1, 1), (h2, 1), (h2, 2)):
        HeadingDomainLink.objects.create(heading=heading, domain=domains[domain - 1], reason="T")


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


def make_draft_framework(
    code: str = "draft-1", *, understandings: int = 3, headings: int = 2, areas: int = 2
) -> FrameworkVersion:
    """A small draft framework, every column in three languages: N understandings; headings of
    `areas` areas each, linked to understandings 1 and 2; per area one quoted IAMM practice and
    one guidance statement. Publish it with `framework_version_publish` when needed."""
    version = FrameworkVersion.objects.create(
        code=code,
        title_en=f"Draft {code}",
        title_fr=f"Brouillon {code}",
        title_es=f"Borrador {code}",
    )
    cus = [
        CommonUnderstanding.objects.create(
            version=version,
            number=n,
            text_en=f"Understanding {n}",
            text_fr=f"Entente {n}",
            text_es=f"Entendimiento {n}",
        )
        for n in range(1, understandings + 1)
    ]
    for h in range(1, headings + 1):
        heading = PracticeHeading.objects.create(
            version=version, number=h, title_en=f"Heading {h}", title_fr=f"Rubrique {h}"
        )
        for cu in cus[:2]:
            CrosswalkLink.objects.create(heading=heading, understanding=cu, note_en=f"Note H{h}")
        for a in range(1, areas + 1):
            area = PracticeArea.objects.create(
                heading=heading, code=f"{h}.{a}", order=a, name_en=f"Area {h}.{a}"
            )
            Practice.objects.create(
                area=area,
                order=1,
                kind=Practice.Kind.IAMM,
                text_en=f"Quoted practice {h}.{a}",
                text_fr=f"Pratique citée {h}.{a}",
                source_note="IAMM",
            )
            Practice.objects.create(
                area=area, order=2, kind=Practice.Kind.GUIDANCE, text_en=f"Guidance {h}.{a}"
            )
    return version


def make_regional_process(
    slug: str, *, members: dict[str, str] | None = None, **fields
) -> RegionalProcess:
    """A process with members given as {ISO code: name in the source}."""
    fields.setdefault("short_name", slug.upper())
    fields.setdefault("name", f"Process {slug}")
    fields.setdefault("region", "Somewhere")
    process = RegionalProcess.objects.create(slug=slug, **fields)
    for country, name_in_source in (members or {}).items():
        Membership.objects.create(process=process, country=country, name_in_source=name_in_source)
    return process


def fixture_files(*names: str) -> list[str]:
    """Paths of fixtures/<name>.json, so loading them does not depend on FIXTURE_DIRS."""
    from django.conf import settings

    return [str(settings.BASE_DIR / "fixtures" / f"{name}.json") for name in names]


def fixtures_once(*names: str):
    """A module-scoped pytest fixture that loads fixtures/<name>.json once for the module (loading
    takes seconds) in a transaction rolled back after its last test; each test still runs in a
    savepoint of its own. Use as `loaded = fixtures_once("iamm", "lenses")`."""
    import pytest
    from django.db import transaction

    @pytest.fixture(scope="module")
    def loaded(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            call_command("loaddata", *fixture_files(*names), verbosity=0)
        yield
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    return loaded
