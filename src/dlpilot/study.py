"""The Optuna study a run tunes in: its storage, what the run shares through it, its status.

One machine: SQLite, the run directory's ``study.db``. Many processes or
machines: one study in PostgreSQL (or any database SQLAlchemy reaches), which
``dlpilot run --storage URL --study NAME`` starts and ``dlpilot worker`` joins.

The run that starts a study records in it, as study user attributes:

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

import inspect
import re
import time
import warnings
from dataclasses import asdict, dataclass
from typing import Any

import optuna
from optuna.trial import TrialState

from dlpilot import __version__
from dlpilot.core.errors import ConfigError, StorageError
from dlpilot.stages import _trials as trial_loop

# Heartbeats of a running trial, and how many may be missed before it counts as dead.
HEARTBEAT_SECONDS = 10
GRACE_HEARTBEATS = 3
# SQLite: how long a process waits for another's write to finish before "database is locked".
SQLITE_BUSY_SECONDS = 60
# PostgreSQL/MySQL: how long connecting may take before the URL counts as unreachable.
CONNECT_TIMEOUT_SECONDS = 10
# `dlpilot status` lists the workers seen within this many seconds.
RECENT_WORKER_SECONDS = 600

SETUP_ATTR = "setup"
LEADER_ATTR = "leader"
TUNING_ATTR = "tuning"
FINAL_ATTR = "final"
WORKER_PREFIX = "worker:"


# --- the storage ----------------------------------------------------------------------


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def redact(url: str) -> str:
    """The URL without its password, for messages and records."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def open_storage(
    url: str, *, heartbeat_seconds: int | None = HEARTBEAT_SECONDS
) -> optuna.storages.RDBStorage:
    """An Optuna RDB storage for ``url``, with heartbeats; a `StorageError` if unusable.

    Heartbeats every ``heartbeat_seconds``; a trial silent for
    `GRACE_HEARTBEATS` of them is failed and queued again. SQLite waits up to
    `SQLITE_BUSY_SECONDS` for a lock and starts every transaction with
    ``BEGIN IMMEDIATE``, so that several local processes serialize their writes
    instead of failing with "database is locked" (and a claim on a waiting
    trial is atomic). Server databases check a pooled connection before using it
    (a restarted server costs no trial) and give up connecting after
    `CONNECT_TIMEOUT_SECONDS`.
    """
    shown = redact(url)
    url = with_driver(url)
    engine_kwargs: dict[str, Any]
    if is_sqlite(url):
        engine_kwargs = {"connect_args": {"timeout": SQLITE_BUSY_SECONDS}}
    else:
        engine_kwargs = {"pool_pre_ping": True}
        if url.startswith(("postgresql", "mysql")):
            engine_kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    beats: dict[str, Any] = {}
    if heartbeat_seconds is not None:
        beats = {
            "heartbeat_interval": int(heartbeat_seconds),
            "grace_period": int(heartbeat_seconds) * GRACE_HEARTBEATS,
            _stale_callback_keyword(): trial_loop.requeue,
        }
    try:
        with warnings.catch_warnings():
            # Heartbeats are "experimental" in Optuna; they are what fails killed trials.
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            storage = optuna.storages.RDBStorage(url, engine_kwargs=engine_kwargs, **beats)
    except ImportError as exc:  # Optuna's wrapper of the driver's ModuleNotFoundError
        missing = getattr(exc.__cause__, "name", None) or "the driver"
        raise StorageError(
            f"The database driver for '{shown}' is not installed ({missing}). For "
            "PostgreSQL: pip install 'dlpilot[postgres]' (psycopg2-binary)."
        ) from None
    except Exception as exc:  # SQLAlchemy raises many kinds; all mean "cannot use it"
        raise StorageError(
            f"Cannot open the study storage '{shown}': {_reason(exc)} Check the URL, "
            "that the server is running and reachable, and the credentials."
        ) from None
    if is_sqlite(url):
        _begin_immediate(storage)
    return storage


def with_driver(url: str) -> str:
    """``postgresql://`` with a driver that is installed: SQLAlchemy 2.1 takes it to mean
    psycopg 3, dlpilot's ``postgres`` extra installs psycopg2."""
    if not url.startswith("postgresql://"):
        return url
    import importlib.util

    if importlib.util.find_spec("psycopg") is None and importlib.util.find_spec("psycopg2"):
        return "postgresql+psycopg2://" + url[len("postgresql://") :]
    return url


def _stale_callback_keyword() -> str:
    params = inspect.signature(optuna.storages.RDBStorage.__init__).parameters
    return (
        "heartbeat_stale_trial_callback"
        if "heartbeat_stale_trial_callback" in params
        else "failed_trial_callback"
    )


def _begin_immediate(storage: optuna.storages.RDBStorage) -> None:
    """SQLAlchemy's recipe for SQLite: the driver emits no BEGIN; every transaction is
    ``BEGIN IMMEDIATE``, which takes the write lock at once (waiting up to the busy timeout)."""
    from sqlalchemy import event

    engine = storage.engine

    @event.listens_for(engine, "connect")
    def _no_driver_begin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _immediate(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    engine.dispose()  # connections opened before the listeners existed are dropped


def _reason(exc: BaseException) -> str:
    inner = getattr(exc, "orig", None) or exc.__cause__ or exc
    text = " ".join(str(inner).split())
    text = re.sub(r"\(Background on this error at: [^)]*\)", "", text).strip()
    text = text[:240] or type(inner).__name__
    return text if text.endswith((".", "?", "!")) else text + "."


def study_names(storage: optuna.storages.BaseStorage) -> list[str]:
    try:
        return [s.study_name for s in storage.get_all_studies()]
    except trial_loop.STORAGE_ERRORS as exc:
        raise StorageError(f"Cannot read the study storage: {_reason(exc)}") from None


def load_existing(storage: optuna.storages.BaseStorage, name: str, url: str) -> optuna.Study:
    """The study ``name``, or a `ConfigError` listing the studies the storage holds."""
    names = study_names(storage)
    if name not in names:
        held = ", ".join(sorted(names)[:10]) or "none"
        raise ConfigError(
            f"No study '{name}' in {redact(url)} (studies there: {held}). Start it with "
            f"'dlpilot run SOURCE --storage URL --study {name}', or check --study."
        )
    with trial_loop.quiet_optuna():
        return optuna.load_study(study_name=name, storage=storage)


# --- what the run records --------------------------------------------------------------


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


# --- status --------------------------------------------------------------------------


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
