from __future__ import annotations

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from assessments import vocabulary

register = template.Library()


@register.filter
def field_anchor(form: forms.Form, name: str) -> str:
    """The id an error summary links to: the field, or its first option for radios."""
    field = form[name]
    widget_id = field.auto_id
    if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{widget_id}_0"
    return widget_id


@register.filter
def form_errors(form: forms.Form) -> list[tuple[forms.Form, str, str]]:
    """A single form's errors in the shape the error summary partial expects."""
    return [(form, field, error) for field, errors in form.errors.items() for error in errors]


# A status's badge class by its tone (vocabulary.STATUS_TONES); anything else is not started.
BADGE_CLASSES = {"done": "text-bg-success", "active": "text-bg-primary"}


@register.filter
def status_badge(item) -> SafeString:
    """The badge of an assessment's, section's or Part C's status. A filter, not an included
    template: the task list draws twenty, and an include cost more than the rest of its row."""
    tone = vocabulary.STATUS_TONES.get(item.status, "")
    css = BADGE_CLASSES.get(tone, "text-bg-light border text-dark")
    return format_html('<span class="badge {}">{}</span>', css, item.get_status_display())


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, key)


@register.filter
def level_label(answer) -> str:
    """The answer's level with its wording ("3 – Partially implemented"), never a bare number;
    "" when unanswered."""
    return vocabulary.level_label(answer.level, part_a=answer.area_id is None)


@register.filter
def band_label(key: str | None) -> str:
    """A band's words ("Partially meets"); "" for no band."""
    return vocabulary.band_label(key)
