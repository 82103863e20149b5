"""Real series sets with their official splits, unattended, no setting but the budget.

Every `.npz` in `../shared/data/real-dev/` and in `benchmarks/out/real/` (made by
`benchmarks/real_data.py`) runs through `dlpilot run` in a subprocess per (set, budget,
seed). The table gives the test score (median over seeds), the classical baselines on
validation, what shipped, the budget used, and the published references beside them.
Settings and every run's figures are saved in benchmarks/out/real-<timestamp>.json.

    .venv/bin/python benchmarks/real.py                                  # 60s and 2m, seeds 0-2
    .venv/bin/python benchmarks/real.py --only GunPoint --budgets 2m --seeds 0

Nothing else may train on the machine while this runs.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import torch
from _runs import run_dlpilot

HERE = Path(__file__).parent
SOURCES = [HERE.parent.parent / "shared" / "data" / "real-dev", HERE / "out" / "real"]
OUT = HERE / "out"
# Published test accuracy: ResNet / FCN of Fawaz et al. (DMKD 2019, mean of 10 runs) and the
# archive's 1-NN DTW (learned window), as ../shared/data/real-dev/README.md gives them.
PUBLISHED = {
    "GunPoint": {"resnet": 0.991, "fcn": 1.000, "dtw": 0.913},
    "Coffee": {"resnet": 1.000, "fcn": 1.000, "dtw": 1.000},
    "ArrowHead": {"resnet": 0.845, "fcn": 0.843, "dtw": 0.800},
}
TARGETS = {"GunPoint": 0.97, "Coffee": 0.96, "ArrowHead": 0.82}  # issue 14, at 2 minutes


def run_one(source: Path, budget: str, seed: int, out: Path) -> dict:
    summary, info = run_dlpilot(source, budget, seed, out)
    if summary is None:
        return info
    wall = info["wall"]
    primary = summary["metric"]["primary"]
    baselines = summary["baselines"]
    yardsticks = baselines.get("yardsticks", {})
    final = summary["final"]
    return {
        "seed": seed,
        "metric": primary,
        "modality": summary["problem"]["modality"],
        "test": final["test"][primary],
        "val": final["val"].get(primary),
        "shipped": (final.get("choice") or {}).get("shipped", "network"),
        "approach": final["approach"],
        "architecture": final["config"]["model"]["architecture"],
        "linear_val": baselines["classical"]["score"],
        "yardsticks_val": {k: v["score"] for k, v in yardsticks.items()},
        "common_sense_val": baselines["common_sense"]["score"],
        "used_seconds": summary["budget"]["used_seconds"],
        "limit_seconds": summary["budget"]["limit_seconds"],
        "wall_seconds": round(wall, 1),
        "by_stage": summary["budget"].get("by_stage"),
        "findings": sorted({f["code"] for f in summary["findings"] if f["severity"] != "info"}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="set names (file stems)")
    parser.add_argument("--budgets", nargs="*", default=["60s", "2m"])
    parser.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2])
    args = parser.parse_args()
    files = sorted(p for d in SOURCES if d.exists() for p in d.glob("*.npz"))
    if args.only:
        files = [p for p in files if p.stem in args.only]
    stamp = time.strftime("%Y%m%d-%H%M%S")
    settings = {
        "date": time.strftime("%Y-%m-%d"),
        "budgets": args.budgets,
        "seeds": args.seeds,
        "sets": [str(p) for p in files],
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cpus": torch.get_num_threads(),
        "command": " ".join(sys.argv),
    }
    rows = []
    for path in files:
        for budget in args.budgets:
            runs = []
            for seed in args.seeds:
                out = OUT / "real-runs" / stamp / f"{path.stem}-{budget}-s{seed}"
                result = run_one(path, budget, seed, out)
                runs.append(result)
                print(f"{path.stem} {budget} seed {seed}: {_brief(result)}", flush=True)
            tests = [r["test"] for r in runs if "test" in r and r["test"] is not None]
            rows.append(
                {
                    "set": path.stem,
                    "budget": budget,
                    "median_test": statistics.median(tests) if tests else None,
                    "target": TARGETS.get(path.stem),
                    "published": PUBLISHED.get(path.stem),
                    "runs": runs,
                }
            )
    OUT.mkdir(exist_ok=True)
    target = OUT / f"real-{stamp}.json"
    target.write_text(json.dumps({"settings": settings, "rows": rows}, indent=1))
    print(f"\nsaved {target}\n")
    print(
        "| set | budget | test per seed | median | target | linear (val) | yardstick (val) "
        "| shipped | published ResNet / FCN / DTW | used s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        runs = [r for r in row["runs"] if "test" in r]
        pub = row["published"]
        print(
            f"| {row['set']} | {row['budget']} | "
            + ", ".join(_f(r["test"]) for r in runs)
            + f" | {_f(row['median_test'])} | {_f(row['target'])} | "
            + ", ".join(_f(r["linear_val"]) for r in runs[:1])
            + " | "
            + ", ".join(f"{_f(v)}" for r in runs[:1] for v in r["yardsticks_val"].values())
            + " | "
            + ", ".join(sorted({r["shipped"] for r in runs}))
            + " | "
            + (f"{pub['resnet']:.3f} / {pub['fcn']:.3f} / {pub['dtw']:.3f}" if pub else "–")
            + " | "
            + ", ".join(f"{r['used_seconds']:.0f}" for r in runs)
            + f" of {runs[0]['limit_seconds']:.0f} |"
            if runs
            else "| – |"
        )


def _brief(r: dict) -> str:
    if "error" in r:
        return f"error {r['error']}"
    return (
        f"test {_f(r['test'])} val {_f(r['val'])} linear {_f(r['linear_val'])} "
        f"yardsticks {r['yardsticks_val']} shipped {r['shipped']} ({r['architecture']}, "
        f"{r['approach']}) {r['used_seconds']:.0f}s findings {r['findings']}"
    )


def _f(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"


if __name__ == "__main__":
    main()
