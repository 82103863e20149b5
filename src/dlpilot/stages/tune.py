"""Stage 7 — regularize and tune, on validation data only: the search space and the objective.

The space holds the regularizers (dropout, L2 weight decay, L1, batch norm,
augmentation for images), the optimizer, its learning rate and schedule, the
batch size, and depth and width around the capacity that overfit in stage 6.
Every trial early-stops with its best weights restored. The study these
trials run in, its sampler and pruner, and the loop every process of a shared
study runs live one layer up, in `dlpilot.tuning`; this module imports none of
it. The space's plain-data class (`SearchSpace`) is in `_search_space.py`; this module sizes
it (`search_space`) and re-exports it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import optuna
from optuna.trial import TrialState

from dlpilot.core.numbers import beats, finite_or_none, nan_if_none
from dlpilot.core.records import Decision, Finding
from dlpilot.engine import Callback, ModelConfig, TrainConfig
from dlpilot.stages._evaluate import Evaluation, TrainingSetup

# The space's data class and ranges live in _search_space; their names stay importable here.
from dlpilot.stages._search_space import (  # noqa: F401
    AUGMENT_POLICIES,
    DROPOUT_RANGE,
    L1_RANGE,
    LR_RANGE,
    WEIGHT_DECAY_RANGE,
    SearchSpace,
)

STAGE = "tune"

# Trials run at most this many times the epochs at which stage 6's chosen network peaked.
EPOCHS_OVER_BEST = 2.0
MIN_TRIAL_EPOCHS = 5
# Trials are kept short enough that at least this many fit in the tuning time.
MIN_AFFORDABLE_TRIALS = 8
# With K-fold the final model is the best trial's fold models, so trials cut short ship an
# undertrained ensemble. There, trials keep their full length as long as this many fit, and
# fewer trials run. MNIST-1D, 2 min, 3 seeds on one day (benchmarks/RESULTS.md): keeping 3
# trials' room gave 7-epoch trials and 0.974 median test accuracy; keeping 1 gave 21-epoch
# trials (3 ran, early stopping and pruning freeing time) and 0.979.
MIN_FULL_LENGTH_KFOLD_TRIALS = 1


def search_space(
    setup: TrainingSetup,
    baseline: Evaluation,
    scaled: Evaluation,
    *,
    seconds: float,
    scarce: bool = False,
) -> SearchSpace:
    """The space around stage 6's network, with trials short enough for ``seconds``.

    Trials may run up to twice the epochs at which stage 6's network peaked,
    but no longer than lets at least `MIN_AFFORDABLE_TRIALS` of them finish in
    the time tuning has (`MIN_FULL_LENGTH_KFOLD_TRIALS` with K-fold, whose
    trials' fold models become the final model: there fewer, full-length trials
    run rather than more, shorter ones). With ``scarce`` data (iterated K-fold) the peak
    epoch on ~10 validation samples times nothing (accuracy ties at 1.0 from the first
    epochs that reach it), so trials run at least as long as stage 6's network did.
    """
    best_epoch = max(scaled.best_epoch, 1)
    wanted = int(max(MIN_TRIAL_EPOCHS, math.ceil(best_epoch * EPOCHS_OVER_BEST)))
    if scarce:
        wanted = max(wanted, scaled.epochs_run)
    per_epoch = (
        scaled.seconds
        / max(scaled.epochs_run, 1)
        * len(setup.folds)
        / max(len(scaled.histories), 1)
    )
    trials = MIN_FULL_LENGTH_KFOLD_TRIALS if len(setup.folds) > 1 else MIN_AFFORDABLE_TRIALS
    affordable = int(seconds / (trials * max(per_epoch, 1e-6)))
    max_epochs = max(MIN_TRIAL_EPOCHS, min(wanted, affordable))
    return SearchSpace(
        around=scaled.model,
        base=replace(scaled.train, early_stopping_patience=None),
        baseline_depth=baseline.model.depth,
        baseline_width=baseline.model.width,
        modality=setup.spec.modality,
        task=setup.spec.task,
        n_train=setup.n_train,
        max_epochs=max_epochs,
        patience=max(3, max_epochs // 6),
    )


def _trial_length_reason(n_splits: int) -> str:
    if n_splits > 1:
        return (
            "with K-fold the best trial's fold models are the final model, so trials keep "
            "twice the epochs stage 6's network peaked at, as far as the tuning time allows one, "
            "and fewer trials run rather than shorter ones"
        )
    return (
        "trials run twice the epochs stage 6's network peaked at, shortened so that at least "
        f"{MIN_AFFORDABLE_TRIALS} fit in the tuning time"
    )


@dataclass(frozen=True)
class TrialRow:
    number: int
    state: str
    value: float | None
    params: dict[str, Any]
    seconds: float | None
    best_epoch: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "state": self.state,
            "value": self.value,
            "params": self.params,
            "seconds": self.seconds,
            "best_epoch": self.best_epoch,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrialRow:
        return cls(
            number=int(d["number"]),
            state=str(d["state"]),
            value=d["value"],
            params=dict(d["params"]),
            seconds=d["seconds"],
            best_epoch=d["best_epoch"],
        )


@dataclass(frozen=True)
class Tuning:
    """Stage 7's result."""

    best_number: int | None
    best_model: ModelConfig
    best_train: TrainConfig
    best_value: float
    best_epoch: int
    best_val_scores: dict[str, float]
    trials: tuple[TrialRow, ...]
    importances: dict[str, float]
    space: SearchSpace
    decisions: tuple[Decision, ...]
    findings: tuple[Finding, ...]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for t in self.trials:
            out[t.state] = out.get(t.state, 0) + 1
        return out

    def best_so_far(self, greater_is_better: bool) -> list[tuple[int, float]]:
        """(trial number, best value so far) over completed trials, for the report."""
        curve, best = [], None
        for t in sorted(self.trials, key=lambda t: t.number):
            if t.state != "COMPLETE" or t.value is None:
                continue
            if best is None or beats(t.value, best, greater_is_better=greater_is_better):
                best = t.value
            curve.append((t.number, best))
        return curve

    def to_dict(self) -> dict[str, Any]:
        return {
            "trials": [t.to_dict() for t in self.trials],
            "importances": self.importances,
            "best_number": self.best_number,
            "best_value": finite_or_none(self.best_value, digits=None),
            "best_epoch": self.best_epoch,
            "best_val_scores": self.best_val_scores,
            "best_model": self.best_model.to_dict(),
            "best_train": self.best_train.to_dict(),
            "space": self.space.to_dict(),
            "decisions": [d.to_dict() for d in self.decisions],
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Tuning:
        return cls(
            best_number=d["best_number"],
            best_model=ModelConfig.from_dict(d["best_model"]),
            best_train=TrainConfig.from_dict(d["best_train"]),
            best_value=nan_if_none(d["best_value"]),
            best_epoch=int(d["best_epoch"]),
            best_val_scores=dict(d["best_val_scores"]),
            trials=tuple(TrialRow.from_dict(t) for t in d["trials"]),
            importances=dict(d["importances"]),
            space=SearchSpace.from_dict(d["space"]),
            decisions=tuple(Decision.from_dict(x) for x in d["decisions"]),
            findings=tuple(Finding.from_dict(x) for x in d["findings"]),
        )


class PruningCallback(Callback):
    """Reports the validation metric after each epoch; raises TrialPruned when told to."""

    def __init__(self, trial: optuna.Trial, key: str) -> None:
        self.trial = trial
        self.key = key

    def on_epoch_end(self, epoch: int, logs: Any) -> None:
        value = logs.get(self.key)
        if value is None or not math.isfinite(value):
            return
        self.trial.report(float(value), step=epoch)
        if self.trial.should_prune():
            raise optuna.TrialPruned(f"pruned at epoch {epoch} ({self.key}={value:.4f})")


def make_objective(
    setup: TrainingSetup,
    space: SearchSpace,
    *,
    deadline: Callable[[], float],
    history_dir: Path | None,
    on_best: Callable[[int, Evaluation], None] | None = None,
) -> Callable[[optuna.Trial], float]:
    """The function each trial runs: draw a configuration, train it, return its val score.

    The trial's history (first split) is kept as its user attribute ``history``,
    so the run directory gets every trial's curves, whichever process ran it; it
    is also written to ``history_dir`` when one is given.
    """
    key = f"val_{setup.scoring.primary}"
    holdout = len(setup.folds) == 1

    def objective(trial: optuna.Trial) -> float:
        model, train = space.suggest(trial)
        trial.set_user_attr("model", model.to_dict())
        trial.set_user_attr("train", train.to_dict())

        def on_fold_end(fold: int, value: float) -> None:
            if not holdout and math.isfinite(value):
                trial.report(value, step=fold)
                if trial.should_prune():
                    raise optuna.TrialPruned(f"pruned after fold {fold + 1}")

        try:
            evaluation = setup.evaluate(
                f"trial_{trial.number:04d}",
                model,
                train,
                deadline=deadline(),
                stage=STAGE,
                callbacks=(lambda _fold: [PruningCallback(trial, key)]) if holdout else None,
                on_fold_end=on_fold_end,
                keep_models=True,
            )
        except (ValueError, RuntimeError) as exc:
            # Kept with the trial, so the terminal and the report can say why it failed.
            trial.set_user_attr(
                "error", f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:300]
            )
            raise
        trial.set_user_attr("history", evaluation.history.to_dict())
        if history_dir is not None:
            evaluation.history.to_csv(history_dir / f"trial_{trial.number:04d}.csv")
        if len(evaluation.histories) < len(setup.folds) and not evaluation.diverged:
            # A score from fewer folds than the others is not comparable with theirs.
            raise optuna.TrialPruned(
                f"the budget ran out after {len(evaluation.histories)} of {len(setup.folds)} folds"
            )
        trial.set_user_attr("best_epoch", evaluation.best_epoch)
        trial.set_user_attr("epochs_run", evaluation.epochs_run)
        trial.set_user_attr("seconds", round(evaluation.seconds, 3))
        trial.set_user_attr(
            "val_scores", {k: v for k, v in evaluation.val_scores.items() if math.isfinite(v)}
        )
        trial.set_user_attr("train_score", finite_or_none(evaluation.train_score, digits=None))
        if evaluation.diverged:
            trial.set_user_attr("diverged", True)
            return math.nan
        if on_best is not None and _is_best(trial, evaluation.val_score, setup):
            on_best(trial.number, evaluation)
        return evaluation.val_score

    return objective


def _ranks_above(
    value: float, number: int, other: optuna.trial.FrozenTrial, setup: TrainingSetup
) -> bool:
    """Trial order: the better score first, of tied ones the lowest-numbered (storages break
    ties differently, and the checkpoint the run keeps must be the best trial's)."""
    return setup.scoring.better(value, other.value) or (
        value == other.value and number < other.number
    )


def _is_best(trial: optuna.Trial, value: float, setup: TrainingSetup) -> bool:
    """Whether ``trial``, scoring ``value``, will be `_best_trial`."""
    done = trial.study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    return all(_ranks_above(value, trial.number, t, setup) for t in done)


def _best_trial(
    complete: list[optuna.trial.FrozenTrial], setup: TrainingSetup
) -> optuna.trial.FrozenTrial:
    best = complete[0]
    for t in complete[1:]:
        if _ranks_above(t.value, t.number, best, setup):
            best = t
    return best


def summarize_study(
    study: optuna.Study,
    setup: TrainingSetup,
    space: SearchSpace,
    *,
    baseline: Evaluation,
    scaled: Evaluation,
    decisions: list[Decision],
) -> Tuning:
    rows = tuple(
        TrialRow(
            number=t.number,
            state=t.state.name,
            value=finite_or_none(t.value, digits=None),
            params=dict(t.params),
            seconds=t.user_attrs.get("seconds"),
            best_epoch=t.user_attrs.get("best_epoch"),
        )
        for t in study.get_trials(deepcopy=False)
        if t.state is not TrialState.WAITING  # a slot the budget left unused
    )
    complete = [
        t
        for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
        if t.value is not None and math.isfinite(t.value)
    ]
    if complete:
        best = _best_trial(complete, setup)
        model = ModelConfig.from_dict(best.user_attrs["model"])
        train = TrainConfig.from_dict(best.user_attrs["train"])
        decisions.append(
            Decision(
                what=f"best trial #{best.number}: val {setup.scoring.primary} {best.value:.4f}",
                why=f"the best validation score of {len(complete)} completed trial(s); "
                f"{json.dumps(best.params, default=str)}",
                numbers={"trial": best.number, "value": best.value},
            )
        )
        best_number, best_value = best.number, float(best.value)
        best_epoch = int(best.user_attrs.get("best_epoch") or train.epochs)
        val_scores = dict(best.user_attrs.get("val_scores", {}))
    else:
        fallback = (
            scaled if setup.scoring.better(scaled.val_score, baseline.val_score) else baseline
        )
        model, train = fallback.model, fallback.train
        best_number, best_value, best_epoch = None, fallback.val_score, fallback.best_epoch
        val_scores = dict(fallback.val_scores)
        decisions.append(
            Decision(
                what=f"no tuning trial completed; keep {fallback.name}",
                why="the tuning budget ran out (or every trial was pruned or failed) before a trial "
                "finished, so the best network from stages 5–6 goes to the final stage",
            )
        )
    return Tuning(
        best_number=best_number,
        best_model=model,
        best_train=train,
        best_value=best_value,
        best_epoch=best_epoch,
        best_val_scores=val_scores,
        trials=rows,
        importances=_importances(study),
        space=space,
        decisions=tuple(decisions),
        findings=(),
    )


def _importances(study: optuna.Study) -> dict[str, float]:
    complete = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    if len(complete) < 3:
        return {}
    try:
        raw = optuna.importance.get_param_importances(study)
    except (RuntimeError, ValueError, ZeroDivisionError):
        return {}
    return {k: round(float(v), 4) for k, v in raw.items()}
