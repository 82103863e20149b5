"""Turn raw targets into what a network trains on, in the order stage 0 fixed."""

from __future__ import annotations

import numpy as np

from dlpilot.core.enums import Task
from dlpilot.core.errors import DataError
from dlpilot.core.messages import msg
from dlpilot.core.records import ProblemSpec


def encode_target(y: np.ndarray, spec: ProblemSpec) -> np.ndarray:
    """Class indices (int64) for classification, float32 values otherwise.

    Binary and multiclass: index ``i`` is ``spec.class_names[i]``. Multilabel:
    an N×k float32 0/1 matrix. Regression: N (or N×d) float32 values.
    """
    y = np.asarray(y)
    if spec.task in (Task.BINARY, Task.MULTICLASS):
        index = {name: i for i, name in enumerate(spec.class_names)}
        labels = [str(v) for v in y]
        unknown = sorted(set(labels) - set(index))
        if unknown:
            raise DataError(
                msg(
                    "Target values {unknown} were not seen when the problem was defined "
                    "(classes: {classes}). Give every split the same classes.",
                    unknown=unknown[:5],
                    classes=list(spec.class_names)[:10],
                )
            )
        return np.fromiter((index[v] for v in labels), dtype=np.int64, count=len(labels))
    if spec.task is Task.MULTILABEL:
        return (np.asarray(y, dtype=np.float32) > 0).astype(np.float32)
    return np.asarray(y, dtype=np.float32)


def decode_classes(indices: np.ndarray, spec: ProblemSpec) -> np.ndarray:
    """Class names for class indices."""
    names = np.asarray(spec.class_names, dtype=object)
    return names[np.asarray(indices, dtype=np.int64)]
