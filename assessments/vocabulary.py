"""The words of the questionnaire: answer scales, priorities, statuses, roles and score bands.

One place for the codes that are stored and the labels that people read, so that forms,
reports, exports and the scoring page always say the same thing. Stored codes never change
(exports and backups rely on them); labels are translated.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

NOT_APPLICABLE = "na"
DONT_KNOW = "dk"
UNANSWERED = ""
MAX_LEVEL = 4


class Level(models.TextChoices):
    """What is stored for a current level. The wording differs between the two parts
    (`PART_A_LEVELS`, `PART_B_LEVELS`)."""

    L0 = "0", "0"
    L1 = "1", "1"
    L2 = "2", "2"
    L3 = "3", "3"
    L4 = "4", "4"
    NOT_APPLICABLE = NOT_APPLICABLE, _("Not applicable")
    DONT_KNOW = DONT_KNOW, _("Don't know")


PART_A_LEVELS = [
    ("0", _("0 – Not reflected")),
    ("1", _("1 – Acknowledged only")),
    ("2", _("2 – Partly reflected in policy")),
    ("3", _("3 – Largely reflected in policy and practice")),
    ("4", _("4 – Fully reflected and applied")),
    (DONT_KNOW, _("Don't know")),
]
PART_B_LEVELS = [
    ("0", _("0 – Not addressed")),
    ("1", _("1 – Under consideration (being discussed or drafted)")),
    ("2", _("2 – Adopted in law or policy, not yet implemented")),
    ("3", _("3 – Partially implemented")),
    ("4", _("4 – Fully implemented and periodically reviewed")),
    (NOT_APPLICABLE, _("Not applicable")),
    (DONT_KNOW, _("Don't know")),
]
PART_A_LABELS = dict(PART_A_LEVELS)
PART_B_LABELS = dict(PART_B_LEVELS)
TARGET_LEVELS = [(str(n), str(n)) for n in range(MAX_LEVEL + 1)]


def level_label(level: str, *, part_a: bool) -> str:
    """The wording of a stored level in its part ("3 – Partially implemented"), or ""."""
    return str((PART_A_LABELS if part_a else PART_B_LABELS).get(level, ""))


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


# Highest first. Gaps without a priority come last.
PRIORITY_ORDER = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2, "": 3}


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    VALIDATED = "validated", _("Validated")


class SectionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not yet started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


# The tag colour of a status (the status_badge filter): done, under way, or not begun.
STATUS_TONES = {
    AssessmentStatus.VALIDATED: "done",
    SectionStatus.COMPLETED: "done",
    AssessmentStatus.IN_REVIEW: "active",
    SectionStatus.IN_PROGRESS: "active",
}


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    CONTRIBUTOR = "contributor", _("Contributor")
    VIEWER = "viewer", _("Viewer")
    # Scoped to one regional process, never to a country (see assessments.access).
    SECRETARIAT = "secretariat", _("Regional process secretariat")


ROLE_DESCRIPTIONS = [
    (
        Role.COORDINATOR.value,
        _("Coordinator – manages the team, assigns sections, submits and validates"),
    ),
    (Role.CONTRIBUTOR.value, _("Contributor – answers the sections of their agency")),
    (Role.VIEWER.value, _("Viewer – reads assessments and downloads reports")),
]

BAND_LABELS = {
    "fully_meets": _("Fully meets"),
    "meets": _("Meets"),
    "partially_meets": _("Partially meets"),
    "requires_progress": _("Requires further progress"),
}


def band_label(key: str | None) -> str:
    return str(BAND_LABELS.get(key, key)) if key else ""
