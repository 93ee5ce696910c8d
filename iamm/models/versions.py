"""Framework versions and the freeze of a published version's content.

Content belongs to a framework version. A published version is frozen: assessments point at it,
so changing its text would change what officials answered. Every content model refuses to save or
delete while its version is published; raw saves (fixture loading) are checked by `iamm.freeze`.
Whether a version is *current* (new assessments default to it) or *retired* (no new
assessments) is its lifecycle, not its content, and may change after publication.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FrozenVersionError(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            _("This framework version is published and cannot be changed. Clone it into a draft.")
        )


class FrameworkVersionQuerySet(models.QuerySet):
    def published(self) -> FrameworkVersionQuerySet:
        return self.filter(status=FrameworkVersion.Status.PUBLISHED)

    def selectable(self) -> FrameworkVersionQuerySet:
        """Versions a new assessment may use: published and not retired, current first."""
        return self.published().filter(is_retired=False).order_by("-is_current", "-published_at")

    def current(self) -> FrameworkVersion | None:
        """The version new assessments and the public pages default to.

        The one marked current; before any is marked (a fresh fixture load), the newest
        published version that is not retired.
        """
        return self.selectable().order_by("-is_current", "-published_at", "-code").first()


class FrameworkVersionManager(models.Manager.from_queryset(FrameworkVersionQuerySet)):
    def get_by_natural_key(self, code: str) -> FrameworkVersion:
        return self.get(code=code)


class FrameworkVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    # Fields that may change after publication; everything else is content and frozen.
    LIFECYCLE_FIELDS = frozenset({"is_current", "is_retired"})

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_(
            "A short name used in addresses and fixtures, for example iamm-2025. "
            "Letters, digits and hyphens only."
        ),
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("The name shown on the reference pages.")
    )
    source = models.TextField(
        _("source"),
        blank=True,
        help_text=_("Where the content comes from, cited on the reference pages."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("A draft can be edited; a published version is frozen."),
    )
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, help_text=_("Set when the version is published.")
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
        help_text=_("The version this one was cloned from; the diff compares with it."),
    )
    is_current = models.BooleanField(
        _("current"),
        default=False,
        help_text=_(
            "New assessments and the next cycle use the current version. "
            "Only one published version is current."
        ),
    )
    is_retired = models.BooleanField(
        _("retired"),
        default=False,
        help_text=_("A retired version keeps its assessments but cannot be chosen for new ones."),
    )

    objects = FrameworkVersionManager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_version",
                violation_error_message=_("Another version is already current."),
            ),
            models.CheckConstraint(
                condition=models.Q(is_current=False)
                | models.Q(status="published", is_retired=False),
                name="current_version_is_published_and_not_retired",
                violation_error_message=_(
                    "Only a published version that is not retired can be current."
                ),
            ),
        ]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def fragment_timeout(self) -> int | None:
        """How long a page fragment drawn from this version's content may be cached
        ({% cache %}'s timeout): for good once published, as the content is then frozen; not
        at all while a draft can still change."""
        return None if self.is_published else 0

    @property
    def is_selectable(self) -> bool:
        return self.is_published and not self.is_retired

    def content_fields(self) -> list[models.Field]:
        return [
            field
            for field in self._meta.concrete_fields
            if not field.primary_key and field.name not in self.LIFECYCLE_FIELDS
        ]

    def save(self, *args, **kwargs) -> None:
        if self.pk:
            stored = FrameworkVersion.objects.filter(pk=self.pk).first()
            if stored and stored.is_published and first_difference(stored, self):
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

    @transaction.atomic
    def make_current(self) -> None:
        """Mark this version current and the previous current one not."""
        if not self.is_selectable:
            raise ValidationError(_("Only a published version that is not retired can be current."))
        FrameworkVersion.objects.filter(is_current=True).exclude(pk=self.pk).update(
            is_current=False
        )
        self.is_current = True
        self.save(update_fields=["is_current"])

    def retire(self) -> None:
        if self.is_current:
            raise ValidationError(
                _("The current version cannot be retired. Make another version current first.")
            )
        self.is_retired = True
        self.save(update_fields=["is_retired"])


class VersionedContent(models.Model):
    """Base for content rows; `framework_version()` names the version they belong to."""

    # Violation codes of this model's constraints, and the field the admin shows each beside.
    constraint_fields: dict[str, str] = {}

    class Meta:
        abstract = True

    def framework_version(self) -> FrameworkVersion:
        raise NotImplementedError

    def content_fields(self) -> list[models.Field]:
        return [field for field in self._meta.concrete_fields if not field.primary_key]

    def save(self, *args, **kwargs) -> None:
        if self.framework_version().is_published:
            raise FrozenVersionError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.framework_version().is_published:
            raise FrozenVersionError()
        return super().delete(*args, **kwargs)

    def validate_constraints(self, exclude=None) -> None:
        # A duplicate natural key is the editor's mistake in one field (the code, the order),
        # so the admin shows it beside that field rather than above the form.
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors: dict[str, list] = {}
            for field, messages in error.error_dict.items():
                for message in messages:
                    target = self.constraint_fields.get(message.code, field)
                    if exclude and target in exclude:
                        target = field
                    errors.setdefault(target, []).append(message)
            raise ValidationError(errors) from error


def first_difference(
    stored: models.Model, incoming: models.Model
) -> tuple[str, object, object] | None:
    """The first content field whose value differs: (column, stored value, new value).

    Translated fields are compared language column by language column (`text_fr`), not through
    the untranslated name, which only reads the active language. Times are compared to the
    millisecond, the precision fixtures keep.
    """
    translated = _translated_names(type(incoming))
    for field in incoming.content_fields():
        if field.name in translated:
            continue
        old, new = field.value_from_object(stored), field.value_from_object(incoming)
        if _comparable(old) != _comparable(new):
            return field.attname, old, new
    return None


def _comparable(value: object) -> object:
    if isinstance(value, datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def _translated_names(model: type[models.Model]) -> set[str]:
    # Imported here: the translation options import these models.
    from modeltranslation.translator import NotRegistered, translator

    try:
        return set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return set()
