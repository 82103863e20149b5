"""Stage 8's last choice: ship the network, or the linear baseline that beat it.

The comparison is on validation only (the test set is not open yet when it is made). The
linear baseline is a network of depth 0: its coefficients go into a `Linear` layer behind the
same preparation, so the bundle, `predict`, ONNX export and the estimators are unchanged. A
non-linear yardstick (MiniRocket for series) is never shipped; when it beats what ships, the
finding names it and says to use it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

from threadpoolctl import threadpool_limits

from dlpilot.core.enums import FindingCode, Severity, ShipPolicy, Task
from dlpilot.core.numbers import finite_or_none, nan_if_none, rank_key
from dlpilot.core.policy import SMALL_FIT_THREADS
from dlpilot.core.records import Finding, ProblemSpec
from dlpilot.engine import ModelConfig
from dlpilot.engine.data import sample_tensors
from dlpilot.engine.linear import linear_estimator, linear_features, load_linear_weights
from dlpilot.stages._evaluate import Scoring, new_network

STAGE = "final"
LINEAR_MODEL = ModelConfig("linear", depth=0)
# The shipped linear model is fitted on at most this many development rows, as stage 4's.
LINEAR_MAX_ROWS = 10_000


class Shipped:
    NETWORK = "network"
    LINEAR = "linear_baseline"


@dataclass(frozen=True)
class ShipChoice:
    """What ships, and the validation scores that decided it."""

    shipped: str
    network_val: float
    linear: tuple[str, float]
    best_classical: tuple[str, float]
    policy: ShipPolicy
    reason: str
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "shipped": self.shipped,
            "policy": str(self.policy),
            "network_val": finite_or_none(self.network_val),
            "linear": {"model": self.linear[0], "val": finite_or_none(self.linear[1])},
            "best_classical": {
                "model": self.best_classical[0],
                "val": finite_or_none(self.best_classical[1]),
            },
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ShipChoice:
        return cls(
            shipped=d["shipped"],
            network_val=nan_if_none(d["network_val"]),
            linear=(d["linear"]["model"], nan_if_none(d["linear"]["val"])),
            best_classical=(d["best_classical"]["model"], nan_if_none(d["best_classical"]["val"])),
            policy=ShipPolicy(d["policy"]),
            reason=d["reason"],
            findings=(),
        )


def choose_shipped(
    *,
    scoring: Scoring,
    network_val: float,
    linear: tuple[str, float],
    yardsticks: dict[str, float],
    policy: ShipPolicy,
    linear_shippable: bool,
) -> ShipChoice:
    """The better on validation of the network and the linear baseline, unless ``policy``
    forces the network; a yardstick that beats what ships is named, never shipped."""
    metric = str(scoring.primary)
    policy = ShipPolicy(policy)
    linear_name, linear_val = linear
    linear_wins = scoring.better(linear_val, network_val)
    ship_linear = linear_wins and policy is ShipPolicy.AUTO and linear_shippable
    shipped_val = linear_val if ship_linear else network_val
    best = max(
        [(linear_name, linear_val), *yardsticks.items()],
        key=lambda item: rank_key(item[1], scoring.greater_is_better),
    )
    findings: list[Finding] = []
    if ship_linear:
        reason = (
            f"{linear_name} scores validation {metric} {linear_val:.4f} against the network's "
            f"{network_val:.4f}, so the linear model ships (a network of depth 0 behind the same "
            "preparation); --ship network keeps the network"
        )
        findings.append(
            _below(
                f"the tuned network's validation {metric} {network_val:.4f} does not beat "
                f"{linear_name}'s {linear_val:.4f}",
                "the linear model was shipped instead; the network may need another family, "
                "longer training or more data, or the inputs carry mostly linear signal",
            )
        )
    elif linear_wins:
        why = (
            "--ship network was given"
            if policy is ShipPolicy.NETWORK
            else "the linear model cannot be shipped for this input kind"
        )
        reason = f"the network ships although {linear_name} beats it on validation: {why}"
        findings.append(
            _below(
                f"the shipped network's validation {metric} {network_val:.4f} is worse than "
                f"{linear_name}'s {linear_val:.4f} ({why})",
                f"consider {linear_name} for this data, or leave out --ship network to ship "
                "the better model",
            )
        )
    else:
        reason = (
            f"the network's validation {metric} {network_val:.4f} beats {linear_name}'s "
            f"{linear_val:.4f}, so the network ships"
        )
    if best[0] != linear_name and scoring.better(best[1], shipped_val):
        findings.append(
            _below(
                f"{best[0]} scores validation {metric} {best[1]:.4f}, better than the shipped "
                f"model's {shipped_val:.4f}",
                f"for this data, use {best[0]} (MiniRocket: sktime's or aeon's MiniRocket with "
                "a RidgeClassifierCV); dlpilot does not ship it",
            )
        )
    return ShipChoice(
        shipped=Shipped.LINEAR if ship_linear else Shipped.NETWORK,
        network_val=network_val,
        linear=(linear_name, linear_val),
        best_classical=best,
        policy=policy,
        reason=reason,
        findings=tuple(findings),
    )


def linear_shippable(spec: ProblemSpec) -> bool:
    """Whether the linear baseline can be a network here: it reads float inputs, not tokens."""
    from dlpilot.core.enums import Modality

    return spec.modality is not Modality.TEXT


def fit_linear_member(preparer: Any, data: Any, spec: ProblemSpec, *, seed: int = 0) -> Any:
    """Fit stage 4's linear model on the prepared development data, as a depth-0 network."""
    x, y, _cut = sample_tensors(data, LINEAR_MAX_ROWS, seed=seed)
    y_np = y.numpy()
    if spec.task is Task.MULTILABEL:
        y_np = y_np.astype("int64")
    _name, estimator = linear_estimator(spec.task)
    with threadpool_limits(limits=SMALL_FIT_THREADS), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings, as in stage 4
        estimator.fit(linear_features(x), y_np)
    model = new_network(
        LINEAR_MODEL,
        spec,
        input_shape=preparer.input_shape,
        train_y=data.y if hasattr(data, "y") else y,
        seed=seed,
    )
    load_linear_weights(model, estimator, spec.task, n_classes=spec.n_outputs)
    model.eval()
    return model


def _below(evidence: str, action: str) -> Finding:
    return Finding(
        code=FindingCode.BELOW_CLASSICAL_BASELINE,
        severity=Severity.WARNING,
        stage=STAGE,
        evidence=evidence,
        action=action,
    )
