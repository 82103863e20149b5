"""The trial loop every process of a shared study runs, against real databases, without training.

The objectives here report a few steps and return a number, so each test
takes seconds and exercises only the storage: claims, caps, heartbeats,
retries, SQLite's locking, a database that goes away.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import optuna
import pytest
from optuna.trial import TrialState

from dlpilot import tuning
from dlpilot.tuning import loop as _trials

CAP = 24

# Light on purpose: the loop and the storage need no PyTorch, so three processes start in a second.
WORKER_SCRIPT = """
import json, os, sys, time
import optuna
from dlpilot.tuning.storage import open_storage
from dlpilot.tuning import loop as tune

url, out, cap = sys.argv[1], sys.argv[2], int(sys.argv[3])
optuna.logging.set_verbosity(optuna.logging.WARNING)
study = optuna.load_study(
    study_name="s", storage=open_storage(url, heartbeat_seconds=1),
    sampler=optuna.samplers.RandomSampler(seed=os.getpid()),
)

def objective(trial):
    x = trial.suggest_float("x", 0.0, 1.0)
    for step in range(3):
        trial.report(x, step)
        time.sleep(0.01)
    return x

ran = []
end = tune.run_trials(
    study, objective, worker=tune.worker_id(), cap=cap, deadline=time.monotonic() + 120,
    on_trial=lambda o: ran.append(o.trial.number if o.trial else None),
)
json.dump({"ran": ran, "end": end.reason}, open(out, "w"))
"""


def _study(url: str, cap: int | None) -> optuna.Study:
    study = tuning.make_study(
        tuning.open_storage(url, heartbeat_seconds=1), "s", greater_is_better=True, seed=0
    )
    tuning.enqueue_slots(study, [{"x": 0.5}], cap)
    return study


def _run_processes(url: str, tmp_path, n: int) -> list[dict]:
    script = tmp_path / "worker.py"
    script.write_text(WORKER_SCRIPT)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), url, str(tmp_path / f"out{i}.json"), str(CAP)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(n)
    ]
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        assert "database is locked" not in err
    return [json.loads((tmp_path / f"out{i}.json").read_text()) for i in range(n)]


def _check_exact(study: optuna.Study, results: list[dict]) -> None:
    trials = study.get_trials()
    finished = [t for t in trials if t.state in (TrialState.COMPLETE, TrialState.PRUNED)]
    assert len(finished) == CAP
    assert not [t for t in trials if t.state in (TrialState.RUNNING, TrialState.WAITING)]
    ran = [n for r in results for n in r["ran"]]
    # Every trial ran in exactly one process: claims are atomic.
    assert sorted(ran) == sorted(t.number for t in finished)
    assert len(set(ran)) == len(ran)
    assert all(r["end"] == "cap" for r in results)
    assert len({t.params["x"] for t in finished}) == CAP


def test_three_sqlite_processes_share_one_study_without_lock_errors(tmp_path):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    _study(url, CAP)
    results = _run_processes(url, tmp_path, 3)
    _check_exact(_study(url, CAP), results)
    # The work was shared, not taken by one process.
    assert sum(1 for r in results if r["ran"]) >= 2


def test_three_processes_share_one_postgres_study(pg_url, tmp_path):
    _study(pg_url, CAP)
    results = _run_processes(pg_url, tmp_path, 3)
    _check_exact(_study(pg_url, CAP), results)


def test_a_stale_trial_is_failed_and_its_copy_runs(pg_url):
    """A trial whose process died (no heartbeat for the grace period) is failed and retried."""
    study = _study(pg_url, 3)
    storage = study._storage
    dead = study.get_trials(states=(TrialState.WAITING,))[1]
    storage.record_heartbeat(dead._trial_id)
    assert storage.set_trial_state_values(dead._trial_id, TrialState.RUNNING)
    study._storage.set_trial_user_attr(dead._trial_id, "worker", "elsewhere:1")
    study._storage.set_trial_param(
        dead._trial_id, "x", 0.25, optuna.distributions.FloatDistribution(0.0, 1.0)
    )
    time.sleep(3 * 1 + 1.5)  # the grace period: three heartbeats of 1 s, and some

    seen = []
    end = tuning.run_trials(
        study,
        lambda t: t.suggest_float("x", 0.0, 1.0),
        worker="here:1",
        cap=3,
        deadline=time.monotonic() + 60,
        on_trial=seen.append,
    )
    assert end.reason == "cap"
    trials = study.get_trials()
    assert study._storage.get_trial(dead._trial_id).state is TrialState.FAIL
    copies = [t for t in trials if t.system_attrs.get("failed_trial") == dead.number]
    assert len(copies) == 1 and copies[0].state is TrialState.COMPLETE
    assert copies[0].params == {"x": 0.25}  # the same configuration, run again
    assert copies[0].user_attrs["worker"] == "here:1"
    assert len([t for t in trials if t.state is TrialState.COMPLETE]) == 3


def test_a_lost_database_fails_that_trial_and_the_worker_goes_on(own_postgres):
    url = own_postgres.create_database("lost")
    study = _study(url, 4)
    outage = {}

    def objective(trial: optuna.Trial) -> float:
        x = trial.suggest_float("x", 0.0, 1.0)
        trial.report(x, 0)
        if trial.number == 1 and not outage:
            outage["trial"] = trial.number
            own_postgres.stop(immediate=True)  # every connection drops, new ones are refused
            threading.Timer(3.0, own_postgres.start).start()
            trial.report(x, 1)  # the database is gone: this raises
        return x

    outcomes = []
    end = tuning.run_trials(
        study,
        objective,
        worker="here:1",
        cap=4,
        deadline=time.monotonic() + 120,
        on_trial=outcomes.append,
    )
    assert end.reason == "cap"
    failed = [o for o in outcomes if o.trial is not None and o.trial.state is TrialState.FAIL]
    assert len(failed) == 1 and failed[0].trial.number == 1
    assert failed[0].reason.startswith("lost the database") and failed[0].retried
    trials = study.get_trials()
    assert len([t for t in trials if t.state is TrialState.COMPLETE]) == 4
    assert not [t for t in trials if t.state is TrialState.RUNNING]
    copy = next(t for t in trials if t.system_attrs.get("failed_trial") == 1)
    assert copy.state is TrialState.COMPLETE


def test_no_cap_runs_until_the_deadline(tmp_path):
    study = _study(f"sqlite:///{tmp_path / 's.db'}", None)
    end = tuning.run_trials(
        study,
        lambda t: t.suggest_float("x", 0.0, 1.0),
        worker="here:1",
        cap=None,
        deadline=time.monotonic() + 1.5,
    )
    assert end.reason == "deadline" and end.ran > 2
    assert study.trials[0].params == {"x": 0.5}  # the queued configuration came first


def test_a_dead_local_process_trial_is_failed_at_once_a_live_one_is_not(tmp_path):
    study = _study(f"sqlite:///{tmp_path / 's.db'}", 3)
    storage = study._storage
    waiting = study.get_trials(states=(TrialState.WAITING,))
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    owners = [
        f"{tuning.worker_id().rpartition(':')[0]}:{dead.stdout.strip()}",
        tuning.worker_id(),
    ]
    for t, owner in zip(waiting[:2], owners, strict=True):
        storage.set_trial_state_values(t._trial_id, TrialState.RUNNING)
        storage.set_trial_user_attr(t._trial_id, "worker", owner)
    assert tuning.fail_dead_trials(study) == [waiting[0].number]
    assert storage.get_trial(waiting[1]._trial_id).state is TrialState.RUNNING
    assert [
        t.system_attrs["failed_trial"]
        for t in study.get_trials(states=(TrialState.WAITING,))
        if "failed_trial" in t.system_attrs
    ] == [waiting[0].number]


@pytest.mark.parametrize("command", ["worker", "status"])
def test_an_unreachable_storage_is_one_line_and_exit_2(cli, command):
    from pg_server import _free_port

    url = f"postgresql://nobody:secret@127.0.0.1:{_free_port()}/nothing"
    result = cli(command, "--storage", url, "--study", "s")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Cannot open the study storage" in lines[0] and "secret" not in lines[0]
    assert "***" in lines[0]


def test_run_with_an_unreachable_storage_fails_before_any_stage(cli, tmp_path):
    from pg_server import _free_port

    url = f"postgresql://nobody@127.0.0.1:{_free_port()}/nothing"
    started = time.monotonic()
    result = cli("run", "iris", "--storage", url, "--study", "s", "--out", str(tmp_path / "r"))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Cannot open the study storage" in result.stderr
    assert time.monotonic() - started < 15
    assert not (tmp_path / "r" / "state" / "progress.json").exists()


def _fail_every_queued_trial(study: optuna.Study) -> None:
    for t in study.get_trials(deepcopy=False, states=(TrialState.WAITING,)):
        study._storage.set_trial_state_values(t._trial_id, TrialState.FAIL)


def test_a_copy_queued_just_after_the_queue_looked_empty_still_runs(tmp_path, monkeypatch):
    # Another process fails a dead trial and queues its copy in two transactions; a process
    # that looks in between sees nothing queued and nothing running, and must look again.
    study = _study(f"sqlite:///{tmp_path / 's.db'}", 2)
    _fail_every_queued_trial(study)
    real_sleep = time.sleep
    sleeps = []

    def sleep_while_another_process_queues_a_copy(seconds):
        if not sleeps:
            study.enqueue_trial({"x": 0.25})
        sleeps.append(seconds)
        real_sleep(0)

    monkeypatch.setattr(_trials.time, "sleep", sleep_while_another_process_queues_a_copy)
    end = tuning.run_trials(
        study,
        lambda t: t.suggest_float("x", 0.0, 1.0),
        worker="here:1",
        cap=2,
        deadline=time.monotonic() + 30,
    )
    assert end.ran == 1 and end.reason == "exhausted"
    assert [t.params for t in study.get_trials(states=(TrialState.COMPLETE,))] == [{"x": 0.25}]


def test_nothing_left_to_run_ends_as_exhausted_after_a_second_look(tmp_path, monkeypatch):
    study = _study(f"sqlite:///{tmp_path / 's.db'}", 2)
    _fail_every_queued_trial(study)
    sleeps = []
    monkeypatch.setattr(_trials.time, "sleep", sleeps.append)
    end = tuning.run_trials(
        study, lambda t: 0.0, worker="here:1", cap=2, deadline=time.monotonic() + 30
    )
    assert end.reason == "exhausted" and end.ran == 0
    assert len(sleeps) == 1
