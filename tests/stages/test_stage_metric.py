"""Stage 1: the metric follows the class balance, and a stated goal overrides it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from stage_data import binary_table, table_dataset

from dlpilot.core.enums import MetricName, Task
from dlpilot.core.errors import ConfigError
from dlpilot.core.metrics import score
from dlpilot.core.policy import is_imbalanced
from dlpilot.stages.define import define_problem
from dlpilot.stages.metric import MetricChoice, choose_metric


def _spec(frame: pd.DataFrame, target: str):
    return define_problem(table_dataset(frame, target)).spec


def test_three_percent_positives_never_get_accuracy_and_the_minority_is_positive():
    spec = _spec(binary_table(1000, 0.03), "status")
    choice = choose_metric(spec)

    assert choice.primary is not MetricName.ACCURACY
    assert choice.primary is MetricName.F1
    assert choice.positive_class == "fail"
    assert spec.class_names[choice.positive_index] == "fail"
    assert {MetricName.PRECISION, MetricName.RECALL} <= set(choice.secondary)
    # The reason states the numbers: the minority share and the majority's accuracy.
    assert "3.0%" in choice.reason and "97.0%" in choice.reason
    assert choice.greater_is_better
    assert choice.confusion_matrix


def test_the_majority_predictor_scores_high_accuracy_but_zero_on_the_chosen_metric():
    spec = _spec(binary_table(1000, 0.03), "status")
    choice = choose_metric(spec)
    y = np.asarray([spec.class_names.index(v) for v in binary_table(1000, 0.03)["status"]])
    p_class1 = np.full(len(y), 1.0 if spec.class_names[1] == "ok" else 0.0)  # always "ok"

    accuracy = score(MetricName.ACCURACY, y, p_class1, task=spec.task)
    chosen = score(
        choice.primary, y, p_class1, task=spec.task, positive_index=choice.positive_index
    )
    assert accuracy == pytest.approx(0.97)
    assert chosen == 0.0


def test_balanced_binary_gets_accuracy_and_roc_auc():
    spec = _spec(binary_table(400, 0.5), "status")
    choice = choose_metric(spec)
    assert choice.primary is MetricName.ACCURACY
    assert choice.secondary == (MetricName.ROC_AUC,)
    assert "balanced" in choice.reason and "50.0%" in choice.reason


def test_imbalanced_multiclass_gets_macro_f1_without_a_positive_class():
    rng = np.random.default_rng(1)
    labels = np.asarray(["a"] * 500 + ["b"] * 450 + ["rare"] * 20, dtype=object)
    frame = pd.DataFrame({"f": rng.normal(size=len(labels)), "label": labels})
    spec = _spec(frame, "label")
    assert is_imbalanced(dict(spec.class_counts))
    choice = choose_metric(spec)
    assert choice.primary is MetricName.F1
    assert choice.positive_class is None
    assert "macro F1" in choice.reason and "'rare'" in choice.reason


def test_regression_gets_rmse_with_mae_and_r2():
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"f": rng.normal(size=200), "price": rng.normal(100, 10, size=200)})
    choice = choose_metric(_spec(frame, "price"))
    assert choice.primary is MetricName.RMSE
    assert choice.secondary == (MetricName.MAE, MetricName.R2)
    assert choice.greater_is_better is False
    assert choice.confusion_matrix is False


def test_multilabel_gets_map():
    from dlpilot.core.enums import Modality
    from dlpilot.core.records import ProblemSpec

    spec = ProblemSpec(
        task=Task.MULTILABEL,
        modality=Modality.TABULAR,
        n_samples=100,
        n_features=3,
        input_shape=(3,),
        target_names=("a", "b", "c"),
        class_names=("a", "b", "c"),
        class_counts={"a": 40, "b": 30, "c": 50},
    )
    choice = choose_metric(spec)
    assert choice.primary is MetricName.MAP


def test_metric_and_positive_class_override_the_rule():
    spec = _spec(binary_table(1000, 0.03), "status")
    choice = choose_metric(spec, metric=MetricName.RECALL, positive_class="ok")
    assert choice.primary is MetricName.RECALL
    assert choice.positive_class == "ok"
    assert spec.class_names[choice.positive_index] == "ok"
    assert MetricName.RECALL not in choice.secondary
    assert "--metric" in choice.reason and "--positive-class" in choice.reason

    # --metric alone keeps the minority as the positive class on imbalanced data.
    recall = choose_metric(spec, metric="recall")
    assert recall.positive_class == "fail"

    # Accuracy may be asked for, but the reason warns.
    accuracy = choose_metric(spec, metric=MetricName.ACCURACY)
    assert accuracy.primary is MetricName.ACCURACY
    assert "majority" in accuracy.reason


def test_overrides_that_cannot_apply_are_clear_errors():
    spec = _spec(binary_table(200, 0.5), "status")
    with pytest.raises(ConfigError, match="rmse does not apply to a binary task"):
        choose_metric(spec, metric=MetricName.RMSE)
    with pytest.raises(ConfigError, match=r"'broken' is not a class.*Classes: fail, ok"):
        choose_metric(spec, positive_class="broken")


def test_to_dict_is_the_summary_metric_block():
    choice = choose_metric(_spec(binary_table(1000, 0.03), "status"))
    block = choice.to_dict()
    assert {"primary", "greater_is_better", "positive_class", "secondary", "reason"} <= set(block)
    assert block["primary"] == "f1" and block["positive_class"] == "fail"
    again = MetricChoice.from_dict(block)
    assert again.primary is choice.primary and again.secondary == choice.secondary
    assert again.positive_index == choice.positive_index
