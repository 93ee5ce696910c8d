"""People: a country's agencies and the accounts of its team."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..text import CleanCharField, normalize_username
from ..vocabulary import Role


class Agency(models.Model):
    """A ministry or department of one country taking part in assessments."""

    country = CountryField(_("country"))
    name = CleanCharField(_("name"), max_length=200)
    short_name = CleanCharField(_("short name"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["country", "name"]
        constraints = [models.UniqueConstraint(fields=["country", "name"], name="unique_agency")]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def choice_label(self) -> str:
        """As offered in a list to choose from: the short name alone (for tables and reports)
        left people guessing which ministry "DAé" is."""
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


class AccountManager(UserManager):
    def get_by_natural_key(self, username: str) -> User:
        # The name as stored first (a backup from before names were folded), then as folded:
        # `ＣＯＯＲＤＩＮＡＴＯＲ` signs in as `coordinator`.
        try:
            return self.get(username=username)
        except self.model.DoesNotExist:
            return self.get(username=normalize_username(username))


class User(AbstractUser):
    Role = Role

    country = CountryField(_("country"), blank=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.VIEWER)
    first_name = CleanCharField(_("first name"), max_length=150, blank=True)
    last_name = CleanCharField(_("last name"), max_length=150, blank=True)

    objects = AccountManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @classmethod
    def normalize_username(cls, username: str) -> str:
        # Called by AbstractBaseUser.clean(), so by full_clean and every ModelForm.
        return normalize_username(username)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.get_username()

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR

    @property
    def is_secretariat(self) -> bool:
        return self.role == self.Role.SECRETARIAT

    @property
    def can_edit_answers(self) -> bool:
        return self.role in (self.Role.COORDINATOR, self.Role.CONTRIBUTOR)

    @property
    def runs_workshops(self) -> bool:
        """Whether the person is a workshop facilitator (the menu's "Workshops"), from the row
        loaded with the signed-in user (accounts.backends). The template's own `user.facilitator`
        raised for everyone else, and Django's template engine then listed every attribute of
        the user to tell why, on every page."""
        return hasattr(self, "facilitator")
