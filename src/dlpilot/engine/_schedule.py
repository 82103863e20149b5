"""The optimizer a `TrainConfig` names, and its learning-rate schedule with warm-up."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from dlpilot.engine.config import OptimizerName, ScheduleName, TrainConfig


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


class Schedule:
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
