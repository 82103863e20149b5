"""Stages 4–8's results survive `to_dict` → JSON → `from_dict` (what `--resume` restores)."""

from __future__ import annotations

import json
import math

from dlpilot.core.enums import FindingCode, MetricName, Modality, Severity, Task
from dlpilot.core.history import History
from dlpilot.core.records import Decision, Finding
from dlpilot.diagnose import diagnose
from dlpilot.engine import Architecture, ModelConfig, TrainConfig
from dlpilot.stages._evaluate import Evaluation
from dlpilot.stages.baseline import BaselineNetwork, ExplorationPlan
from dlpilot.stages.final import FinalResult
from dlpilot.stages.scale import ScaleUp
from dlpilot.stages.score_to_beat import BaselineScore, ScoreToBeat
from dlpilot.stages.tune import SearchSpace, TrialRow, Tuning

DECISION = Decision(what="a choice", why="a reason", numbers={"n": 3})
FINDING = Finding(
    code=FindingCode.OVERFITTING,
    severity=Severity.WARNING,
    stage="scale",
    evidence="val loss rose",
    action="regularize",
)


def _json(d: dict) -> dict:
    """As a state file or summary.json holds it."""
    return json.loads(json.dumps(d))


def _history(epochs: int = 8) -> History:
    history = History(metric="accuracy", greater_is_better=True)
    for i in range(epochs):
        history.append(
            {
                "loss": 1.0 / (i + 1),
                "val_loss": 0.5 + abs(i - 4) * 0.05,
                "accuracy": 0.5 + 0.05 * i,
                "val_accuracy": 0.6 + 0.01 * i,
                "lr": 1e-3,
                "seconds": 0.1,
            }
        )
    return history


def _evaluation(name: str = "baseline", width: int = 64, val: float = 0.6712345) -> Evaluation:
    history = _history()
    return Evaluation(
        name=name,
        model=ModelConfig(Architecture.MLP, depth=2, width=width),
        train=TrainConfig(lr=1e-3, batch_size=32, epochs=8),
        val_score=val,
        val_scores={"accuracy": val, "f1": math.nan},
        train_score=0.81,
        best_epoch=5,
        epochs_run=8,
        seconds=1.2345,
        diverged=False,
        stopped_by_time=False,
        histories=(history,),
        diagnosis=diagnose(history, stage="restored", human_error=0.05),
        n_params=1234,
    )


def test_an_evaluation_round_trips_with_its_curves():
    e = _evaluation()
    d = _json(e.to_dict())
    back = Evaluation.from_dict(d, human_error=0.05)
    assert back.to_dict() == d
    assert back.history.columns == e.history.columns and back.model == e.model
    assert math.isnan(back.val_scores["f1"]) and back.diagnosis.codes == e.diagnosis.codes


def test_an_exploration_plan_round_trips_also_when_it_was_not_probed():
    for speed in (1234.56, math.inf):
        plan = ExplorationPlan(1000, 500, 200, 100, speed, "half the data fits the time")
        d = _json(plan.to_dict())
        assert ExplorationPlan.from_dict(d).to_dict() == d
    assert ExplorationPlan.from_dict(d).samples_per_second == math.inf


def test_the_score_to_beat_round_trips_as_the_summary_block():
    result = ScoreToBeat(
        common_sense=BaselineScore("DummyClassifier", 1 / 3, {"accuracy": 1 / 3}, (0.3, 0.4)),
        classical=BaselineScore("LogisticRegression", math.nan, {"accuracy": math.nan}),
        decisions=(DECISION,),
        findings=(),
        metric=MetricName.ACCURACY,
        greater_is_better=True,
        yardsticks={"MiniRocket": BaselineScore("MiniRocket", 0.61, {"accuracy": 0.61})},
    )
    d = _json(result.to_dict())
    back = ScoreToBeat.from_dict(d)
    assert back.to_dict() == d
    assert back.common_sense.model == "DummyClassifier" and math.isnan(back.classical.score)
    assert back.beats(0.5) and not back.beats(0.2)
    assert back.best_classical.model == "MiniRocket"


def test_a_baseline_network_round_trips():
    e = _evaluation()
    result = BaselineNetwork(
        evaluation=e,
        attempts=(e,),
        lr_finder={"lr": 1e-3, "why": "the default"},
        beats_common_sense=True,
        decisions=(DECISION,),
        findings=(FINDING,),
    )
    d = _json(result.to_dict())
    back = BaselineNetwork.from_dict(d, human_error=0.05)
    assert back.to_dict() == d
    assert back.decisions == (DECISION,) and back.findings == (FINDING,)


def test_a_scale_up_ladder_round_trips_with_its_chosen_step():
    steps = (_evaluation(), _evaluation("scale_1", width=128, val=0.7), _evaluation("scale_2", 256))
    result = ScaleUp(
        steps=steps,
        overfit_step=2,
        overfit_epoch=5,
        chosen=steps[1],
        underfitting=False,
        stop_reason="it overfits",
        decisions=(DECISION,),
        findings=(FINDING,),
    )
    d = _json(result.to_dict())
    back = ScaleUp.from_dict(d, human_error=0.05)
    again = back.to_dict()
    # The ladder is derived from the steps, whose scores are saved to 6 places; the workflow
    # takes the summary's ladder from the saved state, so a resumed run reports it unchanged.
    assert {k: v for k, v in again.items() if k != "ladder"} == {
        k: v for k, v in d.items() if k != "ladder"
    }
    assert [_rounded(r) for r in again["ladder"]] == [_rounded(r) for r in d["ladder"]]
    assert d["chosen"] == 1 and back.chosen is back.steps[1] and back.chosen.model.width == 128


def _rounded(row: dict) -> dict:
    return {k: round(v, 6) if isinstance(v, float) else v for k, v in row.items()}


def test_a_tuning_round_trips():
    space = SearchSpace(
        around=ModelConfig(Architecture.MLP, depth=2, width=64),
        base=TrainConfig(batch_size=32, epochs=10),
        baseline_depth=2,
        baseline_width=64,
        modality=Modality.TABULAR,
        task=Task.BINARY,
        n_train=500,
        max_epochs=10,
        patience=3,
    )
    rows = (
        TrialRow(0, "COMPLETE", 0.81, {"lr": 1e-3}, 1.5, 4),
        TrialRow(1, "PRUNED", None, {"lr": 3e-2}, None, None),
    )
    for best_value in (0.81, math.nan):
        result = Tuning(
            best_number=0,
            best_model=space.around,
            best_train=space.base,
            best_value=best_value,
            best_epoch=4,
            best_val_scores={"accuracy": 0.81},
            trials=rows,
            importances={"lr": 1.0},
            space=space,
            decisions=(DECISION,),
            findings=(),
        )
        d = _json(result.to_dict())
        back = Tuning.from_dict(d)
        assert back.to_dict() == d
        assert back.trials == rows and back.space == space and back.counts() == result.counts()


def test_a_final_result_round_trips_as_the_summary_block():
    result = FinalResult(
        approach="fold_ensemble",
        model_config=ModelConfig(Architecture.MLP, depth=2, width=64),
        train_config=TrainConfig(batch_size=32, epochs=10),
        val_scores={"accuracy": 0.8123456789},
        test_scores={"accuracy": 0.79, "roc_auc": math.nan},
        gap={"accuracy": 0.0223456789},
        details={"confusion": [[1, 2], [3, 4]]},
        test_opened=1,
        n_test=40,
        history=None,
        decisions=(DECISION,),
        findings=(),
    )
    d = _json(result.to_dict())
    back = FinalResult.from_dict(d)
    assert back.to_dict() == d
    assert back.approach == "fold_ensemble" and back.test_opened == 1
