"""Stage 8's ship choice: the better of the network and the linear baseline on validation."""

from __future__ import annotations

import numpy as np
import torch

from dlpilot.core.enums import FindingCode, MetricName, Modality, ShipPolicy, Task
from dlpilot.core.records import ProblemSpec
from dlpilot.engine import TensorData, predict_scores
from dlpilot.engine.linear import linear_estimator, linear_features
from dlpilot.stages._evaluate import Scoring
from dlpilot.stages._ship import Shipped, choose_shipped, fit_linear_member

ACCURACY = Scoring(Task.BINARY, MetricName.ACCURACY, (), True, 1)
RMSE = Scoring(Task.REGRESSION, MetricName.RMSE, (), False, None)


def _codes(choice):
    return [f.code for f in choice.findings]


def test_the_network_ships_when_it_beats_the_linear_model():
    choice = choose_shipped(
        scoring=ACCURACY,
        network_val=0.95,
        linear=("LogisticRegression", 0.90),
        yardsticks={},
        policy=ShipPolicy.AUTO,
        linear_shippable=True,
    )
    assert choice.shipped == Shipped.NETWORK and not choice.findings


def test_a_linear_model_that_wins_on_validation_ships_and_is_named():
    choice = choose_shipped(
        scoring=ACCURACY,
        network_val=0.80,
        linear=("LogisticRegression", 0.88),
        yardsticks={},
        policy=ShipPolicy.AUTO,
        linear_shippable=True,
    )
    assert choice.shipped == Shipped.LINEAR
    assert _codes(choice) == [FindingCode.BELOW_CLASSICAL_BASELINE]
    assert "0.8800" in choice.reason and "--ship network" in choice.reason


def test_ship_network_keeps_the_network_and_says_it_is_worse():
    choice = choose_shipped(
        scoring=ACCURACY,
        network_val=0.80,
        linear=("LogisticRegression", 0.88),
        yardsticks={},
        policy=ShipPolicy.NETWORK,
        linear_shippable=True,
    )
    assert choice.shipped == Shipped.NETWORK
    assert _codes(choice) == [FindingCode.BELOW_CLASSICAL_BASELINE]
    assert "--ship network" in choice.findings[0].evidence


def test_a_yardstick_that_beats_what_ships_is_named_never_shipped():
    choice = choose_shipped(
        scoring=ACCURACY,
        network_val=0.90,
        linear=("LogisticRegression", 0.85),
        yardsticks={"MiniRocket + ridge": 0.97},
        policy=ShipPolicy.AUTO,
        linear_shippable=True,
    )
    assert choice.shipped == Shipped.NETWORK
    assert choice.best_classical == ("MiniRocket + ridge", 0.97)
    assert _codes(choice) == [FindingCode.BELOW_CLASSICAL_BASELINE]
    assert "use MiniRocket + ridge" in choice.findings[0].action


def test_lower_is_better_metrics_compare_the_right_way():
    choice = choose_shipped(
        scoring=RMSE,
        network_val=3.0,
        linear=("Ridge(alpha=1.0)", 2.0),
        yardsticks={},
        policy=ShipPolicy.AUTO,
        linear_shippable=True,
    )
    assert choice.shipped == Shipped.LINEAR


def test_text_keeps_the_network_when_the_linear_model_cannot_ship():
    choice = choose_shipped(
        scoring=ACCURACY,
        network_val=0.70,
        linear=("LogisticRegression", 0.80),
        yardsticks={},
        policy=ShipPolicy.AUTO,
        linear_shippable=False,
    )
    assert choice.shipped == Shipped.NETWORK and choice.findings


def test_the_shipped_linear_member_predicts_as_the_linear_model():
    gen = np.random.default_rng(0)
    x = torch.from_numpy(gen.normal(size=(300, 12)).astype(np.float32))
    y = torch.from_numpy((x[:, 0] - x[:, 3] > 0).numpy().astype(np.int64))
    spec = ProblemSpec(
        task=Task.BINARY,
        modality=Modality.TABULAR,
        n_samples=300,
        n_features=12,
        input_shape=(12,),
        target_names=("y",),
        class_names=("a", "b"),
    )

    class _Prep:
        input_shape = (12,)

    model = fit_linear_member(_Prep(), TensorData(x, y), spec)
    _name, reference = linear_estimator(Task.BINARY)
    reference.fit(linear_features(x), y.numpy())
    expected = reference.predict_proba(linear_features(x))[:, 1]
    # predict_scores runs in bf16 where the CPU has it natively: scores agree to ~1e-2.
    np.testing.assert_allclose(predict_scores(model, x, task=Task.BINARY), expected, atol=2e-2)
    with torch.no_grad():
        exact = torch.sigmoid(model(x)[:, 0]).numpy()
    np.testing.assert_allclose(exact, expected, atol=1e-4)
