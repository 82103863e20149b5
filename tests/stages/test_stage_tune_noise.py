"""Check 5, the validation noise floor: the score's sampling error is measured once, trials
within it of the best are ties and said to be, and the test-versus-validation gap is judged
against the same noise (issue 16).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import optuna
import pytest
from stage_results import ScriptedSetup, evaluation, fold, rmse_scoring, setup, small_space

from dlpilot.core.enums import FindingCode, Task
from dlpilot.core.metrics import accuracy_error, sampling_error
from dlpilot.diagnose import diagnose_mismatch
from dlpilot.stages import tune
from dlpilot.stages._evaluate import _fold_noise
from dlpilot.stages.tune import SearchSpace


def test_accuracys_sampling_error_is_binomial_and_never_zero():
    y = np.array([1] * 80 + [0] * 20)
    scores = np.ones(100)  # predicts class 1 everywhere: accuracy 0.8
    se = sampling_error("accuracy", y, scores, task=Task.BINARY)
    assert se == pytest.approx(math.sqrt(0.8 * 0.2 / 100), rel=0.01)  # Agresti–Coull: ≈
    # A perfect score on 30 samples is not certainty: about 4 points of noise remain.
    assert accuracy_error(1.0, 30) == pytest.approx(0.040, abs=0.001)


def test_other_metrics_are_bootstrapped_and_shrink_with_more_samples():
    rng = np.random.default_rng(0)

    def rmse_se(n: int) -> float:
        y = rng.normal(size=n)
        return sampling_error("rmse", y, y + rng.normal(scale=0.5, size=n), task=Task.REGRESSION)

    small, large = rmse_se(400), rmse_se(6400)
    # RMSE 0.5 with normal errors: SE ≈ 0.5 / sqrt(2n) (0.0177 and 0.0044).
    assert small == pytest.approx(0.5 / math.sqrt(800), rel=0.3)
    assert large == pytest.approx(0.5 / math.sqrt(12800), rel=0.3)
    y = rng.integers(0, 2, 300)
    auc_se = sampling_error(
        "roc_auc", y, np.clip(0.4 * y + 0.6 * rng.random(300), 0, 1), task=Task.BINARY
    )
    assert 0.005 < auc_se < 0.05


def test_k_fold_noise_rests_on_every_distinct_sample():
    y = np.array([1] * 80 + [0] * 20)
    one = _fold_noise(setup().scoring, y, np.ones(100), [fold(400, 100)])
    five = _fold_noise(setup().scoring, y, np.ones(100), [fold(400, 100)] * 5)
    assert five == pytest.approx(one / math.sqrt(5))
    # Iterated K-fold scores the same 500 samples again: ten folds shrink it no further.
    ten = _fold_noise(setup().scoring, y, np.ones(100), [fold(400, 100)] * 10)
    assert ten == pytest.approx(five)


# --- ties ---------------------------------------------------------------------------------


def _space() -> SearchSpace:
    return small_space(seed=1)


def _summary(values: list[float], noise: float | None, *, scoring=None):
    space = _space()
    base = setup() if scoring is None else replace(setup(), scoring=scoring)
    study = optuna.create_study(
        direction="maximize" if base.scoring.greater_is_better else "minimize"
    )
    if noise is not None:
        study.set_user_attr(tune.NOISE_ATTR, noise)
    for v in values:
        study.add_trial(
            optuna.trial.create_trial(
                params={},
                distributions={},
                value=v,
                user_attrs={
                    "model": space.around.to_dict(),
                    "train": space.base.to_dict(),
                    "best_epoch": 3,
                },
            )
        )
    start = evaluation()
    return tune.summarize_study(study, base, space, baseline=start, scaled=start, decisions=[])


def test_trials_within_the_noise_of_the_best_are_reported_as_tied():
    # Accuracy 0.90 on 100 validation samples: a standard error of 0.031.
    tuning = _summary([0.80, 0.90, 0.895, 0.70, 0.872], noise=None)
    assert tuning.best_number == 1 and tuning.ties == (2, 4)
    assert tuning.val_noise == pytest.approx(0.031, abs=0.001)
    (best,) = [d for d in tuning.decisions if d.what.startswith("best trial")]
    assert "tied with 2 other trial(s) within the noise" in best.what
    assert "standard error is 0.031" in best.why and "one of 3 tied" in best.why
    assert best.numbers["ties"] == [2, 4]
    again = tune.Tuning.from_dict(tuning.to_dict())
    assert again.ties == (2, 4) and again.val_noise == pytest.approx(tuning.val_noise)


def test_other_metrics_take_the_noise_the_first_trial_bootstrapped():
    tuning = _summary([0.50, 0.42, 0.425, 0.60], noise=0.01, scoring=rmse_scoring())
    assert tuning.best_number == 1 and tuning.ties == (2,)
    assert tuning.val_noise == 0.01


def test_a_clear_winner_has_no_ties_and_unmeasured_noise_names_none():
    clear = _summary([0.70, 0.90, 0.80], noise=None)
    assert clear.ties == ()
    assert "no other trial is within it" in clear.decisions[-1].why
    unmeasured = _summary([0.50, 0.42, 0.425], noise=None, scoring=rmse_scoring())
    assert unmeasured.ties == () and math.isnan(unmeasured.val_noise)


# --- the test-versus-validation gap -----------------------------------------------------


def test_a_test_gap_within_the_measured_noise_is_not_a_mismatch():
    # RMSE 1.0 on validation, 1.4 on test: beyond the rules of thumb (25% of the error).
    args = dict(val_score=1.0, test_score=1.4, metric="rmse", greater_is_better=False)
    assert diagnose_mismatch(**args)  # without the noise: a mismatch
    # Validation's standard error 0.15 on 200 samples, the test's as large: the 0.4 gap is
    # 1.9 standard errors of the difference, under the 3 a mismatch needs.
    assert diagnose_mismatch(**args, n_val=200, n_test=200, val_noise=0.15) == ()
    (found,) = diagnose_mismatch(**args, n_val=200, n_test=200, val_noise=0.05)
    assert found.code is FindingCode.DATA_MISMATCH and "5.7 standard errors" in found.evidence


# --- check 6: the seed spread -------------------------------------------------------------


def _tuning_with(values: list[float], *, seconds: float = 0.5) -> tune.Tuning:
    tuning = _summary(values, noise=None)
    rows = tuple(replace(r, seconds=seconds) for r in tuning.trials)
    return replace(tuning, trials=rows)


def _by_seed(scores: dict[int, float]):
    """A setup whose validation score is a function of the training seed."""
    return ScriptedSetup(
        lambda name, model, train: evaluation(name, val_score=scores[train.seed], seconds=0.01),
        base=setup(),
    )


def test_seeds_that_move_the_score_more_than_the_search_did_make_a_coin_flip():
    tuning = _tuning_with([0.80, 0.90, 0.895])  # the two best 0.005 apart
    seed = tuning.best_train.seed
    spread_setup = _by_seed({seed + 100: 0.86, seed + 200: 0.93})
    out = tune.seed_spread(spread_setup, tuning, seconds=100)
    assert out.seed_spread.scores == (0.90, 0.86, 0.93)
    assert out.seed_spread.gap == pytest.approx(0.005)
    assert out.seed_spread.coin_flip
    assert "coin flip" in out.decisions[-1].what
    assert out.best_number == tuning.best_number  # the choice stands
    again = tune.Tuning.from_dict(out.to_dict()).seed_spread
    assert again.scores == out.seed_spread.scores and again.coin_flip


def test_a_search_gap_wider_than_the_seed_spread_is_a_real_choice():
    tuning = _tuning_with([0.70, 0.90, 0.80])  # 0.10 apart
    seed = tuning.best_train.seed
    out = tune.seed_spread(_by_seed({seed + 100: 0.899, seed + 200: 0.902}), tuning, seconds=100)
    assert not out.seed_spread.coin_flip and out.seed_spread.spread < 0.01
    assert "under the 0.1000 to the second-best trial" in out.decisions[-1].what


def test_no_seed_spread_when_the_two_trainings_do_not_fit_the_time_set_aside():
    tuning = _tuning_with([0.80, 0.90], seconds=30.0)  # two more 30 s trainings, 50 s left
    out = tune.seed_spread(_by_seed({}), tuning, seconds=50)
    assert out.seed_spread is None
    assert out.decisions[-1].what == "seed spread of the best configuration: not measured"
    assert "about 60.0 s" in out.decisions[-1].why


def test_time_is_set_aside_for_the_spread_only_when_it_costs_a_tenth_of_tuning_or_less():
    # Stage 6's network: 0.5 s an epoch; trials of 5 epochs: two more cost 5 s, 10 s with the
    # margin.
    scaled = evaluation(seconds=5.0, epochs_run=10)
    assert tune.spread_reserve(setup(), _space(), scaled, tuning_seconds=100) == 10.0
    assert tune.spread_reserve(setup(), _space(), scaled, tuning_seconds=99) == 0.0
