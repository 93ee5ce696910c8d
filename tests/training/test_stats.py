"""Spread computations against values worked out by hand."""

from __future__ import annotations

import pytest

from assessments.training import stats


def test_median_of_an_odd_count_is_the_middle_value():
    assert stats.median([0, 2, 3]) == 2


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_values():
    assert stats.median([1, 2, 3, 4]) == 2.5


def test_quartiles_interpolate_between_ranks():
    # 0 1 2 4: Q1 at rank 1 + 0.75 → 0 + 0.75 × 1 = 0.75; Q3 at rank 3.25 → 2 + 0.25 × 2 = 2.5.
    assert stats.quartiles([0, 1, 2, 4]) == (0.75, 2.5)
    assert stats.iqr([0, 1, 2, 4]) == 1.75


def test_iqr_of_eight_answers():
    # 0 1 1 2 2 3 4 4: Q1 at rank 2.75 → 1 + 0.75 × 0 = 1; Q3 at rank 6.25 → 3 + 0.25 × 1 = 3.25.
    assert stats.iqr([0, 1, 1, 2, 2, 3, 4, 4]) == 2.25
    assert stats.value_range([0, 1, 1, 2, 2, 3, 4, 4]) == 4


def test_a_single_answer_has_no_spread_and_nothing_has_no_numbers():
    assert stats.iqr([3]) == 0
    assert stats.value_range([3]) == 0
    assert stats.iqr([]) is None and stats.median([]) is None and stats.value_range([]) is None


def test_spread_leaves_not_applicable_and_dont_know_out_of_the_numbers_only():
    result = stats.spread(["4", "na", "dk", "0", "", "2"])
    assert result.n == 5  # unanswered does not count
    assert result.scored == 3
    assert result.median == 2
    assert result.iqr == 2  # 0 2 4: Q1 = 1, Q3 = 3
    assert result.range == 4


def test_distribution_counts_every_level_even_those_nobody_chose():
    assert stats.distribution(["2", "2", "na", "4", ""]) == {
        "0": 0,
        "1": 0,
        "2": 2,
        "3": 0,
        "4": 1,
        "na": 1,
        "dk": 0,
    }


def test_most_disagreement_sorts_first_by_iqr_then_by_range():
    agreed = stats.spread(["3", "3", "3"])  # IQR 0, range 0
    outlier = stats.spread(["3", "3", "3", "3", "0"])  # IQR 0, range 3
    split = stats.spread(["1", "1", "4", "4"])  # IQR 3 (Q1 1, Q3 4), range 3
    nothing = stats.spread(["dk"])
    ranked = sorted([nothing, agreed, outlier, split], key=lambda s: s.disagreement_key)
    assert ranked == [split, outlier, agreed, nothing]
    assert agreed.agreed and not outlier.agreed and not nothing.agreed


@pytest.mark.parametrize(
    ("value", "shown"), [(2, "2"), (2.5, "2.5"), (0.75, "0.75"), (1 / 3, "0.33"), (None, "")]
)
def test_plain_numbers_are_never_localized(value, shown):
    assert stats.plain_number(value) == shown
