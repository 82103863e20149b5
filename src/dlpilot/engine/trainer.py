"""The training loop: one configuration, trained well and fast.

`fit` stays small: behaviour lives in callbacks. The pieces it puts together
live in private modules: `_batches` (in-memory data is batched by indexing
tensors with a shuffled index, streamed data goes through a DataLoader),
`_schedule` (optimizer and LR schedule), `_loop` (one epoch: the hot loop does
no host-device synchronisation per batch on a GPU; on a CPU the NaN check runs
before each update so the weights stay finite), `_predict` (eval-mode outputs)
and `_precision`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

# The first optimizer built imports torch._dynamo (about 2–3 s here). Importing it with the
# engine moves that one-time cost out of the first training's time budget.
import torch._dynamo
from torch import nn

from dlpilot.core.device import choose_device
from dlpilot.core.enums import Task
from dlpilot.core.errors import DataError
from dlpilot.core.history import History
from dlpilot.core.messages import msg
from dlpilot.core.seeding import seeded
from dlpilot.engine._batches import EVAL_BATCH_SIZE, Data, batch_source, uses_channels_last
from dlpilot.engine._loop import GPU_NAN_CHECK_EVERY, EpochLoop, Hooks
from dlpilot.engine._precision import autocast, resolve_precision
from dlpilot.engine._predict import eval_outputs, predict_scores
from dlpilot.engine._schedule import Schedule, make_optimizer
from dlpilot.engine.backbones import features_data, frozen_backbone_of
from dlpilot.engine.callbacks import (
    Callback,
    EarlyStopping,
    HistoryRecorder,
    ProgressBar,
    TrainerState,
)
from dlpilot.engine.config import Precision, TrainConfig
from dlpilot.engine.data import check_augment
from dlpilot.engine.heads import make_loss, scores_from_outputs, target_std_of

__all__ = [
    "EVAL_BATCH_SIZE",
    "GPU_NAN_CHECK_EVERY",
    "Data",
    "EpochMetric",
    "FitResult",
    "autocast",
    "fit",
    "make_optimizer",
    "predict_scores",
    "resolve_precision",
    "uses_channels_last",
]


@dataclass(frozen=True)
class EpochMetric:
    """The primary metric, computed from encoded targets and scores (core.metrics' form)."""

    name: str
    fn: Callable[[np.ndarray, np.ndarray], float]
    greater_is_better: bool

    def __repr__(self) -> str:
        return f"EpochMetric({self.name!r}, greater_is_better={self.greater_is_better})"


@dataclass
class FitResult:
    """What a training produced.

    ``best_epoch`` / ``best_value`` refer to the monitored key: the early
    stopping monitor when early stopping ran, else ``val_{metric}``,
    ``val_loss`` or ``loss``, the first that exists. ``model`` holds the best
    epoch's weights when early stopping restored them, else the last epoch's.
    """

    model: nn.Module
    history: History
    best_epoch: int
    best_value: float | None
    epochs_run: int
    diverged: bool
    stopped_early: bool
    seconds: float
    monitor: str = "loss"
    stopped_by: str | None = None
    precision: Precision = Precision.FP32


def fit(
    model: nn.Module,
    train: Data,
    val: Data | None,
    config: TrainConfig,
    *,
    task: Task,
    metric: EpochMetric | None = None,
    callbacks: Sequence[Callback] = (),
    verbose: bool = True,
    device: torch.device | str | None = None,
    num_workers: int | None = None,
) -> FitResult:
    """Train ``model`` on ``train``, validating on ``val`` after every epoch.

    History keys: ``loss``, ``{metric}``, ``val_loss``, ``val_{metric}``, ``lr``,
    ``seconds``. The training metric is computed from the outputs of the
    training batches as they went (dropout and augmentation on, weights
    changing), as Keras does: free, but not the score of the final weights.
    ``loss`` and ``val_loss`` are the task loss without the L1 penalty, so the
    two compare. A NaN or infinite loss ends training at once with
    ``diverged=True``. ``num_workers`` applies to streamed (`Dataset`) data.
    """
    task = Task(task)
    device = choose_device(device)
    precision = resolve_precision(config.precision, device)
    started = time.perf_counter()
    frozen = frozen_backbone_of(model)
    if frozen is not None and not config.augment:
        # A frozen backbone's features do not change: compute them once, train the head.
        frozen.to(device)
        train = features_data(frozen, train)
        val = features_data(frozen, val) if val is not None else None

    batches = batch_source(train, config, device, shuffle=True, num_workers=num_workers)
    val_source = (
        batch_source(val, config, device, shuffle=False, num_workers=num_workers)
        if val is not None
        else None
    )
    check_augment(config.augment, batches.x_ndim)
    _check_targets(batches.y_sample, task)

    model.to(device)
    if uses_channels_last(batches.x_ndim):
        model.to(memory_format=torch.channels_last)
    loss_fn = make_loss(
        task,
        class_weights=config.class_weights,
        label_smoothing=config.label_smoothing,
        target_std=target_std_of(model),
    ).to(device)
    optimizer = make_optimizer(model, config)
    schedule = Schedule(optimizer, config, batches.steps_per_epoch)

    state = TrainerState(
        model=model,
        optimizer=optimizer,
        epochs=config.epochs,
        steps_per_epoch=batches.steps_per_epoch,
        metric_name=metric.name if metric else None,
        metric_greater_is_better=metric.greater_is_better if metric else True,
    )
    recorder = HistoryRecorder(
        History(metric=state.metric_name, greater_is_better=state.metric_greater_is_better)
    )
    state.history = recorder.history
    monitor = (
        f"val_{metric.name}"
        if metric and val is not None
        else "val_loss"
        if val is not None
        else "loss"
    )
    all_callbacks: list[Callback] = [recorder]
    if config.early_stopping_patience is not None:
        all_callbacks.append(EarlyStopping(monitor, patience=config.early_stopping_patience))
    all_callbacks += list(callbacks)
    if verbose:
        all_callbacks.append(ProgressBar())
    hooks = Hooks(all_callbacks, state)

    loop = EpochLoop(model, batches, loss_fn, optimizer, schedule, config, precision, device)
    loop.keep_outputs = metric is not None
    diverged = partial = False
    epochs_run = 0
    try:
        with seeded(config.seed, device):
            hooks.call("on_train_begin")
            for epoch in range(1, config.epochs + 1):
                state.epoch = epoch
                hooks.call("on_epoch_begin", epoch)
                t0 = time.perf_counter()
                run = loop.run(hooks, state, task, first=epoch == 1)
                diverged, partial = run.diverged, run.partial
                logs: dict[str, float] = {"loss": run.loss}
                if metric is not None:
                    logs[metric.name] = (
                        _score(metric, run.targets, run.outputs, task) if run.ok else math.nan
                    )
                if val_source is not None:
                    val_out, val_y = (
                        eval_outputs(model, val_source, precision, device)
                        if run.ok
                        else (None, None)
                    )
                    logs["val_loss"] = float(loss_fn(val_out, val_y)) if run.ok else math.nan
                    if metric is not None:
                        logs[f"val_{metric.name}"] = (
                            _score(metric, val_y, val_out, task) if run.ok else math.nan
                        )
                logs["lr"] = run.lr
                logs["seconds"] = time.perf_counter() - t0
                epochs_run = epoch
                if not diverged:
                    schedule.after_epoch(logs.get(monitor), state.greater_is_better(monitor))
                hooks.call("on_epoch_end", epoch, logs)
                if diverged or state.stop_training:
                    break
            hooks.call("on_train_end")
    finally:
        for cb in all_callbacks:
            cb.close()

    best_epoch, best_value, monitor = _best(all_callbacks, recorder.history, monitor, state)
    stopped_early = (
        not diverged and hooks.stopped_by is not None and (epochs_run < config.epochs or partial)
    )
    return FitResult(
        model=model,
        history=recorder.history,
        best_epoch=best_epoch,
        best_value=best_value,
        epochs_run=epochs_run,
        diverged=diverged,
        stopped_early=stopped_early,
        seconds=time.perf_counter() - started,
        monitor=monitor,
        stopped_by=hooks.stopped_by if stopped_early else None,
        precision=precision,
    )


def _check_targets(y: torch.Tensor, task: Task) -> None:
    if task.is_classification and (y.is_floating_point() or y.ndim != 1):
        raise DataError(
            msg(
                "A {task} task needs int64 class indices shaped (N,); got {dtype} shaped "
                "{shape}. Encode targets with core.targets.encode_target.",
                task=task,
                dtype=y.dtype,
                shape=tuple(y.shape),
            )
        )
    if task is Task.MULTILABEL and y.ndim != 2:
        raise DataError(
            msg(
                "A multilabel task needs an N×k 0/1 target matrix; got shape {shape}.",
                shape=tuple(y.shape),
            )
        )
    if task.is_regression and not y.is_floating_point():
        raise DataError(
            msg("A {task} task needs float targets; got {dtype}.", task=task, dtype=y.dtype)
        )


def _score(metric: EpochMetric, y: torch.Tensor, outputs: torch.Tensor, task: Task) -> float:
    scores = scores_from_outputs(outputs, task).cpu().numpy()
    return float(metric.fn(y.cpu().numpy(), scores))


def _best(
    callbacks: Sequence[Callback], history: History, monitor: str, state: TrainerState
) -> tuple[int, float | None, str]:
    for cb in callbacks:
        if isinstance(cb, EarlyStopping):
            return cb.best_epoch, cb.best, cb.monitor
    values = history.get(monitor) or []
    greater = state.greater_is_better(monitor)
    best_epoch, best = 0, None
    for i, v in enumerate(values, start=1):
        if math.isfinite(v) and (best is None or (v > best if greater else v < best)):
            best_epoch, best = i, v
    return best_epoch, best, monitor
