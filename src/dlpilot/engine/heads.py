"""The last activation and the loss, by task (DESIGN.md stage 5).

binary → 1 logit, sigmoid, BCE; multiclass → k logits, softmax, cross-entropy;
regression / vector regression → linear outputs, MSE; multilabel → k logits,
independent sigmoids, BCE. Models emit raw outputs; these losses take them.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from dlpilot.core.enums import Task
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import msg


def output_size(task: Task, *, n_classes: int | None = None, n_targets: int | None = None) -> int:
    """How many outputs a network needs for ``task``.

    ``n_classes`` for multiclass; ``n_targets`` (labels or values) for
    multilabel and vector regression; binary and scalar regression need one.
    """
    task = Task(task)
    if task in (Task.BINARY, Task.REGRESSION):
        return 1
    count = n_classes if task is Task.MULTICLASS else n_targets
    if count is None or count < 1:
        what = "n_classes" if task is Task.MULTICLASS else "n_targets"
        raise ConfigError(
            msg("task '{task}' needs {what} ≥ 1; got {count}.", task=task, what=what, count=count)
        )
    return int(count)


class BinaryLoss(nn.Module):
    """BCE on one logit per sample; class weights weight each sample by its class."""

    def __init__(self, class_weights: torch.Tensor | None, label_smoothing: float) -> None:
        super().__init__()
        self.register_buffer("class_weights", class_weights)
        self.label_smoothing = label_smoothing

    def forward(self, outputs: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        logits = outputs.reshape(-1).float()
        y = target.reshape(-1).float()
        if self.label_smoothing:
            y = y * (1 - self.label_smoothing) + 0.5 * self.label_smoothing
        if self.class_weights is None:
            return F.binary_cross_entropy_with_logits(logits, y)
        # Weighted mean, as cross_entropy does with class weights.
        w = self.class_weights[target.reshape(-1).long()]
        losses = F.binary_cross_entropy_with_logits(logits, y, reduction="none")
        return (losses * w).sum() / w.sum()

    def extra_repr(self) -> str:
        return f"label_smoothing={self.label_smoothing}"


class MulticlassLoss(nn.Module):
    """Cross-entropy on k logits, optionally class-weighted and label-smoothed."""

    def __init__(self, class_weights: torch.Tensor | None, label_smoothing: float) -> None:
        super().__init__()
        self.register_buffer("class_weights", class_weights)
        self.label_smoothing = label_smoothing

    def forward(self, outputs: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy(
            outputs.float(),
            target.long(),
            weight=self.class_weights,
            label_smoothing=self.label_smoothing,
        )

    def extra_repr(self) -> str:
        return f"label_smoothing={self.label_smoothing}"


class MultilabelLoss(nn.Module):
    """BCE per label; class weights weight each label's column."""

    def __init__(self, class_weights: torch.Tensor | None, label_smoothing: float) -> None:
        super().__init__()
        self.register_buffer("class_weights", class_weights)
        self.label_smoothing = label_smoothing

    def forward(self, outputs: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        y = target.float()
        if self.label_smoothing:
            y = y * (1 - self.label_smoothing) + 0.5 * self.label_smoothing
        return F.binary_cross_entropy_with_logits(
            outputs.float().reshape(y.shape), y, weight=self.class_weights
        )


class RegressionLoss(nn.Module):
    """Mean squared error in units of the targets' spread; an N×1 output meets an N-vector.

    With ``target_std`` the error is divided by it, so the loss (and its
    gradients) have the same scale whether prices run in cents or millions; the
    optimizer's learning rate then means the same on every dataset.
    """

    def __init__(self, target_std: torch.Tensor | None = None) -> None:
        super().__init__()
        self.register_buffer("target_std", target_std)

    def forward(self, outputs: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        outputs = outputs.float().reshape(target.shape)
        target = target.float()
        if self.target_std is None:
            return F.mse_loss(outputs, target)
        return F.mse_loss(outputs / self.target_std, target / self.target_std)


class Rescale(nn.Module):
    """The last layer of a regression network: standardized outputs to target units.

    ``mean`` and ``std`` come from the training targets; the layers before it
    then learn values near 0 with spread 1, whatever the targets' units.
    """

    def __init__(self, mean: torch.Tensor, std: torch.Tensor) -> None:
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.std + self.mean


def target_std_of(model: nn.Module) -> torch.Tensor | None:
    """The target spread a regression network was built with (its `Rescale`), if any."""
    last = model[-1] if isinstance(model, nn.Sequential) and len(model) else None
    return last.std.detach().clone() if isinstance(last, Rescale) else None


def make_loss(
    task: Task,
    *,
    class_weights: Sequence[float] | torch.Tensor | None = None,
    label_smoothing: float = 0.0,
    target_std: torch.Tensor | None = None,
) -> nn.Module:
    """The loss for ``task``: takes raw model outputs and encoded targets.

    ``target_std`` (regression) measures errors in units of the targets' spread.
    """
    task = Task(task)
    if task.is_regression:
        if class_weights is not None or label_smoothing:
            raise ConfigError(
                msg(
                    "class_weights and label_smoothing apply to classification; task is '{task}'.",
                    task=task,
                )
            )
        return RegressionLoss(target_std)
    weights = None
    if class_weights is not None:
        weights = torch.as_tensor(class_weights, dtype=torch.float32)
        if task is Task.BINARY and len(weights) != 2:
            raise ConfigError(msg("A binary task needs 2 class_weights; got {n}.", n=len(weights)))
    if task is Task.BINARY:
        return BinaryLoss(weights, label_smoothing)
    if task is Task.MULTICLASS:
        return MulticlassLoss(weights, label_smoothing)
    return MultilabelLoss(weights, label_smoothing)


def scores_from_outputs(outputs: torch.Tensor, task: Task) -> torch.Tensor:
    """Scores as core.metrics reads them: P(class 1) N-vector (binary), softmax N×k
    (multiclass), sigmoid N×k (multilabel), values N or N×d (regression)."""
    outputs = outputs.float()
    if task is Task.BINARY:
        return torch.sigmoid(outputs.reshape(-1))
    if task is Task.MULTICLASS:
        return torch.softmax(outputs, dim=1)
    if task is Task.MULTILABEL:
        return torch.sigmoid(outputs)
    if task is Task.REGRESSION and outputs.ndim == 2 and outputs.shape[1] == 1:
        return outputs.reshape(-1)
    return outputs


# Class shares are clipped to this before their log-odds, so a label absent from a split's
# training rows starts its logit at about −9, not −∞.
MIN_PRIOR = 1e-4


def prior_logits(
    y: torch.Tensor,
    task: Task,
    *,
    n_outputs: int,
    class_weights: Sequence[float] | None = None,
) -> list[float] | None:
    """The output-layer bias under which an untrained network predicts the training
    targets' class prior (Karpathy, "A Recipe for Training Neural Networks", 2019: "init
    well"): the log-odds of the positive share (binary, and per label for multilabel) or the
    log share of each class (multiclass). With ``class_weights`` the prior is the weighted
    one, the constant the weighted loss is lowest at (uniform under balanced weights).
    None for regression (`Rescale` starts those outputs at the targets' mean)."""
    task = Task(task)
    if task.is_regression or len(y) == 0:
        return None
    if task is Task.MULTILABEL:
        share = y.detach().float().reshape(len(y), -1).mean(dim=0).clamp(MIN_PRIOR, 1 - MIN_PRIOR)
        return torch.log(share / (1 - share)).tolist()
    n_classes = 2 if task is Task.BINARY else n_outputs
    counts = torch.bincount(y.detach().long().reshape(-1), minlength=n_classes).double()
    if class_weights is not None:
        counts = counts * torch.as_tensor(class_weights, dtype=torch.float64)
    share = (counts / counts.sum()).clamp(MIN_PRIOR, 1 - MIN_PRIOR)
    if task is Task.BINARY:
        return [float(torch.log(share[1] / share[0]))]
    logits = torch.log(share)
    return (logits - logits.mean()).tolist()


def target_stats_from(y: torch.Tensor, task: Task) -> tuple[list[float], list[float]] | None:
    """Mean and standard deviation per output of regression targets (None otherwise).

    A constant output gets a spread of 1, so dividing by it stays harmless.
    """
    if not Task(task).is_regression:
        return None
    values = y.detach().float().reshape(len(y), -1)
    std = values.std(dim=0, unbiased=False)
    std = torch.where(std > 0, std, torch.ones_like(std))
    return values.mean(dim=0).tolist(), std.tolist()


def target_stats_of(model: nn.Module) -> tuple[list[float], list[float]] | None:
    """The target statistics a regression network was built with, as plain lists."""
    last = model[-1] if isinstance(model, nn.Sequential) and len(model) else None
    if not isinstance(last, Rescale):
        return None
    return last.mean.tolist(), last.std.tolist()
