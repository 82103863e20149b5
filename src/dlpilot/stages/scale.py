"""Stage 6 — scale up until it overfits.

Starting from the baseline, each step makes the network larger (alternately
wider and deeper) and trains it longer, and the diagnosis reads its curves.
The ladder stops at the first step whose validation loss turns up while its
training loss still falls: that capacity can overfit, so the next stage
regularizes it. It also stops when this stage's share of the budget is spent,
or when the architecture cannot grow further; if even the largest network
underfits, more data will not help.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Any

from dlpilot.core.enums import FindingCode, Severity
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import Msg, Text, join, msg
from dlpilot.core.numbers import finite_or_none
from dlpilot.core.records import Decision, Finding
from dlpilot.diagnose import NextStep
from dlpilot.engine import Architecture, ModelConfig, TrainConfig
from dlpilot.stages._evaluate import Evaluation, TrainingSetup, evidence_of

STAGE = "scale"

MAX_STEPS = 6
# Each step trains this much longer than the one before ("train longer").
EPOCH_GROWTH = 1.5
MAX_EPOCHS = 200
MAX_WIDTH = 1024
# Architectures whose depth the engine can grow (torchvision backbones are fixed).
_GROWABLE_DEPTH = {
    Architecture.MLP: 6,
    Architecture.CNN: 5,
    Architecture.RESNET: 5,
    Architecture.CONV1D: 6,
    Architecture.FCN: 5,
    Architecture.RESNET1D: 5,
    Architecture.GRU: 3,
    Architecture.TEXT_GRU: 3,
    Architecture.TEXT_CNN: 3,
    Architecture.TEXT_BAG: 4,
    # A frozen backbone's head: the backbone stays as it is, the head grows.
    Architecture.EFFICIENTNET_LITE0: 3,
}
LR_BACKOFF = 0.3


@dataclass(frozen=True)
class ScaleUp:
    """Stage 6's result: the ladder and where it started to overfit."""

    steps: tuple[Evaluation, ...]
    overfit_step: int | None
    overfit_epoch: int | None
    chosen: Evaluation
    underfitting: bool
    stop_reason: str
    decisions: tuple[Decision, ...]
    findings: tuple[Finding, ...]

    def ladder(self) -> list[dict[str, Any]]:
        """One row per capacity step, for the report."""
        rows = []
        for i, step in enumerate(self.steps):
            rows.append(
                {
                    "step": i,
                    "name": step.name,
                    "depth": step.model.depth,
                    "width": step.model.width,
                    "n_params": step.n_params,
                    "epochs": step.epochs_run,
                    "lr": step.train.lr,
                    "train_score": step.train_score,
                    "val_score": step.val_score,
                    "best_epoch": step.best_epoch,
                    "overfit": i == self.overfit_step,
                    "findings": [str(f.code) for f in step.diagnosis.findings],
                }
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        """Every step (``evaluations``, with its curves), the chosen one's index, the ladder
        for the report, and what the stage decided and found."""
        return {
            "evaluations": [step.to_dict() for step in self.steps],
            "chosen": next(i for i, step in enumerate(self.steps) if step is self.chosen),
            "ladder": self.ladder(),
            "overfit_step": self.overfit_step,
            "overfit_epoch": self.overfit_epoch,
            "underfitting": self.underfitting,
            "stop_reason": self.stop_reason,
            "decisions": [d.to_dict() for d in self.decisions],
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], *, human_error: float | None = None) -> ScaleUp:
        steps = tuple(Evaluation.from_dict(e, human_error=human_error) for e in d["evaluations"])
        return cls(
            steps=steps,
            overfit_step=d["overfit_step"],
            overfit_epoch=d["overfit_epoch"],
            chosen=steps[int(d["chosen"])],
            underfitting=bool(d.get("underfitting", False)),
            stop_reason=str(d.get("stop_reason", "")),
            decisions=tuple(Decision.from_dict(x) for x in d["decisions"]),
            findings=tuple(Finding.from_dict(x) for x in d["findings"]),
        )


def grow(model: ModelConfig, step: int) -> ModelConfig | None:
    """The next size up: wider on even steps, deeper on odd ones; None when it cannot grow."""
    max_depth = _GROWABLE_DEPTH.get(model.architecture)
    if max_depth is None:
        return None
    if step % 2 == 0 and model.width * 2 <= MAX_WIDTH:
        return replace(model, width=model.width * 2)
    if model.depth + 1 <= max_depth:
        return replace(model, depth=model.depth + 1)
    if model.width * 2 <= MAX_WIDTH:
        return replace(model, width=model.width * 2)
    return None


def scale_until_overfit(
    setup: TrainingSetup,
    baseline: Evaluation,
    *,
    deadline: float,
    verbose: bool = True,
    blocked: bool = False,
) -> ScaleUp:
    """Grow the baseline a step at a time until it overfits; ``blocked`` (stage 5 could not
    overfit one batch) skips the ladder, since a broken pipeline does not mend with size."""
    decisions: list[Decision] = []
    findings: list[Finding] = []
    steps: list[Evaluation] = [baseline]
    overfit_step = overfit_epoch = None
    stop_reason: Text = ""
    current = baseline

    if blocked:
        stop_reason = msg(
            "stage 5's network could not overfit one small batch (cannot_overfit_batch): "
            "the model, the loss or the data pipeline is broken, and more capacity will not help"
        )
    elif _overfits(baseline):
        overfit_step, overfit_epoch = 0, _overfit_epoch(baseline)
        stop_reason = msg("the baseline already overfits from epoch {epoch}", epoch=overfit_epoch)
    else:
        for step in range(MAX_STEPS):
            bigger = grow(current.model, step)
            if bigger is None:
                stop_reason = msg(
                    "{architecture} cannot grow beyond this size",
                    architecture=current.model.architecture,
                )
                break
            remaining = deadline - time.monotonic()
            # Train longer only when the curves ask for it: validation still improving.
            longer = current.diagnosis.next_step is NextStep.MORE_EPOCHS or any(
                f.code is FindingCode.UNDERTRAINED for f in current.diagnosis.findings
            )
            epochs = current.train.epochs
            if longer:  # never shorter than the step before, which may exceed MAX_EPOCHS
                epochs = min(max(MAX_EPOCHS, epochs), math.ceil(epochs * EPOCH_GROWTH))
            expected = _expected_seconds(current, bigger, epochs)
            if remaining <= 0 or expected > 1.5 * remaining:
                stop_reason = msg(
                    "this stage's budget is spent ({left:.0f}s left; the next "
                    "step would take about {expected:.0f}s)",
                    left=max(remaining, 0),
                    expected=expected,
                )
                break
            train = replace(current.train, epochs=epochs)
            name = f"scale_{step + 1}"
            try:
                evaluation = _train_step(setup, name, bigger, train, deadline, verbose, decisions)
            except _CannotGrow as exc:
                stop_reason = msg(
                    "the network cannot grow further here ({error})", error=exc.message
                )
                break
            steps.append(evaluation)
            decisions.append(
                Decision(
                    what=msg(
                        "step {step}: depth {depth}, width {width}, "
                        "{epochs} epochs → val {metric} {score}",
                        step=step + 1,
                        depth=bigger.depth,
                        width=bigger.width,
                        epochs=evaluation.epochs_run,
                        metric=setup.scoring.primary,
                        score=_fmt(evaluation.val_score),
                    ),
                    why=_step_reason(evaluation),
                    numbers={
                        "n_params": evaluation.n_params,
                        "train_score": finite_or_none(evaluation.train_score),
                        "val_score": finite_or_none(evaluation.val_score),
                    },
                )
            )
            if evaluation.diverged:
                stop_reason = msg("training diverged even at a lower LR")
                break
            current = evaluation
            if _overfits(evaluation):
                overfit_step, overfit_epoch = len(steps) - 1, _overfit_epoch(evaluation)
                stop_reason = msg(
                    "step {step} overfits: validation loss rises from epoch "
                    "{epoch} while training loss falls",
                    step=step + 1,
                    epoch=overfit_epoch,
                )
                break
            if evaluation.stopped_by_time:
                stop_reason = msg("this stage's budget ran out during the last step")
                break
        else:
            stop_reason = msg("reached {steps} steps without overfitting", steps=MAX_STEPS)

    underfitting = overfit_step is None and any(
        f.code is FindingCode.UNDERFITTING for f in current.diagnosis.findings
    )
    if overfit_step is None:
        if underfitting:
            findings.append(
                Finding(
                    code=FindingCode.UNDERFITTING,
                    severity=Severity.WARNING,
                    stage=STAGE,
                    evidence=msg(
                        "even the largest network tried ({n_params:,} parameters) "
                        "keeps training {metric} at {score} with a flat training loss",
                        n_params=current.n_params,
                        metric=setup.scoring.primary,
                        score=_fmt(current.train_score),
                    ),
                    action=msg(
                        "more data will not help: tune the optimizer and LR, change the "
                        "architecture, or clean the data and its features"
                    ),
                )
            )
        decisions.append(
            Decision(
                what=msg("no overfitting point found"),
                why=msg(
                    "{reason}; tuning starts from the step with the best validation score",
                    reason=stop_reason,
                ),
            )
        )
    else:
        decisions.append(
            Decision(
                what=msg(
                    "overfitting point: step {step}, epoch {epoch}",
                    step=overfit_step,
                    epoch=overfit_epoch,
                ),
                why=msg(
                    "{reason}; this capacity can fit the data, so tuning regularizes it",
                    reason=stop_reason,
                ),
                numbers={
                    "step": overfit_step,
                    "epoch": overfit_epoch,
                    "n_params": steps[overfit_step].n_params,
                },
            )
        )
    chosen = steps[overfit_step] if overfit_step is not None else _best(steps, setup)
    return ScaleUp(
        steps=tuple(steps),
        overfit_step=overfit_step,
        overfit_epoch=overfit_epoch,
        chosen=chosen,
        underfitting=underfitting,
        stop_reason=str(stop_reason),
        decisions=tuple(decisions),
        findings=tuple(findings),
    )


def _train_step(
    setup: TrainingSetup,
    name: str,
    model: ModelConfig,
    train: TrainConfig,
    deadline: float,
    verbose: bool,
    decisions: list[Decision],
) -> Evaluation:
    try:
        evaluation = setup.evaluate(
            name, model, train, deadline=deadline, stage=STAGE, verbose=verbose
        )
    except ConfigError as exc:
        raise _CannotGrow(exc.message) from None
    if evaluation.diagnosis.next_step is NextStep.LOWER_LR and time.monotonic() < deadline:
        lower = replace(train, lr=train.lr * LR_BACKOFF)
        decisions.append(
            Decision(
                what=msg("{name}: retrain at LR {lr:.2g}", name=name, lr=lower.lr),
                why=msg(
                    "the diagnosis found the LR too high for this size: {evidence}",
                    evidence=join((evidence_of(f) for f in evaluation.diagnosis.findings), "; "),
                ),
            )
        )
        retry = setup.evaluate(
            f"{name}_lower_lr", model, lower, deadline=deadline, stage=STAGE, verbose=verbose
        )
        if retry.diverged or (
            not evaluation.diverged
            and not setup.scoring.better(retry.val_score, evaluation.val_score)
        ):
            return evaluation if not evaluation.diverged else retry
        return retry
    return evaluation


class _CannotGrow(Exception):
    """The engine cannot build the next size; ``message`` says why (a message or text)."""

    def __init__(self, message: Text) -> None:
        super().__init__(str(message))
        self.message = message


def _overfits(evaluation: Evaluation) -> bool:
    return any(f.code is FindingCode.OVERFITTING for f in evaluation.diagnosis.findings)


def _overfit_epoch(evaluation: Evaluation) -> int:
    # The epoch of lowest validation loss is where the turn up begins.
    values = evaluation.history.get("val_loss") or []
    finite = [(v, i + 1) for i, v in enumerate(values) if math.isfinite(v)]
    return min(finite)[1] if finite else evaluation.best_epoch


def _best(steps: list[Evaluation], setup: TrainingSetup) -> Evaluation:
    best = steps[0]
    for step in steps[1:]:
        if setup.scoring.better(step.val_score, best.val_score):
            best = step
    return best


def _expected_seconds(current: Evaluation, bigger: ModelConfig, epochs: int) -> float:
    per_epoch = current.seconds / max(current.epochs_run, 1)
    growth = 2.0 if bigger.width > current.model.width else 1.4
    return per_epoch * growth * epochs


def _step_reason(evaluation: Evaluation) -> Msg:
    codes = [str(f.code) for f in evaluation.diagnosis.findings]
    if codes:
        return msg(
            "bigger and trained longer, looking for the point where validation loss turns up; "
            "diagnosis: {codes}",
            codes=", ".join(codes),
        )
    return msg(
        "bigger and trained longer, looking for the point where validation loss turns up; "
        "diagnosis: healthy curves"
    )


def _fmt(v: float) -> Text:
    return msg("n/a") if v is None or not math.isfinite(v) else f"{v:.4f}"
