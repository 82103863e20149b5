"""Bundles for the bundle tests, written by save_bundle from untrained networks (no run).

Imported by name: this folder is on sys.path."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dlpilot.bundle import save_bundle
from dlpilot.core.enums import Modality, Task
from dlpilot.core.records import ProblemSpec
from dlpilot.engine import ModelConfig, build_model
from dlpilot.preprocessing import TablePreparer
from dlpilot.stages.final import Member


def table(n: int = 40, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "size": rng.normal(size=n),
            "weight": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n)),
            "colour": rng.choice(["red", "green", "blue"], size=n).astype(object),
        }
    )


def write_synthetic_bundle(folder, *, members: int = 1, task: Task = Task.MULTICLASS):
    """A bundle of ``members`` networks, each with its own preparation (as K-fold saves)."""
    classes = ("a", "b", "c") if task is Task.MULTICLASS else ()
    targets = ("y",) if task is not Task.VECTOR_REGRESSION else ("y0", "y1")
    spec = ProblemSpec(
        task=task,
        modality=Modality.TABULAR,
        n_samples=40,
        n_features=3,
        input_shape=(3,),
        target_names=targets,
        class_names=classes,
        feature_columns=("size", "weight", "colour"),
    )
    config = ModelConfig("mlp", depth=1, width=8)
    saved = []
    for i in range(members):
        prep = TablePreparer(columns=["size", "weight", "colour"]).fit(table(seed=i))
        stats = None
        if task.is_regression:
            stats = ([float(i)] * spec.n_outputs, [2.0 + i] * spec.n_outputs)
        net = build_model(
            config,
            input_shape=prep.input_shape,
            n_outputs=spec.n_outputs,
            seed=i,
            target_stats=stats,
        ).eval()
        saved.append(Member(prep, net))
    save_bundle(
        folder,
        members=saved,
        spec=spec,
        model_config=config,
        vocab_size=None,
        metric={"primary": "accuracy"},
        table_columns=["id", "size", "weight", "colour"],
    )
    return folder


def write_images(root, classes, per_class, *, size=(12, 10), mode="L", seed=0):
    """Small random images under root/<class>/, the class in their brightness."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    channels = {"L": 1, "RGB": 3}[mode]
    for c, name in enumerate(classes):
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            arr = rng.integers(0, 120, size=(size[1], size[0], channels), dtype=np.uint8)
            arr = arr + np.uint8(120 * c)
            Image.fromarray(arr[..., 0] if channels == 1 else arr).save(folder / f"{name}_{i}.png")
