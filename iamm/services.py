"""Writes across the framework content models: cloning a version into a draft, publishing it.

A published version is frozen (the models refuse to save or delete its content), so revising the
IAMM content always goes: clone into a draft, edit the draft, publish it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from .models import (
    CommonUnderstanding,
    CrosswalkLink,
    FrameworkVersion,
    Practice,
    PracticeArea,
    PracticeHeading,
)


def _as_new_row(obj: Model, **changes) -> Model:
    """Turn a fetched row into an unsaved copy; every column, each language column included,
    keeps its value, except the primary key and `changes`."""
    obj.pk = None
    obj._state.adding = True
    for name, value in changes.items():
        setattr(obj, name, value)
    return obj


@transaction.atomic
def framework_version_clone(
    *, source: FrameworkVersion, code: str, title: str | None = None
) -> FrameworkVersion:
    """Copy `source` and all its content into a new draft version, keeping numbers and codes.

    `title`, when given, replaces the title in the active language; otherwise every language's
    title is copied.
    """
    source_pk = source.pk
    clone = FrameworkVersion.objects.get(pk=source_pk)
    _as_new_row(
        clone,
        code=code,
        status=FrameworkVersion.Status.DRAFT,
        published_at=None,
        based_on_id=source_pk,
    )
    if title:
        clone.title = title
    clone.full_clean()
    clone.save()

    understandings = {}
    for understanding in CommonUnderstanding.objects.filter(version_id=source_pk):
        old_pk = understanding.pk
        understandings[old_pk] = _as_new_row(understanding, version=clone)
        understandings[old_pk].save()

    headings = {}
    for heading in PracticeHeading.objects.filter(version_id=source_pk):
        old_pk = heading.pk
        headings[old_pk] = _as_new_row(heading, version=clone)
        headings[old_pk].save()

    for link in CrosswalkLink.objects.filter(heading__version_id=source_pk):
        _as_new_row(
            link,
            heading=headings[link.heading_id],
            understanding=understandings[link.understanding_id],
        ).save()

    areas = {}
    for area in PracticeArea.objects.filter(heading__version_id=source_pk):
        old_pk = area.pk
        areas[old_pk] = _as_new_row(area, heading=headings[area.heading_id])
        areas[old_pk].save()

    for practice in Practice.objects.filter(area__heading__version_id=source_pk):
        _as_new_row(practice, area=areas[practice.area_id]).save()

    return clone


def framework_version_next_draft_code(*, source: FrameworkVersion) -> str:
    """A free code of the form `<code>-draft-N` for a clone of `source`."""
    max_length = FrameworkVersion._meta.get_field("code").max_length
    taken = set(FrameworkVersion.objects.values_list("code", flat=True))
    n = 1
    while True:
        suffix = f"-draft-{n}"
        code = source.code[: max_length - len(suffix)] + suffix
        if code not in taken:
            return code
        n += 1


@transaction.atomic
def framework_version_publish(*, version: FrameworkVersion) -> FrameworkVersion:
    """Freeze a draft version so that assessments can use it.

    Every heading needs at least one area: an empty heading would give every assessment an empty
    section that can never be completed.
    """
    # Lock the row so that two administrators publishing at once cannot both pass the checks.
    FrameworkVersion.objects.select_for_update().filter(pk=version.pk).exists()
    version.refresh_from_db()
    if version.is_published:
        raise ValidationError(_("This framework version is already published."))
    if not version.understandings.exists():
        raise ValidationError(_("A version needs Common Understandings before it is published."))
    if not version.headings.exists():
        raise ValidationError(_("A version needs practice headings before it is published."))
    empty = version.headings.filter(areas__isnull=True).order_by("number")
    if empty.exists():
        raise ValidationError(
            _("Every practice heading needs at least one area. Headings without areas: %(list)s.")
            % {"list": ", ".join(str(heading.number) for heading in empty)}
        )
    version.publish()
    return version
