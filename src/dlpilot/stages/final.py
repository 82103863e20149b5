"""Stage 8 — the final model, and the one look at the test set.

With a hold-out protocol the chosen configuration is retrained on training
plus validation data, for the epochs its trial needed (or what the remaining
budget affords); with K-fold the fold models of the best trial are kept as an
ensemble, since each already saw most of the data and averaging them lowers
variance. Then the sealed test set is opened, once, with the key the workflow
received after tuning, and the test score is set against validation and both
baselines.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch
from torch import nn

from dlpilot.core.enums import FindingCode, ProtocolKind, Severity
from dlpilot.core.history import History
from dlpilot.core.messages import EnglishReason, Msg, Text, join, msg
from dlpilot.core.metrics import evaluation_details
from dlpilot.core.numbers import finite_or_none, nan_if_none
from dlpilot.core.records import Decision, Finding, ProblemSpec
from dlpilot.core.rundir import TEST_PREDICTIONS_FILE
from dlpilot.core.sealed import FinalStageKey, SealedTestSet
from dlpilot.core.targets import encode_target
from dlpilot.diagnose import diagnose_mismatch
from dlpilot.engine import (
    Callback,
    ModelConfig,
    Precision,
    ScheduleName,
    TensorData,
    TimeLimit,
    TrainConfig,
    fit,
    predict_scores,
)
from dlpilot.stages._evaluate import Scoring, evidence_of, new_network
from dlpilot.stages._ship import ShipChoice, Shipped

STAGE = "final"

MIN_FINAL_EPOCHS = 1
MAX_FINAL_EPOCHS = 100
# Iterated K-fold means very scarce data (under 300 samples): one model trained on all of it
# beat the ensemble of its 5 fold models, each on 80%, on ArrowHead (36 series, FCN, 300
# epochs: test 0.834 against 0.777) at a fifth of the cost (benchmarks/RESULTS.md,
# 2026-12-01). Early stopping on folds of ~10 validation samples says little about how long
# to train, so that retraining runs at least the 300 epochs that reached the published FCN
# accuracy there, under a cosine schedule.
SCARCE_DATA_MIN_FINAL_EPOCHS = 300
# Schedules that already decay the LR to the end; others are replaced by cosine annealing.
DECAYING_SCHEDULES = (
    ScheduleName.STEP,
    ScheduleName.MULTISTEP,
    ScheduleName.EXPONENTIAL,
    ScheduleName.COSINE,
    ScheduleName.ONECYCLE,
)


class Approach:
    RETRAIN = "retrain_on_train_and_val"
    ENSEMBLE = "fold_ensemble"
    BEST_TRIAL = "best_trial_model"
    LINEAR = "linear_baseline_on_train_and_val"
    MINIROCKET = "minirocket_on_train_and_val"


@dataclass(frozen=True)
class FinalPlan(EnglishReason):
    """How the final model is made; ``reason`` is kept as English text, and when given as a
    message, the message in ``message`` (`why`), for the decision in the reader's language."""

    approach: str
    epochs: int
    reason: Text
    message: Text | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Member:
    """One trained network and the preparation its inputs need."""

    preparer: Any
    model: nn.Module


@dataclass(frozen=True)
class FinalResult:
    approach: str
    model_config: ModelConfig
    train_config: TrainConfig
    val_scores: dict[str, float]
    test_scores: dict[str, float]
    gap: dict[str, float]
    details: dict[str, Any]
    test_opened: int
    n_test: int
    history: History | None
    decisions: tuple[Decision, ...]
    findings: tuple[Finding, ...]
    choice: ShipChoice | None = None
    # A test set without labels: no scores; the final model's scores on it, which the
    # workflow writes as test_predictions.csv (not kept in the summary).
    test_labelled: bool = True
    test_predictions: np.ndarray | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "approach": self.approach,
            "choice": self.choice.to_dict() if self.choice is not None else None,
            "config": {"model": self.model_config.to_dict(), "train": self.train_config.to_dict()},
            "val": _clean(self.val_scores),
            "test": _clean(self.test_scores),
            "gap": _clean(self.gap),
            "n_test": self.n_test,
            "test_set_opened": self.test_opened,
            "test_labelled": self.test_labelled,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FinalResult:
        """The summary's ``final`` block back; the test-set details (``evaluation.json``), the
        retraining's history and the stage record are kept elsewhere."""
        return cls(
            approach=str(d["approach"]),
            model_config=ModelConfig.from_dict(d["config"]["model"]),
            train_config=TrainConfig.from_dict(d["config"]["train"]),
            val_scores=_nans(d["val"]),
            test_scores=_nans(d["test"]),
            gap=_nans(d["gap"]),
            details={},
            test_opened=int(d["test_set_opened"]),
            n_test=int(d["n_test"]),
            history=None,
            decisions=(),
            findings=(),
            choice=ShipChoice.from_dict(d["choice"]) if d.get("choice") else None,
            test_labelled=bool(d.get("test_labelled", True)),
        )


def _clean(d: dict[str, float]) -> dict[str, float | None]:
    return {k: finite_or_none(v) for k, v in d.items()}


def _nans(d: dict[str, float | None]) -> dict[str, float]:
    return {k: nan_if_none(v) for k, v in d.items()}


def plan_final(
    protocol: ProtocolKind,
    *,
    fold_models_available: bool,
    trial_model_available: bool,
    best_epoch: int,
    n_dev: int,
    seconds_left: float,
    seconds_per_sample_epoch: float,
    explored_on_subset: bool,
) -> FinalPlan:
    """Choose how to make the final model, by the protocol and the time left.

    Every budget ends with a usable model: when no time is left and no model of
    the chosen configuration was kept, it is retrained for one epoch anyway,
    and the plan says the budget will be exceeded.
    """
    if protocol is ProtocolKind.KFOLD and fold_models_available:
        return FinalPlan(
            Approach.ENSEMBLE,
            0,
            msg(
                "{protocol} protocol: the best trial's fold models each trained on most of the "
                "data; averaging their predictions lowers variance and costs no extra training",
                protocol=protocol,
            ),
        )
    per_epoch = seconds_per_sample_epoch * n_dev
    usable = seconds_left
    scarce = protocol is ProtocolKind.ITERATED_KFOLD
    floor = SCARCE_DATA_MIN_FINAL_EPOCHS if scarce else MIN_FINAL_EPOCHS
    wanted = max(floor, best_epoch)
    affordable = int(usable // per_epoch) if per_epoch > 0 else wanted
    if affordable < MIN_FINAL_EPOCHS:
        if trial_model_available:
            return FinalPlan(
                Approach.BEST_TRIAL,
                0,
                msg(
                    "one epoch on all {n:,} development samples would take about "
                    "{per_epoch:.0f}s and {left:.0f}s are left, so the best trial's "
                    "model (trained on the training split) is kept",
                    n=n_dev,
                    per_epoch=per_epoch,
                    left=max(usable, 0),
                ),
            )
        return FinalPlan(
            Approach.RETRAIN,
            MIN_FINAL_EPOCHS,
            msg(
                "no trained model of the chosen configuration was kept and {left:.0f}s "
                "are left, so it is retrained on all {n:,} development samples for one "
                "epoch (about {per_epoch:.0f}s): a usable model is worth overrunning the budget",
                left=max(usable, 0),
                n=n_dev,
                per_epoch=per_epoch,
            ),
        )
    why: Msg
    if explored_on_subset:
        epochs = min(affordable, MAX_FINAL_EPOCHS)
        why = msg(
            "hold-out protocol: retrain on training + validation data ({n:,} samples); "
            "exploration ran on a subset, whose best epoch ({best_epoch}) says little about "
            "all the data, so the final training takes the {epochs} epoch(s) that the "
            "{left:.0f}s left afford (about {per_epoch:.0f}s each)",
            n=n_dev,
            best_epoch=best_epoch,
            epochs=epochs,
            left=usable,
            per_epoch=per_epoch,
        )
    elif scarce:
        epochs = min(wanted, affordable)
        values = {
            "protocol": protocol,
            "n": n_dev,
            "epochs": epochs,
            "best_epoch": best_epoch,
            "floor": SCARCE_DATA_MIN_FINAL_EPOCHS,
        }
        why = (
            msg(
                "{protocol} protocol on {n:,} development samples: one model retrained on "
                "all of them beats averaging fold models that each saw 80% (measured on "
                "ArrowHead: 0.834 against 0.777), so it trains for {epochs} epoch(s): the "
                "chosen configuration peaked at epoch {best_epoch}, and folds this small "
                "cannot time early stopping, so at least {floor}, cut to {epochs} by the time "
                "left",
                **values,
            )
            if epochs < wanted
            else msg(
                "{protocol} protocol on {n:,} development samples: one model retrained on "
                "all of them beats averaging fold models that each saw 80% (measured on "
                "ArrowHead: 0.834 against 0.777), so it trains for {epochs} epoch(s): the "
                "chosen configuration peaked at epoch {best_epoch}, and folds this small "
                "cannot time early stopping, so at least {floor}",
                **values,
            )
        )
    else:
        epochs = min(wanted, affordable)
        values = {
            "protocol": msg("hold-out") if protocol is ProtocolKind.HOLDOUT else str(protocol),
            "n": n_dev,
            "best_epoch": best_epoch,
            "epochs": epochs,
        }
        why = (
            msg(
                "{protocol} protocol: retrain on training + validation data ({n:,} samples) "
                "for the {best_epoch} epoch(s) the chosen configuration needed, cut to "
                "{epochs} by the time left",
                **values,
            )
            if epochs < wanted
            else msg(
                "{protocol} protocol: retrain on training + validation data ({n:,} samples) "
                "for the {best_epoch} epoch(s) the chosen configuration needed",
                **values,
            )
        )
    return FinalPlan(Approach.RETRAIN, epochs, why)


@dataclass(frozen=True)
class Candidate:
    """A network configuration the run validated, as stage 8 may retrain it."""

    name: str
    val_score: float
    val_scores: dict[str, float]
    model_config: ModelConfig
    train_config: TrainConfig
    epochs: int
    splits: int


def pick_scarce_candidate(
    candidates: Sequence[Candidate], scoring: Scoring
) -> tuple[Candidate, Decision]:
    """With iterated K-fold the configuration to retrain is the best validated network of the
    run, not only of tuning: the first-split networks of stages 5–6 trained as long as their
    time shares allowed, while a trial over 15 splits affords a handful of epochs each
    (GunPoint at 60 s: 15, validation 0.71 against the baseline's 1.00). The first candidate
    (the best trial, scored on every split) wins ties."""
    best = candidates[0]
    for c in candidates[1:]:
        if scoring.better(c.val_score, best.val_score):
            best = c
    listed = join(
        (
            msg(
                "{name} {score:.4f} ({splits} split(s), {epochs} epochs)",
                name=c.name,
                score=c.val_score,
                splits=c.splits,
                epochs=c.epochs,
            )
            for c in candidates
        ),
        "; ",
    )
    return best, Decision(
        what=msg("retrain {name}: the best validated network of the run", name=best.name),
        why=msg(
            "very scarce data: the trials could afford far fewer epochs than stages 5–6 "
            "trained, so every validated network competes ({listed})",
            listed=listed,
        ),
    )


def train_final(
    plan: FinalPlan,
    model_config: ModelConfig,
    train_config: TrainConfig,
    data: TensorData | torch.utils.data.Dataset,
    *,
    spec: ProblemSpec,
    input_shape: tuple[int, ...],
    vocab_size: int | None,
    deadline: float,
    verbose: bool = True,
    extra_callbacks: Sequence[Callback] = (),
    pixel_stats: Any = None,
    id_tokens: Any = None,
) -> tuple[nn.Module, History]:
    """Retrain on all development data; no validation split remains, so no early stopping.
    ``extra_callbacks`` see its epochs (the run's live logs); ``pixel_stats`` are the
    development preparer's (`Preparer.pixel_stats`), and ``id_tokens`` its
    `Preparer.id_tokens`, for a pretrained backbone.

    The last epoch's weights are the ones kept, so the LR must have settled by
    then: a constant or plateau-driven LR (no validation data to see a plateau)
    becomes cosine annealing over the planned epochs.
    """
    schedule = train_config.schedule
    if schedule not in DECAYING_SCHEDULES:
        schedule = ScheduleName.COSINE
    config = replace(
        train_config,
        epochs=plan.epochs,
        early_stopping_patience=None,
        schedule=schedule,
        warmup_epochs=min(train_config.warmup_epochs, plan.epochs - 1),
    )
    model = new_network(
        model_config,
        spec,
        input_shape=input_shape,
        vocab_size=vocab_size,
        train_y=data.y,
        seed=config.seed,
        class_weights=config.class_weights,
        pixel_stats=pixel_stats,
        id_tokens=id_tokens,
    )
    result = fit(
        model,
        data,
        None,
        config,
        task=spec.task,
        callbacks=[TimeLimit.until(deadline), *extra_callbacks],
        verbose=verbose,
    )
    return result.model, result.history


def evaluate_once(
    members: Sequence[Member],
    test: SealedTestSet,
    key: FinalStageKey,
    *,
    spec: ProblemSpec,
    scoring: Scoring,
    plan: FinalPlan,
    model_config: ModelConfig,
    train_config: TrainConfig,
    val_scores: dict[str, float],
    n_val: int | None,
    common_sense: tuple[str, float],
    classical: tuple[str, float],
    history: History | None,
    choice: ShipChoice | None = None,
    val_noise: float = math.nan,
) -> FinalResult:
    """Open the sealed test set once, score the final model, and set it against the rest.

    ``n_val`` is how many samples the validation score rests on (all of them once with
    K-fold): a gap to the test score counts as a mismatch only beyond sampling noise
    (binomial for accuracy; ``val_noise``, stage 7's measured standard error, otherwise).
    """
    started = time.monotonic()
    data = test.open(key)
    scores = [
        # In fp32, as the saved bundle predicts (`dlpilot predict`, `dlpilot.load`): the score
        # reported is the shipped model's. Under bf16 autocast (AUTO on a CPU with AVX-512
        # BF16) MiniRocket's scores near 0.5 moved enough to flip 1 of 30 test labels.
        predict_scores(
            m.model,
            _as_tensor(m.preparer.transform(data.x)),
            task=spec.task,
            precision=Precision.FP32,
        )
        for m in members
    ]
    y_score = np.mean(scores, axis=0)
    if data.y is None:
        return _unlabelled(
            y_score,
            test,
            plan=plan,
            model_config=model_config,
            train_config=train_config,
            val_scores=val_scores,
            history=history,
            choice=choice,
        )
    y_true = encode_target(data.y, spec)
    test_scores = scoring.all(y_true, y_score)
    primary = str(scoring.primary)
    gap = {k: val_scores[k] - v for k, v in test_scores.items() if k in val_scores}
    details = evaluation_details(
        y_true,
        y_score,
        task=spec.task,
        positive_index=scoring.positive_index,
        n_classes=spec.n_classes,
    )
    decisions = [
        Decision(
            what=msg("final model: {approach}", approach=plan.approach),
            why=plan.why,
            numbers={"epochs": plan.epochs, "members": len(members)},
        )
    ]
    decisions.append(
        Decision(
            what=msg(
                "test {metric} {score:.4f} on {n:,} samples, opened once",
                metric=primary,
                score=test_scores[primary],
                n=len(y_true),
            ),
            why=msg(
                "the sealed test set is read only here, after every choice was made on "
                "validation data, so its score estimates performance on new data"
            ),
            numbers={"seconds": round(time.monotonic() - started, 3)},
        )
    )
    findings: list[Finding] = []
    if choice is not None:
        decisions.insert(
            1,
            Decision(
                what=_ship_what(choice),
                why=choice.why,
                numbers=choice.to_dict(),
            ),
        )
        findings.extend(choice.findings)
    if primary in val_scores and math.isfinite(val_scores[primary]):
        mismatch = diagnose_mismatch(
            val_score=val_scores[primary],
            test_score=test_scores[primary],
            metric=primary,
            greater_is_better=scoring.greater_is_better,
            stage=STAGE,
            n_val=n_val,
            n_test=len(y_true),
            val_noise=val_noise,
        )
        expected = _stronger_than_validated(plan.approach)
        if expected and all(f.severity is Severity.INFO for f in mismatch):
            # Test better than validation is what a final model trained on more data (or
            # averaging the fold models) gives: no evidence that the distributions differ.
            decisions.extend(
                Decision(
                    what=msg(
                        "test {metric} better than validation ({evidence})",
                        metric=primary,
                        evidence=evidence_of(f),
                    ),
                    why=msg(
                        "expected: {reason}, so it does not point to a data mismatch",
                        reason=expected,
                    ),
                )
                for f in mismatch
            )
        else:
            findings.extend(mismatch)
    cs_model, cs_score = common_sense
    if not scoring.better(test_scores[primary], cs_score):
        findings.append(
            Finding(
                code=FindingCode.BELOW_COMMON_SENSE_BASELINE,
                severity=Severity.ERROR,
                stage=STAGE,
                evidence=msg(
                    "test {metric} {score:.4f} does not beat the common-sense "
                    "{model}'s {reference:.4f}: the network failed",
                    metric=primary,
                    score=test_scores[primary],
                    model=cs_model,
                    reference=cs_score,
                ),
                action=msg(
                    "likely causes: labels unrelated to the inputs, too little data, a data "
                    "preparation bug, or a budget too small to train; check one small batch "
                    "can be overfit and read the training-curve findings"
                ),
            )
        )
    return FinalResult(
        approach=plan.approach,
        model_config=model_config,
        train_config=train_config,
        val_scores=dict(val_scores),
        test_scores=test_scores,
        gap=gap,
        details={
            **details,
            "common_sense": {"model": cs_model, "score": cs_score},
            "classical": {"model": classical[0], "score": classical[1]},
        },
        test_opened=test.times_opened,
        n_test=len(y_true),
        history=history,
        decisions=tuple(decisions),
        findings=tuple(findings),
        choice=choice,
    )


def _unlabelled(
    y_score: np.ndarray,
    test: SealedTestSet,
    *,
    plan: FinalPlan,
    model_config: ModelConfig,
    train_config: TrainConfig,
    val_scores: dict[str, float],
    history: History | None,
    choice: ShipChoice | None,
) -> FinalResult:
    """A test set without labels: the final model's scores on it, to be written, no score."""
    n = len(y_score)
    decisions = [
        Decision(
            what=msg("final model: {approach}", approach=plan.approach),
            why=plan.why,
            numbers={"epochs": plan.epochs},
        ),
        Decision(
            what=msg("predictions for the {n:,} unlabelled test rows, opened once", n=n),
            why=msg(
                "the test file has no target, so there is no test score; the predictions go "
                "to {file} in the run directory, and validation "
                "is the only estimate of performance on new data",
                file=TEST_PREDICTIONS_FILE,
            ),
        ),
    ]
    if choice is not None:
        decisions.insert(
            1,
            Decision(
                what=_ship_what(choice),
                why=choice.why,
                numbers=choice.to_dict(),
            ),
        )
    return FinalResult(
        approach=plan.approach,
        model_config=model_config,
        train_config=train_config,
        val_scores=dict(val_scores),
        test_scores={},
        gap={},
        details={},
        test_opened=test.times_opened,
        n_test=n,
        history=history,
        decisions=tuple(decisions),
        findings=tuple(choice.findings) if choice is not None else (),
        choice=choice,
        test_labelled=False,
        test_predictions=y_score,
    )


def _stronger_than_validated(approach: str) -> Msg | None:
    """Why the final model should score better than the validation score, if it should."""
    if approach in (Approach.RETRAIN, Approach.LINEAR, Approach.MINIROCKET):
        return msg(
            "the validation score came from models trained on the training split (or a subset "
            "of it), while the final model trained on all the development data"
        )
    if approach == Approach.ENSEMBLE:
        return msg(
            "the validation score is each fold model's on its own fold, while the final "
            "model averages all the fold models"
        )
    return None


def _ship_what(choice: ShipChoice) -> Msg:
    """The decision's "what" for the model that ships."""
    if choice.shipped == Shipped.NETWORK:
        return msg("ship the network")
    if choice.shipped == Shipped.LINEAR:
        return msg("ship the linear baseline")
    return msg("ship the {shipped}", shipped=choice.shipped.replace("_", " "))


def _as_tensor(x: Any) -> Any:
    if isinstance(x, np.ndarray):
        return torch.from_numpy(x)
    return x
