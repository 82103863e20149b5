"""Learning curves with a known cause, for tests and benchmarks of the diagnosis.

`make_case(cause, seed)` draws one history shaped by ``cause`` (its length, levels, time
constants and noise drawn from ``seed``) and says what a right diagnosis finds. Losses
carry multiplicative log-normal noise (1–4% per epoch; 1.5× that on validation), and the
accuracy columns follow the loss through one fixed map (`error_of_loss`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dlpilot.core.history import History

CAUSES = (
    "healthy",
    "overfitting",
    "undertrained",
    "lr_too_high",
    "diverged_nan",
    "lr_too_low",
    "underfitting",
    "avoidable_bias",
    "high_variance",
)


@dataclass(frozen=True)
class SyntheticCase:
    cause: str
    seed: int
    history: History
    human_error: float | None = None
    truth: dict[str, Any] = field(default_factory=dict)  # e.g. {"overfit_epoch": 17}


def error_of_loss(loss: np.ndarray) -> np.ndarray:
    """A cross-entropy-like loss to a 10-class error rate: 2.3 → 0.88, 0.3 → 0.07, 0.1 → 0.01."""
    return 0.9 * (1.0 - np.exp(-np.square(loss) / 1.2))


def loss_of_error(error: float) -> float:
    return math.sqrt(-1.2 * math.log(1.0 - error / 0.9))


def make_case(cause: str, seed: int, *, n_epochs: int | None = None) -> SyntheticCase:
    if cause not in CAUSES:
        raise ValueError(f"Unknown cause {cause!r}; choose one of {', '.join(CAUSES)}.")
    rng = np.random.default_rng([seed, CAUSES.index(cause)])
    n = int(n_epochs if n_epochs is not None else rng.integers(20, 61))
    t = np.arange(n, dtype=float)
    l0 = rng.uniform(1.8, 2.5)
    sigma = rng.uniform(0.01, 0.04)
    human: float | None = None
    truth: dict[str, Any] = {}
    with_metric = True
    lr = 1e-3

    def decay(start: float, end: float, tau: float) -> np.ndarray:
        return end + (start - end) * np.exp(-t / tau)

    if cause == "healthy":
        end = rng.uniform(0.1, 0.35)
        tau = n * rng.uniform(1 / 15, 1 / 10)
        train = decay(l0, end, tau)
        val = decay(l0 * rng.uniform(0.95, 1.05), end * rng.uniform(1.02, 1.15), tau)
        with_metric = rng.random() < 0.75
        if with_metric and rng.random() < 0.5:
            human = float(error_of_loss(np.array([end]))[0] * rng.uniform(0.85, 1.0))
    elif cause == "overfitting":
        train = decay(l0, rng.uniform(0.01, 0.08), n * rng.uniform(0.08, 0.15))
        turn = round(n * rng.uniform(0.25, 0.55))
        v_min = rng.uniform(0.3, 0.8)
        base = decay(l0 * rng.uniform(0.95, 1.05), v_min, max(turn / rng.uniform(3, 5), 1.0))
        power = rng.uniform(1.0, 1.6)
        after = np.clip(t - turn, 0, None) ** power
        val = base + v_min * rng.uniform(0.3, 1.2) * after / max(after[-1], 1e-9)
        truth["overfit_epoch"] = int(np.argmin(val)) + 1
        with_metric = rng.random() < 0.75
    elif cause == "undertrained":
        end = rng.uniform(0.1, 0.4)
        tau = n * rng.uniform(0.3, 0.7)
        train = decay(l0, end, tau)
        val = decay(l0 * rng.uniform(0.95, 1.05), end * rng.uniform(1.02, 1.15), tau)
        with_metric = rng.random() < 0.75
    elif cause == "lr_too_high":
        lr = 0.1
        if rng.random() < 0.5:  # oscillation
            end = rng.uniform(0.4, 1.0)
            tau = n * rng.uniform(0.05, 0.15)
            train = decay(l0, end, tau)
            val = decay(l0, end * rng.uniform(1.02, 1.15), tau)
            hit = rng.random(n) < rng.uniform(0.25, 0.45)
            hit[0] = False
            jump = rng.uniform(0.6, 2.5, n)
            val = val * np.where(hit, 1 + jump, 1.0)
            train = train * np.where(hit, 1 + 0.5 * jump, 1.0)
            truth["mode"] = "oscillation"
        else:  # divergence
            turn = round(n * rng.uniform(0.2, 0.5))
            low = rng.uniform(0.4, 1.0)
            base = decay(l0, low, max(turn / 4, 1.0))
            growth = math.log(rng.uniform(2.0, 6.0)) / max(n - 1 - turn, 1)
            ramp = np.exp(growth * np.clip(t - turn, 0, None))
            train = base * ramp
            val = base * rng.uniform(1.05, 1.2) * ramp
            truth["mode"] = "divergence"
    elif cause == "diverged_nan":
        lr = 0.1
        end = rng.uniform(0.2, 0.6)
        train = decay(l0, end, n * rng.uniform(0.1, 0.3))
        val = train * rng.uniform(1.02, 1.15)
        k = round(n * rng.uniform(0.3, 0.9))
        if rng.random() < 0.5:  # a blow-up just before
            train[k - 1] *= rng.uniform(1.5, 5)
            val[k - 1] *= rng.uniform(1.5, 5)
        bad = math.inf if rng.random() < 0.3 else math.nan
        train[k:] = bad
        val[k:] = bad
        if rng.random() < 0.5:  # stopped at the first NaN, like Keras' TerminateOnNaN
            n = k + 1
            t, train, val = t[:n], train[:n], val[:n]
        truth["nan_epoch"] = k + 1
    elif cause == "lr_too_low":
        lr = 1e-5
        drop = rng.uniform(0.08, 0.25)
        q = rng.uniform(0.85, 1.1)
        train = l0 * (1 - drop * (t / (n - 1)) ** q)
        val = train * rng.uniform(1.0, 1.05)
    elif cause == "underfitting":
        end = l0 * rng.uniform(0.55, 0.85)
        tau = n * rng.uniform(0.05, 0.12)
        train = decay(l0, end, tau)
        val = train * rng.uniform(1.0, 1.05)
        with_metric = rng.random() < 0.5
    elif cause == "avoidable_bias":
        e_train = rng.uniform(0.08, 0.18)
        e_val = e_train + rng.uniform(0.0, 0.02)
        human = float(rng.uniform(0.01, 0.04))
        tau = n * rng.uniform(1 / 15, 1 / 10)
        train = decay(l0, loss_of_error(e_train), tau)
        val = decay(l0 * rng.uniform(0.95, 1.05), loss_of_error(e_val), tau)
    else:  # high_variance
        e_train = rng.uniform(0.005, 0.03)
        e_val = e_train + rng.uniform(0.07, 0.15)
        tau = n * rng.uniform(1 / 15, 1 / 10)
        train = decay(l0, loss_of_error(e_train), tau)
        val = decay(l0 * rng.uniform(0.95, 1.05), loss_of_error(e_val), tau)
        with_metric = rng.random() < 0.75

    with np.errstate(invalid="ignore"):
        train = train * np.exp(rng.normal(0, sigma, n))
        val = val * np.exp(rng.normal(0, 1.5 * sigma, n))
    columns: dict[str, list[float]] = {"loss": train.tolist(), "val_loss": val.tolist()}
    if with_metric:
        with np.errstate(invalid="ignore"):
            columns["accuracy"] = (1 - error_of_loss(train)).tolist()
            columns["val_accuracy"] = (1 - error_of_loss(val)).tolist()
    columns["lr"] = [lr] * n
    history = History(
        columns=columns, metric="accuracy" if with_metric else None, greater_is_better=True
    )
    return SyntheticCase(cause, seed, history, human, truth)


def make_mismatch(seed: int, *, mismatched: bool) -> dict[str, Any]:
    """Validation and test accuracies on a few thousand samples, apart or alike."""
    rng = np.random.default_rng([seed, 99])
    n_val, n_test = (int(x) for x in rng.integers(1000, 10001, 2))
    val = rng.uniform(0.80, 0.97)
    test = val - rng.uniform(0.05, 0.15) if mismatched else val
    # what each split would really score: binomial noise on the true accuracy
    val_score = rng.binomial(n_val, val) / n_val
    test_score = rng.binomial(n_test, max(test, 0.0)) / n_test
    return {"val_score": val_score, "test_score": test_score, "n_val": n_val, "n_test": n_test}
