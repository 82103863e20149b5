"""core/numbers.py: scores as JSON holds them, and comparing scores in a metric's direction."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlpilot.core.numbers import beats, finite_or_none, nan_if_none, rank_key


@pytest.mark.parametrize("value", [None, math.nan, math.inf, -math.inf, np.float64("nan")])
def test_non_finite_scores_become_null(value):
    assert finite_or_none(value) is None
    assert finite_or_none(value, digits=None) is None


def test_finite_scores_are_rounded_to_six_digits_unless_told():
    assert finite_or_none(0.123456789) == 0.123457
    assert finite_or_none(2, digits=1) == 2.0
    assert finite_or_none(0.123456789, digits=None) == 0.123456789
    assert type(finite_or_none(np.float32(0.5))) is float


def test_null_reads_back_as_nan():
    assert math.isnan(nan_if_none(None))
    assert nan_if_none(0.25) == 0.25
    assert nan_if_none(finite_or_none(0.75)) == 0.75


@pytest.mark.parametrize("greater_is_better", [True, False])
def test_nan_never_beats_and_anything_beats_nan(greater_is_better):
    assert not beats(math.nan, 0.5, greater_is_better=greater_is_better)
    assert not beats(math.nan, math.nan, greater_is_better=greater_is_better)
    assert beats(0.5, math.nan, greater_is_better=greater_is_better)


def test_beats_follows_the_metric_direction_strictly():
    assert beats(0.9, 0.8, greater_is_better=True)
    assert not beats(0.8, 0.9, greater_is_better=True)
    assert beats(0.8, 0.9, greater_is_better=False)
    assert not beats(0.8, 0.8, greater_is_better=True)
    assert not beats(0.8, 0.8, greater_is_better=False)


def test_rank_key_puts_the_best_first_and_nan_last():
    scores = [0.3, math.nan, 0.1, 0.2]
    assert max(scores, key=lambda v: rank_key(v, True)) == 0.3
    assert max(scores, key=lambda v: rank_key(v, False)) == 0.1
    assert sorted(scores, key=lambda v: rank_key(v, True))[0] is scores[1]
