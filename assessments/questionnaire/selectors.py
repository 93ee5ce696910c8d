"""Read queries of the questionnaire pages, each in a constant number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from iamm.diff import questionnaire_changes
from iamm.models import CrosswalkLink, Practice

from ..models import Agency, Answer, AnswerChange, Assessment, Comment, Section, User

ANSWERED = Count("answers", filter=~Q(answers__level=""))


def dashboard_assessments(user: User) -> QuerySet[Assessment]:
    return (
        Assessment.objects.for_user(user)
        .select_related("framework_version")
        .annotate(answered=ANSWERED, total=Count("answers"))
    )


def sections_with_progress(assessment: Assessment) -> list[Section]:
    """The assessment's sections in order, each with `answered` and `total` item counts."""
    sections = list(
        assessment.sections.select_related("heading", "agency").annotate(
            answered=ANSWERED, total=Count("answers")
        )
    )
    for section in sections:
        section.assessment = assessment
    return sections


def section_answers(section: Section) -> list[Answer]:
    """The section's answers with everything the page shows."""
    return list(
        section.answers.select_related("area", "understanding", "responsible_agency", "updated_by")
        .prefetch_related(
            Prefetch("area__practices", queryset=Practice.objects.order_by("order")),
            Prefetch(
                "understanding__crosswalk_links",
                queryset=CrosswalkLink.objects.select_related("heading"),
            ),
        )
        .annotate(comment_count=Count("comments"))
        .order_by("area__order", "understanding__number")
    )


def assessment_answers(assessment: Assessment) -> list[Answer]:
    """Every answer, in questionnaire order, for the check-answers page."""
    return list(
        assessment.answers.select_related(
            "area", "understanding", "responsible_agency", "section"
        ).order_by("section__order", "area__order", "understanding__number")
    )


def active_agencies(country: str) -> list[Agency]:
    return list(Agency.objects.filter(country=country, is_active=True))


def assessment_answer(assessment: Assessment, answer_id: int) -> Answer:
    """One answer of the assessment (404 for another assessment's)."""
    return get_object_or_404(
        assessment.answers.select_related("area__heading", "understanding", "section"),
        pk=answer_id,
    )


def answer_history(answer: Answer) -> QuerySet[AnswerChange]:
    return answer.changes.select_related("changed_by")


def answer_comments(answer: Answer) -> QuerySet[Comment]:
    return answer.comments.select_related("author")


def version_move_summary(*, previous: Assessment, following: Assessment) -> str:
    """What moving from the previous cycle's version to the new one changed, item by item."""
    changes = questionnaire_changes(old=previous.framework_version, new=following.framework_version)
    parts = [
        _(
            "This cycle uses the framework version %(new)s instead of %(old)s. Answers were "
            "carried over wherever the item is unchanged in its number or code."
        )
        % {"new": following.framework_version.code, "old": previous.framework_version.code}
    ]
    for label, items in (
        (_("New items, to answer"), changes.new),
        (_("Items removed"), changes.removed),
        (_("Items whose text changed, to check"), changes.changed),
    ):
        if items:
            parts.append(f"{label}: {', '.join(_item_label(item) for item in items)}.")
    if changes.is_empty:
        parts.append(_("No item of the questionnaire changed."))
    return " ".join(parts)


def _item_label(item: tuple[str, str]) -> str:
    kind, key = item
    return _("Common Understanding %(number)s") % {"number": key} if kind == "cu" else key


def answer_counts(assessment: Assessment) -> dict[str, int]:
    """How many items the assessment has, how many are answered, how many "Don't know"."""
    return assessment.answers.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=~Q(level="")),
        dont_know=Count("pk", filter=Q(level="dk")),
    )
