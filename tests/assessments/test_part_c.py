"""Part C (SDG indicator 10.7.2): included by the coordinator, answered with the UN's coding,
scored by the UN method."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Assessment, SdgAnswer
from assessments.models.sdg import sdg_value_choices
from assessments.questionnaire.part_c import (
    part_c_answers_save,
    part_c_include,
    part_c_remove,
    part_c_result,
)
from assessments.questionnaire.services import WorkflowError
from iamm.models import SdgDomain
from tests.helpers import fixtures_once, make_assessment, make_framework

pytestmark = pytest.mark.django_db

# Domain 1: 1, .5, .5, 1, 0 → 60; domain 2 all Yes → 100; 3: 60; 4: 80; 5: 40; 6: 0.
ROWS = {
    1: ["yes", "legal_only", "legal_only", "yes", "no"],
    2: ["yes"] * 5,
    3: ["yes", "yes", "no", "yes", "no"],
    4: ["yes", "yes", "yes", "yes", "no"],
    5: ["yes", "yes", "no", "no", "no"],
    6: ["no"] * 5,
}
EXAMPLE = {
    f"{domain}{letter}": value
    for domain, values in ROWS.items()
    for letter, value in zip("abcde", values, strict=True)
}


loaded = fixtures_once("iamm", "lenses")


@pytest.fixture
def assessment(loaded) -> Assessment:
    return make_assessment()


@pytest.fixture
def coordinator(assessment):
    return assessment.created_by


def test_an_assessment_has_no_part_c_until_the_coordinator_adds_it(assessment):
    assert part_c_result(assessment=assessment) is None
    assert part_c_include(assessment=assessment) == 30
    assert part_c_include(assessment=assessment) == 0  # adding it again changes nothing
    result = part_c_result(assessment=assessment)
    assert [d.missing for d in result.domains] == [tuple("abcde")] * 6
    assert result.value is None


def test_part_c_is_scored_by_the_un_method(assessment, coordinator):
    part_c_include(assessment=assessment)
    changed = part_c_answers_save(assessment=assessment, values=EXAMPLE, user=coordinator)
    assert len(changed) == 30
    assert {a.updated_by for a in changed} == {coordinator}
    result = part_c_result(assessment=assessment)
    assert [(d.domain, d.shown, d.band) for d in result.domains] == [
        (1, Decimal("60.0"), "partially_meets"),
        (2, Decimal("100.0"), "fully_meets"),
        (3, Decimal("60.0"), "partially_meets"),
        (4, Decimal("80.0"), "meets"),
        (5, Decimal("40.0"), "partially_meets"),
        (6, Decimal("0.0"), "requires_progress"),
    ]
    assert result.shown == Decimal("56.7")  # 17 / 30 × 100
    assert result.band == "partially_meets"


def test_a_domain_with_an_unanswered_sub_category_is_incomplete(assessment, coordinator):
    part_c_include(assessment=assessment)
    part_c_answers_save(assessment=assessment, values={**EXAMPLE, "4c": ""}, user=coordinator)
    result = part_c_result(assessment=assessment)
    assert result.domains[3].missing == ("c",)
    assert result.domains[3].band is None
    assert result.domains[0].band == "partially_meets"
    assert result.band is None


def test_saving_the_same_answers_again_changes_nothing(assessment, coordinator):
    part_c_include(assessment=assessment)
    part_c_answers_save(assessment=assessment, values=EXAMPLE, user=coordinator)
    assert part_c_answers_save(assessment=assessment, values=EXAMPLE, user=coordinator) == []


def test_the_middle_option_outside_domain_1_is_refused_and_nothing_is_saved(
    assessment, coordinator
):
    part_c_include(assessment=assessment)
    values = {**EXAMPLE, "3a": "legal_only"}
    with pytest.raises(ValidationError) as error:
        part_c_answers_save(assessment=assessment, values=values, user=coordinator)
    assert list(error.value.message_dict) == ["3a"]
    assert not assessment.sdg_answers.exclude(value="").exists()


def test_unknown_values_and_sub_categories_are_refused(assessment, coordinator):
    part_c_include(assessment=assessment)
    with pytest.raises(ValidationError):
        part_c_answers_save(assessment=assessment, values={"2a": "maybe"}, user=coordinator)
    with pytest.raises(ValidationError, match="7a"):
        part_c_answers_save(assessment=assessment, values={"7a": "yes"}, user=coordinator)


def test_answers_without_part_c_are_refused(assessment, coordinator):
    with pytest.raises(WorkflowError):
        part_c_answers_save(assessment=assessment, values={"1a": "yes"}, user=coordinator)


@pytest.mark.parametrize("status", [Assessment.Status.IN_REVIEW, Assessment.Status.VALIDATED])
def test_part_c_does_not_change_once_the_assessment_is_submitted(assessment, coordinator, status):
    part_c_include(assessment=assessment)
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    with pytest.raises(WorkflowError):
        part_c_answers_save(assessment=assessment, values={"1a": "yes"}, user=coordinator)
    with pytest.raises(WorkflowError):
        part_c_remove(assessment=assessment, discard_answers=True)
    assert assessment.sdg_answers.count() == 30


def test_removing_part_c_with_answers_needs_the_coordinators_confirmation(assessment, coordinator):
    part_c_include(assessment=assessment)
    part_c_answers_save(assessment=assessment, values={"1a": "yes"}, user=coordinator)
    with pytest.raises(ValidationError):
        part_c_remove(assessment=assessment)
    assert assessment.sdg_answers.count() == 30
    part_c_remove(assessment=assessment, discard_answers=True)
    assert part_c_result(assessment=assessment) is None


def test_a_version_without_10_7_2_content_cannot_take_part_c(assessment):
    other = make_assessment(framework_version=make_framework("plain"), cycle=2027)
    with pytest.raises(ValidationError):
        part_c_include(assessment=other)
    assert not SdgAnswer.objects.filter(assessment=other).exists()


def test_only_domain_1_offers_the_middle_answer(assessment):
    first, second = SdgDomain.objects.filter(number__in=[1, 2]).order_by("number")
    assert [code for code, _label in sdg_value_choices(first)] == ["yes", "legal_only", "no"]
    assert sdg_value_choices(first)[1][1] == "Yes, only for those with legal immigration status"
    assert [code for code, _label in sdg_value_choices(second)] == ["yes", "no"]
