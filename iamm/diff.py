"""What changed between two framework versions, item by item and language by language.

One function serves the draft's admin page, `manage.py diff_versions` and the move of an
assessment to a new version. Items are matched on their natural keys (an understanding's number,
a heading's number, an area's code, a practice's area and order, a crosswalk pair), the same keys
fixtures and carried-over answers use; the database ids of two versions never match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from modeltranslation.settings import AVAILABLE_LANGUAGES

from .models import (
    CommonUnderstanding,
    CrosswalkLink,
    FrameworkVersion,
    Practice,
    PracticeArea,
    PracticeHeading,
)


@dataclass(frozen=True)
class Kind:
    """One kind of item: how to fetch it, its key, its label, the fields compared."""

    name: str
    label: Promise
    rows: Callable[[FrameworkVersion], QuerySet]
    key: tuple[str, ...]
    translated: tuple[str, ...]
    plain: tuple[str, ...] = ()
    label_field: str = ""

    def compared(self) -> list[tuple[str, str]]:
        """(column, language) pairs; the language is "" for a column that is not translated."""
        columns = [
            (f"{name}_{lang}", lang) for name in self.translated for lang in AVAILABLE_LANGUAGES
        ]
        return columns + [(name, "") for name in self.plain]


KINDS = (
    Kind(
        "understanding",
        _("Common Understanding"),
        lambda v: CommonUnderstanding.objects.filter(version=v),
        ("number",),
        ("text", "source_note"),
        label_field="text_en",
    ),
    Kind(
        "heading",
        _("Practice heading"),
        lambda v: PracticeHeading.objects.filter(version=v),
        ("number",),
        ("title",),
        label_field="title_en",
    ),
    Kind(
        "area",
        _("Practice area"),
        lambda v: PracticeArea.objects.filter(heading__version=v),
        ("code",),
        ("name",),
        ("order", "group"),
        label_field="name_en",
    ),
    Kind(
        "practice",
        _("Practice"),
        lambda v: Practice.objects.filter(area__heading__version=v),
        ("area__code", "order"),
        ("text", "source_note"),
        ("kind",),
        label_field="text_en",
    ),
    Kind(
        "link",
        _("Crosswalk link"),
        lambda v: CrosswalkLink.objects.filter(heading__version=v),
        ("heading__number", "understanding__number"),
        ("note",),
    ),
)


@dataclass(frozen=True)
class Item:
    kind: Kind
    key: tuple
    label: str

    @property
    def key_text(self) -> str:
        if self.kind.name == "link":
            return f"H{self.key[0]} ↔ CU{self.key[1]}"
        if self.kind.name == "practice":
            return f"{self.key[0]} #{self.key[1]}"
        return str(self.key[0])


@dataclass(frozen=True)
class FieldChange:
    column: str
    language: str
    old: object
    new: object


@dataclass(frozen=True)
class ChangedItem:
    item: Item
    changes: list[FieldChange]


@dataclass
class VersionDiff:
    old: FrameworkVersion
    new: FrameworkVersion
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    changed: list[ChangedItem] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def keys(self, kind: str, which: str) -> set[tuple]:
        """The keys of one kind that were "added", "removed" or "changed"."""
        items = getattr(self, which)
        return {_item(entry).key for entry in items if _kind(entry) == kind}


def _item(entry: Item | ChangedItem) -> Item:
    return entry.item if isinstance(entry, ChangedItem) else entry


def _kind(entry: Item | ChangedItem) -> str:
    return _item(entry).kind.name


def _rows(kind: Kind, version: FrameworkVersion) -> dict[tuple, dict]:
    columns = [column for column, _lang in kind.compared()]
    if kind.label_field and kind.label_field not in columns:
        columns.append(kind.label_field)
    rows = kind.rows(version).values(*kind.key, *columns).order_by(*kind.key)
    return {tuple(row[k] for k in kind.key): row for row in rows}


def version_diff(*, old: FrameworkVersion, new: FrameworkVersion) -> VersionDiff:
    """Items added, removed, and changed (with each changed column) from `old` to `new`."""
    diff = VersionDiff(old=old, new=new)
    for kind in KINDS:
        before, after = _rows(kind, old), _rows(kind, new)

        def item(key: tuple, row: dict, kind: Kind = kind) -> Item:
            return Item(kind, key, str(row.get(kind.label_field) or "")[:120])

        diff.added += [item(key, after[key]) for key in after if key not in before]
        diff.removed += [item(key, before[key]) for key in before if key not in after]
        for key in after.keys() & before.keys():
            changes = [
                FieldChange(column, lang, before[key][column], after[key][column])
                for column, lang in kind.compared()
                if before[key][column] != after[key][column]
            ]
            if changes:
                diff.changed.append(ChangedItem(item(key, after[key]), changes))
    diff.changed.sort(key=lambda c: (KINDS.index(c.item.kind), c.item.key))
    return diff


@dataclass(frozen=True)
class QuestionnaireChanges:
    """A version change read as the questionnaire sees it: items are ("cu", number) for a
    Common Understanding and ("area", code) for a practice area, as answers are matched."""

    new: list[tuple[str, str]]
    removed: list[tuple[str, str]]
    changed: list[tuple[str, str]]

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.removed or self.changed)


def questionnaire_changes(*, old: FrameworkVersion, new: FrameworkVersion) -> QuestionnaireChanges:
    """Items new, removed, and whose text changed (an understanding's text, an area's name or
    the statements shown under it), between the questionnaires of two versions."""
    diff = version_diff(old=old, new=new)

    def items(entries, kind: str, prefix: str) -> set[tuple[str, str]]:
        return {
            (prefix, str(_item(entry).key[0]))
            for entry in entries
            if _kind(entry) == kind and (not isinstance(entry, ChangedItem) or _texts(entry))
        }

    added = items(diff.added, "understanding", "cu") | items(diff.added, "area", "area")
    removed = items(diff.removed, "understanding", "cu") | items(diff.removed, "area", "area")
    statements = {
        ("area", str(_item(entry).key[0]))
        for entry in [*diff.added, *diff.removed, *diff.changed]
        if _kind(entry) == "practice"
    }
    changed = (
        (
            items(diff.changed, "understanding", "cu")
            | items(diff.changed, "area", "area")
            | statements
        )
        - added
        - removed
    )
    return QuestionnaireChanges(
        new=sorted(added, key=_item_order),
        removed=sorted(removed, key=_item_order),
        changed=sorted(changed, key=_item_order),
    )


def _texts(changed: ChangedItem) -> list[FieldChange]:
    return [c for c in changed.changes if c.language]


def _item_order(item: tuple[str, str]) -> tuple:
    kind, key = item
    return (kind != "cu", tuple(int(part) for part in key.split(".") if part.isdigit()))
