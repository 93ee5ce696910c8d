"""Two-factor authentication with time-based one-time codes (TOTP, any authenticator app).

Every user may turn it on; `access.two_factor_required` says for whom it is compulsory.
`TwoFactorMiddleware` sends a signed-in user who has not yet entered a code to the right page.
"""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import SecurityEvent
from ..web import posted
from . import audit
from .forms import TokenForm
from .middleware import NO_DEVICE_KEY
from .selectors import confirmed_device


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/assessments/"


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Turn on two-factor authentication: scan the code, enter the first one-time code."""
    if confirmed_device(request.user):
        messages.info(request, _("Two-factor authentication is already on for your account."))
        return redirect("assessments:dashboard")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(posted(request), device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        request.session.pop(NO_DEVICE_KEY, None)
        otp_login(request, device)
        audit.record(SecurityEvent.Kind.TWO_FACTOR_ON, request=request)
        messages.success(request, _("Two-factor authentication is now on."))
        return redirect(_next_url(request))
    qr = segno.make(device.config_url, error="m")
    ctx = {
        "form": form,
        "qr_svg": qr.svg_inline(scale=4, dark="#0b0c0c", light="#ffffff"),
        "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
        "next": _next_url(request),
    }
    return render(
        request, "registration/two_factor_setup.html", ctx, status=400 if form.errors else 200
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: the one-time code of a user who has turned two-factor on."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect("two_factor_setup")
    form = TokenForm(posted(request), device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request))
    ctx = {"form": form, "next": _next_url(request)}
    return render(
        request, "registration/two_factor_verify.html", ctx, status=400 if form.errors else 200
    )
