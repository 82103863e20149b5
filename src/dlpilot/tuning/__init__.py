"""Tuning in one study, from one process or many: storage, the trial loop, the study, the
run's part as its leader, and the workers.

Layers: `dlpilot.workflow` drives a run and calls into this package; this package calls
stage 7's search space and objective (`dlpilot.stages.tune`); no stage imports it.

- `storage`: the Optuna storage (SQLite, PostgreSQL), opened with heartbeats;
- `record`: what a run shares through its study (`StudyRecord`, leader, tuning, final);
- `status`: what `dlpilot status` shows;
- `loop`: the claim-run-tell loop every process runs (caps, heartbeats, retries);
- `study`: the sampler, the pruner and the run's share of the trials (`tune`);
- `leader`: the run that starts a study (opens it, records it, marks it final);
- `worker`: `dlpilot worker`, more trials of a study another run started.

Public names load on first use: a process that only opens the storage and runs the loop
never imports PyTorch.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "LoopEnd": "loop",
    "SLOT_ATTR": "loop",
    "STORAGE_ERRORS": "loop",
    "TrialOutcome": "loop",
    "WORKER_ATTR": "loop",
    "enqueue_slots": "loop",
    "fail_dead_trials": "loop",
    "finished_count": "loop",
    "quiet_optuna": "loop",
    "requeue": "loop",
    "run_trials": "loop",
    "settle": "loop",
    "worker_id": "loop",
    "StudyRecord": "record",
    "announce": "record",
    "close_tuning": "record",
    "mark_final": "record",
    "open_tuning": "record",
    "read_record": "record",
    "set_leader": "record",
    "tuning_state": "record",
    "write_record": "record",
    "study_status": "status",
    "GRACE_HEARTBEATS": "storage",
    "HEARTBEAT_SECONDS": "storage",
    "load_existing": "storage",
    "open_storage": "storage",
    "redact": "storage",
    "study_names": "storage",
    "load_study": "study",
    "make_study": "study",
    "tune": "study",
    "TrialReport": "progress",
    "TuningCallback": "progress",
    "WorkerResult": "worker",
    "same_source": "worker",
    "work": "worker",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"dlpilot.tuning.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'dlpilot.tuning' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
