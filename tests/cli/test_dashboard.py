"""`dlpilot dashboard RUN_DIR`: optuna-dashboard started on a run's study, answering on
127.0.0.1, then stopped; and the one-line errors (issue 18)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import optuna
import pytest

from dlpilot.cli.dashboard import study_storage
from dlpilot.core.errors import ConfigError, DataError


def _run_dir(tmp_path: Path) -> Path:
    """A run directory with a study of three trials (no training needed to show one)."""
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    study = optuna.create_study(
        storage=f"sqlite:///{run_dir / 'study.db'}", study_name="dlpilot-test", direction="maximize"
    )
    for lr in (1e-3, 3e-3, 1e-2):
        study.add_trial(
            optuna.trial.create_trial(
                params={"lr": lr},
                distributions={"lr": optuna.distributions.FloatDistribution(1e-4, 3e-2, log=True)},
                value=0.8 + lr,
            )
        )
    return run_dir


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dashboard_help_names_the_run_directory(cli):
    result = cli("dashboard", "--help")
    assert result.exit_code == 0 and "RUN_DIR" in result.stdout and "--port" in result.stdout


def test_the_dashboard_serves_the_runs_study_and_stops(tmp_path):
    pytest.importorskip("optuna_dashboard", reason="pip install -e '.[test]' installs it")
    run_dir = _run_dir(tmp_path)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dlpilot.cli", "dashboard", str(run_dir), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        body = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/studies", timeout=2) as r:
                    body = json.loads(r.read())
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                time.sleep(0.3)
        assert body is not None, "the dashboard never answered"
        names = [s["study_name"] for s in body["study_summaries"]]
        assert names == ["dlpilot-test"]
    finally:
        proc.send_signal(signal.SIGINT if os.name != "nt" else signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode is not None


def test_a_run_without_a_study_or_with_a_remote_one_is_a_one_line_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match="holds no study"):
        study_storage(empty, None)
    (empty / "state").mkdir()
    (empty / "state" / "tune.json").write_text(json.dumps({"storage": "postgresql://me:***@db/dl"}))
    with pytest.raises(ConfigError, match="give its full URL with --storage"):
        study_storage(empty, None)
    assert study_storage(empty, "sqlite:///x.db") == "sqlite:///x.db"
    with pytest.raises(DataError, match="does not exist"):
        study_storage(tmp_path / "nowhere", None)
