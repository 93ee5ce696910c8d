"""The sharing form. The assessment is posted as a bare id: the view looks it up among the
user's own country's assessments (another country's answers 404) and the service refuses a
draft or another framework version (403), so a forged id never reaches a share."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

NAMED = "named"
ANONYMOUS = "anonymous"


class ShareForm(forms.Form):
    assessment = forms.IntegerField(
        label=_("Which assessment do you want to share?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the assessment to share"),
            "invalid": _("Select the assessment to share"),
        },
    )
    visibility = forms.ChoiceField(
        label=_("How should your country appear?"),
        choices=[
            (NAMED, _("Under its name")),
            (ANONYMOUS, _("Anonymously, as “a member State”")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how your country should appear"),
            "invalid_choice": _("Select how your country should appear"),
        },
    )

    def __init__(self, *args, assessments=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessment"].widget.choices = [
            (a.pk, f"{a.title} ({a.cycle})") for a in assessments
        ]

    @property
    def anonymous(self) -> bool:
        return self.cleaned_data["visibility"] == ANONYMOUS
