"""The GCM and SDG 10.7.2 lens computations, against examples computed by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from assessments.scoring.lenses import (
    FROM_IAMM,
    LEGAL_ONLY,
    NO,
    NO_DATA,
    NOT_ASSESSED,
    SCORED,
    UN_METHOD,
    YES,
    exact,
    gcm_lens,
    round_half_up,
    sdg_band,
    sdg_band_code,
    sdg_indications,
    sdg_official,
    subcategory_code,
)

P, S = "primary", "secondary"


# Exact numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(255, 4), "63.8"),  # 63.75: half up, not to even
        (Fraction(175, 3), "58.3"),
        (Fraction(1251, 20), "62.6"),  # 62.55, which round(62.55, 1) makes 62.5
        (Fraction(1, 20), "0.1"),
        (Fraction(0), "0.0"),
        (Fraction(100), "100.0"),
    ],
)
def test_values_are_rounded_once_half_up_to_one_decimal(value, expected):
    assert round_half_up(value) == Decimal(expected)
    assert str(round_half_up(value)) == expected


def test_a_float_heading_score_is_read_as_the_fraction_it_stands_for():
    assert exact(100 * 7 / 12) == Fraction(175, 3)
    assert exact(62.6) == Fraction(313, 5)
    assert exact(Decimal("39.99")) == Fraction(3999, 100)
    assert exact(40) == 40
    with pytest.raises(TypeError):
        exact("40")


# GCM objectives --------------------------------------------------------------------------------


@pytest.fixture
def objectives():
    links = [
        (19, 1, P),
        (2, 1, S),
        (12, 1, S),
        (16, 2, P),
        (13, 2, S),
        (18, 3, S),
        # objective 4: no heading at all
        (5, 5, P),
        (4, 5, P),
        (14, 5, S),
    ]
    scores = {19: 62.5, 2: 50.0, 12: 10.0, 16: None, 13: 75.0, 18: 100.0, 5: 62.6, 4: 62.5}
    lenses = gcm_lens(objectives=[5, 4, 3, 2, 1], links=links, heading_scores=scores)
    return {lens.objective: lens for lens in lenses}


def test_every_objective_is_listed_in_number_order(objectives):
    assert list(objectives) == [1, 2, 3, 4, 5]


def test_an_objective_takes_its_score_from_its_primary_headings_only(objectives):
    first = objectives[1]
    assert first.status == SCORED
    assert first.indication == Fraction(125, 2)
    assert first.shown == Decimal("62.5")
    # The secondary headings are shown with their scores but weigh nothing.
    assert [(h.heading, h.shown) for h in first.secondary] == [
        (2, Decimal("50.0")),
        (12, Decimal("10.0")),
    ]
    assert first.source == FROM_IAMM


def test_two_primary_headings_weigh_the_same_and_the_mean_is_exact(objectives):
    # (62.5 + 62.6) / 2 = 62.55, shown 62.6 (a float mean would show 62.5).
    assert objectives[5].indication == Fraction(1251, 20)
    assert objectives[5].shown == Decimal("62.6")
    assert [h.heading for h in objectives[5].primary] == [4, 5]


def test_an_objective_whose_primary_headings_have_no_score_has_no_data(objectives):
    second = objectives[2]
    assert second.assessed
    assert second.status == NO_DATA
    assert second.indication is None
    assert second.primary[0].score is None


def test_an_objective_with_only_secondary_links_is_not_assessed_and_gets_no_score(objectives):
    third = objectives[3]
    assert not third.assessed
    assert third.status == NOT_ASSESSED
    assert third.indication is None  # even though its secondary heading scores 100
    assert third.secondary[0].score == 100


def test_an_objective_with_no_linked_heading_is_not_assessed(objectives):
    fourth = objectives[4]
    assert fourth.status == NOT_ASSESSED
    assert fourth.primary == () and fourth.secondary == ()
    assert fourth.shown is None


def test_an_unknown_link_strength_is_refused():
    with pytest.raises(ValueError):
        gcm_lens(objectives=[1], links=[(1, 1, "weak")], heading_scores={})


# SDG 10.7.2: the indication from the IAMM ------------------------------------------------------


def test_a_domain_indication_is_the_mean_of_its_scored_linked_headings():
    links = [(7, 1), (15, 1), (9, 1), (2, 2)]
    scores = {7: 40.0, 15: 75.0, 9: None, 2: 100.0}
    first, second, fifth = sdg_indications(domains=[1, 2, 5], links=links, heading_scores=scores)
    assert first.value == Fraction(115, 2)  # (40 + 75) / 2; heading 9 has no score
    assert first.shown == Decimal("57.5")
    assert [h.heading for h in first.headings] == [7, 9, 15]
    assert second.shown == Decimal("100.0")
    assert fifth.headings == () and fifth.value is None
    assert {first.source, second.source, fifth.source} == {FROM_IAMM}


# SDG 10.7.2: the UN method ---------------------------------------------------------------------


def answers_for(rows: dict[int, list[str]]) -> dict[tuple[int, str], str]:
    return {
        (domain, letter): answer
        for domain, answers in rows.items()
        for letter, answer in zip("abcde", answers, strict=True)
        if answer is not None
    }


EXAMPLE = {
    1: [YES, LEGAL_ONLY, LEGAL_ONLY, YES, NO],  # (1 + .5 + .5 + 1 + 0) / 5 = 60
    2: [YES, YES, YES, YES, YES],  # 100
    3: [YES, YES, NO, YES, NO],  # 60
    4: [YES, YES, YES, YES, NO],  # 80: exactly on the cut-off
    5: [YES, YES, NO, NO, NO],  # 40: exactly on the cut-off
    6: [NO, NO, NO, NO, NO],  # 0
}


def test_the_un_method_on_a_hand_computed_example():
    result = sdg_official(answers_for(EXAMPLE))
    values = [(d.domain, d.value, d.band) for d in result.domains]
    assert values == [
        (1, 60, "partially_meets"),
        (2, 100, "fully_meets"),
        (3, 60, "partially_meets"),
        (4, 80, "meets"),
        (5, 40, "partially_meets"),
        (6, 0, "requires_progress"),
    ]
    # The overall value is the mean of the 30 codes: 17 / 30 × 100 = 56.666…
    assert result.complete
    assert result.value == Fraction(170, 3)
    assert result.shown == Decimal("56.7")
    assert result.band == "partially_meets"
    assert result.source == UN_METHOD


def test_a_domain_with_an_unanswered_sub_category_is_incomplete_not_banded():
    rows = {**EXAMPLE, 2: [YES, YES, None, YES, YES]}
    result = sdg_official(answers_for(rows))
    second = result.domains[1]
    assert not second.complete
    assert second.missing == ("c",)
    assert second.value is None and second.band is None and second.shown is None
    # The other domains are still computed; the overall value needs all 30.
    assert result.domains[0].band == "partially_meets"
    assert not result.complete
    assert result.value is None and result.band is None


def test_no_answers_at_all_leave_every_domain_incomplete():
    result = sdg_official({})
    assert [d.missing for d in result.domains] == [tuple("abcde")] * 6
    assert result.value is None


def test_an_empty_answer_counts_as_unanswered():
    rows = {**EXAMPLE, 6: [NO, NO, NO, NO, ""]}
    assert sdg_official(answers_for(rows)).domains[5].missing == ("e",)


def test_the_middle_option_exists_only_in_domain_1():
    assert subcategory_code(LEGAL_ONLY, domain=1) == Fraction(1, 2)
    with pytest.raises(ValueError):
        subcategory_code(LEGAL_ONLY, domain=3)
    with pytest.raises(ValueError):
        sdg_official(answers_for({**EXAMPLE, 3: [LEGAL_ONLY, YES, YES, YES, YES]}))


def test_unknown_answers_and_sub_categories_are_refused():
    with pytest.raises(ValueError):
        subcategory_code("maybe", domain=2)
    with pytest.raises(ValueError):
        sdg_official({(7, "a"): YES})
    with pytest.raises(ValueError):
        sdg_official({(1, "f"): YES})


@pytest.mark.parametrize(
    ("value", "band", "code"),
    [
        (Decimal("0"), "requires_progress", 1),
        (Decimal("39.99"), "requires_progress", 1),
        (Decimal("40"), "partially_meets", 2),
        (Decimal("79.99"), "partially_meets", 2),
        (Decimal("80"), "meets", 3),
        (Decimal("99.99"), "meets", 3),
        (Decimal("100"), "fully_meets", 4),
        (39.99, "requires_progress", 1),
        (Fraction(119, 3), "requires_progress", 1),  # 39.67, an attainable overall value
    ],
)
def test_the_band_boundaries(value, band, code):
    assert sdg_band(value) == band
    assert sdg_band_code(value) == code


@pytest.mark.parametrize("value", [Decimal("-0.01"), Decimal("100.01")])
def test_a_value_outside_0_to_100_has_no_band(value):
    with pytest.raises(ValueError):
        sdg_band(value)


def test_rounding_never_moves_an_attainable_value_across_a_band():
    # Domain values are multiples of 10 (domain 1) or 20; overall values multiples of 5/3.
    attainable = {Fraction(5 * k, 3) for k in range(61)} | {Fraction(10 * k) for k in range(11)}
    for value in attainable:
        assert sdg_band(value) == sdg_band(round_half_up(value)), value
