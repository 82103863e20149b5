"""Helpers for the engine's tests: small synthetic data, seconds not minutes."""

from __future__ import annotations

import torch

from dlpilot.core.enums import Task


def make_targets(task: Task, n: int, *, k: int = 3, generator: torch.Generator) -> torch.Tensor:
    if task is Task.BINARY:
        return torch.randint(0, 2, (n,), generator=generator)
    if task is Task.MULTICLASS:
        return torch.randint(0, k, (n,), generator=generator)
    if task is Task.MULTILABEL:
        return (torch.rand(n, k, generator=generator) > 0.5).float()
    if task is Task.VECTOR_REGRESSION:
        return torch.randn(n, k, generator=generator)
    return torch.randn(n, generator=generator)


def n_outputs(task: Task, k: int = 3) -> int:
    return 1 if task in (Task.BINARY, Task.REGRESSION) else k
