"""The study stage 7 tunes in: its sampler and pruner, and the run's share of the trials.

One Optuna study: the TPE sampler proposes, a median pruner stops hopeless
trials from their per-epoch validation metric. The first trials are not
random: the baseline and the scaled-up network with regularization are
enqueued. The study lives in a storage (SQLite by default), so an interrupted
run resumes without repeating a finished trial; in PostgreSQL, workers on other
machines run trials of the same study (`dlpilot.tuning.loop` holds the loop
they share). The search space and the objective are stage 7's own
(`dlpilot.stages.tune`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import optuna
from optuna.trial import TrialState

from dlpilot.core.enums import Modality, Task
from dlpilot.core.messages import Msg, msg
from dlpilot.core.records import Decision
from dlpilot.stages._evaluate import Evaluation, TrainingSetup
from dlpilot.stages.tune import (
    SearchSpace,
    Tuning,
    make_objective,
    summarize_study,
    trial_length_message,  # the space's rule, told in the decision
    widen_at_edges,
)
from dlpilot.tuning.loop import (
    WORKER_ATTR,
    TrialOutcome,
    enqueue_slots,
    quiet_optuna,
    run_trials,
    settle,
    worker_id,
)

PRUNER_STARTUP_TRIALS = 3
PRUNER_WARMUP_EPOCHS = 3
TPE_STARTUP_TRIALS = 5


def make_study(
    storage: optuna.storages.BaseStorage | str,
    study_name: str,
    *,
    greater_is_better: bool,
    seed: int,
    load_if_exists: bool = True,
) -> optuna.Study:
    """Create the study (or load it); `optuna.exceptions.DuplicatedStudyError` if it exists
    and ``load_if_exists`` is False."""
    with quiet_optuna():
        return optuna.create_study(
            storage=storage,
            study_name=study_name,
            direction="maximize" if greater_is_better else "minimize",
            sampler=_sampler(seed),
            pruner=_pruner(),
            load_if_exists=load_if_exists,
        )


def load_study(
    storage: optuna.storages.BaseStorage | str, study_name: str, *, seed: int
) -> optuna.Study:
    """An existing study, with the sampler and pruner every process of it uses."""
    with quiet_optuna():
        return optuna.load_study(
            study_name=study_name, storage=storage, sampler=_sampler(seed), pruner=_pruner()
        )


def _sampler(seed: int) -> optuna.samplers.BaseSampler:
    # The constant liar treats running trials (of other processes) as bad results for now, so
    # that concurrent trials are not drawn from the same spot.
    return optuna.samplers.TPESampler(
        seed=seed, n_startup_trials=TPE_STARTUP_TRIALS, constant_liar=True
    )


def _pruner() -> optuna.pruners.BasePruner:
    return optuna.pruners.MedianPruner(
        n_startup_trials=PRUNER_STARTUP_TRIALS, n_warmup_steps=PRUNER_WARMUP_EPOCHS
    )


def tune(
    setup: TrainingSetup,
    space: SearchSpace,
    study: optuna.Study,
    *,
    baseline: Evaluation,
    scaled: Evaluation,
    deadline: float,
    n_trials: int | None,
    history_dir: Path | None,
    worker: str | None = None,
    settle_seconds: float = 0.0,
    on_best: Callable[[int, Evaluation], None] | None = None,
    on_trial: Callable[[optuna.Study, optuna.trial.FrozenTrial], None] | None = None,
    on_idle: Callable[[int, int], None] | None = None,
    on_ready: Callable[[], None] | None = None,
) -> Tuning:
    """Run the study until it holds ``n_trials`` finished trials (complete or pruned), across
    every process that shares it, or until ``deadline`` (a ``time.monotonic()`` instant).

    A new study gets its first trials queued: the baseline, the regularized
    scaled-up network, and with a cap one empty slot per further trial. At the
    deadline, trials other processes still run get up to ``settle_seconds`` to end.
    ``on_ready()`` is called once the queue is in place, before the first trial
    (the run records the study's setup there, which lets workers start).
    """
    decisions: list[Decision] = []
    if history_dir is not None:
        history_dir.mkdir(parents=True, exist_ok=True)
    done_before = _finished(study)
    augment = "crop" if space.modality is Modality.IMAGE else "none"
    known = [
        space.params_for(baseline.model, baseline.train),
        space.params_for(scaled.model, scaled.train, augment=augment, regularize=True),
    ]
    if not study.trials:
        decisions.append(
            Decision(
                what=msg("enqueue the baseline and the scaled-up network with regularization"),
                why=_first_trials_reason(
                    crop=augment != "none", smoothing=space.task is Task.MULTICLASS
                ),
            )
        )
    else:
        decisions.append(
            Decision(
                what=msg("resume the study with {n} finished trial(s)", n=done_before),
                why=msg(
                    "an earlier, interrupted run left them in the storage; they are not repeated"
                ),
            )
        )
    with quiet_optuna():
        enqueue_slots(study, known[: n_trials if n_trials is not None else len(known)], n_trials)
    if on_ready is not None:
        on_ready()
    decisions.append(
        Decision(
            what=msg(
                "TPE sampler, median pruner; trials of up to {max_epochs} epochs with early "
                "stopping (patience {patience}) restoring the best weights",
                max_epochs=space.max_epochs,
                patience=space.patience,
            ),
            why=msg(
                "TPE models good and bad regions of the space from finished trials; the median "
                "pruner stops a trial whose per-epoch validation score trails the median of "
                "earlier trials at the same epoch; {length}",
                length=trial_length_message(len(setup.folds)),
            ),
            numbers={
                "max_epochs": space.max_epochs,
                "patience": space.patience,
                "trial_cap": n_trials,
            },
        )
    )
    objective = make_objective(
        setup, space, deadline=lambda: deadline, history_dir=history_dir, on_best=on_best
    )

    def show(outcome: TrialOutcome) -> None:
        if on_trial is not None and outcome.trial is not None:
            on_trial(study, outcome.trial)
        # The run that leads the study widens its space; every process draws from it.
        widened = widen_at_edges(
            study,
            space,
            setup,
            seconds_left=deadline - time.monotonic(),
            trials_left=None if n_trials is None else n_trials - _finished(study),
        )
        if widened is not None:
            decisions.append(widened)

    with quiet_optuna():
        end = run_trials(
            study,
            objective,
            worker=worker or worker_id(),
            cap=n_trials,
            deadline=deadline,
            on_trial=show,
            on_idle=on_idle,
        )
        if end.reason == "deadline" and settle_seconds > 0:
            settle(study, seconds=settle_seconds)
    helpers = {
        str(t.user_attrs.get(WORKER_ATTR))
        for t in study.get_trials(deepcopy=False)
        if t.state.is_finished() and t.user_attrs.get(WORKER_ATTR)
    } - {worker or worker_id()}
    if helpers:
        decisions.append(
            Decision(
                what=msg("{n} other process(es) ran trials of this study", n=len(helpers)),
                why=msg(
                    "workers share the study through its storage; they rebuild the same data "
                    "and search space from what this run recorded in it"
                ),
                numbers={"workers": sorted(helpers)},
            )
        )
    return summarize_study(
        study, setup, space, baseline=baseline, scaled=scaled, decisions=decisions
    )


def _finished(study: optuna.Study) -> int:
    return len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE, TrialState.PRUNED)))


def _first_trials_reason(*, crop: bool, smoothing: bool) -> Msg:
    """Why the first trials are the baseline and stage 6's network, and what it adds."""
    if crop and smoothing:
        return msg(
            "the first trials start from configurations known to train, rather than random "
            "draws: the baseline, and stage 6's network with dropout 0.2, weight decay "
            "1e-4, a cosine schedule, crop augmentation and label smoothing 0.1"
        )
    if crop:
        return msg(
            "the first trials start from configurations known to train, rather than random "
            "draws: the baseline, and stage 6's network with dropout 0.2, weight decay "
            "1e-4, a cosine schedule, crop augmentation"
        )
    if smoothing:
        return msg(
            "the first trials start from configurations known to train, rather than random "
            "draws: the baseline, and stage 6's network with dropout 0.2, weight decay "
            "1e-4, a cosine schedule and label smoothing 0.1"
        )
    return msg(
        "the first trials start from configurations known to train, rather than random "
        "draws: the baseline, and stage 6's network with dropout 0.2, weight decay "
        "1e-4, a cosine schedule"
    )
