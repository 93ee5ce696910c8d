"""Answers to the questionnaire's items, their history and the team's comments."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iamm.models import CommonUnderstanding, PracticeArea

from ..text import CleanTextField
from ..vocabulary import Level, Priority
from .accounts import Agency, User
from .assessment import Assessment, Section


class Answer(models.Model):
    """One questionnaire item: a Common Understanding (Part A) or a practice area (Part B)."""

    Level = Level
    Priority = Priority

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("assessment"),
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="answers", verbose_name=_("section")
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
    level = models.CharField(_("current level"), max_length=2, choices=Level.choices, blank=True)
    na_justification = CleanTextField(_("why it does not apply"), blank=True)
    target = models.PositiveSmallIntegerField(
        _("target level"), default=4, validators=[MaxValueValidator(4)]
    )
    priority = models.CharField(_("priority"), max_length=6, choices=Priority.choices, blank=True)
    responsible_agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible agency"),
    )
    evidence = CleanTextField(_("evidence"), blank=True)
    planned_action = CleanTextField(_("planned action"), blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    # Optimistic locking: a save names the version it was edited from.
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("last change"), null=True, blank=True)
    updated_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    # The fields a save records in the history, in form order.
    TRACKED_FIELDS = (
        "level",
        "na_justification",
        "target",
        "priority",
        "responsible_agency",
        "evidence",
        "planned_action",
        "target_date",
    )

    class Meta:
        ordering = ["section__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(understanding__isnull=True) ^ Q(area__isnull=True),
                name="answer_is_understanding_xor_area",
            ),
            models.UniqueConstraint(
                fields=["assessment", "understanding"],
                name="unique_understanding_answer",
                condition=Q(understanding__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["assessment", "area"],
                name="unique_area_answer",
                condition=Q(area__isnull=False),
            ),
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return str(self.area or self.understanding)

    @property
    def is_answered(self) -> bool:
        return self.level != ""


class AnswerChange(models.Model):
    """The history of an answer: one row per save, with each changed field's old and new value."""

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="changes", verbose_name=_("answer")
    )
    changed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    # {"field": [old, new], ...} with values as shown to people (strings).
    changes = models.JSONField(_("changes"))
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_(
            "The workbook file a change came from; empty for changes made on the section pages."
        ),
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("answer change")
        verbose_name_plural = _("answer changes")

    def __str__(self) -> str:
        return f"{self.answer} @ {self.changed_at:%Y-%m-%d %H:%M}"


class Comment(models.Model):
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="comments", verbose_name=_("answer")
    )
    author = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = CleanTextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:80]
