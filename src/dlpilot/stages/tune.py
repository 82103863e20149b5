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

import collections
import json
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import optuna
from optuna.trial import TrialState

from dlpilot.core.enums import FindingCode, MetricName, Severity
from dlpilot.core.messages import Msg, Text, join, msg
from dlpilot.core.metrics import accuracy_error
from dlpilot.core.numbers import beats, finite_or_none, nan_if_none
from dlpilot.core.records import Decision, Finding
from dlpilot.engine import Callback, ModelConfig, TrainConfig
from dlpilot.stages._evaluate import Evaluation, TrainingSetup, scored_samples

# The space's data class and ranges live in _search_space; their names stay importable here.
from dlpilot.stages._search_space import (  # noqa: F401
    AUGMENT_POLICIES,
    DROPOUT_RANGE,
    L1_RANGE,
    LR_RANGE,
    WEIGHT_DECAY_RANGE,
    SearchEdge,
    SearchSpace,
    format_range,
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
# The edge rule (issue 16, check 4) reads the best trial once this many completed: TPE's five
# random draws and two of its own; before that the best is a queued or random configuration
# and where it sits says little about where the optimum is.
EDGE_MIN_TRIALS = 7
# It widens a range only while room for this many more trials (at the median trial's
# length) is left, so the wider range is tried before the deadline.
EDGE_TRIALS_LEFT = 2
# An edge counts when the best trial sits at it and so do at least half of the best quarter
# of trials (at least 3) for a continuous range, all of them for depth and width: on a
# range of three values the best lands on an end two times in three by chance, and half
# of three trials there one time in four; a crowd of the best trials is the sign.
EDGE_TOP_SHARE = 0.25
EDGE_TOP_MIN = 3
# Study user attributes: the space as the edge rule last widened it (every process of the
# study draws from it), and the edges it widened, in order.
SPACE_ATTR = "search_space"
EDGES_ATTR = "search_edges"
# Study user attribute: the validation score's sampling error (check 5, the noise floor),
# measured once, on the first trial that completes; trials within it of the best are ties.
NOISE_ATTR = "val_noise"
# Check 6, the seed spread: the best configuration trained again from this many more seeds
# when that costs at most this share of the run's time left (small data; the Tuning
# Playbook's seed-versus-search variance, Godbole et al. 2023).
SPREAD_SEEDS = 2
SPREAD_SHARE = 0.10
# The new seeds sit this far from the trial's (its folds use seed + fold index).
SPREAD_SEED_STEP = 100


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
    per_epoch = _epoch_seconds(setup, scaled)
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


def _epoch_seconds(setup: TrainingSetup, scaled: Evaluation) -> float:
    """What one epoch over every split costs, from stage 6's network (a step cut short after
    some folds is projected to all of them)."""
    return (
        scaled.seconds
        / max(scaled.epochs_run, 1)
        * len(setup.folds)
        / max(len(scaled.histories), 1)
    )


def spread_reserve(
    setup: TrainingSetup, space: SearchSpace, scaled: Evaluation, *, tuning_seconds: float
) -> float:
    """The seconds stage 7 sets aside from its trials for the seed spread (check 6): twice
    the cost of `SPREAD_SEEDS` full-length trials by stage 6's epoch time, when that is at
    most `SPREAD_SHARE` of ``tuning_seconds``; otherwise none, and the spread is not
    measured. Twice, because a trial costs more than its epochs (building, predicting;
    breast-cancer at 60 s: 2.0 s against 1.2 s estimated) and the last trial overruns the
    deadline by up to an epoch."""
    cost = 2 * SPREAD_SEEDS * space.max_epochs * _epoch_seconds(setup, scaled)
    return cost if cost <= SPREAD_SHARE * tuning_seconds else 0.0


def _trial_length_reason(n_splits: int) -> str:
    """`trial_length_message` as English text."""
    return str(trial_length_message(n_splits))


def trial_length_message(n_splits: int) -> Msg:
    """Why trials run as long as they do (the space's rule, told in the decision)."""
    if n_splits > 1:
        return msg(
            "with K-fold the best trial's fold models are the final model, so trials keep "
            "twice the epochs stage 6's network peaked at, as far as the tuning time allows one, "
            "and fewer trials run rather than shorter ones"
        )
    return msg(
        "trials run twice the epochs stage 6's network peaked at, shortened so that at least "
        "{trials} fit in the tuning time",
        trials=MIN_AFFORDABLE_TRIALS,
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
class SeedSpread:
    """The best configuration's validation score from its own seed and `SPREAD_SEEDS` more,
    set against the gap to the second-best configuration."""

    seeds: tuple[int, ...]
    scores: tuple[float, ...]  # the best trial's first, then the new seeds'
    second_best: float | None  # the second-best completed trial's score
    seconds: float

    @property
    def spread(self) -> float:
        """The scores' standard deviation (n − 1)."""
        return statistics.stdev(self.scores) if len(self.scores) > 1 else math.nan

    @property
    def gap(self) -> float:
        return math.nan if self.second_best is None else abs(self.scores[0] - self.second_best)

    @property
    def coin_flip(self) -> bool:
        """Whether seeds move the score more than the search separated its two best."""
        return math.isfinite(self.gap) and math.isfinite(self.spread) and self.spread >= self.gap

    def to_dict(self) -> dict[str, Any]:
        return {
            "seeds": list(self.seeds),
            "scores": list(self.scores),
            "second_best": self.second_best,
            "seconds": round(self.seconds, 3),
            "spread": finite_or_none(self.spread, digits=None),
            "gap": finite_or_none(self.gap, digits=None),
            "coin_flip": self.coin_flip,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SeedSpread:
        return cls(
            seeds=tuple(int(x) for x in d["seeds"]),
            scores=tuple(float(x) for x in d["scores"]),
            second_best=d.get("second_best"),
            seconds=float(d["seconds"]),
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
    # The validation score's standard error (NaN: not measured), and the completed trials
    # other than the best that score within it of the best: ties, by the noise floor.
    val_noise: float = math.nan
    ties: tuple[int, ...] = ()
    seed_spread: SeedSpread | None = None

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
            "val_noise": finite_or_none(self.val_noise, digits=None),
            "ties": list(self.ties),
            "seed_spread": None if self.seed_spread is None else self.seed_spread.to_dict(),
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
            val_noise=nan_if_none(d.get("val_noise")),
            ties=tuple(int(n) for n in d.get("ties", ())),
            seed_spread=SeedSpread.from_dict(d["seed_spread"]) if d.get("seed_spread") else None,
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
        attrs = trial.study.user_attrs  # one storage read: the widened space, the noise floor
        model, train = _space_in(attrs, space).suggest(trial)
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
                noise=NOISE_ATTR not in attrs,
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
        if math.isfinite(evaluation.val_noise) and NOISE_ATTR not in attrs:
            trial.study.set_user_attr(NOISE_ATTR, evaluation.val_noise)
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


def current_space(study: optuna.Study, start: SearchSpace) -> SearchSpace:
    """The space trials draw from now: ``start``, or what the edge rule widened it to."""
    return _space_in(study.user_attrs, start)


def _space_in(attrs: dict[str, Any], start: SearchSpace) -> SearchSpace:
    saved = attrs.get(SPACE_ATTR)
    return SearchSpace.from_dict(saved) if saved else start


def _complete(study: optuna.Study) -> list[optuna.trial.FrozenTrial]:
    return [
        t
        for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
        if t.value is not None and math.isfinite(t.value)
    ]


def widen_at_edges(
    study: optuna.Study,
    start: SearchSpace,
    setup: TrainingSetup,
    *,
    seconds_left: float,
    trials_left: int | None,
) -> Decision | None:
    """The edge rule: when the best trial so far sits in the outer tenth of the learning
    rate's, weight decay's, depth's or width's range, grow that range past that end, in the
    same study (TPE keeps what it learnt: the old draws lie inside the new range).

    Each end widens once, and only while `EDGE_TRIALS_LEFT` more trials fit in
    ``seconds_left`` (and in ``trials_left`` under a cap). Returns the decision, or None.
    """
    complete = _complete(study)
    if len(complete) < EDGE_MIN_TRIALS:
        return None
    if trials_left is not None and trials_left < EDGE_TRIALS_LEFT:
        return None
    lengths = [float(t.user_attrs["seconds"]) for t in complete if t.user_attrs.get("seconds")]
    if lengths and seconds_left < EDGE_TRIALS_LEFT * statistics.median(lengths):
        return None
    best = _best_trial(complete, setup)
    space = current_space(study, start)
    done = study.user_attrs.get(EDGES_ATTR, [])
    widened = {(e["param"], e["side"]) for e in done}
    edges = tuple(
        e
        for e in crowded_edges(space, complete, setup)
        if e.can_widen and (e.param, e.side) not in widened
    )
    if not edges:
        return None
    wider = space.widen(edges)
    study.set_user_attr(SPACE_ATTR, wider.to_dict())
    study.set_user_attr(
        EDGES_ATTR,
        [*done, *({**e.to_dict(), "trial": best.number, "after": len(complete)} for e in edges)],
    )
    grown = join(
        (msg("{param} to {range}", param=e.param, range=format_range(e.widened)) for e in edges),
        "; ",
    )
    return Decision(
        what=msg("widen the search: {grown}", grown=grown),
        why=msg(
            "the best of {n} completed trials (#{trial}, val {metric} {score:.4f}) has "
            "{edges}: the optimum may lie beyond, so the trials left draw from the wider range",
            n=len(complete),
            trial=best.number,
            metric=setup.scoring.primary,
            score=best.value,
            edges=join((e.message() for e in edges), ", "),
        ),
        numbers={"trial": best.number, "edges": [e.to_dict() for e in edges]},
    )


def crowded_edges(
    space: SearchSpace, complete: list[optuna.trial.FrozenTrial], setup: TrainingSetup
) -> tuple[SearchEdge, ...]:
    """The best trial's edges that enough of the best trials share (`EDGE_TOP_SHARE`)."""
    # `_best_trial`'s order: the better score first, of tied ones the lowest-numbered.
    sign = -1.0 if setup.scoring.greater_is_better else 1.0
    ranked = sorted(complete, key=lambda t: (sign * float(t.value), t.number))
    top = ranked[: max(EDGE_TOP_MIN, math.ceil(len(ranked) * EDGE_TOP_SHARE))]
    shared = collections.Counter((e.param, e.side) for t in top for e in space.edges(t.params))
    needed = {"lr": (len(top) + 1) // 2, "weight_decay": (len(top) + 1) // 2}
    return tuple(
        e
        for e in space.edges(ranked[0].params)
        if shared[(e.param, e.side)] >= needed.get(e.param, len(top))
    )


def edge_findings(
    study: optuna.Study,
    start: SearchSpace,
    best: optuna.trial.FrozenTrial | None,
    setup: TrainingSetup,
) -> tuple[Finding, ...]:
    """`best_at_search_edge` findings: one for each range the rule widened, and one for each
    edge the final best still sits at (not widened for lack of time, at a range's limit, or
    at the edge again after widening)."""
    findings = []
    complete = _complete(study)
    done = study.user_attrs.get(EDGES_ATTR, [])
    for e in done:
        edge = SearchEdge.from_dict(e)
        later = sum(1 for t in complete if t.number > int(e["trial"]))
        findings.append(
            Finding(
                code=FindingCode.BEST_AT_SEARCH_EDGE,
                severity=Severity.INFO,
                stage=STAGE,
                evidence=msg(
                    "after {after} trials the best (#{trial}) had {edge}",
                    after=e["after"],
                    trial=e["trial"],
                    edge=edge.message(),
                ),
                action=msg(
                    "widened to {range} in the same study; {later} later trial(s) completed",
                    range=format_range(edge.widened),
                    later=later,
                ),
            )
        )
    if best is None or len(complete) < EDGE_MIN_TRIALS:
        return tuple(findings)
    widened = {(e["param"], e["side"]) for e in done}
    for edge in crowded_edges(current_space(study, start), complete, setup):
        if (edge.param, edge.side) in widened:
            action = msg(
                "it sits at the edge even after the range was widened: the optimum may lie "
                "beyond it; a longer --budget gives the search more room"
            )
        elif edge.can_widen:
            action = msg(
                "too little time was left to widen the range and try it; a longer --budget "
                "lets the search look beyond"
            )
        else:
            action = msg(
                "the range is at its limit ({range}) and is not widened further",
                range=format_range(edge.bounds),
            )
        findings.append(
            Finding(
                code=FindingCode.BEST_AT_SEARCH_EDGE,
                severity=Severity.WARNING,
                stage=STAGE,
                evidence=msg(
                    "the best trial (#{trial}) has {edge}",
                    trial=best.number,
                    edge=edge.message(),
                ),
                action=action,
            )
        )
    return tuple(findings)


def summarize_study(
    study: optuna.Study,
    setup: TrainingSetup,
    space: SearchSpace,
    *,
    baseline: Evaluation,
    scaled: Evaluation,
    decisions: list[Decision],
) -> Tuning:
    start, space = space, current_space(study, space)
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
    complete = _complete(study)
    best = _best_trial(complete, setup) if complete else None
    noise = noise_floor(study, setup, best)
    ties: tuple[int, ...] = ()
    if best is not None:
        model = ModelConfig.from_dict(best.user_attrs["model"])
        train = TrainConfig.from_dict(best.user_attrs["train"])
        ties = tied_with(best, complete, noise)
        decisions.append(
            Decision(
                what=msg(
                    "best trial #{trial}: val {metric} {score:.4f}, tied with {ties} other "
                    "trial(s) within the noise",
                    trial=best.number,
                    metric=setup.scoring.primary,
                    score=best.value,
                    ties=len(ties),
                )
                if ties
                else msg(
                    "best trial #{trial}: val {metric} {score:.4f}",
                    trial=best.number,
                    metric=setup.scoring.primary,
                    score=best.value,
                ),
                why=_best_why(
                    len(complete),
                    noise,
                    ties,
                    scored_samples(setup.folds),
                    json.dumps(best.params, default=str),
                ),
                numbers={
                    "trial": best.number,
                    "value": best.value,
                    "completed": len(complete),
                    "edge_min_trials": EDGE_MIN_TRIALS,
                    "val_noise": finite_or_none(noise, digits=None),
                    "ties": list(ties),
                },
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
                what=msg("no tuning trial completed; keep {name}", name=fallback.name),
                why=msg(
                    "the tuning budget ran out (or every trial was pruned or failed) before a "
                    "trial finished, so the best network from stages 5–6 goes to the final stage"
                ),
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
        findings=edge_findings(study, start, best, setup),
        val_noise=noise,
        ties=ties,
    )


def noise_floor(
    study: optuna.Study, setup: TrainingSetup, best: optuna.trial.FrozenTrial | None
) -> float:
    """The validation score's standard error: for accuracy, binomial at the best trial's
    accuracy over the samples the score rests on; otherwise what the first completed
    trial's bootstrap measured (`NOISE_ATTR`). NaN when neither is known."""
    if setup.scoring.primary is MetricName.ACCURACY and best is not None:
        return accuracy_error(float(best.value), scored_samples(setup.folds))
    measured = study.user_attrs.get(NOISE_ATTR)
    return float(measured) if measured is not None else math.nan


def tied_with(
    best: optuna.trial.FrozenTrial, complete: list[optuna.trial.FrozenTrial], noise: float
) -> tuple[int, ...]:
    """The other completed trials whose score is within one standard error of the best's."""
    if not math.isfinite(noise):
        return ()
    return tuple(
        sorted(
            t.number
            for t in complete
            if t.number != best.number and abs(float(t.value) - float(best.value)) <= noise
        )
    )


def _best_why(completed: int, noise: float, ties: tuple[int, ...], n_val: int, params: str) -> Msg:
    """Why the best trial is the best: its score among the completed, the noise floor (when
    measured) and the trials tied with it, and its parameters."""
    values: dict[str, Any] = {"completed": completed, "params": params}
    if not math.isfinite(noise):
        return msg(
            "the best validation score of {completed} completed trial(s); {params}", **values
        )
    values.update(noise=noise, n=n_val)
    if not ties:
        return msg(
            "the best validation score of {completed} completed trial(s); the validation "
            "score's standard error is {noise:.4f} ({n:,} samples), and no other trial is "
            "within it; {params}",
            **values,
        )
    shown = ", ".join(f"#{n}" for n in ties[:8]) + (" …" if len(ties) > 8 else "")
    return msg(
        "the best validation score of {completed} completed trial(s); the validation "
        "score's standard error is {noise:.4f} ({n:,} samples): trials {shown} score within "
        "it, so the best is one of {tied} tied configurations and the order among them is "
        "noise; {params}",
        **values,
        shown=shown,
        tied=len(ties) + 1,
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


def seed_spread(setup: TrainingSetup, tuning: Tuning, *, seconds: float) -> Tuning:
    """Check 6: train the best configuration from `SPREAD_SEEDS` more seeds when that fits in
    ``seconds`` (what `spread_reserve` set aside, and whatever the trials left), and say
    whether the seeds move its validation score more than the search separated its two
    best configurations (a coin flip).

    The choice itself is not changed: the spread is evidence, for the report.
    """
    complete = sorted(
        (t for t in tuning.trials if t.state == "COMPLETE" and t.value is not None),
        key=lambda t: t.value,
        reverse=setup.scoring.greater_is_better,
    )
    best = next((t for t in complete if t.number == tuning.best_number), None)
    if best is None or best.seconds is None:
        return tuning
    cost = SPREAD_SEEDS * float(best.seconds)
    if cost > seconds:
        decision = Decision(
            what=msg("seed spread of the best configuration: not measured"),
            why=msg(
                "{seeds} more trainings would take about {cost:.1f} s, and "
                "{left:.1f} s are left for them (they may take "
                "{share:.0%} of the tuning time)",
                seeds=SPREAD_SEEDS,
                cost=cost,
                left=max(seconds, 0),
                share=SPREAD_SHARE,
            ),
        )
        return replace(tuning, decisions=(*tuning.decisions, decision))
    started = time.monotonic()
    seeds, scores = [tuning.best_train.seed], [float(best.value)]
    for k in range(1, SPREAD_SEEDS + 1):
        seed = tuning.best_train.seed + SPREAD_SEED_STEP * k
        again = setup.evaluate(
            f"spread_{k}",
            tuning.best_model,
            replace(tuning.best_train, seed=seed),
            deadline=time.monotonic() + 3 * float(best.seconds) + 1,
            stage=STAGE,
        )
        if again.diverged or again.stopped_by_time or not math.isfinite(again.val_score):
            continue
        seeds.append(seed)
        scores.append(float(again.val_score))
    second = next((float(t.value) for t in complete if t.number != best.number), None)
    spread = SeedSpread(
        seeds=tuple(seeds),
        scores=tuple(scores),
        second_best=second,
        seconds=time.monotonic() - started,
    )
    return replace(
        tuning, seed_spread=spread, decisions=(*tuning.decisions, _spread_decision(spread, setup))
    )


def _spread_decision(spread: SeedSpread, setup: TrainingSetup) -> Decision:
    primary = setup.scoring.primary
    shown = ", ".join(f"{v:.4f}" for v in spread.scores)
    values = {"metric": primary, "seeds": str(list(spread.seeds)), "shown": shown}
    what: Text
    why: Text
    if len(spread.scores) < 2:
        what = msg("seed spread: not measured")
        why = msg("the extra seeds did not finish in their time")
    elif spread.coin_flip:
        what = msg(
            "the best configuration is a coin flip: its seeds spread by {spread:.4f}, "
            "more than the {gap:.4f} between the two best trials",
            spread=spread.spread,
            gap=spread.gap,
        )
        why = msg(
            "val {metric} from seeds {seeds}: {shown}; seeds move the score "
            "more than the search separated its two best configurations, so which of them "
            "won is chance (the choice stands: any of them is as good)",
            **values,
        )
    elif math.isfinite(spread.gap):
        what = msg(
            "seed spread of the best configuration: {spread:.4f}, under the {gap:.4f} to the "
            "second-best trial",
            spread=spread.spread,
            gap=spread.gap,
        )
        why = msg(
            "val {metric} from seeds {seeds}: {shown}; the search's choice is "
            "larger than what a seed changes",
            **values,
        )
    else:
        what = msg("seed spread of the best configuration: {spread:.4f}", spread=spread.spread)
        why = msg("val {metric} from seeds {seeds}: {shown}", **values)
    return Decision(what=what, why=why, numbers=spread.to_dict())
