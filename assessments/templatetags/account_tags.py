"""Error messages for django.contrib.auth's forms in the GOV.UK style.

The sign-in and password views are Django's own; their forms say "This field is required."
where GOV.UK asks for what to do ("Enter your password"). This filter swaps those messages,
keyed by field and error code, and returns the list the error summary partial expects.
"""

from __future__ import annotations

from django import forms, template
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

register = template.Library()

MESSAGES = {
    ("username", "required"): _("Enter your username"),
    ("password", "required"): _("Enter your password"),
    ("__all__", "invalid_login"): _(
        "Enter a correct username and password. Both are case-sensitive."
    ),
    ("old_password", "required"): _("Enter your current password"),
    ("old_password", "password_incorrect"): _(
        "Your current password is not correct. Enter it again."
    ),
    ("new_password1", "required"): _("Enter a new password"),
    ("new_password2", "required"): _("Enter the new password again"),
    ("new_password2", "password_mismatch"): _(
        "The two passwords are not the same. Enter the same password twice."
    ),
    ("email", "required"): _("Enter your email address"),
    ("email", "invalid"): _("Enter an email address in the correct format, like name@example.org"),
}


@register.filter
def auth_form_errors(form: forms.Form) -> list[tuple[forms.Form, str, str]]:
    """Rewrite the form's errors in place (so inline messages match the summary) and list them."""
    for field, errors in form.errors.items():
        errors.data = [
            ValidationError(MESSAGES[(field, error.code)], code=error.code)
            if (field, error.code) in MESSAGES
            else error
            for error in errors.as_data()
        ]
    return [(form, field, message) for field, errors in form.errors.items() for message in errors]
