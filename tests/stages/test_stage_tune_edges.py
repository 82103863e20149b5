"""Stage 7's edge rule (issue 16, check 4): a best trial in the outer tenth of a range is
said, and the range grows in the same study while time remains.

Nothing trains: trials are written into an in-memory study with the values a test needs.
"""

from __future__ import annotations

import optuna
import pytest
from stage_results import setup, small_space

from dlpilot.core.enums import FindingCode, Severity
from dlpilot.engine import Architecture, ModelConfig, TrainConfig
from dlpilot.stages import tune
from dlpilot.stages.tune import SearchSpace


def _space(around: ModelConfig | None = None) -> SearchSpace:
    return small_space(seed=5, around=around or ModelConfig(Architecture.MLP, depth=3, width=128))


def _params(space: SearchSpace, **changes) -> dict:
    return {**space.params_for(space.around, TrainConfig(lr=1e-3)), **changes}


# --- where a value sits ----------------------------------------------------------------


def test_a_learning_rate_in_the_top_tenth_of_its_log_range_is_at_the_edge():
    space = _space()  # lr 1e-4 – 3e-2: the top tenth in log units starts at ~1.7e-2
    (edge,) = space.edges(_params(space, lr=0.02))
    assert (edge.param, edge.side, edge.bounds) == ("lr", "high", (1e-4, 3e-2))
    assert edge.widened == pytest.approx((1e-4, 0.3)) and edge.can_widen
    assert "highest tenth" in edge.describe()
    assert space.edges(_params(space, lr=0.01)) == ()
    (low,) = space.edges(_params(space, lr=1.5e-4))
    assert (low.side, low.widened) == ("low", pytest.approx((1e-5, 3e-2)))


def test_weight_decay_at_its_lower_end_is_none_in_effect_and_not_an_edge():
    space = _space()
    assert space.edges(_params(space, weight_decay=1e-7)) == ()
    (edge,) = space.edges(_params(space, weight_decay=8e-3))
    assert (edge.param, edge.side, edge.widened) == ("weight_decay", "high", (1e-7, 0.1))


def test_depth_and_width_at_their_ends_grow_by_one_layer_and_one_doubling():
    space = _space()  # depths 2–4, width steps -1..1 (64–256)
    edges = {(e.param, e.side): e for e in space.edges(_params(space, depth=4, width_step=1))}
    assert edges[("depth", "high")].widened == (2, 5)
    assert edges[("width_step", "high")].widened == (-1, 2)
    wider = space.widen(tuple(edges.values()))
    assert wider.depths() == (2, 5) and wider.widths() == [64, 128, 256, 512]
    # The drawn configuration uses the grown ranges.
    model, _ = wider.suggest(optuna.trial.FixedTrial(_params(wider, depth=5, width_step=2)))
    assert (model.depth, model.width) == (5, 512)


def test_a_range_at_its_limit_is_an_edge_that_cannot_widen():
    space = _space(ModelConfig(Architecture.MLP, depth=1, width=2048))
    edges = {(e.param, e.side): e for e in space.edges(_params(space, width_step=1, depth=1))}
    assert not edges[("width_step", "high")].can_widen  # 2048 units is the widest
    assert not edges[("depth", "low")].can_widen  # one layer is the shallowest
    assert space.widen(tuple(edges.values())) == space


def test_a_widened_space_travels_as_plain_data():
    space = _space()
    wider = space.widen(space.edges(_params(space, lr=0.029, depth=4)))
    assert wider.lr_range == pytest.approx((1e-4, 0.3)) and wider.depths() == (2, 5)
    assert SearchSpace.from_dict(wider.to_dict()) == wider
    assert SearchSpace.from_dict(space.to_dict()) == space


# --- the rule in a study -----------------------------------------------------------------


def _study(space: SearchSpace, lrs: list[float], *, seconds: float = 1.0) -> optuna.Study:
    """Completed trials whose validation accuracy rises with the learning rate."""
    recorder = optuna.create_study()
    drawn = recorder.ask()
    space.suggest(drawn)  # the space's own distributions
    study = optuna.create_study(direction="maximize")
    for lr in lrs:
        study.add_trial(
            optuna.trial.create_trial(
                params=_params(space, lr=lr),
                distributions=drawn.distributions,
                value=0.5 + 10 * lr,
                user_attrs={"seconds": seconds},
            )
        )
    return study


# The best two, 0.02 and 0.025, in the top tenth: two of the best three crowd the bound.
LRS = [1e-4, 3e-4, 1e-3, 2e-3, 5e-3, 2e-2, 2.5e-2]


def test_the_best_trial_at_the_lr_bound_widens_the_range_once():
    space = _space()
    study = _study(space, LRS)
    decision = tune.widen_at_edges(study, space, setup(), seconds_left=100, trials_left=None)
    assert decision is not None and decision.what.startswith("widen the search: lr to 0.0001–0.3")
    assert "highest tenth" in decision.why
    assert tune.current_space(study, space).lr_range == pytest.approx((1e-4, 0.3))
    # Each end widens once, even though the best stays in the old top tenth.
    assert tune.widen_at_edges(study, space, setup(), seconds_left=100, trials_left=None) is None
    best = max(study.get_trials(states=(optuna.trial.TrialState.COMPLETE,)), key=lambda t: t.value)
    (finding,) = tune.edge_findings(study, space, best, setup())
    assert finding.code is FindingCode.BEST_AT_SEARCH_EDGE and finding.severity is Severity.INFO
    assert "widened to 0.0001–0.3" in finding.action


@pytest.mark.parametrize(
    ("trials", "seconds_left", "trials_left"),
    [
        (LRS[:6], 100, None),  # fewer than 7 completed trials: too early to read
        (LRS, 1.5, None),  # room for under 2 more 1-second trials
        (LRS, 100, 1),  # the cap leaves one trial
    ],
)
def test_no_widening_too_early_or_without_room_for_two_more_trials(
    trials, seconds_left, trials_left
):
    space = _space()
    study = _study(space, trials)
    assert (
        tune.widen_at_edges(
            study, space, setup(), seconds_left=seconds_left, trials_left=trials_left
        )
        is None
    )
    assert tune.SPACE_ATTR not in study.user_attrs


def test_an_edge_left_for_lack_of_time_is_a_warning_that_says_so():
    space = _space()
    study = _study(space, LRS)
    best = max(study.get_trials(states=(optuna.trial.TrialState.COMPLETE,)), key=lambda t: t.value)
    (finding,) = tune.edge_findings(study, space, best, setup())
    assert finding.severity is Severity.WARNING
    assert "lr 0.025 in the highest tenth of 0.0001–0.03" in finding.evidence
    assert "too little time" in finding.action


def test_a_best_trial_alone_at_an_end_is_chance_not_an_edge():
    space = _space()
    # Only the best is in the top tenth; the next two sit well inside the range.
    study = _study(space, [1e-4, 3e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2.5e-2])
    assert tune.widen_at_edges(study, space, setup(), seconds_left=100, trials_left=None) is None
    best = max(study.get_trials(states=(optuna.trial.TrialState.COMPLETE,)), key=lambda t: t.value)
    assert tune.edge_findings(study, space, best, setup()) == ()
