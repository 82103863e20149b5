"""Tuning throughput with 1 and 2 workers on one machine: trials per minute, and the speed-up.

What runs is dlpilot's own tuning path: worker processes (one torch thread
each) rebuild the training data from the run's options as ``dlpilot worker``
does (stages 0–3 on the same file), open one shared study, and run stage 7's
objective through the shared trial loop (claims, heartbeats, the storage) —
by default on a PostgreSQL server the benchmark starts (as the tests do),
``--storage URL`` for another.

The problem is fixed: a generated binary table (``--rows`` rows, 16 features,
hold-out validation) and a fixed workload, a cycle of ``--configs``
configurations drawn once (seeded) from stage 7's search space around an MLP
(depth 2, width 64), queued in the same order for every worker count, trained
with early stopping and no pruning. So 1 and 2 workers run the same mix of
trials and differ only in how many run at once; with TPE and pruning, the
configurations (and their cost) would differ between the two.

The workers load their data, wait at a barrier, then claim trials for
``--seconds``. A trial counts by the share of its running time inside that
window. Repetitions alternate 1 and 2 workers so machine load hits both alike.
Prints trials per minute (mean and spread over ``--reps``) and the speed-up of
2 workers over 1; the target is ≥ 1.8 on a 2-core machine. Settings and
results go to benchmarks/out/tuning_scale.json.

    python benchmarks/tuning_scale.py [--seconds 60] [--reps 3] [--rows 3000]
    python benchmarks/tuning_scale.py --seconds 10 --reps 1 --rows 600   # smoke run
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "tuning_scale.json"
sys.path.insert(0, str(ROOT / "tests" / "support"))  # the throwaway PostgreSQL server

FEATURES = 16


def make_table(path: Path, rows: int) -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, FEATURES))
    logit = x[:, 0] + 0.5 * x[:, 1] * x[:, 2] - 0.7 * np.abs(x[:, 3]) + 0.3 * rng.normal(size=rows)
    frame = pd.DataFrame(x, columns=[f"f{i}" for i in range(FEATURES)])
    frame.assign(y=(logit > 0).astype(int)).to_csv(path, index=False)


def search_space(n_train: int, max_epochs: int) -> Any:
    from dlpilot.core.enums import Modality, Task
    from dlpilot.engine import ModelConfig, TrainConfig, default_model_config
    from dlpilot.stages.tune import SearchSpace

    around: ModelConfig = replace(default_model_config(Modality.TABULAR), depth=2, width=64)
    return SearchSpace(
        around=around,
        base=TrainConfig(lr=1e-3, batch_size=64, epochs=max_epochs, seed=0),
        baseline_depth=2,
        baseline_width=64,
        modality=Modality.TABULAR,
        task=Task.BINARY,
        n_train=n_train,
        max_epochs=max_epochs,
        patience=4,
    )


def draw_workload(space: Any, n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` configurations from the space, drawn once by a seeded random sampler."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=seed))
    out = []
    for _ in range(n):
        trial = study.ask()
        space.suggest(trial)
        out.append(dict(trial.params))
        study.tell(trial, 0.0)
    return out


def worker(url: str, name: str, shared: dict[str, Any], seconds: float, sync: Any) -> None:
    """One worker process: build the data as `dlpilot worker` does, then run trials."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import optuna

    from dlpilot import tuning
    from dlpilot.core.device import configure_threads
    from dlpilot.stages import tune
    from dlpilot.tuning import open_storage
    from dlpilot.workflow import RunOptions, training_setup_for

    barrier, start, usage = sync
    configure_threads(1)
    setup, _ = training_setup_for(RunOptions.from_dict(shared["options"]), shared["exploration"])
    study = optuna.load_study(
        study_name=name,
        storage=open_storage(url),
        sampler=optuna.samplers.RandomSampler(seed=os.getpid()),
        pruner=optuna.pruners.NopPruner(),
    )
    objective = tune.make_objective(
        setup,
        tune.SearchSpace.from_dict(shared["space"]),
        deadline=lambda: time.monotonic() + 3600,
        history_dir=None,
    )
    barrier.wait()
    while start.value == 0.0:
        time.sleep(0.01)
    deadline = time.monotonic() + (start.value + seconds - time.time())
    cpu, wall = time.process_time(), time.monotonic()
    with tuning.quiet_optuna():
        tuning.run_trials(study, objective, worker=tuning.worker_id(), cap=None, deadline=deadline)
    # The cores this worker kept busy while it ran trials (1.0: one whole core).
    usage.put((time.process_time() - cpu) / max(time.monotonic() - wall, 1e-9))


def one_round(
    url: str, n_workers: int, name: str, args: argparse.Namespace, shared: dict[str, Any]
) -> dict[str, Any]:
    from dlpilot.tuning import make_study, open_storage

    study = make_study(open_storage(url), name, greater_is_better=True, seed=0)
    for i in range(args.queue):
        study.enqueue_trial(shared["workload"][i % len(shared["workload"])])
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(n_workers + 1)
    start = ctx.Value("d", 0.0)
    usage = ctx.Queue()
    procs = [
        ctx.Process(target=worker, args=(url, name, shared, args.seconds, (barrier, start, usage)))
        for _ in range(n_workers)
    ]
    for p in procs:
        p.start()
    barrier.wait(timeout=600)  # every worker has its data
    load_before = os.getloadavg()[0]
    t0 = time.time() + 0.5
    start.value = t0
    for p in procs:
        p.join(timeout=args.seconds + 900)
        if p.exitcode != 0:
            raise SystemExit(f"a worker failed (exit {p.exitcode})")
    t1 = t0 + args.seconds
    cores = [usage.get(timeout=10) for _ in procs]
    trials = 0.0
    finished = [t for t in study.get_trials() if t.state.is_finished() and t.datetime_start]
    for t in finished:
        a, b = t.datetime_start.timestamp(), t.datetime_complete.timestamp()
        inside = max(0.0, min(b, t1) - max(a, t0))
        trials += inside / max(b - a, 1e-9)
    return {
        "workers": n_workers,
        "trials_in_window": round(trials, 2),
        "trials_per_minute": round(trials * 60.0 / args.seconds, 2),
        "trials_started": len(finished),
        "failed": sum(1 for t in finished if t.state.name == "FAIL"),
        "load_average_before": round(load_before, 2),
        # Below 1.0 per worker: the workers waited for CPU (other processes) or for the storage.
        "cores_busy_per_worker": [round(c, 2) for c in cores],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="measuring window per round")
    parser.add_argument("--reps", type=int, default=3, help="rounds per worker count")
    parser.add_argument("--rows", type=int, default=3000, help="rows of the generated table")
    parser.add_argument("--epochs", type=int, default=15, help="most epochs of a trial")
    parser.add_argument("--configs", type=int, default=6, help="configurations in the cycle")
    parser.add_argument("--queue", type=int, default=400, help="trials queued per round")
    parser.add_argument("--storage", default=None, help="storage URL (default: own PostgreSQL)")
    args = parser.parse_args()

    from dlpilot.workflow import RunOptions, training_setup_for

    work = Path(tempfile.mkdtemp(prefix="dlpilot-scale-"))
    data = work / "table.csv"
    make_table(data, args.rows)
    options = RunOptions(source=str(data), target=("y",), seed=0, verbose=False)
    big = 10**9  # an exploration plan that keeps every sample: no subset
    exploration = {
        "n_train": big,
        "n_explore": big,
        "n_val": big,
        "n_val_explore": big,
        "samples_per_second": None,
        "reason": "benchmark: all samples",
    }
    setup, _ = training_setup_for(options, exploration)  # what every worker will train on
    space = search_space(setup.n_train, args.epochs)
    shared = {
        "options": options.to_dict(),
        "exploration": exploration,
        "space": space.to_dict(),
        "workload": draw_workload(space, args.configs, seed=0),
    }

    server = None
    url = args.storage
    if url is None:
        try:
            from pg_server import PostgresServer

            server = PostgresServer().start()
            url = server.create_database("scale")
            storage_kind = "postgresql (started by the benchmark)"
        except Exception as exc:  # no PostgreSQL here: a SQLite file
            url = f"sqlite:///{work / 'study.db'}"
            storage_kind = f"sqlite (PostgreSQL unavailable: {exc})"
    else:
        storage_kind = url.split(":", 1)[0]

    settings = {
        "what": "trials per minute of stage 7's objective, 1 vs 2 worker processes, one thread each",
        "rows": args.rows,
        "features": FEATURES,
        "protocol_splits": len(setup.folds),
        "n_train": setup.n_train,
        "max_epochs": args.epochs,
        "configs_in_cycle": args.configs,
        "pruning": False,
        "seconds_per_round": args.seconds,
        "reps": args.reps,
        "storage": storage_kind,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "workload": shared["workload"],
    }
    rounds: list[dict[str, Any]] = []
    try:
        for rep in range(args.reps):
            for n in (1, 2):
                row = one_round(url, n, f"r{rep}w{n}", args, shared)
                rounds.append(row)
                print(
                    f"round {rep + 1}/{args.reps}, {n} worker(s): "
                    f"{row['trials_per_minute']:.1f} trials/min "
                    f"({row['trials_in_window']:.1f} trials in {args.seconds:.0f}s; cores busy "
                    f"per worker {row['cores_busy_per_worker']}; load before "
                    f"{row['load_average_before']})",
                    flush=True,
                )
    finally:
        if server is not None:
            server.remove()

    def rates(n: int) -> list[float]:
        return [r["trials_per_minute"] for r in rounds if r["workers"] == n]

    one, two = rates(1), rates(2)
    ratios = [b / a for a, b in zip(one, two, strict=True) if a > 0]
    summary = {
        "trials_per_minute_1": {"mean": statistics.mean(one), "sd": _sd(one), "runs": one},
        "trials_per_minute_2": {"mean": statistics.mean(two), "sd": _sd(two), "runs": two},
        "speedup": statistics.mean(two) / statistics.mean(one) if statistics.mean(one) else None,
        "speedup_per_round": {"mean": statistics.mean(ratios), "sd": _sd(ratios)}
        if ratios
        else None,
        "target": 1.8,
    }
    print(
        f"1 worker : {summary['trials_per_minute_1']['mean']:.1f} ± "
        f"{summary['trials_per_minute_1']['sd']:.1f} trials/min over {len(one)} round(s)\n"
        f"2 workers: {summary['trials_per_minute_2']['mean']:.1f} ± "
        f"{summary['trials_per_minute_2']['sd']:.1f} trials/min\n"
        f"speed-up : {summary['speedup']:.2f}x (target ≥ 1.8x)"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps({"settings": settings, "rounds": rounds, "summary": summary}, indent=1)
    )
    print(f"saved {OUT.relative_to(ROOT)}")


def _sd(values: list[float]) -> float:
    return statistics.stdev(values) if len(values) > 1 else 0.0


if __name__ == "__main__":
    main()
