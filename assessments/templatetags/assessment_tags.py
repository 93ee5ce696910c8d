from __future__ import annotations

from django import forms, template

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


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, key)
