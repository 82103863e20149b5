"""Stage 4: the Dummy baselines and a linear model, on the same folds and metric."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from stage_data import binary_table, table_dataset

from dlpilot.core.enums import MetricName, Modality
from dlpilot.data.dataset import Dataset
from dlpilot.stages.define import define_problem
from dlpilot.stages.metric import choose_metric
from dlpilot.stages.prepare import prepare_data
from dlpilot.stages.protocol import choose_protocol
from dlpilot.stages.score_to_beat import score_to_beat


def _baselines(dataset: Dataset, **metric_kwargs):
    spec = define_problem(dataset).spec
    metric = choose_metric(spec, **metric_kwargs)
    choice = choose_protocol(dataset, spec)
    prepared = prepare_data(choice.development, spec, choice.protocol)
    return metric, prepared, score_to_beat(prepared, spec, metric)


def test_dummy_on_a_balanced_binary_set_scores_about_half_accuracy():
    metric, prepared, result = _baselines(table_dataset(binary_table(600, 0.5), "status"))
    assert metric.primary is MetricName.ACCURACY
    assert result.common_sense.score == pytest.approx(0.5, abs=0.06)
    assert result.common_sense.model.startswith("DummyClassifier")
    assert len(result.common_sense.fold_scores) == len(prepared.folds)
    assert result.common_sense.scores["roc_auc"] == pytest.approx(0.5, abs=0.06)
    # The features carry signal, so the linear model does much better.
    assert result.classical.model == "LogisticRegression"
    assert result.classical.score > 0.8
    assert result.beats(result.classical.score) and not result.beats(0.4)


def test_on_imbalanced_data_the_score_to_beat_is_the_best_dummy_on_the_chosen_metric():
    _, _, result = _baselines(table_dataset(binary_table(1000, 0.05), "status"))
    assert result.metric is MetricName.F1
    # Always predicting the majority catches no failure: F1 0; guessing by the prior does better.
    assert result.dummies["DummyClassifier(strategy='most_frequent')"].score == 0.0
    assert result.common_sense.model == "DummyClassifier(strategy='stratified')"
    assert 0.0 < result.common_sense.score < 0.2
    assert set(result.common_sense.scores) == {"f1", "precision", "recall", "pr_auc"}


def test_regression_baselines_predict_the_mean_and_lower_is_better():
    rng = np.random.default_rng(0)
    n = 500
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    frame["price"] = 100 + 10 * frame["a"] + rng.normal(size=n)
    metric, _, result = _baselines(table_dataset(frame, "price"))
    assert metric.primary is MetricName.RMSE and not result.greater_is_better
    assert result.common_sense.model == "DummyRegressor(strategy='mean')"
    assert result.common_sense.score == pytest.approx(frame["price"].std(), rel=0.15)
    assert result.common_sense.scores["r2"] <= 0.0
    assert result.classical.model == "Ridge(alpha=1.0)"
    assert result.classical.score < 2.0
    assert result.beats(result.classical.score)


def test_images_get_a_linear_model_on_flattened_pixels():
    rng = np.random.default_rng(1)
    n = 200
    y = np.asarray(["dark", "light"] * (n // 2), dtype=object)
    x = rng.integers(0, 150, size=(n, 1, 6, 6)).astype(np.uint8)
    x[y == "light"] += 100
    dataset = Dataset("img", "img", x, y, ("label",), modality_hint=Modality.IMAGE)
    _, _, result = _baselines(dataset)
    assert result.common_sense.score == pytest.approx(0.5, abs=0.1)
    assert result.classical.score > 0.95


def test_text_gets_a_linear_model_on_word_counts():
    rng = np.random.default_rng(2)
    words = ["the", "a", "film", "plot", "acting", "music", "scene", "story", "long", "short"]
    texts, labels = [], []
    for i in range(300):
        good = i % 2 == 0
        body = list(rng.choice(words, 8)) + (["great"] if good else ["awful"])
        rng.shuffle(body)
        texts.append(" ".join(body))
        labels.append("pos" if good else "neg")
    dataset = table_dataset(pd.DataFrame({"review": texts, "label": labels}), "label")
    _, prepared, result = _baselines(dataset)
    assert prepared.vocab_size is not None
    assert result.classical.score > 0.95


def test_to_dict_is_the_summary_baselines_block():
    _, _, result = _baselines(table_dataset(binary_table(300, 0.5), "status"))
    block = result.to_dict()
    assert set(block["common_sense"]) >= {"model", "score"}
    assert set(block["classical"]) >= {"model", "score"}
    assert block["common_sense"]["score"] == pytest.approx(result.common_sense.score, abs=1e-6)


def test_the_yardsticks_row_budget_counts_its_ridge_fit_not_only_its_transform(monkeypatch):
    import numpy as np
    import torch

    from dlpilot.core.enums import Task
    from dlpilot.stages import _yardsticks
    from dlpilot.stages._yardsticks import rows_affordable, rows_within

    # The ridge fit grows with the square of the rows, so fewer of them fit the same time.
    assert rows_within(1.0, per_row=1e-3, per_pair=0.0) == 1000
    assert rows_within(1.0, per_row=1e-3, per_pair=1e-6) == 618  # n² / 10⁶ + n / 10³ = 1
    # Both measurements are taken: each call times its own transform probe, so two calls are
    # not compared (their noise on a busy machine outweighed the ridge term: 212 against 209);
    # the ridge's cost per pair is what the second call adds.
    pairs = []
    within = _yardsticks.rows_within

    def recorded(seconds, *, per_row, per_pair):
        pairs.append(per_pair)
        return within(seconds, per_row=per_row, per_pair=per_pair)

    monkeypatch.setattr(_yardsticks, "rows_within", recorded)
    x = torch.randn(600, 1, 100)
    y = np.arange(600) % 3
    assert rows_affordable(x, 5.0, 5) > 0
    assert rows_affordable(x, 5.0, 5, y=y, task=Task.MULTICLASS) > 0
    assert pairs[0] == 0.0 and pairs[1] > 0
