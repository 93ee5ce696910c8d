"""An assessment of one country on one framework version and cycle, and its sections.

Every row that holds a country's data carries the country (directly or through its assessment),
so that access can be checked in one place (`assessments.access`).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from iamm.models import FrameworkVersion, PracticeHeading

from ..text import CleanCharField
from ..vocabulary import AssessmentStatus, SectionStatus
from .accounts import Agency, User


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user: User) -> AssessmentQuerySet:
        if not user.is_authenticated or not user.country:
            return self.none()
        return self.filter(country=user.country)

    def reports_changed(self) -> int:
        """Something their reports show changed besides the answers (a comment, an agency's or
        a person's name): a new revision, so the PDFs keyed on it are rendered again."""
        return self.update(revision=models.F("revision") + 1)


def status_label(self) -> str:
    """The label of the model's status, as Django's get_status_display gives it, without
    rebuilding a dict of every choice on each call as Django's does (a task list asks 21 times,
    and that was a seventh of its template's time). Assigned in each model's body: Django adds
    its own unless the class itself defines one."""
    try:
        return self.Status(self.status).label
    except ValueError:
        return self.status


class Assessment(models.Model):
    Status = AssessmentStatus

    country = CountryField(_("country"))
    framework_version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("framework version"),
    )
    cycle = models.PositiveSmallIntegerField(
        _("cycle year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = CleanCharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    agencies = models.ManyToManyField(
        Agency, blank=True, related_name="assessments", verbose_name=_("agencies taking part")
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous cycle"),
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )
    # Bumped by every change a report shows (answers, comments, names); report PDFs are keyed
    # on it (assessments.reports.storage), so a change anywhere else must bump it too.
    revision = models.PositiveIntegerField(_("revision"), default=0)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "cycle", "framework_version"], name="unique_assessment_cycle"
            )
        ]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessments:task_list", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_in_review(self) -> bool:
        return self.status == self.Status.IN_REVIEW

    @property
    def is_validated(self) -> bool:
        return self.status == self.Status.VALIDATED

    get_status_display = status_label

    @property
    def accepts_answers(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def accepts_comments(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.IN_REVIEW)


class Section(models.Model):
    """Part A (no heading) or one heading of Part B, with its status and assigned agency."""

    Status = SectionStatus

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("assessment"),
    )
    heading = models.ForeignKey(
        PracticeHeading,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("practice heading"),
    )
    # 0 is Part A; 1-20 the headings, so sections sort in questionnaire order.
    order = models.PositiveSmallIntegerField(_("order"))
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sections",
        verbose_name=_("assigned agency"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )

    class Meta:
        # The column, not the relation: "assessment" sorts by the assessment's own ordering,
        # which joined the assessments table into every query of sections.
        ordering = ["assessment_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "order"], name="unique_section")
        ]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    get_status_display = status_label

    def __str__(self) -> str:
        if self.heading_id is None:
            return str(_("Part A – Common Understandings"))
        return str(self.heading)
