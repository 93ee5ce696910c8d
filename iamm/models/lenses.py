"""Today's frameworks beside the IAMM: the GCM's 23 objectives and SDG indicator 10.7.2's six
domains and 30 sub-categories, with the links from IAMM practice headings to them.

They are framework content like the headings: each row belongs to a framework version, is frozen
once that version is published, and is copied when the version is cloned. The objective titles,
domains and sub-categories are quoted from their sources (A/RES/73/195; the SDG 10.7.2 metadata);
the heading links are the project's own proposal, not an IOM or UN mapping, and say so.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .content import PracticeHeading
from .versions import FrameworkVersion, VersionedContent

__all__ = [
    "GcmObjective",
    "HeadingDomainLink",
    "HeadingObjectiveLink",
    "SdgDomain",
    "SdgSubcategory",
]

GCM_OBJECTIVES = 23
SDG_DOMAINS = 6
SUBCATEGORY_LETTERS = "abcde"


class LinkStrength(models.TextChoices):
    # Only primary links carry a heading's score into an objective; a secondary link is shown
    # for context, so an objective reached only through secondary links is "not assessed".
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")


def _same_version(heading: PracticeHeading, other: VersionedContent) -> None:
    if heading.version_id != other.framework_version().pk:
        raise ValidationError(_("The heading and the item it links to must share a version."))


# GCM ------------------------------------------------------------------------------------------


class GcmObjectiveManager(models.Manager):
    def get_by_natural_key(self, version: str, number: int) -> GcmObjective:
        return self.get(version__code=version, number=number)


class GcmObjective(VersionedContent):
    """One of the 23 objectives of the Global Compact for Safe, Orderly and Regular Migration."""

    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.CASCADE,
        related_name="gcm_objectives",
        verbose_name=_("framework version"),
        help_text=_("The framework version this objective belongs to; set when it is created."),
    )
    number = models.PositiveSmallIntegerField(
        _("number"),
        validators=[MinValueValidator(1), MaxValueValidator(GCM_OBJECTIVES)],
        help_text=_("The objective's number in the Global Compact, 1 to 23."),
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("The objective's title, verbatim from A/RES/73/195 in English."),
    )
    short_label = models.CharField(
        _("short label"),
        max_length=80,
        help_text=_("A few words for tables and charts."),
    )
    translation_note = models.CharField(
        _("translation note"),
        max_length=300,
        blank=True,
        help_text=_("Where this language's title comes from: the official text or our own."),
    )
    headings = models.ManyToManyField(
        PracticeHeading,
        through="HeadingObjectiveLink",
        related_name="gcm_objectives",
        verbose_name=_("practice headings"),
    )

    objects = GcmObjectiveManager()

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="unique_gcm_objective")
        ]
        verbose_name = _("GCM objective")
        verbose_name_plural = _("GCM objectives")

    def __str__(self) -> str:
        return _("GCM objective %(number)s") % {"number": self.number}

    def natural_key(self) -> tuple[str, int]:
        return (self.version.code, self.number)

    natural_key.dependencies = ["iamm.frameworkversion"]

    def framework_version(self) -> FrameworkVersion:
        return self.version


class HeadingObjectiveLinkManager(models.Manager):
    def get_by_natural_key(
        self, version: str, heading: int, objective: int
    ) -> HeadingObjectiveLink:
        return self.get(
            heading__version__code=version, heading__number=heading, objective__number=objective
        )


class HeadingObjectiveLink(VersionedContent):
    """An IAMM heading covers (part of) a GCM objective: the project's proposal."""

    Strength = LinkStrength

    heading = models.ForeignKey(
        PracticeHeading,
        on_delete=models.CASCADE,
        related_name="objective_links",
        verbose_name=_("practice heading"),
        help_text=_("The IAMM practice heading that puts this objective into practice."),
    )
    objective = models.ForeignKey(
        GcmObjective,
        on_delete=models.CASCADE,
        related_name="heading_links",
        verbose_name=_("GCM objective"),
        help_text=_("The GCM objective the heading is linked to."),
    )
    strength = models.CharField(
        _("strength"),
        max_length=10,
        choices=LinkStrength.choices,
        help_text=_(
            "Primary links count in the objective's score; secondary links are shown only."
        ),
    )
    reason = models.CharField(
        _("reason"),
        max_length=400,
        help_text=_("Why the heading serves the objective (the project's own reading)."),
    )

    objects = HeadingObjectiveLinkManager()

    class Meta:
        ordering = ["heading__number", "objective__number"]
        constraints = [
            models.UniqueConstraint(fields=["heading", "objective"], name="unique_objective_link")
        ]
        verbose_name = _("heading–GCM objective link")
        verbose_name_plural = _("heading–GCM objective links")

    def __str__(self) -> str:
        return f"H{self.heading.number} → GCM {self.objective.number}"

    def natural_key(self) -> tuple[str, int, int]:
        return (self.heading.version.code, self.heading.number, self.objective.number)

    natural_key.dependencies = ["iamm.practiceheading", "iamm.gcmobjective"]

    def framework_version(self) -> FrameworkVersion:
        return self.heading.version

    @property
    def is_primary(self) -> bool:
        return self.strength == LinkStrength.PRIMARY

    def clean(self) -> None:
        # Field validation reports a missing side; only compare once both are chosen.
        if self.heading_id and self.objective_id:
            _same_version(self.heading, self.objective)


# SDG indicator 10.7.2 -------------------------------------------------------------------------


class SdgDomainManager(models.Manager):
    def get_by_natural_key(self, version: str, number: int) -> SdgDomain:
        return self.get(version__code=version, number=number)


class SdgDomain(VersionedContent):
    """One of the six policy domains of SDG indicator 10.7.2, with its question."""

    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.CASCADE,
        related_name="sdg_domains",
        verbose_name=_("framework version"),
        help_text=_("The framework version this domain belongs to; set when it is created."),
    )
    number = models.PositiveSmallIntegerField(
        _("number"),
        validators=[MinValueValidator(1), MaxValueValidator(SDG_DOMAINS)],
        help_text=_("The domain's number in SDG indicator 10.7.2, 1 to 6."),
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("The domain's name, verbatim from the indicator's metadata in English."),
    )
    proxy_measure = models.TextField(
        _("proxy measure"),
        help_text=_("What the UN measures in this domain, verbatim."),
    )
    question = models.TextField(
        _("question"),
        help_text=_("The UN Inquiry's question for this domain, verbatim."),
    )
    middle_option = models.CharField(
        _("middle answer option"),
        max_length=200,
        blank=True,
        help_text=_(
            "Only domain 1 has one (coded 0.5): "
            "“Yes, only for those with legal immigration status”."
        ),
    )
    mapping_note = models.TextField(
        _("mapping note"),
        blank=True,
        help_text=_("What the project's IAMM links leave out of this domain."),
    )
    translation_note = models.CharField(
        _("translation note"),
        max_length=300,
        blank=True,
        help_text=_("Where this language's texts come from: the official text or our own."),
    )
    headings = models.ManyToManyField(
        PracticeHeading,
        through="HeadingDomainLink",
        related_name="sdg_domains",
        verbose_name=_("practice headings"),
    )

    objects = SdgDomainManager()

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="unique_sdg_domain")
        ]
        verbose_name = _("SDG 10.7.2 domain")
        verbose_name_plural = _("SDG 10.7.2 domains")

    def __str__(self) -> str:
        return _("Domain %(number)s. %(name)s") % {"number": self.number, "name": self.name}

    def natural_key(self) -> tuple[str, int]:
        return (self.version.code, self.number)

    natural_key.dependencies = ["iamm.frameworkversion"]

    def framework_version(self) -> FrameworkVersion:
        return self.version

    @property
    def has_middle_option(self) -> bool:
        return bool(self.middle_option)


class SdgSubcategoryManager(models.Manager):
    def get_by_natural_key(self, version: str, domain: int, letter: str) -> SdgSubcategory:
        return self.get(domain__version__code=version, domain__number=domain, letter=letter)


class SdgSubcategory(VersionedContent):
    """One of the five sub-categories (a–e) a domain's question asks about."""

    domain = models.ForeignKey(
        SdgDomain,
        on_delete=models.CASCADE,
        related_name="subcategories",
        verbose_name=_("SDG 10.7.2 domain"),
        help_text=_("The 10.7.2 domain this sub-category belongs to."),
    )
    letter = models.CharField(
        _("letter"),
        max_length=1,
        choices=[(c, c) for c in SUBCATEGORY_LETTERS],
        help_text=_("The sub-category's letter within its domain (a to e)."),
    )
    text = models.CharField(
        _("text"),
        max_length=300,
        help_text=_("The sub-category, verbatim from the indicator's metadata in English."),
    )

    objects = SdgSubcategoryManager()

    class Meta:
        ordering = ["domain__number", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "letter"], name="unique_sdg_subcategory")
        ]
        verbose_name = _("SDG 10.7.2 sub-category")
        verbose_name_plural = _("SDG 10.7.2 sub-categories")

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def code(self) -> str:
        return f"{self.domain.number}{self.letter}"

    def natural_key(self) -> tuple[str, int, str]:
        return (self.domain.version.code, self.domain.number, self.letter)

    natural_key.dependencies = ["iamm.sdgdomain"]

    def framework_version(self) -> FrameworkVersion:
        return self.domain.version


class HeadingDomainLinkManager(models.Manager):
    def get_by_natural_key(self, version: str, heading: int, domain: int) -> HeadingDomainLink:
        return self.get(
            heading__version__code=version, heading__number=heading, domain__number=domain
        )


class HeadingDomainLink(VersionedContent):
    """An IAMM heading informs an SDG 10.7.2 domain: the project's proposal. The reason names
    the sub-categories it bears on."""

    heading = models.ForeignKey(
        PracticeHeading,
        on_delete=models.CASCADE,
        related_name="domain_links",
        verbose_name=_("practice heading"),
        help_text=_("The IAMM practice heading that informs this domain."),
    )
    domain = models.ForeignKey(
        SdgDomain,
        on_delete=models.CASCADE,
        related_name="heading_links",
        verbose_name=_("SDG 10.7.2 domain"),
        help_text=_("The SDG 10.7.2 domain the heading is linked to."),
    )
    reason = models.CharField(
        _("reason"),
        max_length=400,
        help_text=_("Why the heading informs the domain (the project's own reading)."),
    )

    objects = HeadingDomainLinkManager()

    class Meta:
        ordering = ["heading__number", "domain__number"]
        constraints = [
            models.UniqueConstraint(fields=["heading", "domain"], name="unique_domain_link")
        ]
        verbose_name = _("heading–SDG 10.7.2 domain link")
        verbose_name_plural = _("heading–SDG 10.7.2 domain links")

    def __str__(self) -> str:
        return f"H{self.heading.number} → 10.7.2 D{self.domain.number}"

    def natural_key(self) -> tuple[str, int, int]:
        return (self.heading.version.code, self.heading.number, self.domain.number)

    natural_key.dependencies = ["iamm.practiceheading", "iamm.sdgdomain"]

    def framework_version(self) -> FrameworkVersion:
        return self.heading.version

    def clean(self) -> None:
        if self.heading_id and self.domain_id:
            _same_version(self.heading, self.domain)
