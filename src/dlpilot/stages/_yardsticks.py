"""The classical yardstick a practitioner of the modality tries first, beside the linear model.

Series: MiniRocket features with a ridge model (Dempster et al. 2021), which beats most deep
networks on the small UCR sets in under a second (`engine.rocket`). Each split fits its own
transform on its own training series, so validation series never shape the features.
It is a network of its own (`engine.rocket.minirocket_network`: fixed kernels, one fitted
Linear layer), so stage 8 can ship it when it validates better than the network and the
linear model, exactly as it was scored here.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from dlpilot.core.enums import Modality, Task
from dlpilot.core.metrics import score_all
from dlpilot.engine import ModelConfig
from dlpilot.engine.models import build_model
from dlpilot.engine.rocket import MiniRocket, fit_minirocket

MINIROCKET = "MiniRocket + ridge"
ROCKET_MODEL = ModelConfig("minirocket", depth=0)
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
    """Fit the MiniRocket network (transform and ridge layer) on the split's training series
    and score its outputs on validation: the model scored is the model stage 8 may ship."""
    x = fold.x_train.float()
    shape = (1, x.shape[-1]) if x.dim() == 2 else tuple(x.shape[1:])
    if task.is_regression:
        n_out = 1 if fold.y_train.ndim == 1 else fold.y_train.shape[1]
    else:
        n_out = 1 if task is Task.BINARY else n_classes
    model = build_model(ROCKET_MODEL, input_shape=shape, n_outputs=n_out, seed=seed)
    fit_minirocket(model, x, fold.y_train, task=task, n_classes=n_classes, seed=seed)
    with torch.no_grad():
        out = model(fold.x_val.float()).double()
    if task is Task.BINARY:
        scores = torch.sigmoid(out).reshape(-1).numpy()
    elif task is Task.MULTICLASS:
        scores = torch.softmax(out, dim=1).numpy()
    else:
        scores = out.reshape(len(out), -1).squeeze(1).numpy() if n_out == 1 else out.numpy()
    return score_all(metrics, fold.y_val, scores, task=task, positive_index=positive_index)


# The ridge fit is timed on this many series: large enough that its n² term dominates the
# timing, small enough to cost a fraction of a second (10,000 features).
RIDGE_PROBE_ROWS = 256


def rows_affordable(
    x: torch.Tensor,
    seconds: float,
    n_folds: int,
    *,
    y: np.ndarray | None = None,
    task: Task | None = None,
) -> int:
    """How many series per split the yardstick can take in ``seconds`` over ``n_folds``
    splits: its transform costs a time per series, and, given ``y`` and ``task``, its ridge
    fit one per series squared (scikit-learn's leave-one-out ridge works on the n × n Gram
    matrix of 10,000 features; MNIST-1D, 4,000 series: 42 s of a 2-minute run's stage 4 when
    only the transform was counted)."""
    probe = x[: min(len(x), 32)].float()
    if probe.dim() == 2:
        probe = probe[:, None, :]
    transform = MiniRocket(probe.shape[1], probe.shape[2]).fit(probe)
    started = time.monotonic()
    with torch.no_grad():
        transform(probe)
    per_row = (time.monotonic() - started) / len(probe)
    per_pair = 0.0
    if y is not None and task is not None and len(x) >= 8:
        per_pair = _ridge_seconds_per_pair(transform, x, y, task)
    return rows_within(seconds / max(n_folds, 1), per_row=per_row, per_pair=per_pair)


def rows_within(seconds: float, *, per_row: float, per_pair: float) -> int:
    """The most rows n with per_row · n + per_pair · n² ≤ seconds."""
    if per_pair <= 0:
        return int(seconds / max(per_row, 1e-9))
    return int((-per_row + math.sqrt(per_row**2 + 4 * per_pair * seconds)) / (2 * per_pair))


def _ridge_seconds_per_pair(
    transform: MiniRocket, x: torch.Tensor, y: np.ndarray, task: Task
) -> float:
    """Seconds of the ridge fit per pair of series, timed on `RIDGE_PROBE_ROWS` of them."""
    import warnings

    from dlpilot.engine.rocket import rocket_estimator

    m = min(len(x), RIDGE_PROBE_ROWS)
    pick = np.random.default_rng(0).permutation(len(x))[:m]
    series = x[torch.from_numpy(pick)].float()
    with torch.no_grad():
        features = transform(series if series.dim() == 3 else series[:, None, :]).numpy()
    labels = np.asarray(y)[pick]
    if not task.is_regression and len(np.unique(labels)) < 2:
        labels = np.arange(m) % 2  # the cost does not depend on which labels
    started = time.monotonic()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rocket_estimator(task).fit(features.astype(np.float64), labels)
    return (time.monotonic() - started) / m**2
