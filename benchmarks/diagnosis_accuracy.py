"""How often the diagnosis names the right cause on synthetic learning curves.

For each cause of `dlpilot.diagnose.synthetic` and each seed, one history is drawn (20-60
epochs, 1-4% noise per epoch, 1.5x that on validation; levels and time constants drawn
per seed) and diagnosed. A case is right when the cause's code is among the findings
(overfitting: also its epoch within max(3, 10% of the epochs) of the true turn); a
healthy case is right when it gets no warning or error. data_mismatch is scored on
validation/test accuracies that differ (right: found) or agree (right: not found).

    PYTHONPATH=src python benchmarks/diagnosis_accuracy.py [--seeds 100]

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
        "--out", type=Path, default=Path(__file__).with_suffix(".json"), help="results file"
    )
    args = parser.parse_args()
    start = time.perf_counter()
    results = run(args.seeds)
    seconds = time.perf_counter() - start
    print(f"Diagnosis accuracy on synthetic curves: {args.seeds} seeds per cause ({seconds:.1f} s)")
    print(f"{'cause':42} {'right':>7} {'share':>6}  {'95% CI':>13}  also found")
    for cause, r in results.items():
        also = ", ".join(f"{k} {v}" for k, v in list(r["also_found"].items())[:3]) or "-"
        ci = f"{r['ci95'][0]:.2f}-{r['ci95'][1]:.2f}"
        print(f"{cause:42} {r['right']:>3}/{r['cases']:<3} {r['share']:>6.1%}  {ci:>13}  {also}")
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
        "dlpilot_version": getattr(dlpilot, "__version__", "unknown"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
