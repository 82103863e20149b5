"""The training loop: one configuration, trained well and fast.

`fit` stays small: behaviour lives in callbacks. The hot loop does no
host-device synchronisation per batch on a GPU (the loss is accumulated as a
tensor and checked for NaN every few batches); on a CPU, where every op is
synchronous anyway, the NaN check runs before each update so the weights stay
finite. In-memory data is batched by indexing tensors with a shuffled index.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

# The first optimizer built imports torch._dynamo (about 2–3 s here). Importing it with the
# engine moves that one-time cost out of the first training's time budget.
import torch._dynamo
from torch import nn
from torch.utils.data import DataLoader
from torch.utils.data import Dataset as TorchDataset

from dlpilot.core.device import choose_device, supports_bf16
from dlpilot.core.enums import Task
from dlpilot.core.errors import ConfigError, DataError
from dlpilot.core.history import History
from dlpilot.core.seeding import make_generator, seeded
from dlpilot.engine.callbacks import (
    Callback,
    EarlyStopping,
    HistoryRecorder,
    ProgressBar,
    TrainerState,
)
from dlpilot.engine.config import OptimizerName, Precision, ScheduleName, TrainConfig
from dlpilot.engine.data import TensorData, augment_batch, check_augment
from dlpilot.engine.heads import make_loss, scores_from_outputs, target_std_of

Data = TensorData | TorchDataset

# On a GPU, check the running loss for NaN every this many batches: each check
# is a host-device sync. On a CPU ops are synchronous, so every batch is checked.
GPU_NAN_CHECK_EVERY = 16
# Largest batch used for validation and prediction (no gradients are kept).
EVAL_BATCH_SIZE = 1024


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


def resolve_precision(precision: Precision | str, device: torch.device) -> Precision:
    """AUTO → bf16 where the device runs it natively (CUDA, CPUs with AVX-512 BF16/AMX), else fp32.

    On an AVX2-only CPU bf16 is emulated and slower than fp32, so AUTO keeps fp32.
    """
    precision = Precision(precision)
    if precision is Precision.AUTO:
        return Precision.BF16 if supports_bf16(device) else Precision.FP32
    return precision


def autocast(precision: Precision, device: torch.device) -> contextlib.AbstractContextManager[Any]:
    if precision is Precision.BF16:
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16)
    return contextlib.nullcontext()


def uses_channels_last(x_ndim: int) -> bool:
    """Image batches run channels-last: measured here 1.3-2.7× faster per epoch in fp32 on an
    AVX2 CPU (oneDNN's blocked convolutions), and the layout bf16 kernels want."""
    return x_ndim == 4


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

    batches = _batch_source(train, config, device, shuffle=True, num_workers=num_workers)
    val_source = (
        _batch_source(val, config, device, shuffle=False, num_workers=num_workers)
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
    schedule = _Schedule(optimizer, config, batches.steps_per_epoch)

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
    hooks = _Hooks(all_callbacks, state)

    loop = _EpochLoop(model, batches, loss_fn, optimizer, schedule, config, precision, device)
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
                        _outputs(model, val_source, precision, device) if run.ok else (None, None)
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


@dataclass
class _EpochRun:
    loss: float
    lr: float
    diverged: bool
    partial: bool
    outputs: torch.Tensor | None = None
    targets: torch.Tensor | None = None

    @property
    def ok(self) -> bool:
        """Finite: worth validating and scoring."""
        return not self.diverged


class _EpochLoop:
    """One pass over the training batches: the hot loop, kept free of per-batch syncs on GPUs."""

    def __init__(
        self,
        model: nn.Module,
        batches: _Batches,
        loss_fn: nn.Module,
        optimizer: torch.optim.Optimizer,
        schedule: _Schedule,
        config: TrainConfig,
        precision: Precision,
        device: torch.device,
    ) -> None:
        self.model, self.batches, self.loss_fn = model, batches, loss_fn
        self.optimizer, self.schedule, self.config = optimizer, schedule, config
        self.precision, self.device = precision, device
        self.generator = make_generator(config.seed, batches.device)
        self.check_every = 1 if device.type == "cpu" else GPU_NAN_CHECK_EVERY
        # L1 applies to weights (matrices, filters, embeddings), not to biases or BN scales.
        self.l1_params = [p for p in model.parameters() if p.requires_grad and p.ndim >= 2]
        self.keep_outputs = False

    def run(self, hooks: _Hooks, state: TrainerState, task: Task, *, first: bool) -> _EpochRun:
        model, opt, cfg = self.model, self.optimizer, self.config
        model.train()
        loss_sum = torch.zeros((), device=self.device)
        seen = 0
        outputs: list[torch.Tensor] = []
        targets: list[torch.Tensor] = []
        lr = opt.param_groups[0]["lr"]
        diverged = partial = False
        for b, (xb, yb) in enumerate(self.batches.epoch(self.generator)):
            if hooks.batch_begin:
                hooks.call_batch("on_batch_begin", b, None)
            self.schedule.before_batch()
            lr = opt.param_groups[0]["lr"]
            if cfg.augment:
                xb = augment_batch(xb, cfg.augment, self.generator)
            with autocast(self.precision, self.device):
                out = model(xb)
            if first and b == 0:
                _check_outputs(out, yb, cfg, task)
            loss = self.loss_fn(out, yb)
            # Checked before the update, so a NaN never reaches the weights (on a CPU).
            if b % self.check_every == 0 and not bool(torch.isfinite(loss_sum + loss.detach())):
                diverged = True
                break
            total = loss
            if cfg.l1 > 0:
                total = loss + cfg.l1 * sum(p.abs().sum() for p in self.l1_params)
            opt.zero_grad(set_to_none=True)
            total.backward()
            opt.step()
            self.schedule.after_batch()
            n = len(yb)
            loss_sum += loss.detach() * n
            seen += n
            if self.keep_outputs:
                outputs.append(out.detach())
                targets.append(yb)
            if hooks.batch_end:
                hooks.call_batch("on_batch_end", b, {"loss": loss.detach(), "size": n})
            if state.stop_training:
                partial = b + 1 < self.batches.steps_per_epoch
                break
        mean_loss = float(loss_sum) / max(seen, 1)
        diverged = diverged or not math.isfinite(mean_loss)
        return _EpochRun(
            loss=math.nan if diverged else mean_loss,
            lr=lr,
            diverged=diverged,
            partial=partial,
            outputs=torch.cat(outputs) if outputs else None,
            targets=torch.cat(targets) if targets else None,
        )


def predict_scores(
    model: nn.Module,
    x: torch.Tensor | TorchDataset,
    *,
    task: Task,
    batch_size: int = EVAL_BATCH_SIZE,
    device: torch.device | str | None = None,
    precision: Precision | str = Precision.AUTO,
) -> np.ndarray:
    """Scores (after the final activation) for inputs ``x``, as a NumPy array.

    ``x`` is a tensor of inputs or a Dataset of ``(x, y)`` pairs or inputs.
    """
    device = choose_device(device)
    resolved = resolve_precision(precision, device)
    if isinstance(x, torch.Tensor):
        source: _Batches = _TensorBatches(
            TensorData(x, torch.zeros(len(x))), batch_size, device, shuffle=False
        )
    else:
        source = _LoaderBatches(x, batch_size, device, shuffle=False, num_workers=None)
    model.to(device)
    if uses_channels_last(source.x_ndim):
        model.to(memory_format=torch.channels_last)
    outputs, _ = _outputs(model, source, resolved, device)
    return scores_from_outputs(outputs, Task(task)).cpu().numpy()


def make_optimizer(model: nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    """The optimizer ``config`` names; L2 through weight decay (decoupled for AdamW)."""
    params = [p for p in model.parameters() if p.requires_grad]
    lr, wd = config.lr, config.weight_decay
    name = config.optimizer
    if name is OptimizerName.ADAM:
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    if name is OptimizerName.ADAMW:
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd)
    if name is OptimizerName.SGD:
        return torch.optim.SGD(
            params, lr=lr, momentum=config.momentum, nesterov=config.nesterov, weight_decay=wd
        )
    if name is OptimizerName.RMSPROP:
        return torch.optim.RMSprop(params, lr=lr, momentum=config.momentum, weight_decay=wd)
    return torch.optim.Adagrad(params, lr=lr, weight_decay=wd)


# --- schedules -------------------------------------------------------------------------


class _Schedule:
    """Linear warm-up per batch, then the configured torch scheduler, stepped as torch defines:
    one-cycle after every batch, ReduceLROnPlateau with the monitored value after each
    validation, the others after every epoch. Epoch-stepped schedules start after warm-up
    (their ``step_size``, ``milestones`` and horizon count the epochs after it)."""

    def __init__(self, optimizer: torch.optim.Optimizer, config: TrainConfig, steps: int):
        self.optimizer = optimizer
        self.config = config
        self.kind = config.schedule
        self.base_lrs = [g["lr"] for g in optimizer.param_groups]
        self.step = 0
        self.warmup_steps = (
            0 if self.kind is ScheduleName.ONECYCLE else config.warmup_epochs * steps
        )
        self.epoch = 0
        self.scheduler = self._make(optimizer, config, steps)

    def _make(self, opt: torch.optim.Optimizer, cfg: TrainConfig, steps: int) -> Any:
        sched = torch.optim.lr_scheduler
        horizon = cfg.epochs - cfg.warmup_epochs
        kind = self.kind
        if kind is ScheduleName.CONSTANT:
            return None
        if kind is ScheduleName.STEP:
            return sched.StepLR(
                opt, step_size=cfg.step_size or max(1, horizon // 3), gamma=cfg.lr_gamma or 0.1
            )
        if kind is ScheduleName.MULTISTEP:
            milestones = cfg.milestones or sorted({max(1, horizon // 2), max(1, 3 * horizon // 4)})
            return sched.MultiStepLR(opt, milestones=list(milestones), gamma=cfg.lr_gamma or 0.1)
        if kind is ScheduleName.EXPONENTIAL:
            return sched.ExponentialLR(opt, gamma=cfg.lr_gamma or 0.01 ** (1 / max(horizon, 1)))
        if kind is ScheduleName.PLATEAU:
            # mode is set per step from the monitored key; "min" here is a placeholder.
            return sched.ReduceLROnPlateau(
                opt,
                mode="min",
                factor=cfg.lr_gamma or 0.1,
                patience=cfg.plateau_patience,
                min_lr=cfg.min_lr,
            )
        if kind is ScheduleName.COSINE:
            return sched.CosineAnnealingLR(opt, T_max=max(horizon, 1), eta_min=cfg.min_lr)
        # One-cycle: lr is the peak; warm-up epochs, if any, set the rising phase.
        total = cfg.epochs * steps
        pct = cfg.warmup_epochs / cfg.epochs if cfg.warmup_epochs else 0.3
        momentum = cfg.optimizer in (OptimizerName.ADAM, OptimizerName.ADAMW) or (
            cfg.optimizer is OptimizerName.SGD and cfg.momentum > 0
        )
        return sched.OneCycleLR(
            opt, max_lr=cfg.lr, total_steps=total, pct_start=pct, cycle_momentum=momentum
        )

    def before_batch(self) -> None:
        if self.step < self.warmup_steps:
            frac = (self.step + 1) / self.warmup_steps
            for group, base in zip(self.optimizer.param_groups, self.base_lrs, strict=True):
                group["lr"] = base * frac
        elif self.step == self.warmup_steps and self.warmup_steps:
            for group, base in zip(self.optimizer.param_groups, self.base_lrs, strict=True):
                group["lr"] = base

    def after_batch(self) -> None:
        self.step += 1
        # One-cycle never steps past its last planned step (torch raises there).
        if (
            self.kind is ScheduleName.ONECYCLE
            and self.scheduler.last_epoch + 1 < self.scheduler.total_steps
        ):
            self.scheduler.step()

    def after_epoch(self, monitored: float | None, greater_is_better: bool) -> None:
        if self.step <= self.warmup_steps or self.scheduler is None:
            return
        if self.kind is ScheduleName.PLATEAU:
            if monitored is not None and math.isfinite(monitored):
                self.scheduler.mode = "max" if greater_is_better else "min"
                self.scheduler._init_is_better(  # keep its comparison in step with the mode
                    mode=self.scheduler.mode,
                    threshold=self.scheduler.threshold,
                    threshold_mode=self.scheduler.threshold_mode,
                )
                self.scheduler.step(monitored)
        elif self.kind is not ScheduleName.ONECYCLE:
            self.scheduler.step()


# --- batches ---------------------------------------------------------------------------


class _Batches:
    device: torch.device
    steps_per_epoch: int
    x_ndim: int
    y_sample: torch.Tensor

    def epoch(
        self, generator: torch.Generator | None
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        raise NotImplementedError


class _TensorBatches(_Batches):
    """Batches by indexing in-memory tensors with a shuffled index: no DataLoader, no copies
    beyond the batch itself."""

    def __init__(
        self, data: TensorData, batch_size: int, device: torch.device, *, shuffle: bool
    ) -> None:
        x = data.x.to(device)
        if uses_channels_last(x.ndim):
            x = x.contiguous(memory_format=torch.channels_last)
        self.x, self.y = x, data.y.to(device)
        self.device = device
        self.n = len(x)
        self.batch_size = batch_size
        self.shuffle = shuffle
        full, rest = divmod(self.n, batch_size)
        # A last batch of one sample breaks batch norm; it is dropped (the order changes
        # every epoch, so no sample is left out for long).
        self.drop_one = shuffle and rest == 1 and self.n > 1
        self.steps_per_epoch = full + (1 if rest and not self.drop_one else 0)
        self.x_ndim = x.ndim
        self.y_sample = self.y[: min(self.n, 4096)]

    def epoch(
        self, generator: torch.Generator | None
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        bs = self.batch_size
        if not self.shuffle:
            for start in range(0, self.n, bs):
                yield self.x[start : start + bs], self.y[start : start + bs]
            return
        order = torch.randperm(self.n, generator=generator, device=self.device)
        for i in range(self.steps_per_epoch):
            index = order[i * bs : (i + 1) * bs]
            yield self.x[index], self.y[index]


class _LoaderBatches(_Batches):
    """Streamed data (e.g. a lazy image folder) through a DataLoader with worker processes."""

    def __init__(
        self,
        dataset: TorchDataset,
        batch_size: int,
        device: torch.device,
        *,
        shuffle: bool,
        num_workers: int | None,
    ) -> None:
        self.dataset = dataset
        self.device = device
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.workers = min(4, os.cpu_count() or 1) if num_workers is None else num_workers
        n = len(dataset)  # type: ignore[arg-type]
        if n == 0:
            raise DataError("The training Dataset is empty; give at least one sample.")
        full, rest = divmod(n, batch_size)
        self.drop_one = shuffle and rest == 1 and n > 1
        self.steps_per_epoch = full + (1 if rest and not self.drop_one else 0)
        first = dataset[0]
        x0, y0 = first if isinstance(first, tuple | list) else (first, torch.zeros(()))
        self.x_ndim = torch.as_tensor(x0).ndim + 1
        self.y_sample = torch.as_tensor(y0).unsqueeze(0)
        self._loader: DataLoader[Any] | None = None

    def epoch(
        self, generator: torch.Generator | None
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        if self._loader is None:
            # Shuffle order comes from a CPU generator seeded from the training generator,
            # so the order is fixed by the seed whatever device trains.
            seed = (
                0
                if generator is None
                else int(
                    torch.randint(0, 2**62, (1,), generator=generator, device=generator.device)
                )
            )
            self._loader = DataLoader(
                self.dataset,
                batch_size=self.batch_size,
                shuffle=self.shuffle,
                drop_last=self.drop_one,
                num_workers=self.workers,
                persistent_workers=self.workers > 0,
                pin_memory=self.device.type == "cuda",
                generator=torch.Generator().manual_seed(seed),
            )
        channels_last = uses_channels_last(self.x_ndim)
        for item in self._loader:
            xb, yb = item if isinstance(item, tuple | list) else (item, torch.zeros(len(item)))
            xb = xb.to(self.device, non_blocking=True)
            if channels_last:
                xb = xb.contiguous(memory_format=torch.channels_last)
            yield xb, yb.to(self.device, non_blocking=True)


def _batch_source(
    data: Data, config: TrainConfig, device: torch.device, *, shuffle: bool, num_workers: int | None
) -> _Batches:
    if isinstance(data, TensorData):
        size = config.batch_size if shuffle else max(config.batch_size, EVAL_BATCH_SIZE)
        return _TensorBatches(data, size, device, shuffle=shuffle)
    if isinstance(data, TorchDataset):
        size = config.batch_size if shuffle else max(config.batch_size, EVAL_BATCH_SIZE)
        return _LoaderBatches(data, size, device, shuffle=shuffle, num_workers=num_workers)
    raise DataError(
        f"Training data must be a TensorData or a torch Dataset; got {type(data).__name__}."
    )


def _check_targets(y: torch.Tensor, task: Task) -> None:
    if task.is_classification and (y.is_floating_point() or y.ndim != 1):
        raise DataError(
            f"A {task} task needs int64 class indices shaped (N,); got {y.dtype} "
            f"shaped {tuple(y.shape)}. Encode targets with core.targets.encode_target."
        )
    if task is Task.MULTILABEL and y.ndim != 2:
        raise DataError(
            f"A multilabel task needs an N×k 0/1 target matrix; got shape {tuple(y.shape)}."
        )
    if task.is_regression and not y.is_floating_point():
        raise DataError(f"A {task} task needs float targets; got {y.dtype}.")


@torch.inference_mode()
def _outputs(
    model: nn.Module, source: _Batches, precision: Precision, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """All raw outputs (float32) and targets for ``source``, in order, in eval mode."""
    was_training = model.training
    model.eval()
    outs, ys = [], []
    try:
        for xb, yb in source.epoch(None):
            with autocast(precision, device):
                outs.append(model(xb).float())
            ys.append(yb)
    finally:
        model.train(was_training)
    return torch.cat(outs), torch.cat(ys)


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


class _Hooks:
    """Calls callbacks' hooks in order and remembers which callback stopped training.

    Batch hooks are called only on callbacks that override them, keeping the
    per-batch overhead of fit at zero for the usual callbacks.
    """

    def __init__(self, callbacks: Sequence[Callback], state: TrainerState) -> None:
        for cb in callbacks:
            cb.set_trainer(state)
        self.callbacks = list(callbacks)
        self.state = state
        self.stopped_by: str | None = None
        self.batch_begin = [c for c in callbacks if _overrides(c, "on_batch_begin")]
        self.batch_end = [c for c in callbacks if _overrides(c, "on_batch_end")]

    def _note(self, cb: Callback) -> None:
        if self.state.stop_training and self.stopped_by is None:
            self.stopped_by = type(cb).__name__

    def call(self, hook: str, *args: Any) -> None:
        for cb in self.callbacks:
            getattr(cb, hook)(*args)
            self._note(cb)

    def call_batch(self, hook: str, batch: int, logs: dict[str, Any] | None) -> None:
        for cb in self.batch_begin if hook == "on_batch_begin" else self.batch_end:
            getattr(cb, hook)(batch, logs)
            self._note(cb)


def _overrides(cb: Callback, hook: str) -> bool:
    return getattr(type(cb), hook) is not getattr(Callback, hook)


def _check_outputs(out: torch.Tensor, y: torch.Tensor, config: TrainConfig, task: Task) -> None:
    """Fail on the first batch, in one line, when the model's outputs do not fit the task."""
    width = out.shape[1] if out.ndim == 2 else 1
    if task is Task.BINARY and out.numel() != len(y):
        raise ConfigError(f"A binary task needs 1 output per sample; the model gives {width}.")
    if task is Task.MULTICLASS and (out.ndim != 2 or width < 2):
        raise ConfigError(f"A multiclass task needs k ≥ 2 outputs; the model gives {width}.")
    if task in (Task.MULTILABEL, Task.VECTOR_REGRESSION) and tuple(out.shape) != tuple(y.shape):
        raise ConfigError(
            f"A {task} task needs outputs shaped like the targets {tuple(y.shape[1:])}; "
            f"the model gives {tuple(out.shape[1:])}."
        )
    if task is Task.REGRESSION and out.numel() != len(y):
        raise ConfigError(f"A regression task needs 1 output per sample; the model gives {width}.")
    if config.class_weights is None:
        return
    expected = 2 if task is Task.BINARY else width
    if len(config.class_weights) != expected:
        raise ConfigError(
            f"class_weights has {len(config.class_weights)} values; this {task} task needs "
            f"{expected}, one per class."
        )
