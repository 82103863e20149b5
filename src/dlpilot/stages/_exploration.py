"""How much of the training split stages 5–7 explore on: stage 5's probe and plan.

Not a stage: stage 5 (`stages/baseline.py`, which re-exports these names) measures how fast
this machine trains the baseline network and plans the exploration from it; stage 8 measures
the chosen network the same way. When the budget cannot afford enough epochs on the whole
training split, stages 5–7 explore on a stratified subset and say so; the final model still
trains on everything.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch

from dlpilot.core.enums import Task
from dlpilot.core.messages import EnglishReason, Msg, msg
from dlpilot.core.numbers import finite_or_none
from dlpilot.engine import ModelConfig, TrainConfig, fit
from dlpilot.stages._evaluate import TrainingSetup

# Exploration (stages 5–7) should afford about this many baseline-sized epochs.
EXPLORATION_EPOCH_EQUIVALENTS = 250
MIN_EXPLORATION_SAMPLES = 4000
MIN_EXPLORATION_VAL_SAMPLES = 1000
# A subset keeping more than this share of the training split saves too little to be worth it.
SUBSET_MAX_SHARE = 0.5
PROBE_SAMPLES = 2048


@dataclass(frozen=True)
class ExplorationPlan(EnglishReason):
    """How much of the training split stages 5–7 train on, and why."""

    n_train: int
    n_explore: int
    n_val: int
    n_val_explore: int
    samples_per_second: float
    reason: str
    # ``reason`` as a message, for the report's language; None: only the English text (a plan
    # read back with `from_dict`).
    message: Msg | None = field(default=None, compare=False, repr=False)

    @property
    def subsampled(self) -> bool:
        return self.n_explore < self.n_train or self.n_val_explore < self.n_val

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_train": self.n_train,
            "n_explore": self.n_explore,
            "n_val": self.n_val,
            "n_val_explore": self.n_val_explore,
            "samples_per_second": finite_or_none(self.samples_per_second, digits=1),
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ExplorationPlan:
        speed = d["samples_per_second"]  # saved as null: the split was too small to probe
        return cls(
            n_train=int(d["n_train"]),
            n_explore=int(d["n_explore"]),
            n_val=int(d["n_val"]),
            n_val_explore=int(d["n_val_explore"]),
            samples_per_second=math.inf if speed is None else float(speed),
            reason=str(d["reason"]),
        )


def measure_throughput(setup: TrainingSetup, model: ModelConfig, train: TrainConfig) -> float:
    """Training samples per second of ``model`` on this machine, from one short epoch.

    Small training splits need no probe: they are explored whole anyway.
    """
    fold = setup.folds[0]
    if len(fold.train) <= MIN_EXPLORATION_SAMPLES:
        return math.inf
    n = min(len(fold.train), PROBE_SAMPLES)
    probe = fold.train.subset(torch.arange(n))
    net = setup.network(model, seed=train.seed)
    warm = fold.train.subset(torch.arange(min(n, 2 * train.batch_size)))
    cfg = replace(train, epochs=1, schedule="constant", early_stopping_patience=None)
    fit(net, warm, None, cfg, task=setup.spec.task, verbose=False)  # first calls are slow
    started = time.monotonic()
    fit(net, probe, None, cfg, task=setup.spec.task, verbose=False)
    return n / max(time.monotonic() - started, 1e-6)


def plan_exploration(
    setup: TrainingSetup,
    *,
    seconds_whole: float,
    seconds_subset: float,
    samples_per_second: float,
) -> ExplorationPlan:
    """Choose how many training samples stages 5–7 use so they can afford enough epochs.

    ``seconds_whole`` is the time stages 5–7 get when they explore on the whole
    training split; ``seconds_subset`` the (smaller) time they get when they
    must explore on a subset, because then the final training on all the data
    decides the result and takes the larger share (see the workflow's budget
    policy).
    """
    n_train = setup.n_train
    n_val = len(setup.folds[0].val)
    n_folds = len(setup.folds)
    cost = EXPLORATION_EPOCH_EQUIVALENTS * n_folds
    if (
        not math.isfinite(samples_per_second)
        or samples_per_second * seconds_whole / cost >= n_train
    ):
        if not math.isfinite(samples_per_second):
            reason = msg(
                "the training split is small ({n_train:,} samples), so stages 5–7 explore on "
                "all of it",
                n_train=n_train,
            )
        else:
            reason = msg(
                "at {speed:,.0f} samples/s the whole training split "
                "({n_train:,}) affords about {epochs} baseline epochs "
                "in {seconds:.0f}s",
                speed=samples_per_second,
                n_train=n_train,
                epochs=EXPLORATION_EPOCH_EQUIVALENTS,
                seconds=seconds_whole,
            )
        return _plan(n_train, n_train, n_val, n_val, samples_per_second, reason)
    affordable = samples_per_second * seconds_subset / cost
    n_explore = int(min(n_train, max(MIN_EXPLORATION_SAMPLES, affordable)))
    if n_explore >= SUBSET_MAX_SHARE * n_train:
        reason = msg(
            "at {speed:,.0f} samples/s a subset would have to keep "
            "{n_explore:,} of the {n_train:,} training samples, too many to save much time, "
            "so stages 5–7 explore on all of them",
            speed=samples_per_second,
            n_explore=n_explore,
            n_train=n_train,
        )
        return _plan(n_train, n_train, n_val, n_val, samples_per_second, reason)
    n_val_explore = min(n_val, max(MIN_EXPLORATION_VAL_SAMPLES, n_explore // 2))
    reason = msg(
        "this machine trains the baseline at {speed:,.0f} samples/s, so the "
        "{n_train:,} training samples afford too few epochs for stages 5–7: they explore on a "
        "stratified subset of {n_explore:,} (validation: {n_val_explore:,}) in about "
        "{seconds:.0f}s, and the final model, trained on all the data, gets the larger "
        "share of the budget",
        speed=samples_per_second,
        n_train=n_train,
        n_explore=n_explore,
        n_val_explore=n_val_explore,
        seconds=seconds_subset,
    )
    return _plan(n_train, n_explore, n_val, n_val_explore, samples_per_second, reason)


def _plan(
    n_train: int, n_explore: int, n_val: int, n_val_explore: int, speed: float, reason: Msg
) -> ExplorationPlan:
    """A plan whose reason is kept as English text and as the message."""
    return ExplorationPlan(
        n_train, n_explore, n_val, n_val_explore, speed, str(reason), message=reason
    )


def subsample(setup: TrainingSetup, plan: ExplorationPlan, *, seed: int) -> TrainingSetup:
    """The setup with each fold's splits cut to the plan's sizes, stratified by class."""
    if not plan.subsampled:
        return setup
    rng = np.random.default_rng(seed)
    folds = []
    for fold in setup.folds:
        train_idx = _stratified_take(fold.train.y, plan.n_explore, rng, setup.spec.task)
        val_idx = _stratified_take(fold.val.y, plan.n_val_explore, rng, setup.spec.task)
        folds.append(
            replace(fold, train=fold.train.subset(train_idx), val=fold.val.subset(val_idx))
        )
    return replace(setup, folds=tuple(folds))


def _stratified_take(y: torch.Tensor, n: int, rng: np.random.Generator, task: Task) -> torch.Tensor:
    total = len(y)
    if n >= total:
        return torch.arange(total)
    if not task.is_classification:
        return torch.from_numpy(np.sort(rng.choice(total, n, replace=False)))
    labels = y.cpu().numpy()
    picked = []
    for cls in np.unique(labels):
        members = np.flatnonzero(labels == cls)
        k = max(1, int(round(n * len(members) / total)))
        picked.append(rng.choice(members, min(k, len(members)), replace=False))
    return torch.from_numpy(np.sort(np.concatenate(picked)))
