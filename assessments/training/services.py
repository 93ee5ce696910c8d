"""Writes for workshops: create, close, join, save practice answers, purge expired ones."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.models import (
    Participant,
    PracticeAnswer,
    User,
    Workshop,
    WorkshopSection,
)
from iamm.models import FrameworkVersion, PracticeHeading, RegionalProcess

from .selectors import SectionItems

# Fields a participant's save writes; the rest of a row (participant, item) never changes.
ANSWER_FIELDS = ("level", "target", "priority", "evidence", "justification")


class WorkshopClosed(Exception):
    """The workshop no longer takes answers (or participants)."""


@transaction.atomic
def workshop_create(
    *,
    facilitator: User,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    language: str,
    framework_version: FrameworkVersion,
    part_a: bool,
    headings: Iterable[PracticeHeading],
    regional_process: RegionalProcess | None = None,
) -> Workshop:
    # A clash of two random 8-character codes is rare; try again on one.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                workshop = Workshop.objects.create(
                    facilitator=facilitator,
                    title=title,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    language=language,
                    framework_version=framework_version,
                    regional_process=regional_process,
                    code=Workshop.new_code(),
                )
            break
        except IntegrityError:
            continue
    else:
        raise RuntimeError("No free workshop code after five tries.")
    sections = [WorkshopSection(workshop=workshop, order=0)] if part_a else []
    sections += [WorkshopSection(workshop=workshop, heading=h, order=h.number) for h in headings]
    WorkshopSection.objects.bulk_create(sections)
    return workshop


def workshop_section_set_case(*, section: WorkshopSection, case_text: str) -> None:
    section.case_text = case_text
    section.save(update_fields=["case_text"])


def workshop_close(*, workshop: Workshop) -> None:
    workshop.close()


def participant_join(
    *, workshop: Workshop, display_name: str, show_name: bool
) -> tuple[Participant, str]:
    """A new participant and the secret their browser keeps; refused once the workshop closed."""
    if not workshop.is_open:
        raise WorkshopClosed
    participant = Participant(workshop=workshop, display_name=display_name, show_name=show_name)
    token = participant.new_token()
    participant.save()
    return participant, token


@transaction.atomic
def practice_section_save(
    *, participant: Participant, section: SectionItems, answers: Mapping[str, Mapping[str, Any]]
) -> int:
    """Saves a participant's answers to one section (`answers` maps item keys to cleaned form
    data) and returns how many items changed. Only the participant's own rows are touched, so
    fifty people saving the same section at once never wait on each other's rows."""
    # Read afresh, not locked: a save racing the facilitator's "close" does no harm, and a lock
    # on the workshop row would queue every participant behind each other.
    if not Workshop.objects.filter(pk=participant.workshop_id, closed_at__isnull=True).exists():
        raise WorkshopClosed
    items = {item.key: item for item in section.items}
    in_section = Q(understanding__in=[i.understanding for i in items.values() if i.understanding])
    in_section |= Q(area__in=[i.area for i in items.values() if i.area])
    existing = {a.item_key: a for a in participant.answers.filter(in_section)}
    new, changed = [], []
    for key, data in answers.items():
        item = items.get(key)
        if item is None:
            continue
        row = existing.get(key) or PracticeAnswer(
            participant=participant, understanding=item.understanding, area=item.area
        )
        values = {f: data.get(f, getattr(row, f)) for f in ANSWER_FIELDS}
        if not row.pk and not (values["level"] or values["evidence"] or values["justification"]):
            continue  # an item left blank is not an answer
        if row.pk and all(getattr(row, f) == v for f, v in values.items()):
            continue
        for name, value in values.items():
            setattr(row, name, value)
        (changed if row.pk else new).append(row)
    PracticeAnswer.objects.bulk_create(new)
    for row in changed:
        row.save(update_fields=[*ANSWER_FIELDS, "updated_at"])
    return len(new) + len(changed)


@transaction.atomic
def workshops_purge_expired(*, today: datetime.date, dry_run: bool = False) -> list[str]:
    """Deletes the workshops past their retention period with all their practice data; returns
    a line per workshop for the command's output."""
    expired = list(Workshop.objects.expired(today=today))
    lines = [
        _("%(title)s (last day %(ends_on)s)") % {"title": w.title, "ends_on": w.ends_on.isoformat()}
        for w in expired
    ]
    if not dry_run:
        Workshop.objects.filter(pk__in=[w.pk for w in expired]).delete()
    return lines


# Guessing workshop codes -----------------------------------------------------------------------
# Only wrong codes count: a room of fifty people behind one address joining with the right code
# must not lock itself out. The counter lives in the cache (shared by the workers when the cache
# is shared).


def _join_key(address: str) -> str:
    return f"training:join-failures:{address}"


def join_allowed(*, address: str) -> bool:
    return cache.get(_join_key(address), 0) < settings.WORKSHOP_JOIN_FAILURE_LIMIT


def join_failure_record(*, address: str) -> None:
    key = _join_key(address)
    if cache.add(key, 1, timeout=settings.WORKSHOP_JOIN_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.WORKSHOP_JOIN_WINDOW_SECONDS)
