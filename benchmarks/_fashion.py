"""Fashion-MNIST as normalised tensors, for the benchmarks (not part of the package)."""

from __future__ import annotations

import numpy as np
import torch

from dlpilot.data import load_source
from dlpilot.engine import TensorData


def fashion_mnist(limit: int | None = None) -> tuple[TensorData, TensorData]:
    """(train, test), pixels scaled by the training split's mean and std."""
    ds = load_source("fashion-mnist")
    index = {name: i for i, name in enumerate(ds.classes)}
    test = ds.test.open(ds.test.issue_final_key())
    x = torch.from_numpy(np.asarray(ds.x, dtype=np.float32) / 255.0)
    xt = torch.from_numpy(np.asarray(test.x, dtype=np.float32) / 255.0)
    y = torch.tensor([index[v] for v in ds.y])
    yt = torch.tensor([index[v] for v in test.y])
    mean, std = x.mean(), x.std()
    x, xt = (x - mean) / std, (xt - mean) / std
    if limit is not None:
        x, y, xt, yt = x[:limit], y[:limit], xt[: limit // 6], yt[: limit // 6]
    return TensorData(x, y), TensorData(xt, yt)


def accuracy_metric():
    from dlpilot.engine import EpochMetric

    return EpochMetric(
        "accuracy", lambda y, s: float((s.argmax(axis=1) == y).mean()), greater_is_better=True
    )
