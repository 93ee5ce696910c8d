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
    GcmObjective,
    HeadingDomainLink,
    HeadingObjectiveLink,
    Practice,
    PracticeArea,
    PracticeHeading,
    SdgDomain,
    SdgSubcategory,
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
    *,
    source: FrameworkVersion,
    code: str,
    title: str | None = None,
    titles: dict[str, str] | None = None,
) -> FrameworkVersion:
    """Copy `source` and all its content into a new draft version, keeping numbers and codes.

    `title`, when given, replaces the title in the active language; `titles` ({"title_fr": …})
    replaces the named language columns; otherwise every language's title is copied.
    """
    source_pk = source.pk
    clone = FrameworkVersion.objects.get(pk=source_pk)
    _as_new_row(
        clone,
        code=code,
        status=FrameworkVersion.Status.DRAFT,
        published_at=None,
        based_on_id=source_pk,
        is_current=False,
        is_retired=False,
        **{column: text for column, text in (titles or {}).items() if text},
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

    _clone_lenses(source_pk=source_pk, clone=clone, headings=headings)
    return clone


def _clone_lenses(*, source_pk: int, clone: FrameworkVersion, headings: dict) -> None:
    """The GCM objectives, SDG 10.7.2 domains and sub-categories, and the heading links."""
    objectives = {}
    for objective in GcmObjective.objects.filter(version_id=source_pk):
        old_pk = objective.pk
        objectives[old_pk] = _as_new_row(objective, version=clone)
        objectives[old_pk].save()
    for link in HeadingObjectiveLink.objects.filter(heading__version_id=source_pk):
        _as_new_row(
            link, heading=headings[link.heading_id], objective=objectives[link.objective_id]
        ).save()

    domains = {}
    for domain in SdgDomain.objects.filter(version_id=source_pk):
        old_pk = domain.pk
        domains[old_pk] = _as_new_row(domain, version=clone)
        domains[old_pk].save()
    for subcategory in SdgSubcategory.objects.filter(domain__version_id=source_pk):
        _as_new_row(subcategory, domain=domains[subcategory.domain_id]).save()
    for link in HeadingDomainLink.objects.filter(heading__version_id=source_pk):
        _as_new_row(link, heading=headings[link.heading_id], domain=domains[link.domain_id]).save()


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


def framework_version_publish_problems(*, version: FrameworkVersion) -> list[str]:
    """Why `version` cannot be published yet; empty when it can.

    Every heading needs at least one area: an empty heading would give every assessment an empty
    section that can never be completed.
    """
    problems = []
    if version.is_published:
        problems.append(_("This framework version is already published."))
    if not version.understandings.exists():
        problems.append(_("A version needs Common Understandings before it is published."))
    if not version.headings.exists():
        problems.append(_("A version needs practice headings before it is published."))
    empty = version.headings.filter(areas__isnull=True).order_by("number")
    if empty.exists():
        problems.append(
            _("Every practice heading needs at least one area. Headings without areas: %(list)s.")
            % {"list": ", ".join(str(heading.number) for heading in empty)}
        )
    return problems


@transaction.atomic
def framework_version_publish(
    *, version: FrameworkVersion, make_current: bool = False
) -> FrameworkVersion:
    """Freeze a draft version so that assessments can use it; optionally make it current."""
    # Lock the row so that two administrators publishing at once cannot both pass the checks.
    FrameworkVersion.objects.select_for_update().filter(pk=version.pk).exists()
    version.refresh_from_db()
    problems = framework_version_publish_problems(version=version)
    if problems:
        raise ValidationError(problems)
    version.publish()
    # Its blank questionnaires are rendered now, by the task workers, so that no public
    # request ever waits for one. (Imported here: content does not depend on the assessments
    # app, only this hand-over does.)
    from assessments.reports.queue import blank_questionnaires_request

    blank_questionnaires_request(version=version)
    if make_current:
        version.make_current()
    return version


@transaction.atomic
def framework_version_make_current(*, version: FrameworkVersion) -> FrameworkVersion:
    """New assessments and next cycles default to `version` from now on."""
    FrameworkVersion.objects.select_for_update().filter(is_current=True).exists()
    version.refresh_from_db()
    version.make_current()
    return version


def framework_version_retire(*, version: FrameworkVersion) -> FrameworkVersion:
    """No new assessment may use `version`; existing ones keep it."""
    version.refresh_from_db()
    version.retire()
    return version
