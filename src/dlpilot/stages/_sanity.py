"""The checks an expert runs on a baseline before trusting it (stage 5).

After Karpathy, "A Recipe for Training Neural Networks" (2019): the loss at initialisation
should be what a head that knows nothing gives (−log(1/k) for k classes, the targets'
variance in their own units for regression); the network must be able to drive the loss of
one small batch near zero (if it cannot, the model, the loss or the data pipeline is
broken, and more capacity will not help); and the same network fed zeroed inputs must do
clearly worse than with the real ones, or the inputs carry no usable signal. Each check is
a decision when it passes and a finding when it does not, with its numbers.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import torch
from torch import nn

from dlpilot.core.enums import FindingCode, MetricName, Severity, Task
from dlpilot.core.messages import Msg, msg
from dlpilot.core.records import Decision, Finding
from dlpilot.engine import (
    Callback,
    Precision,
    ScheduleName,
    TensorData,
    TimeLimit,
    TrainConfig,
    fit,
    make_loss,
)
from dlpilot.engine.data import sample_tensors
from dlpilot.engine.heads import scores_from_outputs, target_std_of

STAGE = "baseline"
# The initial loss is "far off" above this multiple of what a knowing-nothing head gives, plus
# a margin for a small batch's noise; a head whose bias is off by 10 gives several times it.
INITIAL_LOSS_FACTOR = 2.0
INITIAL_LOSS_MARGIN = 0.5
# One batch of this many samples, trained until its loss falls below this share of where it
# began (Karpathy: "overfit a single batch of only a few examples").
OVERFIT_SAMPLES = 32
OVERFIT_TARGET_SHARE = 0.1
OVERFIT_MAX_STEPS = 300
OVERFIT_SECONDS = 3.0
# ...and at most this share of the baseline's time: on long series at 60 s the full 3 s left
# the baseline FCN one epoch of ACSF1 (validation 0.05, against 0.73 without the check).
OVERFIT_BASELINE_SHARE = 0.1
MIN_OVERFIT_SECONDS = 0.3
# The zero-input network trains on at most this many samples for at most this long: it can
# learn only the output bias, which a few epochs reach.
ZERO_INPUT_ROWS = 2_000
ZERO_INPUT_SECONDS = 2.0
# ...and at most this share of what the baseline's training took (as the one-batch check).
ZERO_INPUT_BASELINE_SHARE = 0.1
ZERO_INPUT_EPOCHS = 5
# Clearly worse: the real inputs' score must beat the zero inputs' by this many standard
# errors of an accuracy on the validation samples (binomial noise).
SIGNAL_STANDARD_ERRORS = 2.0
# Below this many validation samples a gap inside the noise is inconclusive, not a finding.
MIN_VAL_FOR_NOISE_TEST = 100


def expected_initial_loss(task: Task, n_classes: int) -> float:
    """The loss of a head that knows nothing: uniform scores for classes, the mean for values."""
    if task is Task.MULTICLASS:
        return math.log(max(n_classes, 2))
    if task in (Task.BINARY, Task.MULTILABEL):
        return math.log(2)
    return 1.0  # squared error in units of the targets' spread


def check_initial_loss(
    network: nn.Module, x: torch.Tensor, y: torch.Tensor, *, task: Task, n_classes: int
) -> CheckResult:
    """The loss of the untrained ``network`` on a batch against what it should be."""
    loss_fn = make_loss(task, target_std=target_std_of(network))
    network.train()  # batch norm on the batch's own statistics, as training sees it
    with torch.no_grad():
        loss = float(loss_fn(network(x), y))
    expected = expected_initial_loss(task, n_classes)
    numbers = {"initial_loss": round(loss, 4), "expected": round(expected, 4)}
    if math.isfinite(loss) and loss <= INITIAL_LOSS_FACTOR * expected + INITIAL_LOSS_MARGIN:
        return _passed(
            Decision(
                what=msg(
                    "sanity: loss at initialisation {loss:.3f}, as expected (≈ {expected:.3f})",
                    loss=loss,
                    expected=expected,
                ),
                why=_expected_why(task, n_classes),
                numbers=numbers,
            )
        )
    return _failed(
        Finding(
            code=FindingCode.BAD_INITIAL_LOSS,
            severity=Severity.WARNING,
            stage=STAGE,
            evidence=_initial_loss_evidence(
                task, n_classes, n=len(y), loss=loss, expected=expected
            ),
            action=msg(
                "check the output head, the loss and the target encoding (a head bias far "
                "off, labels out of range, targets in the wrong units); the first epochs will be "
                "spent undoing it"
            ),
        ),
        numbers,
    )


def check_overfits_one_batch(
    make_network: Callable[[], nn.Module],
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    task: Task,
    lr: float,
    seconds: float = OVERFIT_SECONDS,
) -> CheckResult:
    """Train a fresh network on the one batch (``x``, ``y``) until its loss is near zero."""
    data = TensorData(x, y)
    config = TrainConfig(
        lr=lr,
        batch_size=len(y),
        epochs=OVERFIT_MAX_STEPS,
        schedule=ScheduleName.CONSTANT,
        precision=Precision.FP32,
    )
    network = make_network()
    result = fit(
        network,
        data,
        None,
        config,
        task=task,
        callbacks=[TimeLimit(seconds), _StopBelow(OVERFIT_TARGET_SHARE)],
        verbose=False,
    )
    losses = [float(v) for v in result.history.get("loss") or []]
    first, last = (losses[0], min(losses)) if losses else (math.nan, math.nan)
    numbers = {"first_loss": round(first, 4), "lowest_loss": round(last, 4), "steps": len(losses)}
    if math.isfinite(last) and last > OVERFIT_TARGET_SHARE * first and _still_falling(losses):
        # Out of time, not out of progress: a slow network (FCN on ArrowHead: 56 steps in
        # 3 s, loss 1.11 → 0.57 and falling) says nothing about a broken pipeline.
        return _passed(
            Decision(
                what=msg(
                    "sanity: one batch not overfit within {seconds:g}s ({steps} steps, "
                    "loss {first:.3f} → {last:.3f}, still falling): inconclusive",
                    seconds=seconds,
                    steps=len(losses),
                    first=first,
                    last=last,
                ),
                why=msg(
                    "the check stops at its time limit; a loss still falling is no sign of a "
                    "broken model or pipeline, so the scale-up goes on"
                ),
                numbers=numbers,
            )
        )
    if math.isfinite(last) and last <= OVERFIT_TARGET_SHARE * first:
        return _passed(
            Decision(
                what=msg(
                    "sanity: {n} training samples overfit in {steps} steps "
                    "(loss {first:.3f} → {last:.3f})",
                    n=len(y),
                    steps=len(losses),
                    first=first,
                    last=last,
                ),
                why=msg(
                    "a network that can drive one small batch's loss near zero has a working "
                    "model, loss and data pipeline; scaling up may go on"
                ),
                numbers=numbers,
            )
        )
    return _failed(
        Finding(
            code=FindingCode.CANNOT_OVERFIT_BATCH,
            severity=Severity.ERROR,
            stage=STAGE,
            evidence=msg(
                "after {steps} steps on the same {n} training samples the loss "
                "went from {first:.3f} to {last:.3f} at best, not below "
                "{share:.0%} of where it began",
                steps=len(losses),
                n=len(y),
                first=first,
                last=last,
                share=OVERFIT_TARGET_SHARE,
            ),
            action=msg(
                "the network, the loss or the data pipeline is broken (inputs that do not "
                "reach the network, labels shuffled against inputs, a frozen layer); more "
                "capacity will not help, so the scale-up is skipped"
            ),
        ),
        numbers,
    )


def check_inputs_matter(
    make_network: Callable[[], nn.Module],
    train: Any,
    val: Any,
    *,
    config: TrainConfig,
    task: Task,
    score: Callable[[torch.Tensor, torch.Tensor], float],
    better: Callable[[float, float], bool],
    primary: MetricName,
    baseline_val: float,
    seed: int,
    seconds: float = ZERO_INPUT_SECONDS,
) -> CheckResult:
    """The baseline's validation score against the same network trained on zeroed inputs
    for at most ``seconds``."""
    x, y, _ = sample_tensors(train, ZERO_INPUT_ROWS, seed=seed)
    x_val, y_val, _ = sample_tensors(val, ZERO_INPUT_ROWS, seed=seed)
    network = make_network()
    short = replace(
        config,
        epochs=min(config.epochs, ZERO_INPUT_EPOCHS),
        early_stopping_patience=None,
        augment=(),
    )
    fit(
        network,
        TensorData(torch.zeros_like(x), y),
        None,
        short,
        task=task,
        callbacks=[TimeLimit(seconds)],
        verbose=False,
    )
    network.eval()
    with torch.no_grad():
        outputs = network(torch.zeros_like(x_val))
    zero = score(y_val, scores_from_outputs(outputs, task))
    margin = 0.0
    if primary in (MetricName.ACCURACY,) and math.isfinite(zero):
        margin = SIGNAL_STANDARD_ERRORS * math.sqrt(max(zero * (1 - zero), 1e-3) / len(y_val))
    numbers = {"zero_input_val": round(zero, 4), "baseline_val": round(baseline_val, 4)}
    shifted = zero + margin if primary.greater_is_better else zero - margin
    if (
        better(baseline_val, zero)
        and not better(baseline_val, shifted)
        and len(y_val) < (MIN_VAL_FOR_NOISE_TEST)
    ):
        # Ahead, but on too few samples to tell from noise (ArrowHead's first split: 0.625
        # against 0.375 on 8 series, 2 standard errors 0.34): no evidence either way.
        return _passed(
            Decision(
                what=msg(
                    "sanity: validation {metric} {score:.4f} against {zero:.4f} with "
                    "the inputs zeroed: ahead, within the noise of {n} samples",
                    metric=primary,
                    score=baseline_val,
                    zero=zero,
                    n=len(y_val),
                ),
                why=msg(
                    "{errors:g} standard errors on {n} validation "
                    "samples are {margin:.4f}, more than the gap; below {minimum} "
                    "samples that is read as inconclusive, not as inputs without signal",
                    errors=SIGNAL_STANDARD_ERRORS,
                    n=len(y_val),
                    margin=margin,
                    minimum=MIN_VAL_FOR_NOISE_TEST,
                ),
                numbers=numbers,
            )
        )
    if better(baseline_val, shifted):
        return _passed(
            Decision(
                what=msg(
                    "sanity: the inputs matter: validation {metric} {score:.4f} "
                    "against {zero:.4f} with the inputs zeroed",
                    metric=primary,
                    score=baseline_val,
                    zero=zero,
                ),
                why=msg(
                    "the same network fed zeros can learn only the output bias (the class "
                    "prior or the mean); beating it by more than {errors:g} standard errors "
                    "shows the network uses what the inputs carry",
                    errors=SIGNAL_STANDARD_ERRORS,
                )
                if margin
                else msg(
                    "the same network fed zeros can learn only the output bias (the class "
                    "prior or the mean); beating it shows the network uses what the inputs carry"
                ),
                numbers=numbers,
            )
        )
    return _failed(
        Finding(
            code=FindingCode.INPUTS_CARRY_NO_SIGNAL,
            severity=Severity.WARNING,
            stage=STAGE,
            evidence=msg(
                "validation {metric} {score:.4f} with the real inputs against "
                "{zero:.4f} with them zeroed (within {errors:g} standard errors, {margin:.4f})",
                metric=primary,
                score=baseline_val,
                zero=zero,
                errors=SIGNAL_STANDARD_ERRORS,
                margin=margin,
            )
            if margin
            else msg(
                "validation {metric} {score:.4f} with the real inputs against "
                "{zero:.4f} with them zeroed",
                metric=primary,
                score=baseline_val,
                zero=zero,
            ),
            action=msg(
                "the network does not use the inputs: check that the labels belong to their "
                "rows (no shuffle against the inputs), that the features reach the network, or "
                "whether the target is predictable from these inputs at all"
            ),
        ),
        numbers,
    )


CheckResult = tuple[Decision | None, Finding | None, dict[str, Any]]


def _passed(decision: Decision) -> CheckResult:
    """A check that passed (or could not tell): its decision, carrying the check's numbers."""
    return decision, None, dict(decision.numbers)


def _failed(finding: Finding, numbers: dict[str, Any]) -> CheckResult:
    return None, finding, numbers


def _network_factory(setup: Any, model: Any, seed: int) -> Callable[[], nn.Module]:
    """Fresh networks for the first split, as stage 5 builds its baseline."""
    from dlpilot.stages._evaluate import fold_network

    fold = setup.folds[0]
    return lambda: fold_network(
        model,
        fold,
        setup.spec,
        input_shape=setup.input_shape,
        vocab_size=setup.vocab_size,
        seed=seed,
    )


def _still_falling(losses: list[float]) -> bool:
    """Whether the last fifth of the steps still reached a new lowest loss."""
    if len(losses) >= OVERFIT_MAX_STEPS or len(losses) < 5:
        return False
    cut = len(losses) - max(1, len(losses) // 5)
    return min(losses[cut:]) < 0.98 * min(losses[:cut])


def _expected_why(task: Task, n_classes: int) -> Msg:
    if task is Task.MULTICLASS:
        return msg("a head that knows nothing gives −log(1/{k}) for {k} classes", k=n_classes)
    if task in (Task.BINARY, Task.MULTILABEL):
        return msg("a head that knows nothing gives log 2 per binary output")
    return msg("the targets' mean gives, as squared error in units of their spread")


def _initial_loss_evidence(
    task: Task, n_classes: int, *, n: int, loss: float, expected: float
) -> Msg:
    """The far-off initial loss against what a knowing-nothing head gives, as one sentence."""
    if task is Task.MULTICLASS:
        return msg(
            "the untrained network's loss on {n} training samples is {loss:.3f}, far from the "
            "{expected:.3f} that a head that knows nothing gives −log(1/{k}) for {k} classes",
            n=n,
            loss=loss,
            expected=expected,
            k=n_classes,
        )
    if task in (Task.BINARY, Task.MULTILABEL):
        return msg(
            "the untrained network's loss on {n} training samples is {loss:.3f}, far from the "
            "{expected:.3f} that a head that knows nothing gives log 2 per binary output",
            n=n,
            loss=loss,
            expected=expected,
        )
    return msg(
        "the untrained network's loss on {n} training samples is {loss:.3f}, far from the "
        "{expected:.3f} that the targets' mean gives, as squared error in units of their spread",
        n=n,
        loss=loss,
        expected=expected,
    )


class _StopBelow(Callback):
    """End the one-batch training once the loss is below ``share`` of its first value."""

    def __init__(self, share: float) -> None:
        self.share = share
        self.first: float | None = None

    def on_epoch_end(self, epoch: int, logs: Any) -> None:
        loss = logs.get("loss")
        if loss is None:
            return
        if self.first is None:
            self.first = float(loss)
        elif float(loss) <= self.share * self.first:
            self.trainer.stop_training = True


def sanity_seconds(started: float) -> float:
    return round(time.monotonic() - started, 3)


def checks_before_training(
    setup: Any, model: Any, train: TrainConfig, *, seed: int, deadline: float
) -> tuple[list[Decision], list[Finding], dict[str, Any]]:
    """Checks 1 and 2 on the first split's training data: loss at initialisation, one batch
    overfit, the second within its share of the time to the baseline's ``deadline``.
    ``setup`` is stage 5's `TrainingSetup`, ``model`` its `ModelConfig`."""
    started = time.monotonic()
    fold = setup.folds[0]
    spec = setup.spec
    make_network = _network_factory(setup, model, seed)

    decisions: list[Decision] = []
    findings: list[Finding] = []
    x, y, _ = sample_tensors(fold.train, 256, seed=seed)
    n_classes = len(spec.class_names) or spec.n_outputs
    init = check_initial_loss(make_network(), x, y, task=spec.task, n_classes=n_classes)
    small = min(OVERFIT_SAMPLES, len(y))
    seconds = min(OVERFIT_SECONDS, OVERFIT_BASELINE_SHARE * (deadline - time.monotonic()))
    if seconds >= MIN_OVERFIT_SECONDS:
        batch = check_overfits_one_batch(
            make_network, x[:small], y[:small], task=spec.task, lr=train.lr, seconds=seconds
        )
    else:
        batch = _passed(
            Decision(
                what=msg("sanity: one batch overfit not run"),
                why=msg(
                    "the baseline's time share leaves it {seconds:.1f}s, under "
                    "{minimum:g}s: too short to tell",
                    seconds=max(seconds, 0),
                    minimum=MIN_OVERFIT_SECONDS,
                ),
            )
        )
    numbers: dict[str, Any] = {}
    for decision, finding, nums in (init, batch):
        if decision is not None:
            decisions.append(decision)
        if finding is not None:
            findings.append(finding)
        numbers.update(nums)
    numbers["seconds"] = sanity_seconds(started)
    return decisions, findings, numbers


def check_after_training(
    setup: Any,
    model: Any,
    train: TrainConfig,
    baseline_val: float,
    *,
    seed: int,
    baseline_seconds: float,
) -> tuple[list[Decision], list[Finding], dict[str, Any]]:
    """Check 3: the trained baseline against the same network on zeroed inputs, within a
    share of the ``baseline_seconds`` its training took."""
    started = time.monotonic()
    seconds = min(ZERO_INPUT_SECONDS, ZERO_INPUT_BASELINE_SHARE * baseline_seconds)
    if seconds < MIN_OVERFIT_SECONDS:
        skipped = Decision(
            what=msg("sanity: zeroed-inputs check not run"),
            why=msg(
                "the baseline trained in {trained:.1f}s, so its share leaves "
                "{seconds:.1f}s, under {minimum:g}s: too short to tell",
                trained=baseline_seconds,
                seconds=seconds,
                minimum=MIN_OVERFIT_SECONDS,
            ),
        )
        return [skipped], [], {"seconds": sanity_seconds(started)}
    fold = setup.folds[0]
    metric = setup.scoring.epoch_metric()
    decision, finding, numbers = check_inputs_matter(
        _network_factory(setup, model, seed),
        fold.train,
        fold.val,
        config=train,
        task=setup.spec.task,
        score=lambda y, s: float(metric.fn(y.numpy(), s.numpy())),
        better=setup.scoring.better,
        primary=MetricName(setup.scoring.primary),
        baseline_val=baseline_val,
        seed=seed,
        seconds=seconds,
    )
    numbers = {**numbers, "seconds": sanity_seconds(started)}
    return ([decision] if decision else []), ([finding] if finding else []), numbers
