"""Training workshops: practice assessments kept apart from every country's official data.

Practice answers live in their own tables (`PracticeAnswer` belongs to a `Participant`, who
belongs to a `Workshop`), never in `Assessment`/`Answer`: official views, scores, regional views
and exports read those models only, so practice data cannot reach them by construction.
Deleting a workshop deletes its participants and their answers with it.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iamm.models import (
    CommonUnderstanding,
    FrameworkVersion,
    PracticeArea,
    PracticeHeading,
    RegionalProcess,
)

# Letters and digits nobody confuses when reading a code off a projector (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def token_digest(token: str) -> str:
    # Only the digest is stored: a database dump does not let anyone act as a participant.
    return hashlib.sha256(token.encode()).hexdigest()


class Facilitator(models.Model):
    """The facilitator role, given by staff. Kept apart from `User.role`, which is always
    scoped to a country: a facilitator may have no country and gains no country's data."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="facilitator",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")

    def __str__(self) -> str:
        return str(self.user)


class WorkshopQuerySet(models.QuerySet):
    def run_by(self, user) -> WorkshopQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(facilitator=user)

    def expired(self, *, today: datetime.date) -> WorkshopQuerySet:
        cutoff = today - datetime.timedelta(days=settings.WORKSHOP_RETENTION_DAYS)
        return self.filter(ends_on__lt=cutoff)


# A workshop's days, as the cycle years and target dates: a date far out (9999-12-31) left
# no room to count the retention period after it.
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
WORKSHOP_DAYS = [MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)]


class Workshop(models.Model):
    title = models.CharField(_("title"), max_length=200)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="workshops",
        verbose_name=_("facilitator"),
    )
    starts_on = models.DateField(_("first day"), validators=WORKSHOP_DAYS)
    ends_on = models.DateField(_("last day"), validators=WORKSHOP_DAYS)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    regional_process = models.ForeignKey(
        RegionalProcess,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regional process"),
    )
    framework_version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="workshops",
        verbose_name=_("framework version"),
    )
    code = models.CharField(_("workshop code"), max_length=12, unique=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def new_code() -> str:
        return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))

    @staticmethod
    def normalize_code(typed: str) -> str:
        """A code as typed (any case, spaces or dashes between groups), as stored."""
        return "".join(c for c in typed.upper() if c not in " -\t")

    @property
    def code_for_display(self) -> str:
        """ABCD-EFGH: two groups are easier to read aloud and to copy off a screen."""
        return f"{self.code[:4]}-{self.code[4:]}"

    def get_absolute_url(self) -> str:
        return reverse("training:workshop", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def delete_after(self) -> datetime.date:
        """The day the purge may remove the workshop and its practice data."""
        return self.ends_on + datetime.timedelta(days=settings.WORKSHOP_RETENTION_DAYS + 1)

    def close(self) -> None:
        if self.closed_at is None:
            self.closed_at = timezone.now()
            self.save(update_fields=["closed_at"])


class WorkshopSection(models.Model):
    """A section in the workshop's scope (Part A, or one heading of Part B) and the case text
    participants assess it against: a fictional country, so nobody reveals their government's
    own position."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="sections", verbose_name=_("workshop")
    )
    heading = models.ForeignKey(
        PracticeHeading,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("practice heading"),
    )
    # 0 is Part A, 1–20 the headings, as in an assessment's sections.
    order = models.PositiveSmallIntegerField(_("order"))
    case_text = models.TextField(_("case text"), blank=True, max_length=20_000)

    class Meta:
        ordering = ["workshop", "order"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "order"], name="unique_workshop_section")
        ]
        verbose_name = _("workshop section")
        verbose_name_plural = _("workshop sections")

    def __str__(self) -> str:
        if self.heading_id is None:
            return str(_("Part A – Common Understandings"))
        return str(self.heading)

    @property
    def is_part_a(self) -> bool:
        return self.heading_id is None


class Participant(models.Model):
    """Someone in the room, without an account: known by a display name and by a secret token
    kept in their browser session (only its digest is stored)."""

    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("workshop"),
    )
    display_name = models.CharField(_("display name"), max_length=60)
    show_name = models.BooleanField(_("show my name beside my evidence"), default=False)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        ordering = ["workshop", "joined_at", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.display_name

    def new_token(self) -> str:
        """A fresh secret for this participant's browser; the previous one stops working."""
        token = secrets.token_urlsafe(32)
        self.token_digest = token_digest(token)
        return token

    def holds(self, token: str | None) -> bool:
        return bool(token) and secrets.compare_digest(self.token_digest, token_digest(token))

    @property
    def public_name(self) -> str:
        return self.display_name if self.show_name else str(_("Anonymous participant"))


class PracticeAnswer(models.Model):
    """One item of a participant's practice assessment; the same scales as the questionnaire."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("participant"),
    )
    understanding = models.ForeignKey(
        CommonUnderstanding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("common understanding"),
    )
    area = models.ForeignKey(
        PracticeArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("practice area"),
    )
    level = models.CharField(_("current level"), max_length=2, blank=True)
    target = models.PositiveSmallIntegerField(
        _("target level"), default=4, validators=[MaxValueValidator(4)]
    )
    priority = models.CharField(_("priority"), max_length=6, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    justification = models.TextField(_("justification"), blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        ordering = ["participant", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(understanding__isnull=True) ^ Q(area__isnull=True),
                name="practice_answer_is_understanding_xor_area",
            ),
            models.UniqueConstraint(
                fields=["participant", "understanding"],
                name="unique_practice_understanding",
                condition=Q(understanding__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["participant", "area"],
                name="unique_practice_area",
                condition=Q(area__isnull=False),
            ),
        ]
        verbose_name = _("practice answer")
        verbose_name_plural = _("practice answers")

    def __str__(self) -> str:
        return str(self.area or self.understanding)

    @property
    def item_key(self) -> str:
        return self.key_for(understanding_id=self.understanding_id, area_id=self.area_id)

    @staticmethod
    def key_for(*, understanding_id: int | None = None, area_id: int | None = None) -> str:
        """One key for an item whichever part it belongs to: "u<id>" or "a<id>"."""
        return f"u{understanding_id}" if understanding_id else f"a{area_id}"
