"""Stage 1 — choose the metric.

A stated goal wins (``--metric``, ``--positive-class``). Otherwise: balanced
classes → accuracy with ROC-AUC; imbalanced classes → F1 of the minority class
(macro F1 for several classes) with precision, recall and PR-AUC, never
accuracy as the primary; multilabel → mAP; regression → RMSE with MAE and R².
The metrics themselves are computed by `dlpilot.core.metrics` (scikit-learn).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dlpilot.core.enums import MetricName, Task
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import Msg, Text, join, msg
from dlpilot.core.policy import IMBALANCE_SHARE_OF_BALANCED, is_imbalanced
from dlpilot.core.records import Decision, Finding, ProblemSpec

STAGE = "metric"

CLASSIFICATION_METRICS = (
    MetricName.ACCURACY,
    MetricName.F1,
    MetricName.ROC_AUC,
    MetricName.PR_AUC,
    MetricName.PRECISION,
    MetricName.RECALL,
    MetricName.MAP,
)
REGRESSION_METRICS = (MetricName.RMSE, MetricName.MAE, MetricName.R2)
# Metrics about one class: with several classes they need a positive class or a macro average.
PER_CLASS_METRICS = (MetricName.F1, MetricName.PRECISION, MetricName.RECALL, MetricName.PR_AUC)


@dataclass(frozen=True)
class MetricChoice:
    """Stage 1's result: the metric every later stage optimises and reports."""

    primary: MetricName
    secondary: tuple[MetricName, ...]
    greater_is_better: bool
    positive_class: str | None
    positive_index: int | None
    reason: str
    decisions: tuple[Decision, ...]
    findings: tuple[Finding, ...]
    # Classification always gets a confusion matrix in the report.
    confusion_matrix: bool = False

    @property
    def metrics(self) -> tuple[MetricName, ...]:
        """The primary metric first, then the secondaries."""
        return (self.primary, *self.secondary)

    def to_dict(self) -> dict[str, Any]:
        """The summary's ``metric`` block."""
        return {
            "primary": str(self.primary),
            "greater_is_better": self.greater_is_better,
            "positive_class": self.positive_class,
            "positive_index": self.positive_index,
            "secondary": [str(m) for m in self.secondary],
            "confusion_matrix": self.confusion_matrix,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MetricChoice:
        """Rebuild from `to_dict` (decisions and findings live in the stage record)."""
        return cls(
            primary=MetricName(d["primary"]),
            secondary=tuple(MetricName(m) for m in d.get("secondary", ())),
            greater_is_better=bool(d["greater_is_better"]),
            positive_class=d.get("positive_class"),
            positive_index=d.get("positive_index"),
            reason=str(d.get("reason", "")),
            decisions=(),
            findings=(),
            confusion_matrix=bool(d.get("confusion_matrix", False)),
        )


def choose_metric(
    spec: ProblemSpec,
    *,
    metric: MetricName | str | None = None,
    positive_class: str | None = None,
) -> MetricChoice:
    """Pick the primary and secondary metrics for the problem ``spec`` describes."""
    task = spec.task
    chosen = MetricName(metric) if metric is not None else None
    if chosen is not None:
        _check_metric_fits(chosen, task)
    if positive_class is not None:
        _check_positive_class(positive_class, spec)

    imbalanced = task.is_classification and is_imbalanced(dict(spec.class_counts))
    primary, secondary, default_positive, default_reason = _default(spec, imbalanced)
    decisions: list[Decision] = []
    # The reason, in parts joined by "; ".
    reason: list[Text] = [default_reason]

    if chosen is not None:
        if chosen is not primary:
            secondary = tuple(m for m in (primary, *secondary) if m is not chosen)
        primary = chosen
        reason = [
            msg(
                "{metric} was asked for with --metric (the default would be: {default})",
                metric=chosen,
                default=default_reason,
            )
        ]
        if imbalanced and chosen is MetricName.ACCURACY:
            reason.append(
                msg(
                    "with imbalanced classes accuracy rewards always predicting the majority, so "
                    "watch the secondary metrics"
                )
            )
        if task is Task.MULTICLASS and chosen in PER_CLASS_METRICS and positive_class is None:
            default_positive = None

    positive = positive_class if positive_class is not None else default_positive
    if positive_class is not None:
        if task is Task.MULTICLASS and primary in PER_CLASS_METRICS:
            reason.append(
                msg(
                    "{metric} is of class '{positive}' rather than a macro average, as "
                    "asked for with --positive-class",
                    metric=primary,
                    positive=positive_class,
                )
            )
        else:
            reason.append(
                msg(
                    "the positive class is '{positive}', asked for with --positive-class",
                    positive=positive_class,
                )
            )
    positive_index = spec.class_names.index(positive) if positive is not None else None
    why = reason[0] if len(reason) == 1 else join(reason, "; ")

    decisions.append(
        Decision(
            what=msg(
                "primary metric {metric} of class '{positive}'", metric=primary, positive=positive
            )
            if positive is not None and task is Task.BINARY
            else msg("primary metric {metric}", metric=primary),
            why=why,
            numbers={
                "secondary": [str(m) for m in secondary],
                "positive_class": positive,
                **({"minority_share": spec.minority_share} if spec.minority_share else {}),
            },
        )
    )
    if task.is_classification:
        decisions.append(
            Decision(
                what=msg("report a confusion matrix"),
                why=msg(
                    "one number hides which classes are confused; classification always shows it"
                ),
            )
        )
    return MetricChoice(
        primary=primary,
        secondary=secondary,
        greater_is_better=primary.greater_is_better,
        positive_class=positive,
        positive_index=positive_index,
        reason=str(why),
        decisions=tuple(decisions),
        findings=(),
        confusion_matrix=task.is_classification,
    )


def _default(
    spec: ProblemSpec, imbalanced: bool
) -> tuple[MetricName, tuple[MetricName, ...], str | None, Msg]:
    """The rule-based choice: (primary, secondary, positive class, reason)."""
    task = spec.task
    if task.is_regression:
        return (
            MetricName.RMSE,
            (MetricName.MAE, MetricName.R2),
            None,
            msg(
                "the task predicts values: RMSE is in the target's units and punishes large "
                "errors; MAE is robust to outliers and R² compares with predicting the mean"
            )
            if task is Task.VECTOR_REGRESSION
            else msg(
                "the task predicts a value: RMSE is in the target's units and punishes large "
                "errors; MAE is robust to outliers and R² compares with predicting the mean"
            ),
        )
    if task is Task.MULTILABEL:
        k = len(spec.target_names)
        return (
            MetricName.MAP,
            (MetricName.ROC_AUC, MetricName.F1),
            None,
            msg(
                "{k} labels can be on at once: mean average precision ranks each label's scores "
                "without fixing a threshold, and weighs every label equally",
                k=k,
            ),
        )
    counts = dict(spec.class_counts)
    total = sum(counts.values())
    k = len(counts)
    minority = spec.minority_class
    majority = max(counts, key=lambda c: (counts[c], c)) if counts else None
    if not imbalanced or minority is None or majority is None or total == 0:
        smallest: Text = (
            f"{min(counts.values()) / total:.1%}" if counts and total else msg("unknown")
        )
        positive = spec.class_names[1] if task is Task.BINARY else None
        balanced = 1 / k
        return (
            MetricName.ACCURACY,
            (MetricName.ROC_AUC,),
            positive,
            msg(
                "the {k} classes are balanced (the smallest holds {smallest} of {total} samples, "
                "{balanced:.1%} if exactly balanced): accuracy is meaningful, and ROC-AUC judges "
                "the ranking of the scores",
                k=k,
                smallest=smallest,
                total=total,
                balanced=balanced,
            )
            if task is Task.BINARY
            else msg(
                "the {k} classes are balanced (the smallest holds {smallest} of {total} samples, "
                "{balanced:.1%} if exactly balanced): accuracy is meaningful, and macro "
                "one-vs-rest ROC-AUC judges the ranking of the scores",
                k=k,
                smallest=smallest,
                total=total,
                balanced=balanced,
            ),
        )
    share_min = counts[minority] / total
    share_max = counts[majority] / total
    threshold = IMBALANCE_SHARE_OF_BALANCED / k
    if task is Task.BINARY:
        return (
            MetricName.F1,
            (MetricName.PRECISION, MetricName.RECALL, MetricName.PR_AUC),
            minority,
            msg(
                "the minority class '{minority}' is {share_min:.1%} of {total} samples "
                "(imbalanced below {threshold:.1%}): always predicting '{majority}' would score "
                "{share_max:.1%} accuracy and catch no '{minority}', so F1 of '{minority}' is the "
                "primary, with its precision, recall and PR-AUC",
                minority=minority,
                share_min=share_min,
                total=total,
                threshold=threshold,
                majority=majority,
                share_max=share_max,
            ),
        )
    return (
        MetricName.F1,
        (MetricName.PRECISION, MetricName.RECALL, MetricName.ROC_AUC),
        None,
        msg(
            "the smallest class '{minority}' is {share_min:.1%} of {total} samples (imbalanced "
            "below {threshold:.1%}): always predicting '{majority}' would score {share_max:.1%} "
            "accuracy, so macro F1 is the primary: every one of the {k} classes, '{minority}' "
            "included, counts equally",
            minority=minority,
            share_min=share_min,
            total=total,
            threshold=threshold,
            majority=majority,
            share_max=share_max,
            k=k,
        ),
    )


def _check_metric_fits(metric: MetricName, task: Task) -> None:
    allowed = REGRESSION_METRICS if task.is_regression else CLASSIFICATION_METRICS
    if metric not in allowed:
        raise ConfigError(
            msg(
                "--metric {metric} does not apply to a {task} task. Choose one of: {choices}.",
                metric=metric,
                task=task,
                choices=", ".join(str(m) for m in allowed),
            )
        )


def _check_positive_class(positive_class: str, spec: ProblemSpec) -> None:
    if not spec.task.is_classification:
        raise ConfigError(
            msg(
                "--positive-class applies to binary and multiclass tasks, not {task}. Leave it "
                "out.",
                task=spec.task,
            )
        )
    if positive_class not in spec.class_names:
        raise ConfigError(
            msg(
                "--positive-class '{positive}' is not a class of the target. Classes: {classes}.",
                positive=positive_class,
                classes=", ".join(spec.class_names[:20]),
            )
        )
