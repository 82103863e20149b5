"""The classical yardstick a practitioner of the modality tries first, beside the linear model.

Series: MiniRocket features with a ridge model (Dempster et al. 2021), which beats most deep
networks on the small UCR sets in under a second (`engine.rocket`). Each split fits its own
transform on its own training series, so validation series never shape the features.
The yardstick is context for the final choice, never shipped as such: a model that beats it
is the network or the linear model, and when it wins the run says so.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from dlpilot.core.enums import Modality, Task
from dlpilot.core.metrics import score_all
from dlpilot.engine.rocket import MiniRocket

MINIROCKET = "MiniRocket + ridge"
RIDGE_ALPHAS = np.logspace(-3, 3, 10)  # the MiniRocket paper's grid
# The transform costs about N × L × 10,000 comparisons: rows per split are capped to keep
# the yardstick within its share of the budget, and below this many it is not worth scoring.
MIN_YARDSTICK_ROWS = 50


@dataclass(frozen=True)
class YardstickFold:
    """One split's prepared arrays, as stage 4 holds them."""

    x_train: torch.Tensor
    y_train: np.ndarray
    x_val: torch.Tensor
    y_val: np.ndarray


def yardstick_for(modality: Modality, task: Task) -> str | None:
    """The name of the modality's yardstick for this task, if there is one."""
    if modality is Modality.SEQUENCE and task in (Task.BINARY, Task.MULTICLASS, Task.REGRESSION):
        return MINIROCKET
    return None


def minirocket_fold(
    fold: YardstickFold,
    *,
    task: Task,
    n_classes: int,
    metrics: tuple[Any, ...],
    positive_index: int | None,
    seed: int,
) -> dict[str, float]:
    """Fit MiniRocket and a ridge model on the split's training series; score validation."""
    from sklearn.linear_model import RidgeClassifierCV, RidgeCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = fold.x_train.float()
    if x.dim() == 2:
        x = x[:, None, :]
    x_val = fold.x_val.float()
    if x_val.dim() == 2:
        x_val = x_val[:, None, :]
    transform = MiniRocket(x.shape[1], x.shape[2], seed=seed).fit(x, seed=seed)
    with torch.no_grad():
        f_train, f_val = transform(x).numpy(), transform(x_val).numpy()
    ridge = RidgeCV(alphas=RIDGE_ALPHAS) if task.is_regression else RidgeClassifierCV(RIDGE_ALPHAS)
    model = make_pipeline(StandardScaler(), ridge)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(f_train, fold.y_train)
    if task.is_regression:
        scores = np.asarray(model.predict(f_val), dtype=np.float64)
    else:
        scores = _class_scores(model, f_val, task, n_classes)
    return score_all(metrics, fold.y_val, scores, task=task, positive_index=positive_index)


def _class_scores(model: Any, f: np.ndarray, task: Task, n_classes: int) -> np.ndarray:
    """Ridge decision values as the scores `core.metrics` reads (sigmoid / softmax)."""
    decision = np.asarray(model.decision_function(f), dtype=np.float64)
    seen = np.asarray(model.classes_, dtype=np.int64)
    if task is Task.BINARY:
        if len(seen) < 2:
            return np.full(len(f), float(seen[0] == 1))
        return 1.0 / (1.0 + np.exp(-decision))
    full = np.full((len(f), n_classes), -np.inf)
    full[:, seen] = decision if decision.ndim == 2 else np.stack([-decision, decision], 1)
    full = np.exp(full - full.max(axis=1, keepdims=True))
    return full / full.sum(axis=1, keepdims=True)


def rows_affordable(x: torch.Tensor, seconds: float, n_folds: int) -> int:
    """How many series per split the transform can take in ``seconds`` over ``n_folds`` splits."""
    probe = x[: min(len(x), 32)].float()
    if probe.dim() == 2:
        probe = probe[:, None, :]
    transform = MiniRocket(probe.shape[1], probe.shape[2]).fit(probe)
    started = time.monotonic()
    with torch.no_grad():
        transform(probe)
    per_row = (time.monotonic() - started) / len(probe)
    return int(seconds / max(per_row * n_folds, 1e-9))
