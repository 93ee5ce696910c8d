"""Read queries about people: a country's team and agencies, two-factor devices."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import Agency, User


def team_members(country: str) -> QuerySet[User]:
    """The accounts a coordinator of `country` manages. Staff accounts are managed in the
    admin only: a coordinator who could change a staff member's e-mail address could take the
    account over through a password reset."""
    return User.objects.filter(country=country, is_staff=False, is_superuser=False)


def team_list(country: str) -> QuerySet[User]:
    return (
        team_members(country)
        .select_related("agency")
        .order_by("-is_active", "first_name", "last_name", "username")
    )


def team_member(country: str, user_id: int) -> User:
    """One member of the country's team (404 for anyone else)."""
    return get_object_or_404(team_members(country).select_related("agency"), pk=user_id)


def agency_list(country: str) -> QuerySet[Agency]:
    return (
        Agency.objects.filter(country=country)
        .annotate(member_count=Count("users", filter=Q(users__is_active=True)))
        .order_by("-is_active", "name")
    )


def country_agency(country: str, agency_id: int) -> Agency:
    """One agency of the country (404 for another country's)."""
    return get_object_or_404(Agency, pk=agency_id, country=country)


def active_member_count(agency: Agency) -> int:
    return agency.users.filter(is_active=True).count()


def confirmed_device(user: User) -> TOTPDevice | None:
    return next(iter(devices_for_user(user, confirmed=True)), None)
