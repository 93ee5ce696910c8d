"""The IAMM framework content: versions, understandings, headings, areas, practices, crosswalk,
and the reference data on regional consultative processes.

Content belongs to a framework version. A published version is frozen: assessments point at it,
so changing its text would change what officials answered. Every content model refuses to save or
delete while its version is published; fixtures still load because loaddata saves raw.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class FrozenVersionError(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            _("This framework version is published and cannot be changed. Clone it into a draft.")
        )


class FrameworkVersionQuerySet(models.QuerySet):
    def published(self) -> FrameworkVersionQuerySet:
        return self.filter(status=FrameworkVersion.Status.PUBLISHED)


class FrameworkVersionManager(models.Manager.from_queryset(FrameworkVersionQuerySet)):
    def get_by_natural_key(self, code: str) -> FrameworkVersion:
        return self.get(code=code)


class FrameworkVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    source = models.TextField(_("source"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )

    objects = FrameworkVersionManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def save(self, *args, **kwargs) -> None:
        if self.pk:
            stored = FrameworkVersion.objects.filter(pk=self.pk).values_list("status", flat=True)
            if stored and stored[0] == self.Status.PUBLISHED:
                # Only a no-op save of a published version is allowed.
                raise FrozenVersionError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise FrozenVersionError()
        return super().delete(*args, **kwargs)

    def publish(self) -> None:
        if self.is_published:
            raise FrozenVersionError()
        self.status = self.Status.PUBLISHED
        self.published_at = timezone.now()
        self.save()


class VersionedContent(models.Model):
    """Base for content rows; `framework_version()` names the version they belong to."""

    class Meta:
        abstract = True

    def framework_version(self) -> FrameworkVersion:
        raise NotImplementedError

    def save(self, *args, **kwargs) -> None:
        if self.framework_version().is_published:
            raise FrozenVersionError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.framework_version().is_published:
            raise FrozenVersionError()
        return super().delete(*args, **kwargs)


class CommonUnderstandingManager(models.Manager):
    def get_by_natural_key(self, version: str, number: int) -> CommonUnderstanding:
        return self.get(version__code=version, number=number)


class CommonUnderstanding(VersionedContent):
    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.CASCADE,
        related_name="understandings",
        verbose_name=_("framework version"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    source_note = models.CharField(_("source note"), max_length=300, blank=True)

    objects = CommonUnderstandingManager()

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="unique_understanding")
        ]
        verbose_name = _("common understanding")
        verbose_name_plural = _("common understandings")

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
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    understandings = models.ManyToManyField(
        CommonUnderstanding,
        through="CrosswalkLink",
        related_name="headings",
        verbose_name=_("common understandings"),
    )

    objects = PracticeHeadingManager()

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="unique_heading")]
        verbose_name = _("practice heading")
        verbose_name_plural = _("practice headings")

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
    )
    understanding = models.ForeignKey(
        CommonUnderstanding,
        on_delete=models.CASCADE,
        related_name="crosswalk_links",
        verbose_name=_("common understanding"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = CrosswalkLinkManager()

    class Meta:
        ordering = ["heading__number", "understanding__number"]
        constraints = [
            models.UniqueConstraint(fields=["heading", "understanding"], name="unique_crosswalk")
        ]
        verbose_name = _("crosswalk link")
        verbose_name_plural = _("crosswalk links")

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
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("For example 3.2"))
    order = models.PositiveSmallIntegerField(_("order"))
    group = models.CharField(_("group"), max_length=10, choices=Group.choices, blank=True)
    name = models.CharField(_("name"), max_length=200)

    objects = PracticeAreaManager()

    class Meta:
        ordering = ["heading__number", "order"]
        constraints = [models.UniqueConstraint(fields=["heading", "order"], name="unique_area")]
        verbose_name = _("practice area")
        verbose_name_plural = _("practice areas")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def natural_key(self) -> tuple[str, str]:
        return (self.heading.version.code, self.code)

    natural_key.dependencies = ["iamm.practiceheading"]

    def framework_version(self) -> FrameworkVersion:
        return self.heading.version


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
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"))
    source_note = models.CharField(_("source note"), max_length=300, blank=True)

    objects = PracticeManager()

    class Meta:
        ordering = ["area__heading__number", "area__order", "order"]
        constraints = [models.UniqueConstraint(fields=["area", "order"], name="unique_practice")]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def __str__(self) -> str:
        return self.text[:80]

    def natural_key(self) -> tuple[str, str, int]:
        return (self.area.heading.version.code, self.area.code, self.order)

    natural_key.dependencies = ["iamm.practicearea"]

    def framework_version(self) -> FrameworkVersion:
        return self.area.heading.version


class RegionalProcessManager(models.Manager):
    def get_by_natural_key(self, slug: str) -> RegionalProcess:
        return self.get(slug=slug)


class RegionalProcess(models.Model):
    """A regional consultative process on migration (Annex A, as of 19 May 2005)."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(
        _("number in Annex A"),
        null=True,
        blank=True,
        help_text=_("Blank for the processes named only in the note to Annex A."),
    )
    is_major = models.BooleanField(_("major process"), default=True)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year started"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=120)
    secretariat = models.TextField(_("secretariat"), blank=True)
    observers = models.TextField(_("observers and partners"), blank=True)
    main_areas = models.TextField(_("main areas of discussion"), blank=True)
    description = models.TextField(_("description"), blank=True)
    source_note = models.CharField(_("source note"), max_length=300, blank=True)

    objects = RegionalProcessManager()

    class Meta:
        ordering = ["-is_major", "number", "short_name"]
        verbose_name = _("regional consultative process")
        verbose_name_plural = _("regional consultative processes")

    def __str__(self) -> str:
        return self.short_name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class MembershipManager(models.Manager):
    def get_by_natural_key(self, process: str, country: str) -> Membership:
        return self.get(process__slug=process, country=country)


class Membership(models.Model):
    """A member government of a process, as an ISO 3166 country.

    `name_in_source` keeps the paper's wording; where that State no longer exists under that
    name (Serbia and Montenegro, Swaziland, ...) `note` says how it was mapped.
    """

    process = models.ForeignKey(
        RegionalProcess,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("regional consultative process"),
    )
    country = CountryField(_("country"))
    name_in_source = models.CharField(_("name in the source"), max_length=120)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = MembershipManager()

    class Meta:
        ordering = ["process", "country"]
        constraints = [
            models.UniqueConstraint(fields=["process", "country"], name="unique_membership")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.process} – {self.country.name}"

    def natural_key(self) -> tuple[str, str]:
        return (self.process.slug, self.country.code)

    natural_key.dependencies = ["iamm.regionalprocess"]
