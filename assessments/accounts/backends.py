"""Signing in with the database's accounts, as Django's ModelBackend does."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from ..models import User


class AccountBackend(ModelBackend):
    """Django's ModelBackend, loading a signed-in user with their facilitator role: every page's
    navigation asks for it, which was one more query per request."""

    def get_user(self, user_id: int) -> User | None:
        try:
            user = User._default_manager.select_related("facilitator").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
