"""Workshop forms. The practice item form uses the questionnaire's own scales and messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from assessments.models import Workshop, WorkshopSection
from assessments.models.training import FIRST_DAY, LAST_DAY
from assessments.questionnaire.forms import (
    MAX_TEXT,
    level_field,
    not_applicable_field,
    priority_field,
    target_field,
)
from iamm.models import FrameworkVersion, PracticeHeading, RegionalProcess

from ..text import CleanTextForm, normalize_text, validate_text
from .selectors import PracticeItem


def _clean_text(value: str) -> str:
    """The app's one text rule (`assessments.text`), for the model form too."""
    validate_text(value)
    return normalize_text(value).strip()


def _within_years(message: str) -> list:
    return [MinValueValidator(FIRST_DAY, message), MaxValueValidator(LAST_DAY, message)]


class WorkshopForm(CleanTextForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the workshop")},
    )
    starts_on = forms.DateField(
        label=_("First day"),
        help_text=_("For example, 2027-03-15"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=_within_years(_("Enter a first day between 2000 and 2100")),
        error_messages={
            "required": _("Enter the workshop's first day"),
            "invalid": _("Enter a real date for the first day"),
        },
    )
    ends_on = forms.DateField(
        label=_("Last day"),
        help_text=_("For example, 2027-03-16"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=_within_years(_("Enter a last day between 2000 and 2100")),
        error_messages={
            "required": _("Enter the workshop's last day"),
            "invalid": _("Enter a real date for the last day"),
        },
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    framework_version = forms.ModelChoiceField(
        label=_("Framework version"),
        queryset=FrameworkVersion.objects.published(),
        empty_label=None,
        error_messages={"invalid_choice": _("Select a published framework version")},
    )
    regional_process = forms.ModelChoiceField(
        label=_("Regional process (optional)"),
        queryset=RegionalProcess.objects.all(),
        required=False,
        empty_label=_("None"),
        error_messages={"invalid_choice": _("Select a regional process from the list")},
    )
    part_a = forms.BooleanField(
        label=_("Part A – Common Understandings"), required=False, initial=True
    )
    headings = forms.TypedMultipleChoiceField(
        label=_("Effective practice headings in scope"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select headings from the list")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Headings are offered by number; the chosen version's own headings are used on save.
        latest = FrameworkVersion.objects.published().order_by("-published_at").first()
        titles = PracticeHeading.objects.filter(version=latest) if latest else []
        self.fields["headings"].choices = [(h.number, str(h)) for h in titles]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day must be on or after the first day"))
        if not data.get("part_a") and not data.get("headings") and "headings" not in self.errors:
            self.add_error("headings", _("Select Part A or at least one heading"))
        version = data.get("framework_version")
        if version and data.get("headings"):
            data["heading_objects"] = list(
                PracticeHeading.objects.filter(version=version, number__in=data["headings"])
            )
        else:
            data["heading_objects"] = []
        return data


class CaseTextForm(forms.ModelForm):
    class Meta:
        model = WorkshopSection
        fields = ["case_text"]
        labels = {"case_text": _("Case text (optional)")}
        help_texts = {
            "case_text": _(
                "A fictional country's situation that participants assess, so that nobody has "
                "to reveal their own government's position."
            )
        }
        widgets = {"case_text": forms.Textarea(attrs={"rows": 10})}

    def clean_case_text(self) -> str:
        return _clean_text(self.cleaned_data["case_text"])


class JoinForm(CleanTextForm):
    code = forms.CharField(
        label=_("Workshop code"),
        help_text=_("The 8 letters and digits your facilitator shows, for example ABCD-2345"),
        max_length=20,
        error_messages={"required": _("Enter the workshop code")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    display_name = forms.CharField(
        label=_("Your name for this workshop"),
        help_text=_("A first name or a nickname is enough."),
        max_length=60,
        error_messages={
            "required": _("Enter a name for this workshop"),
            "max_length": _("Names must be 60 characters or fewer"),
        },
    )
    show_name = forms.BooleanField(
        label=_("Show my name beside the evidence I give (otherwise it is anonymous)"),
        required=False,
    )

    def clean_code(self) -> str:
        return Workshop.normalize_code(self.cleaned_data["code"])

    def clean_display_name(self) -> str:
        name = _clean_text(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError(_("Enter a name for this workshop"))
        return name


class PracticeItemForm(CleanTextForm):
    """One item of a practice assessment. Nothing is required: participants may leave items
    for the discussion, and "Not applicable" asks for a reason, as in the questionnaire."""

    def __init__(self, *args: Any, item: PracticeItem, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", item.key)
        super().__init__(*args, **kwargs)
        self.item = item
        name = item.name
        self.fields["level"] = level_field(part_a=item.is_part_a, name=name)
        self.fields["evidence"] = forms.CharField(
            label=_("Evidence (optional)"),
            help_text=_("What in the case supports your answer?"),
            widget=forms.Textarea(attrs={"rows": 2}),
            required=False,
            max_length=MAX_TEXT,
        )
        if item.is_part_a:
            return
        self.fields["justification"] = not_applicable_field()
        self.fields["target"] = target_field(name=name, initial="4")
        self.fields["priority"] = priority_field(name=name)

    def clean_evidence(self) -> str:
        return _clean_text(self.cleaned_data["evidence"])

    def clean_justification(self) -> str:
        return _clean_text(self.cleaned_data["justification"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("level") == "na" and not data.get("justification"):
            self.add_error("justification", _("Explain why %s does not apply") % self.item.name)
        return data


def item_forms(
    items: list[PracticeItem], answers: dict, data: Any = None
) -> list[PracticeItemForm]:
    forms_ = []
    for item in items:
        answer = answers.get(item.key)
        initial = {}
        if answer is not None:
            initial = {
                "level": answer.level,
                "evidence": answer.evidence,
                "justification": answer.justification,
                "target": str(answer.target),
                "priority": answer.priority,
            }
        forms_.append(PracticeItemForm(data, item=item, initial=initial))
    return forms_
