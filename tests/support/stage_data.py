"""Generated data for the stage and preprocessing tests (imported by name: this folder is on
sys.path)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dlpilot.core.enums import Modality, Task
from dlpilot.core.records import ProblemSpec
from dlpilot.data.dataset import Dataset
from dlpilot.data.tables import table_to_dataset


def table_dataset(frame: pd.DataFrame, target: str, name: str = "generated") -> Dataset:
    """A `Dataset` typed exactly as the CSV loader types it."""
    return table_to_dataset(frame, target=[target], name=name, source=name)


def binary_table(n: int, positive_share: float, *, seed: int = 0) -> pd.DataFrame:
    """Two informative numeric features and a 'fail'/'ok' target with an exact positive share."""
    rng = np.random.default_rng(seed)
    n_pos = round(n * positive_share)
    label = np.asarray(["fail"] * n_pos + ["ok"] * (n - n_pos), dtype=object)
    rng.shuffle(label)
    signal = (label == "fail").astype(float)
    return pd.DataFrame(
        {
            "temperature": rng.normal(size=n) + 2.0 * signal,
            "vibration": rng.normal(size=n) - 1.0 * signal,
            "status": label,
        }
    )


def numeric_spec(n: int, n_features: int, task: Task = Task.BINARY) -> ProblemSpec:
    """A stage-0 result written by hand, for data too large to run stage 0 on in a test."""
    classes = ("0", "1") if task is Task.BINARY else ()
    return ProblemSpec(
        task=task,
        modality=Modality.TABULAR,
        n_samples=n,
        n_features=n_features,
        input_shape=(n_features,),
        target_names=("y",),
        class_names=classes,
        class_counts={c: n // len(classes) for c in classes} if classes else {},
        feature_columns=tuple(f"x{i}" for i in range(n_features)),
    )


def mixed_table(n: int, seed: int = 0) -> pd.DataFrame:
    """Two numeric columns ('income' 20 % missing), a colour and a yes/no target 'bought'."""
    rng = np.random.default_rng(seed)
    income = rng.normal(50, 10, size=n)
    income[rng.random(n) < 0.2] = np.nan
    return pd.DataFrame(
        {
            "age": rng.normal(40, 12, size=n),
            "income": income,
            "colour": rng.choice(["red", "green", "blue"], size=n),
            "bought": rng.choice(["yes", "no"], size=n),
        }
    )


def image_spec(n: int, shape: tuple[int, int, int], n_classes: int = 2) -> ProblemSpec:
    """A stage-0 result for ``n`` images (or signals) of ``shape``, written by hand."""
    classes = tuple(str(i) for i in range(n_classes))
    return ProblemSpec(
        task=Task.BINARY if n_classes == 2 else Task.MULTICLASS,
        modality=Modality.IMAGE,
        n_samples=n,
        n_features=int(np.prod(shape)),
        input_shape=shape,
        target_names=("label",),
        class_names=classes,
        class_counts={c: n // n_classes for c in classes},
    )
