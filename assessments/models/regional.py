"""Regional exercises: a regional consultative process's member States compare their validated
assessments, each by its own choice.

An exercise belongs to one process of the directory and one published framework version. A
secretariat user is appointed to one process and sees only its exercises and what each State
chose to show. A country's coordinator shares one validated assessment per exercise, named or
anonymous, and may withdraw it until the report is released; a withdrawn share is kept (with
who and when) and never comes back: sharing again makes a new row.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from iamm.models import FrameworkVersion, RegionalProcess

from .accounts import User
from .assessment import Assessment


class SecretariatAppointment(models.Model):
    """A secretariat user's process: one per user, so the scope never is ambiguous."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="secretariat", verbose_name=_("user")
    )
    process = models.ForeignKey(
        RegionalProcess,
        on_delete=models.CASCADE,
        related_name="secretariat_appointments",
        verbose_name=_("regional consultative process"),
    )
    appointed_at = models.DateTimeField(_("appointed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("secretariat appointment")
        verbose_name_plural = _("secretariat appointments")

    def __str__(self) -> str:
        return f"{self.user} – {self.process}"


class RegionalExerciseQuerySet(models.QuerySet):
    def for_process(self, process_id: int | None) -> RegionalExerciseQuerySet:
        return self.filter(process_id=process_id) if process_id else self.none()


class RegionalExercise(models.Model):
    process = models.ForeignKey(
        RegionalProcess,
        on_delete=models.PROTECT,
        related_name="exercises",
        verbose_name=_("regional consultative process"),
    )
    framework_version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="regional_exercises",
        verbose_name=_("framework version"),
        limit_choices_to={"status": FrameworkVersion.Status.PUBLISHED},
    )
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    released_at = models.DateTimeField(_("report released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("report released by"),
    )

    objects = RegionalExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="regional_exercise_window"
            )
        ]
        verbose_name = _("regional exercise")
        verbose_name_plural = _("regional exercises")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessments:regional_exercise", args=[self.pk])

    def clean(self) -> None:
        if self.framework_version_id and not self.framework_version.is_published:
            raise ValidationError({"framework_version": _("Choose a published framework version.")})
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("The exercise must close on or after it opens.")})

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def accepts_shares(self, today: datetime.date | None = None) -> bool:
        return not self.is_released and self.is_open(today)

    @property
    def accepts_withdrawals(self) -> bool:
        # Withdrawal stays possible after the window closes: a State may change its mind
        # until the report it would appear in is released.
        return not self.is_released


class RegionalShareQuerySet(models.QuerySet):
    def active(self) -> RegionalShareQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class RegionalShare(models.Model):
    """One State's validated assessment shared with one exercise."""

    exercise = models.ForeignKey(
        RegionalExercise,
        on_delete=models.CASCADE,
        related_name="shares",
        verbose_name=_("regional exercise"),
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="regional_shares",
        verbose_name=_("assessment"),
    )
    # The assessment's country, kept here so "one share per State" is a database constraint.
    country = CountryField(_("country"))
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Shown to the secretariat and in the report as “a member State”."),
    )
    shared_at = models.DateTimeField(_("shared at"), auto_now_add=True)
    shared_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("shared by")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    objects = RegionalShareQuerySet.as_manager()

    class Meta:
        ordering = ["shared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "country"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_share_per_state",
            )
        ]
        verbose_name = _("regional share")
        verbose_name_plural = _("regional shares")

    def __str__(self) -> str:
        return f"{self.exercise} – {self.display_name}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def display_name(self) -> str:
        """What the secretariat and the report call this State."""
        return str(_("A member State")) if self.is_anonymous else str(self.country.name)
