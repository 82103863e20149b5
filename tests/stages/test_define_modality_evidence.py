"""Stage 0 reads the modality from the data's content, not its array rank alone."""

from __future__ import annotations

import numpy as np
import pytest

from dlpilot.core.enums import Modality
from dlpilot.data import load_source
from dlpilot.stages.define import define_problem


def _define(tmp_path, x, y=None, **test):
    gen = np.random.default_rng(0)
    y = gen.integers(0, 2, len(x)) if y is None else y
    path = tmp_path / "data.npz"
    np.savez(path, x=x, y=y, **test)
    return define_problem(load_source(path))


def _smooth(n, length, gen):
    t = np.linspace(0, 1, length)
    freq = gen.uniform(1, 4, (n, 1))
    phase = gen.uniform(0, 2 * np.pi, (n, 1))
    return (np.sin(2 * np.pi * freq * t + phase) + 0.05 * gen.normal(size=(n, length))).astype(
        np.float32
    )


def test_a_smooth_100_by_500_array_is_a_sequence(tmp_path):
    problem = _define(tmp_path, _smooth(100, 500, np.random.default_rng(1)))
    assert problem.spec.modality is Modality.SEQUENCE
    assert problem.spec.input_shape == (1, 500)
    assert "neighbouring columns correlate" in problem.decisions[0].why


def test_a_long_periodic_signal_is_a_sequence_by_its_row_autocorrelation(tmp_path):
    # An appliance's power cycle (ACSF1-like): no two columns correlate across samples,
    # but every row repeats itself every 4 steps.
    gen = np.random.default_rng(2)
    cycle = np.tile([-0.6, -0.6, 1.7, -0.6], 365)
    x = np.stack([np.roll(cycle, gen.integers(0, 4)) * gen.uniform(0.5, 2) for _ in range(100)])
    problem = _define(tmp_path, (x + 0.01 * gen.normal(size=x.shape)).astype(np.float32))
    assert problem.spec.modality is Modality.SEQUENCE
    assert "autocorrelation" in problem.decisions[0].why and "lag 4" in problem.decisions[0].why


@pytest.mark.parametrize(
    "make",
    [
        lambda g: g.poisson(0.3, (300, 500)).astype(np.float32),  # a bag of words
        lambda g: (g.normal(size=(300, 500)) + g.normal(size=500)).astype(np.float32),  # genes
        # mixed units, with a block that repeats every 10 columns (mean/se/worst features)
        lambda g: np.tile(g.lognormal(size=(300, 10)) * np.logspace(0, 3, 10), 4).astype(
            np.float32
        ),
    ],
)
def test_wide_tables_stay_tables(tmp_path, make):
    problem = _define(tmp_path, make(np.random.default_rng(3)))
    assert problem.spec.modality is Modality.TABULAR


def test_n_by_6_by_100_is_a_multichannel_sequence(tmp_path):
    gen = np.random.default_rng(4)
    x = np.stack([_smooth(6, 100, gen) for _ in range(60)])
    problem = _define(tmp_path, x)
    assert problem.spec.modality is Modality.SEQUENCE and problem.spec.input_shape == (6, 100)


@pytest.mark.parametrize("transposed", [False, True])
def test_12_coefficients_by_29_frames_is_a_sequence_not_an_image(tmp_path, transposed):
    # JapaneseVowels-like: 12 decorrelated coefficients, each smooth over 29 frames.
    gen = np.random.default_rng(5)
    x = np.stack([_smooth(12, 29, gen) * gen.normal(size=(12, 1)) for _ in range(120)])
    x_test = np.stack([_smooth(12, 29, gen) for _ in range(30)])
    if transposed:
        x, x_test = x.transpose(0, 2, 1), x_test.transpose(0, 2, 1)
    y_test = gen.integers(0, 2, 30)
    problem = _define(tmp_path, x, x_test=x_test, y_test=y_test)
    assert problem.spec.modality is Modality.SEQUENCE
    assert problem.spec.input_shape == (12, 29)
    assert "smooth along time only" in problem.decisions[0].why


def test_small_square_images_stay_images(tmp_path):
    from sklearn.datasets import load_digits

    digits = load_digits()
    problem = _define(tmp_path, digits.images[:300].astype(np.float32), digits.target[:300])
    assert problem.spec.modality is Modality.IMAGE and problem.spec.input_shape == (1, 8, 8)
