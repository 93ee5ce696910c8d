"""The optional Part C of an assessment: SDG indicator 10.7.2's 30 sub-categories, answered with
the UN's own coding (Yes / No, and in domain 1 "Yes, only for those with legal immigration
status"), scored by `assessments.scoring.lenses.sdg_official`.

An assessment includes Part C when it has these rows, one per sub-category of its framework
version; the coordinator adds or removes them (`assessments.questionnaire.part_c`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from iamm.models import SdgDomain, SdgSubcategory

from ..scoring import lenses
from .accounts import User
from .assessment import Assessment


class SdgValue(models.TextChoices):
    """Stored codes are those of the scoring functions; they never change."""

    YES = lenses.YES, _("Yes")
    LEGAL_ONLY = lenses.LEGAL_ONLY, _("Yes, only for those with legal immigration status")
    NO = lenses.NO, _("No")


def sdg_value_choices(domain: SdgDomain) -> list[tuple[str, str]]:
    """The answers a domain's question offers, in the words of the 10.7.2 questionnaire."""
    if domain.has_middle_option:
        return [
            (SdgValue.YES, _("Yes, regardless of immigration status")),
            (SdgValue.LEGAL_ONLY, domain.middle_option),
            (SdgValue.NO, _("No")),
        ]
    return [(SdgValue.YES, _("Yes")), (SdgValue.NO, _("No"))]


class SdgAnswer(models.Model):
    Value = SdgValue

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="sdg_answers",
        verbose_name=_("assessment"),
    )
    subcategory = models.ForeignKey(
        SdgSubcategory,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("SDG 10.7.2 sub-category"),
    )
    value = models.CharField(_("answer"), max_length=10, choices=SdgValue.choices, blank=True)
    updated_at = models.DateTimeField(_("last change"), null=True, blank=True)
    updated_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        ordering = ["subcategory__domain__number", "subcategory__letter"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "subcategory"], name="unique_sdg_answer"),
            models.CheckConstraint(
                condition=models.Q(value__in=["", *SdgValue.values]), name="sdg_answer_value"
            ),
        ]
        verbose_name = _("SDG 10.7.2 answer")
        verbose_name_plural = _("SDG 10.7.2 answers")

    def __str__(self) -> str:
        return f"{self.assessment} – 10.7.2 {self.subcategory.code}"

    @property
    def is_answered(self) -> bool:
        return bool(self.value)

    @property
    def value_label(self) -> str:
        """The answer in the words its question offers (in domain 1, "Yes, regardless of
        immigration status"); "" when unanswered."""
        return str(dict(sdg_value_choices(self.subcategory.domain)).get(self.value, ""))

    def clean(self) -> None:
        domain = self.subcategory.domain
        if domain.version_id != self.assessment.framework_version_id:
            raise ValidationError(_("This sub-category belongs to another framework version."))
        if self.value == SdgValue.LEGAL_ONLY and not domain.has_middle_option:
            raise ValidationError(
                {"value": _("This question is answered Yes or No.")}, code="no_middle_option"
            )
