"""The workflow's decisions as pure functions: budget, exploration, ladder, space, final plan."""

from __future__ import annotations

import math

import optuna
import pytest
import torch

from dlpilot.core.budget import Clock, parse_budget
from dlpilot.core.enums import MetricName, Modality, ProtocolKind, Task
from dlpilot.core.errors import BudgetError
from dlpilot.engine import Architecture, ModelConfig, TrainConfig
from dlpilot.stages import final as stage_final
from dlpilot.stages.scale import grow
from dlpilot.stages.tune import SearchSpace
from dlpilot.workflow import BudgetPlan
from dlpilot.workflow.context import StageLog


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("10m", 600), ("1h", 3600), ("1h30m", 5400), ("2.5m", 150), ("45", 45)],
)
def test_budget_parses(text, seconds):
    assert parse_budget(text) == seconds


@pytest.mark.parametrize("text", ["fast", "10x", "5s", "m", "-3m", "10m later"])
def test_bad_budgets_say_how_to_write_one(text):
    with pytest.raises(BudgetError, match=r"90s|at least"):
        parse_budget(text)


def test_clock_counts_time_used_before_a_resume():
    now = [100.0]
    clock = Clock(60.0, now=lambda: now[0], offset=20.0)
    now[0] += 10
    assert clock.used == 30.0 and clock.left == 30.0
    assert clock.deadline_in(100) == now[0] + 30.0


def test_budget_marks_are_cumulative_and_give_the_final_more_when_exploring_a_subset():
    plan = BudgetPlan()
    for kfold in (False, True):
        for subset in (False, True):
            m = plan.marks(kfold=kfold, subset=subset)
            assert 0 < m.baseline < m.scale < m.tune <= 1
    assert plan.marks(kfold=False, subset=True).tune < plan.marks(kfold=False, subset=False).tune
    assert plan.marks(kfold=True, subset=False).tune > plan.marks(kfold=False, subset=False).tune
    assert "larger share" in plan.describe(kfold=False, subset=True)


def test_ladder_alternates_wider_and_deeper_and_stops():
    m = ModelConfig(Architecture.MLP, depth=2, width=64)
    steps = [m]
    for i in range(20):
        nxt = grow(steps[-1], i)
        if nxt is None:
            break
        steps.append(nxt)
    assert steps[1].width == 128 and steps[1].depth == 2
    assert steps[2].depth == 3 and steps[2].width == 128
    assert steps[-1].width <= 1024 and steps[-1].depth <= 6
    assert grow(ModelConfig(Architecture.TV_RESNET18), 0) is None


def test_enqueued_configurations_lie_inside_the_search_space():
    space = SearchSpace(
        around=ModelConfig(Architecture.CNN, depth=3, width=64, batch_norm=True),
        base=TrainConfig(batch_size=128, epochs=10),
        baseline_depth=3,
        baseline_width=32,
        modality=Modality.IMAGE,
        task=Task.MULTICLASS,
        n_train=5000,
        max_epochs=10,
        patience=3,
    )
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
    baseline = space.params_for(ModelConfig(Architecture.CNN, depth=3, width=32), space.base)
    regular = space.params_for(space.around, space.base, augment="crop", regularize=True)
    for params in (baseline, regular):
        study.enqueue_trial(params)
    for expected in (baseline, regular):
        trial = study.ask()
        model, train = space.suggest(trial)
        assert trial.params == expected  # the enqueued values were accepted as they are
        assert model.width == space.width_at(expected["width_step"])
        assert train.lr == pytest.approx(expected["lr"])
    assert (baseline["width_step"], regular["width_step"]) == (-1, 0)  # widths 32 and 64
    assert regular["dropout"] > 0 and regular["weight_decay"] > baseline["weight_decay"]
    assert SearchSpace.from_dict(space.to_dict()) == space


def test_final_plan_follows_the_protocol_and_the_clock():
    common = dict(
        best_epoch=12,
        n_dev=10_000,
        seconds_per_sample_epoch=1e-3,
        explored_on_subset=False,
        trial_model_available=True,
    )
    ensemble = stage_final.plan_final(
        ProtocolKind.KFOLD, fold_models_available=True, seconds_left=0, **common
    )
    assert ensemble.approach == stage_final.Approach.ENSEMBLE
    retrain = stage_final.plan_final(
        ProtocolKind.HOLDOUT, fold_models_available=False, seconds_left=1000, **common
    )
    assert retrain.approach == stage_final.Approach.RETRAIN and retrain.epochs == 12
    short = stage_final.plan_final(
        ProtocolKind.HOLDOUT, fold_models_available=False, seconds_left=55, **common
    )
    assert short.epochs == 5 and "cut to 5" in short.reason
    keep = stage_final.plan_final(
        ProtocolKind.HOLDOUT, fold_models_available=False, seconds_left=3, **common
    )
    assert keep.approach == stage_final.Approach.BEST_TRIAL
    forced = stage_final.plan_final(
        ProtocolKind.HOLDOUT,
        fold_models_available=False,
        seconds_left=3,
        **{**common, "trial_model_available": False},
    )
    assert forced.approach == stage_final.Approach.RETRAIN and forced.epochs == 1
    assert "overrunning" in forced.reason
    subset = stage_final.plan_final(
        ProtocolKind.HOLDOUT,
        fold_models_available=False,
        seconds_left=400,
        **{**common, "explored_on_subset": True},
    )
    assert subset.epochs == 40  # what the time affords, not the subset's best epoch


def test_final_training_anneals_a_constant_lr():
    assert stage_final.ScheduleName.CONSTANT not in stage_final.DECAYING_SCHEDULES
    assert stage_final.ScheduleName.PLATEAU not in stage_final.DECAYING_SCHEDULES
    assert math.isfinite(stage_final.MAX_FINAL_EPOCHS)


def test_final_training_on_all_data_decays_the_lr_to_the_end():
    import torch

    from dlpilot.core.records import ProblemSpec
    from dlpilot.engine import TensorData

    spec = ProblemSpec(
        task=Task.BINARY,
        modality=Modality.TABULAR,
        n_samples=64,
        n_features=3,
        input_shape=(3,),
        target_names=("y",),
        class_names=("a", "b"),
    )
    gen = torch.Generator().manual_seed(0)
    data = TensorData(torch.randn(64, 3, generator=gen), torch.randint(0, 2, (64,), generator=gen))
    plan = stage_final.FinalPlan(stage_final.Approach.RETRAIN, 6, "test")
    _, history = stage_final.train_final(
        plan,
        ModelConfig(Architecture.MLP, depth=1, width=8),
        TrainConfig(
            lr=1e-2, batch_size=16, epochs=3, schedule="constant", early_stopping_patience=2
        ),
        data,
        spec=spec,
        input_shape=(3,),
        vocab_size=None,
        deadline=float("inf"),
        verbose=False,
    )
    lrs = history.get("lr")
    assert len(lrs) == 6  # the plan's epochs, not the trial's, and no early stop
    assert lrs[0] == pytest.approx(1e-2) and lrs[-1] < 0.2 * lrs[0]


def _explored(best_epoch: int, seconds: float, epochs_run: int):
    from types import SimpleNamespace

    return SimpleNamespace(
        best_epoch=best_epoch,
        seconds=seconds,
        epochs_run=epochs_run,
        histories=[None],
        model=ModelConfig(Architecture.CONV1D, depth=3, width=32, batch_norm=True),
        train=TrainConfig(batch_size=128, epochs=epochs_run),
    )


@pytest.mark.parametrize(("folds", "max_epochs"), [(1, 6), (5, 13)])
def test_trials_are_shortened_to_fit_the_tuning_time_less_so_with_k_fold(folds, max_epochs):
    from types import SimpleNamespace

    from dlpilot.stages import tune as stage_tune

    setup = SimpleNamespace(
        folds=[None] * folds,
        spec=SimpleNamespace(modality=Modality.SEQUENCE, task=Task.MULTICLASS),
        n_train=3200,
    )
    # 0.5 s per epoch on one split; 24 epochs wanted (twice the peak at epoch 12).
    scaled = _explored(best_epoch=12, seconds=12.0, epochs_run=24)
    # Room for 8 trials on one split; room for one full-length trial with K-fold.
    seconds = 0.5 * folds * max_epochs * (1 if folds > 1 else 8) + 0.1
    space = stage_tune.search_space(setup, scaled, scaled, seconds=seconds)
    assert space.max_epochs == max_epochs
    # With time to spare, trials run twice the peak epoch, whatever the protocol.
    roomy = stage_tune.search_space(setup, scaled, scaled, seconds=10_000)
    assert roomy.max_epochs == 24


class _ConstantLogit(torch.nn.Module):
    """A binary model that scores every sample alike."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.zeros(len(x), 1)


def _final_findings(approach: str, val_accuracy: float, n_val: int | None = 1000):
    from stage_data import binary_table, table_dataset

    from dlpilot.stages._evaluate import Scoring
    from dlpilot.stages.define import define_problem
    from dlpilot.stages.metric import choose_metric
    from dlpilot.stages.prepare import prepare_data
    from dlpilot.stages.protocol import choose_protocol

    dataset = table_dataset(binary_table(300, 0.4), "status")
    spec = define_problem(dataset).spec
    choice = choose_protocol(dataset, spec)
    prepared = prepare_data(choice.development, spec, choice.protocol, test=choice.test)
    scoring = Scoring.for_metric(spec.task, choose_metric(spec))
    assert str(scoring.primary) == "accuracy"
    result = stage_final.evaluate_once(
        [stage_final.Member(prepared.folds[0].preparer, _ConstantLogit())],
        choice.test,
        choice.test.issue_final_key(),
        spec=spec,
        scoring=scoring,
        plan=stage_final.FinalPlan(approach, 3, "test"),
        model_config=ModelConfig(Architecture.MLP),
        train_config=TrainConfig(),
        val_scores={"accuracy": val_accuracy},
        n_val=n_val,
        common_sense=("DummyClassifier", 0.0),
        classical=("LogisticRegression", 0.5),
        history=None,
    )
    return [f.code for f in result.findings], [d.what for d in result.decisions]


def test_a_final_model_scoring_better_than_validation_is_no_mismatch_when_it_had_more_data():
    A = stage_final.Approach
    # The constant model scores about 0.4-0.6 on the test set.
    for approach in (A.RETRAIN, A.ENSEMBLE):
        codes, decisions = _final_findings(approach, val_accuracy=0.05)
        assert "data_mismatch" not in codes
        assert any("better than validation" in d for d in decisions)
    # The best trial's own model has no such excuse.
    codes, _ = _final_findings(A.BEST_TRIAL, val_accuracy=0.05)
    assert "data_mismatch" in codes
    # A test score far below validation is a mismatch whatever the final model.
    for approach in (A.RETRAIN, A.ENSEMBLE, A.BEST_TRIAL):
        codes, _ = _final_findings(approach, val_accuracy=0.99)
        assert "data_mismatch" in codes


def test_a_gap_within_sampling_noise_is_no_mismatch():
    A = stage_final.Approach
    # 0.99 on validation against ~0.6 on 60 test samples is far beyond noise...
    codes, _ = _final_findings(A.BEST_TRIAL, val_accuracy=0.99, n_val=1000)
    assert "data_mismatch" in codes
    # ...0.72 on only 5 validation samples is not.
    codes, _ = _final_findings(A.BEST_TRIAL, val_accuracy=0.72, n_val=5)
    assert "data_mismatch" not in codes
    codes, _ = _final_findings(A.BEST_TRIAL, val_accuracy=0.72, n_val=None)
    assert "data_mismatch" in codes


def test_of_tied_trials_the_lowest_numbered_is_best_and_its_models_are_the_ones_kept():
    # A tie (same fold accuracy on 455 samples is common) once saved trial 19's fold models
    # while the tuning named trial 11 best, so the final stage found no matching checkpoint.
    from types import SimpleNamespace

    from dlpilot.core.enums import MetricName
    from dlpilot.stages import tune as stage_tune
    from dlpilot.stages._evaluate import Scoring

    scoring = Scoring(Task.BINARY, MetricName.ACCURACY, (), True, 1)
    setup = SimpleNamespace(scoring=scoring)
    study = optuna.create_study(direction="maximize")
    for value in (0.97, 0.989, 0.98):
        study.add_trial(optuna.trial.create_trial(value=value))
    running = study.ask()  # trial 3
    assert not stage_tune._is_best(running, 0.989, setup)  # ties trial 1, numbered later
    assert stage_tune._is_best(running, 0.99, setup)
    study.tell(running, 0.989)
    study.add_trial(optuna.trial.create_trial(value=0.5))
    complete = study.get_trials(states=(optuna.trial.TrialState.COMPLETE,))
    assert stage_tune._best_trial(complete, setup).number == 1
    assert stage_tune._best_trial(complete[::-1], setup).number == 1


def _tuning(best_number, best_value, space):
    from dlpilot.stages.tune import Tuning

    return Tuning(
        best_number=best_number,
        best_model=space.around,
        best_train=space.base,
        best_value=best_value,
        best_epoch=5,
        best_val_scores={"accuracy": best_value},
        trials=(),
        importances={},
        space=space,
        decisions=(),
        findings=(),
    )


@pytest.mark.parametrize(("best_number", "expect"), [(3, "trial #3"), (None, "baseline")])
def test_scarce_data_retrains_the_best_validated_network_and_names_only_real_candidates(
    best_number, expect
):
    from types import SimpleNamespace

    from dlpilot.stages._evaluate import Scoring
    from dlpilot.workflow.steps import _best_validated

    space = SearchSpace(
        around=ModelConfig(Architecture.MLP, depth=2, width=64),
        base=TrainConfig(batch_size=8, epochs=5),
        baseline_depth=2,
        baseline_width=64,
        modality=Modality.TABULAR,
        task=Task.BINARY,
        n_train=100,
        max_epochs=5,
        patience=3,
    )
    wide = ModelConfig(Architecture.MLP, depth=2, width=256)

    def evaluation(name, score, model):
        return SimpleNamespace(
            name=name,
            val_score=score,
            val_scores={"accuracy": score},
            model=model,
            train=TrainConfig(batch_size=8, epochs=200),
            epochs_run=200,
            histories=[None],
            diverged=False,
        )

    baseline = evaluation("baseline", 0.90, space.around)
    scaled = SimpleNamespace(steps=[baseline, evaluation("scale step 1", 0.80, wide)])
    # A completed trial that validated above the baseline keeps tuning's result; without one,
    # tuning's fallback (the baseline's score) must not be listed again as a phantom trial.
    tuning = _tuning(best_number, 0.95 if best_number is not None else 0.90, space)
    log = StageLog()
    scoring = Scoring(
        Task.BINARY, MetricName.ACCURACY, (), greater_is_better=True, positive_index=1
    )
    setup = SimpleNamespace(folds=[None] * 15, scoring=scoring)
    picked = _best_validated(log, tuning, SimpleNamespace(baseline=baseline), scaled, setup)
    ((decision),) = log.decisions
    what, why = decision.what, decision.why
    assert "검증" in decision.text("what", "ko"), decision.text("what", "ko")
    assert what == f"retrain {expect}: the best validated network of the run"
    assert "#None" not in why and why.count("baseline") == 1
    assert picked.best_number == best_number
    assert picked.best_model == space.around
