"""A country's assessments: accounts and roles, agencies, answers, history, workflow.

Every row that holds a country's data carries the country (directly or through its assessment),
so that access can be checked in one place (`assessments.access`).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from iamm.models import CommonUnderstanding, FrameworkVersion, PracticeArea, PracticeHeading


class Agency(models.Model):
    """A ministry or department of one country taking part in assessments."""

    country = CountryField(_("country"))
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["country", "name"]
        constraints = [models.UniqueConstraint(fields=["country", "name"], name="unique_agency")]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        CONTRIBUTOR = "contributor", _("Contributor")
        VIEWER = "viewer", _("Viewer")

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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR

    @property
    def can_edit_answers(self) -> bool:
        return self.role in (self.Role.COORDINATOR, self.Role.CONTRIBUTOR)


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user: User) -> AssessmentQuerySet:
        if not user.is_authenticated or not user.country:
            return self.none()
        return self.filter(country=user.country)


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        VALIDATED = "validated", _("Validated")

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
    title = models.CharField(_("title"), max_length=200)
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
    # Bumped by every change to the answers; reports are cached per revision.
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
    def is_validated(self) -> bool:
        return self.status == self.Status.VALIDATED

    @property
    def accepts_answers(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def accepts_comments(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.IN_REVIEW)


class Section(models.Model):
    """Part A (no heading) or one heading of Part B, with its status and assigned agency."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not yet started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

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
        ordering = ["assessment", "order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "order"], name="unique_section")
        ]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        if self.heading_id is None:
            return str(_("Part A – Common Understandings"))
        return str(self.heading)

    @property
    def is_part_a(self) -> bool:
        return self.heading_id is None


class Answer(models.Model):
    """One questionnaire item: a Common Understanding (Part A) or a practice area (Part B)."""

    class Level(models.TextChoices):
        L0 = "0", "0"
        L1 = "1", "1"
        L2 = "2", "2"
        L3 = "3", "3"
        L4 = "4", "4"
        NOT_APPLICABLE = "na", _("Not applicable")
        DONT_KNOW = "dk", _("Don't know")

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

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
    na_justification = models.TextField(_("why it does not apply"), blank=True)
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
    evidence = models.TextField(_("evidence"), blank=True)
    planned_action = models.TextField(_("planned action"), blank=True)
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

    @property
    def score(self) -> float | None:
        """Level / 4, or None where the item is not scored (N/A, don't know, unanswered)."""
        return int(self.level) / 4 if self.level.isdigit() else None


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
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:80]


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
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"
