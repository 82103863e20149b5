"""Generated data for the stage tests (imported by name: this folder is on sys.path)."""

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
