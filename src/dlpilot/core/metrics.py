"""Metrics, all computed by scikit-learn, from encoded targets and model scores.

Scores are what a trained model outputs after its final activation:
binary → P(class 1) as an N-vector; multiclass → N×k probabilities;
multilabel → N×k independent probabilities; regression → N (or N×d) values.
``positive_index`` names the class that precision, recall, F1 and PR-AUC are
about (binary), or the one-vs-rest class (multiclass); without it multiclass
metrics are macro averages.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from sklearn import metrics as skm

from dlpilot.core.enums import MetricName, Task

# Probability above which a binary or multilabel score counts as a positive prediction.
DECISION_THRESHOLD = 0.5


def score(
    metric: MetricName | str,
    y_true: np.ndarray,
    y_score: np.ndarray,
    *,
    task: Task,
    positive_index: int | None = None,
) -> float:
    """One metric; NaN where it is undefined (e.g. ROC-AUC with one class present)."""
    metric = MetricName(metric)
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if task.is_regression:
                return _regression(metric, y_true.astype(np.float64), y_score)
            if task is Task.BINARY:
                return _binary(
                    metric, y_true, y_score, 1 if positive_index is None else positive_index
                )
            if task is Task.MULTICLASS:
                return _multiclass(metric, y_true, y_score, positive_index)
            return _multilabel(metric, y_true, y_score)
        except ValueError:
            return math.nan


def score_all(
    metrics: list[MetricName] | tuple[MetricName, ...],
    y_true: np.ndarray,
    y_score: np.ndarray,
    *,
    task: Task,
    positive_index: int | None = None,
) -> dict[str, float]:
    return {
        str(m): score(m, y_true, y_score, task=task, positive_index=positive_index) for m in metrics
    }


# Bootstrap resamples for a metric's sampling error: the standard error's own relative error
# is about 1/sqrt(2·B), 5% at 200 (Efron & Tibshirani 1993, §6.4: 25–200 suffice for an SE).
BOOTSTRAP_RESAMPLES = 200


def accuracy_error(accuracy: float, n: int) -> float:
    """Binomial standard error of an accuracy on ``n`` samples, Agresti–Coull adjusted
    (two successes and two failures added: Agresti & Coull 1998), so that an accuracy of
    1.0 on few samples is not called noiseless."""
    if not math.isfinite(accuracy) or n < 1:
        return math.nan
    n_adj = n + 4
    p = (accuracy * n + 2) / n_adj
    return math.sqrt(p * (1 - p) / n_adj)


def sampling_error(
    metric: MetricName | str,
    y_true: np.ndarray,
    y_score: np.ndarray,
    *,
    task: Task,
    positive_index: int | None = None,
    seed: int = 0,
) -> float:
    """The standard error of ``metric`` on these samples: binomial for accuracy
    (`accuracy_error`), a bootstrap of the samples otherwise (scipy's,
    `BOOTSTRAP_RESAMPLES`); NaN where the metric is undefined."""
    metric = MetricName(metric)
    n = len(y_true)
    if n < 2:
        return math.nan
    if metric is MetricName.ACCURACY and task in (Task.BINARY, Task.MULTICLASS):
        p = score(metric, y_true, y_score, task=task, positive_index=positive_index)
        return accuracy_error(p, n)
    from scipy.stats import bootstrap

    y_true, y_score = np.asarray(y_true), np.asarray(y_score)

    def statistic(idx: np.ndarray) -> float:
        i = idx.astype(np.int64)
        return score(metric, y_true[i], y_score[i], task=task, positive_index=positive_index)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = bootstrap(
            (np.arange(n),),
            statistic,
            n_resamples=BOOTSTRAP_RESAMPLES,
            vectorized=False,
            method="percentile",
            random_state=np.random.default_rng(seed),
        )
    se = float(result.standard_error)
    return se if math.isfinite(se) else math.nan


def predicted_labels(y_score: np.ndarray, task: Task) -> np.ndarray:
    """Hard predictions: class indices (binary, multiclass) or a 0/1 matrix (multilabel)."""
    y_score = np.asarray(y_score)
    if task is Task.BINARY:
        return (y_score.reshape(-1) >= DECISION_THRESHOLD).astype(np.int64)
    if task is Task.MULTICLASS:
        return np.argmax(y_score, axis=1).astype(np.int64)
    if task is Task.MULTILABEL:
        return (y_score >= DECISION_THRESHOLD).astype(np.int64)
    return y_score


def confusion(y_true: np.ndarray, y_score: np.ndarray, *, task: Task, n_classes: int) -> np.ndarray:
    """Counts, true class by row and predicted class by column."""
    labels = list(range(2 if task is Task.BINARY else n_classes))
    return skm.confusion_matrix(np.asarray(y_true), predicted_labels(y_score, task), labels=labels)


def _regression(metric: MetricName, y_true: np.ndarray, y_pred: np.ndarray) -> float:
    if metric is MetricName.RMSE:
        return float(np.sqrt(skm.mean_squared_error(y_true, y_pred)))
    if metric is MetricName.MAE:
        return float(skm.mean_absolute_error(y_true, y_pred))
    if metric is MetricName.R2:
        return float(skm.r2_score(y_true, y_pred))
    raise ValueError(f"{metric} is not a regression metric")


def _binary(metric: MetricName, y_true: np.ndarray, p1: np.ndarray, positive: int) -> float:
    p1 = p1.reshape(-1)
    p_pos = p1 if positive == 1 else 1.0 - p1
    true_pos = (y_true.reshape(-1) == positive).astype(np.int64)
    pred_pos = (
        (p_pos > DECISION_THRESHOLD).astype(np.int64)
        if positive == 0
        else (p_pos >= DECISION_THRESHOLD).astype(np.int64)
    )
    if metric is MetricName.ACCURACY:
        return float(skm.accuracy_score(true_pos, pred_pos))
    if metric is MetricName.F1:
        return float(skm.f1_score(true_pos, pred_pos, zero_division=0))
    if metric is MetricName.PRECISION:
        return float(skm.precision_score(true_pos, pred_pos, zero_division=0))
    if metric is MetricName.RECALL:
        return float(skm.recall_score(true_pos, pred_pos, zero_division=0))
    if metric is MetricName.ROC_AUC:
        return float(skm.roc_auc_score(true_pos, p_pos))
    if metric in (MetricName.PR_AUC, MetricName.MAP):
        return float(skm.average_precision_score(true_pos, p_pos))
    raise ValueError(f"{metric} is not a classification metric")


def _multiclass(
    metric: MetricName, y_true: np.ndarray, proba: np.ndarray, positive: int | None
) -> float:
    k = proba.shape[1]
    pred = np.argmax(proba, axis=1)
    if metric is MetricName.ACCURACY:
        return float(skm.accuracy_score(y_true, pred))
    if positive is not None and metric in (
        MetricName.F1,
        MetricName.PRECISION,
        MetricName.RECALL,
        MetricName.PR_AUC,
    ):
        true_pos = (y_true == positive).astype(np.int64)
        pred_pos = (pred == positive).astype(np.int64)
        if metric is MetricName.PR_AUC:
            return float(skm.average_precision_score(true_pos, proba[:, positive]))
        fn = {
            MetricName.F1: skm.f1_score,
            MetricName.PRECISION: skm.precision_score,
            MetricName.RECALL: skm.recall_score,
        }[metric]
        return float(fn(true_pos, pred_pos, zero_division=0))
    labels = list(range(k))
    if metric is MetricName.F1:
        return float(skm.f1_score(y_true, pred, labels=labels, average="macro", zero_division=0))
    if metric is MetricName.PRECISION:
        return float(
            skm.precision_score(y_true, pred, labels=labels, average="macro", zero_division=0)
        )
    if metric is MetricName.RECALL:
        return float(
            skm.recall_score(y_true, pred, labels=labels, average="macro", zero_division=0)
        )
    onehot = np.eye(k, dtype=np.int64)[y_true]
    if metric is MetricName.ROC_AUC:
        # Macro one-vs-rest over the classes present, so a fold missing a class still scores.
        per_class = [
            skm.roc_auc_score(onehot[:, c], proba[:, c])
            for c in range(k)
            if 0 < onehot[:, c].sum() < len(onehot)
        ]
        return float(np.mean(per_class)) if per_class else math.nan
    if metric in (MetricName.PR_AUC, MetricName.MAP):
        per_class = [
            skm.average_precision_score(onehot[:, c], proba[:, c])
            for c in range(k)
            if onehot[:, c].sum() > 0
        ]
        return float(np.mean(per_class)) if per_class else math.nan
    raise ValueError(f"{metric} is not a classification metric")


def _multilabel(metric: MetricName, y_true: np.ndarray, proba: np.ndarray) -> float:
    y_true = (y_true > 0).astype(np.int64)
    pred = (proba >= DECISION_THRESHOLD).astype(np.int64)
    present = [c for c in range(y_true.shape[1]) if y_true[:, c].sum() > 0]
    if metric in (MetricName.MAP, MetricName.PR_AUC):
        if not present:
            return math.nan
        return float(
            skm.average_precision_score(y_true[:, present], proba[:, present], average="macro")
        )
    if metric is MetricName.ROC_AUC:
        cols = [c for c in present if y_true[:, c].sum() < len(y_true)]
        if not cols:
            return math.nan
        return float(skm.roc_auc_score(y_true[:, cols], proba[:, cols], average="macro"))
    if metric is MetricName.ACCURACY:
        return float(skm.accuracy_score(y_true, pred))
    fn = {
        MetricName.F1: skm.f1_score,
        MetricName.PRECISION: skm.precision_score,
        MetricName.RECALL: skm.recall_score,
    }.get(metric)
    if fn is None:
        raise ValueError(f"{metric} is not a multilabel metric")
    return float(fn(y_true, pred, average="macro", zero_division=0))


# Curves are thinned to about this many points: enough to draw, small to store.
CURVE_POINTS = 200
SCATTER_POINTS = 2000


def evaluation_details(
    y_true: np.ndarray,
    y_score: np.ndarray,
    *,
    task: Task,
    positive_index: int | None = None,
    n_classes: int | None = None,
    seed: int = 0,
) -> dict[str, object]:
    """What the report draws, computed here so the report computes nothing.

    Classification: the confusion matrix (and, for binary, ROC and
    precision–recall curves of the positive class). Multilabel: per-label
    average precision. Regression: a sample of (actual, predicted) pairs.
    """
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score, dtype=np.float64)
    out: dict[str, object] = {}
    if task in (Task.BINARY, Task.MULTICLASS):
        k = 2 if task is Task.BINARY else int(n_classes or y_score.shape[1])
        out["confusion"] = confusion(y_true, y_score, task=task, n_classes=k).tolist()
    if task is Task.BINARY:
        pos = 1 if positive_index is None else positive_index
        p_pos = y_score.reshape(-1) if pos == 1 else 1.0 - y_score.reshape(-1)
        true_pos = (y_true.reshape(-1) == pos).astype(np.int64)
        if 0 < true_pos.sum() < len(true_pos):
            fpr, tpr, _ = skm.roc_curve(true_pos, p_pos)
            precision, recall, _ = skm.precision_recall_curve(true_pos, p_pos)
            out["roc"] = {"fpr": _thin(fpr), "tpr": _thin(tpr)}
            out["pr"] = {
                "precision": _thin(precision),
                "recall": _thin(recall),
                "prevalence": float(true_pos.mean()),
            }
    if task is Task.MULTILABEL:
        labels = (y_true > 0).astype(np.int64)
        out["per_label_ap"] = [
            float(skm.average_precision_score(labels[:, c], y_score[:, c]))
            if labels[:, c].sum() > 0
            else None
            for c in range(labels.shape[1])
        ]
    if task.is_regression:
        rng = np.random.default_rng(seed)
        idx = np.arange(len(y_true))
        if len(idx) > SCATTER_POINTS:
            idx = np.sort(rng.choice(idx, SCATTER_POINTS, replace=False))
        actual = y_true.reshape(len(y_true), -1)[idx]
        predicted = y_score.reshape(len(y_score), -1)[idx]
        out["scatter"] = {"actual": actual[:, 0].tolist(), "predicted": predicted[:, 0].tolist()}
    return out


def _thin(values: np.ndarray) -> list[float]:
    if len(values) <= CURVE_POINTS:
        return [float(v) for v in values]
    idx = np.unique(np.linspace(0, len(values) - 1, CURVE_POINTS).round().astype(int))
    return [float(v) for v in values[idx]]
