"""Stage 8's last choice: ship the network, or a classical model that beat it.

The comparison is on validation only (the test set is not open yet when it is made). Each
classical model that can ship is a network too, behind the same preparation, so the bundle,
`predict`, ONNX export and the estimators are unchanged: the linear baseline is a `Linear`
layer (a network of depth 0), and the series yardstick is MiniRocket's fixed kernels with
its ridge model in a `Linear` layer (`engine.rocket`). A classical model that wins but
cannot ship here is named in a finding with the advice to use it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from dlpilot.core.enums import FindingCode, Modality, Severity, ShipPolicy, Task
from dlpilot.core.messages import EnglishReason, Msg, Text, join, msg
from dlpilot.core.numbers import finite_or_none, nan_if_none, rank_key
from dlpilot.core.policy import SMALL_FIT_THREADS
from dlpilot.core.records import Finding, ProblemSpec
from dlpilot.engine import ModelConfig
from dlpilot.engine.data import sample_tensors
from dlpilot.engine.linear import linear_estimator, linear_features, load_linear_weights
from dlpilot.engine.rocket import fit_minirocket
from dlpilot.stages._evaluate import Scoring, new_network
from dlpilot.stages._yardsticks import MINIROCKET, ROCKET_MODEL

STAGE = "final"
LINEAR_MODEL = ModelConfig("linear", depth=0)
# The shipped linear model is fitted on at most this many development rows, as stage 4's.
LINEAR_MAX_ROWS = 10_000


class Shipped:
    NETWORK = "network"
    LINEAR = "linear_baseline"
    MINIROCKET = "minirocket"


# The yardsticks that ship as networks, by the name stage 4 scored them under.
SHIPPABLE_YARDSTICKS = {MINIROCKET: Shipped.MINIROCKET}


@dataclass(frozen=True)
class ShipChoice(EnglishReason):
    """What ships, and the validation scores that decided it.

    ``reason`` is kept as English text (the summary's); given as a message, the message is
    kept in ``message`` (`why`), for the decision in the reader's language.
    """

    shipped: str
    network_val: float
    linear: tuple[str, float]
    best_classical: tuple[str, float]
    policy: ShipPolicy
    reason: Text
    findings: tuple[Finding, ...]
    # The classical model that ships (name, validation score); None when the network ships.
    classical: tuple[str, float] | None = None
    message: Text | None = field(default=None, compare=False, repr=False)

    @property
    def ships_network(self) -> bool:
        return self.shipped == Shipped.NETWORK

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
            "shipped_classical": None
            if self.classical is None
            else {"model": self.classical[0], "val": finite_or_none(self.classical[1])},
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ShipChoice:
        classical = d.get("shipped_classical")
        return cls(
            shipped=d["shipped"],
            network_val=nan_if_none(d["network_val"]),
            linear=(d["linear"]["model"], nan_if_none(d["linear"]["val"])),
            best_classical=(d["best_classical"]["model"], nan_if_none(d["best_classical"]["val"])),
            policy=ShipPolicy(d["policy"]),
            reason=d["reason"],
            findings=(),
            classical=None
            if classical is None
            else (classical["model"], nan_if_none(classical["val"])),
        )


def choose_shipped(
    *,
    scoring: Scoring,
    network_val: float,
    linear: tuple[str, float],
    yardsticks: dict[str, float],
    policy: ShipPolicy,
    linear_shippable: bool,
    fold_scores: Mapping[str, Sequence[float]] | None = None,
    network_splits: int | None = None,
) -> ShipChoice:
    """The best on validation of the network and the classical models that can ship here,
    unless ``policy`` forces the network; a classical model that beats what ships but cannot
    ship is named in a finding.

    The classical models rank among themselves by their means over every split. When the
    network's score rests on fewer splits (``network_splits``: the first-split networks of
    stages 5–6 under iterated K-fold), it meets each classical model on those same splits
    (``fold_scores``), and a tie goes to the classical model: the network's figure is the
    best of several networks on the same few validation samples, so it flatters. ArrowHead
    (2 min, seed 2): the network's 0.875 on the first split shipped over MiniRocket's 0.849
    (1.000 on that split) and scored 0.703 on test.
    """
    metric = str(scoring.primary)
    policy = ShipPolicy(policy)
    linear_name, linear_val = linear
    folds = dict(fold_scores or {})

    def paired(name: str, val: float) -> float:
        """``name``'s score on the splits the network was scored on."""
        scores = [v for v in folds.get(name, ())[: network_splits or 0] if math.isfinite(v)]
        return float(np.mean(scores)) if is_paired(name) and scores else val

    def is_paired(name: str) -> bool:
        return network_splits is not None and 0 < network_splits < len(folds.get(name, ()))

    def beats_network(name: str, val: float) -> bool:
        mine = paired(name, val)
        if is_paired(name) and mine == network_val:
            return True
        return scoring.better(mine, network_val)

    def ranked(items: list[tuple[str, float]]) -> tuple[str, float] | None:
        if not items:
            return None
        return max(items, key=lambda item: rank_key(item[1], scoring.greater_is_better))

    classical = [(linear_name, linear_val), *yardsticks.items()]
    best = ranked(classical)
    assert best is not None
    shippable = [
        (name, val)
        for name, val in classical
        if (name == linear_name and linear_shippable) or name in SHIPPABLE_YARDSTICKS
    ]
    # The best (over all splits) of the shippable classical models that beat the network.
    ships = (
        ranked([(n, v) for n, v in shippable if beats_network(n, v)])
        if policy is ShipPolicy.AUTO
        else None
    )
    findings: list[Finding] = []
    reason: Text
    if ships is not None:
        name, val = ships
        shipped = Shipped.LINEAR if name == linear_name else SHIPPABLE_YARDSTICKS[name]
        shipped_val = val
        scores = {
            "name": name,
            "metric": metric,
            "score": paired(name, val),
            "network": network_val,
        }
        versus = (
            msg(
                "on the {splits} the network was scored on, {name} scores validation "
                "{metric} {score:.4f} against the network's {network:.4f} (a tie goes to "
                "{name}: the network's figure is the best of several on the same few samples; "
                "over all splits {name} scores {overall:.4f})",
                splits=_splits(network_splits),
                overall=val,
                **scores,
            )
            if is_paired(name)
            else msg(
                "{name} scores validation {metric} {score:.4f} against the network's {network:.4f}",
                **scores,
            )
        )
        reason = (
            msg(
                "{versus}, so the linear model ships (as a network behind the same "
                "preparation, of depth 0); --ship network keeps the network",
                versus=versus,
            )
            if shipped == Shipped.LINEAR
            else msg(
                "{versus}, so {name} ships (as a network behind the same preparation: fixed "
                "kernels, a ridge layer); --ship network keeps the network",
                versus=versus,
                name=name,
            )
        )
        findings.append(
            _below(
                msg(
                    "the tuned network's validation {metric} {network:.4f} does not beat "
                    "{name}'s {score:.4f} on the same {splits}",
                    splits=_splits(network_splits),
                    **scores,
                )
                if is_paired(name)
                else msg(
                    "the tuned network's validation {metric} {network:.4f} does not beat "
                    "{name}'s {score:.4f}",
                    **scores,
                ),
                msg(
                    "{name} was shipped instead; the network may need another family, longer "
                    "training or more data, or the inputs carry mostly linear signal",
                    name=name,
                )
                if shipped == Shipped.LINEAR
                else msg(
                    "{name} was shipped instead; the network may need another family, longer "
                    "training or more data",
                    name=name,
                ),
            )
        )
    else:
        shipped, shipped_val = Shipped.NETWORK, network_val
        reason = msg(
            "the network's validation {metric} {score:.4f} beats {others}, so the network ships",
            metric=metric,
            score=network_val,
            others=join((msg("{name}'s {score:.4f}", name=n, score=v) for n, v in classical), ", "),
        )
    better = ranked(
        [
            (n, v)
            for n, v in classical
            if (beats_network(n, v) if ships is None else scoring.better(v, shipped_val))
        ]
    )
    if better is not None:
        name, val = better
        if (name, val) in shippable:
            why = msg("--ship network was given")
            action = msg(
                "leave out --ship network to ship {name}, which validated better", name=name
            )
        else:
            why = msg("dlpilot cannot ship it for this input kind")
            action = msg("for this data, consider {name}", name=name)
        if ships is None:
            reason = msg(
                "the network ships although {name} beats it on validation: {why}",
                name=name,
                why=why,
            )
        else:
            reason = join(
                [reason, msg("{name} validated better still, but {why}", name=name, why=why)],
                "; ",
            )
        findings.append(
            _below(
                _worse_evidence(
                    ships is None,
                    is_paired(name),
                    {
                        "metric": metric,
                        "score": shipped_val,
                        "name": name,
                        "other": val if ships is not None else paired(name, val),
                        "splits": _splits(network_splits),
                        "why": why,
                    },
                ),
                action,
            )
        )
    return ShipChoice(
        shipped=shipped,
        network_val=network_val,
        linear=(linear_name, linear_val),
        best_classical=best,
        policy=policy,
        reason=reason,
        findings=tuple(findings),
        classical=ships,
    )


def _splits(n: int | None) -> Msg:
    return msg("first split") if n == 1 else msg("first {n} splits", n=n)


def _worse_evidence(network: bool, paired: bool, values: dict[str, Any]) -> Msg:
    """The shipped model (the ``network``, or a classical one) scores worse on validation
    than a classical model that does not ship (on the network's own splits when ``paired``)."""
    if network and paired:
        return msg(
            "the shipped network's validation {metric} {score:.4f} is worse than "
            "{name}'s {other:.4f} on the same {splits} ({why})",
            **values,
        )
    values = {k: v for k, v in values.items() if k != "splits"}
    if network:
        return msg(
            "the shipped network's validation {metric} {score:.4f} is worse than "
            "{name}'s {other:.4f} ({why})",
            **values,
        )
    return msg(
        "the shipped model's validation {metric} {score:.4f} is worse than "
        "{name}'s {other:.4f} ({why})",
        **values,
    )


def linear_shippable(spec: ProblemSpec) -> bool:
    """Whether the linear baseline can be a network here: it reads float inputs, not tokens."""
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


def fit_minirocket_member(
    preparer: Any, data: Any, spec: ProblemSpec, *, max_rows: int, seed: int = 0
) -> Any:
    """Fit stage 4's series yardstick on (at most ``max_rows`` of) the prepared development
    data, as the network stage 4 scored on each split."""
    x, y, _cut = sample_tensors(data, max_rows, seed=seed)
    model = new_network(
        ROCKET_MODEL,
        spec,
        input_shape=preparer.input_shape,
        train_y=data.y if hasattr(data, "y") else y,
        seed=seed,
    )
    with threadpool_limits(limits=SMALL_FIT_THREADS):
        fit_minirocket(model, x, y.numpy(), task=spec.task, n_classes=spec.n_outputs, seed=seed)
    return model


def _below(evidence: Text, action: Text) -> Finding:
    return Finding(
        code=FindingCode.BELOW_CLASSICAL_BASELINE,
        severity=Severity.WARNING,
        stage=STAGE,
        evidence=evidence,
        action=action,
    )
