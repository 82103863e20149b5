"""Stage 5 — the baseline network.

The architecture follows the modality, the head and loss follow the task, the
optimizer is Adam at the LR finder's suggestion (clamped to a sane range), and
there is no regularization yet: no dropout, no weight decay, no augmentation,
no early stopping, so the learning curves show the network as it is. Before it
trains, a short probe measures how fast this machine trains the network; when
the budget cannot afford enough epochs on the whole training split, stages 5–7
explore on a stratified subset and say so, and the final model still trains
on everything.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch

from dlpilot.core.enums import FindingCode, Modality, Severity, Task
from dlpilot.core.errors import DlpilotError
from dlpilot.core.messages import Msg, Text, join, msg
from dlpilot.core.policy import SMALL_BATCH_BELOW, is_imbalanced, small_data_batch_size
from dlpilot.core.records import Decision, Finding
from dlpilot.diagnose import NextStep
from dlpilot.engine import (
    Architecture,
    ModelConfig,
    ScheduleName,
    TrainConfig,
    default_model_config,
    find_lr,
    fit,
)
from dlpilot.stages._evaluate import Evaluation, TrainingSetup, evidence_of

# Stage 5's probe and exploration plan live in _exploration; their names stay importable here.
from dlpilot.stages._exploration import (  # noqa: F401
    MIN_EXPLORATION_SAMPLES,
    ExplorationPlan,
    measure_throughput,
    plan_exploration,
    subsample,
)
from dlpilot.stages._sanity import check_after_training, checks_before_training
from dlpilot.stages._transfer import BackboneWeights, backbone_weights, try_transfer  # noqa: F401

STAGE = "baseline"

# The LR finder's suggestion is kept inside this range for Adam.
ADAM_LR_RANGE = (5e-4, 3e-3)
DEFAULT_LR = 1e-3
# Below this many seconds for the whole baseline, the LR range test is skipped.
LR_FINDER_MIN_SECONDS = 5.0
# A suggestion this many times outside ADAM_LR_RANGE means the test's curve is unusable.
LR_FINDER_TRUST = 10.0
# Epochs of a baseline: enough optimizer steps to see the curves bend, within bounds.
BASELINE_TARGET_STEPS = 600
BASELINE_EPOCHS_RANGE = (8, 60)
# How much smaller the LR gets when the curves say it is too high.
LR_BACKOFF = 0.3
# Series sets up to this many training samples get the FCN of Wang et al. 2017: on the UCR
# archive (median training set ~300 series) FCN and ResNet were the best deep families
# (Fawaz et al. 2019). FCN at width 64 with a cosine schedule over 300 epochs reached test
# accuracy 0.823 / 1.000 / 1.000 on ArrowHead / GunPoint / Coffee (3 seeds, benchmarks/
# RESULTS.md, 2026-12-01), as the width-128 original did at four times the compute. Larger
# sets keep the pooled conv1d, which is far cheaper per sample (MNIST-1D: 4,000 series).
SMALL_SERIES_MAX_TRAIN = 1_000
FCN_WIDTH = 64
# On a training split this small an epoch costs milliseconds, so the baseline's time share,
# not BASELINE_EPOCHS_RANGE, bounds its epochs, up to the 1,500 Fawaz et al. gave ResNet.
SMALL_DATA_MAX_TRAIN = 1_000
SMALL_DATA_MAX_EPOCHS = 1_500
# Share of the baseline's remaining time its training may plan for (the rest: an LR retry).
SMALL_DATA_TIME_SHARE = 0.9


@dataclass(frozen=True)
class BaselineNetwork:
    """Stage 5's result."""

    evaluation: Evaluation
    attempts: tuple[Evaluation, ...]
    lr_finder: dict[str, Any]
    beats_common_sense: bool
    decisions: tuple[Decision, ...]
    findings: tuple[Finding, ...]
    # The sanity checks' numbers (`_sanity`), and whether they stop the scale-up.
    sanity: dict[str, Any] = field(default_factory=dict)
    scale_blocked: bool = False
    # Whether a pretrained backbone was tried against the scratch network, and the numbers.
    transfer: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The baseline network (as ``evaluations[0]``), the LR finder's result, and what the
        stage decided and found; the attempts it discarded are not kept."""
        return {
            "evaluations": [self.evaluation.to_dict()],
            "lr_finder": self.lr_finder,
            "beats_common_sense": self.beats_common_sense,
            "sanity": self.sanity,
            "scale_blocked": self.scale_blocked,
            "transfer": self.transfer,
            "decisions": [d.to_dict() for d in self.decisions],
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], *, human_error: float | None = None) -> BaselineNetwork:
        evaluation = Evaluation.from_dict(d["evaluations"][0], human_error=human_error)
        return cls(
            evaluation=evaluation,
            attempts=(evaluation,),
            lr_finder=dict(d["lr_finder"]),
            beats_common_sense=bool(d.get("beats_common_sense", True)),
            decisions=tuple(Decision.from_dict(x) for x in d["decisions"]),
            findings=tuple(Finding.from_dict(x) for x in d["findings"]),
            sanity=dict(d.get("sanity") or {}),
            scale_blocked=bool(d.get("scale_blocked", False)),
            transfer=dict(d.get("transfer") or {}),
        )


def default_batch_size(n_train: int) -> int:
    """A power of two near 1/30 of the training set, from 16 to 256; a tenth of a tiny one."""
    if n_train < SMALL_BATCH_BELOW:
        return small_data_batch_size(n_train)
    target = max(16.0, min(256.0, n_train / 30))
    return int(2 ** round(math.log2(target)))


def network_family(modality: Modality, n_train: int) -> tuple[ModelConfig, Msg]:
    """The first network for this modality and data size, and why."""
    if modality is Modality.SEQUENCE and n_train <= SMALL_SERIES_MAX_TRAIN:
        return (
            ModelConfig(Architecture.FCN, depth=3, width=FCN_WIDTH, batch_norm=True),
            msg(
                "the fully convolutional network of Wang et al. (2017), the strongest deep "
                "family on small series sets in Fawaz et al.'s review (2019); {n:,} training "
                "series is at most {limit:,}, so full-resolution convolutions are cheap",
                n=n_train,
                limit=SMALL_SERIES_MAX_TRAIN,
            ),
        )
    return (
        default_model_config(modality),
        msg("the default network for {modality} data", modality=modality),
    )


def baseline_configs(setup: TrainingSetup, *, seed: int) -> tuple[ModelConfig, TrainConfig]:
    """The unregularized starting point: the modality's default net, Adam, no extras."""
    model, _why = network_family(setup.spec.modality, setup.n_train)
    model = replace(model, dropout=0.0)
    batch = default_batch_size(setup.n_train)
    steps = max(1, math.ceil(setup.n_train / batch))
    low, high = BASELINE_EPOCHS_RANGE
    epochs = int(min(high, max(low, math.ceil(BASELINE_TARGET_STEPS / steps))))
    train = TrainConfig(
        lr=DEFAULT_LR,
        batch_size=batch,
        epochs=epochs,
        seed=seed,
        class_weights=balanced_class_weights(setup),
    )
    return model, train


def balanced_class_weights(setup: TrainingSetup) -> tuple[float, ...] | None:
    """Inverse-frequency weights when the classes are imbalanced, else None."""
    spec = setup.spec
    if not spec.task.is_classification or not is_imbalanced(dict(spec.class_counts)):
        return None
    counts = np.array([spec.class_counts[c] for c in spec.class_names], dtype=float)
    return tuple(float(w) for w in counts.sum() / (len(counts) * counts))


def train_baseline_network(
    setup: TrainingSetup,
    *,
    common_sense_score: float,
    common_sense_model: str,
    deadline: float,
    seed: int,
    verbose: bool = True,
) -> BaselineNetwork:
    """Train the unregularized baseline; retry at a lower LR if its curves say so."""
    decisions: list[Decision] = []
    findings: list[Finding] = []
    model, train = baseline_configs(setup, seed=seed)
    train_epochs_by_steps = train.epochs
    _model, family_why = network_family(setup.spec.modality, setup.n_train)
    shape = {
        "architecture": model.architecture,
        "depth": model.depth,
        "width": model.width,
        "head": _head(setup.spec.task),
    }
    decisions.append(
        Decision(
            what=msg(
                "{architecture} (depth {depth}, width {width}, batch norm) with a {head}", **shape
            )
            if model.batch_norm
            else msg("{architecture} (depth {depth}, width {width}) with a {head}", **shape),
            why=msg(
                "{family}; the head and loss follow the {task} task; batch norm is part of "
                "this architecture (it makes the conv net trainable at a default LR), while "
                "dropout, weight decay and augmentation stay off",
                family=family_why,
                task=setup.spec.task,
            )
            if model.batch_norm
            else msg(
                "{family}; the head and loss follow the {task} task; no regularization yet",
                family=family_why,
                task=setup.spec.task,
            ),
        )
    )
    lr_info, lr_why = _lr_choice(setup, model, train, deadline)
    lr_info = {**lr_info, "why": str(lr_why)}
    train = replace(train, lr=lr_info["lr"])
    decisions.append(
        Decision(
            what=msg("Adam at LR {lr:.2g}", lr=train.lr),
            why=lr_why,
            numbers={k: v for k, v in lr_info.items() if k in ("suggested", "lr")},
        )
    )
    # Sanity checks 1-2 (Karpathy 2019) before the baseline trains; seconds, on a few samples.
    checked, flagged, sanity = checks_before_training(
        setup, model, train, seed=seed, deadline=deadline
    )
    decisions.extend(checked)
    findings.extend(flagged)
    if train.class_weights is not None:
        decisions.append(
            Decision(
                what=msg("class weights inversely proportional to class frequency"),
                why=msg(
                    "the classes are imbalanced, so errors on the minority class must weigh "
                    "more in the loss"
                ),
                numbers=dict(zip(setup.spec.class_names, train.class_weights, strict=True)),
            )
        )
    epochs, epochs_why = _baseline_epochs(setup, model, train, deadline)
    train = replace(train, epochs=epochs)
    if setup.n_train < SMALL_BATCH_BELOW and epochs > train_epochs_by_steps:
        # A tiny split's baseline is the run's best estimate of the network that ships (trials
        # over 15 splits afford a few epochs each), so it follows the final recipe's schedule:
        # FCN on ArrowHead reached test 0.657 after 80 cosine epochs, 0.823 after 300.
        train = replace(train, schedule=ScheduleName.COSINE)
        epochs_why = join(
            [
                epochs_why,
                msg("the LR follows a cosine schedule, as the final retraining's will"),
            ],
            "; ",
        )
    decisions.append(
        Decision(
            what=msg(
                "{epochs} epochs at batch size {batch_size}, no early stopping",
                epochs=train.epochs,
                batch_size=train.batch_size,
            ),
            why=epochs_why,
        )
    )
    attempts = []
    evaluation = setup.evaluate(
        "baseline", model, train, deadline=deadline, stage=STAGE, verbose=verbose
    )
    attempts.append(evaluation)
    if evaluation.diagnosis.next_step is NextStep.LOWER_LR and time.monotonic() < deadline:
        lower = replace(train, lr=train.lr * LR_BACKOFF)
        decisions.append(
            Decision(
                what=msg("retrain at LR {lr:.2g}", lr=lower.lr),
                why=msg(
                    "the diagnosis found the LR too high: {evidence}",
                    evidence=join(
                        (
                            evidence_of(f)
                            for f in evaluation.diagnosis.findings
                            if f.code in (FindingCode.LR_TOO_HIGH, FindingCode.DIVERGED_NAN)
                        ),
                        "; ",
                    ),
                ),
            )
        )
        retry = setup.evaluate(
            "baseline_lower_lr", model, lower, deadline=deadline, stage=STAGE, verbose=verbose
        )
        attempts.append(retry)
        if setup.scoring.better(retry.val_score, evaluation.val_score) or evaluation.diverged:
            evaluation = retry
    findings.extend(evaluation.diagnosis.findings)
    if not evaluation.diverged and math.isfinite(evaluation.val_score):
        checked, flagged, after = check_after_training(
            setup,
            evaluation.model,
            evaluation.train,
            evaluation.val_score,
            seed=seed,
            baseline_seconds=evaluation.seconds,
        )
        decisions.extend(checked)
        findings.extend(flagged)
        sanity = {**sanity, **after, "seconds": sanity["seconds"] + after["seconds"]}
    beats = setup.scoring.better(evaluation.val_score, common_sense_score)
    if not beats:
        findings.append(
            below_common_sense(
                evaluation.val_score,
                common_sense_score,
                common_sense_model,
                str(setup.scoring.primary),
                STAGE,
                Severity.WARNING,
            )
        )
    else:
        decisions.append(
            Decision(
                what=msg(
                    "baseline beats the common-sense score: {score:.4f} against "
                    "{reference:.4f} ({metric})",
                    score=evaluation.val_score,
                    reference=common_sense_score,
                    metric=setup.scoring.primary,
                ),
                why=msg(
                    "a network that cannot beat a trivial predictor would point to a bug or "
                    "unusable data"
                ),
            )
        )
    return BaselineNetwork(
        evaluation=evaluation,
        attempts=tuple(attempts),
        lr_finder=lr_info,
        beats_common_sense=beats,
        decisions=tuple(decisions),
        findings=tuple(findings),
        sanity=sanity,
        scale_blocked=any(f.code is FindingCode.CANNOT_OVERFIT_BATCH for f in findings),
    )


def consider_transfer(
    base: BaselineNetwork,
    setup: TrainingSetup,
    weights: BackboneWeights,
    *,
    inputs_to_embed: int,
    seconds_available: float,
    verbose: bool = False,
) -> BaselineNetwork:
    """Try a frozen pretrained backbone against the scratch baseline (`_transfer`); keep the
    better on validation as the network stages 6–8 build on, and record why."""
    # The head follows the step rule, not the scratch network's epochs: on a tiny split the
    # latter fill the time share (up to 1,500), and the head on fixed features needs far
    # fewer; at the scratch network's time it took tuning's whole share (benchmarks/
    # RESULTS.md, issue #17, 10 patches a class: tuning ran 0.1 s).
    steps = max(1, math.ceil(setup.n_train / base.evaluation.train.batch_size))
    low, high = BASELINE_EPOCHS_RANGE
    head_epochs = int(min(high, max(low, math.ceil(BASELINE_TARGET_STEPS / steps))))
    outcome = try_transfer(
        setup,
        base.evaluation,
        weights,
        epochs=head_epochs,
        inputs_to_embed=inputs_to_embed,
        seconds_available=seconds_available,
        stage=STAGE,
        verbose=verbose,
    )
    evaluation = base.evaluation
    findings = base.findings
    if outcome.chosen and outcome.evaluation is not None:
        evaluation = outcome.evaluation
        # The scratch network's curve findings no longer describe the network kept.
        findings = (
            *(f for f in base.findings if f not in base.evaluation.diagnosis.findings),
            *evaluation.diagnosis.findings,
        )
    return replace(
        base,
        evaluation=evaluation,
        attempts=(*base.attempts, *((outcome.evaluation,) if outcome.evaluation else ())),
        decisions=(*base.decisions, outcome.decision),
        findings=tuple(findings),
        transfer=outcome.to_dict(),
    )


def _baseline_epochs(
    setup: TrainingSetup, model: ModelConfig, train: TrainConfig, deadline: float
) -> tuple[int, Text]:
    """The step-count rule; on a small split, as many epochs as the time share affords."""
    steps_rule = msg(
        "about {steps} optimizer steps on {n:,} training samples, "
        "and the whole curve is kept so the diagnosis can read it",
        steps=BASELINE_TARGET_STEPS,
        n=setup.n_train,
    )
    if setup.n_train > SMALL_DATA_MAX_TRAIN:
        return train.epochs, steps_rule
    per_epoch = measure_epoch_seconds(setup, model, train)
    share = SMALL_DATA_TIME_SHARE * max(deadline - time.monotonic(), 0.0)
    affordable = int(share / per_epoch) if per_epoch > 0 else train.epochs
    epochs = int(min(SMALL_DATA_MAX_EPOCHS, max(train.epochs, affordable)))
    if epochs <= train.epochs:
        return train.epochs, steps_rule
    return epochs, msg(
        "{n:,} training samples: an epoch takes about {ms:.0f} ms, so "
        "the time share, not a step count, bounds the baseline ({epochs} epochs, at most "
        "{limit:,} as Fawaz et al. trained ResNet on such sets); the whole "
        "curve is kept so the diagnosis can read it",
        n=setup.n_train,
        ms=per_epoch * 1000,
        epochs=epochs,
        limit=SMALL_DATA_MAX_EPOCHS,
    )


def measure_epoch_seconds(setup: TrainingSetup, model: ModelConfig, train: TrainConfig) -> float:
    """Seconds one more epoch over the first split's training data takes.

    Timed as the difference between a 3-epoch and a 1-epoch `fit`, so the fixed cost of a
    call (building the optimizer, the first batches) does not count as per-epoch time: on a
    28-series split it made an epoch look 5× as long (278 ms against 57 ms).
    """
    fold = setup.folds[0]
    net = setup.network(model, seed=train.seed)
    cfg = replace(train, epochs=1, schedule="constant", early_stopping_patience=None)
    fit(net, fold.train, None, cfg, task=setup.spec.task, verbose=False)  # first calls are slow
    started = time.monotonic()
    fit(net, fold.train, None, cfg, task=setup.spec.task, verbose=False)
    one = time.monotonic() - started
    started = time.monotonic()
    fit(net, fold.train, None, replace(cfg, epochs=3), task=setup.spec.task, verbose=False)
    three = time.monotonic() - started
    return max((three - one) / 2, three / 6)


def below_common_sense(
    value: float,
    reference: float,
    reference_model: str,
    metric: str,
    stage: str,
    severity: Severity,
) -> Finding:
    return Finding(
        code=FindingCode.BELOW_COMMON_SENSE_BASELINE,
        severity=severity,
        stage=stage,
        evidence=msg(
            "validation {metric} {value:.4f} does not beat the common-sense "
            "{model}'s {reference:.4f}",
            metric=metric,
            value=value,
            model=reference_model,
            reference=reference,
        ),
        action=msg(
            "likely causes: labels that do not depend on the inputs, a learning rate far "
            "off (see the LR findings), too few samples, or a bug in the data preparation; "
            "check that one small batch can be overfit"
        ),
    )


def _head(task: Task) -> Msg:
    return {
        Task.BINARY: msg("1-logit sigmoid head and binary cross-entropy"),
        Task.MULTICLASS: msg("k-logit softmax head and cross-entropy"),
        Task.REGRESSION: msg("linear output and MSE"),
        Task.VECTOR_REGRESSION: msg("linear outputs and MSE"),
        Task.MULTILABEL: msg("k sigmoid outputs and binary cross-entropy"),
    }[task]


def _choose_lr(
    setup: TrainingSetup, model: ModelConfig, train: TrainConfig, deadline: float
) -> dict[str, Any]:
    """The LR for Adam and what the range test found, with ``why`` as English text."""
    info, why = _lr_choice(setup, model, train, deadline)
    return {**info, "why": str(why)}


def _lr_choice(
    setup: TrainingSetup, model: ModelConfig, train: TrainConfig, deadline: float
) -> tuple[dict[str, Any], Msg]:
    """The LR for Adam and what the range test found, and why, as a message."""
    low, high = ADAM_LR_RANGE
    if deadline - time.monotonic() < LR_FINDER_MIN_SECONDS:
        return {"lr": DEFAULT_LR, "suggested": None}, msg(
            "the baseline's share of the budget is under {seconds:g}s, "
            "too little for an LR range test as well; Adam's default is used",
            seconds=LR_FINDER_MIN_SECONDS,
        )
    fold = setup.folds[0]

    def build() -> torch.nn.Module:
        return setup.network(model, seed=train.seed)

    try:
        result = find_lr(build, fold.train, train, task=setup.spec.task, steps=60)
    except (RuntimeError, ValueError) as exc:  # a finder failure must not stop the run
        return {"lr": DEFAULT_LR, "suggested": None}, msg(
            "the LR range test failed ({error}); Adam's default is used",
            error=exc.message if isinstance(exc, DlpilotError) else str(exc),
        )
    suggested = float(result.suggested_lr)
    if not math.isfinite(suggested):
        return {"lr": DEFAULT_LR, "suggested": None}, msg(
            "the LR range test found no clear minimum; Adam's default is used"
        )
    curve = {"lrs": [float(v) for v in result.lrs], "losses": [float(v) for v in result.losses]}
    if not low / LR_FINDER_TRUST <= suggested <= high * LR_FINDER_TRUST:
        return {"lr": DEFAULT_LR, "suggested": suggested, "curve": curve}, msg(
            "the LR range test suggested {suggested:.2g}, over {trust:g}× "
            "outside the sane range [{low:g}, {high:g}] for Adam, so its curve is not trusted "
            "and Adam's default is used",
            suggested=suggested,
            trust=LR_FINDER_TRUST,
            low=low,
            high=high,
        )
    lr = float(min(high, max(low, suggested)))
    info = {"lr": lr, "suggested": suggested, "curve": curve}
    if lr == suggested:
        return info, msg("the LR range test suggested {suggested:.2g}", suggested=suggested)
    return info, msg(
        "the LR range test suggested {suggested:.2g}, kept within [{low:g}, {high:g}]",
        suggested=suggested,
        low=low,
        high=high,
    )
