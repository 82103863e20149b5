"""Stage 4 — set the score to beat.

The common-sense baseline is what a trivial predictor scores: scikit-learn's
Dummy estimators (most frequent class, stratified guessing or the class prior
for classification; the mean for regression); the best of them is the score a
network must beat. A classical model (logistic regression or ridge on the same
prepared features; flattened pixels for images, word counts for text) gives
context. Both are evaluated on the same protocol folds with the same metric,
through `dlpilot.core.metrics`.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from dlpilot.core.enums import MetricName, Task
from dlpilot.core.messages import Msg, msg
from dlpilot.core.metrics import score_all
from dlpilot.core.numbers import beats, finite_or_none, nan_if_none, rank_key
from dlpilot.core.policy import SMALL_FIT_THREADS
from dlpilot.core.records import Decision, Finding, ProblemSpec
from dlpilot.engine.data import sample_tensors
from dlpilot.engine.linear import MAX_LINEAR_FEATURES, linear_estimator, linear_features
from dlpilot.stages._yardsticks import (
    MIN_YARDSTICK_ROWS,
    YardstickFold,
    minirocket_fold,
    rows_affordable,
    yardstick_for,
)

if TYPE_CHECKING:  # for annotations only: stages pass typed results, never import each other
    from dlpilot.stages.metric import MetricChoice
    from dlpilot.stages.prepare import PreparedData, PreparedFold

STAGE = "score_to_beat"

# The classical baseline trains on at most this many rows of each training split (a random
# sample), and streamed validation sets are scored on at most this many rows.
CLASSICAL_MAX_TRAIN_ROWS = 10_000
MAX_STREAMED_VAL_ROWS = 20_000
# Inputs wider than this are average-pooled (images) or cut to the most frequent tokens (text)
# before the classical model sees them.
CLASSICAL_MAX_FEATURES = MAX_LINEAR_FEATURES
# And at most this many input values (rows × features): 784-pixel images get ~5,100 rows.
CLASSICAL_MAX_VALUES = 4_000_000
DUMMY_CLASSIFIER_STRATEGIES = ("most_frequent", "stratified", "prior")


@dataclass(frozen=True)
class BaselineScore:
    """A baseline model and its scores, the mean over the protocol's folds."""

    model: str
    score: float
    scores: dict[str, float]
    fold_scores: tuple[float, ...] = ()
    # Rows per split (training and validation) it was scored on, when a sample of them.
    rows: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {
            "model": self.model,
            "score": finite_or_none(self.score),
            "scores": {k: finite_or_none(v) for k, v in self.scores.items()},
            "fold_scores": [finite_or_none(v) for v in self.fold_scores],
        }
        if self.rows is not None:
            d["rows"] = self.rows
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> BaselineScore:
        return cls(
            model=str(d["model"]),
            score=nan_if_none(d["score"]),
            scores={k: nan_if_none(v) for k, v in d["scores"].items()},
            fold_scores=tuple(nan_if_none(v) for v in d.get("fold_scores", ())),
            rows=d.get("rows"),
        )


@dataclass(frozen=True)
class ScoreToBeat:
    """Stage 4's result: the common-sense score to beat, and a classical model for context."""

    common_sense: BaselineScore
    classical: BaselineScore
    decisions: tuple[Decision, ...]
    findings: tuple[Finding, ...]
    metric: MetricName | None = None
    greater_is_better: bool = True
    dummies: dict[str, BaselineScore] = field(default_factory=dict)
    yardsticks: dict[str, BaselineScore] = field(default_factory=dict)

    @property
    def best_classical(self) -> BaselineScore:
        """The best of the linear model and the modality's yardsticks, on validation."""
        best = self.classical
        for candidate in self.yardsticks.values():
            if rank_key(candidate.score, self.greater_is_better) > rank_key(
                best.score, self.greater_is_better
            ):
                best = candidate
        return best

    @property
    def score(self) -> float:
        """The score a network has to beat (the common-sense baseline's)."""
        return self.common_sense.score

    def beats(self, value: float) -> bool:
        """Whether ``value`` of the primary metric beats the common-sense baseline."""
        return beats(value, self.score, greater_is_better=self.greater_is_better)

    def to_dict(self) -> dict[str, Any]:
        """The summary's ``baselines`` block."""
        return {
            "metric": str(self.metric) if self.metric is not None else None,
            "greater_is_better": self.greater_is_better,
            "common_sense": self.common_sense.to_dict(),
            "classical": self.classical.to_dict(),
            "yardsticks": {name: b.to_dict() for name, b in self.yardsticks.items()},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ScoreToBeat:
        """The ``baselines`` block back (with the yardsticks); the decisions and findings live
        in the stage record, and the dummies other than the best are not kept."""
        return cls(
            common_sense=BaselineScore.from_dict(d["common_sense"]),
            classical=BaselineScore.from_dict(d["classical"]),
            decisions=(),
            findings=(),
            metric=MetricName(d["metric"]) if d.get("metric") else None,
            greater_is_better=bool(d["greater_is_better"]),
            yardsticks={
                name: BaselineScore.from_dict(b) for name, b in d.get("yardsticks", {}).items()
            },
        )


def score_to_beat(
    prepared: PreparedData,
    spec: ProblemSpec,
    metric: MetricChoice,
    *,
    yardstick_seconds: float | None = None,
    seed: int = 0,
) -> ScoreToBeat:
    """Evaluate the Dummy baselines, a linear model and the modality's yardstick on every fold.

    ``prepared`` is stage 3's `PreparedData`; ``metric`` is stage 1's `MetricChoice`.
    ``yardstick_seconds`` bounds the yardstick (None: no bound): it takes a sample of each
    split's rows when all of them would not fit, and is left out when too few would.
    """
    primary = str(metric.primary)
    fold_results: dict[str, list[dict[str, float]]] = {}
    sampled = False
    with threadpool_limits(limits=SMALL_FIT_THREADS):
        for fold in prepared.folds:
            results, cut = _evaluate_fold(fold, spec, metric, prepared.vocab_size)
            sampled = sampled or cut
            for name, scores in results.items():
                fold_results.setdefault(name, []).append(scores)
    classical_name = linear_estimator(spec.task)[0]

    summaries = {name: _summary(name, results, primary) for name, results in fold_results.items()}
    dummies = {name: s for name, s in summaries.items() if name != classical_name}
    best = max(dummies.values(), key=lambda s: rank_key(s.score, metric.greater_is_better))
    classical = summaries[classical_name]
    n_folds = len(prepared.folds)
    over = (
        msg("the mean over {n} validation folds", n=n_folds)
        if n_folds > 1
        else msg("the validation split")
    )
    decisions = [
        Decision(
            what=msg(
                "score to beat: {metric} {score:.4f} by {model}",
                metric=primary,
                score=best.score,
                model=best.model,
            ),
            why=msg(
                "the best trivial predictor on {over}; a network that does not beat it has "
                "learned nothing from the inputs",
                over=over,
            ),
            numbers={name: finite_or_none(s.score) for name, s in dummies.items()},
        ),
        Decision(
            what=msg(
                "classical baseline: {metric} {score:.4f} by {model}",
                metric=primary,
                score=classical.score,
                model=classical.model,
            ),
            why=msg(
                "a linear model on the same prepared features, scored on {over}: the network "
                "should beat it too, or its extra cost buys nothing",
                over=over,
            ),
            numbers={"fold_scores": [finite_or_none(v) for v in classical.fold_scores]},
        ),
    ]
    if sampled:
        decisions.append(
            Decision(
                what=msg(
                    "classical baseline on at most {rows:,} "
                    "training rows per split (a random sample)",
                    rows=_row_limit(prepared.folds[0].train),
                ),
                why=msg(
                    "a linear model's score settles long before that; the rest would only cost time"
                ),
            )
        )
    if rank_key(classical.score, metric.greater_is_better) <= rank_key(
        best.score, metric.greater_is_better
    ):
        decisions.append(
            Decision(
                what=msg("the classical model does not beat the common-sense baseline"),
                why=msg(
                    "{model} scores {score:.4f} against {reference:.4f}: "
                    "the inputs may carry little linear signal, or the metric needs another "
                    "decision threshold",
                    model=classical.model,
                    score=classical.score,
                    reference=best.score,
                ),
            )
        )
    yardsticks, yardstick_decisions = _yardsticks(
        prepared, spec, metric, seconds=yardstick_seconds, seed=seed, over=over
    )
    decisions.extend(yardstick_decisions)
    return ScoreToBeat(
        common_sense=best,
        classical=classical,
        decisions=tuple(decisions),
        findings=(),
        metric=metric.primary,
        greater_is_better=metric.greater_is_better,
        dummies=dummies,
        yardsticks=yardsticks,
    )


def _yardsticks(
    prepared: PreparedData,
    spec: ProblemSpec,
    metric: MetricChoice,
    *,
    seconds: float | None,
    seed: int,
    over: Msg,
) -> tuple[dict[str, BaselineScore], list[Decision]]:
    name = yardstick_for(spec.modality, spec.task)
    if name is None:
        return {}, []
    first = prepared.folds[0]
    x_first, y_first, _cut = sample_tensors(first.train, _row_limit(first.train))
    n_folds = len(prepared.folds)
    rows = len(first.train) + len(first.val)
    if seconds is not None:
        with threadpool_limits(limits=SMALL_FIT_THREADS):
            affordable = rows_affordable(
                x_first, seconds, n_folds, y=y_first.numpy(), task=spec.task
            )
        if affordable < min(rows, MIN_YARDSTICK_ROWS):
            return {}, [
                Decision(
                    what=msg("{name} not scored", name=name),
                    why=msg(
                        "its transform would take far more than the {seconds:.0f}s it may use "
                        "here ({affordable} series per split affordable)",
                        seconds=seconds,
                        affordable=affordable,
                    ),
                )
            ]
        rows = min(rows, affordable)
    results = []
    with threadpool_limits(limits=SMALL_FIT_THREADS):
        for i, fold in enumerate(prepared.folds):
            share = len(fold.train) / (len(fold.train) + len(fold.val))
            x_train, y_train, _ = sample_tensors(fold.train, max(1, int(rows * share)))
            x_val, y_val, _ = sample_tensors(fold.val, max(1, rows - int(rows * share)))
            results.append(
                minirocket_fold(
                    YardstickFold(x_train, y_train.numpy(), x_val, y_val.numpy()),
                    task=spec.task,
                    n_classes=len(spec.class_names),
                    metrics=(metric.primary, *metric.secondary),
                    positive_index=metric.positive_index,
                    seed=seed + i,
                )
            )
    sampled = rows < len(first.train) + len(first.val)
    summary = replace(_summary(name, results, str(metric.primary)), rows=rows if sampled else None)
    return {name: summary}, [
        Decision(
            what=msg(
                "yardstick for {modality}: {metric} {score:.4f} by {name}",
                modality=spec.modality,
                metric=metric.primary,
                score=summary.score,
                name=name,
            ),
            why=msg(
                "what a practitioner of {modality} data tries first, scored on {over} "
                "(a sample of {rows:,} series per split, to fit its time): a network that "
                "loses to it should say so",
                modality=spec.modality,
                over=over,
                rows=rows,
            )
            if sampled
            else msg(
                "what a practitioner of {modality} data tries first, scored on {over}: "
                "a network that loses to it should say so",
                modality=spec.modality,
                over=over,
            ),
            numbers={"fold_scores": [finite_or_none(v) for v in summary.fold_scores]},
        )
    ]


def _evaluate_fold(
    fold: PreparedFold, spec: ProblemSpec, metric: MetricChoice, vocab_size: int | None
) -> tuple[dict[str, dict[str, float]], bool]:
    """Every baseline's scores on one fold, and whether rows were sampled."""
    task = spec.task
    metrics = (metric.primary, *metric.secondary)
    x_train, y_train, cut_train = sample_tensors(fold.train, _row_limit(fold.train))
    x_val, y_val, cut_val = sample_tensors(fold.val, MAX_STREAMED_VAL_ROWS)
    y_train_np, y_val_np = y_train.numpy(), y_val.numpy()
    if task is Task.MULTILABEL:
        y_train_np = y_train_np.astype(np.int64)

    def scored(model: Any, features: Any) -> dict[str, float]:
        y_score = _model_scores(model, features, spec)
        return score_all(
            metrics, y_val_np, y_score, task=task, positive_index=metric.positive_index
        )

    results: dict[str, dict[str, float]] = {}
    for name, dummy in _dummies(task):
        dummy.fit(np.zeros((len(y_train_np), 1)), y_train_np)
        results[name] = scored(dummy, np.zeros((len(y_val_np), 1)))
    features_train, features_val = _features(x_train, x_val, vocab_size)
    name, model = linear_estimator(task)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings: the baseline is context only
        model.fit(features_train, y_train_np)
    results[name] = scored(model, features_val)
    return results, cut_train or cut_val


def _dummies(task: Task) -> list[tuple[str, Any]]:
    from sklearn.dummy import DummyClassifier, DummyRegressor

    if task.is_regression:
        return [("DummyRegressor(strategy='mean')", DummyRegressor(strategy="mean"))]
    return [
        (f"DummyClassifier(strategy='{s}')", DummyClassifier(strategy=s, random_state=0))
        for s in DUMMY_CLASSIFIER_STRATEGIES
    ]


def _model_scores(model: Any, x: Any, spec: ProblemSpec) -> np.ndarray:
    """What `core.metrics` calls scores: P(class 1), N×k probabilities, or values."""
    task = spec.task
    if task.is_regression:
        return np.asarray(model.predict(x), dtype=np.float64)
    proba = model.predict_proba(x)
    if task is Task.MULTILABEL:
        if isinstance(proba, list):  # Dummy: one array per label, columns in classes_ order
            proba = np.stack(
                [
                    p[:, list(classes).index(1)] if 1 in classes else np.zeros(len(p))
                    for p, classes in zip(proba, model.classes_, strict=True)
                ],
                axis=1,
            )
        return np.asarray(proba, dtype=np.float64)
    k = len(spec.class_names)
    full = np.zeros((proba.shape[0], k), dtype=np.float64)
    full[:, np.asarray(model.classes_, dtype=np.int64)] = proba
    return full[:, 1] if task is Task.BINARY else full


def _row_limit(data: Any) -> int:
    """Training rows for the linear model: fewer when each row is wide (e.g. pixels)."""
    if isinstance(getattr(data, "x", None), torch.Tensor):
        width = int(np.prod(data.x.shape[1:]))
    elif hasattr(data, "preparer"):  # a stream of prepared images
        width = int(np.prod(data.preparer.input_shape))
    else:
        width = CLASSICAL_MAX_FEATURES
    width = min(max(width, 1), CLASSICAL_MAX_FEATURES)
    return int(min(CLASSICAL_MAX_TRAIN_ROWS, max(1_000, CLASSICAL_MAX_VALUES // width)))


def _features(
    x_train: torch.Tensor, x_val: torch.Tensor, vocab_size: int | None
) -> tuple[Any, Any]:
    """Flat float features for a linear model: pooled pixels, or word counts for token ids."""
    if not x_train.dtype.is_floating_point:
        return _bag_of_words(x_train, vocab_size), _bag_of_words(x_val, vocab_size)
    return linear_features(x_train), linear_features(x_val)


def _bag_of_words(ids: torch.Tensor, vocab_size: int | None) -> Any:
    """Sparse counts of the most frequent tokens (ids 2.. are in order of training frequency)."""
    from scipy import sparse

    width = min(vocab_size or int(ids.max()) + 1, CLASSICAL_MAX_FEATURES)
    arr = ids.numpy()
    rows, cols = np.nonzero(arr > 0)
    tokens = arr[rows, cols]
    keep = tokens < width
    counts = sparse.csr_matrix(
        (np.ones(int(keep.sum())), (rows[keep], tokens[keep])), shape=(len(arr), width)
    )
    counts.sum_duplicates()
    counts.data = np.log1p(counts.data)
    return counts


def _summary(name: str, results: list[dict[str, float]], primary: str) -> BaselineScore:
    keys = list(results[0])
    means = {k: _nanmean([r[k] for r in results]) for k in keys}
    return BaselineScore(
        model=name,
        score=means[primary],
        scores=means,
        fold_scores=tuple(float(r[primary]) for r in results),
    )


def _nanmean(values: list[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return float(np.mean(finite)) if finite else math.nan
