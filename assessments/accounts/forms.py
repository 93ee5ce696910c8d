"""Team forms: a country's users and agencies. The country never comes from the form; the
agency choices are the coordinator's country's, so a tampered id is an invalid choice."""

from __future__ import annotations

import math
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import Agency, User
from ..text import CleanTextForm
from ..vocabulary import ROLE_DESCRIPTIONS


class _TeamForm(CleanTextForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class UserForm(_TeamForm):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        error_messages={
            "required": _("Enter the person's first name"),
            "max_length": _("First name must be 150 characters or fewer"),
        },
    )
    last_name = forms.CharField(
        label=_("Last name (optional)"),
        max_length=150,
        required=False,
        error_messages={"max_length": _("Last name must be 150 characters or fewer")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The link to choose a password is sent to this address."),
        max_length=254,
        error_messages={
            "required": _("Enter the person's email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
            "max_length": _("Email address must be 254 characters or fewer"),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=ROLE_DESCRIPTIONS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a role"),
            "invalid_choice": _("Select a role"),
        },
    )
    agency = forms.ModelChoiceField(
        label=_("Agency (optional)"),
        help_text=_(
            "Contributors answer the sections assigned to their agency, or every section "
            "while none is assigned."
        ),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("None"),
        error_messages={"invalid_choice": _("Select an agency of your country")},
    )

    def __init__(self, *args: Any, country: str, user: User | None = None, **kwargs: Any) -> None:
        self.country = country
        self.user = user
        if user is not None:
            kwargs.setdefault(
                "initial",
                {
                    "first_name": user.first_name,
                    "last_name": user.last_name,
                    "email": user.email,
                    "role": user.role,
                    "agency": user.agency_id,
                },
            )
        super().__init__(*args, **kwargs)
        # A deactivated agency stays selectable for the people already in it.
        current = user.agency_id if user is not None else None
        self.fields["agency"].queryset = Agency.objects.filter(
            Q(is_active=True) | Q(pk=current), country=country
        )
        self.fields["agency"].label_from_instance = lambda agency: agency.name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        others = User.objects.filter(email__iexact=email)
        if self.user is not None:
            others = others.exclude(pk=self.user.pk)
        if others.exists():
            raise forms.ValidationError(_("Another account already uses this email address"))
        return email


class UserCreateForm(UserForm):
    username = forms.CharField(
        label=_("Username"),
        help_text=_("Used to sign in. Letters, digits and @ . + - _ only."),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        error_messages={
            "required": _("Enter a username"),
            "max_length": _("Username must be 150 characters or fewer"),
        },
    )
    field_order = ["username", "first_name", "last_name", "email", "role", "agency"]

    def clean_username(self) -> str:
        typed = self.cleaned_data["username"]
        # Compared as it will be stored: `ＣＯＯＲＤＩＮＡＴＯＲ` is `coordinator`.
        username = User.normalize_username(typed)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("The username %(username)s is already taken. Choose another one")
                % {"username": typed}
            )
        return username


class AgencyForm(_TeamForm):
    name = forms.CharField(
        label=_("Name"),
        help_text=_("For example, Ministry of Labour"),
        max_length=200,
        error_messages={
            "required": _("Enter the agency's name"),
            "max_length": _("The name must be 200 characters or fewer"),
        },
    )
    short_name = forms.CharField(
        label=_("Short name (optional)"),
        help_text=_("Shown in tables and reports, for example MoL"),
        max_length=40,
        required=False,
        error_messages={"max_length": _("The short name must be 40 characters or fewer")},
    )

    def __init__(
        self, *args: Any, country: str, agency: Agency | None = None, **kwargs: Any
    ) -> None:
        self.country = country
        self.agency = agency
        if agency is not None:
            kwargs.setdefault("initial", {"name": agency.name, "short_name": agency.short_name})
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = Agency.objects.filter(country=self.country, name__iexact=name)
        if self.agency is not None:
            others = others.exclude(pk=self.agency.pk)
        if others.exists():
            raise forms.ValidationError(
                _("Your country already has an agency called %(name)s") % {"name": name}
            )
        return name


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("The 6-digit code, for example 123456"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the 6-digit code from your authenticator app"),
            "invalid": _("Enter the code as 6 digits, for example 123456"),
        },
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        # After wrong codes the device refuses every code for a while, the right one too:
        # saying the code is wrong then sent people to retype a right one.
        allowed, details = self.device.verify_is_allowed()
        if not allowed and (until := (details or {}).get("locked_until")):
            seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
            wait = ngettext(
                "Too many wrong codes. Wait %(seconds)s second, then enter the newest code.",
                "Too many wrong codes. Wait %(seconds)s seconds, then enter the newest code.",
                seconds,
            )
            raise forms.ValidationError(wait % {"seconds": seconds})
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                gettext("The code is not right, or it has expired. Enter the newest code.")
            )
        return token
