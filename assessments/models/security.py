"""The audit log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..text import CleanCharField
from .accounts import User


class SecurityEvent(models.Model):
    """The audit log of security-relevant events, readable by staff in the admin."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOCKED_OUT = "locked_out", _("Locked out after repeated failures")
        LOGOUT = "logout", _("Signed out")
        TWO_FACTOR_ON = "two_factor_on", _("Two-factor authentication turned on")
        ACCOUNT_CHANGED = "account_changed", _("Account role, country or status changed")
        EXPORT = "export", _("Report or export downloaded")
        WORKFLOW = "workflow", _("Assessment submitted, sent back or validated")
        REGIONAL_SHARE = "regional_share", _("Assessment shared with a regional exercise")
        REGIONAL_WITHDRAWAL = "regional_withdrawal", _("Share withdrawn from a regional exercise")
        REGIONAL_RELEASE = "regional_release", _("Regional report released")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # What was typed at a failed sign-in; kept even when no such account exists.
    username = CleanCharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = CleanCharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"
