"""A trained model, ready to predict: what `dlpilot.load(RUN_DIR)` gives.

Inputs go through each member's fitted preparation, then its network; an ensemble
(the fold models of K-fold) averages its members' scores. Scores follow
`dlpilot.core.metrics`: binary → P(second class) per sample; multiclass → softmax
probabilities N×k; multilabel → sigmoid probabilities N×k; regression → values N
(or N×d for several targets).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

from dlpilot.bundle.schema import InputSchema, as_table
from dlpilot.core.enums import Modality, Task
from dlpilot.core.errors import ConfigError, DataError
from dlpilot.core.messages import msg
from dlpilot.core.records import ProblemSpec
from dlpilot.data.dataset import ImageFiles, take

# Rows prepared and scored at a time: bounds the memory that decoded images and prepared
# tensors take, whatever the size of the input.
DEFAULT_BATCH_SIZE = 1024
# A binary or multilabel score at or above this predicts the (second) class / the label.
DECISION_THRESHOLD = 0.5
PROBA_PREFIX = "proba_"


class InputWarning(UserWarning):
    """New inputs differ from the training inputs in a way that prediction tolerates."""


@dataclass(frozen=True, eq=False)
class LoadedMember:
    """One network of the model and the preparation its inputs need."""

    preparer: Any
    network: nn.Module


class TrainedModel:
    """The final model of a run: ``predict``, ``predict_proba``, ``predict_scores``.

    ``x`` is what the training source held: a DataFrame (or a dict of columns, or a 2-D
    array in column order) for tables and text; an N×C×H×W / N×H×W(×C) array, a list
    of image paths, or a path to an image file or folder for images; an N×C×L (or N×L)
    array for signals; or a path to a CSV/Parquet/.npz file.
    """

    def __init__(
        self,
        members: Sequence[LoadedMember],
        *,
        spec: ProblemSpec,
        schema: InputSchema,
        config: Mapping[str, Any],
        path: Path | None = None,
        device: str | torch.device | None = None,
    ) -> None:
        from dlpilot.core.device import choose_device

        if not members:
            raise ConfigError(msg("A model needs at least one member network."))
        self.members = tuple(members)
        self.spec = spec
        self.schema = schema
        self.config = dict(config)
        self.path = path
        self.device = choose_device(device)
        for m in self.members:
            m.network.eval()

    # --- what the model is -------------------------------------------------------------------

    @property
    def task(self) -> Task:
        return self.spec.task

    @property
    def modality(self) -> Modality:
        return self.spec.modality

    @property
    def classes(self) -> tuple[str, ...]:
        """Class names in score order (binary, multiclass), or label names (multilabel)."""
        if self.task is Task.MULTILABEL:
            return tuple(self.spec.target_names)
        return tuple(self.spec.class_names)

    @property
    def target_names(self) -> tuple[str, ...]:
        return tuple(self.spec.target_names)

    @property
    def columns(self) -> tuple[str, ...]:
        """The input columns the model reads (tables, text); empty for arrays and images."""
        return self.schema.column_names

    @property
    def n_members(self) -> int:
        return len(self.members)

    @property
    def metric(self) -> dict[str, Any]:
        return dict(self.config.get("metric") or {})

    @property
    def dlpilot_version(self) -> str:
        """The dlpilot version that wrote the bundle."""
        return str(self.config.get("dlpilot_version", "unknown"))

    @property
    def output_columns(self) -> list[str]:
        """The columns of `predict_table`."""
        if self.task in (Task.BINARY, Task.MULTICLASS):
            return ["prediction", *(PROBA_PREFIX + c for c in self.classes)]
        if self.task is Task.MULTILABEL:
            return [*self.classes, *(PROBA_PREFIX + c for c in self.classes)]
        return list(self.target_names)

    def __repr__(self) -> str:
        what = (
            f"classes={list(self.classes)}"
            if self.task.is_classification or self.task is Task.MULTILABEL
            else f"targets={list(self.target_names)}"
        )
        reads = (
            f"columns={len(self.columns)}"
            if self.schema.reads_table
            else f"shape={self.schema.shape}"
        )
        return (
            f"TrainedModel(task={self.task}, modality={self.modality}, {what}, {reads}, "
            f"members={self.n_members})"
        )

    # --- predictions ---------------------------------------------------------------------------

    def predict(self, x: Any, *, batch_size: int = DEFAULT_BATCH_SIZE) -> np.ndarray:
        """Class names (binary, multiclass), 0/1 per label (multilabel), or values (regression)."""
        return self.labels_from_scores(self.predict_scores(x, batch_size=batch_size))

    def predict_proba(self, x: Any, *, batch_size: int = DEFAULT_BATCH_SIZE) -> np.ndarray:
        """Probabilities N×k, columns in the order of ``classes``."""
        if self.task.is_regression:
            raise ConfigError(
                msg(
                    "A {task} model predicts values, not probabilities; use predict().",
                    task=str(self.task),
                )
            )
        return self.proba_from_scores(self.predict_scores(x, batch_size=batch_size))

    def predict_table(self, x: Any, *, batch_size: int = DEFAULT_BATCH_SIZE) -> pd.DataFrame:
        """Predictions as a table: the class and per-class probabilities, the labels and their
        probabilities, or one column of values per target (see ``output_columns``)."""
        return self.table_from_scores(self.predict_scores(x, batch_size=batch_size))

    def predict_scores(
        self,
        x: Any,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        on_batch: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Scores after the final activation, averaged over the members; ``on_batch(rows)``
        hears each batch done."""
        return self.score_checked(self.check_inputs(x), batch_size=batch_size, on_batch=on_batch)

    def score_checked(
        self,
        inputs: Any,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        on_batch: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """`predict_scores` of inputs that `check_inputs` returned, batch by batch."""
        from dlpilot.engine import Precision, predict_scores

        if batch_size < 1:
            raise ConfigError(
                msg("batch_size={batch_size} must be at least 1.", batch_size=batch_size)
            )
        n = len(inputs)
        if n == 0:
            raise DataError(msg("No inputs to predict: the input has no rows."))
        parts = []
        for start in range(0, n, batch_size):
            batch = take(inputs, np.arange(start, min(start + batch_size, n)))
            scores = [
                predict_scores(
                    m.network,
                    _as_tensor(m.preparer.transform(batch)),
                    task=self.task,
                    batch_size=batch_size,
                    device=self.device,
                    precision=Precision.FP32,
                )
                for m in self.members
            ]
            parts.append(np.mean(scores, axis=0, dtype=np.float64).astype(np.float32))
            if on_batch is not None:
                on_batch(len(parts[-1]))
        return np.concatenate(parts, axis=0)

    def prepare(self, x: Any) -> list[torch.Tensor]:
        """The prepared tensors the networks read, one per member: what an exported model takes
        (``input_0``, ``input_1``, …)."""
        inputs = self.check_inputs(x)
        return [_as_tensor(m.preparer.transform(inputs)) for m in self.members]

    # --- from scores to answers ----------------------------------------------------------------

    def labels_from_scores(self, scores: np.ndarray) -> np.ndarray:
        if self.task is Task.BINARY:
            names = np.asarray(self.classes, dtype=object)
            return names[(scores >= DECISION_THRESHOLD).astype(np.int64)]
        if self.task is Task.MULTICLASS:
            return np.asarray(self.classes, dtype=object)[np.argmax(scores, axis=1)]
        if self.task is Task.MULTILABEL:
            return (scores >= DECISION_THRESHOLD).astype(np.int64)
        return scores

    def proba_from_scores(self, scores: np.ndarray) -> np.ndarray:
        if self.task is Task.BINARY:
            return np.stack([1.0 - scores, scores], axis=1)
        return scores

    def table_from_scores(self, scores: np.ndarray) -> pd.DataFrame:
        columns = self.output_columns
        if self.task in (Task.BINARY, Task.MULTICLASS):
            proba = self.proba_from_scores(scores)
            table = pd.DataFrame(proba, columns=columns[1:])
            table.insert(0, "prediction", self.labels_from_scores(scores))
            return table
        if self.task is Task.MULTILABEL:
            labels = self.labels_from_scores(scores)
            return pd.DataFrame(np.concatenate([labels, scores], axis=1), columns=columns).astype(
                {c: np.int64 for c in self.classes}
            )
        return pd.DataFrame(np.asarray(scores).reshape(len(scores), -1), columns=columns)

    # --- inputs --------------------------------------------------------------------------------

    def check_inputs(self, x: Any) -> Any:
        """New inputs in the form the preparation reads, checked against the schema.

        Extra columns and categories the model has no level for are an `InputWarning`;
        a missing column is a `DataError` that names it.
        """
        if isinstance(x, (str, Path)):
            from dlpilot.bundle.inputs import read_inputs

            x = read_inputs(x, self.modality).x
        if self.schema.reads_table:
            table, ignored = as_table(x, self.schema)
            if ignored:
                targets = [c for c in ignored if c in self.target_names]
                others = [c for c in ignored if c not in self.target_names]
                parts = []
                if others:
                    parts.append(f"column(s) the model was not trained on: {others}")
                if targets:
                    parts.append(f"the target column(s) {targets}")
                warnings.warn(f"Ignoring {' and '.join(parts)}.", InputWarning, stacklevel=3)
            table = table[list(self.columns)]
            self._warn_unknown_levels(table)
            return table
        if self.modality is Modality.IMAGE:
            if isinstance(x, (list, tuple)):
                return ImageFiles(tuple(Path(p) for p in x))
            if isinstance(x, ImageFiles):
                return x
            return _numeric_array(x, "Images")
        return self._signals(_numeric_array(x, "Signals"))

    def _signals(self, arr: np.ndarray) -> np.ndarray:
        """N×C×L as the training source was read; N×L×C is turned, N×L gets one channel."""
        shape = tuple(self.schema.shape)
        if arr.ndim == 3 and tuple(arr.shape[1:]) != shape and tuple(arr.shape[1:]) == shape[::-1]:
            return np.ascontiguousarray(arr.transpose(0, 2, 1))
        return arr

    def _warn_unknown_levels(self, table: pd.DataFrame) -> None:
        # A category is unknown to the model when no member has a level for it.
        unseen: dict[str, dict[str, int]] = {}
        for m in self.members:
            for column, counts in m.preparer.unknown_categories(table).items():
                before = unseen.get(column)
                unseen[column] = (
                    counts if before is None else {k: n for k, n in before.items() if k in counts}
                )
        for column, counts in unseen.items():
            if counts:
                values = list(counts)
                shown = ", ".join(repr(v) for v in values[:5])
                more = f" and {len(values) - 5} more" if len(values) > 5 else ""
                warnings.warn(
                    f"Column '{column}': {sum(counts.values())} row(s) hold categories the model "
                    f"has no level for ({shown}{more}); they go to the unknown bucket.",
                    InputWarning,
                    stacklevel=4,
                )


def _as_tensor(x: Any) -> torch.Tensor:
    return x if isinstance(x, torch.Tensor) else torch.as_tensor(np.asarray(x))


def _numeric_array(x: Any, what: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        dtype = str(arr.dtype)
        if what == "Images":
            raise DataError(msg("Images must be numeric arrays; got dtype {dtype}.", dtype=dtype))
        raise DataError(msg("Signals must be numeric arrays; got dtype {dtype}.", dtype=dtype))
    return arr
