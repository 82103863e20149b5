"""Outputs of a model in eval mode, batch by batch: validation and `predict_scores`."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.utils.data import Dataset as TorchDataset

from dlpilot.core.device import choose_device
from dlpilot.core.enums import Task
from dlpilot.engine._batches import (
    EVAL_BATCH_SIZE,
    Batches,
    LoaderBatches,
    TensorBatches,
    uses_channels_last,
)
from dlpilot.engine._precision import autocast, resolve_precision
from dlpilot.engine.backbones import frozen_backbone_of, frozen_features
from dlpilot.engine.config import Precision
from dlpilot.engine.data import TensorData
from dlpilot.engine.heads import scores_from_outputs


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
    frozen = frozen_backbone_of(model)
    features = isinstance(x, torch.Tensor) and x.dim() == 2 and x.is_floating_point()
    if frozen is not None and isinstance(x, torch.Tensor) and not features:
        frozen.to(device)
        # The same images or texts scored again cost nothing; texts run sorted by length
        # (the fortunes run's 552 test texts by 5 fold models: 155 s without this).
        x = frozen_features(frozen, x)
    if isinstance(x, torch.Tensor):
        source: Batches = TensorBatches(
            TensorData(x, torch.zeros(len(x))), batch_size, device, shuffle=False
        )
    else:
        source = LoaderBatches(x, batch_size, device, shuffle=False, num_workers=None)
    model.to(device)
    if uses_channels_last(source.x_ndim):
        model.to(memory_format=torch.channels_last)
    outputs, _ = eval_outputs(model, source, resolved, device)
    return scores_from_outputs(outputs, Task(task)).cpu().numpy()


@torch.inference_mode()
def eval_outputs(
    model: nn.Module, source: Batches, precision: Precision, device: torch.device
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
