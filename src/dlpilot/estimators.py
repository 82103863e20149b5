"""scikit-learn estimators that run the whole workflow in ``fit``.

    clf = DLPilotClassifier(budget="2m").fit(X, y)
    clf.predict(X_new), clf.predict_proba(X_new), clf.score(X_test, y_test)

They follow scikit-learn's contract: the constructor only stores its arguments, ``fit``
validates X and y, runs stages 0–8 on them in memory (in a temporary run directory unless
``out`` is given) and returns self; what it learned ends in ``_``. So `get_params`, `set_params`
and `clone` work, and they drop into a `Pipeline`, `GridSearchCV` or `cross_val_score`.
Training stops at a time budget, so two fits on the same data may differ (the
``non_deterministic`` tag says so).
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from dlpilot.api import MIN_API_BUDGET_SECONDS
from dlpilot.core.enums import Task
from dlpilot.core.errors import DataError
from dlpilot.core.messages import msg
from dlpilot.data import Dataset, arrays_to_dataset, frame_to_dataset

TARGET_COLUMN = "__dlpilot_target__"
# What a run on X in memory records as its dataset and source.
IN_MEMORY_NAME = "X"
IN_MEMORY_SOURCE = "X (in memory)"


class _DLPilotEstimator(BaseEstimator):
    """What the classifier and the regressor share: validation, the run, the loaded model."""

    # --- fitting --------------------------------------------------------------------------

    def _fit(self, X: Any, *, task: Task, y_encoded: np.ndarray, positive: str | None):
        from dlpilot.bundle import load_bundle
        from dlpilot.workflow import RunOptions, run

        seed = (
            self.random_state
            if isinstance(self.random_state, (int, np.integer))
            else int(check_random_state(self.random_state).randint(2**31 - 1))
        )
        targets = _target_columns(y_encoded) if isinstance(X, pd.DataFrame) else ()
        options = RunOptions.build(
            IN_MEMORY_SOURCE,
            target=targets,
            budget=self.budget,
            min_budget_seconds=MIN_API_BUDGET_SECONDS,
            task=task,
            modality=self.modality,
            metric=self.metric,
            positive_class=positive,
            seed=int(seed),
            trials=self.trials,
            threads=self.threads,
            verbose=bool(self.verbose),
            report=self.out is not None,
        )
        dataset = _dataset(X, y_encoded, targets)
        with tempfile.TemporaryDirectory(prefix="dlpilot-fit-") as tmp:
            if self.out is not None:
                # A new run directory per fit, so clones fitted by cross-validation never clash.
                Path(self.out).mkdir(parents=True, exist_ok=True)
                stamp = time.strftime("fit-%Y%m%d-%H%M%S-")
                out = Path(tempfile.mkdtemp(prefix=stamp, dir=self.out))
            else:
                out = Path(tmp) / "run"
            result = run(replace(options, out=str(out)), dataset=dataset)
            self.model_ = load_bundle(result.model_path)
            self.summary_ = result.summary
        self.run_dir_ = out if self.out is not None else None
        self.task_ = self.model_.task
        return self

    def _validate_X(self, X: Any, *, reset: bool, y: Any = None) -> Any:
        if isinstance(X, pd.DataFrame):
            validate_data(self, X, reset=reset, skip_check_array=True)
            if reset:
                check_consistent_length(X, y)
            return X
        if reset:
            return validate_data(
                self,
                X,
                y,
                reset=True,
                allow_nd=True,
                ensure_all_finite="allow-nan",
                multi_output=True,
                ensure_min_samples=2,
            )
        return validate_data(self, X, reset=False, allow_nd=True, ensure_all_finite="allow-nan")

    def _scores_model(self, X: Any) -> Any:
        check_is_fitted(self, "model_")
        return self._validate_X(X, reset=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.non_deterministic = True
        return tags


class DLPilotClassifier(ClassifierMixin, _DLPilotEstimator):
    """Binary, multiclass or multilabel classification by dlpilot's workflow.

    budget: time for the whole workflow ("90s", "2m", or seconds; at least 1 s).
    metric: the metric to optimise (accuracy, f1, roc_auc, pr_auc, precision, recall, map);
        None lets stage 1 choose.
    positive_class: the class (a label of y) that precision, recall and F1 are about.
    modality: "tabular", "sequence" or "image" to override stage 0's inference.
    trials: at most this many tuning trials (None: as many as the budget allows).
    random_state: seed of the splits, initialisation and sampler (dlpilot's --seed).
    threads: CPU threads for training (None: all cores).
    out: a folder to keep the run directories in (report, model bundle), one new
        ``fit-<time>-<id>`` folder per fit; None: a temporary one, removed after fit.
    verbose: show the stages and epochs on stderr.

    Learned: ``classes_``, ``n_features_in_`` (``feature_names_in_`` for DataFrames),
    ``model_`` (a `TrainedModel`), ``task_``, ``summary_`` (summary.json) and ``run_dir_``
    (the run directory under ``out``; None without ``out``).
    """

    def __init__(
        self,
        budget: str | float = "2m",
        metric: str | None = None,
        *,
        positive_class: Any = None,
        modality: str | None = None,
        trials: int | None = None,
        random_state: int | None = 0,
        threads: int | None = None,
        out: str | Path | None = None,
        verbose: bool = False,
    ) -> None:
        self.budget = budget
        self.metric = metric
        self.positive_class = positive_class
        self.modality = modality
        self.trials = trials
        self.random_state = random_state
        self.threads = threads
        self.out = out
        self.verbose = verbose

    def fit(self, X: Any, y: Any) -> DLPilotClassifier:
        """Run the workflow on X, y; returns self."""
        validated = self._validate_X(X, reset=True, y=y)
        if not isinstance(X, pd.DataFrame):
            X, y = validated
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        kind = type_of_target(y)
        if kind == "multilabel-indicator":
            self.classes_ = np.arange(y.shape[1])
            encoded = (np.asarray(y) > 0).astype(np.int64)
            task = Task.MULTILABEL
        elif kind in ("binary", "multiclass"):
            self.classes_, encoded = np.unique(y, return_inverse=True)
            if len(self.classes_) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs at least 2 classes in y; got 1 class "
                    f"({self.classes_[0]!r}). There is nothing to predict."
                )
            task = Task.BINARY if len(self.classes_) == 2 else Task.MULTICLASS
        else:
            raise ValueError(
                f"{type(self).__name__} handles binary, multiclass and multilabel targets; y "
                f"is {kind}."
            )
        positive = None
        if self.positive_class is not None:
            found = np.flatnonzero(self.classes_ == self.positive_class)
            if task is Task.MULTILABEL or not len(found):
                raise ValueError(
                    f"positive_class={self.positive_class!r} is not a class of y (classes: "
                    f"{self.classes_.tolist()})."
                )
            positive = str(int(found[0]))
        return self._fit(X, task=task, y_encoded=encoded, positive=positive)

    def predict(self, X: Any) -> np.ndarray:
        """Classes (labels of y) of X; 0/1 per label for multilabel."""
        X = self._scores_model(X)
        predicted = self.model_.predict(X)
        if self.task_ is Task.MULTILABEL:
            return predicted
        return self.classes_[np.asarray(predicted, dtype=np.int64)]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities N×k, columns in the order of ``classes_``."""
        X = self._scores_model(X)
        proba = self.model_.predict_proba(X)
        if self.task_ is Task.MULTILABEL:
            return proba.astype(np.float64)
        # The model's classes are the indices "0", "1", … fit gave it, in its own order.
        order = [self.model_.classes.index(str(i)) for i in range(len(self.classes_))]
        return proba[:, order].astype(np.float64)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class DLPilotRegressor(RegressorMixin, _DLPilotEstimator):
    """Regression (one target, or several: vector regression) by dlpilot's workflow.

    Parameters as `DLPilotClassifier` (metric: rmse, mae or r2; no positive_class).
    Learned: ``n_features_in_`` (``feature_names_in_``), ``model_``, ``task_``,
    ``summary_`` and ``run_dir_``.
    """

    def __init__(
        self,
        budget: str | float = "2m",
        metric: str | None = None,
        *,
        modality: str | None = None,
        trials: int | None = None,
        random_state: int | None = 0,
        threads: int | None = None,
        out: str | Path | None = None,
        verbose: bool = False,
    ) -> None:
        self.budget = budget
        self.metric = metric
        self.modality = modality
        self.trials = trials
        self.random_state = random_state
        self.threads = threads
        self.out = out
        self.verbose = verbose

    def fit(self, X: Any, y: Any) -> DLPilotRegressor:
        """Run the workflow on X, y; returns self."""
        validated = self._validate_X(X, reset=True, y=y)
        if not isinstance(X, pd.DataFrame):
            X, y = validated
        y = np.asarray(y, dtype=np.float64)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if not np.isfinite(y).all():
            raise ValueError("Input y contains NaN or infinity; give finite target values.")
        task = Task.REGRESSION if y.ndim == 1 else Task.VECTOR_REGRESSION
        return self._fit(X, task=task, y_encoded=y, positive=None)

    def predict(self, X: Any) -> np.ndarray:
        """Predicted values: N, or N×d for several targets."""
        X = self._scores_model(X)
        return np.asarray(self.model_.predict(X), dtype=np.float64)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


def _target_columns(y: np.ndarray) -> tuple[str, ...]:
    """The columns y takes beside a DataFrame X's."""
    if y.ndim == 1:
        return (TARGET_COLUMN,)
    return tuple(f"{TARGET_COLUMN}{i}" for i in range(y.shape[1]))


def _dataset(X: Any, y: np.ndarray, targets: tuple[str, ...]) -> Dataset:
    """X, y as the workflow's `Dataset`, in memory: a DataFrame typed as a table file's
    columns are (y in the ``targets`` columns), an array as an ``.npz`` source's is."""
    if isinstance(X, pd.DataFrame):
        frame = X.reset_index(drop=True).rename(columns=str)
        clash = [c for c in targets if c in frame.columns]
        if clash:
            raise DataError(
                msg("X has a column named {column!r}, which dlpilot keeps for y.", column=clash[0])
            )
        y_frame = pd.DataFrame(y.reshape(len(y), -1), columns=list(targets))
        return frame_to_dataset(
            pd.concat([frame, y_frame], axis=1),
            target=targets,
            name=IN_MEMORY_NAME,
            source=IN_MEMORY_SOURCE,
        )
    return arrays_to_dataset(np.asarray(X), y, name=IN_MEMORY_NAME, source=IN_MEMORY_SOURCE)
