"""Stage 7's planning: the search space around stage 6's network, and how long a trial runs.

Nothing trains and no study runs: configurations are drawn from the space with Optuna's
`FixedTrial`, so each draw is exactly the one a test names.
"""

from __future__ import annotations

import optuna
import pytest
from stage_results import evaluation, setup

from dlpilot.core.enums import Modality, Task
from dlpilot.engine import (
    Architecture,
    Augmentation,
    ModelConfig,
    OptimizerName,
    ScheduleName,
    TrainConfig,
)
from dlpilot.stages import tune
from dlpilot.stages.tune import SearchSpace, TrialRow, Tuning, search_space


def _space(
    around: ModelConfig | None = None,
    *,
    base: TrainConfig | None = None,
    baseline: tuple[int, int] = (2, 64),
    modality: Modality = Modality.TABULAR,
    task: Task = Task.BINARY,
    n_train: int = 1000,
) -> SearchSpace:
    return SearchSpace(
        around=around or ModelConfig(Architecture.MLP, depth=3, width=128),
        base=base or TrainConfig(seed=5),
        baseline_depth=baseline[0],
        baseline_width=baseline[1],
        modality=modality,
        task=task,
        n_train=n_train,
        max_epochs=24,
        patience=4,
    )


@pytest.mark.parametrize(
    ("around_depth", "baseline_depth", "depths"),
    [(4, 2, (2, 5)), (3, 2, (2, 4)), (2, 2, (1, 3)), (1, 1, (1, 2))],
)
def test_depth_ranges_one_below_to_one_above_stage_6s_network(around_depth, baseline_depth, depths):
    space = _space(ModelConfig(Architecture.MLP, depth=around_depth), baseline=(baseline_depth, 64))
    assert space.depths() == depths


@pytest.mark.parametrize(
    ("around_width", "widths"),
    [
        (64, [32, 64, 128]),
        (256, [64, 128, 256, 512]),  # down to the baseline's width, in doublings
        (12, [8, 12, 24]),  # never narrower than 8
        (2048, [64, 128, 256, 512, 1024, 2048]),  # never wider than 2048
    ],
)
def test_widths_run_in_doublings_from_the_baseline_to_twice_stage_6s(around_width, widths):
    assert _space(ModelConfig(Architecture.MLP, width=around_width)).widths() == widths


@pytest.mark.parametrize(
    ("n_train", "sizes"),
    [
        (40, [2, 4, 8, 16]),  # a tiny split keeps the small batches of stage 5's n/10 rule
        (159, [2, 4, 8, 16, 32]),
        (1000, [16, 32, 64, 128]),
        (100_000, [16, 32, 64, 128, 256, 512, 1024]),
    ],
)
def test_batch_sizes_go_up_to_a_quarter_of_the_training_split(n_train, sizes):
    assert _space(n_train=n_train).batch_sizes() == sizes


# --- the trial length ------------------------------------------------------------------


def _scaled(*, best_epoch=10, seconds=10.0, epochs_run=10, n_histories=1, patience=None):
    return evaluation(
        "scale_2",
        model=ModelConfig(Architecture.MLP, depth=3, width=128),
        train=TrainConfig(lr=2e-3, batch_size=32, early_stopping_patience=patience),
        best_epoch=best_epoch,
        seconds=seconds,
        epochs_run=epochs_run,
        n_histories=n_histories,
    )


@pytest.mark.parametrize(
    ("seconds", "max_epochs"),
    [
        (400, 20),  # 8 trials of 20 epochs at 1 s each fit: twice the best epoch (10)
        (80, 10),  # only 80 s: 8 trials of 10 epochs
        (8, 5),  # never under 5 epochs
    ],
)
def test_holdout_trials_run_twice_the_best_epoch_as_far_as_8_trials_fit(seconds, max_epochs):
    space = search_space(setup(1000), evaluation(), _scaled(), seconds=seconds)
    assert space.max_epochs == max_epochs
    assert space.patience == 3  # a sixth of the epochs, at least 3


def test_the_trial_length_follows_the_epoch_where_stage_6_peaked():
    long = search_space(setup(1000), evaluation(), _scaled(best_epoch=40), seconds=10_000)
    assert (long.max_epochs, long.patience) == (80, 13)
    early = search_space(setup(1000), evaluation(), _scaled(best_epoch=1), seconds=10_000)
    assert early.max_epochs == 5


def test_kfold_trials_keep_their_length_as_long_as_one_trial_fits():
    # Stage 6 took 5 s per epoch over its 5 folds. In 100 s one 20-epoch K-fold trial fits;
    # hold-out would cut trials to 100 / (8 × 5) = 2 epochs, raised to the floor of 5.
    kfold = search_space(
        setup(1000, n_folds=5), evaluation(), _scaled(seconds=50, n_histories=5), seconds=100
    )
    assert kfold.max_epochs == 20
    holdout = search_space(setup(1000), evaluation(), _scaled(seconds=50), seconds=100)
    assert holdout.max_epochs == 5


def test_a_scale_step_cut_short_is_projected_to_every_fold():
    # Trained on 1 of 5 folds at 1 s per epoch: a trial over all 5 costs 5 s per epoch.
    space = search_space(
        setup(1000, n_folds=5), evaluation(), _scaled(seconds=10, n_histories=1), seconds=60
    )
    assert space.max_epochs == 12


def test_the_space_is_built_around_stage_6s_network_without_its_early_stopping():
    base = evaluation(model=ModelConfig(Architecture.MLP, depth=1, width=32))
    scaled = _scaled(patience=7)
    space = search_space(setup(1000), base, scaled, seconds=400)
    assert space.around == scaled.model
    assert space.base == TrainConfig(lr=2e-3, batch_size=32)  # patience gone
    assert (space.baseline_depth, space.baseline_width) == (1, 32)
    assert (space.modality, space.task, space.n_train) == (Modality.TABULAR, Task.BINARY, 1000)


def test_the_decision_says_why_trials_are_as_long_as_they_are():
    assert "at least 8 fit in the tuning time" in tune._trial_length_reason(1)
    assert "fewer trials run rather than shorter ones" in tune._trial_length_reason(5)


# --- drawing and enqueueing configurations ---------------------------------------------


def test_the_baselines_parameters_reproduce_it_when_enqueued():
    space = _space()
    model = ModelConfig(Architecture.MLP, depth=2, width=64)
    train = TrainConfig(lr=1e-3, batch_size=32)
    params = space.params_for(model, train)
    assert params == {
        "depth": 2,
        "width_step": -1,
        "dropout": 0.0,
        "batch_norm": False,
        "optimizer": "adam",
        "lr": 1e-3,
        "weight_decay": tune.WEIGHT_DECAY_RANGE[0],
        "l1": tune.L1_RANGE[0],
        "schedule": "constant",
        "batch_size": 32,
    }
    drawn_model, drawn_train = space.suggest(optuna.trial.FixedTrial(params))
    assert drawn_model == model
    assert (drawn_train.optimizer, drawn_train.lr, drawn_train.batch_size) == (
        OptimizerName.ADAM,
        1e-3,
        32,
    )
    assert drawn_train.schedule is ScheduleName.CONSTANT
    # Every trial runs the space's epochs with early stopping, from its own seed.
    assert (drawn_train.epochs, drawn_train.early_stopping_patience) == (24, 4)
    assert drawn_train.seed == 5 + 1000


def test_the_regularized_network_enqueued_for_images_has_dropout_decay_cosine_and_crop():
    space = _space(
        ModelConfig(Architecture.CNN, depth=3, width=32, batch_norm=True),
        baseline=(3, 32),
        modality=Modality.IMAGE,
        task=Task.MULTICLASS,
    )
    params = space.params_for(
        space.around, TrainConfig(batch_size=64), augment="crop", regularize=True
    )
    assert (params["dropout"], params["weight_decay"], params["schedule"]) == (0.2, 1e-4, "cosine")
    assert (params["label_smoothing"], params["augment"]) == (0.1, "crop")
    model, train = space.suggest(optuna.trial.FixedTrial(params, number=2))
    assert model.dropout == 0.2 and model.batch_norm
    assert train.augment == (Augmentation.CROP,) and train.label_smoothing == 0.1
    assert train.seed == 5 + 3000


def test_enqueued_values_are_pulled_into_the_space():
    space = _space()  # widths 64, 128, 256; batch sizes up to 128
    params = space.params_for(
        ModelConfig(Architecture.MLP, depth=2, width=4096), TrainConfig(lr=1.0, batch_size=50)
    )
    assert params["width_step"] == 1  # 4096 is not in the space: its widest, 256
    assert params["lr"] == tune.LR_RANGE[1]
    assert params["batch_size"] == 64  # the nearest size in the space
    assert space.params_for(space.around, TrainConfig(lr=1e-6))["lr"] == tune.LR_RANGE[0]
    assert "label_smoothing" not in params and "augment" not in params  # binary, tabular


def test_sgd_draws_use_nesterov_momentum():
    space = _space()
    params = {**space.params_for(space.around, TrainConfig()), "optimizer": "sgd"}
    _, train = space.suggest(optuna.trial.FixedTrial(params))
    assert train.optimizer is OptimizerName.SGD and train.nesterov


def test_a_torchvision_backbone_keeps_its_size_in_every_draw():
    space = _space(ModelConfig(Architecture.TV_RESNET18), modality=Modality.IMAGE)
    params = space.params_for(space.around, TrainConfig(), augment="none")
    del params["depth"], params["width_step"]  # not drawn: FixedTrial would fail if asked
    model, _ = space.suggest(optuna.trial.FixedTrial(params))
    assert (model.depth, model.width) == (space.around.depth, space.around.width)


def test_the_space_travels_as_plain_data():
    space = _space(modality=Modality.IMAGE, task=Task.MULTICLASS)
    assert SearchSpace.from_dict(space.to_dict()) == space


# --- stage 7's result ------------------------------------------------------------------


def _tuning(rows):
    return Tuning(
        best_number=None,
        best_model=ModelConfig(Architecture.MLP),
        best_train=TrainConfig(),
        best_value=0.0,
        best_epoch=1,
        best_val_scores={},
        trials=tuple(rows),
        importances={},
        space=_space(),
        decisions=(),
        findings=(),
    )


def test_the_best_so_far_curve_runs_over_completed_trials_in_trial_order():
    rows = [
        TrialRow(5, "COMPLETE", 0.95, {}, 1.0, 3),
        TrialRow(0, "COMPLETE", 0.7, {}, 1.0, 3),
        TrialRow(1, "PRUNED", None, {}, 1.0, None),
        TrialRow(3, "FAIL", None, {}, None, None),
        TrialRow(2, "COMPLETE", 0.9, {}, 1.0, 3),
        TrialRow(4, "COMPLETE", 0.8, {}, 1.0, 3),
    ]
    tuning = _tuning(rows)
    assert tuning.best_so_far(True) == [(0, 0.7), (2, 0.9), (4, 0.9), (5, 0.95)]
    assert tuning.best_so_far(False) == [(0, 0.7), (2, 0.7), (4, 0.7), (5, 0.7)]
    assert tuning.counts() == {"COMPLETE": 4, "PRUNED": 1, "FAIL": 1}
