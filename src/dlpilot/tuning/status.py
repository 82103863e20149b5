"""`dlpilot status`: a study's trials, its best so far, its workers and the run's progress."""

from __future__ import annotations

import time
from typing import Any

import optuna
from optuna.trial import TrialState

from dlpilot.tuning import loop as trial_loop
from dlpilot.tuning.record import FINAL_ATTR, LEADER_ATTR, SETUP_ATTR, TUNING_ATTR, WORKER_PREFIX

# `dlpilot status` lists the workers seen within this many seconds.
RECENT_WORKER_SECONDS = 600


def study_status(study: optuna.Study, *, now: float | None = None) -> dict[str, Any]:
    """Trials by state, the best so far, the workers seen recently, and the run's progress."""
    now = time.time() if now is None else now
    trials = study.get_trials(deepcopy=False)
    counts = {s.name.lower(): 0 for s in TrialState}
    for t in trials:
        counts[t.state.name.lower()] += 1
    attrs = study.user_attrs
    record = attrs.get(SETUP_ATTR) or {}
    best = None
    complete = [
        t
        for t in trials
        if t.state is TrialState.COMPLETE and t.value is not None and t.value == t.value
    ]
    if complete:
        b = study.best_trial
        best = {
            "number": b.number,
            "value": b.value,
            "params": b.params,
            "worker": b.user_attrs.get(trial_loop.WORKER_ATTR),
        }
    running = [
        {
            "number": t.number,
            "worker": t.user_attrs.get(trial_loop.WORKER_ATTR),
            "seconds": None
            if t.datetime_start is None
            else round(now - t.datetime_start.timestamp(), 1),
        }
        for t in trials
        if t.state is TrialState.RUNNING
    ]
    ran: dict[str, dict[str, Any]] = {}
    for t in trials:
        w = t.user_attrs.get(trial_loop.WORKER_ATTR)
        if w and t.state.is_finished():
            row = ran.setdefault(w, {"finished": 0, "failed": 0})
            row["failed" if t.state is TrialState.FAIL else "finished"] += 1
    registry = {
        key[len(WORKER_PREFIX) :]: info
        for key, info in attrs.items()
        if key.startswith(WORKER_PREFIX)
    }
    owners = {str(r["worker"]) for r in running if r["worker"]}
    workers = []
    for w in sorted(set(registry) | owners):
        info = registry.get(w, {})
        seen = info.get("last_seen_unix")
        busy = [r["number"] for r in running if r["worker"] == w]
        if not busy and (seen is None or now - float(seen) > RECENT_WORKER_SECONDS):
            continue
        workers.append(
            {
                "worker": w,
                "role": info.get("role", "worker"),
                "state": info.get("state", "tuning"),
                "seconds_since_seen": None if seen is None else round(max(0.0, now - seen), 1),
                "running": busy,
                **ran.get(w, {"finished": 0, "failed": 0}),
            }
        )
    workers.sort(key=lambda w: (w["role"] != "leader", w["worker"]))
    tuning = attrs.get(TUNING_ATTR) or {}
    deadline = tuning.get("deadline_unix")
    return {
        "study": study.study_name,
        "direction": study.direction.name.lower(),
        "metric": record.get("metric"),
        "source": (record.get("options") or {}).get("source"),
        "leader": attrs.get(LEADER_ATTR),
        "trial_cap": record.get("trial_cap"),
        "trials": {
            "finished": counts["complete"] + counts["pruned"],
            "complete": counts["complete"],
            "pruned": counts["pruned"],
            "running": counts["running"],
            "failed": counts["fail"],
            "waiting": counts["waiting"],
        },
        "best": best,
        "running": running,
        "workers": workers,
        "tuning": {
            "open": bool(tuning) and not tuning.get("closed", False),
            "seconds_left": None if deadline is None else round(max(0.0, deadline - now), 1),
        },
        "final": attrs.get(FINAL_ATTR),
    }
