"""The freeze of published versions at the entrance the models cannot guard: fixture loading.

`loaddata` saves rows raw, bypassing `save()`, so without this a fixture could rewrite a published
Common Understanding under existing assessments. Each raw save of framework content is compared
with the stored row; a difference in a published version stops the whole load (it runs in one
transaction) with a message naming the version and the first difference. A fixture may still add
a new version, published or not, with its content, and may change drafts freely.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from django.core.management.base import CommandError
from django.db import connections, models
from django.utils.translation import gettext as _

from .models import FrameworkVersion, VersionedContent, first_difference

# Codes of the versions a running load created, per outermost transaction: loaddata runs in one,
# and its content may be added to a version it created. Keyed weakly, so the record goes with
# the transaction (a rolled-back load leaves nothing behind).
_created_in_load: WeakKeyDictionary[object, set[str]] = WeakKeyDictionary()


class FrozenFixtureError(CommandError):
    """A fixture would change a published version.

    A CommandError, because raw saves come from loaddata: it then stops with this message
    (exit status 1) instead of a traceback.
    """


def _load_scope(using: str) -> set[str] | None:
    blocks = connections[using].atomic_blocks
    if not blocks:
        return None
    return _created_in_load.setdefault(blocks[0], set())


def _refuse(version: FrameworkVersion, instance: models.Model, difference: str) -> None:
    raise FrozenFixtureError(
        _(
            "The framework version %(version)s is published and cannot be changed by a fixture "
            "(%(item)s: %(difference)s). Nothing was loaded. Load the change into a draft "
            "version instead."
        )
        % {
            "version": version.code,
            "item": f"{instance._meta.verbose_name} {' '.join(map(str, instance.natural_key()))}",
            "difference": difference,
        }
    )


def _describe(difference: tuple[str, object, object]) -> str:
    field, old, new = difference
    return _("%(field)s would change from “%(old)s” to “%(new)s”") % {
        "field": field,
        "old": _short(old),
        "new": _short(new),
    }


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def check_raw_save(
    sender, instance: models.Model, raw: bool = False, using: str = "default", **kwargs
) -> None:
    if not raw:
        return  # ordinary saves are checked by the models themselves
    if isinstance(instance, FrameworkVersion):
        _check_version(instance, _load_scope(using))
    elif isinstance(instance, VersionedContent):
        _check_content(instance, _load_scope(using))


def _check_version(instance: FrameworkVersion, created: set[str] | None) -> None:
    stored = FrameworkVersion.objects.filter(pk=instance.pk).first() if instance.pk else None
    if stored is None:
        if created is not None:
            created.add(instance.code)  # its primary key is only known once it is inserted
        return
    # Fixtures carry content; whether a stored version is current or retired is decided in the
    # admin, so reloading the README's fixtures never resets it.
    for name in FrameworkVersion.LIFECYCLE_FIELDS:
        setattr(instance, name, getattr(stored, name))
    difference = first_difference(stored, instance)
    if stored.is_published and difference:
        _refuse(stored, instance, _describe(difference))


def _check_content(instance: VersionedContent, created: set[str] | None) -> None:
    version = instance.framework_version()
    if not version.is_published or version.code in (created or ()):
        return
    stored = type(instance).objects.filter(pk=instance.pk).first() if instance.pk else None
    if stored is None:
        _refuse(version, instance, _("it would be added"))
    difference = first_difference(stored, instance)
    if difference:
        _refuse(version, instance, _describe(difference))
    if stored.framework_version().pk != version.pk:
        _refuse(stored.framework_version(), instance, _("it would move to another version"))
