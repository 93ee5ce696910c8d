"""The one place that decides who may see or do what.

Every rule is stated once here; views fetch what they show through the `get_*` functions and
templates read a `Permissions` object, so no view or template re-derives a rule from roles or
statuses.

Each kind of data lives in one scope, and a person reaches only the scopes they belong to:
- a **country** (its assessments, answers, comments, team): the country's coordinators,
  contributors and viewers;
- a **workshop** (its practice assessments): the facilitator who runs it (`get_workshop`),
  and each participant for their own practice answers only (`get_participant`);
- a **regional process** (its exercises): the secretariat appointed to it, and the process's
  member States through their coordinators (`get_exercise`); a secretariat user has no
  country, so no country page ever answers it but 404.
Outside their scope a person gets 404, so the existence of other countries' data is not
revealed; inside it, a role that may not do an action gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from iamm.models import Membership

from .models import (
    Assessment,
    AssessmentQuerySet,
    Facilitator,
    Participant,
    RegionalExercise,
    RegionalShare,
    Section,
    User,
    Workshop,
)
from .vocabulary import Role


class Action(StrEnum):
    VIEW = "view"  # read pages, download reports and exports
    ANSWER = "answer"  # change answers in a section the user may edit
    COMMENT = "comment"
    COORDINATE = "coordinate"  # assign sections, submit, send back, validate, start next cycle
    ASSIGN = "assign"  # give sections to agencies (until the assessment is validated)
    SUBMIT = "submit"
    SEND_BACK = "send_back"
    VALIDATE = "validate"
    NEXT_CYCLE = "next_cycle"  # start the next cycle from a validated assessment
    PART_C = "part_c"  # include or remove the optional Part C (SDG 10.7.2) while a draft


# The country scope --------------------------------------------------------------------------


def in_country(user: User, country: str) -> bool:
    """Whether `user` belongs to the team of `country`."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.country
        and user.country == country
        and user.role != Role.SECRETARIAT  # even if an administrator gave one a country
    )


def is_team_coordinator(user: User) -> bool:
    """Coordinators manage their country's team and start its assessments."""
    return bool(user.is_authenticated and user.is_active and user.country and user.is_coordinator)


def require_team_coordinator(user: User) -> User:
    if not is_team_coordinator(user):
        raise PermissionDenied
    return user


def two_factor_required(user: User) -> bool:
    """Whether the user must sign in with a one-time code (`settings.TWO_FACTOR_REQUIRED_ROLES`;
    "staff" stands for staff administrators)."""
    roles = settings.TWO_FACTOR_REQUIRED_ROLES
    return ("staff" in roles and user.is_staff) or user.role in roles


def can(user: User, assessment: Assessment, action: Action) -> bool:
    if not in_country(user, assessment.country):
        return False
    match action:
        case Action.VIEW:
            return True
        case Action.COMMENT:
            return user.can_edit_answers and assessment.accepts_comments
        case Action.ANSWER:
            return user.can_edit_answers and assessment.accepts_answers
        case Action.COORDINATE:
            return user.is_coordinator
        case Action.ASSIGN:
            return user.is_coordinator and not assessment.is_validated
        case Action.SUBMIT:
            return user.is_coordinator and assessment.is_draft
        case Action.SEND_BACK | Action.VALIDATE:
            return user.is_coordinator and assessment.is_in_review
        case Action.NEXT_CYCLE:
            return user.is_coordinator and assessment.is_validated
        case Action.PART_C:
            return user.is_coordinator and assessment.accepts_answers
    return False


def editable_sections(user: User, assessment: Assessment, sections: list[Section]) -> set[int]:
    """The ids of the assessment's `sections` (all of them) that the user may answer.
    Coordinators edit every section; a contributor edits the sections assigned to their
    agency, or all of them while no section of the assessment is assigned to any agency."""
    if not can(user, assessment, Action.ANSWER):
        return set()
    if user.is_coordinator or not any(s.agency_id for s in sections):
        return {s.pk for s in sections}
    if user.agency_id is None:
        return set()
    return {s.pk for s in sections if s.agency_id == user.agency_id}


def can_edit_section(user: User, section: Section) -> bool:
    """`editable_sections` for one section; the assessment's other sections are read only when
    the agency rule needs them."""
    assessment = section.assessment
    if not can(user, assessment, Action.ANSWER):
        return False
    sections = [section] if user.is_coordinator else list(assessment.sections.all())
    return section.pk in editable_sections(user, assessment, sections)


@dataclass(frozen=True)
class Permissions:
    """What one person may do with one assessment, for templates to read."""

    comment: bool
    answer: bool
    assign: bool
    submit: bool
    send_back: bool
    validate: bool
    next_cycle: bool
    part_c: bool  # include or remove Part C; its answers follow `answer` (no agency owns them)

    @property
    def review(self) -> bool:
        return self.send_back or self.validate


def permissions(user: User, assessment: Assessment) -> Permissions:
    return Permissions(
        comment=can(user, assessment, Action.COMMENT),
        answer=can(user, assessment, Action.ANSWER),
        assign=can(user, assessment, Action.ASSIGN),
        submit=can(user, assessment, Action.SUBMIT),
        send_back=can(user, assessment, Action.SEND_BACK),
        validate=can(user, assessment, Action.VALIDATE),
        next_cycle=can(user, assessment, Action.NEXT_CYCLE),
        part_c=can(user, assessment, Action.PART_C),
    )


def get_assessment(user: User, pk: int, action: Action = Action.VIEW) -> Assessment:
    """The assessment, if it is in the user's country (else 404) and the user may do
    `action` with it (else 403)."""
    return _get_assessment(user, pk, action, Assessment.objects.select_related("framework_version"))


def get_report_assessment(user: User, pk: int) -> Assessment:
    """`get_assessment` for the pages and files that hold its report, with the previous cycle
    in the same query: the report compares with it, and its revision is part of the report
    PDF's cache key. (Any other page would pay for a join it does not use.)"""
    queryset = Assessment.objects.select_related("framework_version", "previous")
    return _get_assessment(user, pk, Action.VIEW, queryset)


def _get_assessment(
    user: User, pk: int, action: Action, queryset: AssessmentQuerySet
) -> Assessment:
    assessment = get_object_or_404(queryset.for_user(user), pk=pk)
    if not can(user, assessment, action):
        raise PermissionDenied(refusal(user, assessment, action))
    return assessment


def refusal(user: User, assessment: Assessment, action: Action) -> str:
    """Why `can` refused: the assessment's stage, when the person's role would allow the action
    on a draft (the refusal page otherwise explains the roles)."""
    answers = action in (Action.ANSWER, Action.PART_C) and user.can_edit_answers
    if answers and not assessment.accepts_answers:
        return gettext("This assessment is no longer open for editing.")
    return ""


def get_section(assessment: Assessment, order: int) -> Section:
    section = get_object_or_404(
        assessment.sections.select_related("heading", "agency"), order=order
    )
    section.assessment = assessment
    return section


class AssessmentClosed(PermissionDenied):
    """Someone who answers questionnaires asked for a section of an assessment that no longer
    takes answers (submitted for review, or validated): not a question of their role, and
    what they were typing, if anything, must not be lost."""

    def __init__(self, assessment: Assessment, section: Section) -> None:
        super().__init__()
        self.assessment, self.section = assessment, section


def get_editable_section(user: User, pk: int, order: int) -> tuple[Assessment, Section]:
    """The assessment and one of its sections that the user may answer (else 404, 403, or
    AssessmentClosed)."""
    assessment = get_assessment(user, pk)
    section = get_section(assessment, order)
    if refusal(user, assessment, Action.ANSWER):
        raise AssessmentClosed(assessment, section)
    if not can_edit_section(user, section):
        raise PermissionDenied
    return assessment, section


# Training workshops ----------------------------------------------------------------------------
# A facilitator reaches their own workshops only; the role grants nothing of any country's
# official data (a facilitator without a country sees no assessment at all). A participant has
# no account: their browser holds a secret token for their own practice assessment, and any
# other participant's answers 404 as another country's assessment does.


def is_facilitator(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and Facilitator.objects.filter(user_id=user.pk).exists()
    )


def get_workshop(user: User, pk: int) -> Workshop:
    workshop = get_object_or_404(
        Workshop.objects.run_by(user).select_related("framework_version", "regional_process"),
        pk=pk,
    )
    if not is_facilitator(user):
        raise PermissionDenied  # the role was taken away since the workshop was created
    return workshop


def get_participant(token: str | None, pk: int) -> Participant:
    participant = get_object_or_404(
        Participant.objects.select_related("workshop", "workshop__framework_version"), pk=pk
    )
    if not participant.holds(token):
        raise Http404
    return participant


# The regional process scope ----------------------------------------------------------------


class RegionalAction(StrEnum):
    OVERSEE = "oversee"  # the secretariat's page: participation and aggregates
    RELEASE = "release"  # the secretariat releases the report
    SHARE = "share"  # a member State's coordinator shares or withdraws its assessment
    READ_REPORT = "read_report"  # the report, draft or released


def is_secretariat(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.SECRETARIAT


def secretariat_process_id(user: User) -> int | None:
    if not is_secretariat(user):
        return None
    try:
        return user.secretariat.process_id
    except ObjectDoesNotExist:
        return None


def can_regional(
    user: User, exercise: RegionalExercise, action: RegionalAction, *, sharing: bool = False
) -> bool:
    """`sharing`: the user's country has an active share in the exercise."""
    if is_secretariat(user):
        return secretariat_process_id(user) == exercise.process_id and action in (
            RegionalAction.OVERSEE,
            RegionalAction.RELEASE,
            RegionalAction.READ_REPORT,
        )
    if not (user.is_authenticated and user.is_active and user.country and user.is_coordinator):
        return False
    if action == RegionalAction.SHARE:
        return True
    if action == RegionalAction.READ_REPORT:
        return sharing
    return False


def get_exercise(user: User, pk: int, action: RegionalAction) -> RegionalExercise:
    """The exercise if the user may do `action`: 404 outside the process, 403 inside it."""
    exercise = get_object_or_404(
        RegionalExercise.objects.select_related("process", "framework_version"), pk=pk
    )
    if is_secretariat(user):
        if secretariat_process_id(user) != exercise.process_id:
            raise Http404
    elif not (
        user.is_authenticated
        and user.is_active
        and user.country
        and Membership.objects.filter(process_id=exercise.process_id, country=user.country).exists()
    ):
        raise Http404
    sharing = (
        action == RegionalAction.READ_REPORT
        and bool(user.country)
        and RegionalShare.objects.active().filter(exercise=exercise, country=user.country).exists()
    )
    if not can_regional(user, exercise, action, sharing=sharing):
        raise PermissionDenied
    return exercise
