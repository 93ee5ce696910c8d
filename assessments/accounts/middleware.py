from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from ..access import two_factor_required
from .selectors import confirmed_device


class TwoFactorMiddleware:
    """Sends a signed-in user who has not entered a one-time code to the verify page (when
    they have a device) or to the setup page (when their role requires one). Sign-out, the
    two-factor pages themselves and the language switch stay reachable."""

    EXEMPT = {"two_factor_setup", "two_factor_verify", "logout", "set_language"}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified() and not self._exempt(request):
            query = urlencode({"next": request.get_full_path()})
            if confirmed_device(user) is not None:
                return redirect(f"{reverse('two_factor_verify')}?{query}")
            if two_factor_required(user):
                return redirect(f"{reverse('two_factor_setup')}?{query}")
        return self.get_response(request)

    def _exempt(self, request: HttpRequest) -> bool:
        try:
            return resolve(request.path_info).url_name in self.EXEMPT
        except Resolver404:
            return True
