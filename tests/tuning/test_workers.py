"""One study, a run and three workers on a real PostgreSQL server; one worker is killed mid-trial.

The run (`dlpilot run --storage URL --study NAME`) does stages 0–6 and the
final stage; the workers (`dlpilot worker`) rebuild the same data from the
study's record and take trials. A worker killed with SIGKILL while it trains
leaves its trial RUNNING until its heartbeats are missed; then the trial is
failed and a copy runs elsewhere.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import optuna
import pandas as pd
import pytest
from optuna.trial import TrialState

from dlpilot.tuning import open_storage

pytestmark = pytest.mark.slow

TRIALS = 10
HEARTBEAT = 2  # seconds; a trial silent for 3 heartbeats counts as dead


def _table(path: Path, n: int = 600) -> Path:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4))
    frame = pd.DataFrame(x, columns=list("abcd")).assign(y=(x[:, 0] + x[:, 1] > 0).astype(int))
    frame.to_csv(path, index=False)
    return path


def _cli(*args: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "dlpilot.cli", *args],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=env,
    )


def _load(url: str, name: str) -> optuna.Study | None:
    try:
        return optuna.load_study(study_name=name, storage=open_storage(url, heartbeat_seconds=None))
    except (KeyError, ValueError):
        return None


def _wait_for_a_running_trial_of(url: str, name: str, worker: str, until: float) -> int | None:
    while time.monotonic() < until:
        study = _load(url, name)
        if study is not None:
            for t in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
                if t.user_attrs.get("worker") == worker:
                    return t.number
        time.sleep(0.1)
    return None


def test_three_workers_one_killed_mid_trial(pg_url, tmp_path):
    import socket

    data = _table(tmp_path / "d.csv")
    run_dir = tmp_path / "run"
    leader = _cli(
        *("run", str(data), "--target", "y", "--budget", "50s", "--trials", str(TRIALS)),
        *("--storage", pg_url, "--study", "s", "--heartbeat", str(HEARTBEAT)),
        *("--out", str(run_dir), "--threads", "1", "--json"),
        log=tmp_path / "leader.log",
    )
    worker_args = ["worker", "--storage", pg_url, "--study", "s", "--threads", "1", "--json"]
    workers = [_cli(*worker_args, log=tmp_path / f"worker{i}.log") for i in range(3)]
    try:
        victim = workers[0]
        victim_id = f"{socket.gethostname()}:{victim.pid}"
        killed = _wait_for_a_running_trial_of(pg_url, "s", victim_id, time.monotonic() + 180)
        assert killed is not None, (tmp_path / "worker0.log").read_text()[-2000:]
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)

        assert leader.wait(timeout=300) == 0, (tmp_path / "leader.log").read_text()[-3000:]
        for i, w in enumerate(workers[1:], start=1):
            assert w.wait(timeout=60) == 0, (tmp_path / f"worker{i}.log").read_text()[-3000:]
    finally:
        for p in (leader, *workers):
            if p.poll() is None:
                p.kill()

    study = _load(pg_url, "s")
    trials = study.get_trials()
    finished = [t for t in trials if t.state in (TrialState.COMPLETE, TrialState.PRUNED)]
    # The finished trials are exactly the number asked for, across the run and the workers.
    assert len(finished) == TRIALS
    # None stays RUNNING; the killed one was failed by the heartbeat check and run again.
    assert not [t for t in trials if t.state is TrialState.RUNNING]
    by_number = {t.number: t for t in trials}
    assert by_number[killed].state is TrialState.FAIL
    copies = [t for t in trials if t.system_attrs.get("failed_trial") == killed]
    assert [c.state for c in copies] == [TrialState.COMPLETE] or [c.state for c in copies] == [
        TrialState.PRUNED
    ]
    assert copies[0].user_attrs["worker"] != victim_id
    # No trial is duplicated: distinct numbers, and distinct parameter sets among finished ones.
    assert len({t.number for t in trials}) == len(trials)
    params = [json.dumps(t.params, sort_keys=True) for t in finished]
    assert len(set(params)) == len(params)
    # Every process took part.
    ran_by = {t.user_attrs.get("worker") for t in finished}
    assert len(ran_by) >= 3

    # The final model was trained once, by the run, after tuning closed.
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["test_set_opened"] == 1
    assert summary["tuning"]["complete"] + summary["tuning"]["pruned"] == TRIALS
    finals = list(tmp_path.rglob("final.csv"))
    assert (
        finals == [run_dir / "histories" / "final.csv"] or summary["final"]["approach"] != "retrain"
    )
    assert study.user_attrs["final"]["run_dir"] == str(run_dir.resolve())
    assert study.user_attrs["tuning"]["closed"] is True
    # The run directory holds every finished trial's curves, whichever process ran it.
    for t in finished:
        if t.state is TrialState.COMPLETE:
            assert (run_dir / "histories" / f"trial_{t.number:04d}.csv").exists()
    # The surviving workers saw the end of the study and said so.
    for i in (1, 2):
        out = json.loads(_json_tail((tmp_path / f"worker{i}.log").read_text()))
        assert out["ended"] in ("cap", "stopped", "closed")
        assert out["status"]["trials"]["finished"] == TRIALS


def _json_tail(text: str) -> str:
    """The JSON object a command printed last (progress lines precede it)."""
    return text[text.rindex("\n{") + 1 :] if not text.startswith("{") else text
