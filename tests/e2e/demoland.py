"""Demoland's team and assessments, arranged through the services as the app would leave them.

Amina coordinates Demoland (QZ); Bruno contributes for its Ministry of the Interior; Dave
coordinates France and must not learn anything about Demoland. The 2024 cycle is validated,
every item answered; the 2026 cycle starts as its copy, headings 6 and 8 assigned to the
Ministry of the Interior.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import Agency, Assessment, User
from assessments.questionnaire import services
from tests.helpers import load_framework, make_agency, make_user

TITLE_2024 = "Demoland – IAMM self-assessment 2024"
TITLE_2026 = "Demoland – IAMM self-assessment 2026"
ASSIGNED = (6, 8)  # Irregular Migration (2 areas), Asylum and International Protection (1)


@dataclass
class Team:
    amina: User  # coordinator
    bruno: User  # contributor, Ministry of the Interior
    dave: User  # coordinator of another country
    interior: Agency
    labour: Agency
    previous: Assessment  # the validated 2024 cycle


def team() -> Team:
    version = load_framework()
    interior = make_agency("QZ", "Ministry of the Interior")
    labour = make_agency("QZ", "Ministry of Labour")
    amina = make_user(
        "amina", role=User.Role.COORDINATOR, agency=interior, first_name="Amina", last_name="Demir"
    )
    bruno = make_user("bruno", agency=interior, first_name="Bruno", last_name="Okafor")
    dave = make_user("dave", country="FR", role=User.Role.COORDINATOR, first_name="Dave")
    previous = services.assessment_create(
        country="QZ",
        framework_version=version,
        cycle=2024,
        created_by=amina,
        title=TITLE_2024,
        agencies=[interior, labour],
    )
    answer_everything(previous, amina, level="2")
    services.assessment_submit(assessment=previous)
    services.assessment_validate(assessment=previous, user=amina)
    return Team(amina, bruno, dave, interior, labour, Assessment.objects.get(pk=previous.pk))


def answer_everything(assessment: Assessment, user: User, *, level: str) -> None:
    """Every item answered and every section marked completed."""
    for section in assessment.sections.all():
        section.assessment = assessment
        updates = [
            (answer, answer.version, {"level": level, "evidence": "National Migration Policy"})
            for answer in section.answers.all()
        ]
        services.answers_save(assessment=assessment, updates=updates, user=user)
        services.section_mark(section=section, completed=True)


def cycle_2026(team: Team, *, copy: bool = True, assign: bool = True) -> Assessment:
    """The 2026 cycle as the coordinator leaves it after the first scenario."""
    assessment = services.assessment_create(
        country="QZ",
        framework_version=team.previous.framework_version,
        cycle=2026,
        created_by=team.amina,
        title=TITLE_2026,
        previous=team.previous if copy else None,
        copy_answers=copy,
        agencies=[team.interior],
    )
    if assign:
        for section in assessment.sections.filter(heading__number__in=ASSIGNED):
            section.assessment = assessment
            services.section_assign(section=section, agency=team.interior)
    return assessment
