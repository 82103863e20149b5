"""Read a learning-curve history, name what is wrong, and say what to do next.

The rules (`_rules`) each look at smoothed curves and compare relative changes against
the named constants of `dlpilot.diagnose.thresholds`; here they are run in order and the
next step is chosen from their findings. Nothing here trains or reads files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from dlpilot.core.enums import FindingCode, Severity
from dlpilot.core.errors import ConfigError, HistoryError
from dlpilot.core.history import History
from dlpilot.core.messages import EnglishReason, Msg, Text, msg
from dlpilot.core.records import Finding
from dlpilot.diagnose import thresholds as th
from dlpilot.diagnose._curves import make_curve
from dlpilot.diagnose._rules import (
    bias_and_variance,
    check_finite,
    errors_of,
    lr_too_high,
    lr_too_low,
    overfitting,
    underfitting,
    undertrained,
)


class NextStep(StrEnum):
    """What the workflow does after a training, chosen from the findings."""

    LOWER_LR = "lower_lr"  # lr_too_high, diverged_nan: lower the LR and retry
    RAISE_LR = "raise_lr"  # lr_too_low: raise the LR and retry
    MORE_EPOCHS = "more_epochs"  # undertrained, or too short to judge: train longer
    STOP_SCALING = "stop_scaling"  # overfitting, high_variance: stop scaling, regularize
    KEEP_SCALING = "keep_scaling"  # healthy or underfitting below the largest size
    GO_TUNE = "go_tune"  # nothing to fix at the largest size (even if it underfits): tune


@dataclass(frozen=True)
class Diagnosis(EnglishReason):
    """What the curves say: findings with evidence, and the next step with its reason.

    ``judged`` is False when the history is too short (under `MIN_EPOCHS`): then no
    curve finding is guessed and ``reason`` says so. ``best_epoch`` is where the smoothed
    validation loss was lowest; ``overfit_epoch`` is set when overfitting started there.
    ``reason`` is kept as English text; given as a message, the message is in ``message``
    (`why`), for the reader's language.
    """

    findings: tuple[Finding, ...]
    judged: bool
    next_step: NextStep
    reason: Text
    best_epoch: int | None = None
    overfit_epoch: int | None = None
    message: Text | None = field(default=None, compare=False, repr=False)

    @property
    def codes(self) -> tuple[FindingCode, ...]:
        return tuple(f.code for f in self.findings)

    def has(self, code: FindingCode | str) -> bool:
        return FindingCode(code) in self.codes

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "judged": self.judged,
            "next_step": str(self.next_step),
            "reason": self.reason,
            "best_epoch": self.best_epoch,
            "overfit_epoch": self.overfit_epoch,
            "findings": [f.to_dict() for f in self.findings],
        }

    def __repr__(self) -> str:
        codes = ", ".join(self.codes) or "no findings"
        return f"Diagnosis({codes}; next_step={self.next_step}, judged={self.judged})"


def diagnose(
    history: History,
    *,
    stage: str = "diagnose",
    human_error: float | None = None,
    at_largest_size: bool = False,
) -> Diagnosis:
    """Diagnose one training's history.

    ``human_error`` is the human-level (or Bayes) error in the units of the history's metric
    as an error: 1 − accuracy for accuracy (Fashion-MNIST's human accuracy 0.835 → 0.165).
    ``at_largest_size`` tells the next step that the model cannot be scaled further.
    """
    if human_error is not None and not (math.isfinite(human_error) and human_error >= 0):
        raise ConfigError(
            msg(
                "human_error must be a finite error ≥ 0 (e.g. 0.165 for 83.5% human accuracy), "
                "got {value!r}.",
                value=human_error,
            )
        )
    if len(history) == 0:
        return _not_judged([], 0, 0, False)
    if "loss" not in history.columns:
        seen: Text = ", ".join(history.columns) or msg("(none)")
        raise HistoryError(msg("The history has no 'loss' column. Columns: {seen}.", seen=seen))
    n = len(history)
    findings: list[Finding] = []
    nan_finding, upto = check_finite(history, stage)
    if nan_finding is not None:
        findings.append(nan_finding)

    train = make_curve(msg("training loss"), history.columns["loss"], upto)
    val_raw = history.get("val_loss")
    val = make_curve(msg("validation loss"), val_raw, upto) if val_raw else None
    if n < th.MIN_EPOCHS or len(train) < th.MIN_EPOCHS:
        return _not_judged(findings, n, len(train), nan_finding is not None)

    errors = errors_of(history, upto)
    watch = val if val is not None and len(val) >= th.MIN_EPOCHS else None
    if watch is None and errors.val is not None and len(errors.val) >= th.MIN_EPOCHS:
        watch = errors.val  # no validation loss: follow the validation error instead
    best_epoch = int(watch.epochs[int(np.argmin(watch.smooth))]) if watch else int(train.epochs[-1])

    high = lr_too_high(train, val, stage, history)
    if high is not None:
        findings.append(high)
    # While the LR is too high a rising validation loss says nothing about capacity.
    over = overfitting(watch, train, stage) if watch is not None and high is None else None
    if over is not None:
        findings.append(over)
    diverged = nan_finding is not None
    if not diverged and watch is not None and over is None:
        under = undertrained(watch, stage)
        if under is not None:
            findings.append(under)
    low = None if diverged else lr_too_low(train, stage, history)
    if low is not None:
        findings.append(low)
    if not diverged and high is None and low is None:
        underfit = underfitting(train, errors, stage)
        if underfit is not None:
            findings.append(underfit)
    findings.extend(bias_and_variance(errors, best_epoch, human_error, stage))

    overfit_epoch = best_epoch if over is not None else None
    step, reason = _next_step(findings, at_largest_size, overfit_epoch, watch is None)
    return Diagnosis(
        findings=tuple(findings),
        judged=True,
        next_step=step,
        reason=reason,
        best_epoch=best_epoch if watch is not None else None,
        overfit_epoch=overfit_epoch,
    )


def _not_judged(findings: list[Finding], n: int, usable: int, diverged: bool) -> Diagnosis:
    if diverged:
        return Diagnosis(
            findings=tuple(findings),
            judged=False,
            next_step=NextStep.LOWER_LR,
            reason=msg(
                "The loss diverged after {usable} finite epoch(s), too few to judge the curves: "
                "lower the learning rate and retry.",
                usable=usable,
            ),
        )
    return Diagnosis(
        findings=tuple(findings),
        judged=False,
        next_step=NextStep.MORE_EPOCHS,
        reason=msg(
            "Not enough epochs to judge: {n} epoch(s), at least {min} are needed. "
            "Train for more epochs.",
            n=n,
            min=th.MIN_EPOCHS,
        ),
    )


def _next_step(
    findings: list[Finding], at_largest_size: bool, overfit_epoch: int | None, no_val: bool
) -> tuple[NextStep, Msg]:
    codes = {f.code for f in findings}
    if codes & {FindingCode.DIVERGED_NAN, FindingCode.LR_TOO_HIGH}:
        if FindingCode.DIVERGED_NAN in codes:
            return NextStep.LOWER_LR, msg("The loss diverged: lower the learning rate and retry.")
        return NextStep.LOWER_LR, msg(
            "The loss oscillates or diverges: lower the learning rate and retry."
        )
    if FindingCode.OVERFITTING in codes:
        return (
            NextStep.STOP_SCALING,
            msg(
                "Overfitting since epoch {epoch}: stop scaling up and start regularizing.",
                epoch=overfit_epoch,
            ),
        )
    if FindingCode.HIGH_VARIANCE in codes:
        return (
            NextStep.STOP_SCALING,
            msg("Validation error far above training error: stop scaling up and regularize."),
        )
    if FindingCode.LR_TOO_LOW in codes:
        return NextStep.RAISE_LR, msg(
            "The loss falls slowly and steadily: raise the learning rate."
        )
    if FindingCode.UNDERTRAINED in codes:
        return (
            NextStep.MORE_EPOCHS,
            msg("Validation loss still falling at the last epoch: train for more epochs."),
        )
    if codes & {FindingCode.UNDERFITTING, FindingCode.AVOIDABLE_BIAS}:
        underfits = FindingCode.UNDERFITTING in codes
        if at_largest_size:
            if underfits:
                return NextStep.GO_TUNE, msg(
                    "Even the largest model underfits: more data will not help; go on to "
                    "tuning (architecture, optimizer, learning rate)."
                )
            return NextStep.GO_TUNE, msg(
                "Even the largest model is far from human-level error: more data will not "
                "help; go on to tuning (architecture, optimizer, learning rate)."
            )
        if underfits:
            return NextStep.KEEP_SCALING, msg("The model underfits: scale it up.")
        return NextStep.KEEP_SCALING, msg("The model is far from human-level error: scale it up.")
    if at_largest_size:
        if no_val:
            return NextStep.GO_TUNE, msg(
                "No problem found at the largest size (no validation curve: overfitting "
                "cannot be seen): go on to tuning."
            )
        return NextStep.GO_TUNE, msg("No problem found at the largest size: go on to tuning.")
    if no_val:
        return NextStep.KEEP_SCALING, msg(
            "No problem found and no overfitting yet (no validation curve: overfitting "
            "cannot be seen): keep scaling up until it overfits."
        )
    return (
        NextStep.KEEP_SCALING,
        msg("No problem found and no overfitting yet: keep scaling up until it overfits."),
    )
