from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import LazyObject, empty

from ..access import two_factor_required
from .selectors import confirmed_device

# Most users have no device, and the middleware asks on every request: their "no device" is
# remembered in the session (with the user's id and when it was checked) instead of a query per
# request. It is checked again after NO_DEVICE_RECHECK seconds, so that a device turned on from
# another session is asked for within minutes; turning it on in this session forgets it at once.
NO_DEVICE_KEY = "two_factor_no_device"
NO_DEVICE_RECHECK = 300


def has_confirmed_device(request: HttpRequest) -> bool:
    user = request.user
    remembered = request.session.get(NO_DEVICE_KEY)
    now = int(time.time())
    if remembered and remembered[0] == user.pk and now - remembered[1] < NO_DEVICE_RECHECK:
        return False
    if confirmed_device(user) is not None:
        request.session.pop(NO_DEVICE_KEY, None)
        return True
    request.session[NO_DEVICE_KEY] = [user.pk, now]
    return False


def resolved_user(user):
    """The user behind `request.user`'s lazy wrappers: Django's, and django-otp's around it.

    This middleware reads the user on every request, so their laziness saves nothing from here
    on, and each attribute read through them raised and caught two AttributeErrors: about 900
    reads on a task list (mostly the permission checks), a twelfth of its time.
    """
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


class TwoFactorMiddleware:
    """Sends a signed-in user who has not entered a one-time code to the verify page (when
    they have a device) or to the setup page (when their role requires one). Sign-out, the
    two-factor pages themselves and the language switch stay reachable."""

    EXEMPT = {"two_factor_setup", "two_factor_verify", "logout", "set_language"}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = user = resolved_user(request.user)
        if user.is_authenticated and not user.is_verified():
            # Whether the page is exempt is asked last: resolving its URL is the dearest check,
            # and most people have no device and no role that requires one.
            if has_confirmed_device(request):
                page = "two_factor_verify"
            elif two_factor_required(user):
                page = "two_factor_setup"
            else:
                page = None
            if page and not self._exempt(request):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(page)}?{query}")
        return self.get_response(request)

    def _exempt(self, request: HttpRequest) -> bool:
        try:
            return resolve(request.path_info).url_name in self.EXEMPT
        except Resolver404:
            return True


class SessionActivityMiddleware:
    """Keeps a signed-in session alive for SESSION_COOKIE_AGE after its last request, saving
    it at most once a minute when nothing else in it changed: SESSION_SAVE_EVERY_REQUEST cost
    an UPDATE (and its transaction) on every page. Inactivity expiry is exact to a minute."""

    KEY = "_active_at"
    EVERY = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.EVERY:
                session[self.KEY] = now  # marks it modified: SessionMiddleware saves it
        return response
