"""Reads for regional exercises: which exercises a person may see, which assessments a country
may share, and the scores of the shared assessments, in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from assessments.access import secretariat_process_id
from assessments.models import Answer, Assessment, RegionalExercise, RegionalShare, User
from assessments.scoring import rules as scoring
from iamm.models import (
    CommonUnderstanding,
    CrosswalkLink,
    Membership,
    PracticeArea,
    PracticeHeading,
)


def exercises_for_user(user: User) -> QuerySet[RegionalExercise]:
    """The secretariat's exercises, or those of the processes the user's country belongs to."""
    exercises = RegionalExercise.objects.select_related("process", "framework_version")
    if user.is_secretariat:
        return exercises.for_process(secretariat_process_id(user))
    if not user.country:
        return exercises.none()
    return exercises.filter(process__memberships__country=user.country).annotate(
        shared=Count(
            "shares",
            filter=Q(shares__country=user.country, shares__withdrawn_at__isnull=True),
        )
    )


def is_member(exercise: RegionalExercise, country: str) -> bool:
    return bool(country) and (
        Membership.objects.filter(process_id=exercise.process_id, country=country).exists()
    )


def members_count(exercise: RegionalExercise) -> int:
    return Membership.objects.filter(process_id=exercise.process_id).count()


def active_share(exercise: RegionalExercise, country: str) -> RegionalShare | None:
    if not country:
        return None
    return exercise.shares.active().filter(country=country).select_related("assessment").first()


def shareable_assessments(exercise: RegionalExercise, country: str) -> QuerySet[Assessment]:
    """The country's validated assessments of the exercise's framework version."""
    return Assessment.objects.filter(
        country=country,
        status=Assessment.Status.VALIDATED,
        framework_version_id=exercise.framework_version_id,
    ).order_by("-cycle")


@dataclass
class SharedScores:
    """What the regional figures use of one shared assessment: its heading scores (as shown,
    one decimal), its Part A levels, and the Common Understandings it flags."""

    share: RegionalShare
    headings: dict[int, float | None] = field(default_factory=dict)
    understandings: dict[int, str] = field(default_factory=dict)
    flags: set[int] = field(default_factory=set)


@dataclass
class ExerciseContent:
    headings: list[PracticeHeading]
    understandings: list[CommonUnderstanding]
    links: dict[int, list[int]]  # understanding number -> linked heading numbers
    area_headings: dict[int, int]  # practice area id -> heading number


def exercise_content(exercise: RegionalExercise) -> ExerciseContent:
    version = exercise.framework_version_id
    links: dict[int, list[int]] = {}
    for understanding, heading in CrosswalkLink.objects.filter(
        heading__version_id=version
    ).values_list("understanding__number", "heading__number"):
        links.setdefault(understanding, []).append(heading)
    return ExerciseContent(
        headings=list(PracticeHeading.objects.filter(version_id=version).order_by("number")),
        understandings=list(
            CommonUnderstanding.objects.filter(version_id=version).order_by("number")
        ),
        links=links,
        area_headings=dict(
            PracticeArea.objects.filter(heading__version_id=version).values_list(
                "id", "heading__number"
            )
        ),
    )


def shared_scores(
    exercise: RegionalExercise, content: ExerciseContent, thresholds=None
) -> list[SharedScores]:
    """The active shares with their scores: two queries, whatever the number of States."""
    shares = list(exercise.shares.active().order_by("pk"))
    by_assessment = {share.assessment_id: SharedScores(share=share) for share in shares}
    items: dict[int, dict[int, list[scoring.Item]]] = {pk: {} for pk in by_assessment}
    # No joins: 63 rows per State, mapped to headings and understandings from the content.
    understanding_numbers = {cu.pk: cu.number for cu in content.understandings}
    rows = Answer.objects.filter(assessment_id__in=list(by_assessment)).values_list(
        "assessment_id", "area_id", "understanding_id", "level"
    )
    for assessment_id, area_id, understanding_id, level in rows.iterator(chunk_size=5000):
        if understanding_id is not None:
            number = understanding_numbers[understanding_id]
            by_assessment[assessment_id].understandings[number] = level
        else:
            heading = content.area_headings[area_id]
            items[assessment_id].setdefault(heading, []).append(scoring.Item(level=level))
    for assessment_id, scores in by_assessment.items():
        for heading in content.headings:
            score = scoring.heading_score(items[assessment_id].get(heading.number, []))
            scores.headings[heading.number] = scoring.rounded(score)
        scores.flags = {
            flag.number
            for flag in scoring.coherence_flags(
                (
                    (number, scoring.Item(level=level), content.links.get(number, []))
                    for number, level in scores.understandings.items()
                ),
                scores.headings,
                thresholds,
            )
        }
    return list(by_assessment.values())
