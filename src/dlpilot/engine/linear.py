"""The linear baseline as a network of depth 0.

Stage 4 scores a linear model on "flat" features of the prepared inputs; stage 8 may ship
that model when it beats the network on validation. Both read the features through
`linear_features`, and the shipped model is a `Linear` layer behind the same pooling, built
by `build_model(ModelConfig("linear"), ...)`, so the bundle, `predict`, ONNX export and the
estimators treat it like any network. The scikit-learn estimator both stages fit comes from
`linear_estimator`, so the model that was scored is the model that ships.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from torch import nn

from dlpilot.core.enums import Task
from dlpilot.engine.config import ModelConfig

# Wider inputs are average-pooled to about this many features before the linear model:
# it keeps scikit-learn's fit to seconds on pixels or long series.
MAX_LINEAR_FEATURES = 4_096
# lbfgs iterations: on ACSF1 (80 series × 1,460 steps, 10 classes) 100 took 1.5 s and 1,000
# took 13.4 s per fit for test accuracy 0.61 against 0.62; stage 4 fits it on each of 15 splits.
LOGISTIC_MAX_ITER = 100


def pooled_size(shape: tuple[int, ...]) -> tuple[int, ...] | None:
    """The spatial size images (C, H, W) or series (C, L) are pooled to; None: no pooling."""
    n = math.prod(shape)
    if n <= MAX_LINEAR_FEATURES:
        return None
    if len(shape) == 3:
        c, h, w = shape
        side = max(1, math.isqrt(MAX_LINEAR_FEATURES // c))
        return (min(h, side), min(w, side))
    if len(shape) == 2:
        return (max(1, MAX_LINEAR_FEATURES // shape[0]),)
    return None


class FlatFeatures(nn.Module):
    """Average-pool wide inputs (see `pooled_size`), then flatten."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        super().__init__()
        size = pooled_size(shape)
        if size is None:
            self.pool: nn.Module = nn.Identity()
        elif len(size) == 2:
            self.pool = nn.AdaptiveAvgPool2d(size)
        else:
            self.pool = nn.AdaptiveAvgPool1d(size[0])
        self.n_features = math.prod(shape) if size is None else shape[0] * math.prod(size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x).flatten(1)


def linear_features(x: torch.Tensor) -> np.ndarray:
    """The float64 matrix a linear model reads from prepared inputs ``x`` (N, ...)."""
    flat = FlatFeatures(tuple(x.shape[1:]))
    with torch.no_grad():
        return flat(x.float()).numpy().astype(np.float64)


def linear(cfg: ModelConfig, shape: tuple[int, ...], n_out: int, _: int | None) -> nn.Module:
    """Flat features (pooled when wide), one linear layer: depth and width do not apply."""
    features = FlatFeatures(shape)
    return nn.Sequential(features, nn.Linear(features.n_features, n_out))


def linear_estimator(task: Task) -> tuple[str, Any]:
    """The scikit-learn linear model of the modality-independent classical baseline."""
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.multiclass import OneVsRestClassifier

    if task.is_regression:
        return "Ridge(alpha=1.0)", Ridge(alpha=1.0)
    logistic = LogisticRegression(max_iter=LOGISTIC_MAX_ITER)
    if task is Task.MULTILABEL:
        return "OneVsRest(LogisticRegression)", OneVsRestClassifier(logistic)
    return "LogisticRegression", logistic


def load_linear_weights(model: nn.Module, estimator: Any, task: Task, n_classes: int) -> None:
    """Copy a fitted `linear_estimator` into ``model`` (built with architecture 'linear')."""
    if task is Task.MULTILABEL:
        coef = np.concatenate([e.coef_ for e in estimator.estimators_], axis=0)
        bias = np.concatenate([np.atleast_1d(e.intercept_) for e in estimator.estimators_])
        seen = None
    else:
        coef = np.atleast_2d(estimator.coef_)
        bias = np.atleast_1d(estimator.intercept_).astype(np.float64)
        seen = getattr(estimator, "classes_", None)
    load_coefficients(model, coef, bias, seen, task, n_classes)


def load_coefficients(
    model: nn.Module,
    coef: np.ndarray,
    bias: np.ndarray,
    seen: np.ndarray | None,
    task: Task,
    n_classes: int,
) -> None:
    """Put a linear model's ``coef`` (outputs × features) and ``bias`` into the last `Linear`
    layer of ``model``, as a scikit-learn classifier that saw the classes ``seen`` lays them out.

    A regression network ends in a `Rescale` (outputs × std + mean), so the layer gets the
    coefficients in scaled units. Classes the estimator never saw get a bias of −1e4; a
    multiclass estimator that saw two classes has one row z, which becomes (−z/2, z/2): the
    softmax of those is the sigmoid of z.
    """
    layer, rescale = _parts(model)
    coef = np.atleast_2d(np.asarray(coef, dtype=np.float64))
    bias = np.atleast_1d(np.asarray(bias, dtype=np.float64))
    if task.is_classification and task is not Task.MULTILABEL and seen is not None:
        seen = np.asarray(seen, dtype=np.int64)
        if task is Task.BINARY and len(seen) < 2:
            raise ValueError("the linear model saw one class only")
        if task is Task.MULTICLASS:
            if len(seen) == 2 and coef.shape[0] == 1:
                coef, bias = np.vstack([-coef / 2, coef / 2]), np.concatenate([-bias / 2, bias / 2])
            full_coef = np.zeros((n_classes, coef.shape[1]))
            full_bias = np.full(n_classes, -1e4)
            full_coef[seen], full_bias[seen] = coef, bias
            coef, bias = full_coef, full_bias
    if rescale is not None:
        std = rescale.std.numpy().astype(np.float64)
        mean = rescale.mean.numpy().astype(np.float64)
        coef, bias = coef / std[:, None], (bias - mean) / std
    with torch.no_grad():
        layer.weight.copy_(torch.as_tensor(coef, dtype=torch.float32))
        layer.bias.copy_(torch.as_tensor(bias, dtype=torch.float32))


def _parts(model: nn.Module) -> tuple[nn.Linear, Any]:
    from dlpilot.engine.heads import Rescale

    rescale = None
    if isinstance(model[-1], Rescale):
        model, rescale = model[0], model[-1]
    layer = model[-1]
    if not isinstance(layer, nn.Linear):
        raise TypeError(f"expected a network that ends in a Linear layer, got {model}")
    return layer, rescale
