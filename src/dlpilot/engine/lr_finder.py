"""The learning-rate range test: raise the LR exponentially batch by batch, watch the loss.

A fresh model is trained for ``steps`` batches with the LR going from
``min_lr`` to ``max_lr``; the loss curve is smoothed (exponential moving
average, bias-corrected) and the test stops once the loss explodes (above 4×
its best). The suggestion is a tenth of the LR at the lowest smoothed loss,
the usual rule: the minimum itself is already at the edge of instability.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from dlpilot.core.device import choose_device
from dlpilot.core.enums import Task
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import msg
from dlpilot.core.seeding import make_generator, seeded
from dlpilot.engine._batches import Data, batch_source, uses_channels_last
from dlpilot.engine._precision import autocast, resolve_precision
from dlpilot.engine._schedule import make_optimizer
from dlpilot.engine.config import ScheduleName, TrainConfig
from dlpilot.engine.data import augment_batch, check_augment
from dlpilot.engine.heads import make_loss, target_std_of

SMOOTHING = 0.98
EXPLODE_FACTOR = 4.0


@dataclass(frozen=True)
class LRFinderResult:
    """The suggested LR and the curve behind it (smoothed losses, one per LR tried)."""

    suggested_lr: float
    lrs: tuple[float, ...]
    losses: tuple[float, ...]

    def __repr__(self) -> str:
        return f"LRFinderResult(suggested_lr={self.suggested_lr:.3g}, points={len(self.lrs)})"


def find_lr(
    build: Callable[[], nn.Module],
    train: Data,
    config: TrainConfig,
    *,
    task: Task,
    min_lr: float = 1e-6,
    max_lr: float = 1.0,
    steps: int = 100,
    device: torch.device | str | None = None,
) -> LRFinderResult:
    """Run the range test on a model from ``build()``; deterministic for ``config.seed``."""
    if not 0 < min_lr < max_lr:
        raise ConfigError(
            msg(
                "find_lr needs 0 < min_lr < max_lr; got {min_lr} and {max_lr}.",
                min_lr=min_lr,
                max_lr=max_lr,
            )
        )
    if steps < 5:
        raise ConfigError(msg("find_lr needs steps ≥ 5; got {steps}.", steps=steps))
    task = Task(task)
    device = choose_device(device)
    precision = resolve_precision(config.precision, device)
    cfg = dataclasses.replace(
        config, lr=min_lr, min_lr=0.0, schedule=ScheduleName.CONSTANT, warmup_epochs=0
    )
    batches = batch_source(train, cfg, device, shuffle=True, num_workers=None)
    check_augment(cfg.augment, batches.x_ndim)
    generator = make_generator(cfg.seed, batches.device)
    factor = (max_lr / min_lr) ** (1 / (steps - 1))

    lrs: list[float] = []
    losses: list[float] = []
    with seeded(cfg.seed, device):
        model = build().to(device)
        if uses_channels_last(batches.x_ndim):
            model.to(memory_format=torch.channels_last)
        model.train()
        loss_fn = make_loss(
            task,
            class_weights=cfg.class_weights,
            label_smoothing=cfg.label_smoothing,
            target_std=target_std_of(model),
        ).to(device)
        optimizer = make_optimizer(model, cfg)
        l1_params = [p for p in model.parameters() if p.requires_grad and p.ndim >= 2]
        avg, best = 0.0, math.inf
        while len(lrs) < steps:
            for xb, yb in batches.epoch(generator):
                lr = min_lr * factor ** len(lrs)
                for group in optimizer.param_groups:
                    group["lr"] = lr
                if cfg.augment:
                    xb = augment_batch(xb, cfg.augment, generator)
                with autocast(precision, device):
                    out = model(xb)
                loss = loss_fn(out, yb)
                value = float(loss.detach())
                if not math.isfinite(value):
                    break
                avg = SMOOTHING * avg + (1 - SMOOTHING) * value
                smoothed = avg / (1 - SMOOTHING ** (len(lrs) + 1))
                lrs.append(lr)
                losses.append(smoothed)
                best = min(best, smoothed)
                if smoothed > EXPLODE_FACTOR * best or len(lrs) >= steps:
                    break
                total = loss + cfg.l1 * sum(p.abs().sum() for p in l1_params) if cfg.l1 else loss
                optimizer.zero_grad(set_to_none=True)
                total.backward()
                optimizer.step()
            else:
                continue  # data exhausted: another pass
            break
    if not lrs:
        raise ConfigError(
            msg(
                "The LR range test diverged at its first step (lr={min_lr:g}); lower min_lr.",
                min_lr=min_lr,
            )
        )
    lowest = min(range(len(losses)), key=losses.__getitem__)
    suggested = max(lrs[lowest] / 10, min_lr)
    return LRFinderResult(suggested_lr=suggested, lrs=tuple(lrs), losses=tuple(losses))
