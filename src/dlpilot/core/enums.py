"""Closed choices, shared by the Python API, config files and the CLI."""

from __future__ import annotations

from enum import StrEnum


class Task(StrEnum):
    BINARY = "binary"
    MULTICLASS = "multiclass"
    REGRESSION = "regression"
    VECTOR_REGRESSION = "vector_regression"
    MULTILABEL = "multilabel"

    @property
    def is_classification(self) -> bool:
        return self in (Task.BINARY, Task.MULTICLASS)

    @property
    def is_regression(self) -> bool:
        return self in (Task.REGRESSION, Task.VECTOR_REGRESSION)


class Modality(StrEnum):
    TABULAR = "tabular"
    IMAGE = "image"
    SEQUENCE = "sequence"
    TEXT = "text"


class ColumnKind(StrEnum):
    """How a table column is typed when it is loaded."""

    NUMERIC = "numeric"
    CATEGORICAL = "categorical"
    BOOLEAN = "boolean"
    TEXT = "text"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class FindingCode(StrEnum):
    """The fixed vocabulary of findings (documented in the README)."""

    IMBALANCED_CLASSES = "imbalanced_classes"
    ID_LIKE_COLUMN = "id_like_column"
    CONSTANT_COLUMN = "constant_column"
    DUPLICATE_ROWS = "duplicate_rows"
    TARGET_LEAK_SUSPECTED = "target_leak_suspected"
    SPLIT_DISTRIBUTION_SHIFT = "split_distribution_shift"
    MIXED_PIXEL_RANGE = "mixed_pixel_range"
    MIXED_IMAGE_SIZES = "mixed_image_sizes"
    BELOW_COMMON_SENSE_BASELINE = "below_common_sense_baseline"
    UNDERFITTING = "underfitting"
    OVERFITTING = "overfitting"
    UNDERTRAINED = "undertrained"
    LR_TOO_HIGH = "lr_too_high"
    LR_TOO_LOW = "lr_too_low"
    DIVERGED_NAN = "diverged_nan"
    AVOIDABLE_BIAS = "avoidable_bias"
    HIGH_VARIANCE = "high_variance"
    DATA_MISMATCH = "data_mismatch"
    BELOW_CLASSICAL_BASELINE = "below_classical_baseline"
    BAD_INITIAL_LOSS = "bad_initial_loss"
    CANNOT_OVERFIT_BATCH = "cannot_overfit_batch"
    INPUTS_CARRY_NO_SIGNAL = "inputs_carry_no_signal"
    BEST_AT_SEARCH_EDGE = "best_at_search_edge"


class MetricName(StrEnum):
    ACCURACY = "accuracy"
    F1 = "f1"
    ROC_AUC = "roc_auc"
    PR_AUC = "pr_auc"
    PRECISION = "precision"
    RECALL = "recall"
    MAP = "map"
    RMSE = "rmse"
    MAE = "mae"
    R2 = "r2"

    @property
    def greater_is_better(self) -> bool:
        return self not in (MetricName.RMSE, MetricName.MAE)


class ProtocolKind(StrEnum):
    HOLDOUT = "holdout"
    KFOLD = "kfold"
    ITERATED_KFOLD = "iterated_kfold"


class ShipPolicy(StrEnum):
    """Which model stage 8 ships: the better on validation of the network and the linear
    baseline (a network of depth 0), or the network whatever the comparison says."""

    AUTO = "auto"
    NETWORK = "network"
