"""Stage 5's planning rules: batch size and epochs, class weights, the exploration plan, the LR.

Nothing trains: setups hold zero tensors, evaluations are written by hand, and the LR
range test is replaced by its result.
"""

from __future__ import annotations

import math
import time

import pytest
import torch
from stage_data import numeric_spec
from stage_results import ScriptedSetup, at, evaluation, setup

from dlpilot.core.enums import FindingCode, Modality, Severity, Task
from dlpilot.core.records import ProblemSpec
from dlpilot.diagnose import NextStep
from dlpilot.engine import Architecture, LRFinderResult, ScheduleName
from dlpilot.stages import baseline
from dlpilot.stages.baseline import (
    ExplorationPlan,
    balanced_class_weights,
    baseline_configs,
    default_batch_size,
    measure_throughput,
    plan_exploration,
    subsample,
    train_baseline_network,
)


@pytest.mark.parametrize(
    ("n_train", "batch"),
    [
        (300, 16),  # 300/30 = 10, below the floor
        (1300, 32),  # 43 is nearer 32 than 64 on a log scale
        (1400, 64),  # 47 is nearer 64
        (1920, 64),
        (3000, 128),
        (1_000_000, 256),  # the ceiling
    ],
)
def test_the_batch_size_is_the_power_of_two_nearest_a_thirtieth_of_the_data(n_train, batch):
    assert default_batch_size(n_train) == batch


@pytest.mark.parametrize(("n_train", "batch"), [(22, 2), (40, 4), (100, 10), (159, 15), (160, 16)])
def test_a_tiny_split_batches_a_tenth_of_itself(n_train, batch):
    # Fawaz et al.'s rule for the UCR sets; it meets the 16 floor at 160 samples.
    assert default_batch_size(n_train) == batch


@pytest.mark.parametrize(
    ("n_train", "batch", "epochs"),
    [
        (300, 16, 32),  # 19 steps per epoch: 600 steps take 32 epochs
        (30_000, 256, 8),  # 118 steps per epoch would need 6 epochs: the floor is 8
        (200, 16, 47),  # 13 steps per epoch: 600 steps take 47 epochs
    ],
)
def test_the_baseline_trains_about_600_steps_within_8_to_60_epochs(n_train, batch, epochs):
    _, train = baseline_configs(setup(n_train), seed=7)
    assert (train.batch_size, train.epochs) == (batch, epochs)
    assert baseline.BASELINE_TARGET_STEPS == 600 and baseline.BASELINE_EPOCHS_RANGE == (8, 60)


def test_the_baseline_is_the_default_network_with_no_regularization():
    model, train = baseline_configs(setup(300), seed=7)
    assert (model.architecture, model.depth, model.width, model.dropout) == (
        Architecture.MLP,
        2,
        64,
        0.0,
    )
    assert train.lr == baseline.DEFAULT_LR == 1e-3
    assert train.weight_decay == 0.0 and train.l1 == 0.0 and train.augment == ()
    assert train.early_stopping_patience is None
    assert train.schedule is ScheduleName.CONSTANT
    assert train.seed == 7 and train.class_weights is None

    image = ProblemSpec(
        task=Task.MULTICLASS,
        modality=Modality.IMAGE,
        n_samples=400,
        n_features=3 * 8 * 8,
        input_shape=(3, 8, 8),
        target_names=("label",),
        class_names=("a", "b"),
        class_counts={"a": 200, "b": 200},
    )
    cnn, _ = baseline_configs(setup(300, spec=image), seed=0)
    # Batch norm belongs to the conv net's architecture; dropout is still off.
    assert cnn.architecture is Architecture.CNN and cnn.batch_norm and cnn.dropout == 0.0


def _counts_spec(counts: dict[str, int], names: tuple[str, ...]) -> ProblemSpec:
    return ProblemSpec(
        task=Task.BINARY,
        modality=Modality.TABULAR,
        n_samples=sum(counts.values()),
        n_features=2,
        input_shape=(2,),
        target_names=("y",),
        class_names=names,
        class_counts=counts,
    )


def test_imbalanced_classes_get_inverse_frequency_weights_in_class_order():
    weights = balanced_class_weights(setup(spec=_counts_spec({"0": 90, "1": 10}, ("1", "0"))))
    assert weights == pytest.approx((5.0, 100 / 180))
    _, train = baseline_configs(setup(spec=_counts_spec({"0": 90, "1": 10}, ("0", "1"))), seed=0)
    assert train.class_weights == pytest.approx((100 / 180, 5.0))


def test_balanced_or_mildly_imbalanced_classes_and_regression_get_no_weights():
    # 40 of 100 is above half the balanced share (25): not imbalanced.
    assert balanced_class_weights(setup(spec=_counts_spec({"0": 60, "1": 40}, ("0", "1")))) is None
    assert balanced_class_weights(setup(spec=numeric_spec(400, 2, Task.REGRESSION))) is None


# --- the exploration plan --------------------------------------------------------------


def test_a_small_training_split_is_explored_whole_without_a_probe():
    small = setup(300, 100)
    assert measure_throughput(small, *baseline_configs(small, seed=0)) == math.inf
    plan = plan_exploration(small, seconds_whole=60, seconds_subset=30, samples_per_second=math.inf)
    assert (plan.n_explore, plan.n_val_explore) == (300, 100) and not plan.subsampled
    assert "small" in plan.reason
    assert plan.to_dict()["samples_per_second"] is None  # infinity is not JSON


def test_a_machine_fast_enough_for_250_epochs_explores_the_whole_split():
    whole = setup(20_000, 5_000)
    # 50,000 samples/s × 100 s / 250 epochs = 20,000 samples: exactly the training split.
    plan = plan_exploration(whole, seconds_whole=100, seconds_subset=60, samples_per_second=50_000)
    assert plan.n_explore == 20_000 and not plan.subsampled
    assert "affords about 250" in plan.reason
    assert plan.to_dict() == {
        "n_train": 20_000,
        "n_explore": 20_000,
        "n_val": 5_000,
        "n_val_explore": 5_000,
        "samples_per_second": 50_000.0,
        "reason": plan.reason,
    }


def test_every_fold_multiplies_the_cost_of_exploring():
    # The same machine with three folds affords a third: it explores on a subset.
    folds = setup(20_000, 5_000, n_folds=3)
    plan = plan_exploration(folds, seconds_whole=100, seconds_subset=60, samples_per_second=50_000)
    assert plan.subsampled
    # 50,000 × 60 s / (250 × 3) = 4,000; validation keeps half that, at least 1,000.
    assert (plan.n_explore, plan.n_val_explore) == (4_000, 2_000)


def test_a_slow_machine_explores_a_subset_sized_by_the_subset_time():
    slow = setup(100_000, 20_000)
    plan = plan_exploration(slow, seconds_whole=200, seconds_subset=1000, samples_per_second=2000)
    # 2,000 × 1,000 s / 250 = 8,000 training samples (the whole-split time is not used).
    assert (plan.n_train, plan.n_explore, plan.n_val, plan.n_val_explore) == (
        100_000,
        8_000,
        20_000,
        4_000,
    )
    assert plan.subsampled and "stratified subset of 8,000" in plan.reason


def test_a_subset_never_falls_below_the_minimum_sizes():
    slow = setup(100_000, 20_000)
    plan = plan_exploration(slow, seconds_whole=200, seconds_subset=150, samples_per_second=2000)
    # 1,200 affordable samples are too few to learn from: the floor of 4,000 applies, and
    # validation keeps half of that.
    assert baseline.MIN_EXPLORATION_SAMPLES == 4_000
    assert (plan.n_explore, plan.n_val_explore) == (4_000, 2_000)


def test_a_subset_keeping_more_than_half_the_data_is_not_worth_it():
    data = setup(10_000, 2_000)
    # 2,000 × 800 s / 250 = 6,400 of 10,000 samples: over half, so the whole split.
    plan = plan_exploration(data, seconds_whole=1000, seconds_subset=800, samples_per_second=2000)
    assert plan.n_explore == 10_000 and not plan.subsampled
    assert "too many to save much time" in plan.reason


def test_subsampling_cuts_every_fold_and_keeps_the_class_shares():
    data = setup(1000, 500, n_folds=2, positive_share=0.2)
    plan = ExplorationPlan(1000, 400, 500, 100, 1000.0, "test")
    cut = subsample(data, plan, seed=0)
    for fold in cut.folds:
        assert (len(fold.train), len(fold.val)) == (400, 100)
        assert int(fold.train.y.sum()) == 80 and int(fold.val.y.sum()) == 20
    assert cut.n_train == 400
    again = subsample(data, plan, seed=0)
    assert torch.equal(again.folds[0].train.y, cut.folds[0].train.y)  # the seed fixes it


def test_subsampling_a_regression_draws_distinct_rows_and_a_whole_plan_changes_nothing():
    data = setup(1000, 500, spec=numeric_spec(1500, 2, Task.REGRESSION))
    cut = subsample(data, ExplorationPlan(1000, 300, 500, 200, 1.0, "test"), seed=1)
    assert (len(cut.folds[0].train), len(cut.folds[0].val)) == (300, 200)
    assert len(set(cut.folds[0].train.y.tolist())) == 300  # targets 0…999: no row twice
    assert subsample(data, ExplorationPlan(1000, 1000, 500, 500, 1.0, "whole"), seed=1) is data


# --- the learning rate -----------------------------------------------------------------


def _finder(monkeypatch, suggested=None, error=None):
    calls = []

    def fake_find_lr(build, train, config, *, task, steps):
        calls.append(steps)
        if error is not None:
            raise error
        return LRFinderResult(suggested, (1e-4, 1e-2), (1.0, 0.5))

    monkeypatch.setattr(baseline, "find_lr", fake_find_lr)
    return calls


@pytest.mark.parametrize(
    ("suggested", "lr", "clamped"),
    [(1e-3, 1e-3, False), (1e-2, 3e-3, True), (1e-4, 5e-4, True)],
)
def test_the_lr_finder_suggestion_is_kept_within_adams_sane_range(
    monkeypatch, suggested, lr, clamped
):
    calls = _finder(monkeypatch, suggested)
    data = setup(300)
    info = baseline._choose_lr(data, *baseline_configs(data, seed=0), time.monotonic() + 60)
    assert calls == [60]
    assert info["lr"] == pytest.approx(lr) and info["suggested"] == suggested
    assert ("kept within" in info["why"]) is clamped
    assert info["curve"] == {"lrs": [1e-4, 1e-2], "losses": [1.0, 0.5]}


@pytest.mark.parametrize("suggested", [1e-5, 0.5])
def test_a_suggestion_over_ten_times_outside_the_range_is_not_trusted(monkeypatch, suggested):
    _finder(monkeypatch, suggested)
    data = setup(300)
    info = baseline._choose_lr(data, *baseline_configs(data, seed=0), time.monotonic() + 60)
    assert info["lr"] == baseline.DEFAULT_LR and info["suggested"] == suggested
    assert "not trusted" in info["why"]


def test_no_lr_range_test_without_the_time_or_a_usable_result(monkeypatch):
    data = setup(300)
    configs = baseline_configs(data, seed=0)
    calls = _finder(monkeypatch, 1e-3)
    short = baseline._choose_lr(data, *configs, time.monotonic() + 1)
    assert calls == [] and short["lr"] == baseline.DEFAULT_LR and short["suggested"] is None
    _finder(monkeypatch, math.nan)
    assert baseline._choose_lr(data, *configs, time.monotonic() + 60)["suggested"] is None
    _finder(monkeypatch, error=RuntimeError("boom"))
    failed = baseline._choose_lr(data, *configs, time.monotonic() + 60)
    assert failed["lr"] == baseline.DEFAULT_LR and "failed (boom)" in failed["why"]


# --- the retry and the common-sense check ------------------------------------------------


def _train(script, *, common_sense=0.5):
    scripted = ScriptedSetup(script, base=setup(300))
    # Under 5 s left: the LR range test is skipped, so nothing but the script runs.
    result = train_baseline_network(
        scripted,
        common_sense_score=common_sense,
        common_sense_model="majority class",
        deadline=time.monotonic() + 4,
        seed=0,
        verbose=False,
    )
    return result, scripted.calls


def test_curves_that_say_the_lr_is_too_high_retrain_at_three_tenths_of_it():
    def script(name, model, train):
        if name == "baseline":
            return at(
                evaluation(
                    val_score=0.6, codes=(FindingCode.LR_TOO_HIGH,), next_step=NextStep.LOWER_LR
                ),
                model,
                train,
                name,
            )
        return at(evaluation(val_score=0.7), model, train, name)

    result, calls = _train(script)
    assert [name for name, _, _ in calls] == ["baseline", "baseline_lower_lr"]
    assert calls[1][2].lr == pytest.approx(calls[0][2].lr * baseline.LR_BACKOFF)
    assert baseline.LR_BACKOFF == 0.3
    assert result.evaluation.name == "baseline_lower_lr" and len(result.attempts) == 2
    assert any(d.what.startswith("retrain at LR") for d in result.decisions)


def test_a_retry_that_scores_worse_keeps_the_first_training():
    def script(name, model, train):
        step = NextStep.LOWER_LR if name == "baseline" else NextStep.KEEP_SCALING
        score = 0.7 if name == "baseline" else 0.6
        return at(evaluation(val_score=score, next_step=step), model, train, name)

    result, _ = _train(script)
    assert result.evaluation.name == "baseline" and len(result.attempts) == 2


def test_a_baseline_below_common_sense_is_a_warning_and_above_it_a_decision():
    def script(name, model, train):
        return at(evaluation(val_score=0.55), model, train, name)

    above, calls = _train(script, common_sense=0.5)
    assert len(calls) == 1 and above.beats_common_sense
    assert not any(f.code is FindingCode.BELOW_COMMON_SENSE_BASELINE for f in above.findings)
    assert any("beats the common-sense score" in d.what for d in above.decisions)

    below, _ = _train(script, common_sense=0.6)
    assert not below.beats_common_sense
    (warning,) = [f for f in below.findings if f.code is FindingCode.BELOW_COMMON_SENSE_BASELINE]
    assert warning.severity is Severity.WARNING and "0.5500" in warning.evidence
