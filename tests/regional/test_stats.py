"""The regional figures against hand-computed values (inclusive quartiles)."""

from __future__ import annotations

import pytest

from assessments.regional import stats


def test_quartiles_of_four_values_by_hand():
    # Positions p·(n − 1): Q1 at 0.75 → 10 + 0.75·10; median at 1.5 → 20 + 0.5·20;
    # Q3 at 2.25 → 40 + 0.25·40.
    figures = stats.summary([80, 10, 40, 20])
    assert figures == stats.Summary(n=4, min=10, q1=17.5, median=30, q3=50, max=80)


def test_quartiles_of_five_values_fall_on_values():
    figures = stats.summary([25, 100, 50, 75, 50])
    assert (figures.q1, figures.median, figures.q3) == (50, 50, 75)


def test_quartiles_are_rounded_half_up_to_one_decimal():
    # 0, 25, 62.5, 100: Q1 = 18.75, median = 43.75, Q3 = 62.5 + 0.25·37.5 = 71.875.
    figures = stats.summary([0, 25, 62.5, 100])
    assert (figures.q1, figures.median, figures.q3) == (18.8, 43.8, 71.9)


def test_a_single_value_has_no_figures():
    assert stats.summary([50]) is None
    assert stats.summary([]) is None


@pytest.mark.parametrize("configured, expected", [(None, 3), (0, 3), (2, 3), (3, 3), (5, 5)])
def test_the_minimum_group_is_never_below_three(configured, expected):
    assert stats.minimum_group(configured) == expected


def test_a_shared_gap_is_half_or_more_below_the_floor():
    assert stats.is_shared_gap([10, 39.9, 40, 90], 40)
    assert not stats.is_shared_gap([10, 40, 40, 90], 40)
    assert not stats.is_shared_gap([], 40)


def test_a_state_sees_its_quarter():
    figures = stats.summary([10, 20, 40, 80])
    assert stats.place(17.5, figures) == stats.Place.LOWEST_QUARTER
    assert stats.place(30, figures) == stats.Place.SECOND_QUARTER
    assert stats.place(50, figures) == stats.Place.THIRD_QUARTER
    assert stats.place(80, figures) == stats.Place.HIGHEST_QUARTER
    assert stats.place(None, figures) is None
    assert stats.place(50, None) is None


def test_level_counts_put_unknown_levels_under_not_answered():
    counts = stats.level_counts(["3", "3", "dk", ""], ["0", "1", "2", "3", "4", "dk", ""])
    assert counts == {"0": 0, "1": 0, "2": 0, "3": 2, "4": 0, "dk": 1, "": 1}
