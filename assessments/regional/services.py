"""Writes for regional exercises: share, withdraw, release, appoint. Each change enters the
audit log. Checks that a forged request could get past the views are repeated here, so a
service call can never share what the country may not share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.access import secretariat_process_id
from assessments.accounts import audit
from assessments.models import (
    Assessment,
    RegionalExercise,
    RegionalShare,
    SecretariatAppointment,
    SecurityEvent,
    User,
)
from iamm.models import RegionalProcess

from .selectors import is_member

SHARED = SecurityEvent.Kind.REGIONAL_SHARE
WITHDRAWN = SecurityEvent.Kind.REGIONAL_WITHDRAWAL
RELEASED = SecurityEvent.Kind.REGIONAL_RELEASE


class ShareRefused(PermissionDenied):
    """A share or withdrawal the rules forbid; the message says why, in the user's language."""


def _locked(exercise: RegionalExercise) -> RegionalExercise:
    # Serialises shares, withdrawals and the release of one exercise, so that nothing is
    # shared or withdrawn after the report it would change has been released.
    return RegionalExercise.objects.select_for_update().get(pk=exercise.pk)


def share_create(
    *,
    exercise: RegionalExercise,
    assessment: Assessment,
    user: User,
    anonymous: bool,
    request: HttpRequest | None = None,
) -> RegionalShare:
    if not (user.is_active and user.is_coordinator and user.country == assessment.country):
        raise ShareRefused(_("Only your country's coordinator can share its assessment."))
    if not assessment.is_validated:
        raise ShareRefused(_("Only a validated assessment can be shared."))
    if assessment.framework_version_id != exercise.framework_version_id:
        raise ShareRefused(
            _("This exercise compares assessments of another version of the framework.")
        )
    if not is_member(exercise, assessment.country.code):
        raise ShareRefused(_("Your country is not a member of this regional process."))
    with transaction.atomic():
        exercise = _locked(exercise)
        if not exercise.accepts_shares():
            raise ShareRefused(_("This exercise does not accept shares now."))
        try:
            with transaction.atomic():
                share = RegionalShare.objects.create(
                    exercise=exercise,
                    assessment=assessment,
                    country=assessment.country,
                    is_anonymous=anonymous,
                    shared_by=user,
                )
        except IntegrityError:
            raise ShareRefused(
                _("Your country already shares an assessment with this exercise.")
            ) from None
        audit.record(
            SHARED,
            request=request,
            user=user,
            detail=_detail(share, "anonymous" if anonymous else "named"),
        )
    return share


def share_withdraw(
    *, share: RegionalShare, user: User, request: HttpRequest | None = None
) -> RegionalShare:
    if not (user.is_active and user.is_coordinator and user.country == share.country):
        raise ShareRefused(_("Only your country's coordinator can withdraw its share."))
    with transaction.atomic():
        exercise = _locked(share.exercise)
        share = RegionalShare.objects.select_for_update().get(pk=share.pk)
        if not share.is_active:
            raise ShareRefused(_("This share has already been withdrawn."))
        if not exercise.accepts_withdrawals:
            raise ShareRefused(_("The report has been released: shares can no longer change."))
        share.withdrawn_at = timezone.now()
        share.withdrawn_by = user
        share.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit.record(WITHDRAWN, request=request, user=user, detail=_detail(share, "withdrawn"))
    return share


def report_release(
    *, exercise: RegionalExercise, user: User, request: HttpRequest | None = None
) -> RegionalExercise:
    if secretariat_process_id(user) != exercise.process_id:
        raise ShareRefused(_("Only the process's secretariat can release its report."))
    with transaction.atomic():
        exercise = _locked(exercise)
        if exercise.is_released:
            raise ShareRefused(_("The report has already been released."))
        exercise.released_at = timezone.now()
        exercise.released_by = user
        exercise.save(update_fields=["released_at", "released_by"])
        count = exercise.shares.active().count()
        audit.record(
            RELEASED,
            request=request,
            user=user,
            detail=f"exercise {exercise.pk} ({exercise.process.slug}): {count} shares",
        )
    return exercise


def secretariat_appoint(*, user: User, process: RegionalProcess) -> SecretariatAppointment:
    """Make `user` the secretariat of `process`: no country, no agency, no other process."""
    with transaction.atomic():
        user.role = User.Role.SECRETARIAT
        user.country = ""
        user.agency = None
        user.save(update_fields=["role", "country", "agency"])
        appointment, _created = SecretariatAppointment.objects.update_or_create(
            user=user, defaults={"process": process}
        )
    return appointment


def _detail(share: RegionalShare, what: str) -> str:
    # The audit log is for staff: it names the country even for an anonymous share.
    return (
        f"exercise {share.exercise_id}: assessment {share.assessment_id} "
        f"({share.country} {share.assessment.cycle}), {what}"
    )
