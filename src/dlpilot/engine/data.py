"""Tensors the training loop reads: inputs and encoded targets."""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class TensorData:
    """Prepared inputs ``x`` and encoded targets ``y``, one row per sample."""

    x: torch.Tensor
    y: torch.Tensor

    def __len__(self) -> int:
        return len(self.y)
