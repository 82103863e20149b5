"""The training loop: convergence, schedules, early stopping, L1, divergence, seeds, precision."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch.utils.data import TensorDataset

from dlpilot.core.device import supports_bf16
from dlpilot.core.enums import Task
from dlpilot.core.history import History
from dlpilot.engine import (
    Architecture,
    Callback,
    Checkpoint,
    EpochMetric,
    ModelConfig,
    Precision,
    ScheduleName,
    TensorData,
    TimeLimit,
    TrainConfig,
    build_model,
    default_model_config,
    fit,
    predict_scores,
    resolve_precision,
)

ACCURACY = EpochMetric(
    "accuracy", lambda y, s: float((np.argmax(s, axis=1) == y).mean()), greater_is_better=True
)


def mlp(width: int = 32, seed: int = 0, **kw) -> torch.nn.Module:
    return build_model(
        ModelConfig(Architecture.MLP, depth=2, width=width, **kw),
        input_shape=(8,),
        n_outputs=3,
        seed=seed,
    )


def comparable(history: History) -> dict[str, list[float]]:
    return {k: v for k, v in history.columns.items() if k != "seconds"}


def test_history_keys_and_learning(blobs) -> None:
    train, val = blobs
    result = fit(
        mlp(),
        train,
        val,
        TrainConfig(epochs=6, batch_size=16, lr=3e-3),
        task=Task.MULTICLASS,
        metric=ACCURACY,
        verbose=False,
    )
    h = result.history
    assert list(h.columns) == ["loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds"]
    assert len(h) == 6 == result.epochs_run
    assert h.get("loss")[-1] < h.get("loss")[0]
    assert h.last("val_accuracy") > 0.9
    assert result.monitor == "val_accuracy"
    assert result.best_value == max(h.get("val_accuracy"))
    assert not result.diverged and not result.stopped_early


@pytest.mark.parametrize(
    ("config", "input_shape"),
    [
        (ModelConfig(Architecture.MLP, depth=2, width=64), (8,)),
        (None, (1, 12, 12)),  # the default image network
    ],
)
def test_overfits_one_small_batch(config, input_shape) -> None:
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(16, *input_shape, generator=gen)
    y = torch.randint(0, 4, (16,), generator=gen)
    cfg = config or default_model_config("image")
    model = build_model(cfg, input_shape=input_shape, n_outputs=4)
    result = fit(
        model,
        TensorData(x, y),
        None,
        TrainConfig(epochs=80, batch_size=16, lr=3e-3),
        task=Task.MULTICLASS,
        verbose=False,
    )
    assert result.history.last("loss") < 0.05


def _torch_lrs(make, epochs: int, steps: int, per_batch: bool) -> list[float]:
    """The LR the last batch of each epoch used, by torch's own scheduler stepped as torch says."""
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    sched = make(opt)
    lrs = []
    for _ in range(epochs):
        for _ in range(steps):
            last = opt.param_groups[0]["lr"]
            opt.step()
            if per_batch:
                sched.step()
        lrs.append(last)
        if not per_batch:
            sched.step()
    return lrs


S = torch.optim.lr_scheduler


@pytest.mark.parametrize(
    ("schedule", "extra", "make", "per_batch"),
    [
        (ScheduleName.STEP, {"step_size": 2}, lambda o: S.StepLR(o, 2, gamma=0.1), False),
        (
            ScheduleName.MULTISTEP,
            {"milestones": (2, 5), "lr_gamma": 0.5},
            lambda o: S.MultiStepLR(o, [2, 5], gamma=0.5),
            False,
        ),
        (
            ScheduleName.EXPONENTIAL,
            {"lr_gamma": 0.7},
            lambda o: S.ExponentialLR(o, gamma=0.7),
            False,
        ),
        (ScheduleName.COSINE, {}, lambda o: S.CosineAnnealingLR(o, T_max=6), False),
        (
            ScheduleName.ONECYCLE,
            {},
            lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=6 * 4, cycle_momentum=True),
            True,
        ),
    ],
)
def test_schedules_change_lr_as_torch_defines(blobs, schedule, extra, make, per_batch) -> None:
    train, _ = blobs  # 96 samples, batch 24 → 4 steps per epoch
    cfg = TrainConfig(optimizer="sgd", lr=0.1, epochs=6, batch_size=24, schedule=schedule, **extra)
    result = fit(mlp(), train, None, cfg, task=Task.MULTICLASS, verbose=False)
    expected = _torch_lrs(make, 6, 4, per_batch)
    assert result.history.get("lr") == pytest.approx(expected, rel=1e-9)
    assert len(set(np.round(expected, 12))) > 1


def test_linear_warmup_then_schedule(blobs) -> None:
    train, _ = blobs
    cfg = TrainConfig(
        optimizer="sgd",
        lr=0.1,
        epochs=5,
        batch_size=24,
        warmup_epochs=2,
        schedule="step",
        step_size=1,
        lr_gamma=0.5,
    )
    result = fit(mlp(), train, None, cfg, task=Task.MULTICLASS, verbose=False)
    # 8 warm-up steps: the last batch of epoch 1 uses 4/8 of the LR, of epoch 2 8/8;
    # then StepLR halves every epoch, counting from the end of the warm-up.
    assert result.history.get("lr") == pytest.approx([0.05, 0.1, 0.1, 0.05, 0.025])


def test_plateau_reacts_to_a_plateau(blobs) -> None:
    train, val = blobs
    # An LR this small changes val_loss by far less than the plateau threshold (1e-4
    # relative): a plateau. (ReduceLROnPlateau ignores cuts smaller than 1e-8, so not 1e-12.)
    cfg = TrainConfig(
        optimizer="sgd",
        lr=1e-6,
        momentum=0.0,
        epochs=6,
        batch_size=24,
        schedule="plateau",
        plateau_patience=1,
        lr_gamma=0.5,
    )
    result = fit(mlp(), train, val, cfg, task=Task.MULTICLASS, verbose=False)
    lrs = result.history.get("lr")
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1e-6)
    ref = S.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
    expected = []
    for v in result.history.get("val_loss"):
        expected.append(opt.param_groups[0]["lr"])
        ref.step(v)
    assert lrs == pytest.approx(expected, rel=1e-9)
    assert lrs[-1] < lrs[0]


class Snapshots(Callback):
    def __init__(self) -> None:
        self.weights: dict[int, dict[str, torch.Tensor]] = {}

    def on_epoch_end(self, epoch, logs) -> None:
        self.weights[epoch] = {k: v.clone() for k, v in self.trainer.model.state_dict().items()}


def test_early_stopping_restores_the_best_epoch(gen) -> None:
    # Random labels: the network memorises the training set and validation loss rises.
    x, xv = torch.randn(64, 8, generator=gen), torch.randn(64, 8, generator=gen)
    y, yv = torch.randint(0, 3, (64,), generator=gen), torch.randint(0, 3, (64,), generator=gen)
    snaps = Snapshots()
    result = fit(
        mlp(width=128),
        TensorData(x, y),
        TensorData(xv, yv),
        TrainConfig(epochs=60, batch_size=16, lr=1e-2, early_stopping_patience=3),
        task=Task.MULTICLASS,
        callbacks=[snaps],
        verbose=False,
    )
    val_loss = result.history.get("val_loss")
    best = int(np.argmin(val_loss)) + 1
    assert result.stopped_early and result.stopped_by == "EarlyStopping"
    assert result.best_epoch == best < result.epochs_run == best + 3
    assert result.monitor == "val_loss" and result.best_value == min(val_loss)
    restored = result.model.state_dict()
    assert all(torch.equal(restored[k], v) for k, v in snaps.weights[best].items())
    assert not all(torch.equal(restored[k], v) for k, v in snaps.weights[result.epochs_run].items())


def test_l1_lowers_the_weights_l1_norm(blobs) -> None:
    train, _ = blobs

    def norm(l1: float) -> float:
        model = mlp(width=64)
        fit(
            model,
            train,
            None,
            TrainConfig(epochs=15, batch_size=16, lr=3e-3, l1=l1),
            task=Task.MULTICLASS,
            verbose=False,
        )
        return sum(float(p.detach().abs().sum()) for p in model.parameters() if p.ndim >= 2)

    assert norm(1e-2) < 0.7 * norm(0.0)


def test_absurd_lr_is_reported_as_diverged(blobs) -> None:
    train, val = blobs
    result = fit(
        mlp(),
        train,
        val,
        TrainConfig(optimizer="sgd", lr=1e8, epochs=10, batch_size=16),
        task=Task.MULTICLASS,
        metric=ACCURACY,
        verbose=False,
    )
    assert result.diverged and not result.stopped_early
    assert result.epochs_run < 10
    assert math.isnan(result.history.last("loss"))
    assert math.isnan(result.history.last("val_loss"))


def test_same_seed_same_history_other_seed_other_history(gen) -> None:
    x = torch.randn(40, 1, 12, 12, generator=gen)
    y = torch.randint(0, 3, (40,), generator=gen)
    data = TensorData(x, y)
    cfg_model = ModelConfig(Architecture.CNN, depth=2, width=8, dropout=0.3, batch_norm=True)

    def run(seed: int) -> History:
        model = build_model(cfg_model, input_shape=(1, 12, 12), n_outputs=3, seed=seed)
        cfg = TrainConfig(
            epochs=3, batch_size=8, seed=seed, augment=("flip", "crop", "rotate", "erase")
        )
        return fit(
            model, data, data, cfg, task=Task.MULTICLASS, metric=ACCURACY, verbose=False
        ).history

    torch.manual_seed(123)  # the caller's global state must not matter
    first = comparable(run(7))
    torch.manual_seed(456)
    assert comparable(run(7)) == first
    assert comparable(run(8)) != first


@pytest.mark.parametrize("precision", [Precision.FP32, Precision.BF16])
def test_bf16_and_fp32_paths_both_train(gen, precision) -> None:
    x = torch.randn(32, 3, 12, 12, generator=gen)
    y = torch.randint(0, 2, (32,), generator=gen)
    model = build_model(default_model_config("image"), input_shape=(3, 12, 12), n_outputs=1)
    result = fit(
        model,
        TensorData(x, y),
        TensorData(x, y),
        TrainConfig(epochs=4, batch_size=8, lr=3e-3, precision=precision),
        task=Task.BINARY,
        verbose=False,
    )
    assert result.precision is precision
    assert result.history.get("loss")[-1] < result.history.get("loss")[0]
    scores = predict_scores(model, x, task=Task.BINARY, precision=precision)
    assert scores.shape == (32,) and np.all((scores >= 0) & (scores <= 1))


def test_auto_precision_follows_the_hardware() -> None:
    cpu = torch.device("cpu")
    expected = Precision.BF16 if supports_bf16(cpu) else Precision.FP32
    assert resolve_precision(Precision.AUTO, cpu) is expected


class Pruned(Exception):
    """Stands in for optuna.TrialPruned."""


class PruneAtEpoch2(Callback):
    def on_epoch_end(self, epoch, logs) -> None:
        if epoch == 2:
            raise Pruned(f"pruned at {epoch}")


def test_exception_in_a_callback_propagates_unchanged(blobs) -> None:
    train, val = blobs
    with pytest.raises(Pruned, match="pruned at 2"):
        fit(
            mlp(),
            train,
            val,
            TrainConfig(epochs=5, batch_size=16),
            task=Task.MULTICLASS,
            callbacks=[PruneAtEpoch2()],
            verbose=True,
        )


def test_optuna_trial_pruned_propagates(blobs) -> None:
    optuna = pytest.importorskip("optuna")

    class Prune(Callback):
        def on_batch_end(self, batch, logs=None) -> None:
            raise optuna.TrialPruned("hopeless")

    train, _ = blobs
    with pytest.raises(optuna.TrialPruned, match="hopeless"):
        fit(
            mlp(),
            train,
            None,
            TrainConfig(epochs=2),
            task=Task.MULTICLASS,
            callbacks=[Prune()],
            verbose=False,
        )


def test_time_limit_stops_within_the_epoch(blobs) -> None:
    train, val = blobs
    result = fit(
        mlp(),
        train,
        val,
        TrainConfig(epochs=50, batch_size=8),
        task=Task.MULTICLASS,
        callbacks=[TimeLimit(1e-6)],
        verbose=False,
    )
    assert result.epochs_run == 1 and result.stopped_early and result.stopped_by == "TimeLimit"
    assert math.isfinite(result.history.last("val_loss"))
    import time

    past = TimeLimit.until(time.monotonic() - 1.0, within_epoch=False)
    result = fit(
        mlp(),
        train,
        None,
        TrainConfig(epochs=50),
        task=Task.MULTICLASS,
        callbacks=[past],
        verbose=False,
    )
    assert result.epochs_run == 1 and result.stopped_by == "TimeLimit"


def test_checkpoint_and_progress_line(blobs, tmp_path, capsys) -> None:
    train, val = blobs
    path = tmp_path / "best.pt"
    model = mlp()
    fit(
        model,
        train,
        val,
        TrainConfig(epochs=2, batch_size=16),
        task=Task.MULTICLASS,
        metric=ACCURACY,
        callbacks=[Checkpoint(path, monitor="val_accuracy")],
        verbose=True,
    )
    state = torch.load(path, weights_only=True)
    assert set(state) == set(model.state_dict())
    err = capsys.readouterr().err
    assert "epoch 1/2" in err and "epoch 2/2" in err and "val_accuracy" in err


def test_streamed_dataset_trains_like_tensors(blobs) -> None:
    train, val = blobs
    result = fit(
        mlp(),
        TensorDataset(train.x, train.y),
        TensorDataset(val.x, val.y),
        TrainConfig(epochs=3, batch_size=16, lr=3e-3),
        task=Task.MULTICLASS,
        metric=ACCURACY,
        verbose=False,
        num_workers=1,
    )
    assert result.history.get("loss")[-1] < result.history.get("loss")[0]
    assert result.history.last("val_accuracy") > 0.8


def test_targets_and_outputs_are_checked(blobs) -> None:
    from dlpilot.core.errors import ConfigError, DataError

    train, _ = blobs
    with pytest.raises(DataError, match="int64 class indices"):
        fit(
            mlp(),
            TensorData(train.x, train.y.float()),
            None,
            TrainConfig(epochs=1),
            task=Task.MULTICLASS,
            verbose=False,
        )
    with pytest.raises(ConfigError, match="class_weights has 2 values"):
        fit(
            mlp(),
            train,
            None,
            TrainConfig(epochs=1, class_weights=(1.0, 2.0)),
            task=Task.MULTICLASS,
            verbose=False,
        )
    with pytest.raises(ConfigError, match="augment"):
        fit(
            mlp(),
            train,
            None,
            TrainConfig(epochs=1, augment=("flip",)),
            task=Task.MULTICLASS,
            verbose=False,
        )


def test_class_weights_shift_predictions_toward_the_heavy_class(gen) -> None:
    x = torch.randn(64, 8, generator=gen)
    y = torch.randint(0, 3, (64,), generator=gen)  # noise: the prior is all there is to learn

    def share_of_class_2(weights):
        model = mlp()
        cfg = TrainConfig(epochs=10, batch_size=16, lr=3e-3, class_weights=weights)
        fit(model, TensorData(x, y), None, cfg, task=Task.MULTICLASS, verbose=False)
        return float((predict_scores(model, x, task=Task.MULTICLASS).argmax(1) == 2).mean())

    assert share_of_class_2((1.0, 1.0, 20.0)) > share_of_class_2(None)
