"""Stage 6's rules: how a network grows, when the ladder stops, and where overfitting starts.

Nothing trains: each step's evaluation is scripted, with the diagnosis a real training
would have given.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import pytest
from stage_results import ScriptedSetup, at, evaluation, never_called, rmse_scoring, v_shaped

from dlpilot.core.enums import FindingCode, Severity
from dlpilot.core.errors import ConfigError
from dlpilot.diagnose import NextStep
from dlpilot.engine import Architecture, ModelConfig, TrainConfig
from dlpilot.stages import scale
from dlpilot.stages.scale import grow, scale_until_overfit

FAR = 3600.0  # seconds: a deadline no test reaches


def _mlp(depth: int = 2, width: int = 64) -> ModelConfig:
    return ModelConfig(Architecture.MLP, depth=depth, width=width)


def test_even_steps_widen_and_odd_steps_deepen():
    assert (grow(_mlp(), 0).depth, grow(_mlp(), 0).width) == (2, 128)
    assert (grow(_mlp(), 1).depth, grow(_mlp(), 1).width) == (3, 64)
    sizes, model = [], _mlp()
    for step in range(scale.MAX_STEPS):
        model = grow(model, step)
        sizes.append((model.depth, model.width))
    assert sizes == [(2, 128), (3, 128), (3, 256), (4, 256), (4, 512), (5, 512)]


def test_at_a_limit_the_other_dimension_grows_and_past_both_nothing_does():
    assert grow(_mlp(6, 64), 1).width == 128  # an MLP is at most 6 deep
    assert grow(_mlp(2, 1024), 0).depth == 3  # no layer is wider than 1024
    assert grow(_mlp(2, 512), 0).width == 1024
    assert grow(_mlp(6, 1024), 0) is None and grow(_mlp(6, 1024), 1) is None
    gru = ModelConfig(Architecture.GRU, depth=3, width=64)
    assert grow(gru, 1).width == 128  # a GRU is at most 3 deep


@pytest.mark.parametrize(
    "architecture", [Architecture.TV_RESNET18, Architecture.GOOGLENET, Architecture.ALEXNET]
)
def test_torchvision_backbones_do_not_grow(architecture):
    assert grow(ModelConfig(architecture), 0) is None


def test_an_overfitting_baseline_stops_the_ladder_at_step_0():
    # The curves' best epoch is 9, but validation loss is lowest at epoch 6: it turns up there.
    base = evaluation(codes=(FindingCode.OVERFITTING,), val_loss=v_shaped(20, 6), best_epoch=9)
    result = scale_until_overfit(ScriptedSetup(never_called), base, deadline=time.monotonic() + FAR)
    assert (result.overfit_step, result.overfit_epoch) == (0, 6)
    assert result.chosen is base and result.steps == (base,) and not result.underfitting
    assert result.stop_reason == "the baseline already overfits from epoch 6"
    (point,) = [d for d in result.decisions if d.what.startswith("overfitting point")]
    assert point.what == "overfitting point: step 0, epoch 6"
    assert point.numbers == {"step": 0, "epoch": 6, "n_params": base.n_params}


def _ladder(overfits_at: dict[str, int], *, scores=None, **changes):
    """A script: the named steps overfit (validation loss lowest at the given epoch)."""

    def script(name, model, train):
        score = (scores or {}).get(name, 0.8)
        if name in overfits_at:
            made = evaluation(
                val_score=score,
                codes=(FindingCode.OVERFITTING,),
                next_step=NextStep.STOP_SCALING,
                val_loss=v_shaped(train.epochs, overfits_at[name]),
                epochs_run=train.epochs,
            )
        else:
            made = evaluation(val_score=score, epochs_run=train.epochs, **changes.get(name, {}))
        return at(made, model, train, name)

    return script


def test_the_ladder_climbs_until_a_step_overfits_and_marks_where():
    scripted = ScriptedSetup(_ladder({"scale_2": 7}, scores={"scale_1": 0.82, "scale_2": 0.84}))
    base = evaluation(val_score=0.8)
    result = scale_until_overfit(scripted, base, deadline=time.monotonic() + FAR)
    assert [(n, m.depth, m.width, t.epochs) for n, m, t in scripted.calls] == [
        ("scale_1", 2, 128, 20),
        ("scale_2", 3, 128, 20),  # the curves did not ask for more epochs
    ]
    assert (result.overfit_step, result.overfit_epoch) == (2, 7)
    assert result.chosen.name == "scale_2" and len(result.steps) == 3
    assert result.stop_reason == (
        "step 2 overfits: validation loss rises from epoch 7 while training loss falls"
    )
    assert result.decisions[0].what == "step 1: depth 2, width 128, 20 epochs → val accuracy 0.8200"
    rows = result.ladder()
    assert [r["overfit"] for r in rows] == [False, False, True]
    assert rows[2]["findings"] == ["overfitting"] and rows[1]["width"] == 128


@pytest.mark.parametrize(
    "base_changes",
    [{"next_step": NextStep.MORE_EPOCHS}, {"codes": (FindingCode.UNDERTRAINED,)}],
)
def test_a_step_trains_half_as_long_again_only_when_the_curves_ask(base_changes):
    scripted = ScriptedSetup(_ladder({"scale_2": 5}))
    scale_until_overfit(scripted, evaluation(**base_changes), deadline=time.monotonic() + FAR)
    # 20 → 30 epochs after the baseline asked for more; scale_1 did not ask, so 30 stays.
    assert [t.epochs for _, _, t in scripted.calls] == [30, 30]


def test_longer_training_stops_at_200_epochs():
    scripted = ScriptedSetup(_ladder({"scale_1": 5}))
    long = evaluation(next_step=NextStep.MORE_EPOCHS, train=TrainConfig(epochs=180), epochs_run=180)
    scale_until_overfit(scripted, long, deadline=time.monotonic() + FAR)
    assert scripted.calls[0][2].epochs == scale.MAX_EPOCHS == 200


def test_without_an_overfitting_step_the_best_validation_score_is_chosen():
    scores = {"scale_1": 0.81, "scale_2": 0.86, "scale_3": 0.84, "scale_4": 0.83}
    result = scale_until_overfit(
        ScriptedSetup(_ladder({}, scores=scores)), evaluation(), deadline=time.monotonic() + FAR
    )
    assert len(result.steps) == 1 + scale.MAX_STEPS
    assert result.overfit_step is None and result.overfit_epoch is None
    assert result.stop_reason == "reached 6 steps without overfitting"
    assert result.chosen.name == "scale_2"
    assert result.decisions[-1].what == "no overfitting point found"


def test_the_best_step_follows_the_metrics_direction():
    scores = {"scale_1": 0.5, "scale_2": 0.3, "scale_3": 0.4}  # RMSE: lower is better
    scripted = ScriptedSetup(_ladder({}, scores=scores), scoring=rmse_scoring())
    result = scale_until_overfit(
        scripted, evaluation(val_score=0.6), deadline=time.monotonic() + FAR
    )
    assert result.chosen.name == "scale_2"


def test_a_spent_budget_stops_before_training_and_an_underfitting_net_is_a_finding():
    base = evaluation(codes=(FindingCode.UNDERFITTING,), n_params=5000)
    result = scale_until_overfit(ScriptedSetup(never_called), base, deadline=time.monotonic() - 1)
    assert result.stop_reason.startswith("this stage's budget is spent")
    assert result.chosen is base and result.underfitting
    (finding,) = result.findings
    assert finding.code is FindingCode.UNDERFITTING and finding.severity is Severity.WARNING
    assert "5,000 parameters" in finding.evidence and "more data will not help" in finding.action


def test_a_step_expected_to_take_over_one_and_a_half_times_the_time_left_is_not_started():
    # 1 s per epoch; widening doubles it: 20 epochs take about 40 s, and about 20 s are left.
    slow = evaluation(seconds=20.0, epochs_run=20)
    result = scale_until_overfit(ScriptedSetup(never_called), slow, deadline=time.monotonic() + 20)
    assert "the next step would take about 40s" in result.stop_reason
    # At 0.6 s per epoch the step takes about 24 s, within 1.5 × 20 s: it runs.
    scripted = ScriptedSetup(_ladder({"scale_1": 3}))
    scale_until_overfit(scripted, evaluation(seconds=12.0), deadline=time.monotonic() + 20)
    assert len(scripted.calls) == 1


def test_expected_seconds_scale_with_the_growth_and_the_epochs():
    current = evaluation(seconds=10.0, epochs_run=10)
    assert scale._expected_seconds(current, _mlp(2, 128), 10) == pytest.approx(20.0)  # wider
    assert scale._expected_seconds(current, _mlp(3, 64), 30) == pytest.approx(42.0)  # deeper


def test_an_architecture_that_cannot_grow_ends_the_ladder_at_the_baseline():
    base = evaluation(model=ModelConfig(Architecture.TV_RESNET18))
    result = scale_until_overfit(ScriptedSetup(never_called), base, deadline=time.monotonic() + FAR)
    assert result.stop_reason == "tv_resnet18 cannot grow beyond this size"
    assert result.chosen is base


def test_a_step_whose_lr_is_too_high_is_retrained_at_three_tenths_of_it():
    def script(name, model, train):
        if name == "scale_1":
            return at(evaluation(val_score=0.7, next_step=NextStep.LOWER_LR), model, train, name)
        if name == "scale_1_lower_lr":
            return at(evaluation(val_score=0.83), model, train, name)
        return _ladder({"scale_2": 4})(name, model, train)

    scripted = ScriptedSetup(script)
    result = scale_until_overfit(scripted, evaluation(), deadline=time.monotonic() + FAR)
    names = [n for n, _, _ in scripted.calls]
    assert names == ["scale_1", "scale_1_lower_lr", "scale_2"]
    assert scripted.calls[1][2].lr == pytest.approx(0.3 * scripted.calls[0][2].lr)
    assert result.steps[1].name == "scale_1_lower_lr"
    # The next step starts from the retried step's LR.
    assert scripted.calls[2][2].lr == pytest.approx(scripted.calls[1][2].lr)


@pytest.mark.parametrize(("retry_score", "retry_diverged"), [(0.6, False), (math.nan, True)])
def test_a_retry_that_does_no_better_keeps_the_first_training(retry_score, retry_diverged):
    def script(name, model, train):
        if name == "scale_1":
            return at(evaluation(val_score=0.7, next_step=NextStep.LOWER_LR), model, train, name)
        if name == "scale_1_lower_lr":
            made = evaluation(val_score=retry_score, diverged=retry_diverged)
            return at(made, model, train, name)
        return _ladder({"scale_2": 4})(name, model, train)

    result = scale_until_overfit(
        ScriptedSetup(script), evaluation(), deadline=time.monotonic() + FAR
    )
    assert result.steps[1].name == "scale_1"


def test_a_diverged_a_timed_out_or_an_impossible_step_ends_the_ladder():
    diverged = _ladder({}, scores={"scale_1": math.nan}, scale_1={"diverged": True})
    result = scale_until_overfit(
        ScriptedSetup(diverged), evaluation(), deadline=time.monotonic() + FAR
    )
    assert result.stop_reason == "training diverged even at a lower LR"
    assert len(result.steps) == 2 and result.chosen.name == "baseline"

    timed_out = _ladder({}, scale_1={"stopped_by_time": True})
    result = scale_until_overfit(
        ScriptedSetup(timed_out), evaluation(), deadline=time.monotonic() + FAR
    )
    assert result.stop_reason == "this stage's budget ran out during the last step"

    def too_big(name, model, train):
        raise ConfigError("the input is too small for 3 pooling blocks")

    result = scale_until_overfit(
        ScriptedSetup(too_big), evaluation(), deadline=time.monotonic() + FAR
    )
    assert result.stop_reason == (
        "the network cannot grow further here (the input is too small for 3 pooling blocks)"
    )
    assert result.steps == (result.chosen,)


def test_the_ladder_rows_carry_each_steps_size_and_scores():
    base = evaluation(
        model=_mlp(2, 64),
        train=replace(TrainConfig(), lr=0.002),
        codes=(FindingCode.OVERFITTING,),
        val_loss=v_shaped(12, 4),
        val_score=0.9,
        train_score=0.97,
        best_epoch=4,
        epochs_run=12,
        n_params=321,
    )
    result = scale_until_overfit(ScriptedSetup(never_called), base, deadline=time.monotonic() + FAR)
    assert result.ladder() == [
        {
            "step": 0,
            "name": "baseline",
            "depth": 2,
            "width": 64,
            "n_params": 321,
            "epochs": 12,
            "lr": 0.002,
            "train_score": 0.97,
            "val_score": 0.9,
            "best_epoch": 4,
            "overfit": True,
            "findings": ["overfitting"],
        }
    ]
