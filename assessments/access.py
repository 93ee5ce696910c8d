"""The one place that decides who may see or do what with an assessment.

Every assessment view fetches its assessment through `get_assessment`. Another country's
assessment answers 404 (its existence is not revealed); a known assessment with a role that may
not do the action answers 403.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Assessment, Section, User


class Action(StrEnum):
    VIEW = "view"  # read pages, download reports and exports
    ANSWER = "answer"  # change answers in a section the user may edit
    COMMENT = "comment"
    COORDINATE = "coordinate"  # assign sections, submit, send back, validate, start next cycle


def can(user: User, assessment: Assessment, action: Action) -> bool:
    if not user.is_authenticated or not user.is_active or user.country != assessment.country:
        return False
    if action == Action.VIEW:
        return True
    if action == Action.COMMENT:
        return user.can_edit_answers and assessment.accepts_comments
    if action == Action.ANSWER:
        return user.can_edit_answers and assessment.accepts_answers
    if action == Action.COORDINATE:
        return user.is_coordinator
    return False


def can_edit_section(
    user: User, section: Section, *, sections: list[Section] | None = None
) -> bool:
    """Coordinators edit every section; a contributor edits the sections assigned to their
    agency, or all of them while no section of the assessment is assigned to any agency."""
    if not can(user, section.assessment, Action.ANSWER):
        return False
    if user.is_coordinator:
        return True
    if sections is None:
        sections = list(section.assessment.sections.all())
    if not any(s.agency_id for s in sections):
        return True
    return user.agency_id is not None and section.agency_id == user.agency_id


def get_assessment(user: User, pk: int, action: Action = Action.VIEW) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.for_user(user).select_related("framework_version"), pk=pk
    )
    if not can(user, assessment, action):
        raise PermissionDenied
    return assessment


def get_section(user: User, assessment: Assessment, order: int) -> Section:
    return get_object_or_404(assessment.sections.select_related("heading", "agency"), order=order)
