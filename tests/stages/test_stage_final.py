"""Stage 8's decisions: retrain or keep the fold ensemble, for how long, and what the one
look at the test set says (the gap to validation, a data mismatch, the common-sense check).

Nothing trains: the final training's `fit` is replaced where its configuration is the
point, and the test set is scored by fixed networks whose outputs the test chooses.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from stage_results import accuracy_scoring

from dlpilot.core.enums import FindingCode, Modality, ProtocolKind, Severity, Task
from dlpilot.core.history import History
from dlpilot.core.records import ProblemSpec
from dlpilot.core.sealed import SealedTestSet
from dlpilot.engine import Architecture, ModelConfig, ScheduleName, TensorData, TrainConfig
from dlpilot.stages import final
from dlpilot.stages.final import Approach, FinalPlan, FinalResult, Member, evaluate_once, plan_final


def _plan(protocol=ProtocolKind.HOLDOUT, **changes):
    options = {
        "fold_models_available": False,
        "trial_model_available": True,
        "best_epoch": 12,
        "n_dev": 1000,
        "seconds_left": 100.0,
        "seconds_per_sample_epoch": 0.001,  # 1 s per epoch on the 1,000 samples
        "explored_on_subset": False,
        **changes,
    }
    return plan_final(protocol, **options)


def test_kfold_keeps_the_best_trials_fold_models_as_an_ensemble():
    protocol = ProtocolKind.KFOLD
    plan = _plan(protocol, fold_models_available=True, seconds_left=0.0)
    assert (plan.approach, plan.epochs) == (Approach.ENSEMBLE, 0)
    assert plan.reason.startswith(f"{protocol} protocol: the best trial's fold models")


def test_iterated_kfold_retrains_one_model_on_all_the_data_for_at_least_300_epochs():
    # Very scarce data: one model on all of it beat the fold ensemble (ArrowHead 0.834 vs 0.777).
    plan = _plan(
        ProtocolKind.ITERATED_KFOLD,
        fold_models_available=True,
        n_dev=50,
        seconds_left=100.0,
        seconds_per_sample_epoch=0.001,  # 0.05 s per epoch on 50 samples: 2,000 affordable
    )
    assert (plan.approach, plan.epochs) == (Approach.RETRAIN, 300)
    assert "at least 300" in plan.reason and "epoch 12" in plan.reason
    longer = _plan(
        ProtocolKind.ITERATED_KFOLD, fold_models_available=True, n_dev=50, best_epoch=450
    )
    assert longer.epochs == 450
    cut = _plan(
        ProtocolKind.ITERATED_KFOLD,
        fold_models_available=True,
        n_dev=64,
        seconds_per_sample_epoch=1 / 64,  # exactly 1 s per epoch
        seconds_left=200.0,
    )
    assert cut.epochs == 200 and "cut to 200" in cut.reason


def test_kfold_without_its_fold_models_retrains_like_holdout():
    plan = _plan(ProtocolKind.KFOLD, fold_models_available=False)
    assert (plan.approach, plan.epochs) == (Approach.RETRAIN, 12)
    assert plan.reason.startswith("kfold protocol: retrain on training + validation data")


def test_holdout_retrains_on_all_the_data_for_the_epochs_the_trial_needed():
    plan = _plan()
    assert (plan.approach, plan.epochs) == (Approach.RETRAIN, 12)
    assert "for the 12 epoch(s)" in plan.reason and "cut" not in plan.reason


def test_the_retraining_is_cut_to_what_the_time_left_affords():
    plan = _plan(seconds_left=5.0)
    assert (plan.approach, plan.epochs) == (Approach.RETRAIN, 5)
    assert plan.reason.endswith(", cut to 5 by the time left")


def test_after_exploring_a_subset_the_final_training_takes_all_the_time_left():
    # The subset's best epoch says little about all the data: the time decides, up to 100.
    assert _plan(explored_on_subset=True, seconds_left=50.0).epochs == 50
    assert _plan(explored_on_subset=True, seconds_left=1000.0).epochs == final.MAX_FINAL_EPOCHS
    assert final.MAX_FINAL_EPOCHS == 100


def test_no_time_for_one_epoch_keeps_the_best_trials_model_if_there_is_one():
    kept = _plan(seconds_left=0.5)
    assert (kept.approach, kept.epochs) == (Approach.BEST_TRIAL, 0)
    forced = _plan(seconds_left=0.5, trial_model_available=False)
    # A usable model is worth overrunning the budget: one epoch on everything.
    assert (forced.approach, forced.epochs) == (Approach.RETRAIN, 1)
    assert "worth overrunning the budget" in forced.reason


def test_an_unmeasured_epoch_time_retrains_for_the_best_epoch_and_at_least_one():
    assert _plan(seconds_per_sample_epoch=0.0).epochs == 12
    assert _plan(best_epoch=0).epochs == final.MIN_FINAL_EPOCHS == 1


# --- the final training's configuration --------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "kept"),
    [
        (ScheduleName.CONSTANT, ScheduleName.COSINE),
        (ScheduleName.PLATEAU, ScheduleName.COSINE),  # no validation data to see a plateau
        (ScheduleName.STEP, ScheduleName.STEP),
        (ScheduleName.ONECYCLE, ScheduleName.ONECYCLE),
        (ScheduleName.COSINE, ScheduleName.COSINE),
    ],
)
def test_the_last_epochs_weights_are_kept_so_the_lr_must_decay_to_the_end(
    monkeypatch, schedule, kept
):
    seen = {}

    def fake_fit(model, train, val, config, *, task, callbacks, verbose):
        seen.update(val=val, config=config, callbacks=callbacks)
        return SimpleNamespace(model=model, history=History({"loss": [1.0]}))

    monkeypatch.setattr(final, "fit", fake_fit)
    spec = ProblemSpec(Task.BINARY, Modality.TABULAR, 8, 2, (2,), ("y",), ("a", "b"))
    data = TensorData(torch.zeros(8, 2), torch.zeros(8, dtype=torch.long))
    train = TrainConfig(schedule=schedule, warmup_epochs=3, early_stopping_patience=5, epochs=40)
    model, history = final.train_final(
        FinalPlan(Approach.RETRAIN, 2, "test"),
        ModelConfig(Architecture.MLP, depth=1, width=4),
        train,
        data,
        spec=spec,
        input_shape=(2,),
        vocab_size=None,
        deadline=math.inf,
        verbose=False,
    )
    config = seen["config"]
    assert config.schedule is kept
    assert (config.epochs, config.early_stopping_patience) == (2, None)
    assert config.warmup_epochs == 1  # warm-up ends before the last epoch
    assert seen["val"] is None  # the validation data is in the training data now
    assert isinstance(model, torch.nn.Module) and history.get("loss") == [1.0]


# --- the one look at the test set --------------------------------------------------------

SPEC = ProblemSpec(
    task=Task.BINARY,
    modality=Modality.TABULAR,
    n_samples=1200,
    n_features=1,
    input_shape=(1,),
    target_names=("churn",),
    class_names=("no", "yes"),
    class_counts={"no": 600, "yes": 600},
)
N_TEST = 400


class _Identity:
    """A preparer whose inputs are already prepared."""

    def transform(self, x):
        return x


def _test_set(wrong: int) -> tuple[SealedTestSet, np.ndarray]:
    """400 test samples, half 'yes'; the logits put ``wrong`` of them on the wrong side."""
    y = np.array(["yes", "no"] * (N_TEST // 2), dtype=object)
    logits = np.where(y == "yes", 2.0, -2.0).astype(np.float32)
    logits[:wrong] *= -1
    return SealedTestSet(logits.reshape(-1, 1), y, origin="test"), logits


def _evaluate(
    *,
    wrong: int,
    val: float,
    approach: str = Approach.RETRAIN,
    n_val: int | None = N_TEST,
    common_sense: float = 0.5,
    members=None,
):
    test, _ = _test_set(wrong)
    return evaluate_once(
        members or [Member(_Identity(), torch.nn.Identity())],
        test,
        test.issue_final_key(),
        spec=SPEC,
        scoring=accuracy_scoring(),
        plan=FinalPlan(approach, 3, "the plan's reason"),
        model_config=ModelConfig(Architecture.MLP),
        train_config=TrainConfig(),
        val_scores={"accuracy": val},
        n_val=n_val,
        common_sense=("majority class", common_sense),
        classical=("logistic regression", 0.7),
        history=None,
    )


def _mismatch(result: FinalResult):
    return [f for f in result.findings if f.code is FindingCode.DATA_MISMATCH]


def test_the_test_set_is_opened_once_and_set_against_validation():
    result = _evaluate(wrong=40, val=0.93)  # test accuracy 0.9
    assert result.test_opened == 1 and result.n_test == N_TEST
    assert result.test_scores["accuracy"] == pytest.approx(0.9)
    assert result.gap == {"accuracy": pytest.approx(0.03)}  # validation − test
    first, second = result.decisions[:2]
    assert (first.what, first.why) == ("final model: retrain_on_train_and_val", "the plan's reason")
    assert first.numbers == {"epochs": 3, "members": 1}
    assert second.what == "test accuracy 0.9000 on 400 samples, opened once"
    assert result.details["common_sense"] == {"model": "majority class", "score": 0.5}
    assert result.details["classical"] == {"model": "logistic regression", "score": 0.7}
    assert result.to_dict()["test_set_opened"] == 1


def test_a_test_score_far_below_validation_is_a_data_mismatch():
    result = _evaluate(wrong=80, val=0.95)  # test 0.80: error 0.20 against 0.05
    (mismatch,) = _mismatch(result)
    assert mismatch.severity is Severity.WARNING and "test is worse by 0.15" in mismatch.evidence
    assert mismatch.stage == "final"


def test_a_gap_within_sampling_noise_is_no_mismatch():
    assert _mismatch(_evaluate(wrong=48, val=0.90)) == []  # 0.88 against 0.90
    # The same 0.15 gap as above rests on 40 validation samples: about 2 standard errors.
    assert _mismatch(_evaluate(wrong=80, val=0.95, n_val=40)) == []


@pytest.mark.parametrize(
    ("approach", "why"),
    [
        (Approach.RETRAIN, "the final model trained on all the development data"),
        (Approach.ENSEMBLE, "the final model averages all the fold models"),
    ],
)
def test_a_test_score_above_validation_is_expected_of_a_stronger_final_model(approach, why):
    result = _evaluate(wrong=20, val=0.80, approach=approach)  # test 0.95
    assert _mismatch(result) == [] and result.findings == ()
    (expected,) = result.decisions[2:]
    assert expected.what.startswith("test accuracy better than validation (")
    assert expected.why.startswith("expected: ") and why in expected.why


def test_a_test_score_above_validation_is_reported_when_the_model_is_the_best_trials():
    (mismatch,) = _mismatch(_evaluate(wrong=20, val=0.80, approach=Approach.BEST_TRIAL))
    assert mismatch.severity is Severity.INFO and "test is better" in mismatch.evidence


def test_no_mismatch_is_judged_without_a_validation_score():
    assert _mismatch(_evaluate(wrong=80, val=math.nan)) == []


@pytest.mark.parametrize("common_sense", [0.95, 0.9])  # a tie does not beat it either
def test_a_final_model_not_beating_common_sense_is_an_error(common_sense):
    result = _evaluate(wrong=40, val=0.9, common_sense=common_sense)
    (failed,) = [f for f in result.findings if f.code is FindingCode.BELOW_COMMON_SENSE_BASELINE]
    assert failed.severity is Severity.ERROR and "the network failed" in failed.evidence
    assert not any(
        f.code is FindingCode.BELOW_COMMON_SENSE_BASELINE
        for f in _evaluate(wrong=40, val=0.9, common_sense=0.89).findings
    )


class _Scaled(torch.nn.Module):
    def __init__(self, factor: float) -> None:
        super().__init__()
        self.factor = factor

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.factor


def test_the_members_probabilities_are_averaged():
    # One member right and sure (logits ±4), one wrong and unsure (∓1): the average is right.
    right, wrong = Member(_Identity(), _Scaled(2.0)), Member(_Identity(), _Scaled(-0.5))
    assert _evaluate(wrong=0, val=0.9, members=[wrong]).test_scores["accuracy"] == 0.0
    both = _evaluate(wrong=0, val=0.9, members=[right, wrong])
    assert both.test_scores["accuracy"] == 1.0
    assert both.decisions[0].numbers["members"] == 2


def test_the_recorded_result_rounds_scores_and_writes_non_finite_ones_as_null():
    result = _evaluate(wrong=40, val=0.93)
    recorded = FinalResult(
        **{**vars(result), "val_scores": {"accuracy": 0.123456789, "f1": math.nan}}
    ).to_dict()
    assert recorded["val"] == {"accuracy": 0.123457, "f1": None}
    assert recorded["approach"] == Approach.RETRAIN and recorded["n_test"] == N_TEST
    assert recorded["config"]["model"]["architecture"] == "mlp"
