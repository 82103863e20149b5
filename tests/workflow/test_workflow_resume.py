"""A run killed mid-tuning (SIGKILL) resumes: no finished trial is lost or repeated."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import optuna
import pandas as pd
import pytest
from optuna.trial import TrialState

pytestmark = pytest.mark.slow

TRIALS = 6


def _complete(study_url: str) -> dict[int, float]:
    try:
        study = optuna.load_study(study_name="dlpilot", storage=study_url)
    except (KeyError, ValueError, Exception):  # not created yet
        return {}
    return {t.number: t.value for t in study.get_trials(states=(TrialState.COMPLETE,))}


def test_sigkill_mid_tuning_then_resume(tmp_path):
    rng = np.random.default_rng(0)
    n = 600
    x = rng.normal(size=(n, 4))
    frame = pd.DataFrame(x, columns=list("abcd")).assign(y=(x[:, 0] + x[:, 1] > 0).astype(int))
    frame.to_csv(tmp_path / "d.csv", index=False)
    run_dir = tmp_path / "run"
    url = f"sqlite:///{run_dir / 'study.db'}"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    cmd = [
        sys.executable,
        "-m",
        "dlpilot.cli",
        "run",
        str(tmp_path / "d.csv"),
        "--target",
        "y",
        "--budget",
        "45s",
        "--trials",
        str(TRIALS),
        "--out",
        str(run_dir),
        "--quiet",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 150
    before: dict[int, float] = {}
    while time.monotonic() < deadline and proc.poll() is None:
        before = _complete(url)
        if len(before) >= 2:
            break
        time.sleep(0.3)
    assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read()}"
    assert len(before) >= 2, "no two trials completed in time"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    before = _complete(url)  # what the storage holds at the moment of the kill

    resumed = subprocess.run(
        [sys.executable, "-m", "dlpilot.cli", "run", "--resume", str(run_dir), "--quiet", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )
    assert resumed.returncode == 0, resumed.stderr

    study = optuna.load_study(study_name="dlpilot", storage=url)
    trials = study.get_trials()
    after = {t.number: t.value for t in trials if t.state is TrialState.COMPLETE}
    # Every trial finished before the kill is still there, with the same score.
    assert all(after.get(k) == v for k, v in before.items())
    # Finished trials (complete or pruned) reach the cap exactly; none is left running.
    finished = [t for t in trials if t.state in (TrialState.COMPLETE, TrialState.PRUNED)]
    assert len(finished) == TRIALS
    assert not [t for t in trials if t.state is TrialState.RUNNING]
    # No configuration was trained twice: trial numbers and parameter sets are distinct.
    numbers = [t.number for t in trials]
    assert len(numbers) == len(set(numbers))
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["test_set_opened"] == 1
    assert json.loads(resumed.stdout)["final"]["test"]
    # The stages before the kill were not run again: their records say they were restored.
    baseline_stage = next(s for s in summary["stages"] if s["name"] == "score_to_beat")
    assert any("restored" in d["what"] for d in baseline_stage["decisions"])


def test_resume_of_a_finished_run_changes_nothing(tmp_path):
    from dlpilot.workflow import RunOptions, resume, run

    run(
        RunOptions(
            source="iris", budget_seconds=8, trials=1, out=str(tmp_path / "r"), verbose=False
        )
    )
    written = (tmp_path / "r" / "summary.json").read_text()
    again = resume(tmp_path / "r", verbose=False)
    assert again.summary == json.loads(written)
    assert (tmp_path / "r" / "summary.json").read_text() == written


def test_resume_of_nothing_is_a_clear_error(tmp_path):
    from dlpilot.core.errors import ConfigError
    from dlpilot.workflow import resume

    with pytest.raises(ConfigError, match="holds no dlpilot run to resume"):
        resume(tmp_path)
