"""Questionnaire forms. Messages follow the GOV.UK pattern: they say what to do, naming the item."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.formats import number_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iamm.models import FrameworkVersion, SdgDomain

from ..models import Agency, Answer, Assessment, SdgAnswer, Section
from ..models.sdg import sdg_value_choices
from ..text import CleanTextForm
from ..vocabulary import PART_A_LEVELS, PART_B_LEVELS, TARGET_LEVELS

# The longest free text we accept in one field; more is almost certainly a paste gone wrong.
MAX_TEXT = 10_000


# Fields the questionnaire shares with the workshops' practice assessments (same scales, same
# messages naming the item).


class TextField(forms.CharField):
    """Free text typed in a textarea. Browsers send its lines joined by CRLF whatever was stored,
    so line ends are stored as LF: otherwise a text saved untouched would differ from itself and
    enter the history as a change."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


class IsoDateInput(forms.DateInput):
    """`<input type="date">` only shows a value written YYYY-MM-DD; a date written the
    language's way (30/06/2028) shows as empty and is saved back as empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def level_field(*, part_a: bool, name: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("How far do national law, policy and practice reflect this understanding?")
        if part_a
        else _("Current level"),
        choices=PART_A_LEVELS if part_a else PART_B_LEVELS,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Select the current level for %s") % name},
    )


def not_applicable_field() -> forms.CharField:
    return TextField(
        label=_("If not applicable, explain why"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=MAX_TEXT,
    )


def target_field(*, name: str, **kwargs: Any) -> forms.TypedChoiceField:
    message = _("Select a target level from 0 to 4 for %s") % name
    return forms.TypedChoiceField(
        label=_("Target level"),
        choices=TARGET_LEVELS,
        coerce=int,
        error_messages={"invalid_choice": message, "required": message},
        **kwargs,
    )


def priority_field(*, name: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Priority (optional)"),
        choices=[("", _("Not set")), *Answer.Priority.choices],
        required=False,
        error_messages={"invalid_choice": _("Select a priority for %s") % name},
    )


TOO_LONG = {
    "evidence": _("Shorten the evidence for %(item)s to %(limit)s characters or fewer"),
    "na_justification": _(
        "Shorten the explanation of why %(item)s is not applicable to %(limit)s characters or fewer"
    ),
    "planned_action": _("Shorten the planned action for %(item)s to %(limit)s characters or fewer"),
}


class AnswerForm(CleanTextForm):
    """One questionnaire item. `require_level` is set on "Save and continue" only, so that
    "Save and come back later" keeps whatever has been filled in so far."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        *args: Any,
        answer: Answer,
        agencies: list[Agency],
        require_level: bool = False,
        **kwargs: Any,
    ) -> None:
        self.answer = answer
        self.require_level = require_level
        kwargs.setdefault("prefix", f"a{answer.pk}")
        kwargs.setdefault("initial", self.initial_for(answer))
        super().__init__(*args, **kwargs)
        self.item_name = str(answer.area.name if answer.area_id else answer)
        self.agency_choices: list[tuple[int, str]] = []  # a practice area's, below
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self._add_fields(agencies)

    @staticmethod
    def initial_for(answer: Answer) -> dict[str, Any]:
        initial = {f: getattr(answer, f) for f in Answer.TRACKED_FIELDS}
        initial["responsible_agency"] = answer.responsible_agency_id
        initial["target"] = str(answer.target)
        initial["version"] = answer.version
        return initial

    def _add_fields(self, agencies: list[Agency]) -> None:
        name = self.item_name
        is_area = self.answer.area_id is not None
        self.fields["level"] = level_field(part_a=not is_area, name=name)
        self.fields["evidence"] = TextField(
            label=_("Evidence (optional)"),
            help_text=_("Laws, policies, reports or links that support this answer."),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
            max_length=MAX_TEXT,
        )
        if is_area:
            self._add_practice_fields(agencies)
        # Django's own "Ensure this value has at most 10000 characters" names no item, and the
        # error summary lists the messages of every item of the page.
        limit = {"item": name, "limit": number_format(MAX_TEXT, force_grouping=True)}
        for field, message in TOO_LONG.items():
            if field in self.fields:
                self.fields[field].error_messages["max_length"] = message % limit

    def _add_practice_fields(self, agencies: list[Agency]) -> None:
        """What only a practice area asks: why not applicable, target, and the action plan."""
        name = self.item_name
        self.fields["na_justification"] = not_applicable_field()
        self.fields["target"] = target_field(
            name=name,
            help_text=_("The level your country aims for. 4 unless you set your own ambition."),
        )
        self.fields["priority"] = priority_field(name=name)
        self.fields["responsible_agency"] = forms.ModelChoiceField(
            label=_("Responsible agency (optional)"),
            queryset=Agency.objects.filter(pk__in=[a.pk for a in agencies]),
            required=False,
            empty_label=_("Not set"),
            error_messages={"invalid_choice": _("Select an agency of your country for %s") % name},
        )
        # The list is already loaded: reuse it rather than query once per form.
        self.agency_choices = [(a.pk, a.choice_label) for a in agencies]
        self.fields["responsible_agency"].choices = [("", _("Not set")), *self.agency_choices]
        self.fields["planned_action"] = TextField(
            label=_("Planned action (optional)"),
            widget=forms.Textarea(attrs={"rows": 2}),
            required=False,
            max_length=MAX_TEXT,
        )
        self.fields["target_date"] = forms.DateField(
            label=_("Target date for the action (optional)"),
            help_text=_("For example, 2027-12-31"),
            required=False,
            widget=IsoDateInput(),
            error_messages={"invalid": _("Enter a real target date for %s") % name},
        )

    def clean_target_date(self) -> datetime.date | None:
        value = self.cleaned_data.get("target_date")
        if value and not (2000 <= value.year <= 2100):
            raise forms.ValidationError(
                _("Enter a target date between 2000 and 2100 for %s") % self.item_name
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        level = data.get("level", "")
        if self.require_level and not level and "level" not in self.errors:
            self.add_error("level", _("Select the current level for %s") % self.item_name)
        if level == Answer.Level.NOT_APPLICABLE and not data.get("na_justification", "").strip():
            self.add_error("na_justification", _("Explain why %s does not apply") % self.item_name)
        return data

    def display_key(self) -> str:
        """What an unbound form's fields show beyond the code and the language: each field's
        name and value, and the agencies to choose from. The section page caches the fields'
        markup under it ({% cache %}), so it is drawn again whenever anything it shows
        changes."""
        values = [(bound.html_name, bound.value()) for bound in self]
        return repr((values, self.agency_choices))

    def display_fields(self) -> list[dict[str, Any]]:
        """What `assessments/_answer_fields.html` draws for each field, in one pass.

        The markup is crispy-forms' bootstrap5 markup for this form, attribute for attribute
        (a test compares the two): labels, legends, help texts and errors tied to their
        controls by aria-describedby and aria-invalid. Rendering it through crispy's per-field
        templates and Django's per-option widget templates cost most of a section page."""
        rows = []
        for bound in self:
            field, widget = bound.field, bound.field.widget
            # Plain values, read once: the template reads each id five times or so, and a
            # BoundField recomputes it (and its name) on every read.
            row = {"id": bound.auto_id, "name": bound.html_name}
            if bound.is_hidden:
                rows.append(row | {"kind": "hidden", "value": bound.value()})
                continue
            errors = list(bound.errors)
            described = [f"{row['id']}_helptext"] if field.help_text else []
            described += [f"{row['id']}_error"] if errors else []
            row |= {
                "label": bound.label,
                "help_text": field.help_text,
                "errors": errors,
                "describedby": " ".join(described),
                "required": field.required,
            }
            if isinstance(widget, forms.RadioSelect | forms.Select):
                value = bound.value()
                chosen = "" if value is None else str(value)
                options = [
                    (str(choice), label, str(choice) == chosen) for choice, label in field.choices
                ]
                if isinstance(widget, forms.RadioSelect):
                    row |= {"kind": "radio", "options": radio_options(row, options, errors)}
                else:
                    row |= {"kind": "select", "options": select_options(options)}
            elif isinstance(widget, forms.Textarea):
                row |= {"kind": "textarea", "value": widget.format_value(bound.value())}
                row |= {"attrs": widget.attrs, "max_length": getattr(field, "max_length", None)}
            else:
                row |= {"kind": "date", "value": widget.format_value(bound.value())}
                row["css"] = type(widget).__name__.lower()  # crispy's class: "isodateinput"
            rows.append(row)
        return rows

    def changes(self) -> dict[str, Any]:
        """The cleaned values as model fields."""
        values = {f: self.cleaned_data[f] for f in self.cleaned_data if f != "version"}
        if "priority" in values:
            values["priority"] = values["priority"] or ""
        return values


# The options of a radio group or a select, drawn here rather than by a template loop: a
# section page has a hundred of them, and at eight template nodes each they cost a sixth of the
# page's CPU. The markup is the template's (a test compares it with crispy-forms' own).


def radio_options(row: dict[str, Any], options: list, errors: list) -> SafeString:
    """`row`: the field's row in display_fields, with its id and name."""
    name, auto_id = escape(row["name"]), escape(row["id"])
    invalid = (" is-invalid", ' aria-invalid="true"') if errors else ("", "")
    html = []
    for n, (value, label, checked) in enumerate(options):
        html.append(
            f'<div class="form-check"><input type="radio" class="form-check-input{invalid[0]}"'
            f' name="{name}" value="{escape(value)}" id="{auto_id}_{n}"'
            f'{" checked" if checked else ""}{invalid[1]}><label for="{auto_id}_{n}"'
            f' class="form-check-label">{conditional_escape(label)}</label>'
        )
        if errors and n == len(options) - 1:
            html.append(f'<div id="{auto_id}_error" class="invalid-feedback">')
            html.extend(
                f'<p id="error_{i}_{auto_id}"><strong>{conditional_escape(error)}</strong></p>'
                for i, error in enumerate(errors, start=1)
            )
            html.append("</div>")
        html.append("</div>\n")
    return mark_safe("".join(html))  # every value above is escaped


def select_options(options: list) -> SafeString:
    return mark_safe(  # every value in it is escaped
        "".join(
            f'<option value="{escape(value)}"{" selected" if selected else ""}>'
            f"{conditional_escape(label)}</option>\n"
            for value, label, selected in options
        )
    )


class SectionCompleteForm(CleanTextForm):
    completed = forms.TypedChoiceField(
        label=_("Have you completed this section?"),
        choices=[
            ("yes", _("Yes, I've completed this section")),
            ("no", _("No, I'll come back to it later")),
        ],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        error_messages={"required": _("Select whether you have completed this section")},
    )


class AssessmentCreateForm(CleanTextForm):
    framework_version = forms.ModelChoiceField(
        label=_("Framework version"),
        queryset=FrameworkVersion.objects.selectable(),
        empty_label=None,
        error_messages={"invalid_choice": _("Select a published framework version")},
    )
    cycle = forms.IntegerField(
        label=_("Cycle year"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Enter the cycle year, for example 2026"),
            "invalid": _("Enter the cycle year as a number, for example 2026"),
            "min_value": _("Enter a cycle year between 2000 and 2100"),
            "max_value": _("Enter a cycle year between 2000 and 2100"),
        },
    )
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    previous = forms.ModelChoiceField(
        label=_("Previous cycle (optional)"),
        queryset=Assessment.objects.none(),
        required=False,
        empty_label=_("None"),
        error_messages={"invalid_choice": _("Select one of your country's assessments")},
    )
    copy_answers = forms.BooleanField(
        label=_("Start with a copy of the previous cycle's answers"), required=False
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies taking part (optional)"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select agencies of your country")},
    )

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country = country
        self.fields["framework_version"].initial = FrameworkVersion.objects.current()
        self.fields["previous"].queryset = Assessment.objects.filter(country=country)
        self.fields["agencies"].queryset = Agency.objects.filter(country=country, is_active=True)
        self.fields["agencies"].label_from_instance = lambda agency: agency.choice_label
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        version, cycle = data.get("framework_version"), data.get("cycle")
        if (
            version
            and cycle
            and Assessment.objects.filter(
                country=self.country, framework_version=version, cycle=cycle
            ).exists()
        ):
            self.add_error("cycle", _("Your country already has an assessment for this cycle"))
        if data.get("copy_answers") and not data.get("previous"):
            self.add_error("previous", _("Select the previous cycle to copy answers from"))
        return data


class NextCycleForm(CleanTextForm):
    cycle = AssessmentCreateForm.base_fields["cycle"]
    framework_version = forms.ModelChoiceField(
        label=_("Framework version of the next assessment"),
        queryset=FrameworkVersion.objects.selectable(),
        required=False,  # the current version when the form leaves it out
        empty_label=None,
        widget=forms.Select(
            attrs={"class": "form-select", "aria-describedby": "next-cycle-version-help"}
        ),
        help_text=_(
            "The current version is preselected. Answers are carried over item by item; "
            "new, removed and changed items are listed."
        ),
        error_messages={"invalid_choice": _("Select a published framework version")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].initial = FrameworkVersion.objects.current()

    def clean_framework_version(self) -> FrameworkVersion:
        version = self.cleaned_data["framework_version"] or FrameworkVersion.objects.current()
        if version is None:
            raise forms.ValidationError(_("Select a published framework version"))
        return version


class CommentForm(CleanTextForm):
    # A plain CharField, not TextField: a comment is never saved back over itself, so its line
    # ends are kept as typed (assessments.text), as backups and the history keep them.
    text = forms.CharField(
        label=_("Add a comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={
            "required": _("Enter a comment"),
            "max_length": _("Comments must be 5,000 characters or fewer"),
        },
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Enter a comment"))
        return text


class AssignForm(forms.Form):
    """One agency choice per section."""

    def __init__(self, *args: Any, sections: list[Section], agencies: list[Agency], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", gettext("Not assigned"))] + [(str(a.pk), a.choice_label) for a in agencies]
        for section in sections:
            self.fields[self.field_name(section)] = forms.TypedChoiceField(
                label=str(section),
                choices=choices,
                required=False,
                coerce=int,
                empty_value=None,
                initial=section.agency_id,
                error_messages={
                    "invalid_choice": gettext("Select an agency of your country for %s") % section
                },
            )

    @staticmethod
    def field_name(section: Section) -> str:
        return f"s{section.order}"


class PartCForm(forms.Form):
    """Part C: one radio group per SDG 10.7.2 sub-category, named by its code ("1a" … "6e"),
    offering the answers of its domain's question. `require_all` is set on "Save and continue"
    only, so that "Save and come back later" keeps whatever has been answered so far."""

    # The answers as the page showed them, so that saving sends only what this person changed
    # and never puts back, unseen, an answer someone else has changed since.
    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, answers: list[SdgAnswer], require_all: bool = False, **kwargs: Any
    ) -> None:
        initial = {a.subcategory.code: a.value for a in answers}
        kwargs.setdefault("initial", {**initial, "shown": ",".join(initial.values())})
        super().__init__(*args, **kwargs)
        self.answers = answers
        self.require_all = require_all
        for answer in answers:
            subcategory = answer.subcategory
            name = f"{subcategory.code}. {subcategory.text}"
            self.fields[subcategory.code] = forms.ChoiceField(
                label=subcategory.text,
                choices=sdg_value_choices(subcategory.domain),
                widget=forms.RadioSelect,
                required=False,
                error_messages={
                    "invalid_choice": _("Select one of the answers offered for %s") % name
                },
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.require_all:
            for answer in self.answers:
                code = answer.subcategory.code
                if not data.get(code) and code not in self.errors:
                    self.add_error(
                        code, _("Select an answer for %s") % f"{code}. {answer.subcategory.text}"
                    )
        return data

    def error_list(self) -> list[tuple[forms.Form, str, str]]:
        """The errors for the error summary, in the order of the questions on the page."""
        order = [NON_FIELD_ERRORS, "shown", *self.fields]
        fields = sorted(self.errors, key=order.index)
        return [(self, field, error) for field in fields for error in self.errors[field]]

    def values(self) -> dict[str, str]:
        """The answers this person chose or changed, by sub-category code, for
        `part_c_answers_save`. A radio group cannot be cleared in a browser, so one that comes
        back empty is left as it is: a request without the answers (or without the page's
        record of what it showed) erased every saved answer."""
        seen = self.seen() or {}
        return {
            code: value
            for answer in self.answers
            if (value := self.cleaned_data[(code := answer.subcategory.code)])
            and value != seen.get(code)
        }

    def seen(self) -> dict[str, str] | None:
        """The answers as the page showed them, by code; None if that record did not come
        back whole."""
        codes = [answer.subcategory.code for answer in self.answers]
        shown = self.cleaned_data["shown"].split(",")
        return dict(zip(codes, shown, strict=True)) if len(shown) == len(codes) else None

    def shown_again(self, saved: dict[str, str]) -> dict[str, Any]:
        """This form's data as a page that shows the answers now saved: saving it again
        replaces them with the person's choices."""
        data = self.data.copy()
        data["shown"] = ",".join(saved[answer.subcategory.code] for answer in self.answers)
        return data

    def domains(self) -> list[tuple[SdgDomain, list[forms.BoundField]]]:
        """The radio groups under their domain, in the order of the UN's questionnaire."""
        groups: dict[int, tuple[SdgDomain, list[forms.BoundField]]] = {}
        for answer in self.answers:
            domain = answer.subcategory.domain
            groups.setdefault(domain.number, (domain, []))[1].append(self[answer.subcategory.code])
        return list(groups.values())


class PartCRemoveForm(forms.Form):
    # Shown once Part C has answers; the service refuses to delete them unless it is ticked.
    discard_answers = forms.BooleanField(
        label=_("Yes, delete the answers given in Part C"), required=False
    )
