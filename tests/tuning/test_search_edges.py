"""The edge rule inside a real study loop: a search whose optimum lies past the learning
rate's upper bound finds the bound, widens the range while time remains, and the trials
after it draw from the wider range (issue 16, check 4).

Nothing trains: the setup's evaluation is a function of the drawn learning rate.
"""

from __future__ import annotations

import time

import optuna
from stage_results import ScriptedSetup, evaluation, setup, small_space

from dlpilot.core.enums import FindingCode, Severity
from dlpilot.engine import TrainConfig
from dlpilot.stages.tune import SPACE_ATTR
from dlpilot.tuning.study import make_study, tune


def rising_with_lr(name, model_config, train_config):
    """Validation accuracy rises with the learning rate up to 0.2: past the space's 0.03."""
    score = 0.5 + 0.4 * min(train_config.lr, 0.2) / 0.2
    return evaluation(name, model=model_config, train=train_config, val_score=score, seconds=0.01)


def _run(n_trials: int, *, finished_lrs: tuple[float, ...] = ()):
    fake = ScriptedSetup(rising_with_lr, base=setup())
    space = small_space(seed=3)
    study = make_study(optuna.storages.InMemoryStorage(), "edges", greater_is_better=True, seed=0)
    start = evaluation(model=space.around, train=TrainConfig(lr=1e-3, batch_size=32))
    if finished_lrs:  # an earlier, interrupted run's trials
        drawn = optuna.create_study().ask()
        space.suggest(drawn)
        for lr in finished_lrs:
            params = {**space.params_for(space.around, start.train), "lr": lr}
            model, train = space.suggest(optuna.trial.FixedTrial(params))
            study.add_trial(
                optuna.trial.create_trial(
                    params=params,
                    distributions=drawn.distributions,
                    value=rising_with_lr("t", model, train).val_score,
                    user_attrs={
                        "seconds": 0.01,
                        "model": model.to_dict(),
                        "train": train.to_dict(),
                    },
                )
            )
    tuning = tune(
        fake,
        space,
        study,
        baseline=start,
        scaled=start,
        deadline=time.monotonic() + 120,
        n_trials=n_trials,
        history_dir=None,
    )
    return study, tuning


def test_a_best_lr_at_the_bound_widens_the_range_and_later_trials_use_it():
    study, tuning = _run(40)
    assert tuning.space.lr_range[1] > 0.03  # widened in the study, and kept in the result
    assert study.user_attrs[SPACE_ATTR]["lr_range"][1] > 0.03
    widened = [d for d in tuning.decisions if d.what.startswith("widen the search")]
    assert any("lr to 0.0001–0.3" in d.what for d in widened)
    drawn = [t.params["lr"] for t in study.trials if t.state.is_finished()]
    assert max(drawn) > 0.03  # trials after the widening drew past the old bound
    assert tuning.best_train.lr > 0.03
    edges = [f for f in tuning.findings if f.code is FindingCode.BEST_AT_SEARCH_EDGE]
    assert any(f.severity is Severity.INFO and "lr" in f.evidence for f in edges)


def test_without_room_for_more_trials_the_edge_is_a_warning_and_nothing_widens():
    # Seven trials finished, the best three at the bound; the cap leaves one more: too few
    # to try a wider range.
    study, tuning = _run(8, finished_lrs=(1e-4, 1e-3, 2e-3, 5e-3, 2e-2, 2.5e-2, 2.9e-2))
    assert SPACE_ATTR not in study.user_attrs and tuning.space.lr_range == (1e-4, 3e-2)
    (edge,) = [f for f in tuning.findings if f.code is FindingCode.BEST_AT_SEARCH_EDGE]
    assert edge.severity is Severity.WARNING and "lr" in edge.evidence
    assert "too little time" in edge.action
