"""Quality targets of the workflow, unattended, with no settings but the budget.

Runs `dlpilot run` in a subprocess per (benchmark, seed), reads each run's
summary.json and prints a table: test score (median over seeds), seconds used,
and the stage split of the budget. Settings and every run's figures are saved
beside the results in benchmarks/out/quality-<timestamp>.json.

    .venv/bin/python benchmarks/quality.py                  # all rows
    .venv/bin/python benchmarks/quality.py --only digits --seeds 0 1 2

Nothing else may train on the machine while this runs.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch

BENCHMARKS = [
    # name, source, budget, target, seeds (the 30-minute row runs once)
    ("fashion-mnist-30m", "fashion-mnist", "30m", 0.940, [0]),
    ("fashion-mnist-5m", "fashion-mnist", "5m", 0.920, [0, 1, 2]),
    ("mnist1d-2m", "mnist1d", "2m", 0.980, [0, 1, 2]),
    ("digits-2m", "digits", "2m", 0.990, [0, 1, 2]),
    ("breast-cancer-2m", "breast-cancer", "2m", 0.975, [0, 1, 2]),
]
OUT = Path(__file__).parent / "out"


def run_one(source: str, budget: str, seed: int, out: Path) -> dict:
    started = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dlpilot.cli",
            "run",
            source,
            "--budget",
            budget,
            "--seed",
            str(seed),
            "--out",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
    )
    wall = time.monotonic() - started
    if proc.returncode != 0:
        return {"seed": seed, "error": proc.stderr.strip().splitlines()[-1:], "wall": wall}
    summary = json.loads((out / "summary.json").read_text())
    primary = summary["metric"]["primary"]
    return {
        "seed": seed,
        "metric": primary,
        "test": summary["final"]["test"][primary],
        "val": summary["final"]["val"].get(primary),
        "used_seconds": summary["budget"]["used_seconds"],
        "wall_seconds": round(wall, 1),
        "by_stage": summary["budget"]["by_stage"],
        "approach": summary["final"]["approach"],
        "protocol": summary["protocol"]["kind"],
        "trials": summary["tuning"],
        "exploration": summary.get("exploration"),
        "findings": [f["code"] for f in summary["findings"] if f["severity"] != "info"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="benchmark names to run")
    parser.add_argument("--seeds", nargs="*", type=int, help="override the seeds")
    args = parser.parse_args()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    OUT.mkdir(parents=True, exist_ok=True)
    results = {
        "settings": {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "command": " ".join(sys.argv),
            "machine": platform.processor() or platform.machine(),
            "cpus": torch.get_num_threads(),
            "torch": torch.__version__,
            "benchmarks": [b for b in BENCHMARKS if not args.only or b[0] in args.only],
            "seeds_override": args.seeds,
        },
        "rows": [],
    }
    for name, source, budget, target, seeds in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        runs = []
        for seed in args.seeds if args.seeds is not None else seeds:
            out = OUT / f"runs-{stamp}" / f"{name}-seed{seed}"
            runs.append(run_one(source, budget, seed, out))
            print(f"{name} seed {seed}: {runs[-1]}", file=sys.stderr, flush=True)
        scores = [r["test"] for r in runs if "test" in r]
        row = {
            "name": name,
            "budget": budget,
            "target": target,
            "runs": runs,
            "median_test": statistics.median(scores) if scores else None,
            "median_used_seconds": statistics.median(
                r["used_seconds"] for r in runs if "used_seconds" in r
            )
            if scores
            else None,
        }
        row["met"] = row["median_test"] is not None and row["median_test"] >= target
        results["rows"].append(row)
        (OUT / f"quality-{stamp}.json").write_text(json.dumps(results, indent=2))
    print(
        f"\n{'benchmark':<20} {'budget':>6} {'test (median)':>14} {'target':>7} {'met':>4} "
        f"{'used s':>7}  stage split (s)"
    )
    for row in results["rows"]:
        split = row["runs"][0].get("by_stage", {}) if row["runs"] else {}
        split_text = " ".join(f"{k}={v:.0f}" for k, v in split.items())
        med = "error" if row["median_test"] is None else f"{row['median_test']:.4f}"
        used = "-" if row["median_used_seconds"] is None else f"{row['median_used_seconds']:.0f}"
        print(
            f"{row['name']:<20} {row['budget']:>6} {med:>14} {row['target']:>7.3f} "
            f"{'yes' if row['met'] else 'no':>4} {used:>7}  {split_text}"
        )
        print(
            "    all seeds: "
            + ", ".join(
                f"{r['test']:.4f}" if "test" in r else f"error {r.get('error')}"
                for r in row["runs"]
            )
        )
    print(f"\nsaved: {OUT / f'quality-{stamp}.json'}")


if __name__ == "__main__":
    main()
