"""Stage 8's ship choice: the better of the network and the linear baseline on validation."""

from __future__ import annotations

import numpy as np
import torch

from dlpilot.core.enums import FindingCode, MetricName, Modality, ShipPolicy, Task
from dlpilot.core.records import ProblemSpec
from dlpilot.engine import TensorData, predict_scores
from dlpilot.engine.linear import linear_estimator, linear_features
from dlpilot.stages._evaluate import Scoring
from dlpilot.stages._ship import (
    ShipChoice,
    Shipped,
    choose_shipped,
    fit_linear_member,
    fit_minirocket_member,
)

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


def test_minirocket_ships_when_it_validates_best_and_is_named():
    choice = choose_shipped(
        scoring=ACCURACY,
        network_val=0.90,
        linear=("LogisticRegression", 0.85),
        yardsticks={"MiniRocket + ridge": 0.97},
        policy=ShipPolicy.AUTO,
        linear_shippable=True,
    )
    assert choice.shipped == Shipped.MINIROCKET
    assert choice.classical == ("MiniRocket + ridge", 0.97)
    assert choice.best_classical == ("MiniRocket + ridge", 0.97)
    assert _codes(choice) == [FindingCode.BELOW_CLASSICAL_BASELINE]
    assert "was shipped instead" in choice.findings[0].action
    assert choice.to_dict()["shipped_classical"] == {"model": "MiniRocket + ridge", "val": 0.97}
    assert ShipChoice.from_dict(choice.to_dict()).classical == choice.classical


def test_the_better_of_linear_and_minirocket_ships():
    choice = choose_shipped(
        scoring=ACCURACY,
        network_val=0.70,
        linear=("LogisticRegression", 0.85),
        yardsticks={"MiniRocket + ridge": 0.80},
        policy=ShipPolicy.AUTO,
        linear_shippable=True,
    )
    assert choice.shipped == Shipped.LINEAR and choice.classical == ("LogisticRegression", 0.85)
    assert len(choice.findings) == 1


def test_ship_network_names_the_minirocket_it_kept_out():
    choice = choose_shipped(
        scoring=ACCURACY,
        network_val=0.90,
        linear=("LogisticRegression", 0.85),
        yardsticks={"MiniRocket + ridge": 0.97},
        policy=ShipPolicy.NETWORK,
        linear_shippable=True,
    )
    assert choice.shipped == Shipped.NETWORK and choice.classical is None
    (finding,) = choice.findings
    assert "MiniRocket + ridge's 0.9700" in finding.evidence
    assert "leave out --ship network" in finding.action


def test_a_classical_model_that_cannot_ship_is_named_with_the_advice_to_use_it():
    choice = choose_shipped(
        scoring=ACCURACY,
        network_val=0.90,
        linear=("LogisticRegression", 0.85),
        yardsticks={"1-NN DTW": 0.97},
        policy=ShipPolicy.AUTO,
        linear_shippable=True,
    )
    assert choice.shipped == Shipped.NETWORK
    (finding,) = choice.findings
    assert finding.code is FindingCode.BELOW_CLASSICAL_BASELINE
    assert "consider 1-NN DTW" in finding.action


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


def test_the_shipped_minirocket_member_predicts_as_stage_4_scored_it():
    from dlpilot.stages._yardsticks import YardstickFold, minirocket_fold

    gen = np.random.default_rng(0)
    t = np.linspace(0, 1, 60)
    y = gen.integers(0, 3, 120)
    x = np.sin(2 * np.pi * (2 + 2 * y[:, None]) * t + gen.uniform(0, 6, (120, 1)))
    x = torch.from_numpy((x + 0.3 * gen.normal(size=x.shape)).astype(np.float32))[:, None, :]
    spec = ProblemSpec(
        task=Task.MULTICLASS,
        modality=Modality.SEQUENCE,
        n_samples=120,
        n_features=60,
        input_shape=(1, 60),
        target_names=("y",),
        class_names=("a", "b", "c"),
    )

    class _Prep:
        input_shape = (1, 60)

    model = fit_minirocket_member(
        _Prep(), TensorData(x[:80], torch.from_numpy(y[:80])), spec, max_rows=80
    )
    with torch.no_grad():
        probs = torch.softmax(model(x[80:]), dim=1).numpy()
    accuracy = float((probs.argmax(1) == y[80:]).mean())
    scored = minirocket_fold(
        YardstickFold(x[:80], y[:80], x[80:], y[80:]),
        task=Task.MULTICLASS,
        n_classes=3,
        metrics=(MetricName.ACCURACY,),
        positive_index=None,
        seed=0,
    )
    assert accuracy >= 0.9 and scored["accuracy"] == accuracy
    # At most max_rows series fit it: a cap the final stage takes from stage 4's sample.
    small = fit_minirocket_member(
        _Prep(), TensorData(x[:80], torch.from_numpy(y[:80])), spec, max_rows=20
    )
    assert not torch.equal(small[0].biases, model[0].biases)


def _first_split(network_val, linear_folds, rocket_folds):
    return choose_shipped(
        scoring=ACCURACY,
        network_val=network_val,
        linear=("LogisticRegression", float(np.mean(linear_folds))),
        yardsticks={"MiniRocket + ridge": float(np.mean(rocket_folds))},
        policy=ShipPolicy.AUTO,
        linear_shippable=True,
        fold_scores={"LogisticRegression": linear_folds, "MiniRocket + ridge": rocket_folds},
        network_splits=1,
    )


def test_a_first_split_network_meets_the_classical_models_on_that_split():
    # ArrowHead at 2 min, seed 2: the network's 0.875 on the first split against
    # MiniRocket's 0.849 over 15 splits, but 1.000 on the first.
    choice = _first_split(0.875, [0.875, 0.57, 0.86], [1.0, 0.71, 0.86])
    assert choice.shipped == Shipped.MINIROCKET
    assert "first split" in choice.reason and "1.0000" in choice.reason
    # Over all splits the network's figure would have won; on its own split it does not.
    assert choice.network_val > choice.classical[1]


def test_on_the_shared_split_a_tie_goes_to_the_classical_model():
    choice = _first_split(0.75, [0.75, 1.0, 0.86], [0.70, 0.9, 0.8])
    assert choice.shipped == Shipped.LINEAR and "a tie goes to" in choice.reason


def test_a_network_that_wins_on_its_split_ships_though_it_trails_the_means():
    choice = _first_split(0.90, [0.75, 1.0, 1.0], [0.80, 1.0, 1.0])
    assert choice.shipped == Shipped.NETWORK and not choice.findings


def test_a_network_scored_on_every_split_keeps_ties():
    choice = choose_shipped(
        scoring=ACCURACY,
        network_val=1.0,
        linear=("LogisticRegression", 1.0),
        yardsticks={},
        policy=ShipPolicy.AUTO,
        linear_shippable=True,
        fold_scores={"LogisticRegression": [1.0, 1.0]},
        network_splits=2,
    )
    assert choice.shipped == Shipped.NETWORK
