"""The IAMM content of a framework version: understandings, headings, crosswalk, areas, practices.

Every row belongs to one version (directly or through its heading or area) and is frozen once that
version is published. Natural keys (version code with a number, an area code, an order) are what
fixtures and the next cycle's answers match on, so the database refuses duplicates.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .versions import FrameworkVersion, VersionedContent


class CommonUnderstandingManager(models.Manager):
    def get_by_natural_key(self, version: str, number: int) -> CommonUnderstanding:
        return self.get(version__code=version, number=number)


class CommonUnderstanding(VersionedContent):
    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.CASCADE,
        related_name="understandings",
        verbose_name=_("framework version"),
        help_text=_("The version this understanding belongs to. It cannot change later."),
    )
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("Its number in Annex C, from 1 to 20; unique in the version.")
    )
    text = models.TextField(
        _("text"), help_text=_("The understanding, verbatim from the IAMM, in each language.")
    )
    source_note = models.CharField(
        _("source note"),
        max_length=300,
        blank=True,
        help_text=_("Where the text comes from, or how it was translated (optional)."),
    )

    objects = CommonUnderstandingManager()

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"],
                name="unique_understanding",
                violation_error_code="duplicate_number",
                violation_error_message=_(
                    "This version already has a Common Understanding with this number."
                ),
            )
        ]
        verbose_name = _("common understanding")
        verbose_name_plural = _("common understandings")

    constraint_fields = {"duplicate_number": "number"}

    def __str__(self) -> str:
        return _("Common Understanding %(number)s") % {"number": self.number}

    def natural_key(self) -> tuple[str, int]:
        return (self.version.code, self.number)

    natural_key.dependencies = ["iamm.frameworkversion"]

    def framework_version(self) -> FrameworkVersion:
        return self.version

    def get_absolute_url(self) -> str:
        return reverse("iamm:understanding", args=[self.version.code, self.number])


class PracticeHeadingManager(models.Manager):
    def get_by_natural_key(self, version: str, number: int) -> PracticeHeading:
        return self.get(version__code=version, number=number)


class PracticeHeading(VersionedContent):
    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.CASCADE,
        related_name="headings",
        verbose_name=_("framework version"),
        help_text=_("The version this heading belongs to. It cannot change later."),
    )
    number = models.PositiveSmallIntegerField(
        _("number"),
        help_text=_("Its number in Annex D, from 1 to 20; it is also the section's order."),
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("The heading's title, in each language.")
    )
    understandings = models.ManyToManyField(
        CommonUnderstanding,
        through="CrosswalkLink",
        related_name="headings",
        verbose_name=_("common understandings"),
        help_text=_("The Common Understandings this heading puts into practice."),
    )

    objects = PracticeHeadingManager()

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"],
                name="unique_heading",
                violation_error_code="duplicate_number",
                violation_error_message=_("This version already has a heading with this number."),
            )
        ]
        verbose_name = _("practice heading")
        verbose_name_plural = _("practice headings")

    constraint_fields = {"duplicate_number": "number"}

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def natural_key(self) -> tuple[str, int]:
        return (self.version.code, self.number)

    natural_key.dependencies = ["iamm.frameworkversion"]

    def framework_version(self) -> FrameworkVersion:
        return self.version

    def get_absolute_url(self) -> str:
        return reverse("iamm:heading", args=[self.version.code, self.number])


class CrosswalkLinkManager(models.Manager):
    def get_by_natural_key(self, version: str, heading: int, understanding: int) -> CrosswalkLink:
        return self.get(
            heading__version__code=version,
            heading__number=heading,
            understanding__number=understanding,
        )


class CrosswalkLink(VersionedContent):
    """A heading puts a Common Understanding into practice (project-authored mapping)."""

    heading = models.ForeignKey(
        PracticeHeading,
        on_delete=models.CASCADE,
        related_name="crosswalk_links",
        verbose_name=_("practice heading"),
        help_text=_("The heading, of the same version as the understanding."),
    )
    understanding = models.ForeignKey(
        CommonUnderstanding,
        on_delete=models.CASCADE,
        related_name="crosswalk_links",
        verbose_name=_("common understanding"),
        help_text=_("The understanding the heading puts into practice."),
    )
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("Why they are linked, shown on the reference pages (optional)."),
    )

    objects = CrosswalkLinkManager()

    class Meta:
        ordering = ["heading__number", "understanding__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["heading", "understanding"],
                name="unique_crosswalk",
                violation_error_code="duplicate_link",
                violation_error_message=_(
                    "This heading is already linked to this Common Understanding."
                ),
            )
        ]
        verbose_name = _("crosswalk link")
        verbose_name_plural = _("crosswalk links")

    constraint_fields = {"duplicate_link": "understanding"}

    def __str__(self) -> str:
        return f"H{self.heading.number} ↔ CU{self.understanding.number}"

    def natural_key(self) -> tuple[str, int, int]:
        return (self.heading.version.code, self.heading.number, self.understanding.number)

    natural_key.dependencies = ["iamm.practiceheading", "iamm.commonunderstanding"]

    def framework_version(self) -> FrameworkVersion:
        return self.heading.version

    def clean(self) -> None:
        # Field validation reports a missing side; only compare once both are chosen.
        if not (self.heading_id and self.understanding_id):
            return
        if self.heading.version_id != self.understanding.version_id:
            raise ValidationError(_("The heading and the understanding must share a version."))


class PracticeAreaManager(models.Manager):
    def get_by_natural_key(self, version: str, code: str) -> PracticeArea:
        return self.get(heading__version__code=version, code=code)


class PracticeArea(VersionedContent):
    """The questionnaire unit: one sub-area of an Annex D heading."""

    class Group(models.TextChoices):
        NONE = "", _("None")
        TEMPORARY = "temporary", _("Temporary")
        PERMANENT = "permanent", _("Permanent")

    heading = models.ForeignKey(
        PracticeHeading,
        on_delete=models.CASCADE,
        related_name="areas",
        verbose_name=_("practice heading"),
        help_text=_("The heading this area belongs to. It cannot change later."),
    )
    code = models.CharField(
        _("code"),
        max_length=10,
        help_text=_(
            "The heading's number, a dot and the area's number, for example 3.2. "
            "Answers are carried to a new version by this code."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), help_text=_("The area's place under its heading: 1, 2, 3…")
    )
    group = models.CharField(
        _("group"),
        max_length=10,
        choices=Group.choices,
        blank=True,
        help_text=_("Only under Regular Migration: temporary or permanent migration."),
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("The area's name, in each language.")
    )

    objects = PracticeAreaManager()

    class Meta:
        ordering = ["heading__number", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["heading", "order"],
                name="unique_area",
                violation_error_code="duplicate_order",
                violation_error_message=_("This heading already has an area in this place."),
            ),
            models.UniqueConstraint(
                fields=["heading", "code"],
                name="unique_area_code",
                violation_error_code="duplicate_code",
                violation_error_message=_("This heading already has an area with this code."),
            ),
        ]
        verbose_name = _("practice area")
        verbose_name_plural = _("practice areas")

    constraint_fields = {"duplicate_order": "order", "duplicate_code": "code"}

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def natural_key(self) -> tuple[str, str]:
        return (self.heading.version.code, self.code)

    natural_key.dependencies = ["iamm.practiceheading"]

    def framework_version(self) -> FrameworkVersion:
        return self.heading.version

    def clean(self) -> None:
        # The code is the natural key within the whole version. Starting it with the heading's
        # number makes the database's per-heading uniqueness hold across the version too.
        if not (self.heading_id and self.code):
            return
        prefix = f"{self.heading.number}."
        if not self.code.startswith(prefix) or not self.code[len(prefix) :].isdigit():
            raise ValidationError(
                {
                    "code": _(
                        "Start the code with the heading's number and a dot, as in %(example)s."
                    )
                    % {"example": f"{prefix}{self.order or 1}"}
                }
            )


class PracticeManager(models.Manager):
    def get_by_natural_key(self, version: str, area: str, order: int) -> Practice:
        return self.get(area__heading__version__code=version, area__code=area, order=order)


class Practice(VersionedContent):
    """A statement shown as guidance under an area: IAMM text quoted verbatim, or our own."""

    class Kind(models.TextChoices):
        IAMM = "iamm", _("IAMM effective practice (quoted)")
        GUIDANCE = "guidance", _("Guidance written by the project")

    area = models.ForeignKey(
        PracticeArea,
        on_delete=models.CASCADE,
        related_name="practices",
        verbose_name=_("practice area"),
        help_text=_("The area this statement is shown under. It cannot change later."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), help_text=_("The statement's place under its area: 1, 2, 3…")
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        help_text=_(
            "Quoted IAMM text, or guidance written by the project (never passed off as IAMM text)."
        ),
    )
    text = models.TextField(_("text"), help_text=_("The statement, in each language."))
    source_note = models.CharField(
        _("source note"),
        max_length=300,
        blank=True,
        help_text=_("Where a quotation comes from, or that the text is the project's (optional)."),
    )

    objects = PracticeManager()

    class Meta:
        ordering = ["area__heading__number", "area__order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "order"],
                name="unique_practice",
                violation_error_code="duplicate_order",
                violation_error_message=_("This area already has a statement in this place."),
            )
        ]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    constraint_fields = {"duplicate_order": "order"}

    def __str__(self) -> str:
        return self.text[:80]

    def natural_key(self) -> tuple[str, str, int]:
        return (self.area.heading.version.code, self.area.code, self.order)

    natural_key.dependencies = ["iamm.practicearea"]

    def framework_version(self) -> FrameworkVersion:
        return self.area.heading.version
