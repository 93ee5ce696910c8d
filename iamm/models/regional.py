"""Reference data: the regional consultative processes of Annex A and their member States."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class RegionalProcessManager(models.Manager):
    def get_by_natural_key(self, slug: str) -> RegionalProcess:
        return self.get(slug=slug)


class RegionalProcess(models.Model):
    """A regional consultative process on migration (Annex A, as of 19 May 2005)."""

    slug = models.SlugField(
        _("slug"),
        max_length=40,
        unique=True,
        help_text=_("The address of the process's page, for example puebla-process."),
    )
    number = models.PositiveSmallIntegerField(
        _("number in Annex A"),
        null=True,
        blank=True,
        help_text=_("Blank for the processes named only in the note to Annex A."),
    )
    is_major = models.BooleanField(
        _("major process"),
        default=True,
        help_text=_("One of the 13 major processes listed in Annex A."),
    )
    name = models.CharField(
        _("name"), max_length=300, help_text=_("The full name, in each language.")
    )
    short_name = models.CharField(
        _("short name"), max_length=80, help_text=_("The usual short name, for example MIDSA.")
    )
    year = models.PositiveSmallIntegerField(
        _("year started"), null=True, blank=True, help_text=_("Leave blank if unknown.")
    )
    region = models.CharField(
        _("region"), max_length=120, help_text=_("The region it covers, in each language.")
    )
    secretariat = models.TextField(
        _("secretariat"), blank=True, help_text=_("Who runs the secretariat (optional).")
    )
    observers = models.TextField(
        _("observers and partners"),
        blank=True,
        help_text=_("Observer States and partner organisations (optional)."),
    )
    main_areas = models.TextField(
        _("main areas of discussion"),
        blank=True,
        help_text=_("The subjects the process works on, in each language (optional)."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("A short description for the directory, in each language (optional)."),
    )
    source_note = models.CharField(
        _("source note"),
        max_length=300,
        blank=True,
        help_text=_("Where the information comes from (optional)."),
    )

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
        help_text=_("The process the State is a member of."),
    )
    country = CountryField(
        _("country"), help_text=_("The member State as a current ISO 3166 country.")
    )
    name_in_source = models.CharField(
        _("name in the source"),
        max_length=120,
        help_text=_("The member's name as the paper writes it."),
    )
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("How a name that no longer exists was mapped to a country (optional)."),
    )

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
