"""The scoring rules of DESIGN.md against hand-computed examples.

Every expected number here was worked out by hand from the rules, not copied from the code.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from assessments import vocabulary
from assessments.scoring import rules
from assessments.scoring.rules import Item

CUSTOM = [(90, "fully_meets"), (70, "meets"), (50, "partially_meets"), (0, "requires_progress")]


def items(*levels: str) -> list[Item]:
    return [Item(level=level) for level in levels]


# Items -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "score"),
    [("0", 0.0), ("1", 0.25), ("2", 0.5), ("3", 0.75), ("4", 1.0)],
)
def test_an_item_scores_its_level_divided_by_four(level, score):
    assert rules.item_score(level) == score


@pytest.mark.parametrize("level", ["na", "dk", ""])
def test_not_applicable_dont_know_and_unanswered_items_are_not_scored(level):
    assert rules.item_score(level) is None


# Headings and indices --------------------------------------------------------------------------


def test_a_heading_scores_the_mean_of_its_scored_items_ignoring_the_rest():
    # 2 and 4 score 0.5 and 1; N/A, don't know and unanswered are left out: 100 × 1.5 / 2.
    assert rules.heading_score(items("2", "4", "na", "dk", "")) == 75.0


def test_a_heading_with_nothing_scored_has_no_score_rather_than_zero():
    assert rules.heading_score(items("na", "dk", "")) is None
    assert rules.heading_score([]) is None


def test_an_all_zero_heading_scores_zero_and_an_all_four_heading_scores_one_hundred():
    assert rules.heading_score(items("0", "0", "0")) == 0.0
    assert rules.heading_score(items("4", "4", "4")) == 100.0


def test_the_practice_index_weighs_every_heading_the_same_whatever_its_number_of_areas():
    one_area_at_four = rules.heading_score(items("4"))  # 100
    three_areas_at_zero = rules.heading_score(items("0", "0", "0"))  # 0
    # Per heading: (100 + 0) / 2 = 50; per area it would have been 100 / 4 = 25.
    assert rules.practice_index([one_area_at_four, three_areas_at_zero]) == 50.0


def test_the_practice_index_leaves_out_headings_without_a_score():
    assert rules.practice_index([Fraction(75), Fraction(50), None]) == 62.5
    assert rules.practice_index([None, None]) is None


def test_the_understanding_index_is_the_mean_of_the_scored_part_a_items():
    # 3 and 1 score 0.75 and 0.25; don't know and unanswered are left out: 100 × 1 / 2.
    assert rules.understanding_index(items("3", "1", "dk", "")) == 50.0


def test_coverage_counts_scored_items_over_applicable_items():
    coverage = rules.coverage(items("2", "na", "dk", "", "4"))
    # Applicable: everything but N/A (4); scored: 2 and 4 (2).
    assert (coverage.scored, coverage.applicable) == (2, 4)
    assert coverage.ratio == 0.5
    assert coverage.percent == 50.0


def test_coverage_of_only_not_applicable_items_is_undefined():
    assert rules.coverage(items("na", "na")).ratio is None


def test_a_heading_target_is_the_mean_target_of_its_applicable_areas():
    answers = [Item("1", target=4), Item("3", target=2), Item("na", target=0)]
    # (4 + 2) / 2 = 3 levels = 75.
    assert rules.heading_target(answers) == 75.0


# Bands -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "band"),
    [
        ("100", "fully_meets"),
        ("99.9", "meets"),
        ("80", "meets"),
        ("79.9", "partially_meets"),
        ("60", "partially_meets"),
        ("40", "partially_meets"),
        ("39.9", "requires_progress"),
        ("0", "requires_progress"),
    ],
)
def test_bands_follow_the_thresholds_of_sdg_indicator_10_7_2(score, band):
    """Below 40; 40 to below 80; 80 to below 100; exactly 100."""
    assert rules.band(Decimal(score)) == band


def test_a_score_shown_as_eighty_is_never_banded_below_eighty():
    # 79.96 is printed 80.0, so it must be "Meets", not "Partially meets".
    assert rules.band(Fraction("79.96")) == "meets"
    assert rules.band(Fraction("99.95")) == "fully_meets"  # shown as 100.0


def test_the_default_thresholds_are_sdg_10_7_2s_and_the_coherence_floor_stays_40():
    assert rules.default_thresholds() == [
        (100, "fully_meets"),
        (80, "meets"),
        (40, "partially_meets"),
        (0, "requires_progress"),
    ]
    assert rules.coherence_floor() == 40


# One rounding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exact", "shown"),
    [
        (Fraction(255, 4), "63.8"),  # 63.75
        (Fraction(205, 4), "51.3"),  # 51.25
        (Fraction(2529, 40), "63.2"),  # 63.225
        (Fraction(200, 3), "66.7"),
        (Fraction(100), "100.0"),
        (Fraction(0), "0.0"),
        (Decimal("63.8"), "63.8"),  # rounding a rounded score changes nothing
    ],
)
def test_scores_are_rounded_once_half_up_from_the_exact_value(exact, shown):
    assert rules.rounded(exact) == Decimal(shown)
    assert str(rules.rounded(exact)) == shown


def test_scores_ending_in_5_are_exact_where_a_float_is_not():
    # 11 areas at 3 and 9 at 2: 100 × 12.75 / 20 is 63.74999999999999 in binary floating point.
    score = rules.heading_score(items(*["3"] * 11, *["2"] * 9))
    assert score == Fraction(255, 4)
    assert rules.rounded(score) == Decimal("63.8")
    assert rules.band(score, [(63.8, "meets"), (0, "requires_progress")]) == "meets"
    understanding = rules.understanding_index(items("3", *["2"] * 19))
    assert rules.rounded(understanding) == Decimal("51.3")


def test_a_binary_float_is_refused_rather_than_rounded_wrongly():
    with pytest.raises(TypeError):
        rules.rounded(63.74999999999999)


def test_no_score_has_no_band():
    assert rules.band(None) is None


def test_bands_take_custom_thresholds():
    assert rules.band(89, CUSTOM) == "meets"
    assert rules.band(90, CUSTOM) == "fully_meets"
    assert rules.band(65, CUSTOM) == "partially_meets"
    assert rules.band(49, CUSTOM) == "requires_progress"


def test_band_thresholds_come_from_the_settings_by_default(settings):
    settings.SCORE_BANDS = CUSTOM
    assert rules.band(85) == "meets"
    assert rules.coherence_floor() == 50


def test_band_labels_are_the_sdg_10_7_2_wording():
    assert [rules.band_label(k) for k in vocabulary.BAND_LABELS] == [
        "Fully meets",
        "Meets",
        "Partially meets",
        "Requires further progress",
    ]


# Gaps ------------------------------------------------------------------------------------------


def test_a_gap_is_the_target_minus_the_current_level_and_never_negative():
    assert rules.gap("1", 4) == 3
    assert rules.gap("2", 2) == 0
    assert rules.gap("4", 3) == 0  # beyond a lowered target: no gap, not -1


def test_unscored_items_have_no_gap():
    assert rules.gap("na", 4) is None
    assert rules.gap("dk", 4) is None
    assert rules.gap("", 4) is None


def test_a_gap_of_one_level_is_twenty_five_points():
    assert rules.gap_points(3) == 75


def test_gaps_are_ranked_by_priority_then_size_then_heading_order():
    a = Item("2", target=4, priority="high")  # heading 1, area 1: gap 2
    b = Item("0", target=2, priority="high")  # heading 1, area 2: gap 2 (ties with a)
    c = Item("0", target=4, priority="high")  # heading 2: gap 4
    d = Item("3", target=4, priority="medium")  # heading 1: gap 1
    e = Item("0", target=4, priority="")  # heading 3: gap 4 but no priority
    f = Item("1", target=3, priority="low")  # heading 4: gap 2
    g = Item("0", target=4, priority="low")  # heading 5: gap 4
    no_gap = Item("4", target=4, priority="high")
    not_applicable = Item("na", target=4, priority="high")
    dont_know = Item("dk", target=4, priority="high")
    ranked = rules.ranked_gaps(
        [
            (3, 1, e),
            (1, 3, d),
            (4, 1, f),
            (1, 2, b),
            (2, 1, c),
            (1, 1, a),
            (5, 1, g),
            (6, 1, no_gap),
            (7, 1, not_applicable),
            (8, 1, dont_know),
        ]
    )
    assert [gap.item for gap in ranked] == [c, a, b, d, g, f, e]
    assert [gap.levels for gap in ranked] == [4, 2, 2, 1, 4, 2, 4]


def test_gaps_are_counted_by_priority():
    ranked = rules.ranked_gaps(
        [
            (1, 1, Item("0", priority="high")),
            (1, 2, Item("1", priority="high")),
            (2, 1, Item("0", priority="")),
        ]
    )
    assert rules.gaps_by_priority(ranked) == {"high": 2, "medium": 0, "low": 0, "none": 1}


def test_an_all_four_assessment_has_no_gap():
    assert rules.ranked_gaps([(1, 1, Item("4")), (1, 2, Item("4"))]) == []


def test_a_country_that_lowers_its_target_closes_the_gap():
    assert rules.ranked_gaps([(1, 1, Item("2", target=2, priority="high"))]) == []


# Coherence and data gaps -----------------------------------------------------------------------


def test_an_understanding_answered_three_or_four_with_a_weak_linked_heading_is_flagged():
    cu1, cu2 = Item("3"), Item("4")
    flags = rules.coherence_flags(
        [(1, cu1, [1, 2]), (2, cu2, [2])], heading_scores={1: Fraction(30), 2: Fraction(80)}
    )
    assert [(f.number, f.item, f.weak_headings) for f in flags] == [(1, cu1, (1,))]


def test_understandings_answered_below_three_are_never_flagged():
    flags = rules.coherence_flags(
        [(1, Item("2"), [1]), (2, Item("dk"), [1]), (3, Item(""), [1])], {1: Fraction(0)}
    )
    assert flags == []


def test_headings_without_a_score_or_at_the_threshold_raise_no_flag():
    flags = rules.coherence_flags(
        [(1, Item("4"), [1, 2, 3])],
        {1: None, 2: Fraction(40), 3: Fraction("39.96")},  # 39.96 is shown as 40.0
    )
    assert flags == []


def test_the_coherence_threshold_follows_custom_bands():
    flags = rules.coherence_flags([(1, Item("4"), [1])], {1: Fraction(45)}, CUSTOM)
    assert [f.weak_headings for f in flags] == [(1,)]


def test_dont_know_items_are_the_data_gaps():
    dk1, dk2 = Item("dk"), Item("dk")
    assert rules.data_gaps([Item("1"), dk1, Item("na"), Item(""), dk2]) == [dk1, dk2]


def test_change_since_the_previous_cycle_is_in_points_between_shown_scores():
    assert rules.change(Fraction(75), Fraction(50)) == Decimal("25.0")
    assert rules.change(Fraction(100, 3), Fraction(50)) == Decimal("-16.7")
    # 63.75 is shown 63.8 and 63.2 stays 63.2: the change reads +0.6, as the reader computes it.
    assert rules.change(Fraction(255, 4), Decimal("63.2")) == Decimal("0.6")
    # exactly 1.25 apart, but shown 63.8 and 62.5: +1.3
    assert rules.change(Fraction(255, 4), Fraction(125, 2)) == Decimal("1.3")
    assert rules.change(None, Fraction(50)) is None
