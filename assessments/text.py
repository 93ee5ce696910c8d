"""What text may enter the database: one rule, applied by every form (`CleanTextForm`), every
model text field (`CleanCharField`, `CleanTextField`, so the admin and `full_clean` too) and the
audit log (`escape_refused`).

Text is stored in Unicode normal form C, so that the same words typed on two keyboards are the
same string (search, uniqueness, sorting). Characters that XML 1.0 cannot hold, and that no
one types on purpose, are refused with a message: control characters other than tab and line
ends, unpaired surrogates and the non-characters (U+FFFE, U+FFFF, U+FDD0–U+FDEF and the last
two of every plane). They break backups and reports and hide text from readers. Line ends are
kept as typed (`\\r\\n` from a browser). User names are folded further (`normalize_username`),
so that look-alikes such as full-width `ＡＤＭＩＮ` are the same account as `admin`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

REFUSED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
    )
    + "]"
)


def validate_text(value: Any) -> None:
    if isinstance(value, str) and REFUSED.search(value):
        raise ValidationError(_("Remove the control characters from this text."), code="control")


def normalize_text(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def normalize_username(value: Any) -> Any:
    """NFKC with case folding: compatibility look-alikes (full-width, ligatures) and case
    variants of a name are one account."""
    if not isinstance(value, str):
        return value
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())


def escape_refused(value: str) -> str:
    """What someone typed, kept for the audit log with each refused character written as an
    escape (`\\x01`, `\\uffff`), so the log shows it without storing it."""
    return REFUSED.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), value)


class CleanTextForm(forms.Form):
    """Base of the app's forms: every text field is normalised before any `clean_<field>`
    sees it (a uniqueness check compares what will be stored) and refuses what `REFUSED`
    matches. Applied when the form is cleaned, so fields added in `__init__` are covered."""

    def full_clean(self) -> None:
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and validate_text not in field.validators:
                field.validators.append(validate_text)
                field.to_python = _normalizing(field.to_python)
        super().full_clean()


def _normalizing(to_python: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: normalize_text(to_python(value))


class CleanTextMixin:
    """Model text fields: the same rule for the admin's forms and for `full_clean`."""

    default_validators = [validate_text]

    def to_python(self, value: Any) -> Any:
        return normalize_text(super().to_python(value))


class CleanCharField(CleanTextMixin, models.CharField):
    pass


class CleanTextField(CleanTextMixin, models.TextField):
    pass
