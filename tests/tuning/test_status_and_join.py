"""`dlpilot status`, and a worker that refuses data or a source that differ from the run's."""

from __future__ import annotations

import json

import optuna
from optuna.distributions import FloatDistribution
from optuna.trial import TrialState, create_trial

from dlpilot import tuning


def _record(**changes) -> tuning.StudyRecord:
    fields = {
        "options": {"source": "iris", "seed": 0, "target": [], "drop": []},
        "space": {},
        "exploration": {
            "n_train": 10**6,
            "n_explore": 10**6,
            "n_val": 10**6,
            "n_val_explore": 10**6,
            "samples_per_second": None,
            "reason": "test",
        },
        "split_digest": "0000000000000000",
        "input_shape": (4,),
        "metric": "accuracy",
        "greater_is_better": True,
        "baselines": {},
        "trial_cap": 6,
        "heartbeat_seconds": 10,
    }
    return tuning.StudyRecord(**{**fields, **changes})


def _study(url: str) -> optuna.Study:
    storage = tuning.open_storage(url)
    return tuning.make_study(storage, "s", greater_is_better=True, seed=0)


def test_status_counts_trials_by_state_and_lists_recent_workers(pg_url, cli):
    study = _study(pg_url)
    tuning.write_record(study, _record())
    tuning.set_leader(study, worker="boss:1", run_dir="/runs/r")
    tuning.open_tuning(study, deadline_unix=2e9)
    dist = {"x": FloatDistribution(0, 1)}
    for value, worker in ((0.7, "boss:1"), (0.9, "w:2"), (0.8, "w:2")):
        attrs = {"worker": worker}
        study.add_trial(
            create_trial(value=value, params={"x": value}, distributions=dist, user_attrs=attrs)
        )
    pruned = {"state": TrialState.PRUNED, "params": {"x": 0.1}, "distributions": dist}
    study.add_trial(create_trial(**pruned, user_attrs={"worker": "w:2"}))
    study.add_trial(create_trial(state=TrialState.FAIL, user_attrs={"worker": "w:3"}))
    tuning.enqueue_slots(study, [], 1)
    running = study.get_trials(states=(TrialState.WAITING,))[0]
    study._storage.set_trial_state_values(running._trial_id, TrialState.RUNNING)
    study._storage.set_trial_user_attr(running._trial_id, "worker", "w:3")
    tuning.announce(study, "boss:1", role="leader", state="tuning", trials=1, started_unix=0)
    tuning.announce(study, "w:2", role="worker", state="tuning", trials=3, started_unix=0)
    tuning.announce(study, "old:9", role="worker", state="left", trials=0, started_unix=0)
    study.set_user_attr("worker:old:9", {"role": "worker", "state": "left", "last_seen_unix": 1})

    result = cli("status", "--storage", pg_url, "--study", "s", "--json")
    assert result.exit_code == 0, result.stderr
    s = json.loads(result.stdout)
    assert s["trials"] == {
        "finished": 4,
        "complete": 3,
        "pruned": 1,
        "running": 1,
        "failed": 1,
        "waiting": 0,
    }
    assert s["best"]["value"] == 0.9 and s["best"]["worker"] == "w:2"
    assert s["trial_cap"] == 6 and s["metric"] == "accuracy"
    assert s["running"][0]["worker"] == "w:3"
    seen = {w["worker"]: w for w in s["workers"]}
    # Recent workers are listed, and so is one running a trial (w:3); one gone long ago is not.
    assert set(seen) == {"boss:1", "w:2", "w:3"}
    assert seen["w:2"]["finished"] == 3 and seen["w:3"]["running"] == [running.number]
    assert s["tuning"]["open"] is True and s["final"] is None

    text = cli("status", "--storage", pg_url, "--study", "s")
    assert text.exit_code == 0
    assert "4 of 6 finished (3 complete, 1 pruned) · 1 running · 1 failed" in text.stdout
    assert "best: trial 1 · accuracy 0.9000 · by w:2" in text.stdout
    assert "w:3 (" in text.stdout and "running trial" in text.stdout


def test_status_of_a_missing_study_lists_those_there(pg_url, cli):
    _study(pg_url)
    result = cli("status", "--storage", pg_url, "--study", "nope")
    assert result.exit_code == 2
    assert "No study 'nope'" in result.stderr and "studies there: s" in result.stderr


def test_a_worker_refuses_a_different_split(pg_url, cli):
    study = _study(pg_url)
    tuning.write_record(study, _record(split_digest="ffffffffffffffff"))
    tuning.open_tuning(study, deadline_unix=2e9)
    result = cli("worker", "--storage", pg_url, "--study", "s", "--wait", "0s", "--quiet")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "differ from the run's" in result.stderr and "ffffffffffffffff" in result.stderr


def test_a_worker_waits_for_the_study_then_says_what_is_missing(pg_url, cli):
    result = cli("worker", "--storage", pg_url, "--study", "later", "--wait", "1s", "--quiet")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "dlpilot run SOURCE" in result.stderr


def test_run_naming_a_started_study_joins_it_and_a_different_source_is_refused(pg_url, cli):
    study = _study(pg_url)
    tuning.write_record(study, _record())
    tuning.open_tuning(study, deadline_unix=2e9)
    result = cli("run", "wine", "--storage", pg_url, "--study", "s", "--quiet")
    assert result.exit_code == 2
    assert "tunes on iris, not wine" in result.stderr


def test_a_closed_study_leaves_nothing_to_do(pg_url, cli):
    study = _study(pg_url)
    tuning.write_record(study, _record())
    tuning.open_tuning(study, deadline_unix=2e9)
    tuning.close_tuning(study)
    result = cli("run", "iris", "--storage", pg_url, "--study", "s", "--quiet", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ended"] == "closed"


def test_dlpilot_run_joins_a_started_study_as_the_cli_does(pg_url):
    from dlpilot import run
    from dlpilot.workflow import WorkerResult

    study = _study(pg_url)
    tuning.write_record(study, _record())
    tuning.open_tuning(study, deadline_unix=2e9)
    tuning.close_tuning(study)
    result = run("iris", storage=pg_url, study="s", verbose=False)
    assert isinstance(result, WorkerResult) and result.ended == "closed"
