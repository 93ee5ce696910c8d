"""Reads of the lens content in the plain shapes `assessments.scoring.lenses` takes, so a report
can compute its lens sections without knowing the models."""

from __future__ import annotations

from .models import FrameworkVersion, HeadingDomainLink, HeadingObjectiveLink


def gcm_objective_numbers(*, version: FrameworkVersion) -> list[int]:
    return list(version.gcm_objectives.order_by("number").values_list("number", flat=True))


def gcm_link_rows(*, version: FrameworkVersion) -> list[tuple[int, int, str]]:
    """(heading number, objective number, strength) for every link of the version."""
    links = HeadingObjectiveLink.objects.filter(heading__version=version)
    return list(
        links.order_by("heading__number", "objective__number").values_list(
            "heading__number", "objective__number", "strength"
        )
    )


def sdg_domain_numbers(*, version: FrameworkVersion) -> list[int]:
    return list(version.sdg_domains.order_by("number").values_list("number", flat=True))


def sdg_link_rows(*, version: FrameworkVersion) -> list[tuple[int, int]]:
    """(heading number, domain number) for every link of the version."""
    links = HeadingDomainLink.objects.filter(heading__version=version)
    return list(
        links.order_by("heading__number", "domain__number").values_list(
            "heading__number", "domain__number"
        )
    )
