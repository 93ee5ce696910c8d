"""The blank questionnaire of a framework version, as a PDF for workshops and offline work."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.translation import get_language, override

from iamm.models import FrameworkVersion, Practice, PracticeArea

from ..vocabulary import PART_A_LEVELS, PART_B_LEVELS, Priority


@dataclass
class BlankQuestionnaire:
    version: FrameworkVersion
    language: str
    understandings: list
    headings: list
    part_a_levels: list = field(default_factory=lambda: PART_A_LEVELS)
    part_b_levels: list = field(default_factory=lambda: PART_B_LEVELS)
    targets: list = field(default_factory=lambda: list(range(5)))
    priorities: list = field(default_factory=lambda: Priority.choices)


def build_blank(version: FrameworkVersion) -> BlankQuestionnaire:
    """The questionnaire of a framework version, in four queries."""
    headings = list(
        version.headings.order_by("number").prefetch_related(
            Prefetch(
                "areas",
                queryset=PracticeArea.objects.order_by("order").prefetch_related(
                    Prefetch("practices", queryset=Practice.objects.order_by("order"))
                ),
            )
        )
    )
    return BlankQuestionnaire(
        version=version,
        language=get_language(),
        understandings=list(version.understandings.order_by("number")),
        headings=headings,
    )


def render_blank_document(questionnaire: BlankQuestionnaire) -> str:
    with override(questionnaire.language):
        return render_to_string("reports/blank.html", {"questionnaire": questionnaire})
