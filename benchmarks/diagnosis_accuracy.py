"""How often the diagnosis names the right cause on synthetic learning curves.

For each cause of `dlpilot.diagnose.synthetic` and each seed, one history is drawn (20-60
epochs, 1-4% noise per epoch, 1.5x that on validation; levels and time constants drawn
per seed) and diagnosed. A case is right when the cause's code is among the findings
(overfitting: also its epoch within max(3, 10% of the epochs) of the true turn); a
healthy case is right when it gets no warning or error. data_mismatch is scored on
validation/test accuracies that differ (right: found) or agree (right: not found).

    PYTHONPATH=src python benchmarks/diagnosis_accuracy.py [--seeds 100] [--planted-seeds 20]

A second table plants the failures the sanity checks exist for (issue 16) on small real
and generated data, each beside its sound twin, so both the detections and the false alarms
are counted: a head bias off by 10 (bad_initial_loss), a network its inputs never reach
(cannot_overfit_batch), labels shuffled against the inputs (inputs_carry_no_signal), a
search whose optimum lies past the learning rate's bound (best_at_search_edge), two copies of
one configuration against a clearly worse one (the noise floor's ties), and prepared images
left un-normalised (the "what the network sees" warning), on scikit-learn's digits.

Prints a table (share right, its 95% Wilson interval, the codes also found) and saves
settings and results to diagnosis_accuracy.json beside this script.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

import dlpilot
from dlpilot.core.enums import Severity
from dlpilot.diagnose import diagnose, diagnose_mismatch, thresholds
from dlpilot.diagnose.synthetic import CAUSES, make_case, make_mismatch


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def run(seeds: int) -> dict[str, dict]:
    results: dict[str, dict] = {}
    for cause in CAUSES:
        right, also = 0, Counter()
        epoch_errors: list[int] = []
        for seed in range(seeds):
            case = make_case(cause, seed)
            d = diagnose(case.history, human_error=case.human_error)
            codes = {str(c) for c in d.codes}
            if cause == "healthy":
                ok = all(f.severity.rank < Severity.WARNING.rank for f in d.findings)
            else:
                ok = cause in codes
                if cause == "overfitting" and ok:
                    error = abs((d.overfit_epoch or 0) - case.truth["overfit_epoch"])
                    epoch_errors.append(error)
                    ok = error <= max(3, round(0.1 * len(case.history)))
            right += ok
            also.update(codes - {cause})
        results[cause] = _row(right, seeds, also)
        if epoch_errors:
            results[cause]["overfit_epoch_abs_error_mean"] = float(np.mean(epoch_errors))
    pos = sum(
        bool(
            diagnose_mismatch(
                metric="accuracy", greater_is_better=True, **make_mismatch(s, mismatched=True)
            )
        )
        for s in range(seeds)
    )
    neg = sum(
        not diagnose_mismatch(
            metric="accuracy", greater_is_better=True, **make_mismatch(s, mismatched=False)
        )
        for s in range(seeds)
    )
    results["data_mismatch"] = _row(pos, seeds, Counter())
    results["data_mismatch (splits agree: none found)"] = _row(neg, seeds, Counter())
    return results


# --- planted failures of the sanity checks -------------------------------------------------


def _planted_data(seed: int, n: int = 400):
    """A small multiclass problem whose label follows the inputs: 8 features, 2-5 classes."""
    import torch

    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 6))
    x = rng.normal(size=(n, 8)).astype(np.float32)
    w = rng.normal(size=(8, k))
    y = (x @ w + 0.3 * rng.normal(size=(n, k))).argmax(1)
    return torch.from_numpy(x), torch.from_numpy(y.astype(np.int64)), k


def _mlp(k: int, seed: int):
    from dlpilot.engine import ModelConfig, build_model

    return build_model(
        ModelConfig("mlp", depth=2, width=64), input_shape=(8,), n_outputs=k, seed=seed
    )


def planted(seeds: int) -> dict[str, dict]:
    import torch
    from torch import nn

    from dlpilot.core.enums import MetricName, Task
    from dlpilot.core.metrics import accuracy_error
    from dlpilot.engine import TensorData, TrainConfig, fit
    from dlpilot.stages._sanity import (
        check_initial_loss,
        check_inputs_matter,
        check_overfits_one_batch,
    )

    torch.set_num_threads(1)
    counts: dict[str, list[int]] = {}

    def tally(row: str, ok: bool) -> None:
        counts.setdefault(row, [0, 0])
        counts[row][0] += bool(ok)
        counts[row][1] += 1

    def accuracy(y, scores):
        return float((scores.argmax(1) == y).float().mean())

    def trained_val(x, y, k, seed):
        net = _mlp(k, seed)
        fit(
            net,
            TensorData(x[:300], y[:300]),
            None,
            TrainConfig(batch_size=32, epochs=30, lr=3e-3, seed=seed),
            task=Task.MULTICLASS,
            verbose=False,
        )
        net.eval()
        with torch.no_grad():
            return accuracy(y[300:], torch.softmax(net(x[300:]), 1))

    def one_seed(seed: int) -> None:
        x, y, k = _planted_data(seed)
        task = Task.MULTICLASS
        # 1. loss at initialisation
        _d, found, _n = check_initial_loss(_mlp(k, seed), x, y, task=task, n_classes=k)
        tally("bad_initial_loss: sound head (none found)", found is None)
        broken = _mlp(k, seed)
        with torch.no_grad():
            broken[-1].bias[int(seed % k)] += 10.0
        _d, found, _n = check_initial_loss(broken, x, y, task=task, n_classes=k)
        tally("bad_initial_loss: head bias +10 (found)", found is not None)

        # 2. one batch overfit
        class Blind(nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.net = _mlp(k, seed)

            def forward(self, inputs):
                return self.net(torch.zeros_like(inputs))

        _d, found, _n = check_overfits_one_batch(
            lambda: _mlp(k, seed), x[:32], y[:32], task=task, lr=1e-2, seconds=3.0
        )
        tally("cannot_overfit_batch: sound network (none found)", found is None)
        _d, found, _n = check_overfits_one_batch(
            Blind, x[:32], y[:32], task=task, lr=1e-2, seconds=3.0
        )
        tally("cannot_overfit_batch: inputs never reach it (found)", found is not None)

        # 3. the inputs matter
        def inputs_matter(labels):
            return check_inputs_matter(
                lambda: _mlp(k, seed),
                TensorData(x[:300], labels[:300]),
                TensorData(x[300:], labels[300:]),
                config=TrainConfig(batch_size=32, epochs=5, lr=1e-2, seed=seed),
                task=task,
                score=accuracy,
                better=lambda a, b: a > b,
                primary=MetricName.ACCURACY,
                baseline_val=trained_val(x, labels, k, seed),
                seed=seed,
            )

        _d, found, _n = inputs_matter(y)
        tally("inputs_carry_no_signal: real labels (none found)", found is None)
        shuffled = y[torch.from_numpy(np.random.default_rng(seed + 1).permutation(len(y)))]
        _d, found, _n = inputs_matter(shuffled)
        tally("inputs_carry_no_signal: labels shuffled (found)", found is not None)

        # 5. the noise floor: two copies of one configuration, and a much worse one
        a, b = trained_val(x, y, k, seed), trained_val(x, y, k, seed + 1000)
        se = accuracy_error(max(a, b), 100)
        tally("noise floor: one configuration, two seeds (tied)", abs(a - b) <= se)
        tally(
            "noise floor: network against a constant (not tied)",
            abs(max(a, b) - float((y[300:] == y[:300].mode().values).float().mean())) > se,
        )

    for seed in range(seeds):
        one_seed(seed)
    edges = _planted_edges(seeds)
    for row, (right, n) in edges.items():
        counts[row] = [right, n]
    for row, (right, n) in _planted_normalisation(seeds).items():
        counts[row] = [right, n]
    return {row: _row(right, n, Counter()) for row, (right, n) in counts.items()}


def _planted_edges(seeds: int) -> dict[str, tuple[int, int]]:
    """A real study loop (TPE, the edge rule) on an objective whose optimum is known: past
    the learning rate's upper bound, or well inside the range."""
    import sys
    import time as clock

    import optuna

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))
    from stage_results import ScriptedSetup, evaluation, setup, small_space

    from dlpilot.core.enums import FindingCode
    from dlpilot.engine import TrainConfig
    from dlpilot.tuning.study import make_study, tune

    out = {
        "best_at_search_edge: optimum past the lr bound (found, widened)": [0, 0],
        "best_at_search_edge: optimum inside (none found)": [0, 0],
    }
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        for row, best_lr in zip(
            out, (0.2, float(np.exp(rng.uniform(np.log(5e-4), np.log(3e-3))))), strict=True
        ):
            noise = np.random.default_rng(seed + 7)
            fake = ScriptedSetup(_bump(evaluation, best_lr, noise), base=setup())
            space = small_space(seed=seed)
            study = make_study(
                optuna.storages.InMemoryStorage(), "edges", greater_is_better=True, seed=seed
            )
            start = evaluation(model=space.around, train=TrainConfig(lr=1e-3, batch_size=32))
            tuning = tune(
                fake,
                space,
                study,
                baseline=start,
                scaled=start,
                deadline=clock.monotonic() + 60,
                n_trials=30,
                history_dir=None,
            )
            found = any(
                f.code is FindingCode.BEST_AT_SEARCH_EDGE and "lr" in f.evidence
                for f in tuning.findings
            )
            ok = (found and tuning.space.lr_range[1] > 0.03) if best_lr > 0.03 else not found
            out[row][0] += ok
            out[row][1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def _bump(evaluation, best_lr: float, noise: np.random.Generator):
    """A validation score that is a bump in log learning rate around ``best_lr``, plus
    validation noise."""

    def score(name, model_config, train_config):
        d = np.log(train_config.lr) - np.log(best_lr)
        value = 0.9 * np.exp(-0.5 * (d / 1.5) ** 2) + noise.normal(scale=0.005)
        return evaluation(
            name, model=model_config, train=train_config, val_score=float(value), seconds=0.01
        )

    return score


def _planted_normalisation(seeds: int) -> dict[str, tuple[int, int]]:
    """scikit-learn's digits (8×8, 0-16) prepared right and three wrong ways; the view's
    statistics must call only the first standardised."""
    from sklearn.datasets import load_digits

    from dlpilot.core.enums import Modality
    from dlpilot.report.data_view import _stats, standardised

    images = load_digits().images.astype(np.float64)
    mean, std = images.mean(), images.std()
    ways = {
        "network view: standardised pixels (no warning)": (lambda b: (b - mean) / std, True),
        "network view: raw 0-16 pixels (warned)": (lambda b: b, False),
        "network view: pixels scaled to 0-1 only (warned)": (lambda b: b / 16, False),
        "network view: divided by the spread twice (warned)": (
            lambda b: (b - mean) / std / std,
            False,
        ),
    }
    out = {}
    for row, (prepare, sound) in ways.items():
        right = 0
        for seed in range(seeds):
            batch = images[np.random.default_rng(seed).choice(len(images), 8, replace=False)]
            right += standardised(_stats(prepare(batch)), Modality.IMAGE) == sound
        out[row] = (right, seeds)
    return out


def _row(right: int, n: int, also: Counter) -> dict:
    lo, hi = wilson(right, n)
    return {
        "right": right,
        "cases": n,
        "share": right / n,
        "ci95": [round(lo, 3), round(hi, 3)],
        "also_found": {k: v for k, v in also.most_common()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100, help="histories per cause")
    parser.add_argument(
        "--planted-seeds", type=int, default=20, help="planted failures per sanity check"
    )
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).with_suffix(".json"), help="results file"
    )
    args = parser.parse_args()
    start = time.perf_counter()
    results = run(args.seeds)
    seconds = time.perf_counter() - start
    started = time.perf_counter()
    planted_results = planted(args.planted_seeds)
    planted_seconds = time.perf_counter() - started
    print(f"Diagnosis accuracy on synthetic curves: {args.seeds} seeds per cause ({seconds:.1f} s)")
    print(f"{'cause':42} {'right':>7} {'share':>6}  {'95% CI':>13}  also found")
    for cause, r in results.items():
        also = ", ".join(f"{k} {v}" for k, v in list(r["also_found"].items())[:3]) or "-"
        ci = f"{r['ci95'][0]:.2f}-{r['ci95'][1]:.2f}"
        print(f"{cause:42} {r['right']:>3}/{r['cases']:<3} {r['share']:>6.1%}  {ci:>13}  {also}")
    print(
        f"\nPlanted failures of the sanity checks: {args.planted_seeds} seeds each "
        f"({planted_seconds:.1f} s)"
    )
    for row, r in planted_results.items():
        ci = f"{r['ci95'][0]:.2f}-{r['ci95'][1]:.2f}"
        print(f"{row:62} {r['right']:>3}/{r['cases']:<3} {r['share']:>6.1%}  {ci:>13}")
    payload = {
        "what": "share of synthetic histories whose known cause the diagnosis finds",
        "settings": {
            "seeds_per_cause": args.seeds,
            "seeds": f"0..{args.seeds - 1}",
            "generator": "dlpilot.diagnose.synthetic.make_case / make_mismatch",
            "thresholds": {k: getattr(thresholds, k) for k in thresholds.__all__},
        },
        "results": results,
        "seconds": round(seconds, 2),
        "planted": {
            "seeds_per_check": args.planted_seeds,
            "results": planted_results,
            "seconds": round(planted_seconds, 2),
        },
        "dlpilot_version": getattr(dlpilot, "__version__", "unknown"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
