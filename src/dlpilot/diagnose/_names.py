"""How history columns are named by different tools, and what dlpilot calls them.

dlpilot's names follow Keras: ``loss``, ``val_loss``, ``{metric}``, ``val_{metric}``,
``lr``, ``seconds``. Other tools say ``train_loss``, ``valid/acc``, ``val_acc_epoch``,
``lr-Adam``, ``MulticlassAccuracy``…; `parse_column` maps them onto these names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Metrics whose error is 1 − value (bounded by 1, greater is better).
RATE_METRICS = ("accuracy", "f1", "roc_auc", "pr_auc", "map", "precision", "recall", "r2")
# Metrics that are themselves an error (lower is better, unbounded).
ERROR_METRICS = ("rmse", "mae", "mse")
# When several metrics were logged, the first of these found is the one the diagnosis reads.
METRIC_PRIORITY = RATE_METRICS + ERROR_METRICS

_METRIC_ALIASES = {
    "accuracy": "accuracy",
    "acc": "accuracy",
    "categorical_accuracy": "accuracy",
    "sparse_categorical_accuracy": "accuracy",
    "binary_accuracy": "accuracy",
    "binaryaccuracy": "accuracy",
    "multiclassaccuracy": "accuracy",
    "multilabelaccuracy": "accuracy",
    "f1": "f1",
    "f1_score": "f1",
    "f1score": "f1",
    "binaryf1score": "f1",
    "multiclassf1score": "f1",
    "multilabelf1score": "f1",
    "auc": "roc_auc",
    "roc_auc": "roc_auc",
    "auroc": "roc_auc",
    "binaryauroc": "roc_auc",
    "multiclassauroc": "roc_auc",
    "multilabelauroc": "roc_auc",
    "pr_auc": "pr_auc",
    "average_precision": "pr_auc",
    "binaryaverageprecision": "pr_auc",
    "map": "map",
    "mean_average_precision": "map",
    "multilabelaverageprecision": "map",
    "precision": "precision",
    "binaryprecision": "precision",
    "multiclassprecision": "precision",
    "recall": "recall",
    "binaryrecall": "recall",
    "multiclassrecall": "recall",
    "r2": "r2",
    "r2_score": "r2",
    "r2score": "r2",
    "rmse": "rmse",
    "root_mean_squared_error": "rmse",
    "mae": "mae",
    "mean_absolute_error": "mae",
    "meanabsoluteerror": "mae",
    "mse": "mse",
    "mean_squared_error": "mse",
    "meansquarederror": "mse",
}
_SPLIT_PREFIXES = (
    ("training_", "train"),
    ("train_", "train"),
    ("trn_", "train"),
    ("validation_", "val"),
    ("valid_", "val"),
    ("val_", "val"),
    ("dev_", "val"),
    ("eval_", "val"),
    ("test_", "test"),
)
_SECONDS = ("seconds", "time", "epoch_time", "duration", "epoch_seconds")
_IGNORED = ("epoch", "step", "global_step", "iteration", "batch")


@dataclass(frozen=True)
class Column:
    """What a raw column holds: ``key`` in dlpilot's names, and how often it was logged."""

    raw: str
    key: str  # loss, val_loss, accuracy, val_accuracy, lr, seconds
    level: str  # "epoch" (Lightning's *_epoch), "step" (*_step) or "" (as logged)


def normalise(raw: str) -> str:
    return re.sub(r"[\s/.\-]+", "_", raw.strip().lower()).strip("_")


def metric_alias(name: str) -> str | None:
    return _METRIC_ALIASES.get(normalise(name))


def parse_column(raw: str) -> Column | None:
    """dlpilot's name for a raw column, or None for one the diagnosis does not read."""
    name = normalise(raw)
    if not name or name in _IGNORED:
        return None
    level = ""
    for suffix in ("_epoch", "_step"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name, level = name[: -len(suffix)], suffix[1:]
            break
    if name in ("lr", "learning_rate") or name.startswith("lr_"):
        return Column(raw, "lr", level)
    if name in _SECONDS:
        return Column(raw, "seconds", level)
    split = "train"
    for prefix, which in _SPLIT_PREFIXES:
        if name.startswith(prefix):
            name, split = name[len(prefix) :], which
            break
    if split == "test":
        return None  # the test split is read once, by the final stage, never from curves
    if name in ("loss", "objective", "cost"):
        base = "loss"
    else:
        alias = _METRIC_ALIASES.get(name)
        if alias is None:
            return None
        base = alias
    return Column(raw, base if split == "train" else f"val_{base}", level)


def greater_is_better(metric: str) -> bool:
    return metric not in ERROR_METRICS


def primary_metric(keys: set[str] | list[str]) -> str | None:
    """The metric the diagnosis reads among dlpilot-named keys: train or val column present."""
    present = set(keys)
    for metric in METRIC_PRIORITY:
        if metric in present or f"val_{metric}" in present:
            return metric
    return None
