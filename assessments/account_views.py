"""Team pages: a coordinator manages their own country's users and agencies.

Only coordinators get in (others: 403). Every object is fetched through the coordinator's
country, so another country's user or agency answers 404. Staff manage every country in the
admin.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import team_services
from .account_forms import AgencyForm, UserCreateForm, UserForm
from .models import Agency, User
from .team_services import display_name
from .views import posted


def _coordinator(request: HttpRequest) -> User:
    user = request.user
    if not user.is_coordinator or not user.country:
        raise PermissionDenied
    return user


def _get_member(coordinator: User, user_id: int) -> User:
    members = team_services.team_members(coordinator.country).select_related("agency")
    return get_object_or_404(members, pk=user_id)


def _get_agency(coordinator: User, agency_id: int) -> Agency:
    return get_object_or_404(Agency, pk=agency_id, country=coordinator.country)


def _add_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form, next to the field it is about."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _send_invitation(request: HttpRequest, user: User) -> None:
    team_services.user_invite(
        user=user, invited_by=request.user, domain=request.get_host(), use_https=request.is_secure()
    )


# Users ---------------------------------------------------------------------------------------


@login_required
def team(request: HttpRequest) -> HttpResponse:
    coordinator = _coordinator(request)
    members = (
        team_services.team_members(coordinator.country)
        .select_related("agency")
        .order_by("-is_active", "first_name", "last_name", "username")
    )
    return render(request, "assessments/team.html", {"members": members})


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    coordinator = _coordinator(request)
    form = UserCreateForm(posted(request), country=coordinator.country)
    if request.method == "POST" and form.is_valid():
        try:
            user = team_services.user_create(country=coordinator.country, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            name = display_name(user)
            try:
                _send_invitation(request, user)
            except ValidationError as error:
                messages.warning(
                    request,
                    _(
                        "The account for %(name)s has been created, but the email with the link "
                        "to choose a password was not sent: %(error)s"
                    )
                    % {"name": name, "error": " ".join(error.messages)},
                )
            else:
                messages.success(
                    request,
                    _(
                        "The account for %(name)s has been created. We have sent them an email "
                        "with a link to choose their password."
                    )
                    % {"name": name},
                )
            return redirect("assessments:team")
    return render(request, "assessments/team_user_form.html", {"form": form, "member": None})


@login_required
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    coordinator = _coordinator(request)
    member = _get_member(coordinator, user_id)
    form = UserForm(posted(request), country=coordinator.country, user=member)
    if request.method == "POST" and form.is_valid():
        try:
            member = team_services.user_update(user=member, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The changes to %(name)s have been saved.") % {"name": display_name(member)},
            )
            if member.pk == coordinator.pk and not member.is_coordinator:
                return redirect("assessments:dashboard")
            return redirect("assessments:team")
    return render(request, "assessments/team_user_form.html", {"form": form, "member": member})


@login_required
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    coordinator = _coordinator(request)
    member = _get_member(coordinator, user_id)
    if request.method == "POST":
        try:
            team_services.user_deactivate(user=member, by=coordinator)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The account of %(name)s has been deactivated.") % {"name": display_name(member)},
            )
        return redirect("assessments:team")
    return render(
        request,
        "assessments/team_user_deactivate.html",
        {"member": member, "is_self": member.pk == coordinator.pk},
    )


@require_POST
@login_required
def user_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    member = _get_member(_coordinator(request), user_id)
    team_services.user_reactivate(user=member)
    messages.success(
        request, _("The account of %(name)s has been reactivated.") % {"name": display_name(member)}
    )
    return redirect("assessments:team")


@require_POST
@login_required
def user_invite(request: HttpRequest, user_id: int) -> HttpResponse:
    member = _get_member(_coordinator(request), user_id)
    try:
        _send_invitation(request, member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("We have sent %(name)s a new link to choose their password.")
            % {"name": display_name(member)},
        )
    return redirect("assessments:team")


# Agencies ------------------------------------------------------------------------------------


@login_required
def agencies(request: HttpRequest) -> HttpResponse:
    coordinator = _coordinator(request)
    rows = (
        Agency.objects.filter(country=coordinator.country)
        .annotate(member_count=Count("users", filter=Q(users__is_active=True)))
        .order_by("-is_active", "name")
    )
    return render(request, "assessments/agency_list.html", {"agencies": rows})


@login_required
def agency_create(request: HttpRequest) -> HttpResponse:
    coordinator = _coordinator(request)
    form = AgencyForm(posted(request), country=coordinator.country)
    if request.method == "POST" and form.is_valid():
        try:
            agency = team_services.agency_create(country=coordinator.country, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": agency.name})
            return redirect("assessments:agencies")
    return render(request, "assessments/agency_form.html", {"form": form, "agency": None})


@login_required
def agency_edit(request: HttpRequest, agency_id: int) -> HttpResponse:
    coordinator = _coordinator(request)
    agency = _get_agency(coordinator, agency_id)
    form = AgencyForm(posted(request), country=coordinator.country, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            team_services.agency_update(agency=agency, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The changes to %(name)s have been saved.") % {"name": agency.name}
            )
            return redirect("assessments:agencies")
    return render(request, "assessments/agency_form.html", {"form": form, "agency": agency})


@login_required
def agency_deactivate(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = _get_agency(_coordinator(request), agency_id)
    if request.method == "POST":
        team_services.agency_deactivate(agency=agency)
        messages.success(request, _("%(name)s has been deactivated.") % {"name": agency.name})
        return redirect("assessments:agencies")
    members = agency.users.filter(is_active=True).count()
    return render(
        request, "assessments/agency_deactivate.html", {"agency": agency, "member_count": members}
    )


@require_POST
@login_required
def agency_reactivate(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = _get_agency(_coordinator(request), agency_id)
    team_services.agency_reactivate(agency=agency)
    messages.success(request, _("%(name)s has been reactivated.") % {"name": agency.name})
    return redirect("assessments:agencies")
