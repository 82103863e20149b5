"""What a run shares through its study, as study user attributes.

The run that starts a study records in it:

- ``setup`` (`StudyRecord`): what a worker needs to rebuild the same training
  data and search space — the run's options (source, target, seed, …), stage
  5's exploration plan, stage 7's search space, the split digest, the metric,
  the trial cap and the heartbeat interval;
- ``leader``: the process and run directory that started it (and trains the
  final model);
- ``tuning``: the tuning deadline (Unix time) and whether tuning is closed;
- ``final``: written once the final model is trained;
- ``worker:HOST:PID``: each process that took part, and when it was last seen.

Each trial carries the process that ran it (user attribute ``worker``).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

import optuna

from dlpilot import __version__

SETUP_ATTR = "setup"
LEADER_ATTR = "leader"
TUNING_ATTR = "tuning"
FINAL_ATTR = "final"
WORKER_PREFIX = "worker:"


@dataclass(frozen=True)
class StudyRecord:
    """What the run that started a study records in it, so every worker trains the same way.

    Plain data (JSON in the storage). The workers repeat stages 0–3 from
    ``options`` (they are deterministic given the source and the seed), cut the
    exploration subset by ``exploration``, check their split against
    ``split_digest``, and draw configurations from ``space``.
    """

    options: dict[str, Any]
    space: dict[str, Any]
    exploration: dict[str, Any]
    split_digest: str
    input_shape: tuple[int, ...]
    metric: str
    greater_is_better: bool
    baselines: dict[str, Any]
    trial_cap: int | None
    heartbeat_seconds: int
    dlpilot_version: str = __version__

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["input_shape"] = list(self.input_shape)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StudyRecord:
        return cls(**{**d, "input_shape": tuple(d["input_shape"])})


def read_record(study: optuna.Study) -> StudyRecord | None:
    saved = study.user_attrs.get(SETUP_ATTR)
    return None if saved is None else StudyRecord.from_dict(saved)


def write_record(study: optuna.Study, record: StudyRecord) -> None:
    study.set_user_attr(SETUP_ATTR, record.to_dict())


def set_leader(study: optuna.Study, *, worker: str, run_dir: str) -> None:
    study.set_user_attr(
        LEADER_ATTR, {"worker": worker, "run_dir": run_dir, "started_unix": time.time()}
    )


def open_tuning(study: optuna.Study, *, deadline_unix: float) -> None:
    study.set_user_attr(TUNING_ATTR, {"deadline_unix": deadline_unix, "closed": False})


def close_tuning(study: optuna.Study) -> None:
    tuning = dict(study.user_attrs.get(TUNING_ATTR) or {})
    study.set_user_attr(TUNING_ATTR, {**tuning, "closed": True, "closed_unix": time.time()})


def tuning_state(study: optuna.Study) -> dict[str, Any]:
    """The ``tuning`` attribute, read from the storage (other processes change it)."""
    return dict(study.user_attrs.get(TUNING_ATTR) or {})


def mark_final(study: optuna.Study, *, worker: str, run_dir: str, test: dict[str, Any]) -> None:
    study.set_user_attr(
        FINAL_ATTR,
        {"worker": worker, "run_dir": run_dir, "finished_unix": time.time(), "test": test},
    )


def announce(
    study: optuna.Study, worker: str, *, role: str, state: str, trials: int, started_unix: float
) -> None:
    """Record that ``worker`` takes part (role leader|worker), what it does and its trial count."""
    study.set_user_attr(
        WORKER_PREFIX + worker,
        {
            "role": role,
            "state": state,
            "trials": trials,
            "started_unix": started_unix,
            "last_seen_unix": time.time(),
        },
    )
