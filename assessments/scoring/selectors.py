"""The reads that feed the scoring rules: an assessment's answers and the crosswalk."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch

from iamm.models import CrosswalkLink, FrameworkVersion, PracticeHeading

from ..models import Answer, Assessment, Comment


def scored_answers(assessment: Assessment) -> list[Answer]:
    """Every answer of the assessment with what reports and exports show, in two queries,
    Part A first, then heading by heading."""
    return list(
        Answer.objects.filter(assessment=assessment)
        .select_related("area__heading", "understanding", "responsible_agency", "updated_by")
        .prefetch_related(Prefetch("comments", queryset=Comment.objects.select_related("author")))
        .order_by("section__order", "understanding__number", "area__order")
    )


def headings(version: FrameworkVersion) -> list[PracticeHeading]:
    return list(PracticeHeading.objects.filter(version=version).order_by("number"))


def crosswalk(version: FrameworkVersion) -> dict[int, list[int]]:
    """Understanding id → numbers of the headings linked to it."""
    links: dict[int, list[int]] = {}
    for understanding_id, heading_number in CrosswalkLink.objects.filter(
        heading__version=version
    ).values_list("understanding_id", "heading__number"):
        links.setdefault(understanding_id, []).append(heading_number)
    return links


def levels_by_item(assessment_id: int) -> Iterator[tuple[int | None, str, int, str]]:
    """(heading number or None for Part A, level, target, priority) of every answer."""
    return iter(
        Answer.objects.filter(assessment_id=assessment_id).values_list(
            "area__heading__number", "level", "target", "priority"
        )
    )
