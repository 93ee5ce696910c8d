"""Read queries of the questionnaire pages, each in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from iamm.diff import questionnaire_changes
from iamm.models import CrosswalkLink, Practice, SdgDomain, SdgSubcategory

from ..models import Agency, Answer, AnswerChange, Assessment, Comment, SdgAnswer, Section, User
from ..scoring.lenses import DomainResult, OfficialResult, sdg_official
from ..vocabulary import SectionStatus

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
    """The section's answers in order, with their comment counts."""
    return list(
        section.answers.select_related("area", "understanding", "responsible_agency", "updated_by")
        .annotate(comment_count=Count("comments"))
        .order_by("area__order", "understanding__number")
    )


def answers_with_guidance(answers: list[Answer]) -> list[Answer]:
    """The answers with the guidance the section page shows beside each item: a practice
    area's practices, a Common Understanding's headings (two queries, whatever the number of
    items). Asked for by editing.Guidance only when the page draws them."""
    prefetch_related_objects(
        answers,
        Prefetch("area__practices", queryset=Practice.objects.order_by("order")),
        Prefetch(
            "understanding__crosswalk_links",
            queryset=CrosswalkLink.objects.select_related("heading"),
        ),
    )
    return answers


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


# Part C, SDG indicator 10.7.2 ------------------------------------------------------------------


@dataclass(frozen=True)
class PartCProgress:
    """How many of Part C's sub-categories are answered. Its status follows that count: the
    UN's questions have no "complete" mark of their own, and an answered sub-category is final
    until changed."""

    answered: int
    total: int  # 0: the assessment does not include Part C

    @property
    def included(self) -> bool:
        return self.total > 0

    @property
    def status(self) -> SectionStatus:
        if not self.answered:
            return SectionStatus.NOT_STARTED
        if self.answered < self.total:
            return SectionStatus.IN_PROGRESS
        return SectionStatus.COMPLETED

    def get_status_display(self) -> str:
        return str(self.status.label)


@dataclass(frozen=True)
class PartCDomain:
    domain: SdgDomain
    answers: list[SdgAnswer]
    result: DomainResult  # the UN method: value and band, or the letters still unanswered


@dataclass(frozen=True)
class PartC:
    domains: list[PartCDomain]
    result: OfficialResult

    @property
    def answers(self) -> list[SdgAnswer]:
        return [answer for domain in self.domains for answer in domain.answers]

    @property
    def progress(self) -> PartCProgress:
        answers = self.answers
        return PartCProgress(answered=sum(a.is_answered for a in answers), total=len(answers))


def part_c_progress(assessment: Assessment) -> PartCProgress:
    """For the task list: one query whatever the number of sub-categories."""
    counts = assessment.sdg_answers.aggregate(
        total=Count("pk"), answered=Count("pk", filter=~Q(value=""))
    )
    return PartCProgress(**counts)


def part_c_available(assessment: Assessment) -> bool:
    """Whether the assessment's framework version has the 10.7.2 content Part C asks about."""
    return SdgSubcategory.objects.filter(domain__version=assessment.framework_version_id).exists()


def part_c_or_none(assessment: Assessment) -> PartC | None:
    """Part C's answers by domain with the UN-method result, in one query; None when the
    assessment does not include Part C."""
    answers = list(
        assessment.sdg_answers.select_related("subcategory__domain").order_by(
            "subcategory__domain__number", "subcategory__letter"
        )
    )
    if not answers:
        return None
    codes = {(a.subcategory.domain.number, a.subcategory.letter): a.value for a in answers}
    result = sdg_official(codes)
    by_domain: dict[int, list[SdgAnswer]] = {}
    for answer in answers:
        by_domain.setdefault(answer.subcategory.domain.number, []).append(answer)
    results = {domain.domain: domain for domain in result.domains}
    domains = [
        PartCDomain(domain=rows[0].subcategory.domain, answers=rows, result=results[number])
        for number, rows in by_domain.items()
    ]
    return PartC(domains=domains, result=result)


def get_part_c(assessment: Assessment) -> PartC:
    """Part C, or 404 when the assessment does not include it."""
    part_c = part_c_or_none(assessment)
    if part_c is None:
        raise Http404("This assessment does not include Part C.")
    return part_c
