"""What every admin page of framework content shares.

Translated fields show their English, French and Spanish columns side by side. Content of a
published version is read-only and each page says why; the version being edited shows on every
page, and a row never moves to another version (its parent is fixed once it exists).
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from modeltranslation.utils import get_translation_fields

from assessments.text import validate_text

from ..models import (
    CommonUnderstanding,
    FrameworkVersion,
    PracticeArea,
    PracticeHeading,
    VersionedContent,
)

DRAFT = FrameworkVersion.Status.DRAFT


class AutoSizeTextarea(forms.Textarea):
    """A text box as tall as its text (French runs about a fifth longer than English).

    The rows are counted on the server so the box fits without JavaScript; browsers that know
    `field-sizing: content` (admin.css) also grow it while the editor types.
    """

    def __init__(self, attrs=None, *, cols: int = 40, min_rows: int = 2, max_rows: int = 24):
        super().__init__({"cols": cols, "class": "iamm-autosize", **(attrs or {})})
        self.cols, self.min_rows, self.max_rows = cols, min_rows, max_rows

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        text = str(value or "")
        lines = sum(1 + len(line) // self.cols for line in text.splitlines() or [""])
        context["widget"]["attrs"]["rows"] = max(self.min_rows, min(self.max_rows, lines + 1))
        return context


TEXT_WIDGETS = {models.TextField: {"widget": AutoSizeTextarea}}


class ContentMedia:
    css = {"all": ["iamm/admin.css"]}


def langs(field: str) -> tuple[str, ...]:
    """The language columns of a translated field, for one row of a fieldset."""
    return tuple(get_translation_fields(field))


def is_frozen(obj: object) -> bool:
    if isinstance(obj, FrameworkVersion):
        return obj.is_published
    if isinstance(obj, VersionedContent):
        return obj.framework_version().is_published
    return False


def draft_exists() -> bool:
    return FrameworkVersion.objects.filter(status=DRAFT).exists()


def understanding_label(understanding: CommonUnderstanding) -> str:
    """How an understanding reads in a drop-down: its number and the start of its text."""
    return f"{understanding.number}. {Truncator(understanding.text).chars(90)}"


class CleanText:
    """The app's one text rule (assessments.text) on every text field of an admin form: the
    content models' plain text fields let control characters through, and publishing froze
    them into the public pages."""

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(field, forms.CharField) and validate_text not in field.validators:
            field.validators.append(validate_text)
        return field


class FrozenWhenPublished:
    """Objects of a published version (or inlines under one) are shown, never changed."""

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not is_frozen(obj) and super().has_delete_permission(request, obj)


class ContentAdmin(CleanText, FrozenWhenPublished, TranslationAdmin):
    """Versioned content: new rows only go into a draft version; a row keeps its parent."""

    formfield_overrides = TEXT_WIDGETS
    change_form_template = "admin/iamm/content_change_form.html"
    Media = ContentMedia
    # The foreign key that places the row in its version; fixed once the row exists.
    parent_field = "version"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and draft_exists()

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, self.parent_field] if obj is not None else fields

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        parent = self.parent_field

        class WithinItsParent(form):
            # Read only once the row exists, the parent left the form, and with it the model's
            # checks: a number already used in the same version went unchecked to the
            # database's own constraint (a server error). The row still has its parent.
            def _get_validation_exclusions(self):
                return super()._get_validation_exclusions() - {parent}

        return WithinItsParent

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", draft_choices(db_field.name))
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "understanding" and field is not None:
            field.label_from_instance = understanding_label
        return field

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        version = obj.framework_version() if obj is not None else None
        context.update(framework_version=version, frozen=is_frozen(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)


class LabelledInlineFormSet(BaseInlineFormSet):
    """A tabular inline's inputs name themselves: the column header is no label for a screen
    reader (axe: "Form elements must have labels"), so each input carries its field's name."""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        row = _("row %(number)s") % {"number": index + 1} if index is not None else ""
        for name, field in form.fields.items():
            label = gettext("Delete") if name == "DELETE" else capfirst(str(field.label or name))
            # A foreign key's select sits inside the admin's wrapper with its add/change links.
            widget = getattr(field.widget, "widget", field.widget)
            widget.attrs.setdefault("aria-label", f"{label}, {row}" if row else label)


class ContentInline(CleanText, FrozenWhenPublished, TranslationTabularInline):
    formfield_overrides = TEXT_WIDGETS
    formset = LabelledInlineFormSet
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return not is_frozen(obj) and super().has_add_permission(request, obj)


def draft_choices(field_name: str) -> QuerySet | None:
    """Choices for a foreign key of content: only rows of draft versions can take new content."""
    if field_name == "version":
        return FrameworkVersion.objects.filter(status=DRAFT)
    if field_name == "heading":
        return PracticeHeading.objects.filter(version__status=DRAFT).select_related("version")
    if field_name == "understanding":
        return CommonUnderstanding.objects.filter(version__status=DRAFT).select_related("version")
    if field_name == "area":
        return PracticeArea.objects.filter(heading__version__status=DRAFT).select_related(
            "heading__version"
        )
    return None


def same_version_choices(field_name: str, parent_model, request: HttpRequest) -> QuerySet:
    """Choices for an inline's foreign key: rows of the version of the parent being edited."""
    queryset = draft_choices(field_name)
    match = request.resolver_match
    object_id = match.kwargs.get("object_id") if match else None
    parent = parent_model.objects.filter(pk=object_id).first() if object_id else None
    if parent is None:
        return queryset
    version_field = "heading__version" if field_name == "area" else "version"
    return queryset.filter(**{version_field: parent.framework_version().pk})


class CrosswalkLinkForm(forms.ModelForm):
    def _post_clean(self) -> None:
        # CrosswalkLink.clean() reads both ends of the link; without them there is nothing to
        # compare, and the missing field already has its own error.
        if self.has_error("heading") or self.has_error("understanding"):
            return
        super()._post_clean()
