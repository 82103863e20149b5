"""One epoch over the training batches, and the callbacks' hooks around it.

The hot loop does no host-device synchronisation per batch on a GPU (the loss
is accumulated as a tensor and checked for NaN every few batches); on a CPU,
where every op is synchronous anyway, the NaN check runs before each update so
the weights stay finite.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from dlpilot.core.enums import Task
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import msg
from dlpilot.core.seeding import make_generator
from dlpilot.engine._batches import Batches
from dlpilot.engine._precision import autocast
from dlpilot.engine._schedule import Schedule
from dlpilot.engine.callbacks import Callback, TrainerState
from dlpilot.engine.config import Precision, TrainConfig
from dlpilot.engine.data import augment_batch

# On a GPU, check the running loss for NaN every this many batches: each check
# is a host-device sync. On a CPU ops are synchronous, so every batch is checked.
GPU_NAN_CHECK_EVERY = 16


@dataclass
class EpochRun:
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


class EpochLoop:
    """One pass over the training batches: the hot loop, kept free of per-batch syncs on GPUs."""

    def __init__(
        self,
        model: nn.Module,
        batches: Batches,
        loss_fn: nn.Module,
        optimizer: torch.optim.Optimizer,
        schedule: Schedule,
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

    def run(self, hooks: Hooks, state: TrainerState, task: Task, *, first: bool) -> EpochRun:
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
                check_outputs(out, yb, cfg, task)
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
        return EpochRun(
            loss=math.nan if diverged else mean_loss,
            lr=lr,
            diverged=diverged,
            partial=partial,
            outputs=torch.cat(outputs) if outputs else None,
            targets=torch.cat(targets) if targets else None,
        )


class Hooks:
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


def check_outputs(out: torch.Tensor, y: torch.Tensor, config: TrainConfig, task: Task) -> None:
    """Fail on the first batch, in one line, when the model's outputs do not fit the task."""
    width = out.shape[1] if out.ndim == 2 else 1
    if task is Task.BINARY and out.numel() != len(y):
        raise ConfigError(
            msg("A binary task needs 1 output per sample; the model gives {width}.", width=width)
        )
    if task is Task.MULTICLASS and (out.ndim != 2 or width < 2):
        raise ConfigError(
            msg("A multiclass task needs k ≥ 2 outputs; the model gives {width}.", width=width)
        )
    if task in (Task.MULTILABEL, Task.VECTOR_REGRESSION) and tuple(out.shape) != tuple(y.shape):
        raise ConfigError(
            msg(
                "A {task} task needs outputs shaped like the targets {expected}; "
                "the model gives {got}.",
                task=task,
                expected=tuple(y.shape[1:]),
                got=tuple(out.shape[1:]),
            )
        )
    if task is Task.REGRESSION and out.numel() != len(y):
        raise ConfigError(
            msg(
                "A regression task needs 1 output per sample; the model gives {width}.", width=width
            )
        )
    if config.class_weights is None:
        return
    expected = 2 if task is Task.BINARY else width
    if len(config.class_weights) != expected:
        raise ConfigError(
            msg(
                "class_weights has {n} values; this {task} task needs {expected}, one per class.",
                n=len(config.class_weights),
                task=task,
                expected=expected,
            )
        )
