"""Forms of the offline workbook: the upload, and the decision on each conflict."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .workbook_apply import ItemChange
from .workbook_file import limit, too_big_problem


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in workbook (.xlsx)"),
        help_text=_("The workbook downloaded from this assessment, with your answers."),
        error_messages={
            "required": _("Select the workbook to upload"),
            "empty": _("The selected file is empty. Select the filled-in workbook"),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused from its declared size, before a byte of it is read.
        if upload.size > limit("WORKBOOK_MAX_UPLOAD_BYTES"):
            raise forms.ValidationError(too_big_problem().message)
        return upload


DECISIONS = [
    ("online", _("Keep the answer saved online")),
    ("workbook", _("Take the answer from the workbook")),
]


class ConflictDecisionForm(forms.Form):
    """One choice per conflict: the person, not the app, decides whose answer stays."""

    def __init__(self, *args: Any, conflicts: list[ItemChange], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for change in conflicts:
            name = str(change.answer)
            self.fields[change.decision_field] = forms.ChoiceField(
                label=_("Which answer do you keep for %s?") % name,
                choices=DECISIONS,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose which answer to keep for %s") % name},
            )

    def decisions(self) -> dict[int, str]:
        return {int(key.split("-")[1]): value for key, value in self.cleaned_data.items()}
