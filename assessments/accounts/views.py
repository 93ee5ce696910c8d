"""Team pages: a coordinator manages their own country's users and agencies.

Only coordinators get in (others: 403, decided by `access`). Every object is fetched through the
coordinator's country, so another country's user or agency answers 404. Staff manage every
country in the admin.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access
from ..models import User
from ..web import add_service_errors, posted
from . import selectors, services
from .forms import AgencyForm, UserCreateForm, UserForm


def _country(request: HttpRequest) -> str:
    return access.require_team_coordinator(request.user).country


def _saved[T](request: HttpRequest, form: forms.Form, save: Callable[..., T]) -> T | None:
    """On a valid POST, hand the form's data to the service; a refusal shows on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(**form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _done(request: HttpRequest, message: str, name: str, to: str) -> HttpResponse:
    messages.success(request, message % {"name": name})
    return redirect(to)


def _send_invitation(request: HttpRequest, user: User) -> None:
    services.user_invite(
        user=user, invited_by=request.user, domain=request.get_host(), use_https=request.is_secure()
    )


# Users ---------------------------------------------------------------------------------------


@login_required
def team(request: HttpRequest) -> HttpResponse:
    members = selectors.team_list(_country(request))
    return render(request, "assessments/team.html", {"members": members})


def _status(form) -> int:
    """400 for a form shown again with its errors, as every other form of the app."""
    return 400 if form.errors else 200


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    country = _country(request)
    form = UserCreateForm(posted(request), country=country)
    user = _saved(request, form, lambda **data: services.user_create(country=country, **data))
    if user is None:
        return render(
            request,
            "assessments/team_user_form.html",
            {"form": form, "member": None},
            status=_status(form),
        )
    try:
        _send_invitation(request, user)
    except ValidationError as error:
        message = _(
            "The account for %(name)s has been created, but the email with the link to choose "
            "a password was not sent: %(error)s"
        ) % {"name": user.display_name, "error": " ".join(error.messages)}
        messages.warning(request, message)
        return redirect("assessments:team")
    message = _(
        "The account for %(name)s has been created. We have sent them an email with a link to "
        "choose their password."
    )
    return _done(request, message, user.display_name, "assessments:team")


@login_required
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    country = _country(request)
    member = selectors.team_member(country, user_id)
    form = UserForm(posted(request), country=country, user=member)
    saved = _saved(request, form, lambda **data: services.user_update(user=member, **data))
    if saved is None:
        return render(
            request,
            "assessments/team_user_form.html",
            {"form": form, "member": member},
            status=_status(form),
        )
    # A coordinator who gave up their own role can no longer see the team pages.
    gave_up = saved.pk == request.user.pk and not access.is_team_coordinator(saved)
    to = "assessments:dashboard" if gave_up else "assessments:team"
    return _done(request, _("The changes to %(name)s have been saved."), saved.display_name, to)


@login_required
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    country = _country(request)
    member = selectors.team_member(country, user_id)
    if request.method != "POST":
        ctx = {"member": member, "is_self": member.pk == request.user.pk}
        return render(request, "assessments/team_user_deactivate.html", ctx)
    try:
        services.user_deactivate(user=member, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:team")
    message = _("The account of %(name)s has been deactivated.")
    return _done(request, message, member.display_name, "assessments:team")


@require_POST
@login_required
def user_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    member = selectors.team_member(_country(request), user_id)
    services.user_reactivate(user=member)
    message = _("The account of %(name)s has been reactivated.")
    return _done(request, message, member.display_name, "assessments:team")


@require_POST
@login_required
def user_invite(request: HttpRequest, user_id: int) -> HttpResponse:
    member = selectors.team_member(_country(request), user_id)
    try:
        _send_invitation(request, member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:team")
    message = _("We have sent %(name)s a new link to choose their password.")
    return _done(request, message, member.display_name, "assessments:team")


# Agencies ------------------------------------------------------------------------------------


@login_required
def agencies(request: HttpRequest) -> HttpResponse:
    rows = selectors.agency_list(_country(request))
    return render(request, "assessments/agency_list.html", {"agencies": rows})


@login_required
def agency_create(request: HttpRequest) -> HttpResponse:
    country = _country(request)
    form = AgencyForm(posted(request), country=country)
    agency = _saved(request, form, lambda **data: services.agency_create(country=country, **data))
    if agency is None:
        return render(
            request,
            "assessments/agency_form.html",
            {"form": form, "agency": None},
            status=_status(form),
        )
    return _done(request, _("%(name)s has been added."), agency.name, "assessments:agencies")


@login_required
def agency_edit(request: HttpRequest, agency_id: int) -> HttpResponse:
    country = _country(request)
    agency = selectors.country_agency(country, agency_id)
    form = AgencyForm(posted(request), country=country, agency=agency)
    saved = _saved(request, form, lambda **data: services.agency_update(agency=agency, **data))
    if saved is None:
        return render(
            request,
            "assessments/agency_form.html",
            {"form": form, "agency": agency},
            status=_status(form),
        )
    message = _("The changes to %(name)s have been saved.")
    return _done(request, message, saved.name, "assessments:agencies")


@login_required
def agency_deactivate(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.country_agency(_country(request), agency_id)
    if request.method != "POST":
        ctx = {"agency": agency, "member_count": selectors.active_member_count(agency)}
        return render(request, "assessments/agency_deactivate.html", ctx)
    services.agency_deactivate(agency=agency)
    return _done(request, _("%(name)s has been deactivated."), agency.name, "assessments:agencies")


@require_POST
@login_required
def agency_reactivate(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.country_agency(_country(request), agency_id)
    services.agency_reactivate(agency=agency)
    return _done(request, _("%(name)s has been reactivated."), agency.name, "assessments:agencies")
