"""Writes on a country's team: its users and agencies.

Coordinators call these through the team pages, always for their own country. Accounts are
never deleted (answers, comments and the history point at them): they are deactivated. A new
account never gets a password chosen by someone else: it starts unusable and the person sets
their own through a one-time link.
"""

from __future__ import annotations

import logging

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ..models import Agency, Assessment, User

logger = logging.getLogger(__name__)

# Users ---------------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    country: str,
    username: str,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    agency: Agency | None = None,
) -> User:
    _check_agency(country, agency)
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        country=country,
        role=role,
        agency=agency,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    agency: Agency | None = None,
) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_agency(user.country, agency)
    if user.is_active and user.is_coordinator and role != User.Role.COORDINATOR:
        _check_not_last_coordinator(
            user,
            {
                "role": _(
                    "%(name)s is the only active coordinator of the country. Make someone "
                    "else a coordinator first."
                )
                % {"name": user.display_name}
            },
        )
    shown_before = user.display_name
    user.email = email
    user.first_name = first_name
    user.last_name = last_name
    user.role = role
    user.agency = agency
    user.full_clean()
    user.save(update_fields=["email", "first_name", "last_name", "role", "agency"])
    if user.display_name != shown_before:
        # Reports show people's names (comments, who validated): their PDFs are out of date.
        Assessment.objects.filter(country=user.country).reports_changed()
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> None:
    """Close the account: the person can no longer sign in; what they wrote stays."""
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_coordinator:
        _check_not_last_coordinator(
            user,
            _("%(name)s is the only active coordinator of the country and cannot be deactivated.")
            % {"name": user.display_name},
        )
    user.is_active = False
    user.save(update_fields=["is_active"])


def user_reactivate(*, user: User) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])


def user_invite(*, user: User, invited_by: User, domain: str, use_https: bool) -> None:
    """E-mail the person a one-time link to choose their own password (the console shows it
    in development). The link is Django's password-reset link: it stops working once used,
    after PASSWORD_RESET_TIMEOUT, or when the password changes."""
    if not user.is_active:
        raise ValidationError(_("Reactivate the account before you send a new link."))
    if not user.email:
        raise ValidationError(_("Add an email address to the account first."))
    if user.has_usable_password():
        raise ValidationError(
            _(
                "%(name)s has already chosen a password. If they have forgotten it, they can "
                "reset it from the sign-in page."
            )
            % {"name": user.display_name}
        )
    context = {
        "user": user,
        "invited_by": invited_by,
        "domain": domain,
        "protocol": "https" if use_https else "http",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = render_to_string("assessments/team_invitation_subject.txt", context)
    body = render_to_string("assessments/team_invitation_email.txt", context)
    message = EmailMultiAlternatives("".join(subject.splitlines()), body, None, [user.email])
    try:
        message.send()
    except OSError as error:  # smtplib's errors are OSErrors
        logger.warning("Could not send the invitation to user %s: %s", user.pk, error)
        raise ValidationError(_("The email could not be sent. Try again later.")) from error


def _check_agency(country: str, agency: Agency | None) -> None:
    if agency is not None and agency.country != country:
        raise ValidationError({"agency": _("Select an agency of your country")})


def _check_not_last_coordinator(user: User, message) -> None:
    others = User.objects.filter(
        country=user.country, role=User.Role.COORDINATOR, is_active=True
    ).exclude(pk=user.pk)
    if not others.exists():
        raise ValidationError(message)


# Agencies ------------------------------------------------------------------------------------


def agency_create(*, country: str, name: str, short_name: str = "") -> Agency:
    agency = Agency(country=country, name=name, short_name=short_name)
    agency.full_clean()
    agency.save()
    return agency


def agency_update(*, agency: Agency, name: str, short_name: str = "") -> Agency:
    renamed = (agency.name, agency.short_name) != (name, short_name)
    agency.name = name
    agency.short_name = short_name
    agency.full_clean()
    agency.save(update_fields=["name", "short_name"])
    if renamed:
        # Reports name the agencies: their PDFs are out of date. An untouched save changes nothing.
        Assessment.objects.filter(country=agency.country).reports_changed()
    return agency


def agency_deactivate(*, agency: Agency) -> None:
    """Hide the agency from new choices; its users, assignments and answers keep it."""
    agency.is_active = False
    agency.save(update_fields=["is_active"])


def agency_reactivate(*, agency: Agency) -> None:
    agency.is_active = True
    agency.save(update_fields=["is_active"])
