"""Recording security events (sign-ins, failures, lockouts, account changes, downloads,
workflow decisions). Authentication events arrive through Django's and axes' signals, which is
the only way to see them; the app's own actions call `record` where they happen."""

from __future__ import annotations

import ipaddress

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from ..models import SecurityEvent, User
from ..text import escape_refused


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, for the audit log and the sign-in lockout (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR unless the deployment names the header its reverse proxy writes
    (CLIENT_IP_HEADER): a client can send any header, so one is believed only when a trusted
    proxy is known to overwrite it. In a list, the last address is the one the nearest proxy
    added; those before it came from the client.
    """
    if request is None:
        return None
    if settings.CLIENT_IP_HEADER:
        forwarded = request.META.get(settings.CLIENT_IP_HEADER, "").rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass  # missing or garbled: the proxy's own address is still a true one
    return request.META.get("REMOTE_ADDR")


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user: User | None = None,
    username: str = "",
    detail: str = "",
) -> SecurityEvent:
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        # What an attacker typed is kept, with what no text may hold written as escapes.
        username=escape_refused(username or (user.get_username() if user else ""))[:150],
        ip_address=client_ip(request),
        detail=escape_refused(detail)[:500],
    )


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    record(SecurityEvent.Kind.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(SecurityEvent.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    record(
        SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
    )


TRACKED_ACCOUNT_FIELDS = ("role", "country", "is_active", "is_staff", "is_superuser", "agency_id")


@receiver(pre_save, sender=User)
def _account_changed(
    sender, instance: User, raw: bool = False, update_fields=None, **kwargs
) -> None:
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {f.removesuffix("_id") for f in update_fields} & {
        f.removesuffix("_id") for f in TRACKED_ACCOUNT_FIELDS
    }:
        return  # e.g. last_login on every sign-in
    before = User.objects.filter(pk=instance.pk).values(*TRACKED_ACCOUNT_FIELDS).first()
    if before is None:
        return
    changes = [
        f"{field}: {old} → {getattr(instance, field)}"
        for field, old in before.items()
        if str(old or "") != str(getattr(instance, field) or "")
    ]
    if changes:
        record(SecurityEvent.Kind.ACCOUNT_CHANGED, user=instance, detail="; ".join(changes))


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.LOCKED_OUT,
        username=escape_refused(username or "")[:150],
        ip_address=ip_address,
    )


def record_download(request: HttpRequest, assessment, fmt: str, language: str) -> None:
    """A report or export of an assessment left the app."""
    detail = (
        f"assessment {assessment.pk} ({assessment.country} {assessment.cycle}): {fmt}, {language}"
    )
    record(SecurityEvent.Kind.EXPORT, request=request, detail=detail)
