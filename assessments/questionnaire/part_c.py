"""Part C, SDG indicator 10.7.2: including it in an assessment, saving its answers, and the
UN-method result (writes, then the one read the reports need).

The coordinator decides whether an assessment includes Part C (the view checks
`Action.COORDINATE`); answers are saved like any other answer while the assessment is a draft.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iamm.models import SdgSubcategory

from ..models import Assessment, SdgAnswer, User
from ..scoring.lenses import OfficialResult, sdg_official
from .services import WorkflowError


def _locked_draft(assessment: Assessment) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.accepts_answers:
        raise WorkflowError(_("Part C can only change while the assessment is a draft."))
    return assessment


@transaction.atomic
def part_c_include(*, assessment: Assessment) -> int:
    """Add one empty answer per 10.7.2 sub-category of the assessment's framework version;
    returns how many were added (0 when Part C was already there)."""
    assessment = _locked_draft(assessment)
    subcategories = SdgSubcategory.objects.filter(domain__version=assessment.framework_version_id)
    if not subcategories.exists():
        raise ValidationError(
            _("This framework version has no SDG 10.7.2 sub-categories, so Part C cannot be added.")
        )
    present = set(assessment.sdg_answers.values_list("subcategory_id", flat=True))
    added = SdgAnswer.objects.bulk_create(
        SdgAnswer(assessment=assessment, subcategory=subcategory)
        for subcategory in subcategories
        if subcategory.pk not in present
    )
    return len(added)


@transaction.atomic
def part_c_remove(*, assessment: Assessment, discard_answers: bool = False) -> None:
    """Take Part C out of the assessment. Answers already given are only thrown away when the
    coordinator says so (`discard_answers`), never as a side effect."""
    assessment = _locked_draft(assessment)
    answers = assessment.sdg_answers.all()
    if not discard_answers and answers.exclude(value="").exists():
        raise ValidationError(
            _("Part C already has answers. Confirm that they should be deleted with Part C.")
        )
    answers.delete()


class PartCConflict(Exception):
    """Someone else changed answers this person changed too, since their page showed them:
    nothing was written. `theirs` holds those answers as saved; `saved`, every answer."""

    def __init__(self, theirs: dict[str, str], saved: dict[str, str]) -> None:
        super().__init__(sorted(theirs))
        self.theirs, self.saved = theirs, saved


@transaction.atomic
def part_c_answers_save(
    *,
    assessment: Assessment,
    values: Mapping[str, str],
    user: User,
    seen: Mapping[str, str] | None = None,
) -> list[SdgAnswer]:
    """Save answers keyed by sub-category code ("1a" … "6e"); returns the rows that changed.

    Everything is checked before anything is written: one bad value changes nothing. `seen` is
    what the person's page showed: an answer they changed that someone else has changed since
    raises PartCConflict, as a section page does, instead of replacing it unseen.
    """
    assessment = _locked_draft(assessment)
    rows = {
        answer.subcategory.code: answer
        for answer in assessment.sdg_answers.select_related("subcategory__domain")
    }
    if not rows:
        raise WorkflowError(_("This assessment does not include Part C."))
    unknown = sorted(set(values) - set(rows))
    if unknown:
        raise ValidationError(
            _("There is no SDG 10.7.2 sub-category %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    if seen is not None:
        theirs = {
            code: rows[code].value
            for code, value in values.items()
            if code in seen and rows[code].value not in (seen[code], value)
        }
        if theirs:
            raise PartCConflict(theirs, {code: answer.value for code, answer in rows.items()})
    changed, errors = [], {}
    for code, value in values.items():
        answer = rows[code]
        if answer.value == value:
            continue
        answer.value = value
        try:
            answer.full_clean(exclude=["assessment", "subcategory", "updated_by"])
        except ValidationError as error:
            errors[code] = error.messages
        changed.append(answer)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for answer in changed:
        answer.updated_at, answer.updated_by = now, user
    SdgAnswer.objects.bulk_update(changed, ["value", "updated_at", "updated_by"])
    return changed


def part_c_result(*, assessment: Assessment) -> OfficialResult | None:
    """The UN-method result of the assessment's Part C; None when it does not include Part C."""
    answers = assessment.sdg_answers.values_list(
        "subcategory__domain__number", "subcategory__letter", "value"
    )
    values = {(domain, letter): value for domain, letter, value in answers}
    return sdg_official(values) if values else None
